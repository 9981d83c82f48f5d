/*
 * test_market.c — the market adapters (curves/market.c), through the public
 * API only: the forward, premium units and their conversion, the carry rule
 * of a token and its staking APR, curve application and the reduction of a
 * valuation's rate and carry inputs.
 *
 * Independent checks: the forward against put–call parity of the BSM
 * pricer (C − P = e^{−rT}(F − K), Hull §11.4 with the yield); the inverse
 * premium against the BSM price divided by the forward (Deribit's inverse
 * quotes); the APR-alone carry against 365·ln(1 + APR/365) written out; the
 * curves against lsd_curve_zero_rate. Every error path is provoked, and the
 * carry rule's messages are compared word for word with the ones the CLI
 * prints (tests/cli compare those).
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <math.h>
#include <string.h>

/* A stETH-like profile (data/tokens.csv) and a value-accruing one. */
static const lsd_token steth = { .symbol = "steth", .staked_asset = "ETH", .chain = "ethereum",
                                 .kind = LSD_TOKEN_REBASING, .protocol_fee = 0.1,
                                 .apr_periods = 365.0 };
static const lsd_token reth = { .symbol = "reth", .staked_asset = "ETH", .chain = "ethereum",
                                .kind = LSD_TOKEN_VALUE_ACCRUING, .protocol_fee = 0.14,
                                .apr_periods = 365.0 };

static void same_bits(double got, double want)
{
    if (memcmp(&got, &want, sizeof got) != 0)
        fail_msg("got %.17g, want %.17g bit for bit", got, want);
}

/* ---- forward -------------------------------------------------------------- */

static void forward_is_spot_grown_at_rate_minus_carry(void **state)
{
    (void)state;
    const lsd_market mkt = { .spot = 3000.0, .rate = 0.045, .carry = 0.031, .vol = NAN };
    static const double expiries[] = { 1.0 / 365.0, 0.25, 1.0, 7.5 };
    for (size_t i = 0; i < sizeof expiries / sizeof expiries[0]; i++) {
        const double T = expiries[i];
        double f = NAN;
        assert_int_equal(lsd_market_forward(&mkt, T, &f, NULL), LSD_OK);
        same_bits(f, mkt.spot * exp((mkt.rate - mkt.carry) * T)); /* the pricers' forward */
        /* parity: C − P = e^{−rT}(F − K) */
        const lsd_market priced = { mkt.spot, mkt.rate, mkt.carry, 0.62 };
        const lsd_option call = { LSD_CALL, 3200.0, T }, put = { LSD_PUT, 3200.0, T };
        lsd_greeks c, p;
        assert_int_equal(lsd_bsm_price(&call, &priced, &c, NULL), LSD_OK);
        assert_int_equal(lsd_bsm_price(&put, &priced, &p, NULL), LSD_OK);
        assert_close(c.price - p.price, exp(-mkt.rate * T) * (f - 3200.0), 0.0, 1e-9);
    }
}

static void forward_refuses_what_the_pricers_refuse(void **state)
{
    (void)state;
    const lsd_market good = { .spot = 3000.0, .rate = 0.045, .carry = 0.031, .vol = NAN };
    double f = 0.0;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_market_forward(NULL, 1.0, &f, &diag), LSD_EINVAL);
    assert_true(isnan(f));
    assert_int_equal(lsd_market_forward(&good, 1.0, NULL, NULL), LSD_EINVAL);

    lsd_market m = good;
    m.spot = 0.0;
    f = 0.0;
    assert_int_equal(lsd_market_forward(&m, 1.0, &f, &diag), LSD_EDOM);
    assert_string_equal(diag.message, "spot must be finite and > 0 (got 0)");
    assert_true(isnan(f));
    assert_int_equal(lsd_market_forward(&good, -1.0, &f, &diag), LSD_EDOM);
    assert_string_equal(diag.message, "expiry must be finite and > 0 (got -1)");
    assert_int_equal(lsd_market_forward(&good, INFINITY, &f, &diag), LSD_EDOM);
    m = good;
    m.rate = NAN;
    assert_int_equal(lsd_market_forward(&m, 1.0, &f, &diag), LSD_EDOM);
    assert_string_equal(diag.message, "rate must be finite (got nan)");
    m = good;
    m.carry = INFINITY;
    assert_int_equal(lsd_market_forward(&m, 1.0, &f, &diag), LSD_EDOM);
    assert_string_equal(diag.message, "carry must be finite (got inf)");

    /* finite inputs, a forward out of range either way */
    m = good;
    m.rate = 800.0;
    assert_int_equal(lsd_market_forward(&m, 1.0, &f, &diag), LSD_EDOM);
    assert_non_null(strstr(diag.message, "forward spot*exp((rate - carry)*expiry) is out of range"));
    assert_true(isnan(f));
    m.rate = -800.0;
    assert_int_equal(lsd_market_forward(&m, 1.0, &f, &diag), LSD_EDOM);
}

/* ---- premium units ---------------------------------------------------------- */

static void premium_units_parse_in_any_case_and_name_themselves(void **state)
{
    (void)state;
    lsd_premium_unit u = (lsd_premium_unit)-1;
    assert_int_equal(lsd_market_premium_unit_parse("quote", &u, NULL), LSD_OK);
    assert_int_equal(u, LSD_PREMIUM_QUOTE);
    assert_int_equal(lsd_market_premium_unit_parse("Underlying", &u, NULL), LSD_OK);
    assert_int_equal(u, LSD_PREMIUM_UNDERLYING);
    assert_int_equal(lsd_market_premium_unit_parse("QUOTE", &u, NULL), LSD_OK);
    assert_int_equal(u, LSD_PREMIUM_QUOTE);
    assert_string_equal(lsd_market_premium_unit_name(LSD_PREMIUM_QUOTE), "quote");
    assert_string_equal(lsd_market_premium_unit_name(LSD_PREMIUM_UNDERLYING), "underlying");
    assert_string_equal(lsd_market_premium_unit_name((lsd_premium_unit)7), "unknown");
}

static void other_premium_units_are_refused(void **state)
{
    (void)state;
    lsd_diag diag = { "" };
    lsd_premium_unit u = LSD_PREMIUM_UNDERLYING;
    assert_int_equal(lsd_market_premium_unit_parse("usd", &u, &diag), LSD_EPARSE);
    assert_string_equal(diag.message, "premium_unit must be quote or underlying (got 'usd')");
    assert_int_equal(u, LSD_PREMIUM_UNDERLYING); /* untouched */
    static const char *const bad[] = { "", " quote", "quote ", "q", "coin", "underlyings" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(lsd_market_premium_unit_parse(bad[i], &u, NULL), LSD_EPARSE);
    assert_int_equal(lsd_market_premium_unit_parse(NULL, &u, NULL), LSD_EINVAL);
    assert_int_equal(lsd_market_premium_unit_parse("quote", NULL, NULL), LSD_EINVAL);
}

/* An inverse (Deribit) premium is the option's quote-currency value over
 * the forward: converting back gives the BSM price. */
static void an_inverse_premium_times_the_forward_is_the_price(void **state)
{
    (void)state;
    const lsd_market mkt = { .spot = 3000.0, .rate = 0.0, .carry = 0.0, .vol = 0.65 };
    const lsd_option opt = { LSD_CALL, 3400.0, 0.25 };
    lsd_greeks g;
    assert_int_equal(lsd_bsm_price(&opt, &mkt, &g, NULL), LSD_OK);
    double f, premium, price;
    assert_int_equal(lsd_market_forward(&mkt, opt.expiry, &f, NULL), LSD_OK);
    assert_int_equal(lsd_market_premium_from_quote(g.price, LSD_PREMIUM_UNDERLYING, f, &premium,
                                                   NULL), LSD_OK);
    same_bits(premium, g.price / f);
    assert_int_equal(lsd_market_premium_to_quote(premium, LSD_PREMIUM_UNDERLYING, f, &price,
                                                 NULL), LSD_OK);
    same_bits(price, premium * f);
    assert_close(price, g.price, 4.5e-16, 0.0);

    /* the quote currency: the premium itself, forward not read */
    assert_int_equal(lsd_market_premium_to_quote(-1.25, LSD_PREMIUM_QUOTE, NAN, &price, NULL),
                     LSD_OK);
    same_bits(price, -1.25);
    assert_int_equal(lsd_market_premium_from_quote(7.5, LSD_PREMIUM_QUOTE, NAN, &premium, NULL),
                     LSD_OK);
    same_bits(premium, 7.5);
}

static void premium_conversion_round_trips(void **state)
{
    (void)state;
    static const double forwards[] = { 0.05, 1.0, 2931.7, 68123.45, 1e6 };
    static const double premiums[] = { 0.0, 1e-9, 0.0123, 0.25, 1.0, 3.5 };
    for (size_t i = 0; i < sizeof forwards / sizeof forwards[0]; i++)
        for (size_t j = 0; j < sizeof premiums / sizeof premiums[0]; j++) {
            double price, back;
            assert_int_equal(lsd_market_premium_to_quote(premiums[j], LSD_PREMIUM_UNDERLYING,
                                                         forwards[i], &price, NULL), LSD_OK);
            assert_int_equal(lsd_market_premium_from_quote(price, LSD_PREMIUM_UNDERLYING,
                                                           forwards[i], &back, NULL), LSD_OK);
            assert_close(back, premiums[j], 4.5e-16, 0.0); /* two roundings */
        }
}

static void premium_conversion_refuses_bad_inputs(void **state)
{
    (void)state;
    lsd_diag diag = { "" };
    double out = 0.0;
    assert_int_equal(lsd_market_premium_to_quote(NAN, LSD_PREMIUM_QUOTE, 1.0, &out, &diag),
                     LSD_EDOM);
    assert_string_equal(diag.message, "premium must be finite (got nan)");
    assert_true(isnan(out));
    assert_int_equal(lsd_market_premium_from_quote(INFINITY, LSD_PREMIUM_UNDERLYING, 1.0, &out,
                                                   &diag), LSD_EDOM);
    assert_string_equal(diag.message, "price must be finite (got inf)");
    out = 0.0;
    assert_int_equal(lsd_market_premium_to_quote(0.1, LSD_PREMIUM_UNDERLYING, 0.0, &out, &diag),
                     LSD_EDOM);
    assert_string_equal(diag.message, "forward must be finite and > 0 (got 0)");
    assert_true(isnan(out));
    assert_int_equal(lsd_market_premium_to_quote(0.1, LSD_PREMIUM_UNDERLYING, NAN, &out, NULL),
                     LSD_EDOM);
    assert_int_equal(lsd_market_premium_to_quote(1e300, LSD_PREMIUM_UNDERLYING, 1e10, &out,
                                                 &diag), LSD_EDOM);
    assert_non_null(strstr(diag.message, "overflows"));
    assert_int_equal(lsd_market_premium_from_quote(1e300, LSD_PREMIUM_UNDERLYING, 1e-10, &out,
                                                   NULL), LSD_EDOM);
    assert_int_equal(lsd_market_premium_to_quote(0.1, (lsd_premium_unit)2, 1.0, &out, &diag),
                     LSD_EINVAL);
    assert_string_equal(diag.message, "unknown premium unit 2");
    assert_int_equal(lsd_market_premium_to_quote(0.1, LSD_PREMIUM_QUOTE, 1.0, NULL, NULL),
                     LSD_EINVAL);
}

/* ---- the carry of a token ----------------------------------------------------- */

static void a_token_and_its_apr_give_the_tokens_carry(void **state)
{
    (void)state;
    const double apr = 0.031;
    double q = NAN, want = NAN;
    lsd_token used;
    assert_int_equal(lsd_market_token_carry(&steth, &apr, &q, &used, NULL), LSD_OK);
    assert_int_equal(lsd_token_carry(&steth, apr, &want, NULL), LSD_OK);
    same_bits(q, want);
    assert_string_equal(used.symbol, "steth");
    assert_int_equal(lsd_market_token_carry(&reth, &apr, &q, &used, NULL), LSD_OK);
    same_bits(q, 0.0);
    assert_string_equal(used.symbol, "reth");
}

static void a_value_accruing_token_alone_has_no_carry(void **state)
{
    (void)state;
    double q = NAN;
    lsd_token used;
    assert_int_equal(lsd_market_token_carry(&reth, NULL, &q, &used, NULL), LSD_OK);
    same_bits(q, 0.0);
    assert_string_equal(used.symbol, "reth");
    assert_int_equal(lsd_market_token_carry(&reth, NULL, &q, NULL, NULL), LSD_OK);
}

/* The message is the CLI's: "price: --token steth: <this>". */
static void a_rebasing_token_alone_needs_an_apr(void **state)
{
    (void)state;
    double q = 0.0;
    lsd_diag diag = { "" };
    lsd_token used = reth;
    assert_int_equal(lsd_market_token_carry(&steth, NULL, &q, &used, &diag), LSD_EDOM);
    assert_string_equal(diag.message,
                        "steth is rebasing: its carry is its staking yield, so it needs a "
                        "staking APR");
    assert_true(isnan(q));
    assert_string_equal(used.symbol, "steth"); /* the profile the rule used */
}

/* An APR alone is a rebasing token compounding daily, as stETH. */
static void an_apr_alone_compounds_daily(void **state)
{
    (void)state;
    static const double aprs[] = { 0.0, 0.0287, 0.031, 0.2, -0.01 };
    for (size_t i = 0; i < sizeof aprs / sizeof aprs[0]; i++) {
        double q = NAN;
        lsd_token used = steth;
        assert_int_equal(lsd_market_token_carry(NULL, &aprs[i], &q, &used, NULL), LSD_OK);
        same_bits(q, 365.0 * log1p(aprs[i] / 365.0));
        assert_string_equal(used.symbol, "");
        assert_string_equal(used.staked_asset, "");
        assert_string_equal(used.chain, "");
        assert_int_equal(used.kind, LSD_TOKEN_REBASING);
        assert_true(isnan(used.protocol_fee));
        same_bits(used.apr_periods, 365.0);
    }
}

static void the_carry_rule_refuses_bad_inputs(void **state)
{
    (void)state;
    lsd_diag diag = { "" };
    double q = 0.0;
    lsd_token used = reth;
    assert_int_equal(lsd_market_token_carry(NULL, NULL, &q, &used, &diag), LSD_EINVAL);
    assert_string_equal(diag.message, "token carry: give a token, a staking APR or both");
    assert_true(isnan(q));
    assert_string_equal(used.symbol, "reth"); /* untouched */
    assert_int_equal(lsd_market_token_carry(&steth, NULL, NULL, NULL, NULL), LSD_EINVAL);

    /* the APR's domain: lsd_token_carry's words */
    const double nan_apr = NAN, too_low = -400.0;
    assert_int_equal(lsd_market_token_carry(NULL, &nan_apr, &q, NULL, &diag), LSD_EDOM);
    assert_string_equal(diag.message, "staking APR must be finite (got nan)");
    assert_true(isnan(q));
    assert_int_equal(lsd_market_token_carry(&steth, &too_low, &q, NULL, &diag), LSD_EDOM);
    assert_string_equal(diag.message,
                        "staking APR must be > -periods (got -400 with 365 periods): the balance "
                        "would not stay positive");

    /* a profile of no known kind, with and without an APR */
    lsd_token odd = reth;
    odd.kind = (lsd_token_kind)5;
    const double apr = 0.03;
    assert_int_equal(lsd_market_token_carry(&odd, NULL, &q, NULL, &diag), LSD_EINVAL);
    assert_string_equal(diag.message, "token kind 5 is neither rebasing nor value-accruing");
    assert_true(isnan(q));
    assert_int_equal(lsd_market_token_carry(&odd, &apr, &q, NULL, &diag), LSD_EINVAL);
    assert_string_equal(diag.message, "token kind 5 is neither rebasing nor value-accruing");
}

/* ---- curves ----------------------------------------------------------------------- */

static lsd_curve *zero_curve(const double *t, const double *r, size_t n)
{
    lsd_curve *c = NULL;
    assert_int_equal(lsd_curve_new(t, r, n, LSD_CURVE_ZERO_RATE, &c, NULL), LSD_OK);
    return c;
}

static void curves_give_their_zero_rates_at_expiry(void **state)
{
    (void)state;
    static const double t[] = { 0.0833, 0.25, 1.0, 2.0 }, r[] = { 0.041, 0.0395, 0.0352, 0.0349 };
    static const double qt[] = { 0.25, 1.0 }, qr[] = { 0.026, 0.0269 };
    lsd_curve *rc = zero_curve(t, r, 4), *qc = zero_curve(qt, qr, 2), *flat = NULL;
    assert_int_equal(lsd_curve_flat(0.0312, &flat, NULL), LSD_OK);
    for (double T = 0.02; T < 4.0; T *= 1.7) {
        lsd_market m = { .spot = 3000.0, .rate = 9.0, .carry = 9.0, .vol = 0.6 };
        assert_int_equal(lsd_market_apply_curves(&m, rc, qc, T, NULL), LSD_OK);
        double want_r, want_q;
        assert_int_equal(lsd_curve_zero_rate(rc, T, &want_r, NULL), LSD_OK);
        assert_int_equal(lsd_curve_zero_rate(qc, T, &want_q, NULL), LSD_OK);
        same_bits(m.rate, want_r);
        same_bits(m.carry, want_q);
        same_bits(m.spot, 3000.0);
        same_bits(m.vol, 0.6);
        /* a flat curve is its rate, bit for bit; a NULL curve leaves its field */
        assert_int_equal(lsd_market_apply_curves(&m, NULL, flat, T, NULL), LSD_OK);
        same_bits(m.rate, want_r);
        same_bits(m.carry, 0.0312);
    }
    lsd_market m = { .spot = 3000.0, .rate = 0.04, .carry = 0.03, .vol = 0.6 };
    lsd_diag diag = { "" };
    assert_int_equal(lsd_market_apply_curves(&m, rc, qc, 0.0, &diag), LSD_EDOM);
    assert_string_equal(diag.message, "expiry must be finite and > 0 (got 0)");
    same_bits(m.rate, 0.04); /* unchanged on error */
    same_bits(m.carry, 0.03);
    assert_int_equal(lsd_market_apply_curves(NULL, rc, qc, 1.0, &diag), LSD_EINVAL);
    lsd_curve_free(rc);
    lsd_curve_free(qc);
    lsd_curve_free(flat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(forward_is_spot_grown_at_rate_minus_carry),
        cmocka_unit_test(forward_refuses_what_the_pricers_refuse),
        cmocka_unit_test(premium_units_parse_in_any_case_and_name_themselves),
        cmocka_unit_test(other_premium_units_are_refused),
        cmocka_unit_test(an_inverse_premium_times_the_forward_is_the_price),
        cmocka_unit_test(premium_conversion_round_trips),
        cmocka_unit_test(premium_conversion_refuses_bad_inputs),
        cmocka_unit_test(a_token_and_its_apr_give_the_tokens_carry),
        cmocka_unit_test(a_value_accruing_token_alone_has_no_carry),
        cmocka_unit_test(a_rebasing_token_alone_needs_an_apr),
        cmocka_unit_test(an_apr_alone_compounds_daily),
        cmocka_unit_test(the_carry_rule_refuses_bad_inputs),
        cmocka_unit_test(curves_give_their_zero_rates_at_expiry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
