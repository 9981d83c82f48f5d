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
 * unknown model.
 */
#include "testutil.h"

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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
