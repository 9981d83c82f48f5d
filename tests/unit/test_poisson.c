/*
 * test_poisson.c — tests of pricing/core/poisson.c: Poisson weights in log
 * space and the proven tail bounds every Poisson series in the library
 * stops on.
 *
 * References: GSL's gsl_ran_poisson_pdf (exp(k ln μ − ln k! − μ), whose
 * exponent carries ~(k|ln μ| + μ)·ε absolute error, so compared to 8ε times
 * that, up to μ = 1000) and direct
 * sums of the weights in long double. Checked: the weights sum to 1; they
 * match GSL's; the recurrence with its underflow fallback follows the
 * direct weights, and the log-space recurrence their logarithms; each tail
 * bound is an upper bound of the true tail (a direct sum) and not loose by
 * more than the geometric factor; the upper cut meets its tolerance, at
 * means from 1e-3 to 1e5.
 *
 * Internal module: linked from the static library (hidden in the shared one).
 */
#include "poisson.h"

#include <float.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

static const double means[] = { 1e-3, 0.5, 3.0, 22.5, 150.0, 699.0, 1000.0, 2.5e4, 1e5 };
enum { n_means = sizeof means / sizeof means[0] };

/* |got − want| ≤ rtol·|want| + atol, with a message naming the case. */
static void assert_near(double got, double want, double rtol, double atol, double mu, long n)
{
    if (!(fabs(got - want) <= rtol * fabs(want) + atol))
        fail_msg("mu %.17g n %ld: got %.17g, want %.17g", mu, n, got, want);
}

/* The range holding all but ~1e-30 of Poisson(μ)'s mass. */
static void span(double mu, long *lo, long *hi)
{
    const double w = 14.0 * sqrt(mu) + 40.0;
    *lo = mu > w ? (long)(mu - w) : 0;
    *hi = (long)(mu + w);
}

static void weights_sum_to_one(void **state)
{
    (void)state;
    for (int i = 0; i < n_means; i++) {
        long lo, hi;
        span(means[i], &lo, &hi);
        long double sum = 0.0L;
        for (long n = lo; n <= hi; n++)
            sum += lsd_poisson_pmf(n, means[i]);
        assert_near((double)sum, 1.0, 0.0, 1e-13, means[i], hi);
    }
    assert_true(lsd_poisson_pmf(0, 0.0) == 1.0 && lsd_poisson_pmf(3, 0.0) == 0.0);
}

static void weights_match_gsl(void **state)
{
    (void)state;
    for (int i = 0; i < n_means && means[i] <= 1000.0; i++) {
        long lo, hi;
        span(means[i], &lo, &hi);
        for (long n = lo; n <= hi; n++) {
            const double want = gsl_ran_poisson_pdf((unsigned)n, means[i]);
            const double rtol =
                8.0 * DBL_EPSILON * ((double)n * fabs(log(means[i])) + means[i] + 10.0);
            assert_near(lsd_poisson_pmf(n, means[i]), want, rtol, 1e-300, means[i], n);
        }
    }
}

/* k recurrence steps to a weight w: a rounded ratio and a rounded product
 * each, plus the direct weights' few ulps and |ln w|·ε at both ends. */
static double steps_rtol(long k, double w)
{
    return 4.0 * DBL_EPSILON * ((double)k + 8.0 + fabs(log(w)));
}

static void recurrence_follows_the_weights(void **state)
{
    (void)state;
    for (int i = 0; i < n_means; i++) {
        const double mu = means[i];
        long lo, hi;
        span(mu, &lo, &hi);
        const long mode = (long)floor(mu);
        double w = lsd_poisson_pmf(mode, mu);
        for (long n = mode + 1; n <= hi; n++) { /* up, past the underflow */
            w = lsd_poisson_next(w, mu / (double)n, n, mu);
            assert_near(w, lsd_poisson_pmf(n, mu), steps_rtol(n - mode, w), 0.0, mu, n);
        }
        w = lsd_poisson_pmf(mode, mu);
        for (long n = mode - 1; n >= lo && n >= 0; n--) { /* down */
            w = lsd_poisson_next(w, (double)(n + 1) / mu, n, mu);
            assert_near(w, lsd_poisson_pmf(n, mu), steps_rtol(mode - n, w), 0.0, mu, n);
        }
    }
}

/* The log-space recurrence from ln Pois(0; μ) = −μ follows ln of the direct
 * weights within its documented error, Σ_k ε·(|ln w_k| + |ln μ| + ln k), plus
 * the direct weight's few ulps (a few ε in the log) — through the 1e-300 of
 * the far tail, where a product of weights would have underflowed. */
static void log_recurrence_follows_the_log_weights(void **state)
{
    (void)state;
    for (int i = 0; i < n_means && means[i] <= 1000.0; i++) {
        const double mu = means[i], ln_mu = log(mu);
        long lo, hi;
        span(mu, &lo, &hi);
        double ln_w = -mu, err = 0.0;
        for (long n = 1; n <= hi; n++) {
            ln_w = lsd_poisson_log_next(ln_w, ln_mu, n);
            err += DBL_EPSILON * (fabs(ln_w) + fabs(ln_mu) + log((double)n));
            const double w = lsd_poisson_pmf(n, mu);
            if (!(w >= DBL_MIN))
                break;
            assert_near(ln_w, log(w), 0.0, 2.0 * err + 8.0 * DBL_EPSILON * (fabs(ln_w) + 1.0),
                        mu, n);
        }
    }
}

/* Σ_{k>n} Pois(k; μ) and Σ_{k<n} Pois(k; μ), directly in long double. */
static double tail_above(long n, double mu, long hi)
{
    long double s = 0.0L;
    for (long k = hi; k > n; k--)
        s += lsd_poisson_pmf(k, mu);
    return (double)s;
}

static double tail_below(long n, double mu)
{
    long double s = 0.0L;
    for (long k = 0; k < n; k++)
        s += lsd_poisson_pmf(k, mu);
    return (double)s;
}

static void tail_bounds_bound_the_tails(void **state)
{
    (void)state;
    for (int i = 0; i < n_means; i++) {
        const double mu = means[i];
        long lo, hi;
        span(mu, &lo, &hi);
        const long step = mu > 1000.0 ? 97 : 1; /* keep the direct sums quick */
        for (long n = (long)floor(mu); n <= hi; n += step) {
            const double bound = lsd_poisson_tail_above(n, lsd_poisson_pmf(n + 1, mu), mu);
            const double tail = tail_above(n, mu, hi + 200);
            if (!(bound >= tail * (1.0 - 1e-13)))
                fail_msg("mu %g n %ld: upper bound %.17g below the tail %.17g", mu, n, bound,
                         tail);
            /* the bound is the first omitted weight over 1 − μ/(n+2) */
            if (!(bound <= tail * ((double)n + 2.0) / ((double)n + 2.0 - mu) * (1.0 + 1e-13)))
                fail_msg("mu %g n %ld: upper bound %.17g looser than geometric", mu, n, bound);
        }
        for (long n = lo > 0 ? lo : 1; n <= (long)floor(mu); n += step) {
            const double bound = lsd_poisson_tail_below(n, lsd_poisson_pmf(n, mu), mu);
            const double tail = mu > 1000.0 && n < lo ? 0.0 : tail_below(n, mu);
            if (!(bound >= tail * (1.0 - 1e-13)))
                fail_msg("mu %g n %ld: lower bound %.17g below the tail %.17g", mu, n, bound,
                         tail);
        }
        assert_true(lsd_poisson_tail_below(0, 1.0, mu) == 0.0);
    }
    /* no geometric bound on the wrong side of the mode */
    assert_true(lsd_poisson_tail_above(3, 0.1, 10.0) == HUGE_VAL);
    assert_true(lsd_poisson_tail_below(20, 0.1, 10.0) == HUGE_VAL);
}

static void upper_cut_meets_its_tolerance(void **state)
{
    (void)state;
    const double tols[] = { 1e-17, 1e-18 };
    for (int i = 0; i < n_means; i++)
        for (int t = 0; t < 2; t++) {
            const double mu = means[i];
            const long cut = lsd_poisson_upper_cut(mu, tols[t]);
            long lo, hi;
            span(mu, &lo, &hi);
            assert_true(cut >= (long)floor(mu) && cut <= hi);
            assert_true(tail_above(cut, mu, hi + 200) <= tols[t]);
            assert_true(lsd_poisson_tail_above(cut, lsd_poisson_pmf(cut + 1, mu), mu) <= tols[t]);
            if (cut > (long)floor(mu)) /* the smallest such n */
                assert_true(lsd_poisson_tail_above(cut - 1, lsd_poisson_pmf(cut, mu), mu) >
                            tols[t]);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weights_sum_to_one),
        cmocka_unit_test(weights_match_gsl),
        cmocka_unit_test(recurrence_follows_the_weights),
        cmocka_unit_test(log_recurrence_follows_the_log_weights),
        cmocka_unit_test(tail_bounds_bound_the_tails),
        cmocka_unit_test(upper_cut_meets_its_tolerance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
