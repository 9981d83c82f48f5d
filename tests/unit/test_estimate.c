/*
 * test_estimate.c — maximum-likelihood estimation of Merton jump-diffusion and
 * BSM from irregularly sampled series (pricing/fit/estimate.c), through the
 * public API only.
 *
 * Known answers come from simulation: series drawn with GSL's Mersenne
 * Twister (fixed seeds) from known parameters at irregular steps (an hour
 * plus an exponential gap of mean one day, as oracle updates come), exactly
 * by the model's law (normal diffusion increment, Poisson count, normal
 * jumps). A consistent MLE with honest standard errors lands within a few
 * standard errors of the truth; BSM's standard errors are checked by their
 * coverage over many replications. The log-likelihood is checked against a
 * direct, independent sum of the mixture (GSL's Poisson and Gaussian
 * densities, 200 terms, no log space), its gradient against finite
 * differences.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400.0
#define YEAR LSD_SECONDS_PER_YEAR
/* 2022-01-01T00:00:00Z. */
#define T0 1640995200.0

typedef struct truth {
    double drift, vol, intensity, jump_mean, jump_vol;
} truth;

/* n points of the model's exact law at irregular whole-second steps. */
static void simulate(const truth *p, unsigned long seed, double *t, double *x, size_t n)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(rng);
    gsl_rng_set(rng, seed);
    t[0] = T0;
    x[0] = 1.0;
    for (size_t i = 1; i < n; i++) {
        t[i] = t[i - 1] + round(3600.0 + gsl_ran_exponential(rng, DAY));
        const double dt = (t[i] - t[i - 1]) / YEAR;
        double r = (p->drift - 0.5 * p->vol * p->vol) * dt +
                   p->vol * sqrt(dt) * gsl_ran_ugaussian(rng);
        const unsigned int jumps =
            p->intensity > 0.0 ? gsl_ran_poisson(rng, p->intensity * dt) : 0;
        for (unsigned int k = 0; k < jumps; k++)
            r += p->jump_mean + p->jump_vol * gsl_ran_ugaussian(rng);
        x[i] = x[i - 1] * exp(r);
    }
    gsl_rng_free(rng);
}

static void assert_message_has(const lsd_diag *diag, const char *text)
{
    if (strstr(diag->message, text) == NULL)
        print_error("message \"%s\" lacks \"%s\"\n", diag->message, text);
    assert_non_null(strstr(diag->message, text));
}

static void assert_estimate_nan(const lsd_estimate *e)
{
    for (int j = 0; j < LSD_ESTIMATE_NPARAMS; j++)
        assert_true(isnan(e->param[j]) && isnan(e->se[j]));
    assert_true(isnan(e->loglik) && isnan(e->aic));
}

/* |est − true| < 4·se for every parameter, and se finite and > 0. */
static void assert_within_4se(const lsd_estimate *e, const double *want)
{
    for (int j = 0; j < LSD_ESTIMATE_NPARAMS; j++) {
        if (!(e->se[j] > 0.0) || !(fabs(e->param[j] - want[j]) < 4.0 * e->se[j]))
            print_error("parameter %d: estimate %.6g, true %.6g, se %.3g\n", j, e->param[j],
                        want[j], e->se[j]);
        assert_true(e->se[j] > 0.0);
        assert_true(fabs(e->param[j] - want[j]) < 4.0 * e->se[j]);
    }
}

#define NSIM 2500 /* ~7 years of irregular steps */

static void merton_mle_recovers_simulated_parameters(void **state)
{
    (void)state;
    static double t[NSIM], x[NSIM];
    const truth p = { 0.05, 0.25, 12.0, -0.08, 0.03 };
    const double want[LSD_ESTIMATE_NPARAMS] = { p.drift, p.vol, p.intensity, p.jump_mean,
                                           p.jump_vol };
    const unsigned long seeds[] = { 1 };
    for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
        simulate(&p, seeds[s], t, x, NSIM);
        lsd_estimate e;
        lsd_diag diag = { "" };
        assert_int_equal(lsd_estimate_fit(t, x, NSIM, LSD_MODEL_MERTON, NULL, &e, &diag),
                         LSD_OK);
        assert_int_equal(e.n_obs, NSIM - 1);
        assert_int_equal(e.n_params, 5);
        assert_true(e.se_ok && !e.at_bound);
        assert_within_4se(&e, want);
        /* The standard errors are informative, not merely large enough:
         * ~85 jumps pin λ to ~15%, thousands of returns σ to ~2%. */
        assert_true(e.se[LSD_ESTIMATE_JUMP_INTENSITY] < 0.25 * p.intensity);
        assert_true(e.se[LSD_ESTIMATE_VOL] < 0.05 * p.vol);
        assert_true(e.se[LSD_ESTIMATE_JUMP_MEAN] < 0.25 * fabs(p.jump_mean));
        /* The maximum beats the truth, and the BSM fit by far. */
        double ll_true;
        assert_int_equal(lsd_estimate_loglik(t, x, NSIM, want, NULL, &ll_true, NULL, NULL),
                         LSD_OK);
        assert_true(e.loglik >= ll_true);
        lsd_estimate b;
        assert_int_equal(lsd_estimate_fit(t, x, NSIM, LSD_MODEL_BSM, NULL, &b, NULL),
                         LSD_OK);
        assert_true(e.loglik > b.loglik + 100.0);
        assert_close(e.aic, 10.0 - 2.0 * e.loglik, 1e-15, 0.0);
        for (int j = 0; j < LSD_ESTIMATE_NPARAMS; j++) {
            assert_close(e.corr[j][j], 1.0, 1e-12, 0.0);
            for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++) {
                assert_close(e.corr[j][k], e.corr[k][j], 0.0, 1e-15);
                assert_true(fabs(e.corr[j][k]) <= 1.0 + 1e-12);
            }
        }
    }
}

/* The BSM closed form, recomputed here from its definition. */
static void bsm_fit_is_the_closed_form_mle(void **state)
{
    (void)state;
    enum { n = 600 };
    static double t[n], x[n];
    const truth p = { 0.1, 0.6, 0.0, 0.0, 0.0 };
    simulate(&p, 7, t, x, n);
    double T = (t[n - 1] - t[0]) / YEAR, sum_r = 0.0;
    for (size_t i = 1; i < n; i++)
        sum_r += log(x[i] / x[i - 1]);
    const double a = sum_r / T;
    double ss = 0.0, ll = 0.0;
    for (size_t i = 1; i < n; i++) {
        const double dt = (t[i] - t[i - 1]) / YEAR;
        const double e = log(x[i] / x[i - 1]) - a * dt;
        ss += e * e / dt;
    }
    const double var = ss / (n - 1);
    for (size_t i = 1; i < n; i++) {
        const double dt = (t[i] - t[i - 1]) / YEAR;
        ll += log(gsl_ran_gaussian_pdf(log(x[i] / x[i - 1]) - a * dt, sqrt(var * dt)));
    }
    lsd_estimate e;
    assert_int_equal(lsd_estimate_fit(t, x, n, LSD_MODEL_BSM, NULL, &e, NULL), LSD_OK);
    assert_close(e.param[LSD_ESTIMATE_DRIFT], a + 0.5 * var, 1e-12, 0.0);
    assert_close(e.param[LSD_ESTIMATE_VOL], sqrt(var), 1e-13, 0.0);
    assert_close(e.loglik, ll, 1e-12, 0.0);
    assert_close(e.aic, 4.0 - 2.0 * ll, 1e-12, 0.0);
    assert_int_equal(e.n_params, 2);
    assert_true(e.param[LSD_ESTIMATE_JUMP_INTENSITY] == 0.0);
    assert_true(isnan(e.se[LSD_ESTIMATE_JUMP_INTENSITY]) && isnan(e.se[LSD_ESTIMATE_JUMP_VOL]));
    /* The closed form is the maximum: the library's own likelihood at it
     * equals the reported one and the gradient vanishes. */
    double ll_at, g[LSD_ESTIMATE_NPARAMS];
    assert_int_equal(lsd_estimate_loglik(t, x, n, e.param, NULL, &ll_at, g, NULL), LSD_OK);
    assert_close(ll_at, e.loglik, 1e-12, 0.0);
    assert_close(g[LSD_ESTIMATE_DRIFT], 0.0, 0.0, 1e-8);
    assert_close(g[LSD_ESTIMATE_VOL], 0.0, 0.0, 1e-8);
}

/* Coverage of ±1.96 se over replications: 95% ± 3.5% at 300 draws (3.5σ). */
static void bsm_standard_errors_cover_the_truth(void **state)
{
    (void)state;
    enum { n = 300, reps = 300 };
    static double t[n], x[n];
    const truth p = { 0.3, 0.8, 0.0, 0.0, 0.0 };
    int cover_mu = 0, cover_sig = 0;
    for (unsigned long r = 0; r < reps; r++) {
        simulate(&p, 1000 + r, t, x, n);
        lsd_estimate e;
        assert_int_equal(lsd_estimate_fit(t, x, n, LSD_MODEL_BSM, NULL, &e, NULL), LSD_OK);
        cover_mu += fabs(e.param[LSD_ESTIMATE_DRIFT] - p.drift) < 1.96 * e.se[LSD_ESTIMATE_DRIFT];
        cover_sig += fabs(e.param[LSD_ESTIMATE_VOL] - p.vol) < 1.96 * e.se[LSD_ESTIMATE_VOL];
    }
    assert_in_range(cover_mu, (int)(0.915 * reps), (int)(0.985 * reps));
    assert_in_range(cover_sig, (int)(0.915 * reps), (int)(0.985 * reps));
}

/* Without jumps in the data, the Merton fit finds (almost) none and is BSM. */
static void merton_on_jumpless_data_is_bsm(void **state)
{
    (void)state;
    enum { n = 1000 };
    static double t[n], x[n];
    const truth p = { 0.05, 0.4, 0.0, 0.0, 0.0 };
    int boundary = 0;
    for (unsigned long seed = 11; seed < 13; seed++) {
        simulate(&p, seed, t, x, n);
        lsd_estimate m, b;
        assert_int_equal(lsd_estimate_fit(t, x, n, LSD_MODEL_MERTON, NULL, &m, NULL),
                         LSD_OK);
        assert_int_equal(lsd_estimate_fit(t, x, n, LSD_MODEL_BSM, NULL, &b, NULL), LSD_OK);
        /* Nested models: the Merton maximum is at least BSM's, and not by
         * more than chance allows (likelihood ratio 2Δ ln L under χ²₃'s
         * 99.9% quantile 16.3). */
        assert_true(m.loglik >= b.loglik);
        assert_true(2.0 * (m.loglik - b.loglik) < 16.3);
        assert_true(fabs(m.param[LSD_ESTIMATE_VOL] - p.vol) < 4.0 * b.se[LSD_ESTIMATE_VOL]);
        if (m.param[LSD_ESTIMATE_JUMP_INTENSITY] == 0.0) {
            /* On the boundary: exactly the BSM closed form. */
            boundary++;
            assert_true(m.at_bound && m.se_ok);
            assert_close(m.param[LSD_ESTIMATE_DRIFT], b.param[LSD_ESTIMATE_DRIFT], 0.0, 0.0);
            assert_close(m.param[LSD_ESTIMATE_VOL], b.param[LSD_ESTIMATE_VOL], 0.0, 0.0);
            assert_close(m.se[LSD_ESTIMATE_VOL], b.se[LSD_ESTIMATE_VOL], 0.0, 0.0);
            assert_true(isnan(m.se[LSD_ESTIMATE_JUMP_INTENSITY]));
            assert_close(m.aic, b.aic + 6.0, 1e-14, 0.0);
        } else {
            /* Inside: spurious jumps (the likelihood ratio above says they are
             * chance) that only share out the variance BSM measures. */
            const double total_var = m.param[LSD_ESTIMATE_VOL] * m.param[LSD_ESTIMATE_VOL] +
                                     m.param[LSD_ESTIMATE_JUMP_INTENSITY] *
                                         (m.param[LSD_ESTIMATE_JUMP_MEAN] * m.param[LSD_ESTIMATE_JUMP_MEAN] +
                                          m.param[LSD_ESTIMATE_JUMP_VOL] * m.param[LSD_ESTIMATE_JUMP_VOL]);
            assert_close(total_var, b.param[LSD_ESTIMATE_VOL] * b.param[LSD_ESTIMATE_VOL], 0.05, 0.0);
        }
    }
    /* Seed 11 is one whose best interior point falls short of BSM. */
    assert_true(boundary >= 1);
}

/* A direct sum of the mixture, independent of the library's log-space one. */
static double direct_loglik(const double *t, const double *x, size_t n, const double *th)
{
    double ll = 0.0;
    for (size_t i = 1; i < n; i++) {
        const double dt = (t[i] - t[i - 1]) / YEAR, r = log(x[i] / x[i - 1]);
        double f = 0.0;
        for (unsigned int k = 0; k < (th[2] > 0.0 ? 200u : 1u); k++)
            f += (th[2] > 0.0 ? gsl_ran_poisson_pdf(k, th[2] * dt) : 1.0) *
                 gsl_ran_gaussian_pdf(r - (th[0] - 0.5 * th[1] * th[1]) * dt - k * th[3],
                                      sqrt(th[1] * th[1] * dt + k * th[4] * th[4]));
        ll += log(f);
    }
    return ll;
}

static void loglik_is_the_poisson_mixture(void **state)
{
    (void)state;
    const double t[] = { T0, T0 + 0.5 * DAY, T0 + 3.0 * DAY, T0 + 40.0 * DAY, T0 + 41.0 * DAY,
                         T0 + 400.0 * DAY };
    const double x[] = { 1.0, 0.99, 0.93, 0.95, 0.951, 1.1 };
    const size_t n = sizeof t / sizeof t[0];
    /* Rare small jumps, frequent ones (λΔt up to ~55 on the long step),
     * and BSM. */
    const double cases[][LSD_ESTIMATE_NPARAMS] = { { 0.02, 0.1, 3.0, -0.05, 0.03 },
                                              { -0.1, 0.3, 50.0, 0.01, 0.005 },
                                              { 0.05, 0.2, 0.0, 0.0, 0.0 } };
    for (size_t c = 0; c < 3; c++) {
        double ll;
        assert_int_equal(lsd_estimate_loglik(t, x, n, cases[c], NULL, &ll, NULL, NULL), LSD_OK);
        assert_close(ll, direct_loglik(t, x, n, cases[c]), 1e-13, 0.0);
    }
}

static void loglik_gradient_matches_finite_differences(void **state)
{
    (void)state;
    enum { n = 300 };
    static double t[n], x[n];
    const truth p = { 0.05, 0.3, 10.0, -0.03, 0.02 };
    simulate(&p, 5, t, x, n);
    const double th[LSD_ESTIMATE_NPARAMS] = { 0.1, 0.25, 8.0, -0.02, 0.03 };
    double ll, g[LSD_ESTIMATE_NPARAMS];
    assert_int_equal(lsd_estimate_loglik(t, x, n, th, NULL, &ll, g, NULL), LSD_OK);
    for (int j = 0; j < LSD_ESTIMATE_NPARAMS; j++) {
        const double h = 1e-5 * fmax(fabs(th[j]), 0.01);
        double up[LSD_ESTIMATE_NPARAMS], dn[LSD_ESTIMATE_NPARAMS], lu, ld;
        memcpy(up, th, sizeof up);
        memcpy(dn, th, sizeof dn);
        up[j] += h;
        dn[j] -= h;
        assert_int_equal(lsd_estimate_loglik(t, x, n, up, NULL, &lu, NULL, NULL), LSD_OK);
        assert_int_equal(lsd_estimate_loglik(t, x, n, dn, NULL, &ld, NULL, NULL), LSD_OK);
        assert_close(g[j], (lu - ld) / (2.0 * h), 1e-6, 1e-6);
    }
}

static void bad_series_are_named(void **state)
{
    (void)state;
    enum { n = 20 };
    double t[n], x[n];
    const truth p = { 0.0, 0.3, 5.0, -0.03, 0.02 };
    simulate(&p, 3, t, x, n);
    lsd_estimate e;
    lsd_diag diag = { "" };

    assert_int_equal(lsd_estimate_fit(t, x, 10, LSD_MODEL_MERTON, NULL, &e, &diag),
                     LSD_EDOM);
    assert_message_has(&diag, "too few points: 10 (at least 11");
    assert_estimate_nan(&e);
    assert_int_equal(lsd_estimate_fit(t, x, 2, LSD_MODEL_BSM, NULL, &e, &diag), LSD_EDOM);
    assert_message_has(&diag, "too few points");

    double xb[n];
    memcpy(xb, x, sizeof xb);
    xb[4] = 0.0;
    assert_int_equal(lsd_estimate_fit(t, xb, n, LSD_MODEL_MERTON, NULL, &e, &diag),
                     LSD_EDOM);
    assert_message_has(&diag, "point 5: value must be finite and > 0");
    assert_estimate_nan(&e);
    xb[4] = NAN;
    assert_int_equal(lsd_estimate_fit(t, xb, n, LSD_MODEL_BSM, NULL, &e, &diag), LSD_EDOM);
    assert_message_has(&diag, "point 5: value");

    double tb[n];
    memcpy(tb, t, sizeof tb);
    tb[7] = tb[6];
    assert_int_equal(lsd_estimate_fit(tb, x, n, LSD_MODEL_MERTON, NULL, &e, &diag),
                     LSD_EDOM);
    assert_message_has(&diag, "points 7 and 8 have the same time (duplicate)");
    tb[7] = tb[6] - 60.0;
    assert_int_equal(lsd_estimate_fit(tb, x, n, LSD_MODEL_MERTON, NULL, &e, &diag),
                     LSD_EDOM);
    assert_message_has(&diag, "times must be increasing: point 8 is before point 7");
    tb[7] = INFINITY;
    assert_int_equal(lsd_estimate_fit(tb, x, n, LSD_MODEL_BSM, NULL, &e, &diag), LSD_EDOM);
    assert_message_has(&diag, "point 8: time is not finite");

    double ll;
    assert_int_equal(lsd_estimate_loglik(tb, x, n, (const double[]){ 0, 0.2, 1, 0, 0.1 }, NULL,
                                         &ll, NULL, &diag),
                     LSD_EDOM);
    assert_true(isnan(ll));
}

static void bad_arguments_are_refused(void **state)
{
    (void)state;
    enum { n = 20 };
    double t[n], x[n];
    const truth p = { 0.0, 0.3, 5.0, -0.03, 0.02 };
    simulate(&p, 4, t, x, n);
    lsd_estimate e;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_estimate_fit(NULL, x, n, LSD_MODEL_BSM, NULL, &e, &diag),
                     LSD_EINVAL);
    assert_estimate_nan(&e);
    assert_int_equal(lsd_estimate_fit(t, x, n, LSD_MODEL_BSM, NULL, NULL, &diag),
                     LSD_EINVAL);
    assert_int_equal(lsd_estimate_fit(t, x, n, (lsd_model)7, NULL, &e, &diag),
                     LSD_EINVAL);
    assert_message_has(&diag, "unknown model 7");

    lsd_estimate_control ctl = lsd_estimate_control_default();
    ctl.vol_min = 0.0;
    assert_int_equal(lsd_estimate_fit(t, x, n, LSD_MODEL_MERTON, &ctl, &e, &diag), LSD_EDOM);
    assert_message_has(&diag, "vol_min");
    ctl = lsd_estimate_control_default();
    ctl.tail_tol = NAN;
    assert_int_equal(lsd_estimate_fit(t, x, n, LSD_MODEL_MERTON, &ctl, &e, &diag), LSD_EDOM);
    assert_message_has(&diag, "tail_tol");

    /* A mixture that cannot meet its bound in max_terms terms. */
    ctl = lsd_estimate_control_default();
    ctl.max_terms = 3;
    double ll, g[LSD_ESTIMATE_NPARAMS];
    const double th[LSD_ESTIMATE_NPARAMS] = { 0.0, 0.3, 5000.0, -0.01, 0.01 };
    assert_int_equal(lsd_estimate_loglik(t, x, n, th, &ctl, &ll, g, &diag), LSD_ENOCONV);
    assert_true(isnan(ll) && isnan(g[0]));
    const double bad[LSD_ESTIMATE_NPARAMS] = { 0.0, 0.3, -1.0, -0.01, 0.01 };
    assert_int_equal(lsd_estimate_loglik(t, x, n, bad, NULL, &ll, NULL, &diag), LSD_EDOM);
    assert_message_has(&diag, "jump_intensity");
    const double novol[LSD_ESTIMATE_NPARAMS] = { 0.0, 0.0, 1.0, -0.01, 0.01 };
    assert_int_equal(lsd_estimate_loglik(t, x, n, novol, NULL, &ll, NULL, &diag), LSD_EDOM);
    assert_message_has(&diag, "vol must be > 0");
}

/* A bare control iteration budget too small to converge is an error. */
static void non_convergence_is_an_error(void **state)
{
    (void)state;
    enum { n = 500 };
    static double t[n], x[n];
    const truth p = { 0.05, 0.3, 10.0, -0.03, 0.02 };
    simulate(&p, 9, t, x, n);
    lsd_estimate_control ctl = lsd_estimate_control_default();
    ctl.max_iter = 2;
    lsd_estimate e;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_estimate_fit(t, x, n, LSD_MODEL_MERTON, &ctl, &e, &diag),
                     LSD_ENOCONV);
    assert_message_has(&diag, "no starting point converged (9 tried");
    assert_estimate_nan(&e);
    assert_int_equal(e.n_starts, 9);
    assert_int_equal(e.n_converged, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(merton_mle_recovers_simulated_parameters),
        cmocka_unit_test(bsm_fit_is_the_closed_form_mle),
        cmocka_unit_test(bsm_standard_errors_cover_the_truth),
        cmocka_unit_test(merton_on_jumpless_data_is_bsm),
        cmocka_unit_test(loglik_is_the_poisson_mixture),
        cmocka_unit_test(loglik_gradient_matches_finite_differences),
        cmocka_unit_test(bad_series_are_named),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(non_convergence_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
