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

#endif
