/*
 * test_calibrate.c — calibration (pricing/fit/calibrate.c) on synthetic chains
 * whose answer is known: quotes priced from chosen Merton or BSM parameters,
 * with no noise, must give those parameters back; quotes with a known ±ε
 * implied-vol pattern must give the standard error that least squares theory
 * predicts; and every error path returns its status with an empty result.
 *
 * The chains are priced on a spot with carry (S, r, q), while the calibrator
 * sees only the forward F = S·e^{(r−q)T} and the rate: recovering the
 * parameters also checks its forward/discount convention.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUOTES 256

static const double spot = 2950.0, rate = 0.03, carry = 0.01;

/* Append a call and a put at every strike of one expiry, priced exactly. */
static void add_expiry(lsd_chain *chain, double expiry, double vol, const lsd_jumps *jumps,
                       lsd_premium_unit unit, double r, double q)
{
    const double forward = spot * exp((r - q) * expiry);
    for (double k = 1500.0; k <= 6000.0; k += 250.0) {
        for (int t = 0; t < 2; t++) {
            const lsd_option opt = { t == 0 ? LSD_CALL : LSD_PUT, k, expiry };
            const lsd_market mkt = { spot, r, q, vol };
            lsd_greeks g;
            assert_int_equal(lsd_merton_price(&opt, &mkt, jumps, NULL, &g, NULL), LSD_OK);
            const double price = unit == LSD_PREMIUM_UNDERLYING ? g.price / forward : g.price;
            lsd_quote *o = &chain->quotes[chain->n++];
            memset(o, 0, sizeof *o);
            o->type = opt.type;
            o->strike = k;
            o->expiry = expiry;
            o->expiry_time = 1.7e9 + expiry * 365.0 * 86400.0;
            o->bid = 0.99 * price;
            o->ask = 1.01 * price;
            o->mid = price;
            o->forward = forward;
            o->unit = unit;
        }
    }
}

static lsd_chain new_chain(void)
{
    lsd_chain chain = { .valuation_time = 1.7e9, .spot = spot, .n = 0 };
    chain.quotes = calloc(MAX_QUOTES, sizeof *chain.quotes);
    assert_non_null(chain.quotes);
    return chain;
}

/* Strikes per expiry in add_expiry: 1500, 1750, ..., 6000. At each, exactly
 * one of the call (K ≥ F) and the put (K < F) is out of the money. */
#define N_STRIKES 19

static void merton_parameters_recovered_from_exact_prices(void **state)
{
    (void)state;
    const lsd_jumps jumps = { 2.0, -0.15, 0.20 };
    lsd_chain chain = new_chain();
    add_expiry(&chain, 0.1, 0.55, &jumps, LSD_PREMIUM_QUOTE, rate, carry);
    add_expiry(&chain, 0.5, 0.45, &jumps, LSD_PREMIUM_QUOTE, rate, carry);
    lsd_calibrate_control ctl = lsd_calibrate_control_default();
    ctl.rate = rate;
    lsd_calibrate_result res;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_calibrate_chain(&chain, &ctl, &res, &diag), LSD_OK);
    assert_int_equal(res.n_expiries, 2);
    const double vols[2] = { 0.55, 0.45 }, expiries[2] = { 0.1, 0.5 };
    for (size_t g = 0; g < 2; g++) {
        const lsd_calibrate_expiry *e = &res.expiries[g];
        assert_close(e->expiry, expiries[g], 1e-15, 0.0);
        assert_close(e->forward, spot * exp((rate - carry) * expiries[g]), 1e-15, 0.0);
        assert_close(e->vol, vols[g], 1e-7, 0.0);
        assert_close(e->jump_intensity, jumps.intensity, 1e-6, 0.0);
        assert_close(e->jump_mean, jumps.mean, 1e-6, 0.0);
        assert_close(e->jump_vol, jumps.vol, 1e-6, 0.0);
        assert_true(e->iv_rmse < 1e-8);
        assert_close(e->inside_spread, 1.0, 0.0, 0.0);
        assert_int_equal(e->n_quotes, N_STRIKES);
    }
    /* Every fitted quote is out of the money and reprices its mid. */
    for (size_t i = 0; i < res.n_quotes; i++) {
        const lsd_calibrate_quote *q = &res.quotes[i];
        const double f = res.expiries[q->expiry_index].forward;
        assert_true(q->type == LSD_CALL ? q->strike >= f : q->strike < f);
        assert_close(q->model_price, q->mid, 1e-8, 1e-10);
        assert_close(q->model_vol, q->market_vol, 0.0, 1e-8);
    }
    lsd_calibrate_result_free(&res);
    free(chain.quotes);
}

static void joint_fit_recovers_shared_jumps_and_vol_term_structure(void **state)
{
    (void)state;
    const lsd_jumps jumps = { 0.8, -0.25, 0.30 };
    lsd_chain chain = new_chain();
    add_expiry(&chain, 0.05, 0.70, &jumps, LSD_PREMIUM_QUOTE, rate, carry);
    add_expiry(&chain, 0.25, 0.60, &jumps, LSD_PREMIUM_QUOTE, rate, carry);
    add_expiry(&chain, 1.00, 0.50, &jumps, LSD_PREMIUM_QUOTE, rate, carry);
    lsd_calibrate_control ctl = lsd_calibrate_control_default();
    ctl.rate = rate;
    ctl.joint = 1;
    lsd_calibrate_result res;
    assert_int_equal(lsd_calibrate_chain(&chain, &ctl, &res, NULL), LSD_OK);
    assert_int_equal(res.joint, 1);
    assert_int_equal(res.n_expiries, 3);
    const double vols[3] = { 0.70, 0.60, 0.50 };
    for (size_t g = 0; g < 3; g++) {
        const lsd_calibrate_expiry *e = &res.expiries[g];
        assert_close(e->vol, vols[g], 1e-7, 0.0);
        assert_close(e->jump_intensity, jumps.intensity, 1e-6, 0.0);
        assert_close(e->jump_mean, jumps.mean, 1e-6, 0.0);
        assert_close(e->jump_vol, jumps.vol, 1e-6, 0.0);
        assert_true(e->iv_rmse < 1e-8);
    }
    lsd_calibrate_result_free(&res);
    free(chain.quotes);
}

static void bsm_flat_vol_recovered_exactly_from_inverse_premiums(void **state)
{
    (void)state;
    const lsd_jumps none = { 0.0, 0.0, 0.0 };
    lsd_chain chain = new_chain();
    /* Deribit: inverse premiums (price / F), rate 0, carry 0. */
    add_expiry(&chain, 0.02, 0.65, &none, LSD_PREMIUM_UNDERLYING, 0.0, 0.0);
    add_expiry(&chain, 0.75, 0.65, &none, LSD_PREMIUM_UNDERLYING, 0.0, 0.0);
    lsd_calibrate_control ctl = lsd_calibrate_control_default();
    ctl.model = LSD_MODEL_BSM;
    lsd_calibrate_result res;
    assert_int_equal(lsd_calibrate_chain(&chain, &ctl, &res, NULL), LSD_OK);
    assert_int_equal(res.model, LSD_MODEL_BSM);
    assert_int_equal(res.n_expiries, 2);
    for (size_t g = 0; g < 2; g++) {
        const lsd_calibrate_expiry *e = &res.expiries[g];
        assert_close(e->vol, 0.65, 1e-11, 0.0);
        assert_close(e->jump_intensity, 0.0, 0.0, 0.0);
        assert_true(e->iv_rmse < 1e-11);
        assert_true(isnan(e->std_error[1]) && isnan(e->correlation[0][1]));
    }
    /* Quote-currency prices: the inverse premium times the forward (= spot
     * here). The first fitted quote is the 1500 put, the chain's second. */
    const lsd_calibrate_quote *q = &res.quotes[0];
    assert_int_equal(q->type, LSD_PUT);
    assert_close(q->strike, 1500.0, 0.0, 0.0);
    assert_close(q->mid, chain.quotes[1].mid * spot, 1e-15, 0.0);
    lsd_calibrate_result_free(&res);
    free(chain.quotes);
}

/*
 * Market vols σ0 ± ε alternating over n quotes: the vega-scaled residual is
 * ±ε to first order, so σ̂ = σ0 and, with s² = Σr²/(n − 1) = nε²/(n − 1),
 * SE(σ) = s/√n = ε/√(n − 1) (one parameter, Jacobian row ≈ 1 in σ).
 */
static void bsm_standard_error_matches_least_squares_theory(void **state)
{
    (void)state;
    const double sigma0 = 0.6, eps = 0.002, T = 0.25, F = 3000.0;
    lsd_chain chain = new_chain();
    size_t n = 0;
    for (double k = 2200.0; k <= 4000.0; k += 100.0, n++) {
        const double vol = sigma0 + (n % 2 == 0 ? eps : -eps);
        const lsd_option opt = { k >= F ? LSD_CALL : LSD_PUT, k, T };
        const lsd_market mkt = { F, 0.0, 0.0, vol };
        lsd_greeks g;
        assert_int_equal(lsd_bsm_price(&opt, &mkt, &g, NULL), LSD_OK);
        chain.quotes[n] = (lsd_quote){ .type = opt.type, .strike = k, .expiry = T,
                                       .expiry_time = 1.7e9 + T * 365.0 * 86400.0,
                                       .bid = 0.9 * g.price, .ask = 1.1 * g.price,
                                       .mid = g.price, .forward = F };
    }
    chain.n = n;
    assert_true(n % 2 == 1); /* one more +ε than −ε: σ̂ = σ0 + ε/n */
    lsd_calibrate_control ctl = lsd_calibrate_control_default();
    ctl.model = LSD_MODEL_BSM;
    lsd_calibrate_result res;
    assert_int_equal(lsd_calibrate_chain(&chain, &ctl, &res, NULL), LSD_OK);
    const lsd_calibrate_expiry *e = &res.expiries[0];
    assert_int_equal(e->n_quotes, n);
    const double dn = (double)n;
    assert_close(e->vol, sigma0 + eps / dn, 0.0, 2e-5);
    const double mean_sq = (dn + 1.0) / 2.0 * pow(eps - eps / dn, 2) +
                           (dn - 1.0) / 2.0 * pow(eps + eps / dn, 2);
    assert_close(e->std_error[0], sqrt(mean_sq / (dn - 1.0) / dn), 0.02, 0.0);
    assert_close(e->iv_rmse, sqrt(mean_sq / dn), 0.02, 0.0);
    assert_close(e->correlation[0][0], 1.0, 1e-12, 0.0);
    lsd_calibrate_result_free(&res);
    free(chain.quotes);
}

static void too_few_quotes_is_edom_with_empty_result(void **state)
{
    (void)state;
    const lsd_jumps jumps = { 2.0, -0.15, 0.20 };
    lsd_chain chain = new_chain();
    add_expiry(&chain, 0.1, 0.55, &jumps, LSD_PREMIUM_QUOTE, rate, carry);
    chain.n = 8; /* 4 strikes: 4 OTM quotes, Merton needs 5 */
    lsd_calibrate_control ctl = lsd_calibrate_control_default();
    ctl.rate = rate;
    lsd_calibrate_result res;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_calibrate_chain(&chain, &ctl, &res, &diag), LSD_EDOM);
    assert_non_null(strstr(diag.message, "too few"));
    assert_null(res.expiries);
    assert_null(res.quotes);
    assert_int_equal(res.n_expiries, 0);
    /* BSM needs only 2 per expiry. */
    ctl.model = LSD_MODEL_BSM;
    assert_int_equal(lsd_calibrate_chain(&chain, &ctl, &res, &diag), LSD_OK);
    assert_int_equal(res.n_quotes, 4);
    lsd_calibrate_result_free(&res);
    free(chain.quotes);
}

static void no_two_sided_otm_quotes_is_edom(void **state)
{
    (void)state;
    const lsd_jumps none = { 0.0, 0.0, 0.0 };
    lsd_chain chain = new_chain();
    add_expiry(&chain, 0.1, 0.55, &none, LSD_PREMIUM_QUOTE, rate, carry);
    for (size_t i = 0; i < chain.n; i++) {
        lsd_quote *q = &chain.quotes[i];
        const int otm = q->type == LSD_CALL ? q->strike >= q->forward : q->strike < q->forward;
        if (otm)
            q->bid = i % 2 == 0 ? NAN : 0.0; /* no bid, or a zero bid */
    }
    lsd_calibrate_result res;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_calibrate_chain(&chain, NULL, &res, &diag), LSD_EDOM);
    assert_non_null(strstr(diag.message, "no two-sided out-of-the-money"));
    assert_null(res.expiries);
    /* Crossed quotes (ask ≤ bid) are not two-sided either. */
    for (size_t i = 0; i < chain.n; i++)
        chain.quotes[i].bid = chain.quotes[i].ask;
    assert_int_equal(lsd_calibrate_chain(&chain, NULL, &res, &diag), LSD_EDOM);
    free(chain.quotes);
}

static void bad_arguments_are_einval_or_edom(void **state)
{
    (void)state;
    lsd_chain chain = new_chain();
    const lsd_jumps none = { 0.0, 0.0, 0.0 };
    add_expiry(&chain, 0.1, 0.55, &none, LSD_PREMIUM_QUOTE, 0.0, 0.0);
    lsd_calibrate_result res;
    assert_int_equal(lsd_calibrate_chain(NULL, NULL, &res, NULL), LSD_EINVAL);
    assert_int_equal(lsd_calibrate_chain(&chain, NULL, NULL, NULL), LSD_EINVAL);
    lsd_calibrate_control ctl = lsd_calibrate_control_default();
    ctl.model = (lsd_model)7;
    assert_int_equal(lsd_calibrate_chain(&chain, &ctl, &res, NULL), LSD_EINVAL);
    ctl = lsd_calibrate_control_default();
    ctl.weights = (lsd_calibrate_weights)7;
    assert_int_equal(lsd_calibrate_chain(&chain, &ctl, &res, NULL), LSD_EINVAL);
    ctl = lsd_calibrate_control_default();
    ctl.rate = NAN;
    assert_int_equal(lsd_calibrate_chain(&chain, &ctl, &res, NULL), LSD_EDOM);
    ctl = lsd_calibrate_control_default();
    ctl.xtol = 0.0;
    assert_int_equal(lsd_calibrate_chain(&chain, &ctl, &res, NULL), LSD_EDOM);
    assert_null(res.quotes);
    free(chain.quotes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(merton_parameters_recovered_from_exact_prices),
        cmocka_unit_test(joint_fit_recovers_shared_jumps_and_vol_term_structure),
        cmocka_unit_test(bsm_flat_vol_recovered_exactly_from_inverse_premiums),
        cmocka_unit_test(bsm_standard_error_matches_least_squares_theory),
        cmocka_unit_test(too_few_quotes_is_edom_with_empty_result),
        cmocka_unit_test(no_two_sided_otm_quotes_is_edom),
        cmocka_unit_test(bad_arguments_are_einval_or_edom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
