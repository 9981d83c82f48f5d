/*
 * test_merton.c — tests of lsd_merton_price (pricing/models/merton.c): Merton
 * (1976) jump-diffusion with a continuous carry yield, the depeg model.
 *
 * Published values: every Merton (1976) value of QuantLib's test-suite
 * (test-suite/jumpdiffusion.cpp, testMerton76), from E. G. Haug, "Option
 * Pricing Formulas", McGraw-Hill 1998, p. 9, within its published tolerance
 * 1e-2. Haug's inputs are the total volatility v, the jump intensity λ and
 * the share γ of the variance that comes from jumps; QuantLib maps them to
 * Merton's parameters as δ = v·√(γ/λ) (jump vol), σ = v·√(1−γ) (diffusion
 * vol) and a mean log-jump μ_J = ln(1 + 0) − δ²/2 ("Haug is assuming zero
 * meanJump", i.e. κ = 0), so that λδ² + σ² = v². QuantLib notes that Haug's
 * own table stops the series after 11 terms and is off by up to 0.34 at
 * λ = 10, T = 0.5; its table (used here) gives the converged values and
 * Haug's in comments.
 *
 * Invariants and limits: λ = 0 is lsd_bsm_price bit for bit (and ∂V/∂λ is
 * its closed-form one-sided limit); put–call parity with carry, with jump
 * sensitivities equal for calls and puts; greeks and jump sensitivities
 * against five-point central finite differences, including λT = 200 and a
 * deep out-of-the-money, short-dated, jump-dominated call; that call and
 * other extreme cases against an independent direct summation of the series
 * in long double. Status codes: LSD_EINVAL, LSD_EDOM (inputs, series
 * control, overflowing jump parameters) and LSD_ENOCONV are provoked; the
 * module returns no other failure code.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <math.h>
#include <string.h>

static lsd_greeks merton_ok(const lsd_option *opt, const lsd_market *mkt,
                            const lsd_jumps *jumps)
{
    lsd_greeks g;
    lsd_diag diag = { "" };
    const lsd_status st = lsd_merton_price(opt, mkt, jumps, NULL, &g, &diag);
    if (st != LSD_OK)
        print_error("lsd_merton_price: %s (%s)\n", lsd_strerror(st), diag.message);
    assert_int_equal(st, LSD_OK);
    return g;
}

static lsd_greeks bsm_ok(const lsd_option *opt, const lsd_market *mkt)
{
    lsd_greeks g;
    assert_int_equal(lsd_bsm_price(opt, mkt, &g, NULL), LSD_OK);
    return g;
}

/* One row of QuantLib's testMerton76 table (S = 100, q = 0, r = 0.08, v = 0.25). */
typedef struct haug_merton_row {
    double strike, expiry, intensity, gamma, value;
} haug_merton_row;

/* QuantLib jumpdiffusion.cpp, testMerton76: Haug (1998) p. 9, calls, tol 1e-2. */
static void merton_reproduces_haug_p9_table(void **state)
{
    (void)state;
    static const haug_merton_row rows[] = {
        /* strike, t, λ, γ, value */
        /* γ = 0.25, strike = 80 */
        { 80.0, 0.10, 1.0, 0.25, 20.67 }, { 80.0, 0.25, 1.0, 0.25, 21.74 },
        { 80.0, 0.50, 1.0, 0.25, 23.63 }, { 80.0, 0.10, 5.0, 0.25, 20.65 },
        { 80.0, 0.25, 5.0, 0.25, 21.70 }, { 80.0, 0.50, 5.0, 0.25, 23.61 },
        { 80.0, 0.10, 10.0, 0.25, 20.64 }, { 80.0, 0.25, 10.0, 0.25, 21.70 },
        { 80.0, 0.50, 10.0, 0.25, 23.61 }, /* Haug 23.28 */
        /* γ = 0.25, strike = 90 */
        { 90.0, 0.10, 1.0, 0.25, 11.00 }, { 90.0, 0.25, 1.0, 0.25, 12.74 },
        { 90.0, 0.50, 1.0, 0.25, 15.40 }, { 90.0, 0.10, 5.0, 0.25, 10.98 },
        { 90.0, 0.25, 5.0, 0.25, 12.75 }, { 90.0, 0.50, 5.0, 0.25, 15.42 },
        { 90.0, 0.10, 10.0, 0.25, 10.98 }, { 90.0, 0.25, 10.0, 0.25, 12.75 },
        { 90.0, 0.50, 10.0, 0.25, 15.42 }, /* Haug 15.20 */
        /* γ = 0.25, strike = 100 */
        { 100.0, 0.10, 1.0, 0.25, 3.42 }, { 100.0, 0.25, 1.0, 0.25, 5.88 },
        { 100.0, 0.50, 1.0, 0.25, 8.95 }, { 100.0, 0.10, 5.0, 0.25, 3.51 },
        { 100.0, 0.25, 5.0, 0.25, 5.96 }, { 100.0, 0.50, 5.0, 0.25, 9.02 },
        { 100.0, 0.10, 10.0, 0.25, 3.53 }, { 100.0, 0.25, 10.0, 0.25, 5.97 },
        { 100.0, 0.50, 10.0, 0.25, 9.03 }, /* Haug 8.89 */
        /* γ = 0.25, strike = 110 */
        { 110.0, 0.10, 1.0, 0.25, 0.55 }, { 110.0, 0.25, 1.0, 0.25, 2.11 },
        { 110.0, 0.50, 1.0, 0.25, 4.67 }, { 110.0, 0.10, 5.0, 0.25, 0.56 },
        { 110.0, 0.25, 5.0, 0.25, 2.16 }, { 110.0, 0.50, 5.0, 0.25, 4.73 },
        { 110.0, 0.10, 10.0, 0.25, 0.56 }, { 110.0, 0.25, 10.0, 0.25, 2.17 },
        { 110.0, 0.50, 10.0, 0.25, 4.74 }, /* Haug 4.66 */
        /* γ = 0.25, strike = 120 */
        { 120.0, 0.10, 1.0, 0.25, 0.10 }, { 120.0, 0.25, 1.0, 0.25, 0.64 },
        { 120.0, 0.50, 1.0, 0.25, 2.23 }, { 120.0, 0.10, 5.0, 0.25, 0.06 },
        { 120.0, 0.25, 5.0, 0.25, 0.63 }, { 120.0, 0.50, 5.0, 0.25, 2.25 },
        { 120.0, 0.10, 10.0, 0.25, 0.05 }, { 120.0, 0.25, 10.0, 0.25, 0.62 },
        { 120.0, 0.50, 10.0, 0.25, 2.25 }, /* Haug 2.21 */
        /* γ = 0.50, strike = 80 */
        { 80.0, 0.10, 1.0, 0.50, 20.72 }, { 80.0, 0.25, 1.0, 0.50, 21.83 },
        { 80.0, 0.50, 1.0, 0.50, 23.71 }, { 80.0, 0.10, 5.0, 0.50, 20.66 },
        { 80.0, 0.25, 5.0, 0.50, 21.73 }, { 80.0, 0.50, 5.0, 0.50, 23.63 },
        { 80.0, 0.10, 10.0, 0.50, 20.65 }, { 80.0, 0.25, 10.0, 0.50, 21.71 },
        { 80.0, 0.50, 10.0, 0.50, 23.61 }, /* Haug 23.28 */
        /* γ = 0.50, strike = 90 */
        { 90.0, 0.10, 1.0, 0.50, 11.04 }, { 90.0, 0.25, 1.0, 0.50, 12.72 },
        { 90.0, 0.50, 1.0, 0.50, 15.34 }, { 90.0, 0.10, 5.0, 0.50, 11.02 },
        { 90.0, 0.25, 5.0, 0.50, 12.76 }, { 90.0, 0.50, 5.0, 0.50, 15.41 },
        { 90.0, 0.10, 10.0, 0.50, 11.00 }, { 90.0, 0.25, 10.0, 0.50, 12.75 },
        { 90.0, 0.50, 10.0, 0.50, 15.41 }, /* Haug 15.18 */
        /* γ = 0.50, strike = 100 */
        { 100.0, 0.10, 1.0, 0.50, 3.14 }, { 100.0, 0.25, 1.0, 0.50, 5.58 },
        { 100.0, 0.50, 1.0, 0.50, 8.71 }, { 100.0, 0.10, 5.0, 0.50, 3.39 },
        { 100.0, 0.25, 5.0, 0.50, 5.87 }, { 100.0, 0.50, 5.0, 0.50, 8.96 },
        { 100.0, 0.10, 10.0, 0.50, 3.46 }, { 100.0, 0.25, 10.0, 0.50, 5.93 },
        { 100.0, 0.50, 10.0, 0.50, 9.00 }, /* Haug 8.85 */
        /* γ = 0.50, strike = 110 */
        { 110.0, 0.10, 1.0, 0.50, 0.53 }, { 110.0, 0.25, 1.0, 0.50, 1.93 },
        { 110.0, 0.50, 1.0, 0.50, 4.42 }, { 110.0, 0.10, 5.0, 0.50, 0.58 },
        { 110.0, 0.25, 5.0, 0.50, 2.11 }, { 110.0, 0.50, 5.0, 0.50, 4.67 },
        { 110.0, 0.10, 10.0, 0.50, 0.57 }, { 110.0, 0.25, 10.0, 0.50, 2.14 },
        { 110.0, 0.50, 10.0, 0.50, 4.71 }, /* Haug 4.62 */
        /* γ = 0.50, strike = 120 */
        { 120.0, 0.10, 1.0, 0.50, 0.19 }, { 120.0, 0.25, 1.0, 0.50, 0.71 },
        { 120.0, 0.50, 1.0, 0.50, 2.15 }, { 120.0, 0.10, 5.0, 0.50, 0.10 },
        { 120.0, 0.25, 5.0, 0.50, 0.66 }, { 120.0, 0.50, 5.0, 0.50, 2.23 },
        { 120.0, 0.10, 10.0, 0.50, 0.07 }, { 120.0, 0.25, 10.0, 0.50, 0.64 },
        { 120.0, 0.50, 10.0, 0.50, 2.24 }, /* Haug 2.19 */
        /* γ = 0.75, strike = 80 */
        { 80.0, 0.10, 1.0, 0.75, 20.79 }, { 80.0, 0.25, 1.0, 0.75, 21.96 },
        { 80.0, 0.50, 1.0, 0.75, 23.86 }, { 80.0, 0.10, 5.0, 0.75, 20.68 },
        { 80.0, 0.25, 5.0, 0.75, 21.78 }, { 80.0, 0.50, 5.0, 0.75, 23.67 },
        { 80.0, 0.10, 10.0, 0.75, 20.66 }, { 80.0, 0.25, 10.0, 0.75, 21.74 },
        { 80.0, 0.50, 10.0, 0.75, 23.64 }, /* Haug 23.30 */
        /* γ = 0.75, strike = 90 */
        { 90.0, 0.10, 1.0, 0.75, 11.11 }, { 90.0, 0.25, 1.0, 0.75, 12.75 },
        { 90.0, 0.50, 1.0, 0.75, 15.30 }, { 90.0, 0.10, 5.0, 0.75, 11.09 },
        { 90.0, 0.25, 5.0, 0.75, 12.78 }, { 90.0, 0.50, 5.0, 0.75, 15.39 },
        { 90.0, 0.10, 10.0, 0.75, 11.04 }, { 90.0, 0.25, 10.0, 0.75, 12.76 },
        { 90.0, 0.50, 10.0, 0.75, 15.40 }, /* Haug 15.17 */
        /* γ = 0.75, strike = 100 */
        { 100.0, 0.10, 1.0, 0.75, 2.70 }, { 100.0, 0.25, 1.0, 0.75, 5.08 },
        { 100.0, 0.50, 1.0, 0.75, 8.24 }, { 100.0, 0.10, 5.0, 0.75, 3.16 },
        { 100.0, 0.25, 5.0, 0.75, 5.71 }, { 100.0, 0.50, 5.0, 0.75, 8.85 },
        { 100.0, 0.10, 10.0, 0.75, 3.33 }, { 100.0, 0.25, 10.0, 0.75, 5.85 },
        { 100.0, 0.50, 10.0, 0.75, 8.95 }, /* Haug 8.79 */
        /* γ = 0.75, strike = 110 */
        { 110.0, 0.10, 1.0, 0.75, 0.54 }, { 110.0, 0.25, 1.0, 0.75, 1.69 },
        { 110.0, 0.50, 1.0, 0.75, 3.99 }, { 110.0, 0.10, 5.0, 0.75, 0.62 },
        { 110.0, 0.25, 5.0, 0.75, 2.05 }, { 110.0, 0.50, 5.0, 0.75, 4.57 },
        { 110.0, 0.10, 10.0, 0.75, 0.60 }, { 110.0, 0.25, 10.0, 0.75, 2.11 },
        { 110.0, 0.50, 10.0, 0.75, 4.66 }, /* Haug 4.56 */
        /* γ = 0.75, strike = 120 */
        { 120.0, 0.10, 1.0, 0.75, 0.29 }, { 120.0, 0.25, 1.0, 0.75, 0.84 },
        { 120.0, 0.50, 1.0, 0.75, 2.09 }, { 120.0, 0.10, 5.0, 0.75, 0.15 },
        { 120.0, 0.25, 5.0, 0.75, 0.71 }, { 120.0, 0.50, 5.0, 0.75, 2.21 },
        { 120.0, 0.10, 10.0, 0.75, 0.11 }, { 120.0, 0.25, 10.0, 0.75, 0.67 },
        { 120.0, 0.50, 10.0, 0.75, 2.23 }, /* Haug 2.17 */
    };
    const double spot = 100.0, carry = 0.0, rate = 0.08, total_vol = 0.25;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const haug_merton_row *row = &rows[i];
        const double jump_vol = total_vol * sqrt(row->gamma / row->intensity);
        const double diffusion_vol = total_vol * sqrt(1.0 - row->gamma);
        const lsd_option opt = { LSD_CALL, row->strike, row->expiry };
        const lsd_market mkt = { spot, rate, carry, diffusion_vol };
        const lsd_jumps jumps = { row->intensity, -0.5 * jump_vol * jump_vol, jump_vol };
        assert_close(sqrt(row->intensity * jump_vol * jump_vol +
                          diffusion_vol * diffusion_vol),
                     total_vol, 1e-13, 0.0);
        const lsd_greeks g = merton_ok(&opt, &mkt, &jumps);
        assert_close(g.price, row->value, 0.0, 1e-2);
    }
}

/* Cases used by several tests below. */
typedef struct merton_case {
    const char *name;
    lsd_option opt;
    lsd_market mkt;
    lsd_jumps jumps;
} merton_case;

static const merton_case cases[] = {
    { "ordinary depeg put", { LSD_PUT, 2900.0, 0.5 }, { 3000.0, 0.045, 0.031, 0.62 },
      { 2.0, -0.1, 0.15 } },
    { "ordinary call", { LSD_CALL, 110.0, 1.0 }, { 100.0, 0.03, 0.0, 0.3 },
      { 0.5, 0.05, 0.2 } },
    /* QuantLib 1.29 returns ~1e-43 for this one: its series stops after the
       vanishing no-jump term (~1e-44). The value is ~0.31. */
    { "10%-OTM one-week call, large jumps", { LSD_CALL, 110.0, 7.0 / 365.0 },
      { 100.0, 0.0, 0.0, 0.05 }, { 1.0, -0.125, 0.5 } },
    { "deep-OTM one-day depeg put", { LSD_PUT, 0.7, 1.0 / 365.0 },
      { 1.0, 0.05, 0.035, 0.02 }, { 5.0, -0.5, 0.2 } },
    { "lambda T = 200", { LSD_CALL, 100.0, 1.0 }, { 100.0, 0.05, 0.02, 0.2 },
      { 200.0, -0.01, 0.02 } },
    { "lambda T = 200 put", { LSD_PUT, 80.0, 2.0 }, { 100.0, 0.03, 0.0, 0.1 },
      { 100.0, -0.02, 0.03 } },
};
#define N_CASES (sizeof cases / sizeof cases[0])

/*
 * λ = 0: the jump parameters must not matter. Every output but ∂V/∂λ is
 * lsd_bsm_price's bit for bit (bsm.c and merton.c share black.h's kernel),
 * and ∂V/∂λ at λ = 0⁺ is, from the first two terms of the series,
 *
 *   ∂V/∂λ = T·[BSM(S(1+κ), σ₁) − BSM(S, σ) − κ·S·Δ_BSM(S, σ)],
 *   σ₁² = σ² + δ²/T,
 *
 * (the n = 1 term, the loss of the n = 0 weight, and the −λκ drift of the
 * forward), evaluated here with lsd_bsm_price.
 */
static void merton_without_jumps_is_bsm(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        lsd_jumps none = cases[i].jumps;
        none.intensity = 0.0;
        const lsd_greeks m = merton_ok(&cases[i].opt, &cases[i].mkt, &none);
        const lsd_greeks b = bsm_ok(&cases[i].opt, &cases[i].mkt);
        lsd_greeks all_but_intensity = m;
        all_but_intensity.jump_intensity_sens = b.jump_intensity_sens;
        assert_memory_equal(&all_but_intensity, &b, sizeof b); /* jump_mean/vol_sens: 0 */

        const double T = cases[i].opt.expiry, S = cases[i].mkt.spot;
        const double kappa = expm1(none.mean + 0.5 * none.vol * none.vol);
        lsd_market one_jump = cases[i].mkt;
        one_jump.spot = S * (1.0 + kappa);
        one_jump.vol = sqrt(one_jump.vol * one_jump.vol + none.vol * none.vol / T);
        const lsd_greeks b1 = bsm_ok(&cases[i].opt, &one_jump);
        const double want = T * (b1.price - b.price - kappa * S * b.delta);
        assert_close(m.jump_intensity_sens, want, 1e-12, 1e-13 * S);
    }
}

/* λ → 0⁺ is continuous: V(λ) = V(0) + λ ∂V/∂λ + O(λ²T²). */
static void merton_is_continuous_as_intensity_vanishes(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        lsd_jumps none = cases[i].jumps, tiny = cases[i].jumps;
        none.intensity = 0.0;
        tiny.intensity = 1e-9;
        const lsd_greeks g0 = merton_ok(&cases[i].opt, &cases[i].mkt, &none);
        const lsd_greeks g1 = merton_ok(&cases[i].opt, &cases[i].mkt, &tiny);
        const double S = cases[i].mkt.spot;
        assert_close(g1.price, g0.price + 1e-9 * g0.jump_intensity_sens, 1e-14, 1e-15 * S);
        assert_close(g1.jump_intensity_sens, g0.jump_intensity_sens, 1e-6, 1e-13 * S);
    }
}

/*
 * Compensated jumps leave the forward alone, so C − P = S e^{−qT} − K e^{−rT}
 * as without jumps: the greeks' parities are BSM's, and the jump
 * sensitivities of a call and a put are equal. Tolerance: issue 2's 1e-12 of
 * the larger leg (each side is a difference of outputs of that size).
 */
static void merton_satisfies_put_call_parity_with_carry(void **state)
{
    (void)state;
    const double strikes[] = { 0.01, 0.5, 0.9, 1.0, 1.1, 2.0, 100.0 };
    for (size_t i = 0; i < N_CASES; i++)
        for (size_t k = 0; k < sizeof strikes / sizeof strikes[0]; k++) {
            lsd_option call = cases[i].opt, put = cases[i].opt;
            const lsd_market *mkt = &cases[i].mkt;
            const double S = mkt->spot, K = strikes[k] * S, T = call.expiry;
            call.type = LSD_CALL;
            put.type = LSD_PUT;
            call.strike = put.strike = K;
            const lsd_greeks c = merton_ok(&call, mkt, &cases[i].jumps);
            const lsd_greeks p = merton_ok(&put, mkt, &cases[i].jumps);
            const double sd = S * exp(-mkt->carry * T), kd = K * exp(-mkt->rate * T);
            const double scale = fmax(sd, kd), tol = 1e-12 * scale;
            assert_close(c.price - p.price, sd - kd, 1e-12, tol);
            assert_close(c.delta - p.delta, exp(-mkt->carry * T), 1e-12, tol / S);
            assert_close(c.gamma, p.gamma, 1e-12, tol / (S * S));
            assert_close(c.vega, p.vega, 1e-12, tol);
            assert_close(c.theta - p.theta, mkt->carry * sd - mkt->rate * kd, 1e-12, tol);
            assert_close(c.rho - p.rho, T * kd, 1e-12, tol * T);
            assert_close(c.carry_rho - p.carry_rho, -T * sd, 1e-12, tol * T);
            assert_close(c.jump_intensity_sens, p.jump_intensity_sens, 1e-12, tol);
            assert_close(c.jump_mean_sens, p.jump_mean_sens, 1e-12, tol);
            assert_close(c.jump_vol_sens, p.jump_vol_sens, 1e-12, tol);
        }
}

/* Which input a finite difference bumps. */
typedef enum bump {
    BUMP_SPOT, BUMP_VOL, BUMP_EXPIRY, BUMP_RATE, BUMP_CARRY,
    BUMP_INTENSITY, BUMP_JUMP_MEAN, BUMP_JUMP_VOL
} bump;

/* Price (or delta, for gamma) of case c with one input moved by dx. */
static double bumped(const merton_case *c, bump which, double dx, int want_delta)
{
    lsd_option opt = c->opt;
    lsd_market mkt = c->mkt;
    lsd_jumps jumps = c->jumps;
    switch (which) {
    case BUMP_SPOT: mkt.spot += dx; break;
    case BUMP_VOL: mkt.vol += dx; break;
    case BUMP_EXPIRY: opt.expiry += dx; break;
    case BUMP_RATE: mkt.rate += dx; break;
    case BUMP_CARRY: mkt.carry += dx; break;
    case BUMP_INTENSITY: jumps.intensity += dx; break;
    case BUMP_JUMP_MEAN: jumps.mean += dx; break;
    case BUMP_JUMP_VOL: jumps.vol += dx; break;
    }
    const lsd_greeks g = merton_ok(&opt, &mkt, &jumps);
    return want_delta ? g.delta : g.price;
}

/* Five-point central difference: error h⁴ f⁽⁵⁾/30 plus ~1.5 ε|f|/h. */
static double central(const merton_case *c, bump which, double h, int want_delta)
{
    return (-bumped(c, which, 2 * h, want_delta) + 8 * bumped(c, which, h, want_delta) -
            8 * bumped(c, which, -h, want_delta) + bumped(c, which, -2 * h, want_delta)) /
           (12 * h);
}

/*
 * Greeks and jump sensitivities against finite differences. Steps are 1e-3
 * of each input's natural scale (spot: S·min(s, 1) with s = σ√T; vol,
 * expiry, λ, δ: relative; rates: s/T; μ_J: √(σ²T + δ²)), so the stencil's
 * truncation is ~(1e-3)⁴/30 and its rounding ~1.5 ε/1e-3 ≈ 3e-13 of the
 * output's size, plus the series' own tail tolerance (1e-14 relative by
 * default) divided by 1e-3 where the number of summed terms changes between
 * bumps. 1e-8 relative (floor 1e-10 of the output's scale) is far above that
 * and far below any formula error.
 */
static void merton_greeks_match_finite_differences(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CASES; i++) {
        const merton_case *c = &cases[i];
        const lsd_greeks g = merton_ok(&c->opt, &c->mkt, &c->jumps);
        const double S = c->mkt.spot, T = c->opt.expiry, vol = c->mkt.vol;
        const double s = vol * sqrt(T);
        const double hs = 1e-3 * S * fmin(s, 1.0);
        const double rtol = 1e-8, atol = 1e-10 * S;
        print_message("%s: price %.17g\n", c->name, g.price);
        assert_close(g.delta, central(c, BUMP_SPOT, hs, 0), rtol, 1e-10);
        assert_close(g.gamma, central(c, BUMP_SPOT, hs, 1), rtol, 1e-10 / S);
        assert_close(g.vega, central(c, BUMP_VOL, 1e-3 * vol, 0), rtol, atol);
        assert_close(g.theta, -central(c, BUMP_EXPIRY, 1e-3 * T, 0), rtol, atol);
        assert_close(g.rho, central(c, BUMP_RATE, 1e-3 * s / T, 0), rtol, atol);
        assert_close(g.carry_rho, central(c, BUMP_CARRY, 1e-3 * s / T, 0), rtol, atol);
        assert_close(g.jump_intensity_sens,
                     central(c, BUMP_INTENSITY, 1e-3 * c->jumps.intensity, 0), rtol, atol);
        const double hmu =
            1e-3 * sqrt(vol * vol * T + c->jumps.vol * c->jumps.vol);
        assert_close(g.jump_mean_sens, central(c, BUMP_JUMP_MEAN, hmu, 0), rtol, atol);
        assert_close(g.jump_vol_sens, central(c, BUMP_JUMP_VOL, 1e-3 * c->jumps.vol, 0),
                     rtol, atol);
    }
}

/* Undiscounted Black price in long double, N(z) = erfc(−z/√2)/2. */
static long double ld_black(lsd_option_type type, long double fwd, long double strike,
                            long double var)
{
    const long double sd = sqrtl(var);
    const long double d1 = (logl(fwd / strike) + 0.5L * var) / sd, d2 = d1 - sd;
    const long double r2 = sqrtl(2.0L);
    if (type == LSD_CALL)
        return fwd * 0.5L * erfcl(-d1 / r2) - strike * 0.5L * erfcl(-d2 / r2);
    return strike * 0.5L * erfcl(d2 / r2) - fwd * 0.5L * erfcl(d1 / r2);
}

/*
 * Independent Merton price: the textbook sum (Merton 1976, eq. 19; Haug
 * 2007, §6.7.1), V = e^{−rT} Σ_{n=0}^{N} Pois(n; λT)·Black(F_n, K, σ²T + nδ²),
 * F_n = S e^{(r−q−λκ)T}(1+κ)^n, in long double (64-bit significand), each
 * weight directly as exp(−m + n ln m − ln n!), from n = 0 to
 * N = m + 40√m + 40, past which the Poisson tail is below 1e-300. Nothing
 * is shared with merton.c (forward-leg weights, mode start, tail bounds).
 */
static double ld_merton_price(const merton_case *c)
{
    const long double S = c->mkt.spot, K = c->opt.strike, T = c->opt.expiry;
    const long double r = c->mkt.rate, q = c->mkt.carry, vol = c->mkt.vol;
    const long double lam = c->jumps.intensity, mu = c->jumps.mean, dlt = c->jumps.vol;
    const long double ln1k = mu + 0.5L * dlt * dlt, kappa = expm1l(ln1k);
    const long double m = lam * T;
    const long double fwd0 = S * expl((r - q) * T - m * kappa);
    const long n_max = (long)(m + 40.0L * sqrtl(m) + 40.0L);
    long double sum = 0.0L;
    for (long n = 0; n <= n_max; n++) {
        const long double dn = (long double)n;
        const long double w = m > 0.0L ? expl(-m + dn * logl(m) - lgammal(dn + 1.0L))
                                       : (n == 0 ? 1.0L : 0.0L);
        if (w > 0.0L)
            sum += w * ld_black(c->opt.type, fwd0 * expl(dn * ln1k), K,
                                vol * vol * T + dn * dlt * dlt);
    }
    return (double)(expl(-r * T) * sum);
}

/*
 * Prices against the long-double summation to issue 2's accuracy (1e-12
 * relative, 1e-13·spot absolute): the cases above — among them the 10%-OTM
 * one-week call QuantLib 1.29 prices at ~1e-43 and λT = 200 where it loses
 * ~1e-10 — plus λT = 500 and strikes at 0.01× and 100× spot.
 */
static void merton_matches_long_double_summation(void **state)
{
    (void)state;
    const merton_case extra[] = {
        { "lambda T = 500", { LSD_CALL, 120.0, 10.0 }, { 100.0, 0.02, 0.01, 0.05 },
          { 50.0, 0.005, 0.01 } },
        { "lambda T = 500 put", { LSD_PUT, 100.0, 5.0 }, { 100.0, 0.0, 0.03, 1.0 },
          { 100.0, -0.05, 0.05 } },
        { "K = 0.01 S put, huge depeg", { LSD_PUT, 1.0, 0.05 }, { 100.0, 0.02, 0.01, 0.3 },
          { 2.0, -2.0, 1.0 } },
        { "K = 100 S call", { LSD_CALL, 10000.0, 3.0 }, { 100.0, 0.04, 0.03, 0.8 },
          { 1.0, 0.3, 0.4 } },
    };
    for (size_t i = 0; i < N_CASES + sizeof extra / sizeof extra[0]; i++) {
        const merton_case *c = i < N_CASES ? &cases[i] : &extra[i - N_CASES];
        const lsd_greeks g = merton_ok(&c->opt, &c->mkt, &c->jumps);
        const double want = ld_merton_price(c);
        print_message("%s: %.17g (long double %.17g)\n", c->name, g.price, want);
        assert_close(g.price, want, 1e-12, 1e-13 * c->mkt.spot);
    }
    /* The QuantLib failure case is worth ~0.31, not ~1e-44. */
    const lsd_greeks ql = merton_ok(&cases[2].opt, &cases[2].mkt, &cases[2].jumps);
    assert_true(ql.price > 0.25 && ql.price < 0.35);
}

/* Expect status, NaN outputs and (if field) a diag naming field. */
static void assert_fails(const lsd_option *opt, const lsd_market *mkt, const lsd_jumps *jumps,
                         const lsd_merton_control *ctl, lsd_status want, const char *field)
{
    lsd_greeks g = { 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0 };
    lsd_diag diag = { "" };
    assert_int_equal(lsd_merton_price(opt, mkt, jumps, ctl, &g, &diag), want);
    assert_greeks_nan(&g);
    if (field != NULL && strstr(diag.message, field) == NULL) {
        print_error("diag '%s' does not name '%s'\n", diag.message, field);
        fail();
    }
    assert_int_equal(lsd_merton_price(opt, mkt, jumps, ctl, &g, NULL), want);
    assert_greeks_nan(&g);
}

/* Bad market, option or jump input: LSD_EDOM naming the field. */
static void merton_rejects_bad_input(void **state)
{
    (void)state;
    const merton_case *c = &cases[0];
    const double positive_bad[] = { NAN, INFINITY, -INFINITY, 0.0, -1.0 };
    for (size_t i = 0; i < sizeof positive_bad / sizeof positive_bad[0]; i++) {
        lsd_option opt = c->opt;
        lsd_market mkt = c->mkt;
        mkt.spot = positive_bad[i];
        assert_fails(&opt, &mkt, &c->jumps, NULL, LSD_EDOM, "spot");
        mkt = c->mkt;
        mkt.vol = positive_bad[i];
        assert_fails(&opt, &mkt, &c->jumps, NULL, LSD_EDOM, "vol");
        opt.strike = positive_bad[i];
        assert_fails(&opt, &c->mkt, &c->jumps, NULL, LSD_EDOM, "strike");
        opt = c->opt;
        opt.expiry = positive_bad[i];
        assert_fails(&opt, &c->mkt, &c->jumps, NULL, LSD_EDOM, "expiry");
    }
    /* λ and δ must be finite and ≥ 0 (0 is fine); μ_J finite. */
    const double nonneg_bad[] = { NAN, INFINITY, -INFINITY, -1e-300, -2.0 };
    for (size_t i = 0; i < sizeof nonneg_bad / sizeof nonneg_bad[0]; i++) {
        lsd_jumps j = c->jumps;
        j.intensity = nonneg_bad[i];
        assert_fails(&c->opt, &c->mkt, &j, NULL, LSD_EDOM, "jump_intensity");
        j = c->jumps;
        j.vol = nonneg_bad[i];
        assert_fails(&c->opt, &c->mkt, &j, NULL, LSD_EDOM, "jump_vol");
    }
    const double finite_bad[] = { NAN, INFINITY, -INFINITY };
    for (size_t i = 0; i < sizeof finite_bad / sizeof finite_bad[0]; i++) {
        lsd_jumps j = c->jumps;
        j.mean = finite_bad[i];
        assert_fails(&c->opt, &c->mkt, &j, NULL, LSD_EDOM, "jump_mean");
        lsd_market mkt = c->mkt;
        mkt.rate = finite_bad[i];
        assert_fails(&c->opt, &mkt, &c->jumps, NULL, LSD_EDOM, "rate");
        mkt = c->mkt;
        mkt.carry = finite_bad[i];
        assert_fails(&c->opt, &mkt, &c->jumps, NULL, LSD_EDOM, "carry");
    }
    /* δ = 0 (fixed-size jumps) is a valid model. */
    lsd_jumps fixed = c->jumps;
    fixed.vol = 0.0;
    const lsd_greeks g = merton_ok(&c->opt, &c->mkt, &fixed);
    assert_true(isfinite(g.price) && g.price > 0.0 && g.jump_vol_sens == 0.0);
}

/* E[e^Y] or λ(1+κ)T overflowing a double: LSD_EDOM, not inf or NaN. */
static void merton_rejects_overflowing_jumps(void **state)
{
    (void)state;
    const merton_case *c = &cases[0];
    lsd_jumps j = c->jumps;
    j.mean = 800.0; /* κ = e^{800} − 1 overflows */
    assert_fails(&c->opt, &c->mkt, &j, NULL, LSD_EDOM, "jump_mean");
    j = c->jumps;
    j.vol = 40.0; /* δ²/2 = 800 */
    assert_fails(&c->opt, &c->mkt, &j, NULL, LSD_EDOM, NULL);
    j = c->jumps;
    j.intensity = 1e307;
    j.mean = 1.0; /* λ(1+κ)T = 1e307·e·0.5 overflows */
    lsd_option opt = c->opt;
    opt.expiry = 10.0;
    assert_fails(&opt, &c->mkt, &j, NULL, LSD_EDOM, "jump_intensity");
}

/* NULL pointers and an unknown option type: LSD_EINVAL. */
static void merton_rejects_null_and_unknown_type(void **state)
{
    (void)state;
    const merton_case *c = &cases[0];
    assert_fails(NULL, &c->mkt, &c->jumps, NULL, LSD_EINVAL, NULL);
    assert_fails(&c->opt, NULL, &c->jumps, NULL, LSD_EINVAL, NULL);
    assert_fails(&c->opt, &c->mkt, NULL, NULL, LSD_EINVAL, "jump");
    assert_int_equal(lsd_merton_price(&c->opt, &c->mkt, &c->jumps, NULL, NULL, NULL),
                     LSD_EINVAL);
    lsd_option bad = c->opt;
    bad.type = (lsd_option_type)-1;
    assert_fails(&bad, &c->mkt, &c->jumps, NULL, LSD_EINVAL, "type");
}

/* Series control: defaults, NULL = defaults, and validation. */
static void merton_validates_series_control(void **state)
{
    (void)state;
    const merton_case *c = &cases[4]; /* λT = 200: many terms */
    const lsd_merton_control def = lsd_merton_control_default();
    /* The defaults documented in merton.h. */
    assert_true(def.rtol == 1e-14 && def.atol == 1e-15 && def.max_terms == 100000);

    lsd_greeks with_null, with_default;
    assert_int_equal(lsd_merton_price(&c->opt, &c->mkt, &c->jumps, NULL, &with_null, NULL),
                     LSD_OK);
    assert_int_equal(lsd_merton_price(&c->opt, &c->mkt, &c->jumps, &def, &with_default, NULL),
                     LSD_OK);
    assert_true(memcmp(&with_null, &with_default, sizeof with_null) == 0);

    const double bad_tol[] = { NAN, INFINITY, -INFINITY, -1e-16 };
    for (size_t i = 0; i < sizeof bad_tol / sizeof bad_tol[0]; i++) {
        lsd_merton_control ctl = def;
        ctl.rtol = bad_tol[i];
        assert_fails(&c->opt, &c->mkt, &c->jumps, &ctl, LSD_EDOM, "rtol");
        ctl = def;
        ctl.atol = bad_tol[i];
        assert_fails(&c->opt, &c->mkt, &c->jumps, &ctl, LSD_EDOM, "atol");
    }
    const long bad_terms[] = { 0, -1, -100000 };
    for (size_t i = 0; i < sizeof bad_terms / sizeof bad_terms[0]; i++) {
        lsd_merton_control ctl = def;
        ctl.max_terms = bad_terms[i];
        assert_fails(&c->opt, &c->mkt, &c->jumps, &ctl, LSD_EDOM, "max_terms");
    }

    /* A looser tolerance is honoured: fewer terms, same price to ~1e-8. */
    lsd_merton_control loose = def;
    loose.rtol = 1e-10;
    loose.atol = 1e-10;
    lsd_greeks g;
    assert_int_equal(lsd_merton_price(&c->opt, &c->mkt, &c->jumps, &loose, &g, NULL), LSD_OK);
    assert_close(g.price, with_default.price, 1e-9, 0.0);
}

/*
 * A truncated sum is never returned: when the tail bound is not met within
 * max_terms, LSD_ENOCONV with NaN outputs. λT = 200 needs far more than a
 * few terms; even λT = 0.5 needs more than one. An expected jump count too
 * large to sum (λT = 1e30) fails the same way.
 */
static void merton_reports_no_convergence(void **state)
{
    (void)state;
    lsd_merton_control ctl = lsd_merton_control_default();
    ctl.max_terms = 1;
    assert_fails(&cases[1].opt, &cases[1].mkt, &cases[1].jumps, &ctl, LSD_ENOCONV,
                 "max_terms");
    ctl.max_terms = 20;
    assert_fails(&cases[4].opt, &cases[4].mkt, &cases[4].jumps, &ctl, LSD_ENOCONV,
                 "max_terms");
    lsd_jumps huge = cases[1].jumps;
    huge.intensity = 1e30;
    huge.mean = -0.5 * huge.vol * huge.vol; /* κ = 0 keeps the forward finite */
    assert_fails(&cases[1].opt, &cases[1].mkt, &huge, NULL, LSD_ENOCONV, NULL);

    /* The same inputs converge with the default control. */
    lsd_greeks g;
    assert_int_equal(lsd_merton_price(&cases[4].opt, &cases[4].mkt, &cases[4].jumps, NULL, &g,
                                      NULL),
                     LSD_OK);
}

/*
 * With rtol = atol = 0 the series runs to where the weights underflow: at
 * λT = 5000 down to n = 0, through the direct recomputation of weights the
 * recurrence lost (Pois(0; 5000) underflows to 0). It must end (OK, equal
 * to the default control's result to 1e-13) and never hand GSL a domain
 * error, whose default handler aborts.
 */
static void merton_sums_to_the_ends_with_zero_tolerance(void **state)
{
    (void)state;
    lsd_jumps busy = cases[1].jumps;
    busy.intensity = 5000.0 / cases[1].opt.expiry;
    lsd_merton_control ctl = lsd_merton_control_default();
    ctl.rtol = 0.0;
    ctl.atol = 0.0;
    lsd_greeks exact, with_default;
    assert_int_equal(lsd_merton_price(&cases[1].opt, &cases[1].mkt, &busy, &ctl, &exact, NULL),
                     LSD_OK);
    assert_int_equal(
        lsd_merton_price(&cases[1].opt, &cases[1].mkt, &busy, NULL, &with_default, NULL),
        LSD_OK);
    assert_close(exact.price, with_default.price, 1e-13, 0.0);
    assert_close(exact.delta, with_default.delta, 1e-13, 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(merton_reproduces_haug_p9_table),
        cmocka_unit_test(merton_without_jumps_is_bsm),
        cmocka_unit_test(merton_is_continuous_as_intensity_vanishes),
        cmocka_unit_test(merton_satisfies_put_call_parity_with_carry),
        cmocka_unit_test(merton_greeks_match_finite_differences),
        cmocka_unit_test(merton_matches_long_double_summation),
        cmocka_unit_test(merton_rejects_bad_input),
        cmocka_unit_test(merton_rejects_overflowing_jumps),
        cmocka_unit_test(merton_rejects_null_and_unknown_type),
        cmocka_unit_test(merton_validates_series_control),
        cmocka_unit_test(merton_reports_no_convergence),
        cmocka_unit_test(merton_sums_to_the_ends_with_zero_tolerance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
