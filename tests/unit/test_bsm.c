/*
 * test_bsm.c — tests of lsd_bsm_price (pricing/models/bsm.c): generalized BSM
 * with a continuous carry yield.
 *
 * Published values: every generalized-BSM value and greek that QuantLib's
 * test-suite (test-suite/europeanoption.cpp, testValues and testGreekValues)
 * tabulates from E. G. Haug, "The Complete Guide to Option Pricing Formulas",
 * McGraw-Hill 1998 (pp. 2-8, 11-16, 24, 27), each checked within QuantLib's
 * published tolerance (1e-4 absolute). Haug tabulates the cost of carry
 * b = r − q; QuantLib's tables (copied here) give the dividend yield q
 * directly, and our carry is that q. QuantLib's greeks are in our units:
 * vega per 1.00 of vol, theta per year (its thetaPerDay is theta/365), rho and
 * dividendRho (our carry_rho) per 1.00 of rate. QuantLib builds the expiry as
 * round(360·t) days under Actual/360; every t below is a whole number of
 * such days, so T = t exactly.
 *
 * Invariants and limits: put–call parity with carry for the price and every
 * greek; greeks against five-point central finite differences; σ → 0 gives
 * the discounted intrinsic value of the forward; T → 0; deep in and out of
 * the money. Bad input: LSD_EDOM or LSD_EINVAL, NaN outputs, and a message
 * naming the field.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <math.h>
#include <string.h>

/* One row of a QuantLib/Haug table: inputs, published value, tolerance. */
typedef struct haug_row {
    lsd_option_type type;
    double strike, spot, carry, rate, expiry, vol;
    double value, tol;
} haug_row;

static lsd_greeks price_ok(lsd_option_type type, double spot, double strike, double expiry,
                           double rate, double carry, double vol)
{
    const lsd_option opt = { type, strike, expiry };
    const lsd_market mkt = { spot, rate, carry, vol };
    lsd_greeks g;
    lsd_diag diag = { "" };
    const lsd_status st = lsd_bsm_price(&opt, &mkt, &g, &diag);
    if (st != LSD_OK)
        print_error("lsd_bsm_price: %s (%s)\n", lsd_strerror(st), diag.message);
    assert_int_equal(st, LSD_OK);
    return g;
}

static lsd_greeks price_row(const haug_row *row)
{
    return price_ok(row->type, row->spot, row->strike, row->expiry, row->rate, row->carry,
                    row->vol);
}

/* QuantLib europeanoption.cpp, testValues: Haug (1998). */
static void bsm_reproduces_haug_values(void **state)
{
    (void)state;
    static const haug_row rows[] = {
        /* type, strike, spot, q, r, t, vol, value, tol */
        /* Haug (1998) pp. 2-8 */
        { LSD_CALL, 65.00, 60.00, 0.00, 0.08, 0.25, 0.30, 2.1334, 1.0e-4 },
        { LSD_PUT, 95.00, 100.00, 0.05, 0.10, 0.50, 0.20, 2.4648, 1.0e-4 },
        { LSD_PUT, 19.00, 19.00, 0.10, 0.10, 0.75, 0.28, 1.7011, 1.0e-4 },
        { LSD_CALL, 19.00, 19.00, 0.10, 0.10, 0.75, 0.28, 1.7011, 1.0e-4 },
        { LSD_CALL, 1.60, 1.56, 0.08, 0.06, 0.50, 0.12, 0.0291, 1.0e-4 },
        { LSD_PUT, 70.00, 75.00, 0.05, 0.10, 0.50, 0.35, 4.0870, 1.0e-4 },
        /* Haug (1998) p. 24 */
        { LSD_CALL, 100.00, 90.00, 0.10, 0.10, 0.10, 0.15, 0.0205, 1.0e-4 },
        { LSD_CALL, 100.00, 100.00, 0.10, 0.10, 0.10, 0.15, 1.8734, 1.0e-4 },
        { LSD_CALL, 100.00, 110.00, 0.10, 0.10, 0.10, 0.15, 9.9413, 1.0e-4 },
        { LSD_CALL, 100.00, 90.00, 0.10, 0.10, 0.10, 0.25, 0.3150, 1.0e-4 },
        { LSD_CALL, 100.00, 100.00, 0.10, 0.10, 0.10, 0.25, 3.1217, 1.0e-4 },
        { LSD_CALL, 100.00, 110.00, 0.10, 0.10, 0.10, 0.25, 10.3556, 1.0e-4 },
        { LSD_CALL, 100.00, 90.00, 0.10, 0.10, 0.10, 0.35, 0.9474, 1.0e-4 },
        { LSD_CALL, 100.00, 100.00, 0.10, 0.10, 0.10, 0.35, 4.3693, 1.0e-4 },
        { LSD_CALL, 100.00, 110.00, 0.10, 0.10, 0.10, 0.35, 11.1381, 1.0e-4 },
        { LSD_CALL, 100.00, 90.00, 0.10, 0.10, 0.50, 0.15, 0.8069, 1.0e-4 },
        { LSD_CALL, 100.00, 100.00, 0.10, 0.10, 0.50, 0.15, 4.0232, 1.0e-4 },
        { LSD_CALL, 100.00, 110.00, 0.10, 0.10, 0.50, 0.15, 10.5769, 1.0e-4 },
        { LSD_CALL, 100.00, 90.00, 0.10, 0.10, 0.50, 0.25, 2.7026, 1.0e-4 },
        { LSD_CALL, 100.00, 100.00, 0.10, 0.10, 0.50, 0.25, 6.6997, 1.0e-4 },
        { LSD_CALL, 100.00, 110.00, 0.10, 0.10, 0.50, 0.25, 12.7857, 1.0e-4 },
        { LSD_CALL, 100.00, 90.00, 0.10, 0.10, 0.50, 0.35, 4.9329, 1.0e-4 },
        { LSD_CALL, 100.00, 100.00, 0.10, 0.10, 0.50, 0.35, 9.3679, 1.0e-4 },
        { LSD_CALL, 100.00, 110.00, 0.10, 0.10, 0.50, 0.35, 15.3086, 1.0e-4 },
        { LSD_PUT, 100.00, 90.00, 0.10, 0.10, 0.10, 0.15, 9.9210, 1.0e-4 },
        { LSD_PUT, 100.00, 100.00, 0.10, 0.10, 0.10, 0.15, 1.8734, 1.0e-4 },
        { LSD_PUT, 100.00, 110.00, 0.10, 0.10, 0.10, 0.15, 0.0408, 1.0e-4 },
        { LSD_PUT, 100.00, 90.00, 0.10, 0.10, 0.10, 0.25, 10.2155, 1.0e-4 },
        { LSD_PUT, 100.00, 100.00, 0.10, 0.10, 0.10, 0.25, 3.1217, 1.0e-4 },
        { LSD_PUT, 100.00, 110.00, 0.10, 0.10, 0.10, 0.25, 0.4551, 1.0e-4 },
        { LSD_PUT, 100.00, 90.00, 0.10, 0.10, 0.10, 0.35, 10.8479, 1.0e-4 },
        { LSD_PUT, 100.00, 100.00, 0.10, 0.10, 0.10, 0.35, 4.3693, 1.0e-4 },
        { LSD_PUT, 100.00, 110.00, 0.10, 0.10, 0.10, 0.35, 1.2376, 1.0e-4 },
        { LSD_PUT, 100.00, 90.00, 0.10, 0.10, 0.50, 0.15, 10.3192, 1.0e-4 },
        { LSD_PUT, 100.00, 100.00, 0.10, 0.10, 0.50, 0.15, 4.0232, 1.0e-4 },
        { LSD_PUT, 100.00, 110.00, 0.10, 0.10, 0.50, 0.15, 1.0646, 1.0e-4 },
        { LSD_PUT, 100.00, 90.00, 0.10, 0.10, 0.50, 0.25, 12.2149, 1.0e-4 },
        { LSD_PUT, 100.00, 100.00, 0.10, 0.10, 0.50, 0.25, 6.6997, 1.0e-4 },
        { LSD_PUT, 100.00, 110.00, 0.10, 0.10, 0.50, 0.25, 3.2734, 1.0e-4 },
        { LSD_PUT, 100.00, 90.00, 0.10, 0.10, 0.50, 0.35, 14.4452, 1.0e-4 },
        { LSD_PUT, 100.00, 100.00, 0.10, 0.10, 0.50, 0.35, 9.3679, 1.0e-4 },
        { LSD_PUT, 100.00, 110.00, 0.10, 0.10, 0.50, 0.35, 5.7963, 1.0e-4 },
        /* Haug (1998) p. 27 */
        { LSD_CALL, 40.00, 42.00, 0.08, 0.04, 0.75, 0.35, 5.0975, 1.0e-4 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const lsd_greeks g = price_row(&rows[i]);
        assert_close(g.price, rows[i].value, 0.0, rows[i].tol);
    }
}

/* QuantLib europeanoption.cpp, testGreekValues: Haug (1998) pp. 11-16, tol 1e-4. */
static void bsm_reproduces_haug_greeks(void **state)
{
    (void)state;
    const double tol = 1e-4;
    /* delta, p. 11 */
    static const haug_row delta_call = { LSD_CALL, 100.0, 105.0, 0.10, 0.10, 0.5, 0.36, 0.5946, 0 };
    static const haug_row delta_put = { LSD_PUT, 100.0, 105.0, 0.10, 0.10, 0.5, 0.36, -0.3566, 0 };
    assert_close(price_row(&delta_call).delta, delta_call.value, 0.0, tol);
    assert_close(price_row(&delta_put).delta, delta_put.value, 0.0, tol);

    /* elasticity Λ = delta·S/V, p. 12 */
    static const haug_row elast = { LSD_PUT, 100.0, 105.0, 0.10, 0.10, 0.5, 0.36, -4.8775, 0 };
    const lsd_greeks ge = price_row(&elast);
    assert_close(ge.delta * elast.spot / ge.price, elast.value, 0.0, tol);

    /* gamma, p. 13: equal for call and put */
    static const haug_row gamma_call = { LSD_CALL, 60.0, 55.0, 0.0, 0.10, 0.75, 0.30, 0.0278, 0 };
    static const haug_row gamma_put = { LSD_PUT, 60.0, 55.0, 0.0, 0.10, 0.75, 0.30, 0.0278, 0 };
    assert_close(price_row(&gamma_call).gamma, gamma_call.value, 0.0, tol);
    assert_close(price_row(&gamma_put).gamma, gamma_put.value, 0.0, tol);

    /* vega per 1.00 of vol, p. 14 */
    static const haug_row vega_call = { LSD_CALL, 60.0, 55.0, 0.0, 0.10, 0.75, 0.30, 18.9358, 0 };
    static const haug_row vega_put = { LSD_PUT, 60.0, 55.0, 0.0, 0.10, 0.75, 0.30, 18.9358, 0 };
    assert_close(price_row(&vega_call).vega, vega_call.value, 0.0, tol);
    assert_close(price_row(&vega_put).vega, vega_put.value, 0.0, tol);

    /* theta per year, and QuantLib's thetaPerDay = theta/365, p. 15 */
    static const haug_row theta = { LSD_PUT, 405.0, 430.0, 0.05, 0.07, 1.0 / 12.0, 0.20, -31.1924, 0 };
    const lsd_greeks gt = price_row(&theta);
    assert_close(gt.theta, theta.value, 0.0, tol);
    assert_close(gt.theta / 365.0, -0.0855, 0.0, tol);

    /* rho per 1.00 of rate, p. 16 */
    static const haug_row rho = { LSD_CALL, 75.0, 72.0, 0.0, 0.09, 1.0, 0.19, 38.7325, 0 };
    assert_close(price_row(&rho).rho, rho.value, 0.0, tol);

    /* QuantLib's dividendRho = our carry_rho, ∂V/∂q per 1.00, p. 16 */
    static const haug_row div_rho = { LSD_PUT, 490.0, 500.0, 0.05, 0.08, 0.25, 0.15, 42.2254, 0 };
    assert_close(price_row(&div_rho).carry_rho, div_rho.value, 0.0, tol);
}

/* The grid of parity and finite-difference checks: moneyness × expiry × vol. */
static const double grid_strikes[] = { 1.0, 60.0, 95.0, 100.0, 104.0, 150.0, 1e4 };
static const double grid_expiries[] = { 1e-4, 7.0 / 365.0, 0.5, 3.0, 10.0 };
static const double grid_vols[] = { 0.01, 0.2, 0.8, 4.0 };
#define GRID_SPOT 100.0
#define GRID_RATE 0.045
#define GRID_CARRY 0.031

/*
 * C − P = S e^{−qT} − K e^{−rT} and its derivatives: Δ_C − Δ_P = e^{−qT},
 * equal gamma and vega, θ_C − θ_P = q S e^{−qT} − r K e^{−rT},
 * ρ_C − ρ_P = T K e^{−rT}, carry ρ_C − carry ρ_P = −T S e^{−qT}.
 * Each side is a difference of outputs of size ≤ max(S e^{−qT}, K e^{−rT})
 * (times T or r for the rhos and theta), so 1e-13 of that scale allows a few
 * hundred ulps.
 */
static void bsm_satisfies_put_call_parity_with_carry(void **state)
{
    (void)state;
    const double S = GRID_SPOT, r = GRID_RATE, q = GRID_CARRY;
    for (size_t i = 0; i < sizeof grid_strikes / sizeof grid_strikes[0]; i++)
        for (size_t j = 0; j < sizeof grid_expiries / sizeof grid_expiries[0]; j++)
            for (size_t k = 0; k < sizeof grid_vols / sizeof grid_vols[0]; k++) {
                const double K = grid_strikes[i], T = grid_expiries[j], v = grid_vols[k];
                const lsd_greeks c = price_ok(LSD_CALL, S, K, T, r, q, v);
                const lsd_greeks p = price_ok(LSD_PUT, S, K, T, r, q, v);
                const double sd = S * exp(-q * T), kd = K * exp(-r * T);
                const double scale = fmax(sd, kd);
                assert_close(c.price - p.price, sd - kd, 1e-13, 1e-13 * scale);
                assert_close(c.delta - p.delta, exp(-q * T), 1e-13, 1e-13 * scale / S);
                assert_close(c.gamma, p.gamma, 1e-13, 1e-13 * scale / (S * S));
                assert_close(c.vega, p.vega, 1e-13, 1e-13 * scale);
                assert_close(c.theta - p.theta, q * sd - r * kd, 1e-13, 1e-13 * scale);
                assert_close(c.rho - p.rho, T * kd, 1e-13, 1e-13 * T * scale);
                assert_close(c.carry_rho - p.carry_rho, -T * sd, 1e-13, 1e-13 * T * scale);
            }
}

/* Which input a finite difference bumps. */
typedef enum bump { BUMP_SPOT, BUMP_VOL, BUMP_EXPIRY, BUMP_RATE, BUMP_CARRY } bump;

/* Price (or delta, for gamma) with one input moved by dx. */
static double bumped(lsd_option opt, lsd_market mkt, bump which, double dx, int want_delta)
{
    switch (which) {
    case BUMP_SPOT: mkt.spot += dx; break;
    case BUMP_VOL: mkt.vol += dx; break;
    case BUMP_EXPIRY: opt.expiry += dx; break;
    case BUMP_RATE: mkt.rate += dx; break;
    case BUMP_CARRY: mkt.carry += dx; break;
    }
    lsd_greeks g;
    assert_int_equal(lsd_bsm_price(&opt, &mkt, &g, NULL), LSD_OK);
    return want_delta ? g.delta : g.price;
}

/* Five-point central difference: error h⁴ f⁽⁵⁾/30 plus ~1.5 ε|f|/h. */
static double central(const lsd_option *opt, const lsd_market *mkt, bump which, double h,
                      int want_delta)
{
    return (-bumped(*opt, *mkt, which, 2 * h, want_delta) +
            8 * bumped(*opt, *mkt, which, h, want_delta) -
            8 * bumped(*opt, *mkt, which, -h, want_delta) +
            bumped(*opt, *mkt, which, -2 * h, want_delta)) /
           (12 * h);
}

/*
 * Greeks against finite differences. Every step moves d1 by about 1e-3
 * (spot by 1e-3·S·min(s, 1), vol and expiry by 1e-3 relative, rates by
 * 1e-3·s/T, s = σ√T), so the stencil's truncation is ~(1e-3)⁴/30 ≈ 3e-14 and its
 * rounding ~1.5 ε/1e-3 ≈ 3e-13 of the output's natural size; 1e-8 relative
 * (floor 1e-10 of that size) leaves room for the conditioning of the grid,
 * and is far tighter than any wrong formula. Expiry 1e-4 with vol 0.01 is
 * left to the mpmath reference (the bumps there approach ε).
 */
static void bsm_greeks_match_finite_differences(void **state)
{
    (void)state;
    const double S = GRID_SPOT;
    for (int type = LSD_CALL; type <= LSD_PUT; type++)
        for (size_t i = 1; i + 1 < sizeof grid_strikes / sizeof grid_strikes[0]; i++)
            for (size_t j = 1; j < sizeof grid_expiries / sizeof grid_expiries[0]; j++)
                for (size_t k = 1; k < sizeof grid_vols / sizeof grid_vols[0]; k++) {
                    const lsd_option opt = { (lsd_option_type)type, grid_strikes[i],
                                             grid_expiries[j] };
                    const lsd_market mkt = { S, GRID_RATE, GRID_CARRY, grid_vols[k] };
                    const double T = opt.expiry, s = mkt.vol * sqrt(T);
                    const double hs = 1e-3 * S * fmin(s, 1.0);
                    lsd_greeks g;
                    assert_int_equal(lsd_bsm_price(&opt, &mkt, &g, NULL), LSD_OK);
                    const double rtol = 1e-8, atol = 1e-10 * S;
                    assert_close(g.delta, central(&opt, &mkt, BUMP_SPOT, hs, 0),
                                 rtol, 1e-10);
                    assert_close(g.gamma, central(&opt, &mkt, BUMP_SPOT, hs, 1),
                                 rtol, 1e-10 / (S * s));
                    assert_close(g.vega, central(&opt, &mkt, BUMP_VOL, 1e-3 * mkt.vol, 0),
                                 rtol, atol);
                    assert_close(g.theta, -central(&opt, &mkt, BUMP_EXPIRY, 1e-3 * T, 0),
                                 rtol, atol / T);
                    assert_close(g.rho, central(&opt, &mkt, BUMP_RATE, 1e-3 * s / T, 0),
                                 rtol, atol * T);
                    assert_close(g.carry_rho,
                                 central(&opt, &mkt, BUMP_CARRY, 1e-3 * s / T, 0), rtol,
                                 atol * T);
                    assert_true(g.jump_intensity_sens == 0.0 && g.jump_mean_sens == 0.0 &&
                                g.jump_vol_sens == 0.0);
                }
}

/*
 * σ → 0: the option is worth its forward's discounted intrinsic value,
 * max(S e^{−qT} − K e^{−rT}, 0) for a call. With σ = 1e-9 and |ln(F/K)| ≥
 * 0.05, |d1| > 5e7: N(d1) is exactly 0 or 1 in double, so the formula gives
 * the intrinsic value to rounding; delta is e^{−qT} or 0 and gamma, vega 0.
 */
static void bsm_without_vol_is_discounted_forward_intrinsic(void **state)
{
    (void)state;
    const double S = 100.0, r = 0.05, q = 0.03, T = 2.0, vol = 1e-9;
    const double sd = S * exp(-q * T);
    const double strikes[] = { 80.0, 95.0, 110.0, 130.0 }; /* F = 104.08 */
    for (size_t i = 0; i < sizeof strikes / sizeof strikes[0]; i++) {
        const double K = strikes[i], kd = K * exp(-r * T);
        const lsd_greeks c = price_ok(LSD_CALL, S, K, T, r, q, vol);
        const lsd_greeks p = price_ok(LSD_PUT, S, K, T, r, q, vol);
        assert_close(c.price, fmax(sd - kd, 0.0), 1e-14, 1e-14 * S);
        assert_close(p.price, fmax(kd - sd, 0.0), 1e-14, 1e-14 * S);
        assert_close(c.delta, sd > kd ? exp(-q * T) : 0.0, 1e-15, 0.0);
        assert_close(p.delta, sd < kd ? -exp(-q * T) : 0.0, 1e-15, 0.0);
        assert_close(c.rho, sd > kd ? T * kd : 0.0, 1e-14, 0.0);
        assert_close(p.carry_rho, sd < kd ? T * sd : 0.0, 1e-14, 0.0);
        assert_true(c.gamma == 0.0 && c.vega == 0.0 && p.gamma == 0.0 && p.vega == 0.0);
    }
}

/*
 * T → 0. At the money forward (r = q, K = S) the call is
 * S e^{−qT}(2N(s/2) − 1) = S e^{−qT}·s/√(2π)·(1 − s²/24 + …), s = σ√T; at
 * T = 1e-12, s²/24 ≈ 1e-14. The formula's 2N(s/2) − 1 cancels to ~ε/s
 * relative, which is the 1e-13·spot absolute floor of issue 2. Away from the
 * money it is the intrinsic value and delta is 0 or ±1.
 */
static void bsm_at_tiny_expiry_tends_to_intrinsic(void **state)
{
    (void)state;
    const double S = 3000.0, vol = 0.5, T = 1e-12, rq = 0.04;
    const double s = vol * sqrt(T);
    const double sqrt_2pi = sqrt(2.0 * acos(-1.0));
    const lsd_greeks atm = price_ok(LSD_CALL, S, S, T, rq, rq, vol);
    const double want = S * exp(-rq * T) * s / sqrt_2pi;
    assert_close(atm.price, want, 1e-12, 1e-13 * S);
    assert_close(atm.delta, 0.5, 1e-6, 0.0);                     /* N(s/2) = ½ + O(s) */
    assert_close(atm.gamma, exp(-rq * T) / (S * s * sqrt_2pi), 1e-12, 0.0);

    const lsd_greeks itm = price_ok(LSD_CALL, S, 2900.0, T, rq, 0.0, vol);
    assert_close(itm.price, S - 2900.0 * exp(-rq * T), 1e-15, 0.0);
    assert_close(itm.delta, 1.0, 1e-15, 0.0);
    const lsd_greeks otm = price_ok(LSD_PUT, S, 2900.0, T, rq, 0.0, vol);
    assert_true(otm.price >= 0.0 && otm.price < 1e-300);
    assert_true(otm.delta <= 0.0 && otm.delta > -1e-300);
}

/*
 * Deep in the money (K = 0.01·S) the call is S e^{−qT} − K e^{−rT} to
 * rounding (d2 > 8.3 makes N(d2) = 1 in double); deep out of the money
 * (K = 100·S) it is a tiny non-negative number, with delta in [0, tiny],
 * and the put is K e^{−rT} − S e^{−qT}.
 */
static void bsm_deep_in_and_out_of_the_money(void **state)
{
    (void)state;
    const double S = 2.5, r = 0.045, q = 0.031, T = 0.25, vol = 0.6;
    const double df_r = exp(-r * T), df_q = exp(-q * T);
    const lsd_greeks itm = price_ok(LSD_CALL, S, 0.01 * S, T, r, q, vol);
    assert_close(itm.price, S * df_q - 0.01 * S * df_r, 1e-15, 0.0);
    assert_close(itm.delta, df_q, 1e-15, 0.0);
    assert_close(itm.rho, T * 0.01 * S * df_r, 1e-15, 0.0);

    const lsd_greeks otm = price_ok(LSD_CALL, S, 100.0 * S, T, r, q, vol);
    assert_true(otm.price >= 0.0 && otm.price < 1e-40 * S);
    assert_true(otm.delta >= 0.0 && otm.delta < 1e-40);
    assert_true(isfinite(otm.gamma) && isfinite(otm.vega) && isfinite(otm.theta));
    const lsd_greeks put = price_ok(LSD_PUT, S, 100.0 * S, T, r, q, vol);
    assert_close(put.price, 100.0 * S * df_r - S * df_q, 1e-15, 0.0);
    assert_close(put.delta, -df_q, 1e-15, 0.0);
}

/*
 * Issue 2's accuracy (1e-12 relative, floor 1e-13·scale) where it is
 * hardest for the closed form: T = 1e-4 and σ = 0.01 (s = σ√T = 1e-4), with
 * the strike 1.5 or 3 standard deviations from the spot. There a rounding of
 * S/K by half an ulp moves d1 by ~1e-12 and gamma by ~|d1|·1e-12, so the
 * log-moneyness must be formed without that rounding (e.g. log1p((S−K)/K),
 * S−K being exact near the money). Reference: the same closed forms in long
 * double (64-bit significand), ~1e-18 relative for these inputs.
 */
static void bsm_is_accurate_near_the_money_at_tiny_expiry(void **state)
{
    (void)state;
    const double T = 1e-4, vol = 0.01, r = 0.045, q = 0.031;
    const double spots[] = { 0.037, 3000.0 };
    const double sds[] = { -3.0, -1.5, 1.5, 3.0 };
    for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++)
        for (size_t j = 0; j < sizeof sds / sizeof sds[0]; j++)
            for (int type = LSD_CALL; type <= LSD_PUT; type++) {
                const double S = spots[i], K = S * exp(sds[j] * vol * sqrt(T));
                const lsd_greeks g = price_ok((lsd_option_type)type, S, K, T, r, q, vol);

                const long double lS = S, lK = K, lT = T, lr = r, lq = q;
                const long double s = sqrtl((long double)vol * vol * lT);
                const long double d1 = (logl(lS / lK) + (lr - lq) * lT) / s + 0.5L * s;
                const long double d2 = d1 - s, sign = type == LSD_CALL ? 1.0L : -1.0L;
                const long double r2 = sqrtl(2.0L), dq = expl(-lq * lT), dr = expl(-lr * lT);
                const long double n1 = 0.5L * erfcl(-sign * d1 / r2);
                const long double n2 = 0.5L * erfcl(-sign * d2 / r2);
                const long double pdf = expl(-0.5L * d1 * d1) / sqrtl(2.0L * acosl(-1.0L));
                const double price = (double)(sign * (lS * dq * n1 - lK * dr * n2));
                const double delta = (double)(sign * dq * n1);
                const double gamma = (double)(dq * pdf / (lS * s));
                const double vega = (double)(lS * dq * pdf * sqrtl(lT));
                const double theta = (double)(-lS * dq * pdf * vol / (2.0L * sqrtl(lT)) -
                                              sign * lr * lK * dr * n2 +
                                              sign * lq * lS * dq * n1);
                assert_close(g.price, price, 1e-12, 1e-13 * S);
                assert_close(g.delta, delta, 1e-12, 1e-13);
                assert_close(g.gamma, gamma, 1e-12, 1e-13 / S);
                assert_close(g.vega, vega, 1e-12, 1e-13 * S);
                assert_close(g.theta, theta, 1e-12, 1e-13 * S);
            }
}

/* A valid option and market, each bad case changes one field. */
static const lsd_option good_opt = { LSD_CALL, 3200.0, 0.25 };
static const lsd_market good_mkt = { 3000.0, 0.045, 0.031, 0.62 };

/* Price with opt/mkt, expect LSD_EDOM, NaN outputs and field named in diag. */
static void assert_rejected(const lsd_option *opt, const lsd_market *mkt, const char *field)
{
    lsd_greeks g = { 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 };
    lsd_diag diag = { "" };
    assert_int_equal(lsd_bsm_price(opt, mkt, &g, &diag), LSD_EDOM);
    assert_greeks_nan(&g);
    if (strstr(diag.message, field) == NULL) {
        print_error("diag '%s' does not name '%s'\n", diag.message, field);
        fail();
    }
    /* diag is optional */
    assert_int_equal(lsd_bsm_price(opt, mkt, &g, NULL), LSD_EDOM);
    assert_greeks_nan(&g);
}

/* NaN, ±inf, 0 and negative spot/strike/expiry/vol; non-finite rate/carry. */
static void bsm_rejects_bad_input(void **state)
{
    (void)state;
    const double positive_bad[] = { NAN, INFINITY, -INFINITY, 0.0, -0.0, -1.0, -1e-300 };
    for (size_t i = 0; i < sizeof positive_bad / sizeof positive_bad[0]; i++) {
        const double x = positive_bad[i];
        lsd_option opt = good_opt;
        lsd_market mkt = good_mkt;
        mkt.spot = x;
        assert_rejected(&opt, &mkt, "spot");
        mkt = good_mkt;
        opt.strike = x;
        assert_rejected(&opt, &mkt, "strike");
        opt = good_opt;
        opt.expiry = x;
        assert_rejected(&opt, &mkt, "expiry");
        opt = good_opt;
        mkt.vol = x;
        assert_rejected(&opt, &mkt, "vol");
    }
    const double finite_bad[] = { NAN, INFINITY, -INFINITY };
    for (size_t i = 0; i < sizeof finite_bad / sizeof finite_bad[0]; i++) {
        lsd_market mkt = good_mkt;
        mkt.rate = finite_bad[i];
        assert_rejected(&good_opt, &mkt, "rate");
        mkt = good_mkt;
        mkt.carry = finite_bad[i];
        assert_rejected(&good_opt, &mkt, "carry");
    }
    /* Negative rates and carry are fine (ETH-quoted books, negative basis). */
    lsd_market neg = good_mkt;
    neg.rate = -0.01;
    neg.carry = -0.02;
    lsd_greeks g;
    assert_int_equal(lsd_bsm_price(&good_opt, &neg, &g, NULL), LSD_OK);
    assert_true(isfinite(g.price) && g.price > 0.0);
}

/* NULL pointers and an unknown option type: LSD_EINVAL, outputs NaN. */
static void bsm_rejects_null_and_unknown_type(void **state)
{
    (void)state;
    lsd_greeks g = { 0 };
    lsd_diag diag = { "" };
    assert_int_equal(lsd_bsm_price(NULL, &good_mkt, &g, &diag), LSD_EINVAL);
    assert_greeks_nan(&g);
    assert_true(diag.message[0] != '\0');
    g = (lsd_greeks){ 0 };
    assert_int_equal(lsd_bsm_price(&good_opt, NULL, &g, NULL), LSD_EINVAL);
    assert_greeks_nan(&g);
    assert_int_equal(lsd_bsm_price(&good_opt, &good_mkt, NULL, NULL), LSD_EINVAL);

    lsd_option bad = good_opt;
    bad.type = (lsd_option_type)7;
    g = (lsd_greeks){ 0 };
    diag.message[0] = '\0';
    assert_int_equal(lsd_bsm_price(&bad, &good_mkt, &g, &diag), LSD_EINVAL);
    assert_greeks_nan(&g);
    assert_non_null(strstr(diag.message, "type"));
}

/* Success leaves the caller's diag alone. */
static void bsm_success_leaves_diag_untouched(void **state)
{
    (void)state;
    lsd_diag diag = { "previous message" };
    lsd_greeks g;
    assert_int_equal(lsd_bsm_price(&good_opt, &good_mkt, &g, &diag), LSD_OK);
    assert_string_equal(diag.message, "previous message");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bsm_reproduces_haug_values),
        cmocka_unit_test(bsm_reproduces_haug_greeks),
        cmocka_unit_test(bsm_satisfies_put_call_parity_with_carry),
        cmocka_unit_test(bsm_greeks_match_finite_differences),
        cmocka_unit_test(bsm_without_vol_is_discounted_forward_intrinsic),
        cmocka_unit_test(bsm_at_tiny_expiry_tends_to_intrinsic),
        cmocka_unit_test(bsm_deep_in_and_out_of_the_money),
        cmocka_unit_test(bsm_is_accurate_near_the_money_at_tiny_expiry),
        cmocka_unit_test(bsm_rejects_bad_input),
        cmocka_unit_test(bsm_rejects_null_and_unknown_type),
        cmocka_unit_test(bsm_success_leaves_diag_untouched),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
