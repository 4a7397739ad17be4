#define _POSIX_C_SOURCE 199309L
#include "bench.h"

#include <stdlib.h>
#include <time.h>
#include <gmp.h>
#include <mpfr.h>

uint64_t cbench_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

// q = p / d, correctly rounded to nearest (the value BigFloat(numerator: p, denominator: d) holds).
static void set_ratio(mpfr_ptr x, long p, long d) {
    mpq_t q;
    mpq_init(q);
    mpq_set_si(q, p, (unsigned long)d);
    mpq_canonicalize(q);
    mpfr_set_q(x, q, MPFR_RNDN);
    mpq_clear(q);
}

uint64_t cbench_mul(long precision, long iterations) {
    mpfr_t r, a, b;
    mpfr_inits2(precision, r, a, b, (mpfr_ptr)0);
    set_ratio(a, 1, 3);
    set_ratio(b, 1, 7);
    uint64_t start = cbench_now_ns();
    for (long i = 0; i < iterations; i++) mpfr_mul(r, a, b, MPFR_RNDN);
    uint64_t elapsed = cbench_now_ns() - start;
    mpfr_clears(r, a, b, (mpfr_ptr)0);
    return elapsed;
}

uint64_t cbench_mul_inplace(long precision, long iterations) {
    mpfr_t r, b;
    mpfr_inits2(precision, r, b, (mpfr_ptr)0);
    set_ratio(r, 1, 3);
    set_ratio(b, 3L * (1L << 30) + 1, 3L * (1L << 30));
    uint64_t start = cbench_now_ns();
    for (long i = 0; i < iterations; i++) mpfr_mul(r, r, b, MPFR_RNDN);
    uint64_t elapsed = cbench_now_ns() - start;
    mpfr_clears(r, b, (mpfr_ptr)0);
    return elapsed;
}

uint64_t cbench_add(long precision, long iterations) {
    mpfr_t r, a, b;
    mpfr_inits2(precision, r, a, b, (mpfr_ptr)0);
    set_ratio(a, 1, 3);
    set_ratio(b, 1, 7);
    uint64_t start = cbench_now_ns();
    for (long i = 0; i < iterations; i++) mpfr_add(r, a, b, MPFR_RNDN);
    uint64_t elapsed = cbench_now_ns() - start;
    mpfr_clears(r, a, b, (mpfr_ptr)0);
    return elapsed;
}

uint64_t cbench_add_inplace(long precision, long iterations) {
    mpfr_t r, b;
    mpfr_inits2(precision, r, b, (mpfr_ptr)0);
    set_ratio(r, 1, 3);
    set_ratio(b, 1, 7);
    uint64_t start = cbench_now_ns();
    for (long i = 0; i < iterations; i++) mpfr_add(r, r, b, MPFR_RNDN);
    uint64_t elapsed = cbench_now_ns() - start;
    mpfr_clears(r, b, (mpfr_ptr)0);
    return elapsed;
}

uint64_t cbench_dot(long precision, long n, long iterations) {
    mpfr_t *x = malloc(sizeof(mpfr_t) * (size_t)n), *y = malloc(sizeof(mpfr_t) * (size_t)n);
    for (long i = 0; i < n; i++) {
        mpfr_init2(x[i], precision);
        mpfr_init2(y[i], precision);
        set_ratio(x[i], i + 1, 7);
        set_ratio(y[i], 1, i + 2);
    }
    mpfr_t s;
    mpfr_init2(s, precision);
    uint64_t start = cbench_now_ns();
    for (long k = 0; k < iterations; k++) {
        mpfr_set_zero(s, 1);
        for (long i = 0; i < n; i++) mpfr_fma(s, x[i], y[i], s, MPFR_RNDN);
    }
    uint64_t elapsed = cbench_now_ns() - start;
    mpfr_clear(s);
    for (long i = 0; i < n; i++) {
        mpfr_clear(x[i]);
        mpfr_clear(y[i]);
    }
    free(x);
    free(y);
    return elapsed;
}

uint64_t cbench_exp(long precision, long iterations) {
    mpfr_t r, a;
    mpfr_inits2(precision, r, a, (mpfr_ptr)0);
    set_ratio(a, 1, 3);
    uint64_t start = cbench_now_ns();
    for (long i = 0; i < iterations; i++) mpfr_exp(r, a, MPFR_RNDN);
    uint64_t elapsed = cbench_now_ns() - start;
    mpfr_clears(r, a, (mpfr_ptr)0);
    return elapsed;
}

// Entry (i, j) of the benchmark matrix A = 1/(i+j+1) + 64·δᵢⱼ, rounded once from the exact rational.
static void set_inverse_entry(mpfr_ptr x, long i, long j) {
    long d = i + j + 1;
    set_ratio(x, i == j ? 1 + 64 * d : 1, d);
}

// FNV-1a over the base-16 digits and exponents of *x[0..count).
static uint64_t digest(mpfr_srcptr const *x, long count) {
    uint64_t h = 1469598103934665603u;
    for (long k = 0; k < count; k++) {
        mpfr_exp_t e;
        char *s = mpfr_get_str(NULL, &e, 16, 0, x[k], MPFR_RNDN);
        for (char *p = s; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211u;
        for (int b = 0; b < 8; b++) h = (h ^ (unsigned char)((uint64_t)e >> (8 * b))) * 1099511628211u;
        mpfr_free_str(s);
    }
    return h;
}

// The inverse of a (n×n, row-major; overwritten by −L and −U) into x, column by column: the timed part.
__attribute__((noinline)) static void invert(mpfr_t *a, mpfr_t *x, long *perm, mpfr_ptr factor, long n) {
    for (long i = 0; i < n; i++) perm[i] = i;
    // PA = LU, partial pivoting by magnitude; L's multipliers are kept negated.
    for (long k = 0; k < n; k++) {
        long pivot = k;
        for (long i = k + 1; i < n; i++)
            if (mpfr_cmpabs(a[i * n + k], a[pivot * n + k]) > 0) pivot = i;
        if (pivot != k) {
            for (long j = 0; j < n; j++) mpfr_swap(a[k * n + j], a[pivot * n + j]);
            long t = perm[k]; perm[k] = perm[pivot]; perm[pivot] = t;
        }
        for (long i = k + 1; i < n; i++) {
            mpfr_div(factor, a[i * n + k], a[k * n + k], MPFR_RNDN);
            mpfr_neg(a[i * n + k], factor, MPFR_RNDN);
            for (long j = k + 1; j < n; j++)
                mpfr_fma(a[i * n + j], a[i * n + k], a[k * n + j], a[i * n + j], MPFR_RNDN);
        }
    }
    // U negated above the diagonal, so that both substitutions are fused multiply-adds.
    for (long i = 0; i < n; i++)
        for (long j = i + 1; j < n; j++) mpfr_neg(a[i * n + j], a[i * n + j], MPFR_RNDN);
    // Column c of A⁻¹ solves LUx = P e_c.
    for (long c = 0; c < n; c++) {
        mpfr_t *col = x + c * n;
        for (long i = 0; i < n; i++) mpfr_set_si(col[i], perm[i] == c ? 1 : 0, MPFR_RNDN);
        for (long i = 0; i < n; i++)
            for (long j = 0; j < i; j++) mpfr_fma(col[i], a[i * n + j], col[j], col[i], MPFR_RNDN);
        for (long i = n - 1; i >= 0; i--) {
            for (long j = i + 1; j < n; j++) mpfr_fma(col[i], a[i * n + j], col[j], col[i], MPFR_RNDN);
            mpfr_div(col[i], col[i], a[i * n + i], MPFR_RNDN);
        }
    }
}

uint64_t cbench_inverse(long precision, long n, long iterations, uint64_t *result_digest) {
    long nn = n * n;
    mpfr_t *a = malloc(sizeof(mpfr_t) * (size_t)nn);     // A, then L (negated, below the diagonal) and U (negated)
    mpfr_t *x = malloc(sizeof(mpfr_t) * (size_t)nn);     // the inverse, column j in x[j·n …]
    long *perm = malloc(sizeof(long) * (size_t)n);
    for (long k = 0; k < nn; k++) {
        mpfr_init2(a[k], precision);
        mpfr_init2(x[k], precision);
    }
    mpfr_t factor;
    mpfr_init2(factor, precision);
    uint64_t elapsed = 0;
    for (long iteration = 0; iteration < iterations; iteration++) {
        for (long i = 0; i < n; i++)
            for (long j = 0; j < n; j++) set_inverse_entry(a[i * n + j], i, j);
        uint64_t start = cbench_now_ns();
        invert(a, x, perm, factor, n);
        elapsed += cbench_now_ns() - start;
    }
    if (result_digest) {
        // Row-major order, as Matrix stores it.
        mpfr_srcptr *rows = malloc(sizeof(mpfr_srcptr) * (size_t)nn);
        for (long i = 0; i < n; i++)
            for (long j = 0; j < n; j++) rows[i * n + j] = x[j * n + i];
        *result_digest = digest(rows, nn);
        free(rows);
    }
    mpfr_clear(factor);
    for (long k = 0; k < nn; k++) {
        mpfr_clear(a[k]);
        mpfr_clear(x[k]);
    }
    free(a);
    free(x);
    free(perm);
    return elapsed;
}

uint64_t cbench_digest(const void *const *values, long count) { return digest((mpfr_srcptr const *)values, count); }
