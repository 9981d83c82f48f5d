/*
 * test_yield.c — realised staking yield from exchange-rate and APR
 * series, trailing windows, the APR glitch filter and carry-curve pillars
 * (curves/yield.c), through the public API only.
 *
 * Known answers are built into synthetic series: an exchange rate growing at
 * a constant continuous yield c, R(t) = R0·exp(c·(t − t0)/Y) with Y the
 * ACT/365F year, must give c for any period — irregular spacing and period
 * ends between observations included — to rounding (1e-14; each R is
 * rounded once, so ln R carries ~1e-16 absolute error, i.e. < 1e-14 relative
 * over a year at c ≈ 4%). An APR series holding each value until the next
 * observation gives the time-weighted mean of 365·ln(1 + apr/365), worked
 * out by hand below.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <math.h>
#include <string.h>

#define DAY 86400.0
#define YEAR LSD_SECONDS_PER_YEAR
/* 2022-01-01T00:00:00Z. */
#define T0 1640995200.0

/* Irregular gaps in days (oracle updates: hours to several days apart). */
static const double gaps[] = { 0.7, 1.0, 0.3, 4.5, 1.2, 2.0, 0.9, 3.1, 1.0, 0.25 };
#define NGAPS (sizeof gaps / sizeof gaps[0])

/* Fill n irregular times from T0 (whole seconds, like on-chain data). */
static void irregular_times(double *t, size_t n)
{
    t[0] = T0;
    for (size_t i = 1; i < n; i++)
        t[i] = t[i - 1] + round(gaps[i % NGAPS] * DAY);
}

/* An exchange-rate series at constant continuous yield c. */
static void constant_yield_rates(const double *t, double *r, size_t n, double c)
{
    for (size_t i = 0; i < n; i++)
        r[i] = 1.02 * exp(c * (t[i] - t[0]) / YEAR);
}

static void assert_message_has(const lsd_diag *diag, const char *text)
{
    if (strstr(diag->message, text) == NULL)
        print_error("message \"%s\" lacks \"%s\"\n", diag->message, text);
    assert_non_null(strstr(diag->message, text));
}

static void assert_yield_nan(const lsd_yield *y)
{
    assert_true(isnan(y->from) && isnan(y->to) && isnan(y->carry) && isnan(y->apr));
}

#define N 900 /* about 4.5 years of irregular observations */

static void constant_exchange_rate_yield_is_exact(void **state)
{
    (void)state;
    static double t[N], r[N];
    const double c = 0.0385;
    irregular_times(t, N);
    constant_yield_rates(t, r, N, c);
    const lsd_yield_series s = { LSD_YIELD_EXCHANGE_RATE, t, r, N };
    lsd_yield y;
    lsd_diag diag = { "" };
    /* On observations, between observations, and the whole series. */
    const double periods[][2] = {
        { t[0], t[N - 1] },
        { t[10], t[400] },
        { t[3] + 3600.5, t[700] - 12345.0 }, /* both ends between observations */
        { T0 + 365.0 * DAY, T0 + 730.0 * DAY },
    };
    for (size_t k = 0; k < sizeof periods / sizeof periods[0]; k++) {
        assert_int_equal(lsd_yield_period(&s, periods[k][0], periods[k][1], &y, &diag), LSD_OK);
        assert_close(y.carry, c, 1e-14, 0.0);
        assert_close(y.apr, expm1(c), 1e-14, 0.0);
        assert_true(y.from == periods[k][0] && y.to == periods[k][1]);
    }
    /* A week inside one long gap and across a few: absolute 1e-14. */
    assert_int_equal(lsd_yield_period(&s, t[3] + 100.0, t[3] + 7.0 * DAY, &y, &diag), LSD_OK);
    assert_close(y.carry, c, 0.0, 1e-14);
}

static void exchange_rate_yield_is_log_growth_over_act365(void **state)
{
    (void)state;
    /* Two observations a leap year apart: 2024-01-01 to 2025-01-01 is 366
     * days, so τ = 366/365 and carry = ln(1.05)·365/366. Halfway the rate is
     * the geometric mean. */
    const double t[] = { 1704067200.0, 1735689600.0 };
    const double r[] = { 1.0, 1.05 };
    const lsd_yield_series s = { LSD_YIELD_EXCHANGE_RATE, t, r, 2 };
    lsd_yield y;
    assert_int_equal(lsd_yield_period(&s, t[0], t[1], &y, NULL), LSD_OK);
    assert_close(y.carry, log(1.05) * 365.0 / 366.0, 1e-15, 0.0);
    assert_close(y.apr, expm1(log(1.05) * 365.0 / 366.0), 1e-15, 0.0);
    assert_int_equal(lsd_yield_period(&s, 0.5 * (t[0] + t[1]), t[1], &y, NULL), LSD_OK);
    assert_close(y.carry, log(1.05) * 365.0 / 366.0, 1e-14, 0.0);
}

static void constant_apr_gives_its_daily_compounded_rate(void **state)
{
    (void)state;
    static double t[N], a[N];
    irregular_times(t, N);
    for (size_t i = 0; i < N; i++)
        a[i] = 0.031;
    const lsd_yield_series s = { LSD_YIELD_APR, t, a, N };
    const double want = 365.0 * log1p(0.031 / 365.0); /* 0.0309986..., not 0.031 */
    lsd_yield y;
    assert_int_equal(lsd_yield_period(&s, t[0], t[N - 1], &y, NULL), LSD_OK);
    assert_close(y.carry, want, 1e-14, 0.0);
    assert_close(y.apr, expm1(want), 1e-14, 0.0);
    assert_int_equal(lsd_yield_period(&s, t[5] + 1000.0, t[600] - 5000.0, &y, NULL), LSD_OK);
    assert_close(y.carry, want, 1e-14, 0.0);
}

static void apr_yield_is_time_weighted(void **state)
{
    (void)state;
    /* 5% from day 0 to day 10, 3% from day 10 to day 40 (the last point only
     * closes the range). Over [day 5, day 25]: 5 days at 5%, 15 at 3%. */
    const double t[] = { T0, T0 + 10.0 * DAY, T0 + 40.0 * DAY };
    const double a[] = { 0.05, 0.03, 0.99 };
    const lsd_yield_series s = { LSD_YIELD_APR, t, a, 3 };
    const double c5 = 365.0 * log1p(0.05 / 365.0), c3 = 365.0 * log1p(0.03 / 365.0);
    lsd_yield y;
    assert_int_equal(lsd_yield_period(&s, T0 + 5.0 * DAY, T0 + 25.0 * DAY, &y, NULL), LSD_OK);
    assert_close(y.carry, (5.0 * c5 + 15.0 * c3) / 20.0, 1e-15, 0.0);
    assert_int_equal(lsd_yield_period(&s, T0 + 12.0 * DAY, T0 + 40.0 * DAY, &y, NULL), LSD_OK);
    assert_close(y.carry, c3, 1e-15, 0.0);
}

static void trailing_yields_cover_each_full_window(void **state)
{
    (void)state;
    static double t[N], r[N];
    static lsd_yield out[N];
    const double c = 0.042, window = 30.0 * DAY;
    irregular_times(t, N);
    constant_yield_rates(t, r, N, c);
    const lsd_yield_series s = { LSD_YIELD_EXCHANGE_RATE, t, r, N };
    size_t count = 0;
    assert_int_equal(lsd_yield_trailing(&s, window, out, &count, NULL), LSD_OK);
    size_t first = 0;
    while (t[first] - window < t[0])
        first++;
    assert_int_equal(count, N - first);
    for (size_t k = 0; k < count; k++) {
        assert_true(out[k].to == t[first + k]);
        assert_true(out[k].from == t[first + k] - window);
        assert_close(out[k].carry, c, 0.0, 1e-14);
    }
    /* A window longer than the series gives none. */
    assert_int_equal(lsd_yield_trailing(&s, t[N - 1] - t[0] + 1.0, out, &count, NULL), LSD_OK);
    assert_int_equal(count, 0);
}

/* A daily APR series near 3% with small deterministic noise. */
static void noisy_apr(double *t, double *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        t[i] = T0 + (double)i * DAY;
        a[i] = 0.03 + 0.0004 * sin(1.7 * (double)i);
    }
}

static void despike_drops_isolated_glitches_and_keeps_spikes(void **state)
{
    (void)state;
    enum { n = 200 };
    double t[n], a[n], kept_t[n], kept_a[n];
    size_t dropped[n], nkept = 0, ndropped = 0;
    noisy_apr(t, a, n);
    a[40] = 0.0078;            /* an isolated glitch, as ETH.STORE 2025-12-26 */
    a[80] = 0.0522;            /* a pair booked on the wrong days: */
    a[81] = 0.0078;            /* their mean is the normal 3% */
    a[120] = 0.041;            /* a busy MEV day: far in MADs, but +37% only */
    a[0] = 0.0;                /* a glitch at the start (truncated window) */
    const lsd_yield_series s = { LSD_YIELD_APR, t, a, n };
    const lsd_yield_control p = lsd_yield_control_default();
    assert_int_equal(lsd_yield_despike(&s, &p, kept_t, kept_a, &nkept, dropped, &ndropped, NULL),
                     LSD_OK);
    const size_t want[] = { 0, 40, 80, 81 };
    assert_int_equal(ndropped, 4);
    for (size_t k = 0; k < 4; k++)
        assert_int_equal(dropped[k], want[k]);
    assert_int_equal(nkept, n - 4);
    for (size_t i = 0, k = 0; i < n; i++) {
        if (i == 0 || i == 40 || i == 80 || i == 81)
            continue;
        assert_true(kept_t[k] == t[i] && kept_a[k] == a[i]);
        k++;
    }

    /* Without the glitch the day before holds through day 40: same yield as
     * the series with a[40] replaced by a[39]. */
    const lsd_yield_series clean = { LSD_YIELD_APR, kept_t, kept_a, nkept };
    lsd_yield got, want_y;
    assert_int_equal(lsd_yield_period(&clean, t[30], t[50], &got, NULL), LSD_OK);
    double patched[n];
    memcpy(patched, a, sizeof patched);
    patched[40] = a[39];
    const lsd_yield_series by_hand = { LSD_YIELD_APR, t, patched, n };
    assert_int_equal(lsd_yield_period(&by_hand, t[30], t[50], &want_y, NULL), LSD_OK);
    assert_close(got.carry, want_y.carry, 1e-15, 0.0);
}

static void despike_on_a_flat_series_drops_only_the_glitch(void **state)
{
    (void)state;
    /* MAD = 0 in every window: the flat points deviate by 0 and stay. */
    enum { n = 30 };
    double t[n], a[n], kt[n], ka[n];
    size_t dropped[n], nkept, ndropped;
    for (size_t i = 0; i < n; i++) {
        t[i] = T0 + (double)i * DAY;
        a[i] = 0.028;
    }
    a[17] = 0.0078;
    const lsd_yield_series s = { LSD_YIELD_APR, t, a, n };
    const lsd_yield_control p = lsd_yield_control_default();
    assert_int_equal(lsd_yield_despike(&s, &p, kt, ka, &nkept, dropped, &ndropped, NULL), LSD_OK);
    assert_int_equal(ndropped, 1);
    assert_int_equal(dropped[0], 17);
    assert_int_equal(nkept, n - 1);
}

static void despike_defaults_are_documented_values(void **state)
{
    (void)state;
    const lsd_yield_control p = lsd_yield_control_default();
    assert_int_equal(p.half_window, 3);
    assert_close(p.threshold, 10.0, 0.0, 0.0);
    assert_close(p.min_relative, 0.5, 0.0, 0.0);
}

static void sort_orders_and_merges_repeated_observations(void **state)
{
    (void)state;
    double t[] = { 30.0, 10.0, 20.0, 10.0, 40.0 };
    double x[] = { 1.3, 1.1, 1.2, 1.1, 1.4 };
    size_t n = 5, removed = 99;
    assert_int_equal(lsd_yield_series_sort(t, x, &n, &removed, NULL), LSD_OK);
    assert_int_equal(n, 4);
    assert_int_equal(removed, 1);
    for (size_t i = 0; i < 4; i++) {
        assert_close(t[i], 10.0 * (double)(i + 1), 0.0, 0.0);
        assert_close(x[i], 1.0 + 0.1 * (double)(i + 1), 0.0, 0.0);
    }
    double t2[] = { 10.0, 20.0, 10.0 };
    double x2[] = { 1.1, 1.2, 1.15 };
    size_t n2 = 3;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_yield_series_sort(t2, x2, &n2, NULL, &diag), LSD_EDOM);
    assert_int_equal(n2, 3);
    assert_message_has(&diag, "different values");
    double t3[] = { 10.0, NAN };
    size_t n3 = 2;
    assert_int_equal(lsd_yield_series_sort(t3, x2, &n3, NULL, NULL), LSD_EDOM);
    assert_int_equal(lsd_yield_series_sort(NULL, x2, &n3, NULL, NULL), LSD_EINVAL);
}

static void carry_pillars_are_trailing_yields_at_their_tenors(void **state)
{
    (void)state;
    static double t[N], r[N];
    const double c = 0.035;
    irregular_times(t, N);
    constant_yield_rates(t, r, N, c);
    const lsd_yield_series s = { LSD_YIELD_EXCHANGE_RATE, t, r, N };
    const double windows[] = { 30.0 * DAY, 365.0 * DAY, 3650.0 * DAY };
    double tenors[3], rates[3];
    size_t np = 0;
    assert_int_equal(lsd_yield_carry_pillars(&s, t[N - 1], windows, 3, tenors, rates, &np, NULL),
                     LSD_OK);
    assert_int_equal(np, 2); /* ten years do not fit */
    assert_close(tenors[0], 30.0 / 365.0, 1e-16, 0.0);
    assert_close(tenors[1], 1.0, 0.0, 0.0);
    assert_close(rates[0], c, 0.0, 1e-14);
    assert_close(rates[1], c, 1e-14, 0.0);

    lsd_diag diag = { "" };
    const double too_long[] = { 3650.0 * DAY };
    assert_int_equal(lsd_yield_carry_pillars(&s, t[N - 1], too_long, 1, tenors, rates, &np, &diag),
                     LSD_EDOM);
    assert_int_equal(np, 0);
    const double unsorted[] = { 90.0 * DAY, 30.0 * DAY };
    assert_int_equal(lsd_yield_carry_pillars(&s, t[N - 1], unsorted, 2, tenors, rates, &np, &diag),
                     LSD_EDOM);
    assert_message_has(&diag, "increasing");
    assert_int_equal(lsd_yield_carry_pillars(&s, t[N - 1] + 1.0, windows, 1, tenors, rates, &np,
                                             &diag),
                     LSD_EDOM);
}

static void period_outside_the_series_names_the_covered_range(void **state)
{
    (void)state;
    /* 2022-01-01T00:00:00Z to 2022-01-11T00:00:00Z. */
    const double t[] = { T0, T0 + 10.0 * DAY };
    const double r[] = { 1.0, 1.001 };
    const lsd_yield_series s = { LSD_YIELD_EXCHANGE_RATE, t, r, 2 };
    lsd_yield y;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_yield_period(&s, T0 - 1.0, T0 + DAY, &y, &diag), LSD_EDOM);
    assert_yield_nan(&y);
    assert_message_has(&diag, "outside the series (2022-01-01T00:00:00Z to 2022-01-11T00:00:00Z)");
    assert_int_equal(lsd_yield_period(&s, T0, T0 + 11.0 * DAY, &y, &diag), LSD_EDOM);
    assert_message_has(&diag, "2022-01-11T00:00:00Z");
    assert_int_equal(lsd_yield_period(&s, T0 + DAY, T0 + DAY, &y, &diag), LSD_EDOM);
    assert_message_has(&diag, "before");
    assert_int_equal(lsd_yield_period(&s, NAN, T0 + DAY, &y, &diag), LSD_EDOM);
    assert_yield_nan(&y);
}

static void malformed_series_are_refused(void **state)
{
    (void)state;
    lsd_yield y;
    lsd_diag diag = { "" };
    const double t[] = { T0, T0 + DAY, T0 + DAY };
    const double good[] = { 1.0, 1.1, 1.2 };
    const lsd_yield_series repeated = { LSD_YIELD_EXCHANGE_RATE, t, good, 3 };
    assert_int_equal(lsd_yield_period(&repeated, T0, T0 + DAY, &y, &diag), LSD_EDOM);
    assert_message_has(&diag, "observation 2: times must increase strictly");

    const double t2[] = { T0, T0 + DAY, T0 + 2.0 * DAY };
    const double zero[] = { 1.0, 0.0, 1.2 };
    const lsd_yield_series zero_rate = { LSD_YIELD_EXCHANGE_RATE, t2, zero, 3 };
    assert_int_equal(lsd_yield_period(&zero_rate, T0, T0 + DAY, &y, &diag), LSD_EDOM);
    assert_message_has(&diag, "observation 1: exchange rate");

    const double nan_apr[] = { 0.03, NAN, 0.03 };
    const lsd_yield_series bad_apr = { LSD_YIELD_APR, t2, nan_apr, 3 };
    assert_int_equal(lsd_yield_period(&bad_apr, T0, T0 + DAY, &y, &diag), LSD_EDOM);
    assert_message_has(&diag, "observation 1: APR");
    const double total_loss[] = { 0.03, -365.0, 0.03 };
    const lsd_yield_series loss = { LSD_YIELD_APR, t2, total_loss, 3 };
    assert_int_equal(lsd_yield_period(&loss, T0, T0 + DAY, &y, &diag), LSD_EDOM);

    const lsd_yield_series one = { LSD_YIELD_EXCHANGE_RATE, t2, good, 1 };
    assert_int_equal(lsd_yield_period(&one, T0, T0 + DAY, &y, &diag), LSD_EDOM);
    assert_message_has(&diag, "at least 2");

    const lsd_yield_series unknown = { (lsd_yield_kind)7, t2, good, 3 };
    assert_int_equal(lsd_yield_period(&unknown, T0, T0 + DAY, &y, &diag), LSD_EINVAL);
    const lsd_yield_series null_times = { LSD_YIELD_EXCHANGE_RATE, NULL, good, 3 };
    assert_int_equal(lsd_yield_period(&null_times, T0, T0 + DAY, &y, &diag), LSD_EINVAL);
    assert_yield_nan(&y);
    assert_int_equal(lsd_yield_period(NULL, T0, T0 + DAY, &y, &diag), LSD_EINVAL);
    assert_int_equal(lsd_yield_period(&zero_rate, T0, T0 + DAY, NULL, &diag), LSD_EINVAL);
}

static void bad_windows_and_filter_arguments_are_refused(void **state)
{
    (void)state;
    enum { n = 20 };
    double t[n], a[n], kt[n], ka[n];
    size_t dropped[n], nkept = 5, ndropped = 5, count = 5;
    lsd_yield out[n];
    lsd_diag diag = { "" };
    noisy_apr(t, a, n);
    const lsd_yield_series s = { LSD_YIELD_APR, t, a, n };
    assert_int_equal(lsd_yield_trailing(&s, 0.0, out, &count, &diag), LSD_EDOM);
    assert_int_equal(count, 0);
    assert_int_equal(lsd_yield_trailing(&s, INFINITY, out, &count, &diag), LSD_EDOM);
    assert_int_equal(lsd_yield_trailing(&s, DAY, NULL, &count, &diag), LSD_EINVAL);

    lsd_yield_control p = lsd_yield_control_default();
    p.half_window = 0;
    assert_int_equal(lsd_yield_despike(&s, &p, kt, ka, &nkept, dropped, &ndropped, &diag),
                     LSD_EDOM);
    assert_int_equal(nkept, 0);
    assert_int_equal(ndropped, 0);
    p = lsd_yield_control_default();
    p.threshold = NAN;
    assert_int_equal(lsd_yield_despike(&s, &p, kt, ka, &nkept, dropped, &ndropped, &diag),
                     LSD_EDOM);
    p = lsd_yield_control_default();
    p.min_relative = -0.1;
    assert_int_equal(lsd_yield_despike(&s, &p, kt, ka, &nkept, dropped, &ndropped, &diag),
                     LSD_EDOM);
    p = lsd_yield_control_default();
    const lsd_yield_series rates = { LSD_YIELD_EXCHANGE_RATE, t, a, n };
    assert_int_equal(lsd_yield_despike(&rates, &p, kt, ka, &nkept, dropped, &ndropped, &diag),
                     LSD_EINVAL);
    assert_message_has(&diag, "APR");
    assert_int_equal(lsd_yield_despike(&s, NULL, kt, ka, &nkept, dropped, &ndropped, &diag),
                     LSD_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(constant_exchange_rate_yield_is_exact),
        cmocka_unit_test(exchange_rate_yield_is_log_growth_over_act365),
        cmocka_unit_test(constant_apr_gives_its_daily_compounded_rate),
        cmocka_unit_test(apr_yield_is_time_weighted),
        cmocka_unit_test(trailing_yields_cover_each_full_window),
        cmocka_unit_test(despike_drops_isolated_glitches_and_keeps_spikes),
        cmocka_unit_test(despike_on_a_flat_series_drops_only_the_glitch),
        cmocka_unit_test(despike_defaults_are_documented_values),
        cmocka_unit_test(sort_orders_and_merges_repeated_observations),
        cmocka_unit_test(carry_pillars_are_trailing_yields_at_their_tenors),
        cmocka_unit_test(period_outside_the_series_names_the_covered_range),
        cmocka_unit_test(malformed_series_are_refused),
        cmocka_unit_test(bad_windows_and_filter_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
