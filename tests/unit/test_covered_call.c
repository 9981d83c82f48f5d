/*
 * test_covered_call.c — tests of pricing/analytics/covered_call.c: covered
 * calls on a staking token (the law of S_T itself: test_terminal_law.c).
 *
 * Independent values: with λ = 0 the assignment probability is N(d2) of
 * generalized BSM (Haug 2007, §1.1.6), here written out with GSL's normal
 * CDF, under the pricing measure (b = r − q) and a real-world drift μ; the
 * Merton P(S_T > K) agrees with merton.c's rho, which is K T e^{−rT}·P(S_T > K)
 * by its series (Merton 1976, eq. 19, differentiated in r), and with a seeded
 * Monte Carlo of the Merton terminal law (GSL RNG, 200000 paths) within 3
 * standard errors. Invariants: the premium and delta are lsd_model_price's bit for
 * bit; the delta-solved strike gives back its delta to 1e-10; the law's CDF at
 * each reported S_T quantile is the level to 1e-10 and the P&L quantiles are
 * the P&L there; the breakeven has P&L 0 on both pieces of the payoff;
 * the pricing-measure expected P&L is S(e^{rT} − 1); the real-world one
 * matches a BSM expectation written out. Status codes LSD_EINVAL, LSD_EDOM
 * are provoked, with NaN outputs.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

/* The STYLE.md quarter-year stETH case, with depeg jumps. */
static lsd_covered_call_market steth(lsd_model model)
{
    const lsd_covered_call_market m = {
        .model = model,
        .mkt = { .spot = 3000.0, .rate = 0.045, .carry = 0.031, .vol = 0.62 },
        .jumps = { .intensity = 0.8, .mean = -0.12, .vol = 0.08 },
        .expiry = 0.25,
    };
    return m;
}

/* Generalized BSM N(d2) for a drift b (Haug 2007, §1.1.6). */
static double n_d2(double s, double k, double t, double b, double vol)
{
    const double d2 = (log(s / k) + (b - 0.5 * vol * vol) * t) / (vol * sqrt(t));
    return gsl_cdf_ugaussian_P(d2);
}

static void without_jumps_prob_assign_is_n_d2(void **state)
{
    (void)state;
    const lsd_model models[] = { LSD_MODEL_BSM, LSD_MODEL_MERTON };
    const double strikes[] = { 1500.0, 2900.0, 3000.0, 3400.0, 6000.0 };
    for (int i = 0; i < 2; i++) {
        lsd_covered_call_market m = steth(models[i]);
        m.jumps.intensity = 0.0;
        m.real_world = 1;
        m.drift = 0.12;
        for (int j = 0; j < 5; j++) {
            lsd_covered_call cc;
            assert_int_equal(lsd_covered_call_analyse(&m, strikes[j], &cc, NULL), LSD_OK);
            assert_close(cc.prob_assign, n_d2(3000.0, strikes[j], 0.25, 0.045 - 0.031, 0.62),
                         0.0, 1e-12);
            assert_close(cc.prob_assign_real_world, n_d2(3000.0, strikes[j], 0.25, 0.12, 0.62),
                         0.0, 1e-12);
        }
    }
}

static void premium_and_delta_are_lsd_model_price(void **state)
{
    (void)state;
    const lsd_model models[] = { LSD_MODEL_BSM, LSD_MODEL_MERTON };
    for (int i = 0; i < 2; i++) {
        const lsd_covered_call_market m = steth(models[i]);
        const lsd_option call = { LSD_CALL, 3300.0, 0.25 };
        lsd_greeks g;
        lsd_covered_call cc;
        assert_int_equal(lsd_model_price(&call, &m.mkt, MODEL_PARAMS(m.model, &m.jumps), LSD_ENGINE_AUTO, &g, NULL), LSD_OK);
        assert_int_equal(lsd_covered_call_analyse(&m, 3300.0, &cc, NULL), LSD_OK);
        assert_true(cc.premium == g.price);
        assert_true(cc.delta == g.delta);
        assert_close(cc.premium_pct, g.price / 3000.0, 1e-15, 0.0);
        assert_close(cc.premium_yield_annual, g.price / 3000.0 / 0.25, 1e-15, 0.0);
        assert_close(cc.staking_yield, exp(0.031 * 0.25) - 1.0, 1e-12, 0.0);
        assert_close(cc.total_yield, (g.price / 3000.0 + exp(0.031 * 0.25) - 1.0) / 0.25,
                     1e-14, 0.0);
        assert_true(isnan(cc.prob_assign_real_world)); /* no real world asked */
    }
}

/* Merton: P(S_T > K) = rho·e^{rT}/(K T), rho from merton.c's own series. */
static void merton_prob_assign_matches_rho(void **state)
{
    (void)state;
    const lsd_covered_call_market m = steth(LSD_MODEL_MERTON);
    const double strikes[] = { 2000.0, 2800.0, 3200.0, 4500.0 };
    for (int j = 0; j < 4; j++) {
        const lsd_option call = { LSD_CALL, strikes[j], 0.25 };
        lsd_greeks g;
        lsd_covered_call cc;
        assert_int_equal(lsd_merton_price(&call, &m.mkt, &m.jumps, NULL, &g, NULL), LSD_OK);
        assert_int_equal(lsd_covered_call_analyse(&m, strikes[j], &cc, NULL), LSD_OK);
        assert_close(cc.prob_assign, g.rho * exp(0.045 * 0.25) / (strikes[j] * 0.25), 1e-12,
                     1e-14);
    }
}

static void merton_prob_assign_matches_monte_carlo(void **state)
{
    (void)state;
    lsd_covered_call_market m = steth(LSD_MODEL_MERTON);
    m.jumps.intensity = 4.0; /* about one depeg in the quarter: the mixture matters */
    m.real_world = 1;
    m.drift = 0.15;
    m.rw_jumps = (lsd_jumps){ .intensity = 2.0, .mean = -0.2, .vol = 0.1 };
    const double k = 3900.0, t = 0.25, s = 3000.0, vol = 0.62;
    lsd_covered_call cc;
    assert_int_equal(lsd_covered_call_analyse(&m, k, &cc, NULL), LSD_OK);

    /* ln S_T = ln S + (b − λκ − σ²/2)T + σ√T Z + Σ_{i≤N} Y_i, N ~ Poisson(λT) */
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20260321UL);
    const int paths = 200000;
    const struct { double b; lsd_jumps j; double want; } laws[2] = {
        { 0.045 - 0.031, m.jumps, cc.prob_assign },
        { 0.15, m.rw_jumps, cc.prob_assign_real_world },
    };
    for (int l = 0; l < 2; l++) {
        const lsd_jumps *j = &laws[l].j;
        const double kappa = exp(j->mean + 0.5 * j->vol * j->vol) - 1.0;
        const double mean0 = log(s) + (laws[l].b - j->intensity * kappa - 0.5 * vol * vol) * t;
        long hits = 0;
        for (int i = 0; i < paths; i++) {
            const unsigned n = gsl_ran_poisson(rng, j->intensity * t);
            double x = mean0 + vol * sqrt(t) * gsl_ran_ugaussian(rng);
            for (unsigned c = 0; c < n; c++)
                x += j->mean + gsl_ran_gaussian(rng, j->vol);
            hits += x > log(k);
        }
        const double p = (double)hits / paths;
        const double se = sqrt(p * (1.0 - p) / paths);
        assert_true(fabs(p - laws[l].want) < 3.0 * se);
        /* and the jumps move it away from no-jump N(d2) by far more than that */
        assert_true(fabs(laws[l].want - n_d2(s, k, t, laws[l].b, vol)) > 10.0 * se);
    }
    gsl_rng_free(rng);
}

static void strike_for_delta_gives_back_its_delta(void **state)
{
    (void)state;
    const lsd_model models[] = { LSD_MODEL_BSM, LSD_MODEL_MERTON };
    const double deltas[] = { 0.01, 0.05, 0.10, 0.25, 0.50, 0.90 };
    for (int i = 0; i < 2; i++) {
        const lsd_covered_call_market m = steth(models[i]);
        for (int j = 0; j < 6; j++) {
            double k;
            assert_int_equal(lsd_covered_call_strike_for_delta(&m, deltas[j], &k, NULL), LSD_OK);
            const lsd_option call = { LSD_CALL, k, 0.25 };
            lsd_greeks g;
            assert_int_equal(lsd_model_price(&call, &m.mkt, MODEL_PARAMS(m.model, &m.jumps), LSD_ENGINE_AUTO, &g, NULL), LSD_OK);
            assert_close(g.delta, deltas[j], 0.0, 1e-10);
        }
    }
}

static void quantiles_invert_the_law(void **state)
{
    (void)state;
    lsd_covered_call_market m = steth(LSD_MODEL_MERTON);
    m.real_world = 1;
    m.drift = 0.08;
    m.rw_jumps = (lsd_jumps){ .intensity = 3.0, .mean = -0.15, .vol = 0.05 };
    lsd_covered_call cc;
    assert_int_equal(lsd_covered_call_analyse(&m, 3300.0, &cc, NULL), LSD_OK);
    lsd_terminal_law q, p;
    assert_int_equal(lsd_terminal_law_init(&m.mkt, 0.25, 0.045 - 0.031, &m.jumps, &q, NULL),
                     LSD_OK);
    assert_int_equal(lsd_terminal_law_init(&m.mkt, 0.25, 0.08, &m.rw_jumps, &p, NULL), LSD_OK);
    const double levels[3] = { 0.05, 0.5, 0.95 };
    const double sq[3] = { cc.spot_q05, cc.spot_q50, cc.spot_q95 };
    const double pq[3] = { cc.pnl_q05, cc.pnl_q50, cc.pnl_q95 };
    const double sr[3] = { cc.spot_q05_real_world, cc.spot_q50_real_world,
                           cc.spot_q95_real_world };
    const double pr[3] = { cc.pnl_q05_real_world, cc.pnl_q50_real_world,
                           cc.pnl_q95_real_world };
    for (int i = 0; i < 3; i++) {
        double cdf, sf;
        assert_int_equal(lsd_terminal_law_cdf(&q, sq[i], &cdf, &sf, NULL), LSD_OK);
        assert_close(cdf, levels[i], 0.0, 1e-10);
        assert_close(cdf + sf, 1.0, 0.0, 1e-14);
        assert_int_equal(lsd_terminal_law_cdf(&p, sr[i], &cdf, NULL, NULL), LSD_OK);
        assert_close(cdf, levels[i], 0.0, 1e-10);
        assert_close(pq[i], lsd_covered_call_pnl(&m, 3300.0, cc.premium, sq[i]), 1e-15, 0.0);
        assert_close(pr[i], lsd_covered_call_pnl(&m, 3300.0, cc.premium, sr[i]), 1e-15, 0.0);
    }
    assert_true(cc.pnl_q05 < cc.pnl_q50 && cc.pnl_q50 <= cc.pnl_q95);
}

static void breakeven_has_zero_pnl(void **state)
{
    (void)state;
    lsd_covered_call_market m = steth(LSD_MODEL_MERTON);
    lsd_covered_call cc;
    /* out of the money: the breakeven lies below K */
    assert_int_equal(lsd_covered_call_analyse(&m, 3400.0, &cc, NULL), LSD_OK);
    assert_true(cc.breakeven < 3400.0);
    assert_close(lsd_covered_call_pnl(&m, 3400.0, cc.premium, cc.breakeven), 0.0, 0.0, 1e-12);
    assert_close(cc.return_if_called * 3000.0,
                 exp(0.031 * 0.25) * 3400.0 - 3000.0 + cc.premium * exp(0.045 * 0.25), 1e-14,
                 0.0);
    /* deep in the money with carry above the rate: a loss if called, recovered
     * above K by the uncovered carry tokens */
    m.model = LSD_MODEL_BSM;
    m.mkt.rate = 0.0;
    m.mkt.carry = 0.05;
    m.expiry = 1.0;
    assert_int_equal(lsd_covered_call_analyse(&m, 1000.0, &cc, NULL), LSD_OK);
    assert_true(cc.breakeven > 1000.0);
    assert_true(cc.return_if_called < 0.0);
    assert_close(lsd_covered_call_pnl(&m, 1000.0, cc.premium, cc.breakeven), 0.0, 0.0, 1e-11);
}

static void expected_pnl_from_the_law(void **state)
{
    (void)state;
    lsd_covered_call_market m = steth(LSD_MODEL_MERTON);
    m.real_world = 1;
    m.drift = 0.2;
    m.rw_jumps.intensity = 0.0;
    lsd_covered_call cc;
    assert_int_equal(lsd_covered_call_analyse(&m, 3300.0, &cc, NULL), LSD_OK);
    /* pricing measure: the hedge-free position earns the rate on S on average */
    assert_close(cc.expected_pnl, 3000.0 * expm1(0.045 * 0.25), 1e-11, 0.0);
    /* real world without jumps: E[(S_T − K)^+] = F N(d1) − K N(d2), F = S e^{μT} */
    const double f = 3000.0 * exp(0.2 * 0.25), sd = 0.62 * 0.5;
    const double d1 = log(f / 3300.0) / sd + 0.5 * sd;
    const double ec = f * gsl_cdf_ugaussian_P(d1) - 3300.0 * gsl_cdf_ugaussian_P(d1 - sd);
    assert_close(cc.expected_pnl_real_world,
                 exp(0.031 * 0.25) * f - 3000.0 + cc.premium * exp(0.045 * 0.25) - ec, 1e-11,
                 0.0);
}

static void bad_inputs_fail_with_nan(void **state)
{
    (void)state;
    lsd_covered_call_market m = steth(LSD_MODEL_BSM);
    lsd_covered_call cc;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_covered_call_analyse(NULL, 3000.0, &cc, &diag), LSD_EINVAL);
    assert_int_equal(lsd_covered_call_analyse(&m, NAN, &cc, &diag), LSD_EDOM);
    assert_true(isnan(cc.premium) && isnan(cc.prob_assign) && isnan(cc.pnl_q95));
    m.mkt.carry = -0.01;
    assert_int_equal(lsd_covered_call_analyse(&m, 3000.0, &cc, &diag), LSD_EDOM);
    assert_true(isnan(cc.breakeven));
    m.mkt.carry = 0.031;
    m.real_world = 1;
    m.drift = INFINITY;
    assert_int_equal(lsd_covered_call_analyse(&m, 3000.0, &cc, &diag), LSD_EDOM);
    assert_true(isnan(cc.premium));
    double k;
    assert_int_equal(lsd_covered_call_strike_for_delta(&m, 0.0, &k, &diag), LSD_EDOM);
    assert_true(isnan(k));
    assert_int_equal(lsd_covered_call_strike_for_delta(&m, exp(-0.031 * 0.25), &k, &diag),
                     LSD_EDOM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_jumps_prob_assign_is_n_d2),
        cmocka_unit_test(premium_and_delta_are_lsd_model_price),
        cmocka_unit_test(merton_prob_assign_matches_rho),
        cmocka_unit_test(merton_prob_assign_matches_monte_carlo),
        cmocka_unit_test(strike_for_delta_gives_back_its_delta),
        cmocka_unit_test(quantiles_invert_the_law),
        cmocka_unit_test(breakeven_has_zero_pnl),
        cmocka_unit_test(expected_pnl_from_the_law),
        cmocka_unit_test(bad_inputs_fail_with_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
