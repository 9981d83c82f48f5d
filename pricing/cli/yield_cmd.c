/*
 * yield_cmd.c — `lsdopt yield`: the staking yield realised by a token, from a
 * protocol exchange-rate series (rETH/ETH) or a network APR series
 * (ETH.STORE), computed by curves/yield.c.
 *
 * Reads a CSV series (series_cli.c: first row a header; two columns used,
 * found by name or --column), sorts it by time and removes repeated
 * observations (lsd_yield_series_sort), drops isolated glitches from an APR
 * series (lsd_cli_series_despike, reported), then gives the yield over one period
 * (lsd_yield_period) or trailing-window yields over time (lsd_yield_trailing),
 * and optionally writes trailing yields as a `tenor,rate` carry curve
 * (lsd_yield_carry_pillars) that `--carry-curve` reads. csv numbers are
 * shortest round-trip text (numtext.cc); json numbers have 17 significant
 * digits (jansson), which also round-trip.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"
#include "common.h"
#include "series_cli.h"

#include <lsdopt/lsdopt.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

enum { OPT_KIND = 256, OPT_FROM, OPT_TO, OPT_WINDOW, OPT_CURVE_OUT, OPT_KEEP_GLITCHES };

static const struct option long_options[] = {
    { "column", required_argument, NULL, 'c' },
    { "kind", required_argument, NULL, OPT_KIND },
    { "from", required_argument, NULL, OPT_FROM },
    { "to", required_argument, NULL, OPT_TO },
    { "window", required_argument, NULL, OPT_WINDOW },
    { "curve-out", required_argument, NULL, OPT_CURVE_OUT },
    { "keep-glitches", no_argument, NULL, OPT_KEEP_GLITCHES },
    LSD_CLI_OUTPUT_OPTIONS,
    { NULL, 0, NULL, 0 }
};

/* Windows of the carry curve written by --curve-out, in days. */
static const double curve_window_days[] = { 30.0, 90.0, 180.0, 365.0 };
#define N_CURVE_WINDOWS (sizeof curve_window_days / sizeof curve_window_days[0])

/* What the command computed, for the writers. */
typedef struct result {
    lsd_yield_kind kind;
    const char *value_name, *time_name;
    lsd_yield_series series;      /* after sorting and glitch removal */
    const double *raw_times;      /* sorted series before glitch removal */
    const double *raw_values;
    const size_t *dropped;        /* indices into raw_* */
    size_t ndropped;
    int windowed;                 /* 1: yields[] over time; 0: yields[0] for the period */
    double window_days;
    const lsd_yield *yields;
    size_t nyields;
    const double *tenors, *rates; /* the carry curve written, if any */
    size_t npillars;
    const char *curve_out;
} result;

static int write_csv(FILE *out, const void *report)
{
    const result *res = report;
    fputs(res->windowed ? "time,carry,apr\n" : "from,to,carry,apr\n", out);
    for (size_t i = 0; i < res->nyields; i++) {
        const lsd_yield *y = &res->yields[i];
        char a[LSD_CLI_ISO_SIZE], b[LSD_CLI_ISO_SIZE];
        lsd_cli_iso(y->from, a);
        lsd_cli_iso(y->to, b);
        if (res->windowed)
            fprintf(out, "%s,", b);
        else
            fprintf(out, "%s,%s,", a, b);
        lsd_cli_csv_number(out, y->carry);
        fputc(',', out);
        lsd_cli_csv_number(out, y->apr);
        fputc('\n', out);
    }
    for (size_t i = 0; i < res->ndropped; i++) {
        char t[LSD_CLI_ISO_SIZE], x[LSD_CLI_DTOA_SIZE];
        lsd_cli_iso(res->raw_times[res->dropped[i]], t);
        lsd_cli_dtoa(res->raw_values[res->dropped[i]], x);
        lsd_cli_warn("yield: dropped glitch %s %s %s", t, res->value_name, x);
    }
    return EX_OK;
}

static int write_text(FILE *out, const void *report)
{
    const result *res = report;
    const lsd_yield_series *s = &res->series;
    char a[LSD_CLI_ISO_SIZE], b[LSD_CLI_ISO_SIZE];
    lsd_cli_iso(s->times[0], a);
    lsd_cli_iso(s->times[s->n - 1], b);
    fprintf(out, "series   column %s (%s), times from column %s\n", res->value_name,
            lsd_cli_staking_kind_name(res->kind), res->time_name);
    fprintf(out, "         %zu observations, %s to %s\n", s->n, a, b);
    if (res->kind == LSD_YIELD_APR) {
        fprintf(out, "dropped  %zu glitch%s in the period\n", res->ndropped,
                res->ndropped == 1 ? "" : "es");
        for (size_t i = 0; i < res->ndropped; i++) {
            char x[LSD_CLI_DTOA_SIZE];
            lsd_cli_iso(res->raw_times[res->dropped[i]], a);
            lsd_cli_dtoa(res->raw_values[res->dropped[i]], x);
            fprintf(out, "         %s  %s\n", a, x);
        }
    }
    if (res->windowed) {
        fprintf(out, "\ntrailing %g-day yields (carry continuous, apr annual effective)\n",
                res->window_days);
        fprintf(out, "%-22s %-14s %s\n", "time", "carry", "apr");
        for (size_t i = 0; i < res->nyields; i++) {
            lsd_cli_iso(res->yields[i].to, b);
            fprintf(out, "%-22s %-14.10f %.10f\n", b, res->yields[i].carry, res->yields[i].apr);
        }
    } else {
        const lsd_yield *y = &res->yields[0];
        lsd_cli_iso(y->from, a);
        lsd_cli_iso(y->to, b);
        fprintf(out, "period   %s to %s (%.6g years, ACT/365F)\n", a, b,
                (y->to - y->from) / LSD_SECONDS_PER_YEAR);
        fprintf(out, "carry    %.10f  (%.4f%% continuous per year)\n", y->carry, 100.0 * y->carry);
        fprintf(out, "apr      %.10f  (%.4f%% annual effective)\n", y->apr, 100.0 * y->apr);
    }
    if (res->curve_out != NULL) {
        fprintf(out, "\ncarry curve written to %s (tenor in years, rate continuous):\n",
                res->curve_out);
        for (size_t i = 0; i < res->npillars; i++)
            fprintf(out, "  %-12.6g %.10f\n", res->tenors[i], res->rates[i]);
    }
    return EX_OK;
}

/* The dropped points as a json array. */
static json_t *dropped_json(const result *res)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < res->ndropped; i++) {
        char t[LSD_CLI_ISO_SIZE];
        lsd_cli_iso(res->raw_times[res->dropped[i]], t);
        lsd_cli_json_append(&arr, json_pack("{s:s, s:f}", "time", t, "value",
                                            res->raw_values[res->dropped[i]]));
    }
    return arr;
}

static int write_json(FILE *out, const void *report)
{
    const result *res = report;
    json_t *dropped = res->kind == LSD_YIELD_APR ? dropped_json(res) : NULL;
    json_t *obj = NULL;
    json_error_t err = { .text = "out of memory" };
    if (res->kind == LSD_YIELD_APR && dropped == NULL) {
        /* out of memory */
    } else if (res->windowed) {
        json_t *arr = json_array();
        for (size_t i = 0; arr != NULL && i < res->nyields; i++) {
            char t[LSD_CLI_ISO_SIZE];
            lsd_cli_iso(res->yields[i].to, t);
            lsd_cli_json_append(&arr, json_pack("{s:s, s:f, s:f}", "time", t, "carry",
                                                res->yields[i].carry, "apr", res->yields[i].apr));
        }
        obj = arr == NULL ? NULL
                          : json_pack_ex(&err, 0, "{s:f, s:o, s:o*}", "window_days",
                                         res->window_days, "yields", arr, "dropped", dropped);
    } else {
        const lsd_yield *y = &res->yields[0];
        char a[LSD_CLI_ISO_SIZE], b[LSD_CLI_ISO_SIZE];
        lsd_cli_iso(y->from, a);
        lsd_cli_iso(y->to, b);
        obj = json_pack_ex(&err, 0, "{s:s, s:s, s:f, s:f, s:o*}", "from", a, "to", b, "carry",
                           y->carry, "apr", y->apr, "dropped", dropped);
    }
    if (obj == NULL) {
        lsd_cli_warn("yield: json: %s", err.text);
        return EX_SOFTWARE;
    }
    return lsd_cli_write_json("yield", out, obj);
}

/* A library failure: the diagnostic "yield: WHAT" + its message, and EX_DATAERR. */
static int data_error(const char *what, const lsd_diag *diag)
{
    lsd_cli_warn("yield: %s%s", what, diag->message);
    return EX_DATAERR;
}

/* Everything after the series is read: returns the exit code. */
static int compute_and_write(lsd_cli_series *in, int kind_given, lsd_yield_kind kind,
                             const char *from_text, const char *to_text, const char *window_text,
                             int keep_glitches, const char *curve_out, const char *format,
                             const char *output)
{
    lsd_diag diag = { "" };
    result res = { .value_name = in->value_name, .time_name = in->time_name,
                   .raw_times = in->times, .raw_values = in->values, .curve_out = curve_out };
    size_t removed = 0;
    int rc = lsd_cli_staking_series("yield", NULL, in, kind_given, kind, &res.series, &removed);
    if (rc != EX_OK)
        return rc;
    if (removed > 0)
        lsd_cli_warn("yield: %zu repeated observation%s (same time and value) counted once",
                     removed, removed == 1 ? "" : "s");
    res.kind = res.series.kind;
    const size_t n = res.series.n;

    /* Scratch: the yields, n long; the series without its glitches. */
    lsd_yield *yields = malloc(n * sizeof *yields);
    lsd_cli_despiked kept = { .dropped = NULL };
    double tenors[N_CURVE_WINDOWS], rates[N_CURVE_WINDOWS], windows[N_CURVE_WINDOWS];
    if (n == 0 || yields == NULL) {
        lsd_cli_warn(n == 0 ? "yield: the series has no rows" : "yield: out of memory");
        rc = n == 0 ? EX_DATAERR : EX_OSERR;
        goto done;
    }
    if (res.kind == LSD_YIELD_APR && !keep_glitches) {
        rc = lsd_cli_series_despike("yield", NULL, &res.series, &kept);
        if (rc != EX_OK)
            goto done;
        res.series = kept.series;
        res.dropped = kept.dropped;
        res.ndropped = kept.ndropped;
    }
    const lsd_yield_series *s = &res.series;
    double from = s->times[0], to = s->times[s->n - 1];
    if (!lsd_cli_instant_flag("yield", "from", from_text, &from) ||
        !lsd_cli_instant_flag("yield", "to", to_text, &to)) {
        rc = EX_USAGE;
        goto done;
    }
    if (window_text != NULL) {
        res.windowed = 1;
        if (!lsd_cli_sign_flag("yield", "window", window_text, " of days", LSD_CLI_POSITIVE,
                               &res.window_days)) {
            rc = EX_USAGE;
            goto done;
        }
        size_t count;
        if (lsd_yield_trailing(s, res.window_days * LSD_SECONDS_PER_DAY, yields, &count, &diag) != LSD_OK) {
            rc = data_error("", &diag);
            goto done;
        }
        size_t first = 0;
        while (first < count && yields[first].to < from)
            first++;
        res.yields = yields + first;
        while (first + res.nyields < count && yields[first + res.nyields].to <= to)
            res.nyields++;
    } else {
        if (lsd_yield_period(s, from, to, &yields[0], &diag) != LSD_OK) {
            rc = data_error("", &diag);
            goto done;
        }
        res.yields = yields;
        res.nyields = 1;
    }
    /* Report the glitches inside the span the output covers (none without yields). */
    const double lo = res.nyields > 0 ? res.yields[0].from : INFINITY;
    const double hi = res.nyields > 0 ? res.yields[res.nyields - 1].to : -INFINITY;
    size_t k = 0;
    for (size_t i = 0; i < res.ndropped; i++)
        if (in->times[kept.dropped[i]] >= lo && in->times[kept.dropped[i]] <= hi)
            kept.dropped[k++] = kept.dropped[i];
    res.ndropped = k;
    if (curve_out != NULL) {
        for (size_t j = 0; j < N_CURVE_WINDOWS; j++)
            windows[j] = curve_window_days[j] * LSD_SECONDS_PER_DAY;
        if (lsd_yield_carry_pillars(s, to, windows, N_CURVE_WINDOWS, tenors, rates,
                                    &res.npillars, &diag) != LSD_OK) {
            rc = data_error("--curve-out: ", &diag);
            goto done;
        }
        res.tenors = tenors;
        res.rates = rates;
        rc = lsd_cli_write_curve(curve_out, tenors, rates, res.npillars);
    }
    static const lsd_cli_writers writers = { write_text, write_csv, write_json };
    if (rc == EX_OK)
        rc = lsd_cli_write_report(output, format, &writers, &res);
done:
    free(yields);
    lsd_cli_despiked_free(&kept);
    return rc;
}

int lsd_cli_yield(int argc, char **argv)
{
    lsd_cli_series_spec spec = { .command = "yield",
                                 .time_candidates = lsd_cli_staking_time_headers,
                                 .value_candidates = lsd_cli_staking_value_headers,
                                 .column_flag = 1 };
    const char *from = NULL, *to = NULL, *window = NULL, *curve_out = NULL, *format = "text",
               *output = NULL;
    int apr = 0, kind_given = 0, keep_glitches = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:f:o:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (!lsd_cli_series_column(&spec, optarg))
                return EX_USAGE;
            break;
        case OPT_KIND:
            if (!lsd_cli_choice_flag("yield", "kind", optarg, "exchange-rate", "apr", &apr))
                return EX_USAGE;
            kind_given = 1;
            break;
        case OPT_FROM: from = optarg; break;
        case OPT_TO: to = optarg; break;
        case OPT_WINDOW: window = optarg; break;
        case OPT_CURVE_OUT: curve_out = optarg; break;
        case OPT_KEEP_GLITCHES: keep_glitches = 1; break;
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'h': return lsd_cli_help(lsd_cli_yield_help);
        default: return EX_USAGE; /* getopt_long printed why */
        }
    }
    const char *path = lsd_cli_one_operand("yield", argc, argv, "SERIES.csv", "series");
    if (path == NULL || !lsd_cli_format_ok("yield", format))
        return EX_USAGE;
    lsd_cli_series series;
    int rc = lsd_cli_series_read(path, &spec, &series);
    if (rc == EX_OK)
        rc = compute_and_write(&series, kind_given,
                               apr ? LSD_YIELD_APR : LSD_YIELD_EXCHANGE_RATE, from, to, window,
                               keep_glitches, curve_out, format, output);
    lsd_cli_series_free(&series);
    return rc;
}
