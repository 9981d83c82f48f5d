/*
 * test_implied_vol.c — tests of lsd_implied_vol_black and lsd_implied_vol_bsm
 * (pricing/fit/implied_vol.c).
 *
 * Round trip. Over σ ∈ {0.005 … 5}, T ∈ {1e-3 … 10} years, K/F ∈ {0.2 … 5},
 * calls and puts, in and out of the money, a price is computed by an
 * independent Black formula in long double (x86-64: 64-bit mantissa,
 * erfcl/expl), rounded once to double, inverted, and |σ̂ − σ| ≤ 1e-12·σ is
 * required wherever the price "carries time value", defined as
 *   (a) the out-of-the-money twin's normalised price
 *       β_otm = price_otm/(D·√(F·K)) ≥ 1e-300, and
 *   (b) one ulp of the price moves σ by at most 1e-13·σ:
 *       ulp(price)/(vega·σ) ≤ 1e-13 (vega = ∂price/∂σ, long double).
 * (b) with a factor 10 in hand, because the half-ulp rounding of the
 * reference price is in the round trip too. Where (b) fails the price does
 * not determine σ to 1e-12 in double, whoever inverts it. The worst error
 * and the number of points checked are printed.
 *
 * The same with lsd_bsm_price (carry, rate) as the pricer and
 * lsd_implied_vol_bsm as the inverter, where lsd_bsm_price itself is accurate
 * to 1e-12 in σ terms: s = σ√T ≥ 0.02 (below, its N(d1) − N(d2)
 * cancellation near the money costs ~ε/s relative).
 *
 * Known values: Hull, "Options, Futures, and Other Derivatives" (8th ed.,
 * 2012), Example 15.6: S = 42, K = 40, r = 0.1, T = 0.5, σ = 0.2 gives
 * c = 4.76, p = 0.81 (to the cent); the implied vols of those rounded prices
 * are 0.2 to the rounding (≈ 1e-4 in vol), and their exact prices
 * 4.759422392871532 and 0.808599372900092 (Black–Scholes, computed with
 * mpmath at 50 digits) give 0.2 to 1e-13. Haug (2007) §1.1.6 example:
 * S = 75, K = 70, T = 0.5, r = 0.1, b = 0.05 (q = 0.05), σ = 0.35 gives put
 * 4.0870 (4.0869538286353538 with mpmath at 50 digits).
 *
 * Parity: a call and a put at the same strike priced at one σ give the same
 * implied vol. Statuses: every error code, with NaN output.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Independent long-double Black: D·(F N(d1) − K N(d2)) or the put. */
static long double black_ld(lsd_option_type type, long double f, long double k, long double s,
                            long double d)
{
    const long double sq = 0.70710678118654752440084436210484903L;
    const long double x = logl(f / k);
    const long double d1 = x / s + 0.5L * s, d2 = d1 - s;
    if (type == LSD_CALL)
        return d * 0.5L * (f * erfcl(-d1 * sq) - k * erfcl(-d2 * sq));
    return d * 0.5L * (k * erfcl(d2 * sq) - f * erfcl(d1 * sq));
}

/* vega = D·F·φ(d1)·√T in long double. */
static long double vega_ld(long double f, long double k, long double s, long double d,
                           long double t)
{
    const long double x = logl(f / k);
    const long double d1 = x / s + 0.5L * s;
    return d * f * expl(-0.5L * d1 * d1) * sqrtl(t) / sqrtl(2.0L * 3.14159265358979323846264L);
}

static const double vols[] = { 0.005, 0.01, 0.03, 0.1, 0.2, 0.5, 1.0, 2.0, 3.5, 5.0 };
static const double expiries[] = { 1e-3, 3e-3, 0.01, 0.05, 0.25, 1.0, 3.0, 10.0 };
static const double moneyness[] = { 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0,
                                    1.001, 1.01, 1.05, 1.1, 1.25, 1.5, 2.0, 3.0, 4.0, 5.0 };

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Does this price carry time value (the header's (a) and (b))? */
static int carries_time_value(lsd_option_type type, double price, double f, double k,
                              double sigma, double t, double d)
{
    const long double s = (long double)sigma * sqrtl(t);
    const long double intrinsic =
        fmaxl(type == LSD_CALL ? (long double)f - k : (long double)k - f, 0.0L) * d;
    const long double otm = (long double)price - intrinsic;
    const long double beta_otm = otm / (d * sqrtl((long double)f * k));
    const long double ulp = nextafter(price, INFINITY) - price;
    return beta_otm >= 1e-300L && ulp / (vega_ld(f, k, s, d, t) * sigma) <= 1e-13L;
}

static void round_trip_black_grid_to_1e_12(void **state)
{
    (void)state;
    const double f = 3000.0, d = 0.97;
    double worst = 0.0, worst_sigma = 0.0, worst_t = 0.0, worst_m = 0.0;
    int checked = 0, skipped = 0;
    for (size_t a = 0; a < N_OF(vols); a++)
        for (size_t b = 0; b < N_OF(expiries); b++)
            for (size_t c = 0; c < N_OF(moneyness); c++)
                for (int ty = 0; ty < 2; ty++) {
                    const lsd_option_type type = ty == 0 ? LSD_CALL : LSD_PUT;
                    const double sigma = vols[a], t = expiries[b], k = f * moneyness[c];
                    const long double s = (long double)sigma * sqrtl(t);
                    const double price = (double)black_ld(type, f, k, s, d);
                    if (!carries_time_value(type, price, f, k, sigma, t, d)) {
                        skipped++;
                        continue;
                    }
                    double vol;
                    lsd_diag diag = { "" };
                    const lsd_status st =
                        lsd_implied_vol_black(type, price, f, k, t, d, &vol, &diag);
                    if (st != LSD_OK)
                        print_error("sigma %g T %g K/F %g %s: %s\n", sigma, t, moneyness[c],
                                    lsd_option_type_name(type), diag.message);
                    assert_int_equal(st, LSD_OK);
                    const double err = fabs(vol - sigma) / sigma;
                    if (err > worst) {
                        worst = err;
                        worst_sigma = sigma;
                        worst_t = t;
                        worst_m = moneyness[c];
                    }
                    if (err > 1e-12)
                        print_error("sigma %g T %g K/F %g %s: got %.17g (rel err %.3g)\n",
                                    sigma, t, moneyness[c], lsd_option_type_name(type), vol,
                                    err);
                    assert_true(err <= 1e-12);
                    checked++;
                }
    printf("black round trip: %d points, worst |dsigma|/sigma = %.3g (sigma %g, T %g, K/F %g);"
           " %d without recoverable time value skipped\n",
           checked, worst, worst_sigma, worst_t, worst_m, skipped);
    assert_true(checked > 2000);
}

static void round_trip_bsm_with_carry_to_1e_12(void **state)
{
    (void)state;
    const double spot = 2500.0, rate = 0.045, carry = 0.031;
    double worst = 0.0;
    int checked = 0;
    for (size_t a = 0; a < N_OF(vols); a++)
        for (size_t b = 0; b < N_OF(expiries); b++)
            for (size_t c = 0; c < N_OF(moneyness); c++)
                for (int ty = 0; ty < 2; ty++) {
                    const double sigma = vols[a], t = expiries[b];
                    if (sigma * sqrt(t) < 0.02)
                        continue;
                    const lsd_option opt = { ty == 0 ? LSD_CALL : LSD_PUT,
                                             spot * moneyness[c], t };
                    const lsd_market mkt = { spot, rate, carry, sigma };
                    lsd_greeks g;
                    assert_int_equal(lsd_bsm_price(&opt, &mkt, &g, NULL), LSD_OK);
                    const double fwd = spot * exp((rate - carry) * t);
                    if (!carries_time_value(opt.type, g.price, fwd, opt.strike, sigma, t,
                                            exp(-rate * t)))
                        continue;
                    double vol;
                    lsd_diag diag = { "" };
                    assert_int_equal(lsd_implied_vol_bsm(&opt, &mkt, g.price, &vol, &diag), LSD_OK);
                    const double err = fabs(vol - sigma) / sigma;
                    worst = fmax(worst, err);
                    if (err > 1e-12)
                        print_error("sigma %g T %g K/S %g %s: got %.17g (rel err %.3g)\n",
                                    sigma, t, moneyness[c], lsd_option_type_name(opt.type), vol,
                                    err);
                    assert_true(err <= 1e-12);
                    checked++;
                }
    printf("bsm round trip: %d points, worst |dsigma|/sigma = %.3g\n", checked, worst);
    assert_true(checked > 1000);
}

/* Hull (2012) Example 15.6 and Haug (2007) §1.1.6; see the header. */
static void implied_vol_of_textbook_prices(void **state)
{
    (void)state;
    const lsd_option call = { LSD_CALL, 40.0, 0.5 }, put = { LSD_PUT, 40.0, 0.5 };
    const lsd_market hull = { 42.0, 0.1, 0.0, 1.0 /* ignored */ };
    double vol;
    assert_int_equal(lsd_implied_vol_bsm(&call, &hull, 4.759422392871532, &vol, NULL), LSD_OK);
    assert_close(vol, 0.2, 1e-13, 0.0);
    assert_int_equal(lsd_implied_vol_bsm(&put, &hull, 0.808599372900092, &vol, NULL), LSD_OK);
    assert_close(vol, 0.2, 1e-13, 0.0);
    assert_int_equal(lsd_implied_vol_bsm(&call, &hull, 4.76, &vol, NULL), LSD_OK);
    assert_close(vol, 0.2, 0.0, 2e-4);
    assert_int_equal(lsd_implied_vol_bsm(&put, &hull, 0.81, &vol, NULL), LSD_OK);
    assert_close(vol, 0.2, 0.0, 2e-4);

    const lsd_option haug = { LSD_PUT, 70.0, 0.5 };
    const lsd_market haug_mkt = { 75.0, 0.1, 0.05, 1.0 };
    assert_int_equal(lsd_implied_vol_bsm(&haug, &haug_mkt, 4.0869538286353538, &vol, NULL),
                     LSD_OK);
    assert_close(vol, 0.35, 1e-13, 0.0);
    assert_int_equal(lsd_implied_vol_bsm(&haug, &haug_mkt, 4.0870, &vol, NULL), LSD_OK);
    assert_close(vol, 0.35, 0.0, 1e-5);
}

static void call_and_put_give_the_same_vol(void **state)
{
    (void)state;
    const double f = 1.02, d = 0.99, t = 0.75, sigma = 0.47;
    for (double k = 0.5; k <= 2.0; k += 0.125) {
        const long double s = (long double)sigma * sqrtl(t);
        const double c = (double)black_ld(LSD_CALL, f, k, s, d);
        /* the put from parity in double: P = C − D(F − K) */
        const double p = c - d * (f - k);
        double vc, vp;
        assert_int_equal(lsd_implied_vol_black(LSD_CALL, c, f, k, t, d, &vc, NULL), LSD_OK);
        assert_int_equal(lsd_implied_vol_black(LSD_PUT, p, f, k, t, d, &vp, NULL), LSD_OK);
        assert_close(vp, vc, 1e-12, 0.0);
        assert_close(vc, sigma, 1e-12, 0.0);
    }
}

/* Provoke one status and check NaN output and a message. */
static void expect_status(lsd_option_type type, double price, double f, double k, double t,
                          double d, lsd_status want, const char *word)
{
    double vol = 0.0;
    lsd_diag diag = { "" };
    const lsd_status st = lsd_implied_vol_black(type, price, f, k, t, d, &vol, &diag);
    if (st != want)
        print_error("price %g F %g K %g: %s (%s)\n", price, f, k, lsd_strerror(st),
                    diag.message);
    assert_int_equal(st, want);
    assert_true(isnan(vol));
    assert_non_null(strstr(diag.message, word));
}

static void every_status_is_distinct_and_explained(void **state)
{
    (void)state;
    const double f = 100.0, t = 0.5, d = 0.98;
    /* below intrinsic: call K = 90, intrinsic D·10 = 9.8 */
    expect_status(LSD_CALL, 9.7, f, 90.0, t, d, LSD_EBELOW, "below");
    expect_status(LSD_PUT, 9.7, f, 110.0, t, d, LSD_EBELOW, "below");
    expect_status(LSD_CALL, -0.01, f, 110.0, t, d, LSD_EBELOW, "below");
    /* at or above the upper bound D·F (call), D·K (put) */
    expect_status(LSD_CALL, 98.0, f, 90.0, t, d, LSD_EABOVE, "upper bound");
    expect_status(LSD_CALL, 120.0, f, 90.0, t, d, LSD_EABOVE, "upper bound");
    expect_status(LSD_PUT, 0.98 * 110.0, f, 110.0, t, d, LSD_EABOVE, "upper bound");
    /* no time value: exactly intrinsic, zero for an OTM option, and a deep
     * ITM price whose time value is below its rounding */
    expect_status(LSD_CALL, 9.8, f, 90.0, t, 0.98, LSD_ENOTIME, "no time value");
    expect_status(LSD_CALL, 0.0, f, 110.0, t, d, LSD_ENOTIME, "no time value");
    const double deep = (double)black_ld(LSD_CALL, f, 20.0, 0.01L, d);
    expect_status(LSD_CALL, deep, f, 20.0, t, d, LSD_ENOTIME, "no time value");
    /* NaN, infinities, zero and negative inputs */
    expect_status(LSD_CALL, NAN, f, 90.0, t, d, LSD_EDOM, "price");
    expect_status(LSD_CALL, INFINITY, f, 90.0, t, d, LSD_EDOM, "price");
    expect_status(LSD_CALL, 12.0, -f, 90.0, t, d, LSD_EDOM, "forward");
    expect_status(LSD_CALL, 12.0, NAN, 90.0, t, d, LSD_EDOM, "forward");
    expect_status(LSD_CALL, 12.0, f, 0.0, t, d, LSD_EDOM, "strike");
    expect_status(LSD_CALL, 12.0, f, 90.0, -t, d, LSD_EDOM, "expiry");
    expect_status(LSD_CALL, 12.0, f, 90.0, INFINITY, d, LSD_EDOM, "expiry");
    expect_status(LSD_CALL, 12.0, f, 90.0, t, 0.0, LSD_EDOM, "discount");
    expect_status((lsd_option_type)7, 12.0, f, 90.0, t, d, LSD_EINVAL, "type");

    /* NULL */
    lsd_diag diag = { "" };
    assert_int_equal(lsd_implied_vol_black(LSD_CALL, 12.0, f, 90.0, t, d, NULL, &diag),
                     LSD_EINVAL);
    double vol = 0.0;
    assert_int_equal(lsd_implied_vol_bsm(NULL, NULL, 1.0, &vol, &diag), LSD_EINVAL);
    assert_true(isnan(vol));
    const lsd_option opt = { LSD_CALL, 90.0, t };
    lsd_market mkt = { 100.0, 0.04, 0.03, NAN /* ignored */ };
    assert_int_equal(lsd_implied_vol_bsm(&opt, &mkt, 12.0, NULL, &diag), LSD_EINVAL);
    /* the BSM entry: mkt->vol ignored, other fields checked; bounds in BSM terms */
    assert_int_equal(lsd_implied_vol_bsm(&opt, &mkt, 12.0, &vol, &diag), LSD_OK);
    assert_true(vol > 0.0);
    mkt.spot = -1.0;
    assert_int_equal(lsd_implied_vol_bsm(&opt, &mkt, 12.0, &vol, &diag), LSD_EDOM);
    assert_true(isnan(vol));
    assert_non_null(strstr(diag.message, "spot"));
    mkt.spot = 100.0;
    const double s_disc = 100.0 * exp(-0.03 * t);
    assert_int_equal(lsd_implied_vol_bsm(&opt, &mkt, s_disc, &vol, &diag), LSD_EABOVE);
    assert_int_equal(lsd_implied_vol_bsm(&opt, &mkt, NAN, &vol, &diag), LSD_EDOM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_black_grid_to_1e_12),
        cmocka_unit_test(round_trip_bsm_with_carry_to_1e_12),
        cmocka_unit_test(implied_vol_of_textbook_prices),
        cmocka_unit_test(call_and_put_give_the_same_vol),
        cmocka_unit_test(every_status_is_distinct_and_explained),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
