/*
 * curve.c — rate and carry term structures: pillars to discount factors,
 * zero rates and forward rates, a CSV loader, and the reduction of curves to
 * the flat rates a European pricer takes.
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
 * bit, so pricing through lsd_market_apply_curves equals flat pricing
 * exactly.
 *
 * Thread safety: a built curve is read-only. Every GSL evaluation is made
 * with a NULL accelerator (a gsl_interp_accel is mutable state and must not
 * be shared between threads), so concurrent queries on one curve are safe.
 * GSL's error handler is never touched: every GSL call is made with
 * arguments it accepts (checked first) and its return code is checked. (One
 * exception GSL's design leaves: if gsl_interp_alloc runs out of memory it
 * calls the process's GSL error handler before returning NULL.)
 *
 * The loader reads CSV with libcsv and numbers with lsd_decimal_parse
 * (decimal.c: plain decimals only, "C" locale per thread). No global state.
 */
#define _POSIX_C_SOURCE 200809L

#include "curve.h"

#include "dates.h"
#include "csvfile.h"
#include "decimal.h"
#include "diag.h"

#include <csv.h>
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* One pillar's domain: time finite > 0; a rate finite with r·t finite; a
 * discount factor finite > 0. The message calls the pillar "<what> time"
 * and "<what> rate" (or "discount"), or "tenor" and "rate" when what is "". */
static lsd_status check_pillar(double t, double v, lsd_curve_quote quote, const char *what,
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
        const lsd_status st = check_pillar(times[i], values[i], quote, what, diag);
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
    c->interp = gsl_interp_alloc(gsl_interp_steffen, n + 1);
    if (c->interp == NULL) {
        lsd_curve_free(c);
        return lsd_diag_fail(diag, LSD_ENOMEM, "curve: out of memory (GSL interpolation)");
    }
    if (gsl_interp_init(c->interp, c->node_time, c->node_y, n + 1) != GSL_SUCCESS ||
        gsl_interp_eval_deriv_e(c->interp, c->node_time, c->node_y, times[n - 1], NULL,
                                &c->last_forward) != GSL_SUCCESS ||
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
        if (gsl_interp_eval_e(c->interp, c->node_time, c->node_y, t, NULL, y) != GSL_SUCCESS)
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
    if (gsl_interp_eval_deriv_e(curve->interp, curve->node_time, curve->node_y, t, NULL, rate) !=
        GSL_SUCCESS) {
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

lsd_status lsd_market_apply_curves(lsd_market *mkt, const lsd_curve *rate_curve,
                                   const lsd_curve *carry_curve, double expiry, lsd_diag *diag)
{
    if (mkt == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "apply curves: NULL market");
    if (!(expiry > 0.0) || !isfinite(expiry))
        return lsd_diag_fail(diag, LSD_EDOM, "expiry must be finite and > 0 (got %.17g)", expiry);
    double r = mkt->rate, q = mkt->carry;
    lsd_status st = LSD_OK;
    if (rate_curve != NULL)
        st = lsd_curve_zero_rate(rate_curve, expiry, &r, diag);
    if (st == LSD_OK && carry_curve != NULL)
        st = lsd_curve_zero_rate(carry_curve, expiry, &q, diag);
    if (st != LSD_OK)
        return st;
    mkt->rate = r;
    mkt->carry = q;
    return LSD_OK;
}

/* ---- loading ------------------------------------------------------------- */

/* One data row of a curve file. */
typedef struct pillar_row {
    double time;        /* years from the valuation time */
    double value;       /* rate or discount factor as read */
    unsigned long line; /* line of the file the row ends on */
} pillar_row;

/* The loader's state, passed through libcsv's callbacks. */
typedef struct loader {
    const char *path;      /* for messages */
    double valuation_time; /* seconds since the epoch, for date files */
    locale_t c_locale;     /* "C" numeric locale for strtod */
    lsd_diag *diag;
    lsd_status status;     /* first error, or LSD_OK */
    unsigned long line;    /* physical line being fed to the parser */
    /* Header. */
    int have_header;
    size_t ncols;          /* columns in the header */
    size_t time_col;       /* column of tenor or date, SIZE_MAX if none */
    size_t value_col;      /* column of rate or discount, SIZE_MAX if none */
    int dated;             /* 1: the time column is `date`, 0: `tenor` */
    lsd_curve_quote quote; /* rate or discount */
    char header_text[96];  /* the header as read, for a message */
    /* The row being read. */
    size_t field;          /* fields seen in this row */
    int have_time, have_value;
    double time, value;
    /* Rows read. */
    pillar_row *rows;
    size_t n, cap;
} loader;

/* Record the first error: "path:line: detail" (line 0: "path: detail"). */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void load_error(loader *l, unsigned long line, lsd_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    lsd_csv_fail_v(&l->status, l->diag, l->path, line, status, fmt, ap);
    va_end(ap);
}

/* A header cell: which column holds the time and which the value. */
static void header_cell(loader *l, const char *s)
{
    const size_t col = l->field++;
    if (col == 0 && strncmp(s, "\xEF\xBB\xBF", 3) == 0) /* UTF-8 byte-order mark */
        s += 3;
    const size_t used = strlen(l->header_text);
    snprintf(l->header_text + used, sizeof l->header_text - used, "%s%s", col > 0 ? "," : "",
             s);
    const int is_time = strcasecmp(s, "tenor") == 0 || strcasecmp(s, "date") == 0;
    const int is_value = strcasecmp(s, "rate") == 0 || strcasecmp(s, "discount") == 0;
    size_t *slot = is_time ? &l->time_col : is_value ? &l->value_col : NULL;
    if (slot == NULL)
        return; /* other columns (notes, sources) are ignored */
    if (*slot != SIZE_MAX) {
        load_error(l, l->line, LSD_EPARSE,
                   "header has two %s columns (give tenor or date, and rate or discount, once)",
                   is_time ? "time" : "value");
        return;
    }
    *slot = col;
    if (is_time)
        l->dated = strcasecmp(s, "date") == 0;
    else
        l->quote = strcasecmp(s, "discount") == 0 ? LSD_CURVE_DISCOUNT : LSD_CURVE_ZERO_RATE;
}

/* A data cell of column col. */
static void data_cell(loader *l, size_t col, const char *s)
{
    if (s[0] == '\0')
        return; /* an empty cell: reported at the end of the row */
    if (col == l->time_col && !l->dated) {
        if (!lsd_decimal_parse(s, strlen(s), l->c_locale, &l->time)) {
            load_error(l, l->line, LSD_EPARSE, "tenor '%.40s' is not a number of years", s);
            return;
        }
        l->have_time = 1;
    } else if (col == l->time_col) {
        lsd_diag d = { "" };
        double at;
        if (lsd_time_parse(s, &at, &d) != LSD_OK) {
            load_error(l, l->line, LSD_EPARSE, "date: %s", d.message);
            return;
        }
        lsd_time_year_fraction(l->valuation_time, at, &l->time);
        if (!(l->time > 0.0)) {
            char when[32] = "?", from[32] = "?";
            lsd_time_format(at, when, sizeof when);
            lsd_time_format(l->valuation_time, from, sizeof from);
            load_error(l, l->line, LSD_EDOM, "date %s is not after the valuation time %s",
                       when, from);
            return;
        }
        l->have_time = 1;
    } else if (col == l->value_col) {
        if (!lsd_decimal_parse(s, strlen(s), l->c_locale, &l->value)) {
            load_error(l, l->line, LSD_EPARSE, "%s '%.40s' is not a finite number",
                       l->quote == LSD_CURVE_DISCOUNT ? "discount" : "rate", s);
            return;
        }
        l->have_value = 1;
    }
}

/* libcsv field callback. */
static void on_field(void *s, size_t n, void *data)
{
    (void)n;
    loader *l = data;
    if (l->status != LSD_OK)
        return;
    const char *text = s != NULL ? s : "";
    if (!l->have_header)
        header_cell(l, text);
    else
        data_cell(l, l->field++, text);
}

/* The end of the header row. */
static void header_done(loader *l)
{
    if (l->time_col == SIZE_MAX || l->value_col == SIZE_MAX) {
        load_error(l, l->line, LSD_EPARSE,
                   "header must name a tenor or date column and a rate or discount column "
                   "(got '%.60s')", l->header_text);
        return;
    }
    if (l->dated && !isfinite(l->valuation_time)) {
        load_error(l, l->line, LSD_EINVAL,
                   "a date column needs a finite valuation time to count years from");
        return;
    }
    l->ncols = l->field;
    l->have_header = 1;
}

/* The end of a data row: check it and keep it. */
static void row_done(loader *l)
{
    const char *time_name = l->dated ? "date" : "tenor";
    const char *value_name = l->quote == LSD_CURVE_DISCOUNT ? "discount" : "rate";
    if (l->field != l->ncols) {
        load_error(l, l->line, LSD_EPARSE, "row has %zu fields, the header has %zu", l->field,
                   l->ncols);
        return;
    }
    if (!l->have_time || !l->have_value) {
        load_error(l, l->line, LSD_EPARSE, "empty %s", !l->have_time ? time_name : value_name);
        return;
    }
    lsd_diag d = { "" };
    if (check_pillar(l->time, l->value, l->quote, "", &d) != LSD_OK) {
        load_error(l, l->line, LSD_EDOM, "%s", d.message);
        return;
    }
    if (l->n == l->cap) {
        const size_t cap = l->cap ? 2 * l->cap : 16;
        pillar_row *rows = realloc(l->rows, cap * sizeof *rows);
        if (rows == NULL) {
            load_error(l, 0, LSD_ENOMEM, "out of memory");
            return;
        }
        l->rows = rows;
        l->cap = cap;
    }
    l->rows[l->n++] = (pillar_row){ .time = l->time, .value = l->value, .line = l->line };
}

/* libcsv row callback (blank lines are not rows). */
static void on_row(int terminator, void *data)
{
    (void)terminator;
    loader *l = data;
    if (l->status != LSD_OK)
        return;
    if (!l->have_header)
        header_done(l);
    else
        row_done(l);
    l->field = 0;
    l->have_time = l->have_value = 0;
}

/* Feed the file to libcsv line by line, so messages can give line numbers. */
static void read_rows(loader *l, FILE *in)
{
    char why[128];
    const lsd_status st = lsd_csv_feed(in, CSV_APPEND_NULL, on_field, on_row, l, &l->status,
                                       &l->line, why, sizeof why);
    if (st != LSD_OK && l->status == LSD_OK)
        load_error(l, st == LSD_EIO ? 0 : l->line, st, "%s", why);
}

lsd_status lsd_curve_load(const char *path, double valuation_time, lsd_curve **out,
                          lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "curve load: NULL output");
    *out = NULL;
    if (path == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "curve load: NULL path");
    FILE *in = fopen(path, "r");
    if (in == NULL) {
        char why[96] = "cannot open";
        strerror_r(errno, why, sizeof why);
        return lsd_diag_fail(diag, LSD_EIO, "%.80s: cannot open: %s", path, why);
    }
    loader l = { .path = path, .valuation_time = valuation_time, .diag = diag,
                 .status = LSD_OK, .time_col = SIZE_MAX, .value_col = SIZE_MAX };
    l.c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (l.c_locale == (locale_t)0)
        load_error(&l, 0, LSD_ENOMEM, "cannot create the C locale");
    else
        read_rows(&l, in);
    fclose(in);
    if (l.c_locale != (locale_t)0)
        freelocale(l.c_locale);

    if (l.status == LSD_OK && !l.have_header)
        load_error(&l, 0, LSD_EPARSE, "empty file (no header)");
    if (l.status == LSD_OK && l.n == 0)
        load_error(&l, 0, LSD_EPARSE, "no pillars (a header and no rows)");
    /* Pillars in increasing time, as written: a row out of order is more
     * likely a mistake (a swapped column, a pasted block) than an intent. */
    for (size_t i = 1; i < l.n && l.status == LSD_OK; i++) {
        const pillar_row *prev = &l.rows[i - 1], *row = &l.rows[i];
        if (row->time == prev->time)
            load_error(&l, row->line, LSD_EDOM, "%s repeats line %lu (%.17g years)",
                       l.dated ? "date" : "tenor", prev->line, row->time);
        else if (row->time < prev->time)
            load_error(&l, row->line, LSD_EDOM,
                       "%s (%.17g years) is before line %lu's (%.17g years): pillars must be "
                       "in increasing time order",
                       l.dated ? "date" : "tenor", row->time, prev->line, prev->time);
    }
    if (l.status == LSD_OK) {
        double *times = malloc(2 * l.n * sizeof *times);
        if (times == NULL) {
            load_error(&l, 0, LSD_ENOMEM, "out of memory");
        } else {
            double *values = times + l.n;
            for (size_t i = 0; i < l.n; i++) {
                times[i] = l.rows[i].time;
                values[i] = l.rows[i].value;
            }
            l.status = lsd_curve_new(times, values, l.n, l.quote, out, diag);
            free(times);
        }
    }
    free(l.rows);
    return l.status;
}
