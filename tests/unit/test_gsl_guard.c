/*
 * test_gsl_guard.c — no input reaches GSL's abort-by-default error handler
 * from a public function (pricing/core/gsl_guard.h), through the public API.
 *
 * This program never switches GSL's handler off, so GSL's default handler
 * (print and abort()) is live: a library call that let GSL raise would kill
 * the test. Each case feeds an input that did reach the handler before the
 * guard (found by experiment, each checked to abort the unguarded library):
 * a not positive definite observed information (Cholesky) in estimation,
 * a quadrature that exhausts its subdivisions in the minimum-variance hedge,
 * and an incomplete gamma function that fails to converge inside the
 * Poisson CDF of the collateral closed form. Each returns a status instead.
 * The last case installs its own counting handler and checks the library
 * hands it back untouched.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

static void assert_message_has(const lsd_diag *diag, const char *text)
{
    if (strstr(diag->message, text) == NULL)
        fail_msg("message '%s' lacks '%s'", diag->message, text);
}

/*
 * Fourteen daily points, a diffusion of 1% a day with two depegs (drawn once
 * from mt19937 seed 3): the Merton fit converges to a point whose numerical
 * observed information is not positive definite, so its Cholesky
 * factorisation raises GSL_EDOM. Documented outcome: LSD_OK, se_ok = 0.
 */
static void estimate_with_singular_information_gets_a_status(void **state)
{
    (void)state;
    static const double values[] = {
        1, 0.99245111559649579, 0.99285828568818446,
        0.99135897819082464, 0.99009270832995144, 0.96941175255824263,
        0.96262221556790706, 0.96180225586171075, 0.96504960262041684,
        0.95919788425400232, 0.94258700776928983, 0.9497664986027835,
        0.94273302386650037, 0.95780892436191589,
    };
    enum { n = sizeof values / sizeof values[0] };
    double times[n];
    for (size_t i = 0; i < n; i++)
        times[i] = 1.64e9 + 86400.0 * (double)i;
    lsd_estimate e;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_estimate_fit(times, values, n, LSD_MODEL_MERTON, NULL, &e, &diag),
                     LSD_OK);
    assert_int_equal(e.se_ok, 0);
    assert_true(isnan(e.se[LSD_ESTIMATE_VOL]));
    assert_true(isfinite(e.param[LSD_ESTIMATE_VOL]));
}

/* Jump vol δ = 3: the jump-covariance integrand is too rough for qag's
 * 1000 subdivisions (GSL_EMAXITER, raised). */
static void hedge_quadrature_failure_gets_a_status(void **state)
{
    (void)state;
    const lsd_option put = { LSD_PUT, 0.97, 0.25 };
    const lsd_market mkt = { 0.999, 0.02, 0.03, 0.0167 };
    const lsd_jumps jumps = { 2.0, -0.05, 3.0 };
    lsd_hedge_ratio r;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_hedge_mv_delta(&put, &mkt, &jumps, &r, &diag), LSD_ENOCONV);
    assert_message_has(&diag, "jump integral did not converge (maximum number of subdivisions");
    assert_true(isnan(r.mv_delta));
}

/*
 * Exchange-rate oracle, rate equal to yield (a = 0), 1e7 slashing events a
 * year each losing x_0/9.98e6 of the rate: P(liquidated) is
 * Q_Poisson(⌊b(T)⌋; 1e7) with ⌊b(T)⌋ ≈ 9.98e6, where GSL's incomplete gamma
 * function does not converge (GSL_EMAXITER, raised).
 */
static void collateral_poisson_tail_failure_gets_a_status(void **state)
{
    (void)state;
    const lsd_collateral pos = { LSD_COLLATERAL_ORACLE_EXCHANGE_RATE, 100.0, 107.0, 1.19, 0.95, 0.01,
                                 0.028, 0.028, 1.0 };
    const double x0 = log(100.0 * 1.19 * 0.95 / 107.0);
    const lsd_collateral_dynamics dyn = { 0.028, 0.0, { 0.0, 0.0, 0.0 }, 1e7, x0 / 9.98e6,
                                          0.028, 0.0 };
    const lsd_collateral_mc mc = { 1.0, 2, 1 };
    lsd_collateral_risk risk;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &risk, &diag), LSD_ENOCONV);
    assert_message_has(&diag, "collateral: closed form failed in GSL (");
    assert_true(isnan(risk.prob_analytic));
}

static int raised;

static void count_errors(const char *reason, const char *file, int line, int gsl_errno)
{
    (void)reason;
    (void)file;
    (void)line;
    (void)gsl_errno;
    raised++;
}

/* A caller's own handler is left in place: the library's errors do not
 * reach it, and it is the handler again after the call. */
static void caller_handler_is_restored(void **state)
{
    (void)state;
    gsl_error_handler_t *before = gsl_set_error_handler(count_errors);
    raised = 0;
    const lsd_option put = { LSD_PUT, 0.97, 0.25 };
    const lsd_market mkt = { 0.999, 0.02, 0.03, 0.0167 };
    const lsd_jumps jumps = { 2.0, -0.05, 3.0 };
    lsd_hedge_ratio r;
    assert_int_equal(lsd_hedge_mv_delta(&put, &mkt, &jumps, &r, NULL), LSD_ENOCONV);
    assert_int_equal(raised, 0);
    assert_true(isnan(gsl_cdf_poisson_Q(1, -1.0))); /* a caller's own GSL error */
    assert_int_equal(raised, 1);
    assert_ptr_equal(gsl_set_error_handler(before), count_errors);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(estimate_with_singular_information_gets_a_status),
        cmocka_unit_test(hedge_quadrature_failure_gets_a_status),
        cmocka_unit_test(collateral_poisson_tail_failure_gets_a_status),
        cmocka_unit_test(caller_handler_is_restored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
