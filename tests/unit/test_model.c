/*
 * test_model.c — run-time model choice (pricing/models/model.c): model
 * names, the model the parameters given name (lsd_model_infer, every
 * combination of the four families), the engine used (lsd_model_engine)
 * and lsd_model_price, the one entry point over the models.
 *
 * Contracts are those of model.h: "bsm", "merton", "kou", "heston" and
 * "bates" in any ASCII case, and
 * LSD_EPARSE naming the text for anything else, LSD_EINVAL for NULL;
 * lsd_model_name gives each value's name and "unknown" otherwise;
 * lsd_model_price gives bit for bit what the model's own function gives
 * (lsd_bsm_price, lsd_merton_price with default control), errors included,
 * ignores jumps (NULL or bad) for BSM and is LSD_EINVAL with NaN for an
 * unknown model. Engines: AUTO and CLOSED are the closed forms bit for bit
 * for BSM and Merton without overlays, COS is lsd_cos_price bit for bit for
 * every model, AUTO sends Kou, Heston, Bates and any overlay to COS, CLOSED
 * refuses them. lsd_model_check rejects every parameter out of its domain
 * (NaN, ±inf, out of range, a field the model does not use) with a message
 * naming the parameter by its DESIGN.md name and its value (shortest
 * round-trip digits), and
 * accepts the ends of each closed range.
 */
#include "testutil.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A 6-month put on stETH with depeg jumps (DESIGN.md's units). */
static const lsd_option opt = { .type = LSD_PUT, .strike = 2900.0, .expiry = 0.5 };
static const lsd_market mkt = { .spot = 3000.0, .rate = 0.045, .carry = 0.031, .vol = 0.62 };
static const lsd_jumps jumps = { .intensity = 2.0, .mean = -0.1, .vol = 0.15 };

static void model_parse_and_names(void **state)
{
    (void)state;
    const struct { const char *text; lsd_model model; } good[] = {
        { "bsm", LSD_MODEL_BSM }, { "BSM", LSD_MODEL_BSM }, { "Bsm", LSD_MODEL_BSM },
        { "merton", LSD_MODEL_MERTON }, { "MERTON", LSD_MODEL_MERTON },
        { "Merton", LSD_MODEL_MERTON }, { "kou", LSD_MODEL_KOU }, { "KOU", LSD_MODEL_KOU },
        { "heston", LSD_MODEL_HESTON }, { "Heston", LSD_MODEL_HESTON },
        { "bates", LSD_MODEL_BATES }, { "BATES", LSD_MODEL_BATES },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        lsd_model m = (lsd_model)-1;
        assert_int_equal(lsd_model_parse(good[i].text, &m, NULL), LSD_OK);
        assert_int_equal(m, good[i].model);
    }
    const char *bad[] = { "", "b", "bs", "black", "kou2", "merton76", " bsm", "hest" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lsd_model m;
        lsd_diag diag = { "" };
        assert_int_equal(lsd_model_parse(bad[i], &m, &diag), LSD_EPARSE);
        assert_non_null(strstr(diag.message, "model"));
        if (bad[i][0] != '\0')
            assert_non_null(strstr(diag.message, bad[i]));
    }
    lsd_model m;
    assert_int_equal(lsd_model_parse(NULL, &m, NULL), LSD_EINVAL);
    assert_int_equal(lsd_model_parse("bsm", NULL, NULL), LSD_EINVAL);

    assert_string_equal(lsd_model_name(LSD_MODEL_BSM), "bsm");
    assert_string_equal(lsd_model_name(LSD_MODEL_MERTON), "merton");
    assert_string_equal(lsd_model_name((lsd_model)9), "unknown");
    assert_string_equal(lsd_model_name(LSD_MODEL_KOU), "kou");
    assert_string_equal(lsd_model_name(LSD_MODEL_HESTON), "heston");
    assert_string_equal(lsd_model_name(LSD_MODEL_BATES), "bates");
    for (int model = LSD_MODEL_BSM; model <= LSD_MODEL_BATES; model++) {
        lsd_model back;
        assert_int_equal(lsd_model_parse(lsd_model_name((lsd_model)model), &back, NULL),
                         LSD_OK);
        assert_int_equal(back, model);
    }
}

/* Every combination of the four families: the model lsd_model_infer names,
 * or LSD_EDOM for the two that fit no model (-1 below). */
static void the_parameters_given_name_the_model(void **state)
{
    (void)state;
    for (int bits = 0; bits < 16; bits++) {
        const lsd_model_given given = { .jump_intensity = bits & 1, .jump_shape = (bits >> 1) & 1,
                                         .kou = (bits >> 2) & 1, .heston = (bits >> 3) & 1 };
        const int jumped = given.jump_intensity || given.jump_shape;
        const int want = given.kou && (given.heston || given.jump_shape) ? -1
                         : given.heston ? (jumped ? LSD_MODEL_BATES : LSD_MODEL_HESTON)
                         : given.kou    ? LSD_MODEL_KOU
                         : jumped       ? LSD_MODEL_MERTON
                                        : LSD_MODEL_BSM;
        lsd_model got = (lsd_model)99;
        lsd_diag diag = { "" };
        const lsd_status st = lsd_model_infer(&given, &got, &diag);
        if (want < 0) {
            assert_int_equal(st, LSD_EDOM);
            assert_int_equal(got, 99); /* untouched */
            assert_non_null(strstr(diag.message, "kou_*"));
            assert_non_null(strstr(diag.message, given.heston ? "heston_*" : "jump_mean"));
        } else {
            assert_int_equal(st, LSD_OK);
            assert_int_equal(got, want);
        }
    }
    lsd_model m;
    assert_int_equal(lsd_model_infer(NULL, &m, NULL), LSD_EINVAL);
    assert_int_equal(lsd_model_infer(&(lsd_model_given){ 0 }, NULL, NULL), LSD_EINVAL);
}

/* lsd_model_engine: closed forms for BSM and Merton without overlays under
 * AUTO, COS for everything else; explicit requests returned as they are. */
static void the_engine_used_is_reported(void **state)
{
    (void)state;
    lsd_model_params p = lsd_model_params_of(LSD_MODEL_MERTON, &jumps);
    assert_int_equal(lsd_model_engine(&p, LSD_ENGINE_AUTO), LSD_ENGINE_CLOSED);
    assert_int_equal(lsd_model_engine(&p, LSD_ENGINE_COS), LSD_ENGINE_COS);
    p.depeg = jumps;
    assert_int_equal(lsd_model_engine(&p, LSD_ENGINE_AUTO), LSD_ENGINE_COS);
    assert_int_equal(lsd_model_engine(&p, LSD_ENGINE_CLOSED), LSD_ENGINE_CLOSED);
    p = lsd_model_params_of(LSD_MODEL_BSM, NULL);
    p.default_overlay.intensity = 0.01;
    assert_int_equal(lsd_model_engine(&p, LSD_ENGINE_AUTO), LSD_ENGINE_COS);
    p = (lsd_model_params){ .model = LSD_MODEL_KOU };
    assert_int_equal(lsd_model_engine(&p, LSD_ENGINE_AUTO), LSD_ENGINE_COS);
    assert_int_equal(lsd_model_engine(NULL, LSD_ENGINE_AUTO), LSD_ENGINE_AUTO);
    /* and lsd_model_price follows it: AUTO on merton is the closed form bit
     * for bit, CLOSED with an overlay fails */
    lsd_greeks want, got;
    p = lsd_model_params_of(LSD_MODEL_MERTON, &jumps);
    assert_int_equal(lsd_merton_price(&opt, &mkt, &jumps, NULL, &want, NULL), LSD_OK);
    assert_int_equal(lsd_model_price(&opt, &mkt, &p, LSD_ENGINE_AUTO, &got, NULL), LSD_OK);
    assert_memory_equal(&got, &want, sizeof got);
    p.depeg = jumps;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_model_price(&opt, &mkt, &p, LSD_ENGINE_CLOSED, &got, &diag), LSD_EDOM);
    assert_non_null(strstr(diag.message, "merton with an overlay has no closed form"));
}

static void price_dispatches_to_the_model(void **state)
{
    (void)state;
    lsd_greeks want, got;
    assert_int_equal(lsd_bsm_price(&opt, &mkt, &want, NULL), LSD_OK);
    assert_int_equal(lsd_model_price(&opt, &mkt, MODEL_PARAMS(LSD_MODEL_BSM, NULL), LSD_ENGINE_AUTO, &got, NULL), LSD_OK);
    assert_memory_equal(&got, &want, sizeof got);
    assert_int_equal(lsd_model_price(&opt, &mkt, MODEL_PARAMS(LSD_MODEL_BSM, &jumps), LSD_ENGINE_AUTO, &got, NULL), LSD_OK);
    assert_memory_equal(&got, &want, sizeof got);

    lsd_greeks merton;
    assert_int_equal(lsd_merton_price(&opt, &mkt, &jumps, NULL, &merton, NULL), LSD_OK);
    assert_int_equal(lsd_model_price(&opt, &mkt, MODEL_PARAMS(LSD_MODEL_MERTON, &jumps), LSD_ENGINE_AUTO, &got, NULL), LSD_OK);
    assert_memory_equal(&got, &merton, sizeof got);
    /* The two models differ when there are jumps: a put gains from depegs. */
    assert_true(merton.price > want.price);
}

/* Errors pass through lsd_model_price with the model's status, NaN and message. */
static void price_reports_errors(void **state)
{
    (void)state;
    lsd_greeks g;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_model_price(&opt, &mkt, NULL, LSD_ENGINE_AUTO, &g, &diag), LSD_EINVAL);
    assert_greeks_nan(&g);
    assert_true(diag.message[0] != '\0');

    lsd_market bad = mkt;
    bad.vol = -0.2;
    for (int model = LSD_MODEL_BSM; model <= LSD_MODEL_MERTON; model++) {
        diag.message[0] = '\0';
        assert_int_equal(lsd_model_price(&opt, &bad, MODEL_PARAMS((lsd_model)model, &jumps), LSD_ENGINE_AUTO, &g, &diag),
                         LSD_EDOM);
        assert_greeks_nan(&g);
        assert_non_null(strstr(diag.message, "vol"));
    }
    lsd_jumps bad_jumps = jumps;
    bad_jumps.intensity = -1.0;
    assert_int_equal(lsd_model_price(&opt, &mkt, MODEL_PARAMS(LSD_MODEL_MERTON, &bad_jumps), LSD_ENGINE_AUTO, &g, &diag), LSD_EDOM);
    assert_non_null(strstr(diag.message, "jump_intensity"));
    /* BSM ignores the jumps, bad or not. */
    assert_int_equal(lsd_model_price(&opt, &mkt, MODEL_PARAMS(LSD_MODEL_BSM, &bad_jumps), LSD_ENGINE_AUTO, &g, NULL), LSD_OK);
}

/* Bit for bit over calls and puts, strikes in and out of the money, short
 * and long expiries, with and without jumps (λ = 0 included). */
static void price_is_the_model_bit_for_bit_across_a_grid(void **state)
{
    (void)state;
    const double strikes[] = { 1500.0, 2900.0, 3000.0, 3100.0, 6000.0 };
    const double expiries[] = { 1.0 / 365.0, 0.25, 2.0 };
    const lsd_jumps families[] = { { .intensity = 0.0, .mean = -0.1, .vol = 0.15 },
                                   { .intensity = 0.5, .mean = -0.2, .vol = 0.05 },
                                   jumps };
    for (int type = LSD_CALL; type <= LSD_PUT; type++)
        for (size_t k = 0; k < sizeof strikes / sizeof strikes[0]; k++)
            for (size_t e = 0; e < sizeof expiries / sizeof expiries[0]; e++) {
                const lsd_option o = { .type = (lsd_option_type)type, .strike = strikes[k],
                                       .expiry = expiries[e] };
                lsd_greeks want, got;
                assert_int_equal(lsd_bsm_price(&o, &mkt, &want, NULL), LSD_OK);
                assert_int_equal(lsd_model_price(&o, &mkt, MODEL_PARAMS(LSD_MODEL_BSM, NULL), LSD_ENGINE_AUTO, &got, NULL),
                                 LSD_OK);
                assert_memory_equal(&got, &want, sizeof got);
                for (size_t j = 0; j < sizeof families / sizeof families[0]; j++) {
                    assert_int_equal(lsd_merton_price(&o, &mkt, &families[j], NULL, &want, NULL),
                                     LSD_OK);
                    assert_int_equal(lsd_model_price(&o, &mkt, MODEL_PARAMS(LSD_MODEL_MERTON, &families[j]), LSD_ENGINE_AUTO, &got, NULL),
                                     LSD_OK);
                    assert_memory_equal(&got, &want, sizeof got);
                }
            }
}

/* Any value outside the enum: LSD_EINVAL naming the model, every greek NaN,
 * and "unknown" as its name. */
static void an_unknown_model_is_invalid(void **state)
{
    (void)state;
    const int unknown[] = { -1, 5, 6, 1000 };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const lsd_model model = (lsd_model)unknown[i];
        lsd_greeks g = { 0 };
        lsd_diag diag = { "" };
        assert_int_equal(lsd_model_price(&opt, &mkt, MODEL_PARAMS(model, &jumps), LSD_ENGINE_AUTO, &g, &diag), LSD_EINVAL);
        assert_greeks_nan(&g);
        assert_non_null(strstr(diag.message, "model"));
        assert_int_equal(lsd_model_price(&opt, &mkt, MODEL_PARAMS(model, &jumps), LSD_ENGINE_AUTO, &g, NULL), LSD_EINVAL);
        assert_string_equal(lsd_model_name(model), "unknown");
    }
}

static void engine_parse_and_names(void **state)
{
    (void)state;
    const char *names[] = { "auto", "closed", "cos" };
    for (int e = LSD_ENGINE_AUTO; e <= LSD_ENGINE_COS; e++) {
        assert_string_equal(lsd_engine_name((lsd_engine)e), names[e]);
        lsd_engine back = (lsd_engine)-1;
        assert_int_equal(lsd_engine_parse(names[e], &back, NULL), LSD_OK);
        assert_int_equal(back, e);
    }
    lsd_engine back;
    assert_int_equal(lsd_engine_parse("COS", &back, NULL), LSD_OK);
    assert_int_equal(back, LSD_ENGINE_COS);
    lsd_diag diag = { "" };
    assert_int_equal(lsd_engine_parse("fft", &back, &diag), LSD_EPARSE);
    assert_non_null(strstr(diag.message, "fft"));
    assert_int_equal(lsd_engine_parse(NULL, &back, NULL), LSD_EINVAL);
    assert_string_equal(lsd_engine_name((lsd_engine)7), "unknown");
}

/* A valid case of each model, with both overlays on for Kou. */
typedef struct model_case {
    lsd_option opt;
    lsd_market mkt;
    lsd_model_params params;
} model_case;

static model_case valid_case(lsd_model model)
{
    model_case c = { opt, mkt, { .model = model } };
    switch (model) {
    case LSD_MODEL_BSM: break;
    case LSD_MODEL_MERTON: c.params.jumps = jumps; break;
    case LSD_MODEL_KOU:
        c.params.kou = (lsd_kou){ 5.0, 0.3, 8.0, 6.0 };
        c.params.default_overlay = (lsd_default_overlay){ 0.1, 0.3 };
        c.params.depeg = (lsd_jumps){ 0.5, -0.05, 0.03 };
        break;
    case LSD_MODEL_BATES: c.params.jumps = jumps; /* fall through */
    case LSD_MODEL_HESTON:
        c.mkt.vol = 0.0;
        c.params.heston = (lsd_heston){ 0.5, 2.0, 0.45, 1.5, -0.3 };
        break;
    }
    return c;
}

/* AUTO: closed forms for BSM and Merton without overlays, else COS; COS: always lsd_cos_price. */
static void engines_dispatch_bit_for_bit(void **state)
{
    (void)state;
    for (int model = LSD_MODEL_BSM; model <= LSD_MODEL_BATES; model++) {
        model_case c = valid_case((lsd_model)model);
        for (int overlay = 0; overlay <= 1; overlay++) {
            if (overlay)
                c.params.default_overlay = (lsd_default_overlay){ 0.2, 0.0 };
            lsd_greeks cos, got;
            assert_int_equal(lsd_cos_price(&c.opt, &c.mkt, &c.params, NULL, &cos, NULL), LSD_OK);
            assert_int_equal(lsd_model_price(&c.opt, &c.mkt, &c.params, LSD_ENGINE_COS, &got, NULL),
                             LSD_OK);
            assert_memory_equal(&got, &cos, sizeof got);
            assert_int_equal(lsd_model_price(&c.opt, &c.mkt, &c.params, LSD_ENGINE_AUTO, &got, NULL),
                             LSD_OK);
            const int closed = model <= LSD_MODEL_MERTON && !overlay;
            lsd_greeks want = cos;
            if (closed && model == LSD_MODEL_BSM)
                assert_int_equal(lsd_bsm_price(&c.opt, &c.mkt, &want, NULL), LSD_OK);
            if (closed && model == LSD_MODEL_MERTON)
                assert_int_equal(lsd_merton_price(&c.opt, &c.mkt, &jumps, NULL, &want, NULL), LSD_OK);
            assert_memory_equal(&got, &want, sizeof got);

            lsd_diag diag = { "" };
            const lsd_status st =
                lsd_model_price(&c.opt, &c.mkt, &c.params, LSD_ENGINE_CLOSED, &got, &diag);
            if (closed) {
                assert_int_equal(st, LSD_OK);
                assert_memory_equal(&got, &want, sizeof got);
            } else {
                assert_int_equal(st, LSD_EDOM);
                assert_greeks_nan(&got);
                assert_non_null(strstr(diag.message, "no closed form"));
                assert_non_null(strstr(diag.message, lsd_model_name((lsd_model)model)));
            }
        }
    }
    lsd_greeks g;
    const model_case c = valid_case(LSD_MODEL_KOU);
    assert_int_equal(lsd_model_price(&c.opt, &c.mkt, &c.params, (lsd_engine)3, &g, NULL),
                     LSD_EINVAL);
    assert_greeks_nan(&g);
    assert_int_equal(lsd_model_price(&c.opt, &c.mkt, &c.params, LSD_ENGINE_AUTO, NULL, NULL),
                     LSD_EINVAL);
}

/* Where in a model_case a parameter lives. */
#define AT(field) offsetof(model_case, field)

/* One bad value of one parameter of one model, and the name the message must give. */
typedef struct bad_param {
    lsd_model model;
    size_t offset;
    double value;
    const char *name;
} bad_param;

static const bad_param bad_params[] = {
    /* option and market, as lsd_option_check names them */
    { LSD_MODEL_KOU, AT(opt.strike), -1.0, "strike" },
    { LSD_MODEL_HESTON, AT(opt.strike), NAN, "strike" },
    { LSD_MODEL_BATES, AT(opt.expiry), 0.0, "expiry" },
    { LSD_MODEL_HESTON, AT(mkt.spot), INFINITY, "spot" },
    { LSD_MODEL_KOU, AT(mkt.rate), NAN, "rate" },
    { LSD_MODEL_HESTON, AT(mkt.carry), -INFINITY, "carry" },
    { LSD_MODEL_KOU, AT(mkt.vol), 0.0, "vol" },
    { LSD_MODEL_HESTON, AT(mkt.vol), 0.2, "vol" },
    { LSD_MODEL_BATES, AT(mkt.vol), NAN, "vol" },
    /* Merton's jumps (merton, bates) */
    { LSD_MODEL_MERTON, AT(params.jumps.intensity), -1.0, "jump_intensity" },
    { LSD_MODEL_BATES, AT(params.jumps.intensity), INFINITY, "jump_intensity" },
    { LSD_MODEL_MERTON, AT(params.jumps.mean), NAN, "jump_mean" },
    { LSD_MODEL_BATES, AT(params.jumps.mean), -INFINITY, "jump_mean" },
    { LSD_MODEL_MERTON, AT(params.jumps.vol), -0.1, "jump_vol" },
    { LSD_MODEL_BATES, AT(params.jumps.vol), NAN, "jump_vol" },
    /* Kou */
    { LSD_MODEL_KOU, AT(params.kou.intensity), -1.0, "jump_intensity" },
    { LSD_MODEL_KOU, AT(params.kou.intensity), NAN, "jump_intensity" },
    { LSD_MODEL_KOU, AT(params.kou.p), -0.1, "kou_p" },
    { LSD_MODEL_KOU, AT(params.kou.p), 1.1, "kou_p" },
    { LSD_MODEL_KOU, AT(params.kou.p), NAN, "kou_p" },
    { LSD_MODEL_KOU, AT(params.kou.eta_up), 1.0, "kou_eta_up" },
    { LSD_MODEL_KOU, AT(params.kou.eta_up), 0.8, "kou_eta_up" },
    { LSD_MODEL_KOU, AT(params.kou.eta_up), INFINITY, "kou_eta_up" },
    { LSD_MODEL_KOU, AT(params.kou.eta_down), 0.0, "kou_eta_down" },
    { LSD_MODEL_KOU, AT(params.kou.eta_down), -2.0, "kou_eta_down" },
    { LSD_MODEL_KOU, AT(params.kou.eta_down), NAN, "kou_eta_down" },
    /* Heston (heston, bates) */
    { LSD_MODEL_HESTON, AT(params.heston.v0), 0.0, "heston_v0" },
    { LSD_MODEL_BATES, AT(params.heston.v0), NAN, "heston_v0" },
    { LSD_MODEL_HESTON, AT(params.heston.kappa), -1.0, "heston_kappa" },
    { LSD_MODEL_BATES, AT(params.heston.kappa), INFINITY, "heston_kappa" },
    { LSD_MODEL_HESTON, AT(params.heston.theta), 0.0, "heston_theta" },
    { LSD_MODEL_BATES, AT(params.heston.theta), NAN, "heston_theta" },
    { LSD_MODEL_HESTON, AT(params.heston.sigma), 0.0, "heston_sigma" },
    { LSD_MODEL_BATES, AT(params.heston.sigma), -0.5, "heston_sigma" },
    { LSD_MODEL_HESTON, AT(params.heston.rho), -1.1, "heston_rho" },
    { LSD_MODEL_BATES, AT(params.heston.rho), 1.0000001, "heston_rho" },
    { LSD_MODEL_HESTON, AT(params.heston.rho), NAN, "heston_rho" },
    /* the overlays, on any model */
    { LSD_MODEL_BSM, AT(params.default_overlay.intensity), -0.1, "default_intensity" },
    { LSD_MODEL_HESTON, AT(params.default_overlay.intensity), INFINITY, "default_intensity" },
    { LSD_MODEL_MERTON, AT(params.default_overlay.recovery), 1.0, "default_recovery" },
    { LSD_MODEL_KOU, AT(params.default_overlay.recovery), 1.5, "default_recovery" },
    { LSD_MODEL_BATES, AT(params.default_overlay.recovery), -0.1, "default_recovery" },
    { LSD_MODEL_BSM, AT(params.default_overlay.recovery), NAN, "default_recovery" },
    { LSD_MODEL_BSM, AT(params.depeg.intensity), -1.0, "depeg_intensity" },
    { LSD_MODEL_HESTON, AT(params.depeg.mean), NAN, "depeg_mean" },
    { LSD_MODEL_KOU, AT(params.depeg.vol), -0.01, "depeg_vol" },
    /* fields the model does not use must be 0 */
    { LSD_MODEL_BSM, AT(params.jumps.mean), -0.1, "jump_mean" },
    { LSD_MODEL_KOU, AT(params.jumps.vol), 0.1, "jump_vol" },
    { LSD_MODEL_HESTON, AT(params.jumps.intensity), 1.0, "jump_intensity" },
    { LSD_MODEL_KOU, AT(params.jumps.intensity), 1.0, "jumps.intensity" },
    { LSD_MODEL_MERTON, AT(params.kou.p), 0.5, "kou_p" },
    { LSD_MODEL_BSM, AT(params.kou.eta_up), 3.0, "kou_eta_up" },
    { LSD_MODEL_HESTON, AT(params.kou.eta_down), 3.0, "kou_eta_down" },
    { LSD_MODEL_BATES, AT(params.kou.intensity), 1.0, "kou.intensity" },
    { LSD_MODEL_BSM, AT(params.heston.v0), 0.04, "heston_v0" },
    { LSD_MODEL_MERTON, AT(params.heston.kappa), 1.0, "heston_kappa" },
    { LSD_MODEL_KOU, AT(params.heston.theta), 0.04, "heston_theta" },
    { LSD_MODEL_BSM, AT(params.heston.sigma), 0.5, "heston_sigma" },
    { LSD_MODEL_MERTON, AT(params.heston.rho), -0.5, "heston_rho" },
};

/* Each bad value: LSD_EDOM from lsd_model_check and lsd_model_price (every engine that gets
 * that far), the message naming the parameter and its value, every greek NaN. */
static void check_names_each_bad_parameter_and_value(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_params / sizeof bad_params[0]; i++) {
        const bad_param *b = &bad_params[i];
        model_case c = valid_case(b->model);
        lsd_diag diag = { "" };
        assert_int_equal(lsd_model_check(&c.opt, &c.mkt, &c.params, &diag), LSD_OK);
        memcpy((char *)&c + b->offset, &b->value, sizeof b->value);
        char value[64];
        char number[40];
        snprintf(value, sizeof value, "(got %s)",
                 lsd_test_number_text(number, sizeof number, b->value));
        for (int engine = LSD_ENGINE_AUTO; engine <= LSD_ENGINE_COS; engine++) {
            lsd_greeks g;
            diag.message[0] = '\0';
            const lsd_status st =
                lsd_model_price(&c.opt, &c.mkt, &c.params, (lsd_engine)engine, &g, &diag);
            if (st != LSD_EDOM || !strstr(diag.message, b->name) || !strstr(diag.message, value))
                print_error("%s = %g on %s: status %d, message '%s'\n", b->name, b->value,
                            lsd_model_name(b->model), (int)st, diag.message);
            assert_int_equal(st, LSD_EDOM);
            assert_greeks_nan(&g);
            assert_non_null(strstr(diag.message, b->name));
            assert_non_null(strstr(diag.message, value));
        }
        diag.message[0] = '\0';
        assert_int_equal(lsd_model_check(&c.opt, &c.mkt, &c.params, &diag), LSD_EDOM);
        assert_non_null(strstr(diag.message, value));
    }
}

/* The ends of the closed ranges are in the domain: kou_p 0 and 1, heston_rho ±1,
 * default_recovery 0, zero intensities and jump vols. */
static void check_accepts_the_ends_of_each_range(void **state)
{
    (void)state;
    const struct {
        lsd_model model;
        size_t offset;
        double value;
    } ends[] = {
        { LSD_MODEL_KOU, AT(params.kou.p), 0.0 },
        { LSD_MODEL_KOU, AT(params.kou.p), 1.0 },
        { LSD_MODEL_KOU, AT(params.kou.intensity), 0.0 },
        { LSD_MODEL_KOU, AT(params.kou.eta_up), 1.0 + 1e-9 },
        { LSD_MODEL_KOU, AT(params.kou.eta_down), 1e-9 },
        { LSD_MODEL_HESTON, AT(params.heston.rho), -1.0 },
        { LSD_MODEL_BATES, AT(params.heston.rho), 1.0 },
        { LSD_MODEL_BATES, AT(params.jumps.intensity), 0.0 },
        { LSD_MODEL_MERTON, AT(params.jumps.vol), 0.0 },
        { LSD_MODEL_KOU, AT(params.default_overlay.recovery), 0.0 },
        { LSD_MODEL_BSM, AT(params.default_overlay.intensity), 0.0 },
        { LSD_MODEL_KOU, AT(params.depeg.vol), 0.0 },
    };
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        model_case c = valid_case(ends[i].model);
        memcpy((char *)&c + ends[i].offset, &ends[i].value, sizeof ends[i].value);
        lsd_diag diag = { "" };
        if (lsd_model_check(&c.opt, &c.mkt, &c.params, &diag) != LSD_OK)
            print_error("end %zu: %s\n", i, diag.message);
        assert_int_equal(lsd_model_check(&c.opt, &c.mkt, &c.params, NULL), LSD_OK);
    }
    /* Kou's side that never jumps may leave its η at 0: up when p = 0, down
     * when p = 1 — and only then. */
    const struct {
        double p, eta_up, eta_down;
        lsd_status want;
    } sides[] = {
        { 0.0, 0.0, 5.0, LSD_OK }, { 1.0, 8.0, 0.0, LSD_OK },
        { 0.3, 0.0, 5.0, LSD_EDOM }, { 0.3, 8.0, 0.0, LSD_EDOM },
        { 1.0, 0.0, 5.0, LSD_EDOM }, { 0.0, 8.0, 0.0, LSD_EDOM },
        { 0.0, 0.5, 5.0, LSD_EDOM }, /* given, it must still be > 1 */
    };
    for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
        model_case k = valid_case(LSD_MODEL_KOU);
        k.params.kou.p = sides[i].p;
        k.params.kou.eta_up = sides[i].eta_up;
        k.params.kou.eta_down = sides[i].eta_down;
        assert_int_equal(lsd_model_check(&k.opt, &k.mkt, &k.params, NULL), sides[i].want);
    }
    model_case c = valid_case(LSD_MODEL_BSM);
    assert_int_equal(lsd_model_check(NULL, &c.mkt, &c.params, NULL), LSD_EINVAL);
    assert_int_equal(lsd_model_check(&c.opt, NULL, &c.params, NULL), LSD_EINVAL);
    assert_int_equal(lsd_model_check(&c.opt, &c.mkt, NULL, NULL), LSD_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_parse_and_names),
        cmocka_unit_test(the_parameters_given_name_the_model),
        cmocka_unit_test(the_engine_used_is_reported),
        cmocka_unit_test(price_dispatches_to_the_model),
        cmocka_unit_test(price_is_the_model_bit_for_bit_across_a_grid),
        cmocka_unit_test(price_reports_errors),
        cmocka_unit_test(an_unknown_model_is_invalid),
        cmocka_unit_test(engine_parse_and_names),
        cmocka_unit_test(engines_dispatch_bit_for_bit),
        cmocka_unit_test(check_names_each_bad_parameter_and_value),
        cmocka_unit_test(check_accepts_the_ends_of_each_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
