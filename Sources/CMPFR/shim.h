#ifndef CMPFR_SHIM_H
#define CMPFR_SHIM_H
// GMP must come before MPFR so that mpfr.h declares its mpz/mpq functions.
#include <stdio.h>
#include <gmp.h>
#include <mpfr.h>

// Wrappers for calls that MPFR or GMP define as macros (Swift imports no function-like macros).
static inline size_t cmpfr_custom_get_size(mpfr_prec_t precision) { return mpfr_custom_get_size(precision); }
static inline void cmpfr_custom_init(void *significand, mpfr_prec_t precision) { mpfr_custom_init(significand, precision); }
static inline void cmpfr_custom_init_set_zero(mpfr_ptr x, mpfr_prec_t precision, void *significand) {
    mpfr_custom_init_set(x, MPFR_ZERO_KIND, 0, precision, significand);
}
static inline mpfr_prec_t cmpfr_get_prec(mpfr_srcptr x) { return mpfr_get_prec(x); }
static inline int cmpfr_sgn(mpfr_srcptr x) { return mpfr_sgn(x); }
static inline mpfr_exp_t cmpfr_get_exp(mpfr_srcptr x) { return mpfr_get_exp(x); }
static inline int cmpfr_signbit(mpfr_srcptr x) { return mpfr_signbit(x); }
static inline int cmpfr_nan_p(mpfr_srcptr x) { return mpfr_nan_p(x); }
static inline int cmpfr_inf_p(mpfr_srcptr x) { return mpfr_inf_p(x); }
static inline int cmpfr_zero_p(mpfr_srcptr x) { return mpfr_zero_p(x); }
static inline int cmpfr_set(mpfr_ptr r, mpfr_srcptr x, mpfr_rnd_t rnd) { return mpfr_set(r, x, rnd); }
static inline int cmpfr_abs(mpfr_ptr r, mpfr_srcptr x, mpfr_rnd_t rnd) { return mpfr_abs(r, x, rnd); }
static inline int cmpfr_neg(mpfr_ptr r, mpfr_srcptr x, mpfr_rnd_t rnd) { return mpfr_neg(r, x, rnd); }
static inline long cmpfr_prec_max(void) { return (long)MPFR_PREC_MAX; }
static inline int cmpfr_bits_per_limb(void) { return GMP_NUMB_BITS; }
static inline const char *cmpfr_version(void) { return mpfr_get_version(); }
static inline const char *cmpfr_gmp_version(void) { return gmp_version; }

#endif
