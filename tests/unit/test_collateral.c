/*
 * test_collateral.c — pricing/analytics/collateral.c: liquidation probability
 * of an LSD-collateralised borrow.
 *
 * Closed forms are checked against values computed here from first
 * principles (the reflection principle at zero drift, Poisson sums written
 * out), and the Monte Carlo against the closed forms within 3 standard
 * errors (plus, for the continuous-monitoring formula, the size of the
 * Broadie–Glasserman–Kou monitoring correction, which is the first-order
 * bias of a discretely monitored barrier). Deterministic cases are exact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <lsdopt/lsdopt.h>
#include "testutil.h"

#include <math.h>
#include <string.h>

/* A wstETH/WETH loop: 100 wstETH at 1.19 WETH, 105 WETH debt, LT 0.95. */
static lsd_collateral loop(lsd_collateral_oracle oracle)
{
    return (lsd_collateral){ .oracle = oracle, .tokens = 100.0, .debt = 105.0, .spot = 1.19,
                             .liquidation_threshold = 0.95, .liquidation_bonus = 0.05,
                             .borrow_rate = 0.025, .staking_yield = 0.03, .horizon = 1.0 };
}

static const lsd_collateral_dynamics calm = { .drift = 0.03, .vol = 0.05, .rate = 0.025 };

static double phi_cdf(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

static double poisson_pmf(unsigned k, double mean)
{
    return exp(-mean + k * log(mean) - lgamma(k + 1.0));
}

static void market_zero_drift_is_the_reflection_principle(void **state)
{
    (void)state;
    lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_MARKET);
    lsd_collateral_dynamics dyn = calm;
    /* ν = μ − σ²/2 − r_b = 0: P(min < 0) = 2Φ(−x0/(σ√T)). */
    dyn.drift = 0.5 * dyn.vol * dyn.vol + pos.borrow_rate;
    const lsd_collateral_mc mc = { .monitor = 1.0 / 365.0, .paths = 2, .seed = 1 };
    lsd_collateral_risk r;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    const double x0 = log(100.0 * 1.19 * 0.95 / 105.0);
    assert_close(r.health, 100.0 * 1.19 * 0.95 / 105.0, 1e-15, 0.0);
    assert_close(r.prob_analytic, 2.0 * phi_cdf(-x0 / 0.05), 1e-12, 0.0);
    /* BGK: the barrier moved by 0.5826 σ √Δt. */
    assert_close(r.prob_analytic_monitored,
                 2.0 * phi_cdf(-(x0 + 0.5825971579390106 * 0.05 * sqrt(1.0 / 365.0)) / 0.05),
                 1e-12, 0.0);
}

static void market_mc_agrees_with_bgk_at_daily_monitoring(void **state)
{
    (void)state;
    const lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_MARKET);
    const lsd_collateral_mc mc = { .monitor = 1.0 / 365.0, .paths = 100000, .seed = 7 };
    lsd_collateral_risk r;
    assert_int_equal(lsd_collateral_assess(&pos, &calm, &mc, &r, NULL), LSD_OK);
    assert_true(r.prob_mc > 0.05 && r.prob_mc < 0.5);
    assert_true(fabs(r.prob_mc - r.prob_analytic_monitored) < 3.0 * r.prob_mc_se);
    /* Daily checks miss crossings: the continuous probability is larger. */
    assert_true(r.prob_analytic > r.prob_analytic_monitored);
}

static void market_mc_with_fine_steps_agrees_with_continuous(void **state)
{
    (void)state;
    lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_MARKET);
    pos.horizon = 0.25;
    lsd_collateral_dynamics dyn = calm;
    dyn.vol = 0.08;
    /* Hourly checks: the BGK shift is 0.5826·σ·√Δt; the band adds the
     * first-order monitoring bias |continuous − BGK| to 3 standard errors. */
    const lsd_collateral_mc mc = { .monitor = 1.0 / (365.0 * 24.0), .paths = 20000, .seed = 3 };
    lsd_collateral_risk r;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    const double bias = fabs(r.prob_analytic - r.prob_analytic_monitored);
    assert_true(bias < 0.01);
    assert_true(fabs(r.prob_mc - r.prob_analytic) < 3.0 * r.prob_mc_se + bias);
}

static void market_zero_vol_is_deterministic(void **state)
{
    (void)state;
    lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_MARKET);
    pos.horizon = 5.0;
    lsd_collateral_dynamics dyn = calm;
    dyn.vol = 0.0;
    dyn.drift = 0.0; /* the health factor falls at r_b */
    const lsd_collateral_mc mc = { .monitor = 1.0 / 365.0, .paths = 50, .seed = 1 };
    lsd_collateral_risk r;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    const double t_star = log(r.health) / 0.025;
    assert_close(r.liquidation_time, t_star, 1e-14, 0.0);
    assert_close(r.prob_analytic, 1.0, 0.0, 0.0);
    assert_close(r.prob_mc, 1.0, 0.0, 0.0);
    assert_close(r.prob_mc_se, 0.0, 0.0, 0.0);
    /* Seen at the first daily check after t*: penalty 5% of the debt then. */
    const double seen = ceil(t_star * 365.0) / 365.0;
    assert_close(r.loss_given_liquidation, 0.05 * 105.0 * exp(0.025 * seen), 1e-12, 0.0);
    assert_true(isnan(r.put_price)); /* BSM needs vol > 0 */
    pos.horizon = 0.99 * t_star;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    assert_close(r.prob_analytic, 0.0, 0.0, 0.0);
    assert_close(r.prob_mc, 0.0, 0.0, 0.0);
    assert_close(r.expected_loss, 0.0, 0.0, 0.0);
}

static void exchange_rate_ignores_depegs_and_liquidates_on_time(void **state)
{
    (void)state;
    lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_EXCHANGE_RATE);
    pos.borrow_rate = 0.06; /* above the staking yield */
    pos.horizon = 3.0;
    lsd_collateral_dynamics dyn = calm;
    dyn.jumps = (lsd_jumps){ .intensity = 5.0, .mean = -0.3, .vol = 0.1 };
    const lsd_collateral_mc mc = { .monitor = 1.0 / 365.0, .paths = 1000, .seed = 1 };
    lsd_collateral_risk r;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    const double t_star = log(100.0 * 1.19 * 0.95 / 105.0) / (0.06 - 0.03);
    assert_close(r.liquidation_time, t_star, 1e-14, 0.0);
    assert_close(r.prob_analytic, 1.0, 0.0, 0.0);
    assert_close(r.prob_mc, 1.0, 0.0, 0.0);
    pos.horizon = t_star - 1e-6;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    assert_close(r.prob_analytic, 0.0, 0.0, 0.0);
    assert_close(r.prob_mc, 0.0, 0.0, 0.0);
    /* y ≥ r_b without slashing: never. */
    pos.borrow_rate = 0.02;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    assert_true(isinf(r.liquidation_time));
    assert_close(r.prob_mc, 0.0, 0.0, 0.0);
}

static void exchange_rate_slashing_is_a_poisson_tail(void **state)
{
    (void)state;
    lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_EXCHANGE_RATE);
    pos.borrow_rate = 0.035; /* a = y − r_b < 0 */
    lsd_collateral_dynamics dyn = calm;
    dyn.slashing_intensity = 2.0;
    dyn.slashing_loss = 0.01;
    const lsd_collateral_mc mc = { .monitor = 1.0 / 365.0, .paths = 50000, .seed = 11 };
    lsd_collateral_risk r;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    /* Events needed at T: more than b(T) = (x0 + aT)/c. */
    const double x0 = log(r.health), c = -log(0.99);
    const unsigned need = (unsigned)floor((x0 - 0.005) / c) + 1;
    double below = 0.0;
    for (unsigned k = 0; k < need; k++)
        below += poisson_pmf(k, 2.0);
    assert_close(r.prob_analytic, 1.0 - below, 1e-10, 0.0);
    assert_close(r.prob_analytic_monitored, r.prob_analytic, 0.0, 0.0);
    assert_true(fabs(r.prob_mc - r.prob_analytic) < 3.0 * r.prob_mc_se);
}

static void exchange_rate_slashing_with_recovery_by_hand(void **state)
{
    (void)state;
    /* a = y − r_b > 0, one event liquidates at first (x0 < c), two after
     * s1 = (c − x0)/a, three only after s2 = (2c − x0)/a > T. Checks every
     * 0.2 days: a crossing missed by monitoring needs the health to recover
     * within 0.2 days, a bias ≈ p·Δt·a/c ~ 5e-4·p, far inside the band. */
    lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_EXCHANGE_RATE);
    pos.debt = 119.0 * 0.95 / 1.015; /* health 1.015 */
    pos.borrow_rate = 0.0;
    pos.staking_yield = 0.02;
    pos.horizon = 1.0;
    lsd_collateral_dynamics dyn = calm;
    dyn.slashing_intensity = 1.5;
    dyn.slashing_loss = 0.02;
    const lsd_collateral_mc mc = { .monitor = 0.2 / 365.0, .paths = 40000, .seed = 5 };
    lsd_collateral_risk r;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    const double x0 = log(r.health), c = -log(0.98), a = 0.02;
    const double s1 = (c - x0) / a, s2 = (2.0 * c - x0) / a;
    assert_true(s1 > 0.0 && s1 < 1.0 && s2 > 1.0);
    const double m1 = 1.5 * s1, m2 = 1.5 * (1.0 - s1);
    const double want = (1.0 - exp(-m1)) + exp(-m1) * (1.0 - exp(-m2) * (1.0 + m2));
    assert_close(r.prob_analytic, want, 1e-12, 0.0);
    assert_true(fabs(r.prob_mc - r.prob_analytic) < 3.0 * r.prob_mc_se);
    assert_true(isnan(r.prob_analytic_monitored));
}

static void exchange_rate_recursion_agrees_with_mc_over_many_intervals(void **state)
{
    (void)state;
    lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_EXCHANGE_RATE);
    pos.borrow_rate = 0.02;
    pos.horizon = 2.0;
    lsd_collateral_dynamics dyn = calm;
    dyn.slashing_intensity = 3.0;
    dyn.slashing_loss = 0.02;
    const lsd_collateral_mc mc = { .monitor = 0.5 / 365.0, .paths = 40000, .seed = 2 };
    lsd_collateral_risk r;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    assert_true(r.prob_analytic > 0.1 && r.prob_analytic < 0.9);
    assert_true(fabs(r.prob_mc - r.prob_analytic) < 3.0 * r.prob_mc_se);
}

static void put_strike_makes_the_horizon_safe(void **state)
{
    (void)state;
    const lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_MARKET);
    lsd_collateral_dynamics dyn = calm;
    dyn.jumps = (lsd_jumps){ .intensity = 0.5, .mean = -0.05, .vol = 0.03 };
    const lsd_collateral_mc mc = { .monitor = 1.0 / 365.0, .paths = 1000, .seed = 1 };
    lsd_collateral_risk r;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    /* At P_T = K the covered position is exactly at health 1. */
    assert_close(100.0 * r.put_strike * 0.95, 105.0 * exp(0.025), 1e-15, 0.0);
    const lsd_option put = { .type = LSD_PUT, .strike = r.put_strike, .expiry = 1.0 };
    const lsd_market mkt = { .spot = 1.19, .rate = 0.025, .carry = 0.0, .vol = 0.05 };
    lsd_greeks g;
    assert_int_equal(lsd_merton_price(&put, &mkt, &dyn.jumps, NULL, &g, NULL), LSD_OK);
    assert_close(r.put_price, g.price, 1e-15, 0.0);
    assert_close(r.put_cost, 100.0 * g.price, 1e-15, 0.0);
    assert_int_equal(r.put_model, LSD_MODEL_MERTON);
    assert_true(isnan(r.prob_analytic)); /* jumps: Monte Carlo only */
    assert_true(r.expected_loss > 0.0);
    /* Without jumps the put is BSM's, and says so. */
    dyn.jumps.intensity = 0.0;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_OK);
    assert_int_equal(lsd_bsm_price(&put, &mkt, &g, NULL), LSD_OK);
    assert_close(r.put_price, g.price, 1e-15, 0.0);
    assert_int_equal(r.put_model, LSD_MODEL_BSM);
}

/* The default dynamics: drift = staking yield, the put's rate = the borrow
 * rate, everything else zero; with a vol set they assess like the same
 * numbers written out. */
static void default_dynamics_follow_the_position(void **state)
{
    (void)state;
    const lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_MARKET);
    lsd_collateral_dynamics dyn = lsd_collateral_dynamics_from_position(&pos);
    assert_true(dyn.drift == pos.staking_yield && dyn.rate == pos.borrow_rate);
    assert_true(dyn.vol == 0.0 && dyn.carry == 0.0 && dyn.slashing_intensity == 0.0 &&
                dyn.slashing_loss == 0.0 && dyn.jumps.intensity == 0.0 &&
                dyn.jumps.mean == 0.0 && dyn.jumps.vol == 0.0);
    dyn.vol = calm.vol;
    const lsd_collateral_mc mc = { .monitor = 1.0 / 365.0, .paths = 1000, .seed = 3 };
    lsd_collateral_risk a, b;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &a, NULL), LSD_OK);
    assert_int_equal(lsd_collateral_assess(&pos, &calm, &mc, &b, NULL), LSD_OK);
    assert_true(a.prob_analytic == b.prob_analytic && a.put_price == b.put_price &&
                a.paths_liquidated == b.paths_liquidated);
    /* No position: NaN defaults, which assess refuses. */
    dyn = lsd_collateral_dynamics_from_position(NULL);
    assert_true(isnan(dyn.drift) && isnan(dyn.rate));
    dyn.vol = calm.vol;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &a, NULL), LSD_EDOM);
}

static void same_seed_same_numbers(void **state)
{
    (void)state;
    const lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_MARKET);
    lsd_collateral_mc mc = { .monitor = 1.0 / 365.0, .paths = 5000, .seed = 42 };
    lsd_collateral_risk a, b, c;
    assert_int_equal(lsd_collateral_assess(&pos, &calm, &mc, &a, NULL), LSD_OK);
    assert_int_equal(lsd_collateral_assess(&pos, &calm, &mc, &b, NULL), LSD_OK);
    mc.seed = 43;
    assert_int_equal(lsd_collateral_assess(&pos, &calm, &mc, &c, NULL), LSD_OK);
    assert_int_equal(a.paths_liquidated, b.paths_liquidated);
    assert_true(a.loss_given_liquidation == b.loss_given_liquidation);
    assert_true(a.paths_liquidated != c.paths_liquidated);
}

static void bad_inputs_fail_with_nan(void **state)
{
    (void)state;
    const lsd_collateral_mc mc = { .monitor = 1.0 / 365.0, .paths = 100, .seed = 1 };
    lsd_collateral_risk r;
    lsd_diag diag = { "" };
    lsd_collateral pos = loop(LSD_COLLATERAL_ORACLE_MARKET);
    pos.debt = 120.0; /* health 0.942: already liquidatable */
    assert_int_equal(lsd_collateral_assess(&pos, &calm, &mc, &r, &diag), LSD_EDOM);
    assert_true(isnan(r.health) && isnan(r.prob_mc) && isnan(r.put_strike));
    assert_non_null(strstr(diag.message, "already liquidatable"));
    pos = loop(LSD_COLLATERAL_ORACLE_MARKET);
    pos.liquidation_threshold = 1.2;
    assert_int_equal(lsd_collateral_assess(&pos, &calm, &mc, &r, NULL), LSD_EDOM);
    pos = loop(LSD_COLLATERAL_ORACLE_MARKET);
    pos.horizon = NAN;
    assert_int_equal(lsd_collateral_assess(&pos, &calm, &mc, &r, NULL), LSD_EDOM);
    pos = loop(LSD_COLLATERAL_ORACLE_MARKET);
    lsd_collateral_dynamics dyn = calm;
    dyn.slashing_loss = 1.0;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_EDOM);
    dyn = calm;
    dyn.vol = -0.1;
    assert_int_equal(lsd_collateral_assess(&pos, &dyn, &mc, &r, NULL), LSD_EDOM);
    lsd_collateral_mc few = mc;
    few.paths = 1;
    assert_int_equal(lsd_collateral_assess(&pos, &calm, &few, &r, NULL), LSD_EDOM);
    few = mc;
    few.monitor = 0.0;
    assert_int_equal(lsd_collateral_assess(&pos, &calm, &few, &r, NULL), LSD_EDOM);
    pos.oracle = (lsd_collateral_oracle)7;
    assert_int_equal(lsd_collateral_assess(&pos, &calm, &mc, &r, NULL), LSD_EINVAL);
    assert_int_equal(lsd_collateral_assess(NULL, &calm, &mc, &r, NULL), LSD_EINVAL);
    assert_true(isnan(r.prob_analytic));
    lsd_collateral_oracle o;
    assert_int_equal(lsd_collateral_oracle_parse("Exchange-Rate", &o, NULL), LSD_OK);
    assert_int_equal(o, LSD_COLLATERAL_ORACLE_EXCHANGE_RATE);
    assert_int_equal(lsd_collateral_oracle_parse("chainlink", &o, NULL), LSD_EPARSE);
    assert_string_equal(lsd_collateral_oracle_name(LSD_COLLATERAL_ORACLE_MARKET), "market");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(market_zero_drift_is_the_reflection_principle),
        cmocka_unit_test(market_mc_agrees_with_bgk_at_daily_monitoring),
        cmocka_unit_test(market_mc_with_fine_steps_agrees_with_continuous),
        cmocka_unit_test(market_zero_vol_is_deterministic),
        cmocka_unit_test(exchange_rate_ignores_depegs_and_liquidates_on_time),
        cmocka_unit_test(exchange_rate_slashing_is_a_poisson_tail),
        cmocka_unit_test(exchange_rate_slashing_with_recovery_by_hand),
        cmocka_unit_test(exchange_rate_recursion_agrees_with_mc_over_many_intervals),
        cmocka_unit_test(put_strike_makes_the_horizon_safe),
        cmocka_unit_test(default_dynamics_follow_the_position),
        cmocka_unit_test(same_seed_same_numbers),
        cmocka_unit_test(bad_inputs_fail_with_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
