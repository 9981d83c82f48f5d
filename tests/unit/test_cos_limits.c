/*
 * test_cos_limits.c — limits and invariants of the COS engine
 * (pricing/models/cos.c, charfn.c), each against an independent
 * construction (DESIGN.md, "Depeg jumps" and the overlays):
 *
 *   - an overlay of intensity 0 is no overlay, bit for bit, on all 5 bases;
 *   - the default overlay with R = 0 is the base at rate r + h for a call,
 *     plus e^{−rT}(1 − e^{−hT})·K for a put (closed forms of bsm.h and
 *     merton.h), with every greek;
 *   - the default overlay with R > 0 and the depeg overlay are Merton jump
 *     families (λ = h, μ_J = ln R, δ = 0; the depeg's own λ, μ_J, δ):
 *     lsd_merton_price on a BSM base, and each other on a Merton base;
 *   - Kou with one side switched off does not see that side's η; Kou with
 *     λ = 0 is BSM; Bates with λ = 0 is Heston;
 *   - Heston with σᵥ → 0 is BSM at the integrated variance, with a
 *     correction linear in σᵥ;
 *   - put–call parity, greek by greek, for every model and overlay.
 *
 * Tolerances: 1e-12 on the scales of assert_greeks_close (testutil.h)
 * where two engines meet (measured ≤ 4e-14 in test_cos.c); memcmp where
 * both sides run the same arithmetic.
 */
#include "testutil.h"

#include <math.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const lsd_market crypto = { .spot = 3000.0, .rate = 0.045, .carry = 0.031, .vol = 0.7 };
static const double expiries[] = { 1.0 / 365.0, 7.0 / 365.0, 0.25, 1.0, 5.0 };
static const double moneyness[] = { 0.5, 0.8, 0.95, 1.0, 1.1, 1.5, 2.5 }; /* K/S */

/* The five bases on crypto scales, vol σ for those that have one. */
static lsd_model_params base(lsd_model model)
{
    lsd_model_params p = { .model = model };
    switch (model) {
    case LSD_MODEL_BSM: break;
    case LSD_MODEL_MERTON: p.jumps = (lsd_jumps){ 2.0, -0.1, 0.15 }; break;
    case LSD_MODEL_KOU: p.kou = (lsd_kou){ 5.0, 0.3, 8.0, 6.0 }; break;
    case LSD_MODEL_BATES: p.jumps = (lsd_jumps){ 3.0, -0.08, 0.12 }; /* fall through */
    case LSD_MODEL_HESTON: p.heston = (lsd_heston){ 0.5, 2.0, 0.45, 1.5, -0.3 }; break;
    }
    return p;
}

static lsd_market market_for(lsd_model model)
{
    lsd_market mkt = crypto;
    if (model == LSD_MODEL_HESTON || model == LSD_MODEL_BATES)
        mkt.vol = 0.0;
    return mkt;
}

/* Call f on every option of the grid (calls and puts, all expiries and strikes). */
static void for_each_option(void (*f)(const lsd_option *opt, void *ctx), void *ctx)
{
    for (size_t t = 0; t < N_OF(expiries); t++)
        for (size_t k = 0; k < N_OF(moneyness); k++)
            for (int type = LSD_CALL; type <= LSD_PUT; type++) {
                const lsd_option opt = { (lsd_option_type)type, crypto.spot * moneyness[k],
                                         expiries[t] };
                f(&opt, ctx);
            }
}

/* The first seven greeks (price to carry_rho) of got and want; jump sensitivities zeroed. */
static lsd_greeks without_jump_sens(lsd_greeks g)
{
    g.jump_intensity_sens = g.jump_mean_sens = g.jump_vol_sens = 0.0;
    return g;
}

/* ---------------------------------------------------------- overlays off */

static void zero_overlays_are_none(const lsd_option *opt, void *ctx)
{
    const lsd_model model = *(const lsd_model *)ctx;
    const lsd_market mkt = market_for(model);
    const lsd_model_params p = base(model);
    lsd_model_params off = p;
    off.default_overlay = (lsd_default_overlay){ 0.0, 0.4 };
    off.depeg = (lsd_jumps){ 0.0, -0.2, 0.3 };
    const lsd_greeks want = cos_ok(opt, &mkt, &p, NULL);
    const lsd_greeks got = cos_ok(opt, &mkt, &off, NULL);
    assert_memory_equal(&got, &want, sizeof got);
    if (model == LSD_MODEL_BSM || model == LSD_MODEL_MERTON) {
        lsd_greeks closed, auto_off;
        assert_int_equal(lsd_model_price(opt, &mkt, &p, LSD_ENGINE_AUTO, &closed, NULL), LSD_OK);
        assert_int_equal(lsd_model_price(opt, &mkt, &off, LSD_ENGINE_AUTO, &auto_off, NULL),
                         LSD_OK);
        assert_memory_equal(&auto_off, &closed, sizeof closed);
    }
}

/* Overlays with intensity 0 (and any other fields) leave every base bit for bit, COS and AUTO. */
static void overlays_of_intensity_zero_are_absent(void **state)
{
    (void)state;
    for (int model = LSD_MODEL_BSM; model <= LSD_MODEL_BATES; model++)
        for_each_option(zero_overlays_are_none, &model);
}

/* ------------------------------------------------- default and depeg overlays */

/*
 * Default with R = 0 (DESIGN.md): S_T is 0 with probability 1 − e^{−hT},
 * else the base's S̃_T with drift r − q + h. So the call is
 * e^{−rT}·e^{−hT}·E[(S̃_T − K)⁺], the base's call at rate r + h and carry q,
 * and by parity (C − P = S·e^{−qT} − K·e^{−rT} under the overlay, and
 * C − P′ = S·e^{−qT} − K·e^{−(r+h)T} at rate r + h) the put is
 * P = P′ + K·(e^{−rT} − e^{−(r+h)T}) = P′ + e^{−rT}(1 − e^{−hT})·K.
 * Greeks: ∂/∂r at fixed h is ∂/∂(r + h); the put's extra term adds
 * theta −∂/∂T = K·(r·e^{−rT} − (r+h)·e^{−(r+h)T}) and rho
 * −T·K·(e^{−rT} − e^{−(r+h)T}) and no delta, gamma, vega or carry_rho.
 */
static void default_zero_is_the_base_at_r_plus_h(const lsd_option *opt, void *ctx)
{
    const lsd_model model = *(const lsd_model *)ctx;
    const double h = 0.3, T = opt->expiry, K = opt->strike;
    lsd_model_params p = base(model);
    p.default_overlay = (lsd_default_overlay){ h, 0.0 };
    const lsd_greeks got = cos_ok(opt, &crypto, &p, NULL);

    lsd_market shifted = crypto;
    shifted.rate += h;
    lsd_greeks want;
    assert_int_equal(lsd_model_price(opt, &shifted, MODEL_PARAMS(model, &p.jumps),
                                     LSD_ENGINE_CLOSED, &want, NULL),
                     LSD_OK);
    if (opt->type == LSD_PUT) {
        const double dr = exp(-crypto.rate * T), drh = exp(-shifted.rate * T);
        want.price += K * (dr - drh);
        want.theta += K * (crypto.rate * dr - shifted.rate * drh);
        want.rho += -T * K * (dr - drh);
    }
    assert_greeks_close(&got, &want, 1e-12, crypto.spot);
}

static void default_overlay_with_no_recovery_has_its_closed_form(void **state)
{
    (void)state;
    lsd_model model = LSD_MODEL_BSM;
    for_each_option(default_zero_is_the_base_at_r_plus_h, &model);
    model = LSD_MODEL_MERTON;
    for_each_option(default_zero_is_the_base_at_r_plus_h, &model);
}

/*
 * On a BSM base, the default overlay (h, R > 0) is lsd_merton_price with
 * jumps (h, ln R, 0) and the depeg overlay (λ, μ, δ) is lsd_merton_price
 * with jumps (λ, μ, δ): price, delta, gamma, vega, theta, rho and
 * carry_rho (the overlays have no jump sensitivity output: 0).
 */
static void overlays_on_bsm_are_merton(const lsd_option *opt, void *ctx)
{
    (void)ctx;
    const double h = 0.3, recovery = 0.4;
    const lsd_jumps as_jumps = { h, log(recovery), 0.0 };
    const lsd_jumps depeg = { 1.5, -0.06, 0.04 };
    lsd_greeks want;

    lsd_model_params p = base(LSD_MODEL_BSM);
    p.default_overlay = (lsd_default_overlay){ h, recovery };
    lsd_greeks got = cos_ok(opt, &crypto, &p, NULL);
    assert_true(got.jump_intensity_sens == 0.0 && got.jump_mean_sens == 0.0 &&
                got.jump_vol_sens == 0.0);
    assert_int_equal(lsd_merton_price(opt, &crypto, &as_jumps, NULL, &want, NULL), LSD_OK);
    want = without_jump_sens(want);
    assert_greeks_close(&got, &want, 1e-12, crypto.spot);

    p = base(LSD_MODEL_BSM);
    p.depeg = depeg;
    got = cos_ok(opt, &crypto, &p, NULL);
    assert_int_equal(lsd_merton_price(opt, &crypto, &depeg, NULL, &want, NULL), LSD_OK);
    want = without_jump_sens(want);
    assert_greeks_close(&got, &want, 1e-12, crypto.spot);
}

/*
 * On a Merton base the default overlay (h, R > 0) and a depeg overlay
 * (h, ln R, 0) are the same factor by two code paths (charfn.c's
 * default_jump and depeg terms), every output including the base's jump
 * sensitivities; and Merton + depeg (λ, μ, δ) with the base's jumps
 * switched to the overlay's values is the same law with the roles swapped
 * (price, delta, gamma, vega, theta, rho, carry_rho).
 */
static void overlays_on_merton_agree(const lsd_option *opt, void *ctx)
{
    (void)ctx;
    const double h = 0.3, recovery = 0.4;
    lsd_model_params with_default = base(LSD_MODEL_MERTON);
    with_default.default_overlay = (lsd_default_overlay){ h, recovery };
    lsd_model_params with_depeg = base(LSD_MODEL_MERTON);
    with_depeg.depeg = (lsd_jumps){ h, log(recovery), 0.0 };
    const lsd_greeks a = cos_ok(opt, &crypto, &with_default, NULL);
    const lsd_greeks b = cos_ok(opt, &crypto, &with_depeg, NULL);
    assert_greeks_close(&a, &b, 1e-12, crypto.spot);

    lsd_model_params swapped = with_depeg;
    swapped.jumps = with_depeg.depeg;
    swapped.depeg = with_depeg.jumps;
    const lsd_greeks c = without_jump_sens(cos_ok(opt, &crypto, &swapped, NULL));
    const lsd_greeks d = without_jump_sens(b);
    assert_greeks_close(&c, &d, 1e-12, crypto.spot);
}

static void recovery_and_depeg_overlays_are_merton_families(void **state)
{
    (void)state;
    for_each_option(overlays_on_bsm_are_merton, NULL);
    for_each_option(overlays_on_merton_agree, NULL);
}

/* ------------------------------------------------------ Kou, Bates, Heston */

/*
 * Kou with p = 0 has no up jumps, so η₁ is not in its law; with p = 1 no
 * down jumps and η₂ is out. charfn.c leaves that side out of the
 * characteristic function and of the moment generating function's domain,
 * so every output is bit for bit the same whatever the unused η, 0
 * included (the check lets it be 0 there). Kou with λ = 0 is
 * BSM: bit for bit through COS (the Kou factor is off), 1e-12 against
 * lsd_bsm_price. Bates with λ = 0 is Heston bit for bit.
 */
static void kou_and_bates_limits(const lsd_option *opt, void *ctx)
{
    (void)ctx;
    const double unused_etas[] = { 1.5, 50.0, 0.0 };
    const lsd_model_params down = { .model = LSD_MODEL_KOU, .kou = { 2.0, 0.0, 3.0, 10.0 } };
    const lsd_model_params up = { .model = LSD_MODEL_KOU, .kou = { 2.0, 1.0, 8.0, 0.5 } };
    const lsd_greeks down_g = cos_ok(opt, &crypto, &down, NULL);
    const lsd_greeks up_g = cos_ok(opt, &crypto, &up, NULL);
    for (size_t i = 0; i < sizeof unused_etas / sizeof unused_etas[0]; i++) {
        lsd_model_params d = down, u = up;
        d.kou.eta_up = unused_etas[i];
        u.kou.eta_down = unused_etas[i];
        const lsd_greeks dg = cos_ok(opt, &crypto, &d, NULL);
        const lsd_greeks ug = cos_ok(opt, &crypto, &u, NULL);
        assert_memory_equal(&dg, &down_g, sizeof dg);
        assert_memory_equal(&ug, &up_g, sizeof ug);
    }

    const lsd_model_params kou_off = { .model = LSD_MODEL_KOU, .kou = { 0.0, 0.3, 8.0, 6.0 } };
    const lsd_greeks kou = cos_ok(opt, &crypto, &kou_off, NULL);
    const lsd_greeks bsm_cos = cos_ok(opt, &crypto, MODEL_PARAMS(LSD_MODEL_BSM, NULL), NULL);
    assert_memory_equal(&kou, &bsm_cos, sizeof kou);
    lsd_greeks bsm;
    assert_int_equal(lsd_bsm_price(opt, &crypto, &bsm, NULL), LSD_OK);
    assert_greeks_close(&kou, &bsm, 1e-12, crypto.spot);

    const lsd_market no_vol = market_for(LSD_MODEL_HESTON);
    lsd_model_params bates_off = base(LSD_MODEL_BATES);
    bates_off.jumps.intensity = 0.0;
    const lsd_greeks bates = cos_ok(opt, &no_vol, &bates_off, NULL);
    const lsd_greeks heston = cos_ok(opt, &no_vol, (const lsd_model_params[]){ base(LSD_MODEL_HESTON) }, NULL);
    assert_memory_equal(&bates, &heston, sizeof bates);
}

static void kou_and_bates_reduce_to_their_parts(void **state)
{
    (void)state;
    for_each_option(kou_and_bates_limits, NULL);
}

/*
 * Heston with σᵥ → 0: the variance follows v̄(t) = θ + (v0 − θ)e^{−κt}
 * deterministically, so the price tends to BSM at the integrated variance
 * v̄ = θ + (v0 − θ)(1 − e^{−κT})/(κT). The first correction is linear in
 * σᵥ (ρσᵥ times a vanna-like integral, Lewis 2000 ch. 3), the next σᵥ²:
 * so the error e(σᵥ) = V_H − V_BSM has e(σᵥ)/σᵥ → c with a gap
 * O(σᵥ)·(1e-4) between σᵥ = 1e-4 and 1e-6. The test holds
 * |e(1e-6)/1e-6 − e(1e-4)/1e-4| ≤ 1e-3·|c| + 1e-12·S/1e-6 (the engine's
 * rounding divided by σᵥ) and |e(1e-6)| ≤ 1.01·|c|·1e-6 + 1e-12·S. With
 * ρ = 0 the linear term vanishes: |e(1e-4)| ≤ 1e-12·S + 1e-6·S (σᵥ² times
 * a volga of order S·T). Measured: c up to 190 (ρ = 0.5, T = 3, K = 2.5·S),
 * gap ≤ 7e-5·|c| where c is not ~0; with ρ = 0, e = 4.7e-7 at σᵥ = 1e-4 and
 * 4.7e-11 at 1e-6 (the σᵥ² law).
 */
static void heston_without_vol_of_vol_is_bsm(void **state)
{
    (void)state;
    const double rhos[] = { -0.7, 0.0, 0.5 };
    const double ts[] = { 7.0 / 365.0, 0.5, 3.0 };
    const lsd_market mkt = market_for(LSD_MODEL_HESTON);
    const double S = mkt.spot;
    for (size_t r = 0; r < N_OF(rhos); r++)
        for (size_t t = 0; t < N_OF(ts); t++)
            for (size_t k = 0; k < N_OF(moneyness); k++) {
                const double v0 = 0.6, kappa = 1.5, theta = 0.3, T = ts[t];
                const double vbar = theta + (v0 - theta) * -expm1(-kappa * T) / (kappa * T);
                const lsd_option opt = { LSD_PUT, S * moneyness[k], T };
                lsd_market bsm_mkt = mkt;
                bsm_mkt.vol = sqrt(vbar);
                lsd_greeks bsm;
                assert_int_equal(lsd_bsm_price(&opt, &bsm_mkt, &bsm, NULL), LSD_OK);
                double e[2];
                const double sig[2] = { 1e-4, 1e-6 };
                for (int i = 0; i < 2; i++) {
                    const lsd_model_params p = { .model = LSD_MODEL_HESTON,
                                                 .heston = { v0, kappa, theta, sig[i], rhos[r] } };
                    e[i] = cos_ok(&opt, &mkt, &p, NULL).price - bsm.price;
                }
                if (rhos[r] == 0.0) {
                    assert_close(e[0], 0.0, 0.0, 1e-12 * S + 1e-6 * S);
                    assert_close(e[1], 0.0, 0.0, 1e-12 * S);
                    continue;
                }
                const double c = e[0] / sig[0];
                assert_close(e[1] / sig[1], c, 1e-3, 1e-12 * S / sig[1]);
                assert_close(e[1], 0.0, 0.0, 1.01 * fabs(c) * sig[1] + 1e-12 * S);
            }
}

/*
 * cos.h: Heston's vega is the value of a parallel shift of √v0 and √θ,
 * which for v0 = θ = σ² and σᵥ → 0 is BSM's vega at σ: to 1e-4 relative
 * at σᵥ = 1e-6 (the O(σᵥ) correction is ~1e-6 relative; 1e-4 leaves room
 * for the ρ-term's vega).
 */
static void heston_vega_tends_to_bsm_vega(void **state)
{
    (void)state;
    const lsd_market mkt = market_for(LSD_MODEL_HESTON);
    const double vol = 0.7;
    lsd_market bsm_mkt = mkt;
    bsm_mkt.vol = vol;
    const lsd_model_params p = { .model = LSD_MODEL_HESTON,
                                 .heston = { vol * vol, 2.0, vol * vol, 1e-6, -0.5 } };
    for (size_t t = 0; t < N_OF(expiries); t++)
        for (size_t k = 0; k < N_OF(moneyness); k++) {
            const lsd_option opt = { LSD_CALL, mkt.spot * moneyness[k], expiries[t] };
            lsd_greeks bsm;
            assert_int_equal(lsd_bsm_price(&opt, &bsm_mkt, &bsm, NULL), LSD_OK);
            assert_close(cos_ok(&opt, &mkt, &p, NULL).vega, bsm.vega, 1e-4, 1e-10 * mkt.spot);
        }
}

/* --------------------------------------------------------------- parity */

/*
 * C − P = S·e^{−qT} − K·e^{−rT} under every model and overlay (each is a
 * martingale for S·e^{−(r−q)t}), greek by greek: delta differs by e^{−qT},
 * gamma, vega and the jump sensitivities not at all, theta by
 * q·S·e^{−qT} − r·K·e^{−rT}, rho by T·K·e^{−rT}, carry_rho by −T·S·e^{−qT}.
 * 1e-12 on assert_greeks_close's scales.
 */
static void parity_holds(const lsd_option *opt, void *ctx)
{
    const lsd_model_params *p = ctx;
    const lsd_market mkt = market_for(p->model);
    const double S = mkt.spot, K = opt->strike, T = opt->expiry;
    const double sd = S * exp(-mkt.carry * T), kd = K * exp(-mkt.rate * T);
    if (opt->type == LSD_PUT)
        return;
    const lsd_option put = { LSD_PUT, K, T };
    const lsd_greeks c = cos_ok(opt, &mkt, p, NULL);
    lsd_greeks want = cos_ok(&put, &mkt, p, NULL);
    want.price += sd - kd;
    want.delta += exp(-mkt.carry * T);
    want.theta += mkt.carry * sd - mkt.rate * kd;
    want.rho += T * kd;
    want.carry_rho += -T * sd;
    assert_greeks_close(&c, &want, 1e-12, S);
}

static void put_call_parity_for_every_model(void **state)
{
    (void)state;
    for (int model = LSD_MODEL_BSM; model <= LSD_MODEL_BATES; model++) {
        lsd_model_params p = base((lsd_model)model);
        for_each_option(parity_holds, &p);
        p.default_overlay = (lsd_default_overlay){ 0.2, 0.0 };
        p.depeg = (lsd_jumps){ 0.8, -0.05, 0.03 };
        for_each_option(parity_holds, &p);
        p.default_overlay.recovery = 0.5;
        for_each_option(parity_holds, &p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(overlays_of_intensity_zero_are_absent),
        cmocka_unit_test(default_overlay_with_no_recovery_has_its_closed_form),
        cmocka_unit_test(recovery_and_depeg_overlays_are_merton_families),
        cmocka_unit_test(kou_and_bates_reduce_to_their_parts),
        cmocka_unit_test(heston_without_vol_of_vol_is_bsm),
        cmocka_unit_test(heston_vega_tends_to_bsm_vega),
        cmocka_unit_test(put_call_parity_for_every_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
