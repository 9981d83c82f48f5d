/*
 * yield_cmd.c — `lsdopt yield`: the staking yield realised by a token, from a
 * protocol exchange-rate series (rETH/ETH) or a network APR series
 * (ETH.STORE), computed by curves/staking_yield.c.
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
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"
#include "common.h"
#include "series_cli.h"

#include <lsdopt/lsdopt.h>

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

static const char help_text[] =
    "Usage: lsdopt yield SERIES.csv [--column time=HEADER] [--column value=HEADER]\n"
    "                    [--kind exchange-rate|apr] [--from TIME] [--to TIME]\n"
    "                    [--window DAYS] [--curve-out FILE] [--keep-glitches]\n"
    "                    [--format text|csv|json] [-o FILE]\n"
    "\n"
    "The staking yield a token realised, measured from on-chain history: the\n"
    "continuously compounded carry q (per year, ACT/365F) and the annual-effective\n"
    "apr = e^q - 1.\n"
    "\n"
    "Series kinds:\n"
    "  exchange-rate  the staked asset one token redeems for (rETH/ETH rate):\n"
    "                 q = ln(R(to)/R(from))/years, ln R linear in time between\n"
    "                 observations (the yield is constant between them)\n"
    "  apr            a daily APR = one day's return x 365 (ETH.STORE): q = the\n"
    "                 time-weighted mean of 365 ln(1 + APR/365), each value holding\n"
    "                 until the next observation. Isolated glitches are dropped\n"
    "                 and reported: a point is one when it differs from the\n"
    "                 median of its +-3 neighbours by more than 10 scaled MADs\n"
    "                 (1.4826 MAD) and by more than half that median.\n"
    "\n"
    "Input. SERIES.csv ('-': standard input) has a header row. The time column is\n"
    "the first of event_time_utc, time, date, timestamp (ISO-8601 instants; a\n"
    "bare date is 08:00 UTC); the value column the first of reth_eth_rate,\n"
    "exchange_rate, rate, apr. Rows may come in any order; a row repeated with\n"
    "the same time and value is counted once.\n"
    "\n"
    "Options:\n"
    "  -c, --column NAME=HEADER  read NAME (time or value) from column HEADER\n"
    "  --kind KIND            exchange-rate or apr; default: apr if the value\n"
    "                         column's header contains 'apr', exchange-rate if it\n"
    "                         contains 'rate'\n"
    "  --from TIME, --to TIME the period (ISO-8601); default: the whole series.\n"
    "                         With --window: the range of times listed\n"
    "  --window DAYS          trailing-window yields: for each observation t with\n"
    "                         t - DAYS in the series, the yield over [t - DAYS, t]\n"
    "  --curve-out FILE       also write a carry curve (CSV tenor,rate; tenor in\n"
    "                         years, rate continuous) for --carry-curve: the\n"
    "                         trailing yields over 30, 90, 180 and 365 days ending\n"
    "                         at --to (default: the series' end), those that fit,\n"
    "                         as pillars at those tenors - the realised yield read\n"
    "                         as the forecast carry for the same horizon\n"
    "  --keep-glitches        do not drop glitches from an APR series\n"
    "  -f, --format FMT       text (default), csv or json\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Output. One period: text; csv from,to,carry,apr; json {\"from\", \"to\",\n"
    "\"carry\", \"apr\"} and, for an APR series, \"dropped\": [{\"time\", \"value\"}].\n"
    "--window: a table; csv time,carry,apr; json {\"window_days\", \"yields\":\n"
    "[{\"time\", \"carry\", \"apr\"}], \"dropped\"}. Dropped points are those in\n"
    "the period (or the windows) shown; in csv they go to standard error.\n"
    "\n"
    "Exit status: 0 success; 64 usage error; 65 data error (a bad cell, a period\n"
    "outside the series, too few points); 66 input cannot be read; 71 out of\n"
    "memory; 73 output file cannot be created; 74 write error.\n";

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

static const char *kind_name(lsd_yield_kind kind)
{
    return kind == LSD_YIELD_APR ? "apr" : "exchange-rate";
}

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
            kind_name(res->kind), res->time_name);
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
        if (json_array_append_new(arr, json_pack("{s:s, s:f}", "time", t, "value",
                                                 res->raw_values[res->dropped[i]])) != 0) {
            json_decref(arr);
            arr = NULL;
        }
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
        obj = NULL;
    } else if (res->windowed) {
        json_t *arr = json_array();
        for (size_t i = 0; arr != NULL && i < res->nyields; i++) {
            char t[LSD_CLI_ISO_SIZE];
            lsd_cli_iso(res->yields[i].to, t);
            if (json_array_append_new(arr, json_pack("{s:s, s:f, s:f}", "time", t, "carry",
                                                     res->yields[i].carry, "apr",
                                                     res->yields[i].apr)) != 0) {
                json_decref(arr);
                arr = NULL;
            }
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

/* Everything after the series is read: returns the exit code. */
static int compute_and_write(lsd_cli_series *in, int kind_given, lsd_yield_kind kind,
                             const char *from_text, const char *to_text, const char *window_text,
                             int keep_glitches, const char *curve_out, const char *format,
                             const char *output)
{
    lsd_diag diag = { "" };
    result res = { .kind = kind, .value_name = in->value_name, .time_name = in->time_name,
                   .curve_out = curve_out };
    if (!kind_given && !lsd_cli_staking_kind(res.value_name, &res.kind)) {
        lsd_cli_warn("yield: cannot tell the kind of series from column '%s': give --kind",
                     res.value_name);
        return EX_USAGE;
    }
    size_t n = in->n, removed = 0;
    if (lsd_yield_series_sort(in->times, in->values, &n, &removed, &diag) != LSD_OK) {
        lsd_cli_warn("yield: %s", diag.message);
        return EX_DATAERR;
    }
    if (removed > 0)
        lsd_cli_warn("yield: %zu repeated observation%s (same time and value) counted once",
                     removed, removed == 1 ? "" : "s");
    res.series = (lsd_yield_series){ res.kind, in->times, in->values, n };
    res.raw_times = in->times;
    res.raw_values = in->values;

    /* Scratch: the yields, n long; the series without its glitches. */
    lsd_yield *yields = malloc(n * sizeof *yields);
    lsd_cli_despiked kept = { .dropped = NULL };
    double tenors[N_CURVE_WINDOWS], rates[N_CURVE_WINDOWS], windows[N_CURVE_WINDOWS];
    int rc = EX_OK;
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
        if (!lsd_cli_parse_number(window_text, strlen(window_text), &res.window_days) ||
            !(res.window_days > 0.0)) {
            lsd_cli_warn("yield: --window: '%s' is not a number of days > 0", window_text);
            rc = EX_USAGE;
            goto done;
        }
        size_t count;
        if (lsd_yield_trailing(s, res.window_days * 86400.0, yields, &count, &diag) != LSD_OK) {
            lsd_cli_warn("yield: %s", diag.message);
            rc = EX_DATAERR;
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
            lsd_cli_warn("yield: %s", diag.message);
            rc = EX_DATAERR;
            goto done;
        }
        res.yields = yields;
        res.nyields = 1;
    }
    /* Report the glitches inside the span the output covers. */
    if (res.nyields > 0) {
        const double lo = res.yields[0].from, hi = res.yields[res.nyields - 1].to;
        size_t k = 0;
        for (size_t i = 0; i < res.ndropped; i++)
            if (in->times[kept.dropped[i]] >= lo && in->times[kept.dropped[i]] <= hi)
                kept.dropped[k++] = kept.dropped[i];
        res.ndropped = k;
    } else {
        res.ndropped = 0;
    }
    if (curve_out != NULL) {
        for (size_t j = 0; j < N_CURVE_WINDOWS; j++)
            windows[j] = curve_window_days[j] * 86400.0;
        if (lsd_yield_carry_pillars(s, to, windows, N_CURVE_WINDOWS, tenors, rates,
                                    &res.npillars, &diag) != LSD_OK) {
            lsd_cli_warn("yield: --curve-out: %s", diag.message);
            rc = EX_DATAERR;
            goto done;
        }
        res.tenors = tenors;
        res.rates = rates;
        rc = lsd_cli_write_curve(curve_out, tenors, rates, res.npillars);
        if (rc != EX_OK)
            goto done;
    }

    FILE *out = lsd_cli_open_output(output);
    if (out == NULL) {
        rc = EX_CANTCREAT;
        goto done;
    }
    if (strcmp(format, "json") == 0) {
        rc = write_json(out, &res);
    } else if (strcmp(format, "csv") == 0) {
        write_csv(out, &res);
        for (size_t i = 0; i < res.ndropped; i++) {
            char t[LSD_CLI_ISO_SIZE], x[LSD_CLI_DTOA_SIZE];
            lsd_cli_iso(res.raw_times[kept.dropped[i]], t);
            lsd_cli_dtoa(res.raw_values[kept.dropped[i]], x);
            lsd_cli_warn("yield: dropped glitch %s %s %s", t, res.value_name, x);
        }
    } else {
        write_text(out, &res);
    }
    const int close_rc = lsd_cli_close_output(out, output);
    if (rc == EX_OK)
        rc = close_rc;
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
    lsd_yield_kind kind = LSD_YIELD_EXCHANGE_RATE;
    int kind_given = 0, keep_glitches = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:f:o:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (!lsd_cli_series_column(&spec, optarg))
                return EX_USAGE;
            break;
        case OPT_KIND:
            kind_given = 1;
            if (strcmp(optarg, "apr") == 0) {
                kind = LSD_YIELD_APR;
            } else if (strcmp(optarg, "exchange-rate") == 0) {
                kind = LSD_YIELD_EXCHANGE_RATE;
            } else {
                lsd_cli_warn("yield: --kind must be exchange-rate or apr (got '%s')", optarg);
                return EX_USAGE;
            }
            break;
        case OPT_FROM: from = optarg; break;
        case OPT_TO: to = optarg; break;
        case OPT_WINDOW: window = optarg; break;
        case OPT_CURVE_OUT: curve_out = optarg; break;
        case OPT_KEEP_GLITCHES: keep_glitches = 1; break;
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'h': return lsd_cli_help((const char *const[]){ help_text, NULL });
        default: return EX_USAGE; /* getopt_long printed why */
        }
    }
    const char *path = lsd_cli_one_operand("yield", argc, argv, "SERIES.csv", "series");
    if (path == NULL || !lsd_cli_format_ok("yield", format))
        return EX_USAGE;
    lsd_cli_series series;
    int rc = lsd_cli_series_read(path, &spec, &series);
    if (rc == EX_OK)
        rc = compute_and_write(&series, kind_given, kind, from, to, window, keep_glitches,
                               curve_out, format, output);
    lsd_cli_series_free(&series);
    return rc;
}
