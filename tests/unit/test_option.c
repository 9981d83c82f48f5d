/*
 * test_option.c — the plain structs and their checks (pricing/core/option.c):
 * option-type names, the input checks of option, market and jumps, and
 * lsd_greeks_set_nan.
 *
 * Contracts are those of option.h: case-insensitive names with LSD_EPARSE
 * for anything else, LSD_EINVAL for NULL, LSD_EDOM naming the bad field and
 * its value.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <math.h>
#include <string.h>

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

static const lsd_option opt = { LSD_PUT, 2900.0, 0.5 };
static const lsd_market mkt = { 3000.0, 0.045, 0.031, 0.62 };
static const lsd_jumps jumps = { 2.0, -0.1, 0.15 };

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
    /* The whole value reaches the message in its shortest round-trip digits:
     * -0.1 as "-0.1", and a value 15 digits cannot tell apart with 17. */
    m = mkt;
    j = jumps;
    m.spot = -0.1;
    assert_check_names(&o, &m, &j, "spot", "(got -0.1)");
    m.spot = -nextafter(0.1, 1.0);
    assert_check_names(&o, &m, &j, "spot", "(got -0.10000000000000002)");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(option_type_parse_accepts_names_in_any_case),
        cmocka_unit_test(option_type_parse_rejects_other_text),
        cmocka_unit_test(option_type_names_round_trip),
        cmocka_unit_test(inputs_check_names_the_bad_field_and_value),
        cmocka_unit_test(inputs_check_rejects_null_and_unknown_type),
        cmocka_unit_test(greeks_set_nan_sets_every_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
