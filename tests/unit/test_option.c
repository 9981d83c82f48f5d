/*
 * test_option.c — tests of the small modules around the pricers:
 * status texts (pricing/status.c), option-type names and input checks
 * (pricing/option.c), model names and run-time dispatch (pricing/price.c),
 * and the version string (pricing/version.c).
 *
 * Contracts are those of status.h, option.h, price.h and lsdopt.h: stable
 * status values, case-insensitive names with LSD_EPARSE for anything else,
 * LSD_EINVAL for NULL, LSD_EDOM naming the bad field and its value, and
 * lsd_model_price giving exactly what the model's own function gives.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Status values are ABI; every code has its own text; others are "unknown status". */
static void status_codes_are_stable_and_have_distinct_texts(void **state)
{
    (void)state;
    assert_int_equal(LSD_OK, 0);
    assert_int_equal(LSD_EDOM, 1);
    assert_int_equal(LSD_EARB, 2);
    assert_int_equal(LSD_ENOCONV, 3);
    assert_int_equal(LSD_ENOMEM, 4);
    assert_int_equal(LSD_EPARSE, 5);
    assert_int_equal(LSD_EIO, 6);
    assert_int_equal(LSD_EINVAL, 7);
    assert_int_equal(LSD_EBELOW, 8);
    assert_int_equal(LSD_EABOVE, 9);
    assert_int_equal(LSD_ENOTIME, 10);

    const lsd_status all[] = { LSD_OK,     LSD_EDOM,   LSD_EARB,   LSD_ENOCONV,
                               LSD_ENOMEM, LSD_EPARSE, LSD_EIO,    LSD_EINVAL,
                               LSD_EBELOW, LSD_EABOVE, LSD_ENOTIME };
    const size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        const char *text = lsd_strerror(all[i]);
        assert_non_null(text);
        assert_true(strlen(text) > 0);
        assert_string_not_equal(text, "unknown status");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(text, lsd_strerror(all[j]));
    }
    assert_string_equal(lsd_strerror(LSD_OK), "success");
    assert_string_equal(lsd_strerror(LSD_EDOM), "input out of domain");
    assert_string_equal(lsd_strerror((lsd_status)11), "unknown status");
    assert_string_equal(lsd_strerror((lsd_status)-1), "unknown status");
}

static void option_type_parse_accepts_names_in_any_case(void **state)
{
    (void)state;
    const char *calls[] = { "call", "CALL", "Call", "cAlL", "c", "C" };
    const char *puts_[] = { "put", "PUT", "Put", "p", "P" };
    for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
        lsd_option_type t = LSD_PUT;
        assert_int_equal(lsd_option_type_parse(calls[i], &t, NULL), LSD_OK);
        assert_int_equal(t, LSD_CALL);
    }
    for (size_t i = 0; i < sizeof puts_ / sizeof puts_[0]; i++) {
        lsd_option_type t = LSD_CALL;
        assert_int_equal(lsd_option_type_parse(puts_[i], &t, NULL), LSD_OK);
        assert_int_equal(t, LSD_PUT);
    }
    /* Success leaves diag alone. */
    lsd_diag diag = { "before" };
    lsd_option_type t;
    assert_int_equal(lsd_option_type_parse("put", &t, &diag), LSD_OK);
    assert_string_equal(diag.message, "before");
}

static void option_type_parse_rejects_other_text(void **state)
{
    (void)state;
    const char *bad[] = { "", "calls", "cal", " call", "call ", "pu", "straddle", "1", "cp" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lsd_option_type t = LSD_CALL;
        lsd_diag diag = { "" };
        assert_int_equal(lsd_option_type_parse(bad[i], &t, &diag), LSD_EPARSE);
        assert_non_null(strstr(diag.message, "type"));
        if (bad[i][0] != '\0')
            assert_non_null(strstr(diag.message, bad[i])); /* quotes what it got */
        assert_int_equal(lsd_option_type_parse(bad[i], &t, NULL), LSD_EPARSE);
    }
    lsd_option_type t;
    assert_int_equal(lsd_option_type_parse(NULL, &t, NULL), LSD_EINVAL);
    assert_int_equal(lsd_option_type_parse("call", NULL, NULL), LSD_EINVAL);
}

static void option_type_names_round_trip(void **state)
{
    (void)state;
    assert_string_equal(lsd_option_type_name(LSD_CALL), "call");
    assert_string_equal(lsd_option_type_name(LSD_PUT), "put");
    assert_string_equal(lsd_option_type_name((lsd_option_type)2), "unknown");
    assert_string_equal(lsd_option_type_name((lsd_option_type)-1), "unknown");
    for (int type = LSD_CALL; type <= LSD_PUT; type++) {
        lsd_option_type back;
        assert_int_equal(lsd_option_type_parse(lsd_option_type_name((lsd_option_type)type),
                                               &back, NULL),
                         LSD_OK);
        assert_int_equal(back, type);
    }
}

static void model_parse_and_names(void **state)
{
    (void)state;
    const struct { const char *text; lsd_model model; } good[] = {
        { "bsm", LSD_MODEL_BSM }, { "BSM", LSD_MODEL_BSM }, { "Bsm", LSD_MODEL_BSM },
        { "merton", LSD_MODEL_MERTON }, { "MERTON", LSD_MODEL_MERTON },
        { "Merton", LSD_MODEL_MERTON },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        lsd_model m = (lsd_model)-1;
        assert_int_equal(lsd_model_parse(good[i].text, &m, NULL), LSD_OK);
        assert_int_equal(m, good[i].model);
    }
    const char *bad[] = { "", "b", "bs", "black", "kou", "merton76", " bsm" };
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
    for (int model = LSD_MODEL_BSM; model <= LSD_MODEL_MERTON; model++) {
        lsd_model back;
        assert_int_equal(lsd_model_parse(lsd_model_name((lsd_model)model), &back, NULL),
                         LSD_OK);
        assert_int_equal(back, model);
    }
}

static const lsd_option opt = { LSD_PUT, 2900.0, 0.5 };
static const lsd_market mkt = { 3000.0, 0.045, 0.031, 0.62 };
static const lsd_jumps jumps = { 2.0, -0.1, 0.15 };

/* lsd_model_price(BSM) is lsd_bsm_price and ignores jumps; lsd_model_price(MERTON) is lsd_merton_price. */
static void price_dispatches_to_the_model(void **state)
{
    (void)state;
    lsd_greeks want, got;
    assert_int_equal(lsd_bsm_price(&opt, &mkt, &want, NULL), LSD_OK);
    assert_int_equal(lsd_model_price(LSD_MODEL_BSM, &opt, &mkt, NULL, &got, NULL), LSD_OK);
    assert_memory_equal(&got, &want, sizeof got);
    assert_int_equal(lsd_model_price(LSD_MODEL_BSM, &opt, &mkt, &jumps, &got, NULL), LSD_OK);
    assert_memory_equal(&got, &want, sizeof got);

    lsd_greeks merton;
    assert_int_equal(lsd_merton_price(&opt, &mkt, &jumps, NULL, &merton, NULL), LSD_OK);
    assert_int_equal(lsd_model_price(LSD_MODEL_MERTON, &opt, &mkt, &jumps, &got, NULL), LSD_OK);
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
    assert_int_equal(lsd_model_price(LSD_MODEL_MERTON, &opt, &mkt, NULL, &g, &diag), LSD_EINVAL);
    assert_greeks_nan(&g);
    assert_true(diag.message[0] != '\0');

    diag.message[0] = '\0';
    assert_int_equal(lsd_model_price((lsd_model)5, &opt, &mkt, &jumps, &g, &diag), LSD_EINVAL);
    assert_greeks_nan(&g);
    assert_non_null(strstr(diag.message, "model"));

    lsd_market bad = mkt;
    bad.vol = -0.2;
    for (int model = LSD_MODEL_BSM; model <= LSD_MODEL_MERTON; model++) {
        diag.message[0] = '\0';
        assert_int_equal(lsd_model_price((lsd_model)model, &opt, &bad, &jumps, &g, &diag),
                         LSD_EDOM);
        assert_greeks_nan(&g);
        assert_non_null(strstr(diag.message, "vol"));
    }
    lsd_jumps bad_jumps = jumps;
    bad_jumps.intensity = -1.0;
    assert_int_equal(lsd_model_price(LSD_MODEL_MERTON, &opt, &mkt, &bad_jumps, &g, &diag), LSD_EDOM);
    assert_non_null(strstr(diag.message, "jump_intensity"));
    /* BSM ignores the jumps, bad or not. */
    assert_int_equal(lsd_model_price(LSD_MODEL_BSM, &opt, &mkt, &bad_jumps, &g, NULL), LSD_OK);
}

/* Check one bad field: LSD_EDOM, message naming the field and the value. */
static void assert_check_names(const lsd_option *o, const lsd_market *m, const lsd_jumps *j,
                               const char *field, const char *value)
{
    lsd_diag diag = { "" };
    assert_int_equal(lsd_option_check(o, m, j, &diag), LSD_EDOM);
    if (strstr(diag.message, field) == NULL || strstr(diag.message, value) == NULL) {
        print_error("diag '%s' should name '%s' and '%s'\n", diag.message, field, value);
        fail();
    }
    assert_int_equal(lsd_option_check(o, m, j, NULL), LSD_EDOM);
}

static void inputs_check_names_the_bad_field_and_value(void **state)
{
    (void)state;
    lsd_diag diag = { "untouched" };
    assert_int_equal(lsd_option_check(&opt, &mkt, &jumps, &diag), LSD_OK);
    assert_int_equal(lsd_option_check(&opt, &mkt, NULL, &diag), LSD_OK);
    assert_string_equal(diag.message, "untouched");

    lsd_option o = opt;
    lsd_market m = mkt;
    lsd_jumps j = jumps;
    m.spot = -5.0;
    assert_check_names(&o, &m, &j, "spot", "-5");
    m = mkt;
    o.strike = 0.0;
    assert_check_names(&o, &m, &j, "strike", "0");
    o = opt;
    o.expiry = INFINITY;
    assert_check_names(&o, &m, &j, "expiry", "inf");
    o = opt;
    m.rate = NAN;
    assert_check_names(&o, &m, &j, "rate", "nan");
    m = mkt;
    m.carry = -INFINITY;
    assert_check_names(&o, &m, &j, "carry", "-inf");
    m = mkt;
    m.vol = -0.25;
    assert_check_names(&o, &m, &j, "vol", "-0.25");
    m = mkt;
    j.intensity = -3.0;
    assert_check_names(&o, &m, &j, "jump_intensity", "-3");
    j = jumps;
    j.mean = NAN;
    assert_check_names(&o, &m, &j, "jump_mean", "nan");
    j = jumps;
    j.vol = -0.125;
    assert_check_names(&o, &m, &j, "jump_vol", "-0.125");
    /* Without jumps, jump fields are not looked at. */
    assert_int_equal(lsd_option_check(&opt, &mkt, NULL, NULL), LSD_OK);
    /* λ = 0 and δ = 0 are in the domain; negative rate and carry too. */
    const lsd_jumps zero = { 0.0, 0.0, 0.0 };
    const lsd_market negative_rates = { 1.0, -0.01, -0.02, 0.5 };
    assert_int_equal(lsd_option_check(&opt, &negative_rates, &zero, NULL), LSD_OK);
    /* The whole value reaches the message (%.17g), not a rounded one. */
    m = mkt;
    j = jumps;
    m.spot = -0.1;
    assert_check_names(&o, &m, &j, "spot", "-0.10000000000000001");
}

static void inputs_check_rejects_null_and_unknown_type(void **state)
{
    (void)state;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_option_check(NULL, &mkt, NULL, &diag), LSD_EINVAL);
    assert_true(diag.message[0] != '\0');
    assert_int_equal(lsd_option_check(&opt, NULL, NULL, NULL), LSD_EINVAL);
    lsd_option bad = opt;
    bad.type = (lsd_option_type)3;
    diag.message[0] = '\0';
    assert_int_equal(lsd_option_check(&bad, &mkt, NULL, &diag), LSD_EINVAL);
    assert_non_null(strstr(diag.message, "type"));
}

static void greeks_set_nan_sets_every_field(void **state)
{
    (void)state;
    lsd_greeks g = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    lsd_greeks_set_nan(&g);
    assert_greeks_nan(&g);
    lsd_greeks_set_nan(NULL); /* harmless */
}

static void version_is_major_minor_patch(void **state)
{
    (void)state;
    const char *v = lsd_version();
    assert_non_null(v);
    int major, minor, patch, end = 0;
    assert_int_equal(sscanf(v, "%d.%d.%d%n", &major, &minor, &patch, &end), 3);
    assert_int_equal((size_t)end, strlen(v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_codes_are_stable_and_have_distinct_texts),
        cmocka_unit_test(option_type_parse_accepts_names_in_any_case),
        cmocka_unit_test(option_type_parse_rejects_other_text),
        cmocka_unit_test(option_type_names_round_trip),
        cmocka_unit_test(model_parse_and_names),
        cmocka_unit_test(price_dispatches_to_the_model),
        cmocka_unit_test(price_reports_errors),
        cmocka_unit_test(inputs_check_names_the_bad_field_and_value),
        cmocka_unit_test(inputs_check_rejects_null_and_unknown_type),
        cmocka_unit_test(greeks_set_nan_sets_every_field),
        cmocka_unit_test(version_is_major_minor_patch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
