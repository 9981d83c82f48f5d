/*
 * test_hedge.c — tests of pricing/analytics/hedge.c: protective-put stress
 * rows, expected depeg loss, the put's cost against the staking yield,
 * zero-cost collar, minimum-variance hedge ratio and the Monte Carlo of the
 * hedging error.
 *
 * Independent computations here: the expected depeg loss as a direct
 * Poisson sum Σ Pois(n; λT)(1+κ)^n; the jump integrals of Δ_MV (Cont &
 * Tankov 2004, §10.4.2) by a composite trapezoid rule on a fine grid in
 * x = (z − μ_J)/δ (exponentially accurate for a smooth integrand times a
 * Gaussian), with C from lsd_merton_price; the collar legs repriced with
 * lsd_merton_price / lsd_bsm_price. Invariants: Δ_MV = BSM delta when
 * λ = 0; the numeric ∫(e^z−1)²ν equals its closed form; a seed reproduces
 * the simulation bit for bit; without jumps the hedging error shrinks like
 * √Δt (Bertsimas, Kogan & Lo, J. Financial Economics 55 (2000) 173–204;
 * Derman & Kamal, "When you cannot hedge continuously", Risk 1999).
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <gsl/gsl_math.h>
#include <math.h>
#include <string.h>

static const lsd_market eth = { .spot = 3000.0, .rate = 0.045, .carry = 0.03, .vol = 0.6 };
static const lsd_jumps depeg = { .intensity = 0.5, .mean = -0.1, .vol = 0.05 };
/* stETH/ETH, lsdopt estimate on the Chainlink oracle (README). */
static const lsd_market steth = { .spot = 0.999, .rate = 0.02, .carry = 0.0299988, .vol = 0.0167646 };
static const lsd_jumps steth_jumps = { .intensity = 74.2357, .mean = -0.000502039,
                                       .vol = 0.0073393 };

static double merton(const lsd_option *opt, const lsd_market *mkt, const lsd_jumps *j)
{
    lsd_greeks g;
    assert_int_equal(lsd_merton_price(opt, mkt, j, NULL, &g, NULL), LSD_OK);
    return g.price;
}

static void mv_delta_is_bsm_delta_without_jumps(void **state)
{
    (void)state;
    const lsd_jumps none = { .intensity = 0.0, .mean = -0.1, .vol = 0.05 };
    for (int t = 0; t < 2; t++) {
        const lsd_option opt = { .type = t ? LSD_PUT : LSD_CALL, .strike = 2700.0,
                                 .expiry = 0.25 };
        lsd_greeks g;
        lsd_hedge_ratio h;
        assert_int_equal(lsd_bsm_price(&opt, &eth, &g, NULL), LSD_OK);
        assert_int_equal(lsd_hedge_mv_delta(&opt, &eth, &none, &h, NULL), LSD_OK);
        assert_close(h.mv_delta, g.delta, 1e-12, 0.0);
        assert_close(h.bsm_delta, g.delta, 0.0, 0.0);
        assert_close(h.jump_var, 0.0, 0.0, 0.0);
    }
}

/* ∫(e^z−1)²ν by quadrature against λ(e^{2μ+2δ²} − 2e^{μ+δ²/2} + 1). */
static void jump_variance_quadrature_matches_closed_form(void **state)
{
    (void)state;
    const lsd_jumps cases[] = { { 0.5, -0.1, 0.05 }, { 74.2357, -0.000502039, 0.0073393 },
                                { 2.0, -0.3, 0.4 }, { 1.0, 0.2, 1.0 }, { 3.0, -0.2, 0.0 } };
    const lsd_option put = { .type = LSD_PUT, .strike = 2700.0, .expiry = 0.5 };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const lsd_jumps *j = &cases[i];
        const double closed = j->intensity * (exp(2.0 * j->mean + 2.0 * j->vol * j->vol) -
                                              2.0 * exp(j->mean + 0.5 * j->vol * j->vol) + 1.0);
        lsd_hedge_ratio h;
        assert_int_equal(lsd_hedge_mv_delta(&put, &eth, j, &h, NULL), LSD_OK);
        assert_close(h.jump_var, closed, 1e-15, 0.0);
        assert_close(h.jump_var_numeric, closed, 1e-9, 0.0);
    }
}

/* Δ_MV with the jump covariance by a trapezoid rule written here. */
static double mv_delta_trapezoid(const lsd_option *opt, const lsd_market *mkt,
                                 const lsd_jumps *j)
{
    lsd_greeks g;
    assert_int_equal(lsd_merton_price(opt, mkt, j, NULL, &g, NULL), LSD_OK);
    const int n = 4000;
    const double a = -14.0, b = 14.0, h = (b - a) / n;
    double cov = 0.0;
    lsd_market m = *mkt;
    for (int k = 0; k <= n; k++) {
        const double x = a + k * h, z = j->mean + j->vol * x;
        m.spot = mkt->spot * exp(z);
        const double f = expm1(z) * (merton(opt, &m, j) - g.price) * exp(-0.5 * x * x) /
                         sqrt(2.0 * M_PI);
        cov += (k == 0 || k == n ? 0.5 : 1.0) * f * h;
    }
    cov *= j->intensity / mkt->spot;
    const double var = j->intensity * (exp(2.0 * j->mean + 2.0 * j->vol * j->vol) -
                                       2.0 * exp(j->mean + 0.5 * j->vol * j->vol) + 1.0);
    const double s2 = mkt->vol * mkt->vol;
    return (s2 * g.delta + cov) / (s2 + var);
}

static void mv_delta_matches_direct_quadrature(void **state)
{
    (void)state;
    const lsd_option put = { .type = LSD_PUT, .strike = 2700.0, .expiry = 0.25 };
    const lsd_option call = { .type = LSD_CALL, .strike = 3500.0, .expiry = 0.5 };
    const lsd_jumps big = { .intensity = 2.0, .mean = -0.3, .vol = 0.4 };
    const lsd_option sput = { .type = LSD_PUT, .strike = 0.97, .expiry = 0.25 };
    lsd_hedge_ratio h;
    assert_int_equal(lsd_hedge_mv_delta(&put, &eth, &depeg, &h, NULL), LSD_OK);
    assert_close(h.mv_delta, mv_delta_trapezoid(&put, &eth, &depeg), 1e-9, 0.0);
    assert_int_equal(lsd_hedge_mv_delta(&call, &eth, &big, &h, NULL), LSD_OK);
    assert_close(h.mv_delta, mv_delta_trapezoid(&call, &eth, &big), 1e-9, 0.0);
    assert_int_equal(lsd_hedge_mv_delta(&sput, &steth, &steth_jumps, &h, NULL), LSD_OK);
    assert_close(h.mv_delta, mv_delta_trapezoid(&sput, &steth, &steth_jumps), 1e-8, 0.0);
    /* Jump-dominated stETH: the diffusion-only BSM delta misses the depeg. */
    assert_true(h.bsm_delta > -0.01 && h.mv_delta < -0.15);
}

/* The point-mass case δ = 0: ν = λ·δ_{μ}, the integral is one term. */
static void mv_delta_with_point_mass_jumps(void **state)
{
    (void)state;
    const lsd_option put = { .type = LSD_PUT, .strike = 2700.0, .expiry = 0.25 };
    const lsd_jumps j = { .intensity = 1.5, .mean = -0.2, .vol = 0.0 };
    lsd_greeks g;
    assert_int_equal(lsd_merton_price(&put, &eth, &j, NULL, &g, NULL), LSD_OK);
    lsd_market moved = eth;
    moved.spot = eth.spot * exp(j.mean);
    const double e = expm1(j.mean), s2 = eth.vol * eth.vol;
    const double want = (s2 * g.delta + j.intensity * e * (merton(&put, &moved, &j) - g.price) /
                                            eth.spot) / (s2 + j.intensity * e * e);
    lsd_hedge_ratio h;
    assert_int_equal(lsd_hedge_mv_delta(&put, &eth, &j, &h, NULL), LSD_OK);
    assert_close(h.mv_delta, want, 1e-14, 0.0);
}

static void depeg_loss_equals_poisson_sum(void **state)
{
    (void)state;
    const lsd_jumps cases[] = { depeg, steth_jumps, { 3.0, 0.1, 0.2 } };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const lsd_jumps *j = &cases[i];
        const double T = 0.25, S = 3000.0, m = j->intensity * T;
        const double onek = exp(j->mean + 0.5 * j->vol * j->vol); /* E e^Y = 1 + κ */
        double sum = 0.0, w = exp(-m);                            /* Pois(0; m) */
        for (int n = 0; n < 400; n++) {
            sum += w * pow(onek, n);
            w *= m / (n + 1);
        }
        double loss;
        assert_int_equal(lsd_hedge_depeg_loss(S, T, j, &loss, NULL), LSD_OK);
        assert_close(loss, S * (1.0 - sum), 1e-11, 1e-12 * S);
    }
    double loss;
    assert_int_equal(lsd_hedge_depeg_loss(-1.0, 0.25, &depeg, &loss, NULL), LSD_EDOM);
    assert_true(isnan(loss));
    const lsd_jumps bad = { .intensity = -1.0, .mean = 0.0, .vol = 0.1 };
    assert_int_equal(lsd_hedge_depeg_loss(1.0, 0.25, &bad, &loss, NULL), LSD_EDOM);
    assert_int_equal(lsd_hedge_depeg_loss(1.0, 0.25, NULL, &loss, NULL), LSD_EINVAL);
}

/* Every field of a summary, all NaN (after an error). */
static int protection_all_nan(const lsd_hedge_protection *p)
{
    return isnan(p->cost_pct) && isnan(p->cost_annual) && isnan(p->staking_yield) &&
           isnan(p->staking_yield_annual) && isnan(p->net_yield_annual) &&
           isnan(p->expected_loss_pct) && isnan(p->cost_to_loss);
}

/* The stETH put against its staking yield: each field by its definition
 * (e^{qT} by exp, not expm1), the net yield over T is e^{qT} − 1 − P/S;
 * without expected loss (BSM) the cost-to-loss ratio is NaN, not an error;
 * every bad input is refused with all fields NaN. */
static void protection_summary_follows_its_definition(void **state)
{
    (void)state;
    const lsd_option put = { .type = LSD_PUT, .strike = 0.97, .expiry = 0.25 };
    const double S = steth.spot, T = put.expiry, P = merton(&put, &steth, &steth_jumps);
    double L;
    assert_int_equal(lsd_hedge_depeg_loss(S, T, &steth_jumps, &L, NULL), LSD_OK);
    lsd_hedge_protection p;
    assert_int_equal(lsd_hedge_protection_summary(S, T, steth.carry, P, L, &p, NULL), LSD_OK);
    const double grow = exp(steth.carry * T) - 1.0;
    assert_close(p.cost_pct, P / S, 1e-15, 0.0);
    assert_close(p.cost_annual, P / S / T, 1e-15, 0.0);
    assert_close(p.staking_yield, grow, 1e-12, 0.0);
    assert_close(p.staking_yield_annual, grow / T, 1e-12, 0.0);
    assert_close(p.net_yield_annual * T, grow - P / S, 1e-12, 1e-16);
    assert_close(p.expected_loss_pct, L / S, 1e-15, 0.0);
    assert_close(p.cost_to_loss * L, P, 1e-15, 0.0);
    /* No jumps: nothing expected to insure. */
    assert_int_equal(lsd_hedge_protection_summary(S, T, steth.carry, P, 0.0, &p, NULL), LSD_OK);
    assert_true(isnan(p.cost_to_loss) && p.expected_loss_pct == 0.0 && isfinite(p.cost_pct));
    /* Errors. */
    const double bad[][5] = {
        { 0.0, T, 0.03, P, L },      { S, -1.0, 0.03, P, L },     { S, INFINITY, 0.03, P, L },
        { NAN, T, 0.03, P, L },      { S, T, NAN, P, L },         { S, T, 0.03, INFINITY, L },
        { S, T, 0.03, P, NAN },      { S, 1.0, 1000.0, P, L }, /* e^{qT} overflows */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lsd_diag diag = { "" };
        assert_int_equal(lsd_hedge_protection_summary(bad[i][0], bad[i][1], bad[i][2], bad[i][3],
                                                      bad[i][4], &p, &diag),
                         LSD_EDOM);
        assert_true(protection_all_nan(&p));
        assert_true(diag.message[0] != '\0');
    }
    assert_int_equal(lsd_hedge_protection_summary(S, T, 0.03, P, L, NULL, NULL), LSD_EINVAL);
}

static void collar_legs_price_equal(void **state)
{
    (void)state;
    const lsd_option put = { .type = LSD_PUT, .strike = 2700.0, .expiry = 0.25 };
    const lsd_option call = { .type = LSD_CALL, .strike = 3500.0, .expiry = 0.25 };
    const lsd_option sput = { .type = LSD_PUT, .strike = 0.97, .expiry = 0.25 };
    double k, v;
    /* Merton, call for the put. */
    assert_int_equal(lsd_hedge_collar_strike(&put, &eth, &depeg, &k, &v, NULL), LSD_OK);
    lsd_option leg = { .type = LSD_CALL, .strike = k, .expiry = 0.25 };
    assert_close(merton(&leg, &eth, &depeg), merton(&put, &eth, &depeg), 0.0, 1e-10 * eth.spot);
    assert_close(v, merton(&put, &eth, &depeg), 0.0, 0.0);
    assert_true(k > 3000.0);
    /* Merton, put for the call. */
    assert_int_equal(lsd_hedge_collar_strike(&call, &eth, &depeg, &k, &v, NULL), LSD_OK);
    leg = (lsd_option){ .type = LSD_PUT, .strike = k, .expiry = 0.25 };
    assert_close(merton(&leg, &eth, &depeg), merton(&call, &eth, &depeg), 0.0,
                 1e-10 * eth.spot);
    /* BSM (jumps NULL). */
    assert_int_equal(lsd_hedge_collar_strike(&put, &eth, NULL, &k, &v, NULL), LSD_OK);
    lsd_greeks a, b;
    leg = (lsd_option){ .type = LSD_CALL, .strike = k, .expiry = 0.25 };
    assert_int_equal(lsd_bsm_price(&leg, &eth, &a, NULL), LSD_OK);
    assert_int_equal(lsd_bsm_price(&put, &eth, &b, NULL), LSD_OK);
    assert_close(a.price, b.price, 0.0, 1e-10 * eth.spot);
    /* stETH/ETH: prices ~4e-3 ETH, still to 1e-10. */
    assert_int_equal(lsd_hedge_collar_strike(&sput, &steth, &steth_jumps, &k, &v, NULL), LSD_OK);
    leg = (lsd_option){ .type = LSD_CALL, .strike = k, .expiry = 0.25 };
    assert_close(merton(&leg, &steth, &steth_jumps), merton(&sput, &steth, &steth_jumps), 0.0,
                 1e-10);
    assert_int_equal(lsd_hedge_collar_strike(NULL, &eth, NULL, &k, &v, NULL), LSD_EINVAL);
}

static void stress_rows_follow_their_definition(void **state)
{
    (void)state;
    const lsd_option put = { .type = LSD_PUT, .strike = 2700.0, .expiry = 0.25 };
    const double P = merton(&put, &eth, &depeg), S = eth.spot, T = put.expiry;
    lsd_hedge_stress s;
    assert_int_equal(lsd_hedge_put_stress(&put, &eth, &depeg, -0.5, &s, NULL), LSD_OK);
    lsd_market after = eth;
    after.spot = 1500.0;
    assert_close(s.spot_after, 1500.0, 1e-15, 0.0);
    assert_close(s.put_after, merton(&put, &after, &depeg), 1e-15, 0.0);
    assert_close(s.unhedged_now, -1500.0, 1e-15, 0.0);
    assert_close(s.hedged_now, 1500.0 + s.put_after - S - P, 1e-13, 0.0);
    assert_close(s.unhedged_expiry, exp(0.03 * T) * 1500.0 - S, 1e-14, 0.0);
    /* Deep in the money: the floor K − S − P·e^{rT} plus the carry on S'. */
    assert_close(s.hedged_expiry, (exp(0.03 * T) - 1.0) * 1500.0 + 2700.0 - S - P * exp(0.045 * T),
                 1e-12, 0.0);
    const lsd_option call = { .type = LSD_CALL, .strike = 2700.0, .expiry = 0.25 };
    assert_int_equal(lsd_hedge_put_stress(&call, &eth, &depeg, -0.5, &s, NULL), LSD_EINVAL);
    assert_int_equal(lsd_hedge_put_stress(&put, &eth, &depeg, -1.0, &s, NULL), LSD_EDOM);
    assert_true(isnan(s.hedged_now));
}

static lsd_hedge_sim_result simulate(const lsd_market *mkt, const lsd_jumps *j, double days,
                                     long paths, unsigned long seed, lsd_hedge_rule rule,
                                     double strike)
{
    const lsd_option put = { .type = LSD_PUT, .strike = strike, .expiry = 0.25 };
    lsd_hedge_control ctl = lsd_hedge_control_default();
    ctl.rebalance = days / 365.0;
    ctl.paths = paths;
    ctl.seed = seed;
    ctl.rule = rule;
    lsd_hedge_sim_result r;
    lsd_diag diag = { "" };
    const lsd_status st = lsd_hedge_simulate(&put, mkt, j, &ctl, &r, &diag);
    if (st != LSD_OK)
        print_error("lsd_hedge_simulate: %s\n", diag.message);
    assert_int_equal(st, LSD_OK);
    return r;
}

static void simulation_is_reproducible_with_a_seed(void **state)
{
    (void)state;
    for (int rule = 0; rule < 2; rule++) {
        const lsd_hedge_sim_result a = simulate(&eth, &depeg, 7.0, 4000, 42, rule, 2700.0);
        const lsd_hedge_sim_result b = simulate(&eth, &depeg, 7.0, 4000, 42, rule, 2700.0);
        const lsd_hedge_sim_result c = simulate(&eth, &depeg, 7.0, 4000, 43, rule, 2700.0);
        assert_memory_equal(&a, &b, sizeof a);
        assert_true(a.sd != c.sd);
        assert_int_equal(a.steps, 14); /* ceil(0.25·365/7) = ceil(13.04) */
        assert_close(a.premium, merton(&(lsd_option){ LSD_PUT, 2700.0, 0.25 }, &eth, &depeg),
                     0.0, 0.0);
    }
}

/*
 * Without jumps, discrete delta hedging leaves an error whose standard
 * deviation is, to leading order, proportional to √Δt (Bertsimas, Kogan &
 * Lo 2000, Thm 2; Derman & Kamal 1999: σ_P&L ≈ √(π/4)·vega·σ·√(Δt/2T) in
 * their at-the-money approximation). Rebalancing every 4 days instead of
 * every day should double it. The band [1.75, 2.25] allows for the
 * next-order terms in Δt (a 92- vs 23-step grid) and the Monte Carlo error
 * of a standard deviation from 20000 paths (≈ 1% relative each, heavier
 * tails of the error included); a wrong hedge (e.g. no rebalancing, a sign
 * error, or a carry mistake) gives a ratio near 1 or a growing error.
 */
static void hedge_error_shrinks_like_sqrt_dt_without_jumps(void **state)
{
    (void)state;
    const lsd_jumps none = { 0.0, 0.0, 0.0 };
    const lsd_hedge_sim_result daily = simulate(&eth, &none, 1.0, 20000, 7, LSD_HEDGE_BSM, 3000.0);
    const lsd_hedge_sim_result four = simulate(&eth, &none, 4.0, 20000, 7, LSD_HEDGE_BSM, 3000.0);
    const double ratio = four.sd / daily.sd;
    assert_true(ratio > 1.75 && ratio < 2.25);
    /* The hedge is self-financing and starts from the fair premium: the
     * mean P&L is zero within a few standard errors. */
    assert_true(fabs(daily.mean) < 4.0 * daily.sd / sqrt(20000.0));
    /* Without jumps Δ_MV is the BSM delta: the same simulation. */
    const lsd_hedge_sim_result mv = simulate(&eth, &none, 1.0, 20000, 7, LSD_HEDGE_MV, 3000.0);
    assert_memory_equal(&mv, &daily, sizeof mv);
}

/* On the stETH estimate, jumps dominate: Δ_MV hedges far better than BSM. */
static void mv_hedge_beats_bsm_delta_under_steth_jumps(void **state)
{
    (void)state;
    const lsd_hedge_sim_result bsm = simulate(&steth, &steth_jumps, 7.0, 4000, 5,
                                              LSD_HEDGE_BSM, 0.97);
    const lsd_hedge_sim_result mv = simulate(&steth, &steth_jumps, 7.0, 4000, 5,
                                             LSD_HEDGE_MV, 0.97);
    assert_true(mv.sd < 0.6 * bsm.sd);
}

static void simulation_rejects_bad_control(void **state)
{
    (void)state;
    const lsd_option put = { .type = LSD_PUT, .strike = 2700.0, .expiry = 0.25 };
    lsd_hedge_control ctl = lsd_hedge_control_default();
    lsd_hedge_sim_result r;
    ctl.paths = 1;
    assert_int_equal(lsd_hedge_simulate(&put, &eth, &depeg, &ctl, &r, NULL), LSD_EDOM);
    assert_true(isnan(r.mean));
    ctl = lsd_hedge_control_default();
    ctl.rebalance = NAN;
    assert_int_equal(lsd_hedge_simulate(&put, &eth, &depeg, &ctl, &r, NULL), LSD_EDOM);
    ctl.rebalance = 1e-9;
    assert_int_equal(lsd_hedge_simulate(&put, &eth, &depeg, &ctl, &r, NULL), LSD_EDOM);
    ctl = lsd_hedge_control_default();
    ctl.rule = (lsd_hedge_rule)7;
    assert_int_equal(lsd_hedge_simulate(&put, &eth, &depeg, &ctl, &r, NULL), LSD_EINVAL);
    assert_int_equal(lsd_hedge_simulate(&put, &eth, NULL, &ctl, &r, NULL), LSD_EINVAL);
    lsd_hedge_ratio h;
    const lsd_market bad = { .spot = -1.0, .rate = 0.0, .carry = 0.0, .vol = 0.5 };
    assert_int_equal(lsd_hedge_mv_delta(&put, &bad, &depeg, &h, NULL), LSD_EDOM);
    assert_true(isnan(h.mv_delta));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mv_delta_is_bsm_delta_without_jumps),
        cmocka_unit_test(jump_variance_quadrature_matches_closed_form),
        cmocka_unit_test(mv_delta_matches_direct_quadrature),
        cmocka_unit_test(mv_delta_with_point_mass_jumps),
        cmocka_unit_test(depeg_loss_equals_poisson_sum),
        cmocka_unit_test(protection_summary_follows_its_definition),
        cmocka_unit_test(collar_legs_price_equal),
        cmocka_unit_test(stress_rows_follow_their_definition),
        cmocka_unit_test(simulation_is_reproducible_with_a_seed),
        cmocka_unit_test(hedge_error_shrinks_like_sqrt_dt_without_jumps),
        cmocka_unit_test(mv_hedge_beats_bsm_delta_under_steth_jumps),
        cmocka_unit_test(simulation_rejects_bad_control),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
