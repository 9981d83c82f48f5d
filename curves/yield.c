/*
 * yield.c — realised staking yield from an exchange-rate series or a
 * network APR series, trailing-window yields, a glitch filter for APR data,
 * and carry-curve pillars from trailing yields.
 *
 * Exchange rate (value-accruing tokens: rETH, wstETH, cbETH, ...). R(t) is
 * the staked asset one token redeems for (rETH/ETH: Rocket Pool's
 * getExchangeRate() = total ETH / rETH supply). Holding the token for τ years
 * grows its staked-asset value by R(to)/R(from), so the continuously
 * compounded yield is
 *     carry = ln(R(to)/R(from)) / τ,   τ = (to − from)/(365·86400 s),
 * τ in ACT/365F (ISDA 2006 §4.16(d)), the year of DESIGN.md. Observations are
 * irregular (oracle updates, ~daily); between two of them ln R is linear in
 * time — the yield is taken constant between observations, which is the one
 * assumption that needs no model of when rewards arrive. So a series with a
 * constant yield gives that yield exactly, at any from/to.
 *
 * APR (ETH.STORE, beaconcha.in). ETH.STORE's daily `apr` is the day's total
 * reward over the effective balance, times 365: a simple annualisation of a
 * one-day return, not compounded (gobitfly/eth.store README: day 0 has
 * consensusRewardsGwei 321342960701 on effectiveBalanceGwei 673984000000000,
 * and 365 × 321342960701/673984000000000 = 0.17402517, its apr). A staker
 * whose rewards stay staked earns (1 + apr/365) per day, so the day's
 * continuous rate is 365·ln(1 + apr/365); the period's carry is the
 * time-weighted mean of these, each observation's rate holding from its
 * instant to the next observation:
 *     carry = (1/(to − from)) ∫_from^to c(t) dt,  c(t) = 365·ln(1 + apr_i/365)
 *     for t_i ≤ t < t_{i+1}.
 * This follows the quote's own definition (a daily return × 365), so the
 * APR figure compares with an exchange-rate yield, which compounds by
 * construction, and is the q the pricer takes. Reading the APR as
 * annual-effective instead would be wrong by about APR²/2: 4% gives
 * 3.99978% continuous here, ln(1.04) = 3.922% that way. The
 * annual-effective yield is apr = e^carry − 1 in both kinds of series.
 *
 * Glitches in APR data. One bad day (ETH.STORE 2025-12-26: 0.78% between days
 * near 2.8%) moves a month's mean by 0.07 points. lsd_yield_despike is a
 * Hampel filter (Hampel, J. Amer. Statist. Assoc. 69 (1974) 383–393; Pearson
 * et al., "Generalized Hampel filters", EURASIP J. Adv. Signal Process. 2016:87):
 * a point is dropped when it is far from the median m of its window of
 * ±k neighbours in units of the scaled MAD s = 1.4826·median|x − m|
 * (1.4826 = 1/Φ⁻¹(3/4) makes s estimate σ for Gaussian noise), computed with
 * GSL's gsl_movstat_mad. Defaults, chosen on the real series and justified:
 *   k = 3: a week of daily points; the median of 7 survives 3 bad points and
 *          follows real level shifts (the Merge, 2022-09-15) within days;
 *   c = 10: daily staking APR is heavy-tailed because execution-layer (MEV)
 *          rewards spike on busy days; those days are real income. c = 3–5,
 *          the textbook Hampel choice, flags 20–40 such days in ETH.STORE;
 *   f = 0.5: a glitch must also differ from its week's median by more than
 *          half of it. Real reward spikes on record stay below that or below
 *          c (2023-03-10, USDC depeg: 7.9% against a 5.0% median, 8.7 s).
 * On the ETH.STORE file (2020-12-01 – 2026-02-21) this drops exactly two
 * points: 2025-12-26 (0.78%) and 2025-12-25 (4.87%) — a pair whose mean is the
 * 2.8% of their neighbours, i.e. rewards booked on the wrong day. Dropping
 * both keeps the period mean right; dropping only the low one would not.
 *
 * Carry curve from trailing yields: a window of w ending at `end` becomes a
 * pillar at tenor w with the realised carry as its zero rate, i.e. the past
 * w's yield is the forecast of the average carry over the next w (there is
 * no traded forward staking curve to imply one from).
 *
 * Thread-safe; no global state. lsd_yield_despike allocates (GSL vectors and
 * workspace), under the library's GSL guard (pricing/core/gsl_guard.h) so a
 * failing allocation or filter returns a status instead of reaching GSL's
 * handler; the rest allocates nothing.
 *
 * Layer: curves (curves/) — depends on core only.
 */
#include "yield.h"

#include "dates.h"
#include "diag.h"
#include "gsl_guard.h"
#include "token.h"

#include <gsl/gsl_interp.h>
#include <gsl/gsl_movstat.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdio.h>

/* Size of an ISO-8601 instant buffer for lsd_dates_format. */
#define INSTANT_SIZE 32

/* An instant as ISO-8601 text for a message (seconds if not printable). */
static void instant_text(double t, char buf[INSTANT_SIZE])
{
    if (lsd_dates_format(t, buf, INSTANT_SIZE) != LSD_OK)
        snprintf(buf, INSTANT_SIZE, "%.17g s", t);
}

static void set_nan(lsd_yield *out)
{
    out->from = out->to = out->carry = out->apr = NAN;
}

lsd_yield_control lsd_yield_control_default(void)
{
    const lsd_yield_control p = { .half_window = 3, .threshold = 10.0,
                                         .min_relative = 0.5 };
    return p;
}

/* Check a series: LSD_OK or a message naming the first bad observation. */
static lsd_status check_series(const lsd_yield_series *s, lsd_diag *diag)
{
    if (s == NULL || s->times == NULL || s->values == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "series, times and values must not be NULL");
    if (s->kind != LSD_YIELD_EXCHANGE_RATE && s->kind != LSD_YIELD_APR)
        return lsd_diag_fail(diag, LSD_EINVAL, "unknown series kind %d", (int)s->kind);
    if (s->n < 2)
        return lsd_diag_fail(diag, LSD_EDOM, "a series needs at least 2 observations (got %zu)",
                        s->n);
    for (size_t i = 0; i < s->n; i++) {
        const double t = s->times[i], x = s->values[i];
        if (!isfinite(t))
            return lsd_diag_fail(diag, LSD_EDOM, "observation %zu: time is not finite", i);
        if (i > 0 && !(t > s->times[i - 1])) {
            char a[INSTANT_SIZE], b[INSTANT_SIZE];
            instant_text(s->times[i - 1], a);
            instant_text(t, b);
            return lsd_diag_fail(diag, LSD_EDOM,
                            "observation %zu: times must increase strictly (%s then %s)", i, a,
                            b);
        }
        if (s->kind == LSD_YIELD_EXCHANGE_RATE && !(x > 0.0 && isfinite(x)))
            return lsd_diag_fail(diag, LSD_EDOM,
                            "observation %zu: exchange rate must be finite and > 0 (got %g)", i,
                            x);
        if (s->kind == LSD_YIELD_APR && !(x > -LSD_DAYS_PER_YEAR && isfinite(x)))
            return lsd_diag_fail(diag, LSD_EDOM,
                            "observation %zu: APR must be finite and > -365 (got %g)", i, x);
    }
    return LSD_OK;
}

/* Check that [from, to] is a period inside the (checked) series. */
static lsd_status check_period(const lsd_yield_series *s, double from, double to,
                               lsd_diag *diag)
{
    if (!isfinite(from) || !isfinite(to))
        return lsd_diag_fail(diag, LSD_EDOM, "from and to must be finite");
    char a[INSTANT_SIZE], b[INSTANT_SIZE], first[INSTANT_SIZE], last[INSTANT_SIZE];
    instant_text(from, a);
    instant_text(to, b);
    if (!(from < to))
        return lsd_diag_fail(diag, LSD_EDOM, "from (%s) must be before to (%s)", a, b);
    if (!(from >= s->times[0]) || !(to <= s->times[s->n - 1])) {
        instant_text(s->times[0], first);
        instant_text(s->times[s->n - 1], last);
        return lsd_diag_fail(diag, LSD_EDOM, "period %s to %s is outside the series (%s to %s)", a,
                        b, first, last);
    }
    return LSD_OK;
}

/* Index i ≤ n − 2 with times[i] ≤ t ≤ times[i+1], for t inside the series. */
static size_t interval_of(const lsd_yield_series *s, double t)
{
    return gsl_interp_bsearch(s->times, t, 0, s->n - 1);
}

/* ln R(t), linear in t between observations. */
static double log_rate_at(const lsd_yield_series *s, double t)
{
    const size_t i = interval_of(s, t);
    const double lo = log(s->values[i]), hi = log(s->values[i + 1]);
    const double w = (t - s->times[i]) / (s->times[i + 1] - s->times[i]);
    return lo + w * (hi - lo);
}

/* The continuous rate of an ETH.STORE-style APR, compounded daily:
 * 365·ln(1 + apr/365) (lsd_token_apr_to_continuous; the series was checked,
 * every APR > −365, so it cannot fail). */
static double apr_to_continuous(double apr)
{
    double yield;
    lsd_token_apr_to_continuous(apr, LSD_DAYS_PER_YEAR, &yield, NULL);
    return yield;
}

/* ∫_from^to c(t) dt (per-year rate × seconds) over the APR step function. */
static double apr_integral(const lsd_yield_series *s, double from, double to)
{
    double sum = 0.0;
    for (size_t i = interval_of(s, from); i + 1 < s->n && s->times[i] < to; i++) {
        const double lo = fmax(from, s->times[i]), hi = fmin(to, s->times[i + 1]);
        sum += apr_to_continuous(s->values[i]) * (hi - lo);
    }
    return sum;
}

/* The yield over a checked period of a checked series. */
static void period_yield(const lsd_yield_series *s, double from, double to, lsd_yield *out)
{
    double carry;
    if (s->kind == LSD_YIELD_EXCHANGE_RATE)
        carry = (log_rate_at(s, to) - log_rate_at(s, from)) * LSD_SECONDS_PER_YEAR / (to - from);
    else
        carry = apr_integral(s, from, to) / (to - from);
    out->from = from;
    out->to = to;
    out->carry = carry;
    out->apr = expm1(carry);
}

lsd_status lsd_yield_series_sort(double *times, double *values, size_t *n, size_t *removed,
                                 lsd_diag *diag)
{
    if (times == NULL || values == NULL || n == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "times, values and n must not be NULL");
    for (size_t i = 0; i < *n; i++)
        if (!isfinite(times[i]))
            return lsd_diag_fail(diag, LSD_EDOM, "observation %zu: time is not finite", i);
    gsl_sort2(times, 1, values, 1, *n);
    size_t kept = *n > 0 ? 1 : 0;
    for (size_t i = 1; i < *n; i++) {
        if (times[i] != times[kept - 1]) {
            times[kept] = times[i];
            values[kept] = values[i];
            kept++;
        } else if (!(values[i] == values[kept - 1])) {
            char t[INSTANT_SIZE];
            instant_text(times[i], t);
            return lsd_diag_fail(diag, LSD_EDOM, "two observations at %s with different values "
                            "(%.17g and %.17g)", t, values[kept - 1], values[i]);
        }
    }
    if (removed != NULL)
        *removed = *n - kept;
    *n = kept;
    return LSD_OK;
}

lsd_status lsd_yield_period(const lsd_yield_series *series, double from, double to,
                            lsd_yield *out, lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "out must not be NULL");
    set_nan(out);
    lsd_status status = check_series(series, diag);
    if (status == LSD_OK)
        status = check_period(series, from, to, diag);
    if (status == LSD_OK)
        period_yield(series, from, to, out);
    return status;
}

lsd_status lsd_yield_trailing(const lsd_yield_series *series, double window, lsd_yield *out,
                              size_t *count, lsd_diag *diag)
{
    if (out == NULL || count == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "out and count must not be NULL");
    *count = 0;
    const lsd_status status = check_series(series, diag);
    if (status != LSD_OK)
        return status;
    if (!(window > 0.0 && isfinite(window)))
        return lsd_diag_fail(diag, LSD_EDOM, "window must be finite and > 0 seconds (got %g)",
                        window);
    size_t k = 0;
    for (size_t i = 0; i < series->n; i++) {
        const double start = series->times[i] - window;
        if (start >= series->times[0])
            period_yield(series, start, series->times[i], &out[k++]);
    }
    *count = k;
    return LSD_OK;
}

lsd_status lsd_yield_despike(const lsd_yield_series *series,
                             const lsd_yield_control *params, double *kept_times,
                             double *kept_values, size_t *nkept, size_t *dropped,
                             size_t *ndropped, lsd_diag *diag)
{
    if (params == NULL || kept_times == NULL || kept_values == NULL || nkept == NULL ||
        dropped == NULL || ndropped == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "params and output arrays must not be NULL");
    *nkept = *ndropped = 0;
    lsd_status status = check_series(series, diag);
    if (status != LSD_OK)
        return status;
    if (series->kind != LSD_YIELD_APR)
        return lsd_diag_fail(diag, LSD_EINVAL, "glitch filtering is for APR series");
    const size_t k = params->half_window;
    if (!(k >= 1 && k <= (((size_t)-1) - 1) / 2))
        return lsd_diag_fail(diag, LSD_EDOM, "half_window must be >= 1 (got %zu)", k);
    if (!(params->threshold > 0.0 && isfinite(params->threshold)))
        return lsd_diag_fail(diag, LSD_EDOM, "threshold must be finite and > 0 (got %g)",
                        params->threshold);
    if (!(params->min_relative >= 0.0 && isfinite(params->min_relative)))
        return lsd_diag_fail(diag, LSD_EDOM, "min_relative must be finite and >= 0 (got %g)",
                        params->min_relative);

    const size_t n = series->n;
    /* The allocations and the filter raise on failure: under the guard. */
    lsd_gsl_guard guard;
    lsd_gsl_guard_enter(&guard);
    gsl_movstat_workspace *w = gsl_movstat_alloc(2 * k + 1); /* H = J = k */
    gsl_vector *median = gsl_vector_alloc(n);
    gsl_vector *mad = gsl_vector_alloc(n);
    int rc = GSL_ENOMEM;
    if (w != NULL && median != NULL && mad != NULL) {
        const gsl_vector_const_view x = gsl_vector_const_view_array(series->values, n);
        rc = gsl_movstat_mad(GSL_MOVSTAT_END_TRUNCATE, &x.vector, median, mad, w);
    }
    lsd_gsl_guard_leave(&guard);
    if (w == NULL || median == NULL || mad == NULL) {
        status = lsd_diag_fail(diag, LSD_ENOMEM, "out of memory for a %zu-point glitch filter", n);
    } else if (rc != GSL_SUCCESS) {
        status = lsd_diag_fail(diag, LSD_ENOMEM, "gsl_movstat_mad failed");
    } else {
        for (size_t i = 0; i < n; i++) {
            const double m = gsl_vector_get(median, i);
            const double dev = fabs(series->values[i] - m);
            if (dev > params->threshold * gsl_vector_get(mad, i) &&
                dev > params->min_relative * fabs(m)) {
                dropped[(*ndropped)++] = i;
            } else {
                kept_times[*nkept] = series->times[i];
                kept_values[(*nkept)++] = series->values[i];
            }
        }
    }
    gsl_vector_free(mad);
    gsl_vector_free(median);
    if (w != NULL)
        gsl_movstat_free(w);
    if (status != LSD_OK)
        *nkept = *ndropped = 0;
    return status;
}

lsd_status lsd_yield_carry_pillars(const lsd_yield_series *series, double end,
                                   const double *windows, size_t nwindows, double *tenors,
                                   double *rates, size_t *npillars, lsd_diag *diag)
{
    if (windows == NULL || tenors == NULL || rates == NULL || npillars == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "windows, tenors, rates and npillars must not be NULL");
    *npillars = 0;
    lsd_status status = check_series(series, diag);
    if (status != LSD_OK)
        return status;
    const double first = series->times[0];
    if (!(end > first && end <= series->times[series->n - 1])) {
        char e[INSTANT_SIZE];
        instant_text(end, e);
        return lsd_diag_fail(diag, LSD_EDOM, "end %s is not inside the series", e);
    }
    for (size_t j = 0; j < nwindows; j++)
        if (!(windows[j] > 0.0 && isfinite(windows[j])) || (j > 0 && !(windows[j] > windows[j - 1])))
            return lsd_diag_fail(diag, LSD_EDOM,
                            "window %zu: windows must be finite, > 0 and increasing (got %g s)",
                            j, windows[j]);
    size_t k = 0;
    for (size_t j = 0; j < nwindows && end - windows[j] >= first; j++) {
        lsd_yield y;
        period_yield(series, end - windows[j], end, &y);
        tenors[k] = windows[j] / LSD_SECONDS_PER_YEAR;
        rates[k++] = y.carry;
    }
    if (k == 0)
        return lsd_diag_fail(diag, LSD_EDOM, "no window fits in the series before the end "
                        "(the shortest is %g days)", nwindows > 0 ? windows[0] / LSD_SECONDS_PER_DAY : 0.0);
    *npillars = k;
    return LSD_OK;
}
