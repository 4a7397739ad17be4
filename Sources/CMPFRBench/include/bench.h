#ifndef CMPFRBENCH_BENCH_H
#define CMPFRBENCH_BENCH_H
// The C side of numerics-bench: the same loops as the Swift benchmark, calling GNU MPFR directly.
//
// Every function sets up its operands outside the timed region (the same values as the Swift side:
// 1/3, 1/7, ... correctly rounded), runs `iterations` times the loop it names, and returns the elapsed
// nanoseconds of the loop alone, measured on CLOCK_MONOTONIC. Implementation detail of the benchmark.

#include <stdint.h>

/// Nanoseconds on the monotonic clock (CLOCK_MONOTONIC); the Swift side times its loops with it too.
uint64_t cbench_now_ns(void);

/// r = a·b with r, a, b initialised once: mpfr_mul(r, a, b). a = 1/3, b = 1/7.
uint64_t cbench_mul(long precision, long iterations);
/// r = r·b in place: mpfr_mul(r, r, b). r starts at 1/3, b = 1 + 1/(3·2^30).
uint64_t cbench_mul_inplace(long precision, long iterations);
/// r = a + b: mpfr_add(r, a, b). a = 1/3, b = 1/7.
uint64_t cbench_add(long precision, long iterations);
/// r = r + b in place: mpfr_add(r, r, b). r starts at 1/3, b = 1/7.
uint64_t cbench_add_inplace(long precision, long iterations);
/// `iterations` dot products of length n, each: s = 0, then s = x_i·y_i + s by mpfr_fma.
/// x_i = (i+1)/7, y_i = 1/(i+2).
uint64_t cbench_dot(long precision, long n, long iterations);
/// r = exp(a): mpfr_exp(r, a). a = 1/3.
uint64_t cbench_exp(long precision, long iterations);

/// `iterations` inverses of the n×n matrix A = 1/(i+j+1) + 64·δᵢⱼ (entries rounded once from the exact
/// rationals): LU with partial pivoting (mpfr_cmpabs, mpfr_div, mpfr_fma with the negated multiplier), U negated
/// once, then forward and back substitution (mpfr_fma, mpfr_div) for each column of the identity: the operations
/// of `Matrix.inverse()`, on raw MPFR. Times the factorisation and the solves, not the set-up of A. When
/// `result_digest` is not NULL it receives the digest of the last inverse (see `cbench_digest`), row-major.
uint64_t cbench_inverse(long precision, long n, long iterations, uint64_t *result_digest);

/// FNV-1a hash of the base-16 digits (`mpfr_get_str`, all digits) and exponents of `count` values: equal
/// digests mean equal values, digit for digit. `values` are `mpfr_srcptr`s.
uint64_t cbench_digest(const void *const *values, long count);

#endif
