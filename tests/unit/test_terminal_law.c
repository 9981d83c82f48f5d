/*
 * test_terminal_law.c — tests of pricing/models/terminal_law.c: the law of
 * ln S_T under Merton jump-diffusion with a drift, through the public API.
 *
 * Independent values: without jumps the median of S_T is S e^{(b − σ²/2)T}
 * (log-normal); with jumps the CDF is checked against the mixture summed
 * directly, 2000 terms with GSL's gsl_ran_poisson_pdf and normal CDF (no
 * log space, no tail bound), at λT from 0.05 to 300; the quantile is
 * checked to invert the CDF in both tails. Status codes LSD_EINVAL,
 * LSD_EDOM are provoked, with NaN outputs.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

static const lsd_market eth = { .spot = 3000.0, .rate = 0.045, .carry = 0.031, .vol = 0.62 };

static void without_jumps_the_median_is_lognormal(void **state)
{
    (void)state;
    lsd_terminal_law bs;
    double med;
    assert_int_equal(lsd_terminal_law_init(&eth, 0.25, 0.014, NULL, &bs, NULL), LSD_OK);
    assert_int_equal(lsd_terminal_law_quantile(&bs, 0.5, &med, NULL), LSD_OK);
    assert_close(med, 3000.0 * exp((0.014 - 0.5 * 0.62 * 0.62) * 0.25), 1e-14, 0.0);
}

/* P(S_T ≤ s) as Σ_n Pois(n; λT) N(z_n), 2000 terms, no tail bound. */
static double direct_cdf(const lsd_terminal_law *law, double s)
{
    double sum = 0.0;
    for (unsigned n = 0; n < 2000; n++) {
        const double mean = law->log_mean0 + n * law->jump_mean;
        const double sd = sqrt(law->var0 + n * law->jump_var);
        sum += gsl_ran_poisson_pdf(n, law->jump_count) * gsl_cdf_ugaussian_P((log(s) - mean) / sd);
    }
    return sum;
}

static void cdf_is_the_poisson_mixture(void **state)
{
    (void)state;
    const double intensity[] = { 0.2, 4.0, 80.0, 1200.0 }; /* λT = 0.05 … 300 */
    for (size_t i = 0; i < sizeof intensity / sizeof intensity[0]; i++) {
        const lsd_jumps j = { intensity[i], -0.01, 0.02 };
        lsd_terminal_law law;
        assert_int_equal(lsd_terminal_law_init(&eth, 0.25, 0.014, &j, &law, NULL), LSD_OK);
        assert_close(law.jump_count, intensity[i] * 0.25, 1e-15, 0.0);
        for (double s = 1500.0; s <= 6000.0; s *= 1.25) {
            double cdf, sf;
            assert_int_equal(lsd_terminal_law_cdf(&law, s, &cdf, &sf, NULL), LSD_OK);
            assert_close(cdf, direct_cdf(&law, s), 1e-12, 1e-15);
            assert_close(cdf + sf, 1.0, 0.0, 1e-14);
        }
    }
}

static void quantile_inverts_the_cdf_in_both_tails(void **state)
{
    (void)state;
    const lsd_jumps j = { 20.0, -0.03, 0.05 };
    lsd_terminal_law law;
    assert_int_equal(lsd_terminal_law_init(&eth, 0.5, 0.08, &j, &law, NULL), LSD_OK);
    const double levels[] = { 1e-9, 0.05, 0.5, 0.95, 1.0 - 1e-9 };
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        double s, cdf, sf;
        assert_int_equal(lsd_terminal_law_quantile(&law, levels[i], &s, NULL), LSD_OK);
        assert_int_equal(lsd_terminal_law_cdf(&law, s, &cdf, &sf, NULL), LSD_OK);
        if (levels[i] <= 0.5)
            assert_close(cdf, levels[i], 1e-12, 0.0);
        else
            assert_close(sf, 1.0 - levels[i], 1e-6, 0.0);
    }
}

static void bad_inputs_fail_with_nan(void **state)
{
    (void)state;
    lsd_diag diag = { "" };
    lsd_terminal_law law;
    assert_int_equal(lsd_terminal_law_init(NULL, 0.25, 0.0, NULL, &law, &diag), LSD_EINVAL);
    assert_int_equal(lsd_terminal_law_init(&eth, 0.25, INFINITY, NULL, &law, &diag), LSD_EDOM);
    assert_true(isnan(law.log_mean0) && isnan(law.jump_count));
    assert_int_equal(lsd_terminal_law_init(&eth, 0.25, 0.0, NULL, &law, &diag), LSD_OK);
    double s;
    assert_int_equal(lsd_terminal_law_quantile(&law, 1.0, &s, &diag), LSD_EDOM);
    assert_true(isnan(s));
    double cdf, sf;
    assert_int_equal(lsd_terminal_law_cdf(&law, -1.0, &cdf, &sf, &diag), LSD_EDOM);
    assert_true(isnan(cdf) && isnan(sf));
    assert_int_equal(lsd_terminal_law_cdf(NULL, 1.0, &cdf, &sf, &diag), LSD_EINVAL);
    assert_int_equal(lsd_terminal_law_cdf(&law, 0.0, &cdf, &sf, &diag), LSD_OK);
    assert_true(cdf == 0.0 && sf == 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_jumps_the_median_is_lognormal),
        cmocka_unit_test(cdf_is_the_poisson_mixture),
        cmocka_unit_test(quantile_inverts_the_cdf_in_both_tails),
        cmocka_unit_test(bad_inputs_fail_with_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
