/*
 * forwards_cmd.c — `lsdopt forwards`: per expiry of an option chain, the
 * forward from put–call parity, the venue's own forward, and the carry the
 * forward implies, q(T) = r(T) − ln(F/S)/T (pricing/fit/forwards.c);
 * optionally next to it the staking yield a token realised
 * (curves/staking_yield.c), and the carries written as a `tenor,rate` curve
 * for --carry-curve.
 *
 * The chain is read by lsd_quotes_load (canonical CSV or a Deribit export).
 * The staking series is a CSV with a header, read by series_cli.c with the
 * same column names, kind rule and glitch removal as `lsdopt yield`. csv numbers
 * are shortest round-trip text (numtext.cc), json numbers 17 significant
 * digits (jansson); a quantity that does not exist (no forward, no spot) is
 * an empty csv cell and json null.
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
#include <strings.h>
#include <sysexits.h>

static const char help_text[] =
    "Usage: lsdopt forwards QUOTES [--source canonical|deribit] [--valuation-time TIME]\n"
    "                       [--rate R | --rate-curve FILE] [--spot S]\n"
    "                       [--staking-series SERIES.csv] [--curve-out FILE]\n"
    "                       [--min-days D] [--format text|csv|json] [-o FILE]\n"
    "\n"
    "Per expiry of an option chain: the forward F from put-call parity, the venue's\n"
    "own forward, and the implied carry q(T) = r(T) - ln(F/S)/T (continuous, per\n"
    "year, ACT/365F): the market's staking/funding yield term structure.\n"
    "\n"
    "Parity forward. Each strike whose call and put both have a bid and an ask\n"
    "gives F_K from the mids: F_K = K + (C - P)/D(T) for premiums in quote currency,\n"
    "F_K = K/(1 - (c - p)) for inverse premiums (coin units, coin rate 0, as on\n"
    "Deribit). Strikes more than 3 scaled MADs (1.4826 MAD; at least 3 median\n"
    "half-widths of F_K allowed by the spreads) from the median F_K are dropped as\n"
    "stale; F is the mean of the rest weighted by 1/spread^2.\n"
    "\n"
    "Input. QUOTES is our canonical CSV (columns type, strike, expiry or\n"
    "expiry_date, bid, ask, optional mid, forward, premium_unit, valuation_time,\n"
    "spot, name; see data/README.md) or, with --source deribit, a Deribit book\n"
    "summary export (inverse premiums; valuation time: the earliest `timestamp`;\n"
    "spot: the median `index_price`).\n"
    "\n"
    "Options:\n"
    "  --source SRC           canonical (default) or deribit\n"
    "  --valuation-time TIME  ISO-8601; default: from the file\n"
    "  --rate R               flat quote-currency rate, continuous (default 0)\n"
    "  --rate-curve FILE      quote-currency rate curve (tenor,rate or date,rate)\n"
    "  --spot S               spot S for the carry; default: the file's (Deribit\n"
    "                         index_price). Without any: no carry\n"
    "  --staking-series FILE  also show the staking yield realised over the year\n"
    "                         up to the valuation time (or up to the series' end,\n"
    "                         if earlier; the window is printed): an exchange-rate\n"
    "                         or APR series as `lsdopt yield` reads (columns found\n"
    "                         by the same names; APR glitches dropped)\n"
    "  --curve-out FILE       write the implied carries as a carry curve (CSV\n"
    "                         tenor,rate) for --carry-curve: expiries of at least\n"
    "                         --min-days days with a forward and a spot\n"
    "  --min-days D           shortest expiry in the curve, days (default 7: over a\n"
    "                         day or two, index noise dominates ln(F/S)/T)\n"
    "  -f, --format FMT       text (default), csv or json\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Output. csv: expiry_date,expiry,forward,venue_forward,n_pairs,n_rejected,\n"
    "dispersion,rate,spot,carry (and staking_carry with --staking-series); json:\n"
    "{\"valuation_time\", \"spot\", \"expiries\": [...], \"staking_yield\"}.\n"
    "\n"
    "Exit status: 0 success; 64 usage error; 65 data error (a bad quote, no\n"
    "expiry for the curve); 66 input cannot be read; 71 out of memory; 73 output\n"
    "file cannot be created; 74 write error.\n";

enum {
    OPT_SOURCE = 256,
    OPT_VALUATION,
    OPT_RATE,
    OPT_RATE_CURVE,
    OPT_SPOT,
    OPT_STAKING,
    OPT_CURVE_OUT,
    OPT_MIN_DAYS
};

static const struct option long_options[] = {
    { "source", required_argument, NULL, OPT_SOURCE },
    { "valuation-time", required_argument, NULL, OPT_VALUATION },
    { "rate", required_argument, NULL, OPT_RATE },
    { "rate-curve", required_argument, NULL, OPT_RATE_CURVE },
    { "spot", required_argument, NULL, OPT_SPOT },
    { "staking-series", required_argument, NULL, OPT_STAKING },
    { "curve-out", required_argument, NULL, OPT_CURVE_OUT },
    { "min-days", required_argument, NULL, OPT_MIN_DAYS },
    LSD_CLI_OUTPUT_OPTIONS,
    { NULL, 0, NULL, 0 }
};

/* ---- the staking series ---------------------------------------------------- */

/* The staking yield realised over the year up to `end` (or up to the
 * series' end if earlier, over a shorter window if the series is shorter). */
static int staking_yield(const char *path, double end, lsd_yield *out, char kind_name[32])
{
    const lsd_cli_series_spec spec = { .command = "forwards",
                                       .time_candidates = lsd_cli_staking_time_headers,
                                       .value_candidates = lsd_cli_staking_value_headers };
    lsd_cli_series r;
    int rc = lsd_cli_series_read(path, &spec, &r);
    if (rc != EX_OK)
        return rc;
    lsd_cli_despiked kept = { .dropped = NULL };
    lsd_diag diag = { "" };
    lsd_yield_kind kind = LSD_YIELD_EXCHANGE_RATE;
    lsd_cli_staking_kind(r.value_name, &kind); /* the headers looked for all tell it */
    snprintf(kind_name, 32, "%s", kind == LSD_YIELD_APR ? "apr" : "exchange-rate");
    size_t n = r.n;
    if (lsd_yield_series_sort(r.times, r.values, &n, NULL, &diag) != LSD_OK) {
        lsd_cli_warn("forwards: %s: %s", path, diag.message);
        rc = EX_DATAERR;
    }
    if (rc == EX_OK && n < 2) {
        lsd_cli_warn("forwards: %s: fewer than two observations", path);
        rc = EX_DATAERR;
    }
    lsd_yield_series s = { kind, r.times, r.values, n };
    if (rc == EX_OK && kind == LSD_YIELD_APR) {
        rc = lsd_cli_series_despike("forwards", path, &s, &kept);
        s = kept.series;
    }
    if (rc == EX_OK) {
        const double to = fmin(end, s.times[s.n - 1]);
        const double from = fmax(to - LSD_SECONDS_PER_YEAR, s.times[0]);
        if (lsd_yield_period(&s, from, to, out, &diag) != LSD_OK) {
            lsd_cli_warn("forwards: --staking-series: %s", diag.message);
            rc = EX_DATAERR;
        }
    }
    lsd_cli_despiked_free(&kept);
    lsd_cli_series_free(&r);
    return rc;
}

/* ---- output ------------------------------------------------------------------ */

typedef struct chain_report {
    const char *path, *source, *rate_text;
    const lsd_chain *chain;
    const lsd_forward *fw;
    size_t n;
    const lsd_yield *staking; /* NULL without --staking-series */
    const char *staking_path, *staking_kind;
} chain_report;

static int write_csv(FILE *out, const void *report)
{
    const chain_report *rep = report;
    fputs("expiry_date,expiry,forward,venue_forward,n_pairs,n_rejected,dispersion,rate,spot,"
          "carry",
          out);
    fputs(rep->staking != NULL ? ",staking_carry\n" : "\n", out);
    for (size_t i = 0; i < rep->n; i++) {
        const lsd_forward *f = &rep->fw[i];
        char date[LSD_CLI_ISO_SIZE];
        lsd_cli_iso(f->expiry_time, date);
        fprintf(out, "%s,", date);
        lsd_cli_csv_cell(out, f->expiry);
        fputc(',', out);
        lsd_cli_csv_cell(out, f->forward);
        fputc(',', out);
        lsd_cli_csv_cell(out, f->venue_forward);
        fprintf(out, ",%zu,%zu,", f->n_pairs, f->n_rejected);
        lsd_cli_csv_cell(out, f->dispersion);
        fputc(',', out);
        lsd_cli_csv_cell(out, f->rate);
        fputc(',', out);
        lsd_cli_csv_cell(out, f->spot);
        fputc(',', out);
        lsd_cli_csv_cell(out, f->carry);
        if (rep->staking != NULL) {
            fputc(',', out);
            lsd_cli_csv_cell(out, rep->staking->carry);
        }
        fputc('\n', out);
    }
    return EX_OK;
}

static int write_text(FILE *out, const void *report)
{
    const chain_report *rep = report;
    char when[LSD_CLI_ISO_SIZE], a[LSD_CLI_ISO_SIZE], b[LSD_CLI_ISO_SIZE];
    lsd_cli_iso(rep->chain->valuation_time, when);
    fprintf(out, "chain     %s (%s), %zu quotes, valuation time %s\n", rep->path, rep->source,
            rep->chain->n, when[0] != '\0' ? when : "(none)");
    fprintf(out, "spot      %.10g\nrate      %s\n\n", rep->fw[0].spot, rep->rate_text);
    fprintf(out, "%-21s %9s %12s %12s %9s %5s %4s %9s %9s %9s\n", "expiry", "T (years)",
            "forward", "venue fwd", "F/venue-1", "pairs", "rej", "disp", "rate", "carry");
    for (size_t i = 0; i < rep->n; i++) {
        const lsd_forward *f = &rep->fw[i];
        lsd_cli_iso(f->expiry_time, a);
        fprintf(out, "%-21s %9.6f %12.6g %12.6g %9.2e %5zu %4zu %9.3g %9.5f %9.5f\n",
                a[0] != '\0' ? a : "-", f->expiry, f->forward, f->venue_forward,
                f->forward / f->venue_forward - 1.0, f->n_pairs, f->n_rejected, f->dispersion,
                f->rate, f->carry);
    }
    fputs("\nforward: put-call parity on two-sided strikes; venue fwd: the quotes' own\n"
          "forward; disp: 1.4826 MAD of the per-strike forwards; carry: implied\n"
          "q = rate - ln(forward/spot)/T, continuous per year\n",
          out);
    if (rep->staking != NULL) {
        lsd_cli_iso(rep->staking->from, a);
        lsd_cli_iso(rep->staking->to, b);
        fprintf(out,
                "\nrealised staking yield (%s series %s), %s to %s (%.3g years):\n"
                "          carry %.5f continuous per year (apr %.4f%% annual effective)\n",
                rep->staking_kind, rep->staking_path, a, b,
                (rep->staking->to - rep->staking->from) / LSD_SECONDS_PER_YEAR,
                rep->staking->carry, 100.0 * rep->staking->apr);
    }
    return EX_OK;
}

static int write_json(FILE *out, const void *report)
{
    const chain_report *rep = report;
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < rep->n; i++) {
        const lsd_forward *f = &rep->fw[i];
        char date[LSD_CLI_ISO_SIZE];
        lsd_cli_iso(f->expiry_time, date);
        json_t *row = json_pack(
            "{s:s?, s:f, s:o, s:o, s:I, s:I, s:o, s:f, s:o, s:o}", "expiry",
            date[0] != '\0' ? date : NULL, "T", f->expiry, "forward",
            lsd_cli_json_number(f->forward), "venue_forward", lsd_cli_json_number(f->venue_forward),
            "n_pairs", (json_int_t)f->n_pairs, "n_rejected", (json_int_t)f->n_rejected,
            "dispersion", lsd_cli_json_number(f->dispersion), "rate", f->rate, "carry",
            lsd_cli_json_number(f->carry), "spot", lsd_cli_json_number(f->spot));
        if (json_array_append_new(arr, row) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    json_t *staking = NULL;
    if (rep->staking != NULL) {
        char a[LSD_CLI_ISO_SIZE], b[LSD_CLI_ISO_SIZE];
        lsd_cli_iso(rep->staking->from, a);
        lsd_cli_iso(rep->staking->to, b);
        staking = json_pack("{s:s, s:s, s:s, s:s, s:f, s:f}", "series", rep->staking_path,
                            "kind", rep->staking_kind, "from", a, "to", b, "carry",
                            rep->staking->carry, "apr", rep->staking->apr);
    }
    char when[LSD_CLI_ISO_SIZE];
    lsd_cli_iso(rep->chain->valuation_time, when);
    json_error_t err = { .text = "out of memory" };
    json_t *obj = arr == NULL ? NULL
                              : json_pack_ex(&err, 0, "{s:s?, s:o, s:o, s:o*}", "valuation_time",
                                             when[0] != '\0' ? when : NULL, "spot",
                                             lsd_cli_json_number(rep->chain->n > 0 ? rep->fw[0].spot
                                                                           : NAN),
                                             "expiries", arr, "staking_yield", staking);
    if (obj == NULL) {
        lsd_cli_warn("forwards: json: %s", err.text);
        return EX_SOFTWARE;
    }
    return lsd_cli_write_json("forwards", out, obj);
}

/* Write the carry curve; EX_OK or the exit code. */
static int write_curve(const char *path, const lsd_forward *fw, size_t n, double min_days)
{
    double *tenors = malloc(2 * (n + 1) * sizeof *tenors);
    if (tenors == NULL) {
        lsd_cli_warn("forwards: out of memory");
        return EX_OSERR;
    }
    double *rates = tenors + n + 1;
    size_t np = 0;
    lsd_diag diag = { "" };
    int rc = EX_OK;
    if (lsd_forwards_carry_pillars(fw, n, min_days / 365.0, tenors, rates, &np, &diag) != LSD_OK) {
        lsd_cli_warn("forwards: --curve-out: %s", diag.message);
        rc = EX_DATAERR;
    } else if (np == 0) {
        lsd_cli_warn("forwards: --curve-out: no expiry of at least %g days has a forward and a "
                     "spot",
                     min_days);
        rc = EX_DATAERR;
    } else {
        rc = lsd_cli_write_curve(path, tenors, rates, np);
    }
    free(tenors);
    return rc;
}

/* ---- the command ------------------------------------------------------------- */

typedef struct options {
    const char *quotes, *valuation, *rate, *rate_curve, *spot, *staking, *curve_out, *format,
        *output;
    lsd_quote_source source;
    double min_days;
} options;

/* Parse the command line into *o; EX_OK, or the exit code to return now
 * (-1 after --help). */
static int parse_args(int argc, char **argv, options *o)
{
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:h", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_SOURCE:
            if (!lsd_cli_source_flag("forwards", optarg, &o->source))
                return EX_USAGE;
            break;
        case OPT_VALUATION: o->valuation = optarg; break;
        case OPT_RATE: o->rate = optarg; break;
        case OPT_RATE_CURVE: o->rate_curve = optarg; break;
        case OPT_SPOT: o->spot = optarg; break;
        case OPT_STAKING: o->staking = optarg; break;
        case OPT_CURVE_OUT: o->curve_out = optarg; break;
        case OPT_MIN_DAYS:
            if (!lsd_cli_parse_number(optarg, strlen(optarg), &o->min_days) ||
                !(o->min_days >= 0.0)) {
                lsd_cli_warn("forwards: --min-days: '%s' is not a number of days >= 0", optarg);
                return EX_USAGE;
            }
            break;
        case 'f': o->format = optarg; break;
        case 'o': o->output = optarg; break;
        case 'h':
            return lsd_cli_help((const char *const[]){ help_text, NULL }) == EX_OK ? -1
                                                                                  : EX_IOERR;
        default: return EX_USAGE; /* getopt_long printed why */
        }
    }
    o->quotes = lsd_cli_one_operand("forwards", argc, argv, "QUOTES", "quotes");
    if (o->quotes == NULL)
        return EX_USAGE;
    if (o->rate != NULL && o->rate_curve != NULL) {
        lsd_cli_warn("forwards: give --rate or --rate-curve, not both");
        return EX_USAGE;
    }
    if (!lsd_cli_format_ok("forwards", o->format))
        return EX_USAGE;
    return EX_OK;
}

/* The numbers given on the command line; EX_OK or EX_USAGE. */
static int parse_numbers(const options *o, double *valuation, double *rate, double *spot)
{
    lsd_diag diag = { "" };
    if (o->valuation != NULL && lsd_time_parse(o->valuation, valuation, &diag) != LSD_OK) {
        lsd_cli_warn("forwards: --valuation-time: %s", diag.message);
        return EX_USAGE;
    }
    if (o->rate != NULL && !lsd_cli_parse_number(o->rate, strlen(o->rate), rate)) {
        lsd_cli_warn("forwards: --rate: '%s' is not a number", o->rate);
        return EX_USAGE;
    }
    if (o->spot != NULL &&
        (!lsd_cli_parse_number(o->spot, strlen(o->spot), spot) || !(*spot > 0.0))) {
        lsd_cli_warn("forwards: --spot: '%s' is not a number > 0", o->spot);
        return EX_USAGE;
    }
    return EX_OK;
}

static const lsd_cli_writers writers = { write_text, write_csv, write_json };

int lsd_cli_forwards(int argc, char **argv)
{
    options o = { .format = "text", .source = LSD_SOURCE_CANONICAL, .min_days = 7.0 };
    int rc = parse_args(argc, argv, &o);
    if (rc != EX_OK)
        return rc < 0 ? EX_OK : rc;
    double valuation = NAN, rate = 0.0, spot = NAN;
    rc = parse_numbers(&o, &valuation, &rate, &spot);
    if (rc != EX_OK)
        return rc;

    lsd_diag diag = { "" };
    lsd_chain chain;
    lsd_status st = lsd_quotes_load(o.quotes, o.source, valuation, &chain, &diag);
    if (st != LSD_OK) {
        lsd_cli_warn("forwards: %s", diag.message);
        return lsd_cli_exit_code(st);
    }
    lsd_curve *curve = NULL;
    char rate_text[160];
    if (o.rate_curve != NULL) {
        st = lsd_curve_load(o.rate_curve, chain.valuation_time, &curve, &diag);
        snprintf(rate_text, sizeof rate_text, "curve %s (zero rate at each expiry)",
                 o.rate_curve);
    } else {
        st = lsd_curve_flat(rate, &curve, &diag);
        snprintf(rate_text, sizeof rate_text, "flat %.10g%s", rate,
                 o.rate == NULL ? " (default; give --rate or --rate-curve)" : "");
    }
    lsd_forward *fw = st == LSD_OK ? malloc(chain.n * sizeof *fw) : NULL;
    size_t n = 0;
    if (st != LSD_OK) {
        lsd_cli_warn("forwards: %s", diag.message);
        rc = lsd_cli_exit_code(st);
    } else if (fw == NULL) {
        lsd_cli_warn("forwards: out of memory");
        rc = EX_OSERR;
    } else if ((st = lsd_forwards_chain(&chain, curve, spot, NULL, fw, &n, &diag)) != LSD_OK) {
        lsd_cli_warn("forwards: %s", diag.message);
        rc = lsd_cli_exit_code(st);
    }

    lsd_yield staking;
    char staking_kind[32] = "";
    if (rc == EX_OK && o.staking != NULL) {
        if (!isfinite(chain.valuation_time)) {
            lsd_cli_warn("forwards: --staking-series needs a valuation time "
                         "(--valuation-time or a valuation_time column)");
            rc = EX_USAGE;
        } else {
            rc = staking_yield(o.staking, chain.valuation_time, &staking, staking_kind);
        }
    }
    if (rc == EX_OK && o.curve_out != NULL)
        rc = write_curve(o.curve_out, fw, n, o.min_days);
    if (rc == EX_OK) {
        const chain_report rep = { .path = o.quotes,
                             .source = o.source == LSD_SOURCE_DERIBIT ? "deribit" : "canonical",
                             .rate_text = rate_text, .chain = &chain, .fw = fw, .n = n,
                             .staking = o.staking != NULL ? &staking : NULL,
                             .staking_path = o.staking, .staking_kind = staking_kind };
        rc = lsd_cli_write_report(o.output, o.format, &writers, &rep);
    }
    free(fw);
    lsd_curve_free(curve);
    lsd_chain_free(&chain);
    return rc;
}
