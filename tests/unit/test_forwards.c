/*
 * test_forwards.c — forwards from put–call parity and the carry they imply
 * (pricing/fit/forwards.c).
 *
 * Chains are priced here with BSM at a known forward F = S·e^{(r−q)T}
 * (flat r, a zero-rate curve r(T), or inverse premiums with coin rate 0):
 * parity must give F back to rounding and the implied carry q back; a
 * stale quote must not move F; lsd_forwards_apply puts each expiry's F
 * on its quotes. Every error of lsd_forwards_chain, lsd_forwards_apply and
 * lsd_forwards_carry_pillars is provoked.
 */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A chain of calls and puts at strikes 2000..4000 step 250 and two expiries,
 * priced by BSM with spread `half` around the model price; premiums in
 * quote currency, or divided by the forward (inverse) when inverse is set.
 * rates: each expiry priced at the curve's zero rate r(T); NULL: mkt->rate. */
static void synthetic_chain(lsd_chain *chain, const lsd_market *mkt, const lsd_curve *rates,
                            int inverse, double half)
{
    static const double expiries[] = { 0.25, 1.0 };
    const size_t nk = 9, n = 2 * nk * 2;
    chain->quotes = calloc(n, sizeof *chain->quotes);
    assert_non_null(chain->quotes);
    chain->n = n;
    chain->spot = mkt->spot;
    chain->valuation_time = 0.0;
    size_t i = 0;
    for (size_t e = 0; e < 2; e++)
        for (size_t k = 0; k < nk; k++)
            for (int type = LSD_CALL; type <= LSD_PUT; type++) {
                const lsd_option opt = { .type = (lsd_option_type)type,
                                         .strike = 2000.0 + 250.0 * (double)k,
                                         .expiry = expiries[e] };
                lsd_market m = *mkt;
                if (rates != NULL)
                    assert_int_equal(lsd_curve_zero_rate(rates, opt.expiry, &m.rate, NULL),
                                     LSD_OK);
                lsd_greeks g;
                assert_int_equal(lsd_bsm_price(&opt, &m, &g, NULL), LSD_OK);
                const double f = m.spot * exp((m.rate - m.carry) * opt.expiry);
                const double premium = inverse ? g.price / f : g.price;
                chain->quotes[i++] = (lsd_quote){
                    .type = opt.type, .strike = opt.strike,
                    .expiry_time = opt.expiry * 31536000.0, .expiry = opt.expiry,
                    .bid = premium - half, .ask = premium + half, .mid = premium,
                    .forward = f, .unit = inverse ? LSD_PREMIUM_UNDERLYING : LSD_PREMIUM_QUOTE
                };
            }
}

/* Parity on a synthetic chain of mkt gives each expiry's forward
 * F = S·e^{(r(T) − q)T} to rounding (the quotes' own forward exactly), the
 * carry q back, and uses all nine strikes; r(T) from rates, or mkt->rate
 * without a curve. */
static void assert_parity_recovers(const lsd_chain *chain, const lsd_curve *rates,
                                   const lsd_market *mkt)
{
    lsd_forward out[36];
    size_t n;
    assert_int_equal(lsd_forwards_chain(chain, rates, NAN, NULL, out, &n, NULL), LSD_OK);
    assert_int_equal(n, 2);
    for (size_t e = 0; e < n; e++) {
        double r = mkt->rate;
        if (rates != NULL)
            assert_int_equal(lsd_curve_zero_rate(rates, out[e].expiry, &r, NULL), LSD_OK);
        const double f = mkt->spot * exp((r - mkt->carry) * out[e].expiry);
        assert_close(out[e].rate, r, 0.0, 0.0);
        assert_close(out[e].forward, f, 1e-12, 0.0);
        assert_close(out[e].venue_forward, f, 0.0, 0.0);
        assert_close(out[e].carry, mkt->carry, 0.0, 1e-12);
        assert_int_equal(out[e].n_pairs, 9);
        assert_int_equal(out[e].n_rejected, 0);
    }
}

static void parity_recovers_the_forward_and_the_carry(void **state)
{
    (void)state;
    const lsd_market mkt = { .spot = 3000.0, .rate = 0.045, .carry = 0.031, .vol = 0.62 };
    lsd_chain chain;
    synthetic_chain(&chain, &mkt, NULL, 0, 0.5);
    lsd_curve *rate;
    assert_int_equal(lsd_curve_flat(mkt.rate, &rate, NULL), LSD_OK);
    assert_parity_recovers(&chain, rate, &mkt);
    /* A spot given wins: q = r − ln(F/S)/T with the given S. */
    lsd_forward out[36];
    size_t n;
    assert_int_equal(lsd_forwards_chain(&chain, rate, 3030.0, NULL, out, &n, NULL), LSD_OK);
    assert_close(out[1].carry, mkt.rate - log(out[1].forward / 3030.0), 1e-15, 0.0);
    lsd_curve_free(rate);
    lsd_chain_free(&chain);
}

/* A rate term structure: each expiry's F is S·e^{(r(T) − q)T} and its
 * implied carry q back, with r(T) the curve's zero rate at T. */
static void parity_with_a_rate_curve_recovers_each_expiry(void **state)
{
    (void)state;
    const lsd_market mkt = { .spot = 3000.0, .rate = NAN, .carry = 0.028, .vol = 0.55 };
    const double tenors[] = { 0.25, 1.0 }, zeros[] = { 0.036, 0.047 };
    lsd_curve *rates;
    assert_int_equal(lsd_curve_new(tenors, zeros, 2, LSD_CURVE_ZERO_RATE, &rates, NULL), LSD_OK);
    lsd_chain chain;
    synthetic_chain(&chain, &mkt, rates, 0, 0.25);
    assert_parity_recovers(&chain, rates, &mkt);
    double r;
    assert_int_equal(lsd_curve_zero_rate(rates, 1.0, &r, NULL), LSD_OK);
    assert_close(r, 0.047, 0.0, 1e-15);
    lsd_curve_free(rates);
    lsd_chain_free(&chain);
}

static void inverse_parity_recovers_the_forward(void **state)
{
    (void)state;
    /* Deribit: coin rate 0; the quote currency's rate enters only via F. */
    const lsd_market mkt = { .spot = 3000.0, .rate = 0.0, .carry = -0.04, .vol = 0.6 };
    lsd_chain chain;
    synthetic_chain(&chain, &mkt, NULL, 1, 0.0005);
    assert_parity_recovers(&chain, NULL, &mkt);
    lsd_chain_free(&chain);
}

static void a_stale_quote_is_rejected(void **state)
{
    (void)state;
    const lsd_market mkt = { .spot = 3000.0, .rate = 0.0, .carry = 0.0, .vol = 0.6 };
    lsd_chain chain;
    synthetic_chain(&chain, &mkt, NULL, 0, 0.5);
    /* The 3000 call of the first expiry (index 2·4) not refreshed: 40 too high. */
    chain.quotes[8].bid += 40.0;
    chain.quotes[8].ask += 40.0;
    /* The 4000 put of the first expiry (index 17) has no bid: not a pair. */
    chain.quotes[17].bid = NAN;
    lsd_forward out[36];
    size_t n;
    assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, NULL, out, &n, NULL), LSD_OK);
    assert_close(out[0].forward, 3000.0, 1e-12, 0.0);
    assert_int_equal(out[0].n_pairs, 7);
    assert_int_equal(out[0].n_rejected, 1);
    /* Without rejection (c huge) the stale quote would move F by ~40/9·weight. */
    const lsd_forwards_control lax = { .outlier_mads = 1e300 };
    assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, &lax, out, &n, NULL), LSD_OK);
    assert_true(out[0].forward > 3001.0);
    lsd_chain_free(&chain);
}

static void no_pair_no_spot_and_errors(void **state)
{
    (void)state;
    lsd_quote q[2] = {
        { .type = LSD_CALL, .strike = 100, .expiry = 0.5, .bid = NAN, .ask = 2, .mid = NAN,
          .forward = NAN, .expiry_time = NAN },
        { .type = LSD_PUT, .strike = 100, .expiry = 0.5, .bid = 1, .ask = 2, .mid = NAN,
          .forward = NAN, .expiry_time = NAN },
    };
    lsd_chain chain = { .valuation_time = NAN, .spot = NAN, .quotes = q, .n = 2 };
    lsd_forward out[2];
    size_t n = 7;
    assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, NULL, out, &n, NULL), LSD_OK);
    assert_int_equal(n, 1);
    assert_true(isnan(out[0].forward) && isnan(out[0].carry) && isnan(out[0].venue_forward));
    assert_int_equal(out[0].n_pairs, 0);
    q[0].bid = 1.5; /* now a pair, but no spot: forward, no carry */
    assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, NULL, out, &n, NULL), LSD_OK);
    assert_close(out[0].forward, 100.25, 1e-15, 0.0); /* 100 + (1.75 − 1.5) */
    assert_true(isnan(out[0].carry));
    lsd_diag diag = { "" };
    assert_int_equal(lsd_forwards_chain(&chain, NULL, -1.0, NULL, out, &n, &diag), LSD_EDOM);
    assert_int_equal(n, 0);
    assert_non_null(strstr(diag.message, "spot"));
    const lsd_forwards_control bad = { .outlier_mads = 0.0 };
    assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, &bad, out, &n, NULL), LSD_EDOM);
    assert_int_equal(lsd_forwards_chain(NULL, NULL, NAN, NULL, out, &n, NULL), LSD_EINVAL);
    assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, NULL, out, NULL, NULL), LSD_EINVAL);
}

/* Every rejected argument: the status, a message naming it, *count 0. */
static void bad_arguments_are_reported(void **state)
{
    (void)state;
    lsd_quote q[2] = {
        { .type = LSD_CALL, .strike = 100, .expiry = 0.5, .bid = 1.5, .ask = 2, .mid = NAN,
          .forward = NAN, .expiry_time = NAN },
        { .type = LSD_PUT, .strike = 100, .expiry = 0.5, .bid = 1, .ask = 2, .mid = NAN,
          .forward = NAN, .expiry_time = NAN },
    };
    lsd_chain chain = { .valuation_time = NAN, .spot = 100.0, .quotes = q, .n = 2 };
    lsd_forward out[2];
    size_t n = 7;
    const double bad_spots[] = { 0.0, -INFINITY, INFINITY };
    for (size_t i = 0; i < sizeof bad_spots / sizeof bad_spots[0]; i++) {
        lsd_diag diag = { "" };
        n = 7;
        assert_int_equal(lsd_forwards_chain(&chain, NULL, bad_spots[i], NULL, out, &n, &diag),
                         LSD_EDOM);
        assert_int_equal(n, 0);
        assert_non_null(strstr(diag.message, "spot"));
    }
    const double bad_mads[] = { -1.0, NAN, INFINITY };
    for (size_t i = 0; i < sizeof bad_mads / sizeof bad_mads[0]; i++) {
        const lsd_forwards_control control = { .outlier_mads = bad_mads[i] };
        lsd_diag diag = { "" };
        n = 7;
        assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, &control, out, &n, &diag),
                         LSD_EDOM);
        assert_int_equal(n, 0);
        assert_non_null(strstr(diag.message, "outlier_mads"));
    }
    /* An expiry that is not > 0 years. */
    q[0].expiry = q[1].expiry = 0.0;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, NULL, out, &n, &diag), LSD_EDOM);
    assert_int_equal(n, 0);
    assert_non_null(strstr(diag.message, "expiry"));
    /* NULL output, or quotes missing from a non-empty chain. */
    assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, NULL, NULL, &n, NULL), LSD_EINVAL);
    chain.quotes = NULL;
    assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, NULL, out, &n, NULL), LSD_EINVAL);
    /* An empty chain has no expiries, and that is not an error. */
    chain.n = 0;
    n = 7;
    assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, NULL, out, &n, NULL), LSD_OK);
    assert_int_equal(n, 0);
    /* The default control is c = 3 (forwards.c). */
    assert_close(lsd_forwards_control_default().outlier_mads, 3.0, 0.0, 0.0);
}

/* lsd_forwards_apply: each quote gets its expiry's parity forward; an
 * expiry without a pair, and a quote without an instant, keep the venue's;
 * the chain's order does not matter; NULLs are refused, the chain intact. */
static void apply_puts_parity_forwards_on_the_quotes(void **state)
{
    (void)state;
    const lsd_market mkt = { .spot = 3000.0, .rate = 0.0, .carry = 0.02, .vol = 0.6 };
    lsd_chain chain;
    synthetic_chain(&chain, &mkt, NULL, 0, 0.5);
    lsd_forward fw[36];
    size_t n;
    assert_int_equal(lsd_forwards_chain(&chain, NULL, NAN, NULL, fw, &n, NULL), LSD_OK);
    assert_int_equal(n, 2);
    fw[0].forward = 3001.0; /* marks: the first expiry's quotes must take these */
    fw[1].forward = 3002.0;
    chain.quotes[3].expiry_time = NAN; /* matches no entry */
    const double venue3 = chain.quotes[3].forward;
    assert_int_equal(lsd_forwards_apply(&chain, fw, n, NULL), LSD_OK);
    for (size_t i = 0; i < chain.n; i++)
        assert_close(chain.quotes[i].forward,
                      i == 3 ? venue3 : chain.quotes[i].expiry == 0.25 ? 3001.0 : 3002.0, 0.0,
                      0.0);
    /* Unsorted: the last quote first; an expiry without pairs keeps its own. */
    const lsd_quote last = chain.quotes[chain.n - 1];
    chain.quotes[chain.n - 1] = chain.quotes[0];
    chain.quotes[0] = last;
    chain.quotes[0].forward = 1.0;
    chain.quotes[chain.n - 1].forward = 2.0;
    assert_int_equal(lsd_forwards_apply(&chain, fw, n, NULL), LSD_OK);
    assert_close(chain.quotes[0].forward, 3002.0, 0.0, 0.0);
    assert_close(chain.quotes[chain.n - 1].forward, 3001.0, 0.0, 0.0);
    fw[1].n_pairs = 0;
    chain.quotes[0].forward = 1.0;
    assert_int_equal(lsd_forwards_apply(&chain, fw, n, NULL), LSD_OK);
    assert_close(chain.quotes[0].forward, 1.0, 0.0, 0.0);
    fw[0].forward = NAN; /* no finite forward: the same */
    chain.quotes[chain.n - 1].forward = 2.0;
    assert_int_equal(lsd_forwards_apply(&chain, fw, n, NULL), LSD_OK);
    assert_close(chain.quotes[chain.n - 1].forward, 2.0, 0.0, 0.0);
    /* Nothing to apply is not an error; NULLs are. */
    assert_int_equal(lsd_forwards_apply(&chain, NULL, 0, NULL), LSD_OK);
    lsd_diag diag = { "" };
    assert_int_equal(lsd_forwards_apply(&chain, NULL, 2, &diag), LSD_EINVAL);
    assert_non_null(strstr(diag.message, "NULL"));
    assert_int_equal(lsd_forwards_apply(NULL, fw, n, NULL), LSD_EINVAL);
    lsd_chain_free(&chain);
    assert_int_equal(lsd_forwards_apply(&(lsd_chain){ .n = 3 }, fw, n, NULL), LSD_EINVAL);
}

static void carry_pillars_skip_short_and_missing(void **state)
{
    (void)state;
    const lsd_forward fw[4] = {
        { .expiry = 0.003, .carry = -0.3 },
        { .expiry = 0.1, .carry = NAN },
        { .expiry = 0.25, .carry = -0.04 },
        { .expiry = 1.0, .carry = -0.035 },
    };
    double t[4], r[4];
    size_t n;
    assert_int_equal(lsd_forwards_carry_pillars(fw, 4, 7.0 / 365.0, t, r, &n, NULL), LSD_OK);
    assert_int_equal(n, 2);
    assert_close(t[0], 0.25, 0.0, 0.0);
    assert_close(r[1], -0.035, 0.0, 0.0);
    /* They make a curve: at a pillar it returns the carry itself. */
    lsd_curve *c;
    double q;
    assert_int_equal(lsd_curve_new(t, r, n, LSD_CURVE_ZERO_RATE, &c, NULL), LSD_OK);
    assert_int_equal(lsd_curve_zero_rate(c, 0.25, &q, NULL), LSD_OK);
    assert_close(q, -0.04, 0.0, 0.0);
    lsd_curve_free(c);
    const lsd_forward unsorted[2] = { { .expiry = 1.0 }, { .expiry = 0.5 } };
    assert_int_equal(lsd_forwards_carry_pillars(unsorted, 2, 0.0, t, r, &n, NULL), LSD_EDOM);
    assert_int_equal(lsd_forwards_carry_pillars(fw, 4, -1.0, t, r, &n, NULL), LSD_EDOM);
    assert_int_equal(lsd_forwards_carry_pillars(fw, 4, 0.0, NULL, r, &n, NULL), LSD_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parity_recovers_the_forward_and_the_carry),
        cmocka_unit_test(parity_with_a_rate_curve_recovers_each_expiry),
        cmocka_unit_test(inverse_parity_recovers_the_forward),
        cmocka_unit_test(a_stale_quote_is_rejected),
        cmocka_unit_test(no_pair_no_spot_and_errors),
        cmocka_unit_test(bad_arguments_are_reported),
        cmocka_unit_test(apply_puts_parity_forwards_on_the_quotes),
        cmocka_unit_test(carry_pillars_skip_short_and_missing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
