/*
 * curve.c — rate and carry term structures: pillars to discount factors,
 * zero rates and forward rates. The curve maths alone: files are read by
 * pricing/io/curve_file.c, and curves are reduced to the flat rates a
 * European pricer takes by curves/market.c (lsd_market_apply_curves).
 *
 * Representation. A curve keeps the integrated forward
 *
 *   y(t) = −ln D(t) = r(t)·t = ∫₀ᵗ f(s) ds
 *
 * at the nodes t₀ = 0 < t₁ < … < tₙ (the pillars, with (0, 0) prepended:
 * D(0) = 1), y_i = r_i·t_i for a zero-rate pillar and −ln D_i for a
 * discount-factor pillar. Then D(t) = e^{−y(t)}, r(t) = y(t)/t, the
 * instantaneous forward f(t) = y'(t) and the period forward from t1 to t2 is
 * (y(t2) − y(t1))/(t2 − t1).
 *
 * Interpolation: Steffen's monotone cubic on y (GSL gsl_interp_steffen;
 * M. Steffen, "A simple method for monotonic interpolation in one
 * dimension", Astron. Astrophys. 239 (1990) 443–450). Why this one:
 *   * it is C¹, so the forward curve f = y' is continuous (linear in ln D
 *     gives a forward that jumps at every pillar);
 *   * it is monotone between nodes (extrema only at nodes, eq. 11 of the
 *     paper), so where the data y increase — positive period forwards, the
 *     normal case — y' ≥ 0 everywhere: the forwards stay ≥ 0, with no spline
 *     overshoot into negative forwards (a natural cubic spline on y or on
 *     r can overshoot);
 *   * it is local: a pillar moves the curve only on the intervals next to
 *     it, so a bumped pillar has a local effect.
 * The end slopes are Steffen's "simplest possibility" (§2.2, as GSL does):
 * y'(0) = y₁/t₁, so the short rate is the first pillar's zero rate, and
 * y'(tₙ) = (yₙ − yₙ₋₁)/(tₙ − tₙ₋₁), the last period forward.
 *
 * Extrapolation. Before the first pillar, the interpolant from (0, 0).
 * Beyond the last pillar, the instantaneous forward stays flat at f(tₙ):
 * y(t) = yₙ + f(tₙ)·(t − tₙ), so D decays exponentially and the zero rate
 * tends to f(tₙ) (a common choice: a log-linear discount curve, e.g.
 * QuantLib's PiecewiseYieldCurve<Discount, LogLinear>, extrapolates so).
 * With one pillar the curve is flat at that pillar's zero rate.
 *
 * Exactness. At a pillar time the curve returns the quoted number itself:
 * the zero rate of a zero-rate pillar, the discount factor of a
 * discount-factor pillar. A flat curve (lsd_curve_flat, or one pillar)
 * returns its rate as the zero, forward and period-forward rate, bit for
 * bit, so pricing through lsd_market_apply_curves (market.c) equals flat
 * pricing exactly.
 *
 * Thread safety: a built curve is read-only. Every GSL evaluation is made
 * with a NULL accelerator (a gsl_interp_accel is mutable state and must not
 * be shared between threads), so concurrent queries on one curve are safe.
 * Every GSL call that can raise (gsl_interp_alloc out of memory,
 * gsl_interp_init) is made under the library's GSL guard
 * (pricing/core/gsl_guard.h), with arguments checked first and its return
 * code checked; the evaluations, range-checked, cannot raise (why: at
 * interp_eval) and run unguarded. So no input reaches the caller's (or
 * GSL's aborting) handler. No global state of our own.
 *
 * Layer: curves (curves/) — depends on core only.
 */
#define _POSIX_C_SOURCE 200809L

#include "curve.h"

#include "curve_pillar.h"
#include "diag.h"
#include "gsl_guard.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct lsd_curve {
    size_t n;              /* pillars; 0 for lsd_curve_flat */
    lsd_curve_quote quote; /* what quoted[] holds */
    double *node_time;     /* n + 1 nodes: 0, t_1, ..., t_n (years) */
    double *node_y;        /* n + 1: y = −ln D at the nodes (node_y[0] = 0) */
    double *quoted;        /* n pillar values as given */
    double flat_rate;      /* the zero rate if the curve is flat (n ≤ 1), else NaN */
    gsl_interp *interp;    /* Steffen on (node_time, node_y) if n ≥ 2, else NULL */
    double last_forward;   /* f(t_n): the forward at and beyond the last pillar */
};

/* ---- building ------------------------------------------------------------ */

lsd_status lsd_curve_pillar_check(double t, double v, lsd_curve_quote quote, const char *what,
                                  lsd_diag *diag)
{
    const char *sep = what[0] != '\0' ? " " : "";
    if (!(t > 0.0) || !isfinite(t))
        return lsd_diag_fail(diag, LSD_EDOM, "%s%s%s must be finite and > 0 years (got %.17g)", what,
                        sep, what[0] != '\0' ? "time" : "tenor", t);
    if (quote == LSD_CURVE_DISCOUNT) {
        if (!(v > 0.0) || !isfinite(v))
            return lsd_diag_fail(diag, LSD_EDOM, "%s%sdiscount must be finite and > 0 (got %.17g)",
                            what, sep, v);
    } else if (!isfinite(v) || !isfinite(v * t)) {
        return lsd_diag_fail(diag, LSD_EDOM, "%s%srate must be finite (got %.17g)", what, sep, v);
    }
    return LSD_OK;
}

/* A curve with room for n pillars, fields zeroed; NULL if out of memory. */
static lsd_curve *curve_alloc(size_t n)
{
    lsd_curve *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    double *buf = malloc((3 * n + 2) * sizeof *buf);
    if (buf == NULL) {
        free(c);
        return NULL;
    }
    c->n = n;
    c->node_time = buf;
    c->node_y = buf + n + 1;
    c->quoted = buf + 2 * n + 2;
    c->node_time[0] = 0.0;
    c->node_y[0] = 0.0;
    c->flat_rate = NAN;
    return c;
}

/*
 * The interpolant's y(t) (deriv 0) or y'(t) (deriv 1) into *out:
 * GSL_SUCCESS, or GSL_EDOM for t outside [0, t_n] (NaN included). The
 * accelerator is NULL (see the header: concurrent queries are safe).
 *
 * No GSL guard here (it costs a mutex lock/unlock pair, several per row of
 * a batch with curves): these calls cannot reach GSL's error handler. In
 * GSL 2.7 (interp/interp.c) gsl_interp_eval_e and gsl_interp_eval_deriv_e
 * answer an x outside [xmin, xmax] by *y = NaN and a returned GSL_EDOM
 * without GSL_ERROR (only the non-_e gsl_interp_eval* raise), and
 * otherwise return the type's eval; Steffen's eval and eval_deriv
 * (interp/steffen.c) locate x by gsl_interp_bsearch (inline, no error path)
 * and return GSL_SUCCESS on every branch. Checked on the installed GSL
 * 2.7.1 as well: with a handler that abort()s, both calls (and
 * gsl_interp_eval_integ_e) on in-range, boundary, out-of-range, ±inf,
 * ±DBL_MAX, subnormal and NaN arguments never reach it, while
 * gsl_interp_eval out of range does (test_curve.c queries the edges with
 * GSL's aborting handler live). The range is checked here anyway so that
 * NaN, which passes GSL's range test and comes back as a NaN with
 * GSL_SUCCESS, is refused too.
 */
static int interp_eval(const lsd_curve *c, double t, int deriv, double *out)
{
    if (!(t >= c->node_time[0] && t <= c->node_time[c->n])) {
        *out = NAN;
        return GSL_EDOM;
    }
    return deriv ? gsl_interp_eval_deriv_e(c->interp, c->node_time, c->node_y, t, NULL, out)
                 : gsl_interp_eval_e(c->interp, c->node_time, c->node_y, t, NULL, out);
}

lsd_status lsd_curve_new(const double *times, const double *values, size_t n,
                         lsd_curve_quote quote, lsd_curve **out, lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "curve: NULL output");
    *out = NULL;
    if (times == NULL || values == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "curve: NULL pillar array");
    if (n == 0)
        return lsd_diag_fail(diag, LSD_EINVAL, "curve: no pillars (n = 0)");
    if (quote != LSD_CURVE_ZERO_RATE && quote != LSD_CURVE_DISCOUNT)
        return lsd_diag_fail(diag, LSD_EINVAL, "curve: unknown quote %d", (int)quote);
    for (size_t i = 0; i < n; i++) {
        char what[32];
        snprintf(what, sizeof what, "pillar %zu", i);
        const lsd_status st = lsd_curve_pillar_check(times[i], values[i], quote, what, diag);
        if (st != LSD_OK)
            return st;
        if (i > 0 && times[i] == times[i - 1])
            return lsd_diag_fail(diag, LSD_EDOM, "pillar %zu: time %.17g repeats pillar %zu", i,
                            times[i], i - 1);
        if (i > 0 && times[i] < times[i - 1])
            return lsd_diag_fail(diag, LSD_EDOM,
                            "pillar %zu: time %.17g is before pillar %zu's %.17g (times must "
                            "be strictly increasing)", i, times[i], i - 1, times[i - 1]);
    }

    lsd_curve *c = curve_alloc(n);
    if (c == NULL)
        return lsd_diag_fail(diag, LSD_ENOMEM, "curve: out of memory");
    c->quote = quote;
    for (size_t i = 0; i < n; i++) {
        c->node_time[i + 1] = times[i];
        c->node_y[i + 1] = quote == LSD_CURVE_DISCOUNT ? -log(values[i]) : values[i] * times[i];
        c->quoted[i] = values[i];
    }
    if (n == 1) {
        c->flat_rate = quote == LSD_CURVE_DISCOUNT ? c->node_y[1] / times[0] : values[0];
        c->last_forward = c->flat_rate;
        *out = c;
        return LSD_OK;
    }
    lsd_gsl_guard guard;
    lsd_gsl_guard_enter(&guard);
    c->interp = gsl_interp_alloc(gsl_interp_steffen, n + 1);
    const int rc = c->interp == NULL
                       ? GSL_ENOMEM
                       : gsl_interp_init(c->interp, c->node_time, c->node_y, n + 1);
    lsd_gsl_guard_leave(&guard);
    if (c->interp == NULL) {
        lsd_curve_free(c);
        return lsd_diag_fail(diag, LSD_ENOMEM, "curve: out of memory (GSL interpolation)");
    }
    if (rc != GSL_SUCCESS || interp_eval(c, times[n - 1], 1, &c->last_forward) != GSL_SUCCESS ||
        !isfinite(c->last_forward)) {
        lsd_curve_free(c);
        return lsd_diag_fail(diag, LSD_EDOM, "curve: GSL Steffen interpolation failed on the pillars");
    }
    *out = c;
    return LSD_OK;
}

lsd_status lsd_curve_flat(double rate, lsd_curve **out, lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "curve: NULL output");
    *out = NULL;
    if (!isfinite(rate))
        return lsd_diag_fail(diag, LSD_EDOM, "flat curve: rate must be finite (got %.17g)", rate);
    lsd_curve *c = curve_alloc(0);
    if (c == NULL)
        return lsd_diag_fail(diag, LSD_ENOMEM, "curve: out of memory");
    c->quote = LSD_CURVE_ZERO_RATE;
    c->flat_rate = rate;
    c->last_forward = rate;
    *out = c;
    return LSD_OK;
}

void lsd_curve_free(lsd_curve *curve)
{
    if (curve == NULL)
        return;
    gsl_interp_free(curve->interp);
    free(curve->node_time);
    free(curve);
}

/* ---- queries ------------------------------------------------------------- */

static int is_flat(const lsd_curve *c)
{
    return c->interp == NULL;
}

/* Index of the pillar at exactly time t, or SIZE_MAX. */
static size_t pillar_at(const lsd_curve *c, double t)
{
    if (c->n == 0 || !(t > 0.0) || t > c->node_time[c->n])
        return SIZE_MAX;
    /* node_time[k] ≤ t < node_time[k + 1], or k = n − 1 at the last node. */
    const size_t k = gsl_interp_bsearch(c->node_time, t, 0, c->n);
    if (c->node_time[k] == t && k > 0)
        return k - 1;
    if (c->node_time[k + 1] == t)
        return k;
    return SIZE_MAX;
}

/* y(t) = −ln D(t) for 0 ≤ t finite, on a curve that is not flat. */
static lsd_status integrated_forward(const lsd_curve *c, double t, double *y, lsd_diag *diag)
{
    const double t_last = c->node_time[c->n];
    if (t <= t_last) {
        if (interp_eval(c, t, 0, y) != GSL_SUCCESS)
            return lsd_diag_fail(diag, LSD_EDOM, "curve: GSL interpolation failed at t = %.17g", t);
    } else {
        *y = c->node_y[c->n] + c->last_forward * (t - t_last);
    }
    if (!isfinite(*y))
        return lsd_diag_fail(diag, LSD_EDOM, "curve: -ln D(t) overflows at t = %.17g years", t);
    return LSD_OK;
}

/* t must be finite and ≥ 0; what names the query. */
static lsd_status check_time(const char *what, double t, lsd_diag *diag)
{
    if (!(t >= 0.0) || !isfinite(t))
        return lsd_diag_fail(diag, LSD_EDOM, "%s: time must be finite and >= 0 years (got %.17g)",
                        what, t);
    return LSD_OK;
}

lsd_status lsd_curve_discount(const lsd_curve *curve, double t, double *df, lsd_diag *diag)
{
    if (df == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "discount: NULL output");
    *df = NAN;
    if (curve == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "discount: NULL curve");
    lsd_status st = check_time("discount", t, diag);
    if (st != LSD_OK)
        return st;
    const size_t i = pillar_at(curve, t);
    if (i != SIZE_MAX && curve->quote == LSD_CURVE_DISCOUNT) {
        *df = curve->quoted[i];
        return LSD_OK;
    }
    if (is_flat(curve)) {
        *df = exp(-curve->flat_rate * t);
        return LSD_OK;
    }
    double y;
    st = integrated_forward(curve, t, &y, diag);
    if (st == LSD_OK)
        *df = exp(-y);
    return st;
}

lsd_status lsd_curve_forward_rate(const lsd_curve *curve, double t, double *rate,
                                  lsd_diag *diag)
{
    if (rate == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "forward rate: NULL output");
    *rate = NAN;
    if (curve == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "forward rate: NULL curve");
    const lsd_status st = check_time("forward rate", t, diag);
    if (st != LSD_OK)
        return st;
    if (is_flat(curve)) {
        *rate = curve->flat_rate;
        return LSD_OK;
    }
    if (t >= curve->node_time[curve->n]) {
        *rate = curve->last_forward;
        return LSD_OK;
    }
    if (interp_eval(curve, t, 1, rate) != GSL_SUCCESS) {
        *rate = NAN;
        return lsd_diag_fail(diag, LSD_EDOM, "forward rate: GSL interpolation failed at t = %.17g",
                        t);
    }
    return LSD_OK;
}

lsd_status lsd_curve_zero_rate(const lsd_curve *curve, double t, double *rate, lsd_diag *diag)
{
    if (rate == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "zero rate: NULL output");
    *rate = NAN;
    if (curve == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "zero rate: NULL curve");
    lsd_status st = check_time("zero rate", t, diag);
    if (st != LSD_OK)
        return st;
    const size_t i = pillar_at(curve, t);
    if (i != SIZE_MAX && curve->quote == LSD_CURVE_ZERO_RATE) {
        *rate = curve->quoted[i];
        return LSD_OK;
    }
    if (is_flat(curve)) {
        *rate = curve->flat_rate;
        return LSD_OK;
    }
    if (t == 0.0) /* the limit of y(t)/t: the short rate */
        return lsd_curve_forward_rate(curve, 0.0, rate, diag);
    double y;
    st = integrated_forward(curve, t, &y, diag);
    if (st == LSD_OK)
        *rate = y / t;
    return st;
}

lsd_status lsd_curve_period_forward(const lsd_curve *curve, double t1, double t2, double *rate,
                                    lsd_diag *diag)
{
    if (rate == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "period forward: NULL output");
    *rate = NAN;
    if (curve == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "period forward: NULL curve");
    lsd_status st = check_time("period forward", t1, diag);
    if (st == LSD_OK)
        st = check_time("period forward", t2, diag);
    if (st != LSD_OK)
        return st;
    if (!(t1 < t2))
        return lsd_diag_fail(diag, LSD_EDOM, "period forward: need t1 < t2 (got %.17g, %.17g)", t1,
                        t2);
    if (is_flat(curve)) {
        *rate = curve->flat_rate;
        return LSD_OK;
    }
    double y1, y2;
    st = integrated_forward(curve, t1, &y1, diag);
    if (st == LSD_OK)
        st = integrated_forward(curve, t2, &y2, diag);
    if (st == LSD_OK)
        *rate = (y2 - y1) / (t2 - t1);
    return st;
}
