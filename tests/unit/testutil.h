/*
 * testutil.h — helpers shared by the cmocka tests.
 *
 * cmocka 1.1.5's assert_float_equal casts to float; assert_close compares
 * doubles: |got − want| ≤ max(rtol·|want|, atol), and prints both values
 * with 17 digits when it fails. assert_greeks_nan checks a failed call's
 * output; assert_greeks_close compares two sets of greeks field by field on
 * each field's scale; cos_ok runs lsd_cos_price where it must succeed.
 */
#ifndef LSD_TESTUTIL_H
#define LSD_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <lsdopt/lsdopt.h>

#ifdef __cplusplus
extern "C" {
#endif

#define assert_close(got, want, rtol, atol) \
    lsd_test_assert_close((got), (want), (rtol), (atol), #got, __FILE__, __LINE__)

void lsd_test_assert_close(double got, double want, double rtol, double atol,
                           const char *expr, const char *file, int line);

/* Every field of *g is NaN (the output of a failed pricer call). */
#define assert_greeks_nan(g) lsd_test_assert_greeks_nan((g), __FILE__, __LINE__)

void lsd_test_assert_greeks_nan(const lsd_greeks *g, const char *file, int line);

/*
 * Every field of *got within tol of *want relative to max(|want|, scale):
 * scale 1 for delta, 1/spot for gamma and spot for the price and the other
 * greeks (merton.h's and cos.h's scales). The failure names the field.
 */
#define assert_greeks_close(got, want, tol, spot) \
    lsd_test_assert_greeks_close((got), (want), (tol), (spot), __FILE__, __LINE__)

void lsd_test_assert_greeks_close(const lsd_greeks *got, const lsd_greeks *want, double tol,
                                  double spot, const char *file, int line);

/* lsd_cos_price(opt, mkt, params, ctl) where it must succeed: fails the test
 * with the status and diag message otherwise. */
#define cos_ok(opt, mkt, params, ctl) \
    lsd_test_cos_ok((opt), (mkt), (params), (ctl), __FILE__, __LINE__)

lsd_greeks lsd_test_cos_ok(const lsd_option *opt, const lsd_market *mkt,
                           const lsd_model_params *params, const lsd_cos_control *ctl,
                           const char *file, int line);

/*
 * x as the library's messages show it (the shortest of %.15g, %.16g, %.17g
 * that reads back as x) into buf of size n; returns buf.
 */
const char *lsd_test_number_text(char *buf, size_t n, double x);

/* A pointer to lsd_model_params_of(model, jumps), for one call's argument. */
#define MODEL_PARAMS(model, jumps) \
    ((const lsd_model_params[]){ lsd_model_params_of((model), (jumps)) })

#ifdef __cplusplus
}
#endif

#endif /* LSD_TESTUTIL_H */
