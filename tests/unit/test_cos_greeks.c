/*
 * test_cos_greeks.c — the COS engine's greeks (cos.h) against five-point
 * central finite differences of lsd_cos_price itself at tol 1e-15, for
 * Kou, Heston, Bates and the default and depeg overlays on several bases:
 * delta and gamma (the difference of delta) in S, theta = −∂V/∂T, rho
 * (r at fixed q), carry_rho (q at fixed r), vega (σ for BSM, Merton and
 * Kou; for Heston and Bates the parallel shift √v0 → √v0 + ε,
 * √θ → √θ + ε of cos.h) and the jump sensitivities (Merton's and Bates'
 * λ, μ_J, δ; Kou's λ, its other two exactly 0; exactly 0 for a base
 * without jumps, as the overlays have none).
 *
 * Steps are 1e-3 of each input's natural scale (s = the sd of ln S_T over
 * the expiry, capped at 1: spot S·s, rates s/T, expiry T, vols, λ and δ
 * relative, μ_J √(s² + δ²)). The stencil's truncation is then
 * ~(1e-3)⁴/30 ≈ 3e-14 of the output's size, and its rounding
 * ~1.5·e/h, where e ≈ 1e-15·(S·e^{−qT} + K·e^{−rT}) is the engine's error
 * at tol 1e-15 (cos.h), which also jumps by that much where a bump moves
 * the range or N (T, σ, λ, Heston's variance): 1.5·1e-15·6000/1e-3 ≈ 1e-8
 * of a unit step. The tests hold 1e-8 relative with a floor of 1e-10 of
 * each greek's scale (S; 1 for delta, 1/S for gamma); measured worst: 0.056
 * of that bound (the 2-day Bates call with both overlays), 3e-3 elsewhere;
 * printed per case.
 */
#include "testutil.h"

#include <math.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct fd_case {
    const char *name;
    lsd_option opt;
    lsd_market mkt;
    lsd_model_params params;
} fd_case;

static int is_heston(const lsd_model_params *p)
{
    return p->model == LSD_MODEL_HESTON || p->model == LSD_MODEL_BATES;
}

static int has_merton_jumps(const lsd_model_params *p)
{
    return p->model == LSD_MODEL_MERTON || p->model == LSD_MODEL_BATES;
}

#define S0 3000.0
#define CRYPTO(vol) { S0, 0.045, 0.031, (vol) }
#define HESTON_CRYPTO { 0.5, 2.0, 0.45, 1.5, -0.3 }

static const fd_case cases[] = {
    { "kou, 3 months, put", { LSD_PUT, 3200.0, 0.25 }, CRYPTO(0.6),
      { .model = LSD_MODEL_KOU, .kou = { 5.0, 0.3, 8.0, 6.0 } } },
    { "kou p = 0 (depeg law), 1 week, call", { LSD_CALL, 3100.0, 7.0 / 365.0 }, CRYPTO(0.5),
      { .model = LSD_MODEL_KOU, .kou = { 1.0, 0.0, 3.0, 20.0 } } },
    { "heston, 6 months, call", { LSD_CALL, 3300.0, 0.5 }, CRYPTO(0.0),
      { .model = LSD_MODEL_HESTON, .heston = HESTON_CRYPTO } },
    { "heston, 1 week, put", { LSD_PUT, 2800.0, 7.0 / 365.0 }, CRYPTO(0.0),
      { .model = LSD_MODEL_HESTON, .heston = HESTON_CRYPTO } },
    { "heston, Feller violated, 1 month, put", { LSD_PUT, 2700.0, 30.0 / 365.0 }, CRYPTO(0.0),
      { .model = LSD_MODEL_HESTON, .heston = { 0.05, 0.3, 0.05, 3.0, -0.5 } } },
    { "bates, 3 months, put", { LSD_PUT, 2900.0, 0.25 }, CRYPTO(0.0),
      { .model = LSD_MODEL_BATES, .jumps = { 3.0, -0.08, 0.12 }, .heston = HESTON_CRYPTO } },
    { "bsm + default R = 0, 1 year, put", { LSD_PUT, 2500.0, 1.0 }, CRYPTO(0.7),
      { .model = LSD_MODEL_BSM, .default_overlay = { 0.2, 0.0 } } },
    { "bsm + default R = 0.4, 6 months, call", { LSD_CALL, 3500.0, 0.5 }, CRYPTO(0.7),
      { .model = LSD_MODEL_BSM, .default_overlay = { 0.2, 0.4 } } },
    { "merton + depeg, 3 months, put", { LSD_PUT, 2900.0, 0.25 }, CRYPTO(0.6),
      { .model = LSD_MODEL_MERTON, .jumps = { 2.0, -0.1, 0.15 }, .depeg = { 1.0, -0.04, 0.03 } } },
    { "kou + default R = 0.3, 1 month, call", { LSD_CALL, 3300.0, 30.0 / 365.0 }, CRYPTO(0.6),
      { .model = LSD_MODEL_KOU, .kou = { 5.0, 0.3, 8.0, 6.0 },
        .default_overlay = { 0.1, 0.3 } } },
    { "heston + default R = 0 + depeg, 6 months, put", { LSD_PUT, 2800.0, 0.5 }, CRYPTO(0.0),
      { .model = LSD_MODEL_HESTON, .heston = HESTON_CRYPTO, .default_overlay = { 0.1, 0.0 },
        .depeg = { 0.5, -0.05, 0.03 } } },
    { "bates + both overlays, 2 days, call", { LSD_CALL, 3150.0, 2.0 / 365.0 }, CRYPTO(0.0),
      { .model = LSD_MODEL_BATES, .jumps = { 3.0, -0.08, 0.12 }, .heston = HESTON_CRYPTO,
        .default_overlay = { 0.05, 0.3 }, .depeg = { 0.5, -0.05, 0.03 } } },
};

/* Which input a finite difference moves. */
typedef enum bump {
    BUMP_SPOT, BUMP_EXPIRY, BUMP_RATE, BUMP_CARRY, BUMP_VOL,
    BUMP_JUMP_INTENSITY, BUMP_JUMP_MEAN, BUMP_JUMP_VOL
} bump;

static const lsd_cos_control fine = { 1e-15, 1L << 24 };

/* Price (or delta, for gamma) of c with one input moved by dx. */
static double bumped(const fd_case *c, bump which, double dx, int want_delta)
{
    fd_case b = *c;
    lsd_heston *h = &b.params.heston;
    switch (which) {
    case BUMP_SPOT: b.mkt.spot += dx; break;
    case BUMP_EXPIRY: b.opt.expiry += dx; break;
    case BUMP_RATE: b.mkt.rate += dx; break;
    case BUMP_CARRY: b.mkt.carry += dx; break;
    case BUMP_VOL:
        if (is_heston(&b.params)) { /* cos.h: the parallel shift of √v0 and √θ */
            h->v0 = (sqrt(h->v0) + dx) * (sqrt(h->v0) + dx);
            h->theta = (sqrt(h->theta) + dx) * (sqrt(h->theta) + dx);
        } else {
            b.mkt.vol += dx;
        }
        break;
    case BUMP_JUMP_INTENSITY:
        if (b.params.model == LSD_MODEL_KOU)
            b.params.kou.intensity += dx;
        else
            b.params.jumps.intensity += dx;
        break;
    case BUMP_JUMP_MEAN: b.params.jumps.mean += dx; break;
    case BUMP_JUMP_VOL: b.params.jumps.vol += dx; break;
    }
    const lsd_greeks g = cos_ok(&b.opt, &b.mkt, &b.params, &fine);
    return want_delta ? g.delta : g.price;
}

/* Five-point central difference: error h⁴ f⁽⁵⁾/30 plus ~1.5 e/h. */
static double central(const fd_case *c, bump which, double h, int want_delta)
{
    return (-bumped(c, which, 2 * h, want_delta) + 8 * bumped(c, which, h, want_delta) -
            8 * bumped(c, which, -h, want_delta) + bumped(c, which, -2 * h, want_delta)) /
           (12 * h);
}

/* got against the difference want within 1e-8 relative or 1e-10·scale; returns |diff|/bound. */
static double check(const char *what, double got, double want, double scale)
{
    const double bound = fmax(1e-8 * fabs(want), 1e-10 * scale);
    if (!(fabs(got - want) <= bound))
        print_error("%s: %.17g vs finite difference %.17g\n", what, got, want);
    assert_close(got, want, 1e-8, 1e-10 * scale);
    return fabs(got - want) / bound;
}

static void cos_greeks_match_finite_differences(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        const fd_case *c = &cases[i];
        const lsd_model_params *p = &c->params;
        const lsd_greeks g = cos_ok(&c->opt, &c->mkt, p, &fine);
        const double S = c->mkt.spot, T = c->opt.expiry;
        const double v = is_heston(p) ? sqrt(p->heston.v0) : c->mkt.vol;
        const double s = fmin(v * sqrt(T), 1.0);
        double worst = 0.0;
        worst = fmax(worst, check("delta", g.delta, central(c, BUMP_SPOT, 1e-3 * S * s, 0), 1.0));
        worst = fmax(worst, check("gamma", g.gamma, central(c, BUMP_SPOT, 1e-3 * S * s, 1), 1.0 / S));
        worst = fmax(worst, check("theta", g.theta, -central(c, BUMP_EXPIRY, 1e-3 * T, 0), S));
        worst = fmax(worst, check("rho", g.rho, central(c, BUMP_RATE, 1e-3 * s / T, 0), S));
        worst = fmax(worst,
                     check("carry_rho", g.carry_rho, central(c, BUMP_CARRY, 1e-3 * s / T, 0), S));
        worst = fmax(worst, check("vega", g.vega, central(c, BUMP_VOL, 1e-3 * v, 0), S));
        if (has_merton_jumps(p)) {
            const lsd_jumps *j = &p->jumps;
            const double hmu = 1e-3 * sqrt(s * s + j->vol * j->vol);
            worst = fmax(worst, check("jump_intensity_sens", g.jump_intensity_sens,
                                      central(c, BUMP_JUMP_INTENSITY, 1e-3 * j->intensity, 0), S));
            worst = fmax(worst, check("jump_mean_sens", g.jump_mean_sens,
                                      central(c, BUMP_JUMP_MEAN, hmu, 0), S));
            worst = fmax(worst, check("jump_vol_sens", g.jump_vol_sens,
                                      central(c, BUMP_JUMP_VOL, 1e-3 * j->vol, 0), S));
        } else if (p->model == LSD_MODEL_KOU) {
            worst = fmax(worst,
                         check("jump_intensity_sens", g.jump_intensity_sens,
                               central(c, BUMP_JUMP_INTENSITY, 1e-3 * p->kou.intensity, 0), S));
            assert_true(g.jump_mean_sens == 0.0 && g.jump_vol_sens == 0.0);
        } else {
            assert_true(g.jump_intensity_sens == 0.0 && g.jump_mean_sens == 0.0 &&
                        g.jump_vol_sens == 0.0);
        }
        print_message("%s: price %.17g, worst |greek − difference| %.2g of its bound\n",
                      c->name, g.price, worst);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cos_greeks_match_finite_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
