/*
 * estimate_cmd.c — `lsdopt estimate`: maximum-likelihood fit of Merton (1976)
 * jump-diffusion (or BSM) to the log returns of a price or ratio series with
 * irregular time steps, computed by pricing/fit/estimate.c.
 *
 * Reads a CSV series (series_cli.c: a header row; two columns used, found by
 * name or --column), keeps the rows in [--from, --to], collapses runs of one
 * repeated value to their first row (an oracle answer re-read on blocks where
 * it did not update), fits, and prints the estimates with standard errors,
 * correlations, log-likelihood and AIC, and the `lsdopt price` flags that
 * use them. csv numbers are shortest round-trip text (numtext.cc); json
 * numbers have 17 significant digits (jansson), NaN is null.
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
#include <string.h>
#include <sysexits.h>

static const char help_text[] =
    "Usage: lsdopt estimate SERIES.csv [--column time=HEADER] [--column value=HEADER]\n"
    "                       [--from TIME] [--to TIME] [--model merton|bsm]\n"
    "                       [--keep-repeats] [--format text|csv|json] [-o FILE]\n"
    "\n"
    "Maximum-likelihood fit of a jump-diffusion to the log returns of a price or\n"
    "ratio series (stETH/ETH) observed at irregular instants. Over dt years\n"
    "(ACT/365F) the log return is\n"
    "  r = (drift - vol^2/2) dt + vol sqrt(dt) Z + sum of N jumps,\n"
    "  N ~ Poisson(jump_intensity dt), each jump ~ Normal(jump_mean, jump_vol^2)\n"
    "(Merton 1976); bsm is jump_intensity = 0, fitted in closed form. merton is\n"
    "fitted by quasi-Newton (GSL BFGS) from 9 starting points; standard errors\n"
    "come from the observed information. vol >= 0.001 and jump_vol >= 0.0001 keep\n"
    "the likelihood bounded (it is not, at vol or jump_vol -> 0); an estimate at\n"
    "such a bound, or with no jumps at all, is flagged.\n"
    "\n"
    "Input. SERIES.csv ('-': standard input) has a header row. The time column is\n"
    "the first of approx_time_utc, event_time_utc, time, timestamp, date_utc,\n"
    "date (ISO-8601; a bare date is 08:00 UTC); the value column the first of\n"
    "steth_eth, price, close, value, rate (> 0). Rows must be in increasing time\n"
    "order; rows with an empty time or value are skipped (counted on standard\n"
    "error). A run of rows repeating one value counts once, at its first time\n"
    "(an oracle feed re-read without an update); --keep-repeats keeps them all.\n"
    "\n"
    "Options:\n"
    "  -c, --column NAME=HEADER  read NAME (time or value) from column HEADER\n"
    "  --from TIME, --to TIME the rows used (ISO-8601, inclusive); default: all\n"
    "  -m, --model MODEL      merton (default) or bsm\n"
    "  --keep-repeats         do not collapse runs of a repeated value\n"
    "  -f, --format FMT       text (default), csv or json\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Output. text: a table. csv: a header and one row: model, points, returns,\n"
    "from, to, years, then each of drift, vol, jump_intensity, jump_mean,\n"
    "jump_vol with its <name>_se, then loglik, aic, at_bound. json: {\"model\",\n"
    "\"series\": {\"time_column\", \"value_column\", \"from\", \"to\", \"points\",\n"
    "\"returns\", \"years\", \"repeats_collapsed\"}, \"estimate\": {name: value},\n"
    "\"std_error\": {name: value}, \"correlation\": [[...]] (in that order),\n"
    "\"loglik\", \"aic\", \"n_params\", \"at_bound\", \"starts\", \"converged\"}; a\n"
    "standard error that cannot be formed is null.\n"
    "\n"
    "Exit status: 0 success; 64 usage error; 65 data error (a bad cell, too few\n"
    "points, times not increasing, no convergence); 66 input cannot be read;\n"
    "71 out of memory; 73 output file cannot be created; 74 write error.\n";

enum { OPT_FROM = 256, OPT_TO, OPT_KEEP_REPEATS };

static const struct option long_options[] = {
    { "column", required_argument, NULL, 'c' },
    { "from", required_argument, NULL, OPT_FROM },
    { "to", required_argument, NULL, OPT_TO },
    { "model", required_argument, NULL, 'm' },
    { "keep-repeats", no_argument, NULL, OPT_KEEP_REPEATS },
    LSD_CLI_OUTPUT_OPTIONS,
    { NULL, 0, NULL, 0 }
};

/* Header names tried, in order, when --column does not name the column. */
static const char *const time_headers[] = { "approx_time_utc", "event_time_utc", "time",
                                            "timestamp",       "date_utc",       "date",
                                            NULL };
static const char *const value_headers[] = { "steth_eth", "price", "close", "value", "rate",
                                             NULL };

/* Parameter names, LSD_ESTIMATE_* order, as in DESIGN.md. */
static const char *const param_names[LSD_ESTIMATE_NPARAMS] = { "drift", "vol", "jump_intensity",
                                                          "jump_mean", "jump_vol" };

/* Keep the rows with from <= time <= to, in order. */
static void keep_period(double *times, double *values, size_t *n, double from, double to)
{
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (times[i] >= from && times[i] <= to) {
            times[k] = times[i];
            values[k++] = values[i];
        }
    *n = k;
}

/* Keep the first row of each run of equal values; returns how many went. */
static size_t collapse_repeats(double *times, double *values, size_t *n)
{
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (k == 0 || values[i] != values[k - 1]) {
            times[k] = times[i];
            values[k++] = values[i];
        }
    const size_t removed = *n - k;
    *n = k;
    return removed;
}

/* What the writers show. */
typedef struct result {
    const char *time_name, *value_name;
    const double *times;
    size_t points, collapsed;
    lsd_estimate est;
} result;

static const char *model_name(lsd_model model)
{
    return model == LSD_MODEL_BSM ? "bsm" : "merton";
}

static int write_csv(FILE *out, const void *report)
{
    const result *res = report;
    fputs("model,points,returns,from,to,years", out);
    for (int j = 0; j < LSD_ESTIMATE_NPARAMS; j++)
        fprintf(out, ",%s,%s_se", param_names[j], param_names[j]);
    fputs(",loglik,aic,at_bound\n", out);
    char a[LSD_CLI_ISO_SIZE], b[LSD_CLI_ISO_SIZE];
    lsd_cli_iso(res->times[0], a);
    lsd_cli_iso(res->times[res->points - 1], b);
    fprintf(out, "%s,%zu,%zu,%s,%s,", model_name(res->est.model), res->points, res->est.n_obs,
            a, b);
    lsd_cli_csv_number(out, res->est.years);
    for (int j = 0; j < LSD_ESTIMATE_NPARAMS; j++) {
        fputc(',', out);
        lsd_cli_csv_number(out, res->est.param[j]);
        fputc(',', out);
        lsd_cli_csv_number(out, res->est.se[j]);
    }
    fputc(',', out);
    lsd_cli_csv_number(out, res->est.loglik);
    fputc(',', out);
    lsd_cli_csv_number(out, res->est.aic);
    fprintf(out, ",%d\n", res->est.at_bound);
    return EX_OK;
}

static int write_text(FILE *out, const void *report)
{
    const result *res = report;
    const lsd_estimate *e = &res->est;
    static const char *const symbols[LSD_ESTIMATE_NPARAMS] = { "mu", "sigma", "lambda", "mu_J",
                                                          "delta" };
    static const char *const units[LSD_ESTIMATE_NPARAMS] = { "per year", "per sqrt(year)",
                                                        "jumps per year", "log jump",
                                                        "log jump" };
    char a[LSD_CLI_ISO_SIZE], b[LSD_CLI_ISO_SIZE];
    lsd_cli_iso(res->times[0], a);
    lsd_cli_iso(res->times[res->points - 1], b);
    fprintf(out, "series     column %s, times from column %s\n", res->value_name,
            res->time_name);
    fprintf(out, "           %zu points, %s to %s (%.4f years ACT/365F)\n", res->points, a, b,
            e->years);
    if (res->collapsed > 0)
        fprintf(out, "           %zu rows repeating the previous value not counted\n",
                res->collapsed);
    if (e->model == LSD_MODEL_BSM)
        fprintf(out, "model      bsm (no jumps), closed-form maximum likelihood\n");
    else
        fprintf(out, "model      merton jump-diffusion, maximum likelihood (%zu of %zu starts "
                     "converged)\n",
                e->n_converged, e->n_starts);
    fprintf(out, "\n%-16s %-7s %14s %14s  %s\n", "parameter", "", "estimate", "std error",
            "unit");
    const int nshow = e->model == LSD_MODEL_BSM ? 2 : LSD_ESTIMATE_NPARAMS;
    for (int j = 0; j < nshow; j++)
        fprintf(out, "%-16s %-7s %14.6g %14.3g  %s\n", param_names[j], symbols[j], e->param[j],
                e->se[j], units[j]);
    fprintf(out, "\ncorrelations\n%-16s", "");
    for (int k = 0; k < nshow; k++)
        fprintf(out, " %8s", symbols[k]);
    fputc('\n', out);
    for (int j = 0; j < nshow; j++) {
        fprintf(out, "%-16s", symbols[j]);
        for (int k = 0; k < nshow; k++)
            fprintf(out, " %8.3f", e->corr[j][k]);
        fputc('\n', out);
    }
    fprintf(out, "\nlog-likelihood   %.6f\nreturns          %zu\nAIC              %.6f\n",
            e->loglik, e->n_obs, e->aic);
    if (e->model == LSD_MODEL_MERTON) {
        if (e->at_bound)
            fprintf(out, "\nnote: the maximum is on a bound (%s); read the jump estimates "
                         "with care\n",
                    e->param[LSD_ESTIMATE_JUMP_INTENSITY] == 0.0 ? "no jumps: lambda = 0"
                                                            : "vol or jump_vol at its floor");
        if (!e->se_ok)
            fprintf(out, "note: the observed information is not positive definite; no "
                         "standard errors\n");
        fprintf(out, "\nprice with it: lsdopt price ... --vol %.6g --jump-intensity %.6g "
                     "--jump-mean %.6g --jump-vol %.6g\n",
                e->param[LSD_ESTIMATE_VOL], e->param[LSD_ESTIMATE_JUMP_INTENSITY],
                e->param[LSD_ESTIMATE_JUMP_MEAN], e->param[LSD_ESTIMATE_JUMP_VOL]);
    }
    return EX_OK;
}

static int write_json(FILE *out, const void *report)
{
    const result *res = report;
    const lsd_estimate *e = &res->est;
    json_t *est = json_object(), *se = json_object(), *corr = json_array();
    int failed = est == NULL || se == NULL || corr == NULL;
    for (int j = 0; !failed && j < LSD_ESTIMATE_NPARAMS; j++) {
        json_t *row = json_array();
        failed = row == NULL ||
                 json_object_set_new(est, param_names[j], lsd_cli_json_number(e->param[j])) ||
                 json_object_set_new(se, param_names[j], lsd_cli_json_number(e->se[j]));
        for (int k = 0; !failed && k < LSD_ESTIMATE_NPARAMS; k++)
            failed = json_array_append_new(row, lsd_cli_json_number(e->corr[j][k])) != 0;
        if (row != NULL && json_array_append_new(corr, row) != 0)
            failed = 1;
    }
    char a[LSD_CLI_ISO_SIZE], b[LSD_CLI_ISO_SIZE];
    lsd_cli_iso(res->times[0], a);
    lsd_cli_iso(res->times[res->points - 1], b);
    json_error_t err = { .text = "out of memory" };
    json_t *obj = failed ? NULL
                         : json_pack_ex(&err, 0,
                                        "{s:s, s:{s:s, s:s, s:s, s:s, s:I, s:I, s:f, s:I}, "
                                        "s:O, s:O, s:O, s:f, s:f, s:I, s:b, s:I, s:I}",
                                        "model", model_name(e->model), "series", "time_column",
                                        res->time_name, "value_column", res->value_name, "from",
                                        a, "to", b, "points", (json_int_t)res->points, "returns",
                                        (json_int_t)e->n_obs, "years", e->years,
                                        "repeats_collapsed", (json_int_t)res->collapsed,
                                        "estimate", est, "std_error", se, "correlation", corr,
                                        "loglik", e->loglik, "aic", e->aic, "n_params",
                                        (json_int_t)e->n_params, "at_bound", e->at_bound,
                                        "starts", (json_int_t)e->n_starts, "converged",
                                        (json_int_t)e->n_converged);
    json_decref(est);
    json_decref(se);
    json_decref(corr);
    if (obj == NULL) {
        lsd_cli_warn("estimate: json: %s", err.text);
        return EX_SOFTWARE;
    }
    return lsd_cli_write_json("estimate", out, obj);
}

/* Fit and write; returns the exit code. */
static int fit_and_write(lsd_cli_series *in, lsd_model model, int keep_repeats,
                         const char *format, const char *output)
{
    result res = { .time_name = in->time_name, .value_name = in->value_name,
                   .times = in->times };
    if (in->skipped > 0)
        lsd_cli_warn("estimate: %zu row%s without a time or value skipped", in->skipped,
                     in->skipped == 1 ? "" : "s");
    size_t n = in->n;
    if (!keep_repeats)
        res.collapsed = collapse_repeats(in->times, in->values, &n);
    res.points = n;
    lsd_diag diag = { "" };
    const lsd_status st = lsd_estimate_fit(in->times, in->values, n, model, NULL, &res.est, &diag);
    if (st != LSD_OK) {
        lsd_cli_warn("estimate: %s", diag.message);
        return lsd_cli_exit_code(st);
    }
    if (res.est.at_bound)
        lsd_cli_warn("estimate: the maximum is on a bound (%s)",
                     res.est.param[LSD_ESTIMATE_JUMP_INTENSITY] == 0.0
                         ? "no jumps beat bsm: jump_intensity = 0"
                         : "vol or jump_vol at its floor; see --help");
    static const lsd_cli_writers writers = { write_text, write_csv, write_json };
    return lsd_cli_write_report(output, format, &writers, &res);
}

int lsd_cli_estimate(int argc, char **argv)
{
    lsd_cli_series_spec spec = { .command = "estimate", .time_candidates = time_headers,
                                 .value_candidates = value_headers, .column_flag = 1,
                                 .skip_blank = 1 };
    double from_time = -INFINITY, to_time = INFINITY;
    const char *from = NULL, *to = NULL, *format = "text", *output = NULL;
    lsd_model model = LSD_MODEL_MERTON;
    int keep_repeats = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:m:f:o:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (!lsd_cli_series_column(&spec, optarg))
                return EX_USAGE;
            break;
        case 'm':
            if (strcmp(optarg, "merton") == 0) {
                model = LSD_MODEL_MERTON;
            } else if (strcmp(optarg, "bsm") == 0) {
                model = LSD_MODEL_BSM;
            } else {
                lsd_cli_warn("estimate: --model must be merton or bsm (got '%s')", optarg);
                return EX_USAGE;
            }
            break;
        case OPT_FROM: from = optarg; break;
        case OPT_TO: to = optarg; break;
        case OPT_KEEP_REPEATS: keep_repeats = 1; break;
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'h': return lsd_cli_help((const char *const[]){ help_text, NULL });
        default: return EX_USAGE; /* getopt_long printed why */
        }
    }
    const char *path = lsd_cli_one_operand("estimate", argc, argv, "SERIES.csv", "series");
    if (path == NULL || !lsd_cli_format_ok("estimate", format))
        return EX_USAGE;
    if (!lsd_cli_instant_flag("estimate", "from", from, &from_time) ||
        !lsd_cli_instant_flag("estimate", "to", to, &to_time))
        return EX_USAGE;
    lsd_cli_series series;
    int rc = lsd_cli_series_read(path, &spec, &series);
    if (rc == EX_OK)
        keep_period(series.times, series.values, &series.n, from_time, to_time);
    if (rc == EX_OK && series.n == 0) {
        lsd_cli_warn("estimate: no rows with a time and value%s",
                     from != NULL || to != NULL ? " in --from/--to" : "");
        rc = EX_DATAERR;
    }
    if (rc == EX_OK)
        rc = fit_and_write(&series, model, keep_repeats, format, output);
    lsd_cli_series_free(&series);
    return rc;
}
