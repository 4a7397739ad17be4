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
