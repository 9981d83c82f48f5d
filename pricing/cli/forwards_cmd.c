/*
 * forwards_cmd.c — `lsdopt forwards`: per expiry of an option chain, the
 * forward from put–call parity, the venue's own forward, and the carry the
 * forward implies, q(T) = r(T) − ln(F/S)/T (pricing/fit/forwards.c);
 * optionally next to it the staking yield a token realised
 * (curves/yield.c), and the carries written as a `tenor,rate` curve
 * for --carry-curve.
 *
 * The chain is read by lsd_quotes_load (canonical CSV or a Deribit export).
 * The staking series is a CSV with a header, read by series_cli.c with the
 * same column names, kind rule and glitch removal as `lsdopt yield`. csv numbers
 * are shortest round-trip text (numtext.cc), json numbers 17 significant
 * digits (jansson); a quantity that does not exist (no forward, no spot) is
 * an empty csv cell and json null.
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
static int staking_yield(const char *path, double end, lsd_yield *out, const char **kind)
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
    lsd_yield_series s = { .n = 0 };
    /* The headers looked for all tell the kind. */
    rc = lsd_cli_staking_series("forwards", path, &r, 0, LSD_YIELD_APR, &s, NULL);
    if (rc == EX_OK && s.n < 2) {
        lsd_cli_warn("forwards: %s: fewer than two observations", path);
        rc = EX_DATAERR;
    }
    if (rc == EX_OK && s.kind == LSD_YIELD_APR) {
        rc = lsd_cli_series_despike("forwards", path, &s, &kept);
        s = kept.series;
    }
    if (rc == EX_OK) {
        *kind = lsd_cli_staking_kind_name(s.kind);
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

/* The flags as given and what the command computed, for the writers. */
typedef struct run {
    const char *quotes, *valuation, *rate, *rate_curve, *spot, *staking, *curve_out, *format,
        *output;             /* the flags; NULL when absent */
    lsd_quotes_source source; /* --source */
    double min_days;         /* --min-days */
    lsd_chain chain;         /* the quotes */
    char rate_text[160];     /* the rate as the text report names it */
    lsd_forward *fw;         /* per expiry */
    size_t n;
    lsd_yield staking_yield; /* with --staking-series */
    const char *staking_kind;
} run;

static int write_csv(FILE *out, const void *report)
{
    const run *rep = report;
    fputs("expiry_date,expiry,forward,venue_forward,n_pairs,n_rejected,dispersion,rate,spot,"
          "carry",
          out);
    fputs(rep->staking != NULL ? ",staking_carry\n" : "\n", out);
    for (size_t i = 0; i < rep->n; i++) {
        const lsd_forward *f = &rep->fw[i];
        char date[LSD_CLI_ISO_SIZE];
        lsd_cli_iso(f->expiry_time, date);
        fputs(date, out);
        lsd_cli_csv_next(out, f->expiry);
        lsd_cli_csv_next(out, f->forward);
        lsd_cli_csv_next(out, f->venue_forward);
        fprintf(out, ",%zu,%zu", f->n_pairs, f->n_rejected);
        lsd_cli_csv_next(out, f->dispersion);
        lsd_cli_csv_next(out, f->rate);
        lsd_cli_csv_next(out, f->spot);
        lsd_cli_csv_next(out, f->carry);
        if (rep->staking != NULL)
            lsd_cli_csv_next(out, rep->staking_yield.carry);
        fputc('\n', out);
    }
    return EX_OK;
}

static int write_text(FILE *out, const void *report)
{
    const run *rep = report;
    char when[LSD_CLI_ISO_SIZE], a[LSD_CLI_ISO_SIZE], b[LSD_CLI_ISO_SIZE];
    lsd_cli_iso(rep->chain.valuation_time, when);
    fprintf(out, "chain     %s (%s), %zu quotes, valuation time %s\n", rep->quotes,
            rep->source == LSD_QUOTES_SOURCE_DERIBIT ? "deribit" : "canonical",
            rep->chain.n, when[0] != '\0' ? when : "(none)");
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
        lsd_cli_iso(rep->staking_yield.from, a);
        lsd_cli_iso(rep->staking_yield.to, b);
        fprintf(out,
                "\nrealised staking yield (%s series %s), %s to %s (%.3g years):\n"
                "          carry %.5f continuous per year (apr %.4f%% annual effective)\n",
                rep->staking_kind, rep->staking, a, b,
                (rep->staking_yield.to - rep->staking_yield.from) / LSD_SECONDS_PER_YEAR,
                rep->staking_yield.carry, 100.0 * rep->staking_yield.apr);
    }
    return EX_OK;
}

static int write_json(FILE *out, const void *report)
{
    const run *rep = report;
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
        lsd_cli_json_append(&arr, row);
    }
    json_t *staking = NULL;
    if (rep->staking != NULL) {
        char a[LSD_CLI_ISO_SIZE], b[LSD_CLI_ISO_SIZE];
        lsd_cli_iso(rep->staking_yield.from, a);
        lsd_cli_iso(rep->staking_yield.to, b);
        staking = json_pack("{s:s, s:s, s:s, s:s, s:f, s:f}", "series", rep->staking,
                            "kind", rep->staking_kind, "from", a, "to", b, "carry",
                            rep->staking_yield.carry, "apr", rep->staking_yield.apr);
    }
    char when[LSD_CLI_ISO_SIZE];
    lsd_cli_iso(rep->chain.valuation_time, when);
    json_error_t err = { .text = "out of memory" };
    json_t *obj = arr == NULL ? NULL
                              : json_pack_ex(&err, 0, "{s:s?, s:o, s:o, s:o*}", "valuation_time",
                                             when[0] != '\0' ? when : NULL, "spot",
                                             lsd_cli_json_number(rep->chain.n > 0 ? rep->fw[0].spot
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
    if (lsd_forwards_carry_pillars(fw, n, min_days / LSD_DAYS_PER_YEAR, tenors, rates, &np, &diag) != LSD_OK) {
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

/* Parse the command line into *o; EX_OK, or the exit code to return now
 * (-1 after --help). */
static int parse_args(int argc, char **argv, run *o)
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
            if (!lsd_cli_sign_flag("forwards", "min-days", optarg, " of days",
                                   LSD_CLI_NONNEGATIVE, &o->min_days))
                return EX_USAGE;
            break;
        case 'f': o->format = optarg; break;
        case 'o': o->output = optarg; break;
        case 'h':
            return lsd_cli_help(lsd_cli_forwards_help) == EX_OK ? -1 : EX_IOERR;
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

static const lsd_cli_writers writers = { write_text, write_csv, write_json };

int lsd_cli_forwards(int argc, char **argv)
{
    run o = { .format = "text", .source = LSD_QUOTES_SOURCE_CANONICAL, .min_days = 7.0 };
    int rc = parse_args(argc, argv, &o);
    if (rc != EX_OK)
        return rc < 0 ? EX_OK : rc;
    double valuation = NAN, rate = 0.0, spot = NAN;
    if (!lsd_cli_instant_flag("forwards", "valuation-time", o.valuation, &valuation) ||
        !lsd_cli_sign_flag("forwards", "rate", o.rate, "", LSD_CLI_ANY_SIGN, &rate) ||
        !lsd_cli_sign_flag("forwards", "spot", o.spot, "", LSD_CLI_POSITIVE, &spot))
        return EX_USAGE;

    lsd_diag diag = { "" };
    lsd_status st = lsd_quotes_load(o.quotes, o.source, valuation, &o.chain, &diag);
    if (st != LSD_OK) {
        lsd_cli_warn("forwards: %s", diag.message);
        return lsd_cli_exit_code(st);
    }
    lsd_curve *curve = NULL;
    if (o.rate_curve != NULL) {
        st = lsd_curve_file_load(o.rate_curve, o.chain.valuation_time, &curve, &diag);
        snprintf(o.rate_text, sizeof o.rate_text, "curve %s (zero rate at each expiry)",
                 o.rate_curve);
    } else {
        st = lsd_curve_flat(rate, &curve, &diag);
        snprintf(o.rate_text, sizeof o.rate_text, "flat %.10g%s", rate,
                 o.rate == NULL ? " (default; give --rate or --rate-curve)" : "");
    }
    o.fw = st == LSD_OK ? malloc(o.chain.n * sizeof *o.fw) : NULL;
    if (st != LSD_OK) {
        lsd_cli_warn("forwards: %s", diag.message);
        rc = lsd_cli_exit_code(st);
    } else if (o.fw == NULL) {
        lsd_cli_warn("forwards: out of memory");
        rc = EX_OSERR;
    } else if ((st = lsd_forwards_chain(&o.chain, curve, spot, NULL, o.fw, &o.n, &diag)) !=
               LSD_OK) {
        lsd_cli_warn("forwards: %s", diag.message);
        rc = lsd_cli_exit_code(st);
    }
    if (rc == EX_OK && o.staking != NULL) {
        if (!isfinite(o.chain.valuation_time)) {
            lsd_cli_warn("forwards: --staking-series needs a valuation time "
                         "(--valuation-time or a valuation_time column)");
            rc = EX_USAGE;
        } else {
            rc = staking_yield(o.staking, o.chain.valuation_time, &o.staking_yield,
                               &o.staking_kind);
        }
    }
    if (rc == EX_OK && o.curve_out != NULL)
        rc = write_curve(o.curve_out, o.fw, o.n, o.min_days);
    if (rc == EX_OK)
        rc = lsd_cli_write_report(o.output, o.format, &writers, &o);
    free(o.fw);
    lsd_curve_free(curve);
    lsd_chain_free(&o.chain);
    return rc;
}
