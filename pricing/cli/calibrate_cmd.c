/*
 * calibrate_cmd.c — `lsdopt calibrate`: fit BSM or Merton (1976) to an option
 * chain (lsd_calibrate_chain, pricing/fit/calibrate.c) and write the
 * parameters and fit metrics per expiry as json, and optionally every fitted
 * quote as csv.
 *
 * The chain is read by lsd_quotes_load (pricing/io/quotes.c). Each expiry is
 * priced on its put–call parity forward (lsd_forwards_chain,
 * pricing/fit/forwards.c) when the
 * chain has two-sided pairs there, else on the venue's forward
 * (--forward venue: always the venue's). json numbers are written by
 * jansson with 17 significant digits and csv numbers as shortest
 * round-trip text (numtext.cc), so both read back exactly; a number that
 * does not exist (an unidentified standard error) is json null, csv "nan".
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"
#include "common.h"

#include <lsdopt/lsdopt.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static const char help_text[] =
    "Usage: lsdopt calibrate QUOTES --model bsm|merton [--source canonical|deribit]\n"
    "                        [--per-expiry | --joint] [--weights vega|spread|none]\n"
    "                        [--rate r] [--forward parity|venue]\n"
    "                        [--valuation-time TIME] [-o PARAMS.json]\n"
    "                        [--residuals RESIDUALS.csv]\n"
    "\n"
    "Fit a model to the out-of-the-money two-sided quotes of an option chain\n"
    "(calls K >= F, puts K < F, bid > 0, ask > bid) by Levenberg-Marquardt least\n"
    "squares (GSL), and report per expiry the parameters, their standard errors\n"
    "and correlations, the RMS implied-vol error and the share of model prices\n"
    "inside the bid-ask spread.\n"
    "\n"
    "Models:\n"
    "  bsm      one vol per expiry (Black-76 on the expiry's forward)\n"
    "  merton   Merton (1976) jumps: vol, jump_intensity, jump_mean, jump_vol\n"
    "           per expiry (--per-expiry, default), or one vol per expiry and\n"
    "           one jump process shared by all expiries (--joint)\n"
    "\n"
    "Options:\n"
    "  -m, --model MODEL      bsm or merton (required)\n"
    "  -s, --source SOURCE    canonical (default: our quotes CSV) or deribit\n"
    "                         (a Deribit book-summary export; inverse premiums in\n"
    "                         the coin are priced as premium x forward)\n"
    "  --per-expiry           fit each expiry on its own (default)\n"
    "  --joint                shared jump parameters across expiries (merton)\n"
    "  -w, --weights W        residual of a quote = (model - mid) / w with w the\n"
    "                         Black vega at the market implied vol (vega, default:\n"
    "                         implied-vol errors to first order), half the\n"
    "                         bid-ask spread (spread) or 1 (none: price errors)\n"
    "  --rate r               quote-currency rate discounting premiums, continuous\n"
    "                         per year (default 0; Deribit: 0)\n"
    "  --forward F            parity (default): each expiry's put-call parity\n"
    "                         forward where it has two-sided pairs, else the\n"
    "                         venue's; venue: the quotes' forward column\n"
    "  --valuation-time TIME  valuation instant (ISO-8601) for a canonical file\n"
    "                         without a valuation_time column\n"
    "  -o, --output FILE      write the json to FILE instead of standard output\n"
    "  --residuals FILE       write every fitted quote as csv to FILE\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Output (json): {\"model\", \"fit\" (per-expiry|joint), \"weights\",\n"
    "\"expiries\": [{\"expiry\" (ISO-8601), \"T\" (years), \"forward\", \"vol\",\n"
    "\"jump_intensity\", \"jump_mean\", \"jump_vol\", \"iv_rmse\" (vol units),\n"
    "\"inside_spread\" (share), \"n_quotes\", \"std_errors\": {\"vol\", ...},\n"
    "\"correlation\" (merton: 4x4 in the order vol, jump_intensity, jump_mean,\n"
    "jump_vol)}]}. Residuals csv: expiry,T,type,strike,bid,ask,mid,model_price,\n"
    "market_implied_vol,model_implied_vol, prices in quote currency.\n"
    "\n"
    "Exit status: 0 success; 64 usage error; 65 data error (unreadable quotes,\n"
    "too few quotes, no convergence); 66 quotes cannot be read; 70 internal\n"
    "error; 71 out of memory; 73 output cannot be created; 74 write error.\n";

enum {
    OPT_PER_EXPIRY = 256,
    OPT_JOINT,
    OPT_RATE,
    OPT_FORWARD,
    OPT_VALUATION_TIME,
    OPT_RESIDUALS
};

static const struct option long_options[] = {
    { "model", required_argument, NULL, 'm' },
    { "source", required_argument, NULL, 's' },
    { "per-expiry", no_argument, NULL, OPT_PER_EXPIRY },
    { "joint", no_argument, NULL, OPT_JOINT },
    { "weights", required_argument, NULL, 'w' },
    { "rate", required_argument, NULL, OPT_RATE },
    { "forward", required_argument, NULL, OPT_FORWARD },
    { "valuation-time", required_argument, NULL, OPT_VALUATION_TIME },
    { "output", required_argument, NULL, 'o' },
    { "residuals", required_argument, NULL, OPT_RESIDUALS },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 }
};

static const char *const param_names[LSD_CALIBRATE_NPARAMS] = { "vol", "jump_intensity",
                                                           "jump_mean", "jump_vol" };

/* The json of one calibrated expiry; NULL when out of memory. */
static json_t *expiry_json(const lsd_calibrate_expiry *e, int merton)
{
    char t[LSD_CLI_ISO_SIZE];
    lsd_cli_iso(e->expiry_time, t);
    json_t *se = json_object();
    json_t *corr = merton ? json_array() : NULL;
    const size_t np = merton ? LSD_CALIBRATE_NPARAMS : 1;
    int bad = se == NULL || (merton && corr == NULL);
    for (size_t k = 0; !bad && k < np; k++) {
        bad |= json_object_set_new(se, param_names[k], lsd_cli_json_number(e->std_error[k])) != 0;
        if (merton) {
            json_t *row = json_array();
            for (size_t l = 0; row != NULL && l < np; l++)
                if (json_array_append_new(row, lsd_cli_json_number(e->correlation[k][l])) != 0) {
                    json_decref(row);
                    row = NULL;
                }
            bad |= row == NULL || json_array_append_new(corr, row) != 0;
        }
    }
    if (bad) {
        json_decref(se);
        json_decref(corr);
        return NULL;
    }
    return json_pack("{s:s, s:f, s:f, s:f, s:f, s:f, s:f, s:o, s:f, s:I, s:o, s:o*}", "expiry", t,
                     "T", e->expiry, "forward", e->forward, "vol", e->vol, "jump_intensity",
                     e->jump_intensity, "jump_mean", e->jump_mean, "jump_vol", e->jump_vol,
                     "iv_rmse", lsd_cli_json_number(e->iv_rmse), "inside_spread", e->inside_spread,
                     "n_quotes", (json_int_t)e->n_quotes, "std_errors", se, "correlation", corr);
}

static int write_json(FILE *out, const lsd_calibrate_result *res, const char *weights)
{
    const int merton = res->model == LSD_MODEL_MERTON;
    json_t *arr = json_array();
    for (size_t g = 0; arr != NULL && g < res->n_expiries; g++) {
        json_t *e = expiry_json(&res->expiries[g], merton);
        if (e == NULL || json_array_append_new(arr, e) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    json_t *obj = arr == NULL ? NULL
                              : json_pack("{s:s, s:s, s:s, s:o}", "model",
                                          merton ? "merton" : "bsm", "fit",
                                          res->joint ? "joint" : "per-expiry", "weights",
                                          weights, "expiries", arr);
    if (obj == NULL) {
        lsd_cli_warn("calibrate: json: out of memory");
        return EX_OSERR;
    }
    return lsd_cli_write_json("calibrate", out, obj);
}

/* A csv number ("nan" for one that does not exist) and the separator after it. */
static void csv_cell(FILE *out, double x, char sep)
{
    lsd_cli_csv_number(out, x);
    fputc(sep, out);
}

static int write_residuals(const char *path, const lsd_calibrate_result *res)
{
    FILE *out = lsd_cli_open_output(path);
    if (out == NULL)
        return EX_CANTCREAT;
    fputs("expiry,T,type,strike,bid,ask,mid,model_price,market_implied_vol,"
          "model_implied_vol\n",
          out);
    for (size_t i = 0; i < res->n_quotes; i++) {
        const lsd_calibrate_quote *q = &res->quotes[i];
        const lsd_calibrate_expiry *e = &res->expiries[q->expiry_index];
        char t[LSD_CLI_ISO_SIZE];
        lsd_cli_iso(e->expiry_time, t);
        fprintf(out, "%s,", t);
        csv_cell(out, e->expiry, ',');
        fprintf(out, "%s,", lsd_option_type_name(q->type));
        csv_cell(out, q->strike, ',');
        csv_cell(out, q->bid, ',');
        csv_cell(out, q->ask, ',');
        csv_cell(out, q->mid, ',');
        csv_cell(out, q->model_price, ',');
        csv_cell(out, q->market_vol, ',');
        csv_cell(out, q->model_vol, '\n');
    }
    return lsd_cli_close_output(out, path);
}

/* Price each expiry on its parity forward where parity gives one. */
static int use_parity_forwards(lsd_chain *chain, double rate)
{
    lsd_diag diag = { "" };
    lsd_curve *curve = NULL;
    lsd_forward *fw = malloc((chain->n > 0 ? chain->n : 1) * sizeof *fw);
    size_t count = 0;
    int rc = EX_OK;
    if (fw == NULL) {
        lsd_cli_warn("calibrate: out of memory");
        return EX_OSERR;
    }
    if ((rate != 0.0 && lsd_curve_flat(rate, &curve, &diag) != LSD_OK) ||
        lsd_forwards_chain(chain, curve, NAN, NULL, fw, &count, &diag) != LSD_OK ||
        lsd_forwards_apply(chain, fw, count, &diag) != LSD_OK) {
        lsd_cli_warn("calibrate: forwards: %s", diag.message);
        rc = EX_DATAERR;
    }
    lsd_curve_free(curve);
    free(fw);
    return rc;
}

int lsd_cli_calibrate(int argc, char **argv)
{
    lsd_calibrate_control ctl = lsd_calibrate_control_default();
    lsd_quotes_source source = LSD_QUOTES_SOURCE_CANONICAL;
    const char *model = NULL, *weights = "vega", *output = NULL, *residuals = NULL,
               *forward = "parity";
    double valuation_time = NAN;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:s:w:o:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'm': model = optarg; break;
        case 's':
            if (!lsd_cli_source_flag("calibrate", optarg, &source))
                return EX_USAGE;
            break;
        case OPT_PER_EXPIRY: ctl.joint = 0; break;
        case OPT_JOINT: ctl.joint = 1; break;
        case 'w': weights = optarg; break;
        case OPT_RATE:
            if (!lsd_cli_number_flag("calibrate", "rate", optarg, &ctl.rate))
                return EX_USAGE;
            break;
        case OPT_FORWARD: forward = optarg; break;
        case OPT_VALUATION_TIME:
            if (!lsd_cli_instant_flag("calibrate", "valuation-time", optarg, &valuation_time))
                return EX_USAGE;
            break;
        case 'o': output = optarg; break;
        case OPT_RESIDUALS: residuals = optarg; break;
        case 'h': return lsd_cli_help((const char *const[]){ help_text, NULL });
        default: return EX_USAGE; /* getopt_long printed why */
        }
    }
    const char *path = lsd_cli_one_operand("calibrate", argc, argv, "QUOTES", "quotes");
    if (path == NULL)
        return EX_USAGE;
    if (model == NULL || (strcmp(model, "bsm") != 0 && strcmp(model, "merton") != 0)) {
        lsd_cli_warn("calibrate: --model must be bsm or merton%s%s%s", model ? " (got '" : "",
                     model ? model : "", model ? "')" : "");
        return EX_USAGE;
    }
    ctl.model = strcmp(model, "bsm") == 0 ? LSD_MODEL_BSM : LSD_MODEL_MERTON;
    if (strcmp(weights, "vega") == 0) {
        ctl.weights = LSD_CALIBRATE_VEGA;
    } else if (strcmp(weights, "spread") == 0) {
        ctl.weights = LSD_CALIBRATE_SPREAD;
    } else if (strcmp(weights, "none") == 0) {
        ctl.weights = LSD_CALIBRATE_NONE;
    } else {
        lsd_cli_warn("calibrate: --weights must be vega, spread or none (got '%s')", weights);
        return EX_USAGE;
    }
    if (strcmp(forward, "parity") != 0 && strcmp(forward, "venue") != 0) {
        lsd_cli_warn("calibrate: --forward must be parity or venue (got '%s')", forward);
        return EX_USAGE;
    }

    lsd_diag diag = { "" };
    lsd_chain chain;
    lsd_status st = lsd_quotes_load(path, source, valuation_time, &chain, &diag);
    if (st != LSD_OK) {
        lsd_cli_warn("calibrate: %s", diag.message);
        return lsd_cli_exit_code(st);
    }
    int rc = strcmp(forward, "parity") == 0 ? use_parity_forwards(&chain, ctl.rate) : EX_OK;
    lsd_calibrate_result res;
    st = rc == EX_OK ? lsd_calibrate_chain(&chain, &ctl, &res, &diag) : LSD_OK;
    lsd_chain_free(&chain);
    if (rc != EX_OK)
        return rc;
    if (st != LSD_OK) {
        lsd_cli_warn("calibrate: %s", diag.message);
        return st == LSD_ENOMEM ? EX_OSERR : st == LSD_EINVAL ? EX_SOFTWARE : EX_DATAERR;
    }
    if (res.skipped_quotes > 0)
        lsd_cli_warn("calibrate: %zu out-of-the-money two-sided quote%s left out: mid has no "
                     "implied vol",
                     res.skipped_quotes, res.skipped_quotes == 1 ? "" : "s");
    if (res.skipped_expiries > 0)
        lsd_cli_warn("calibrate: %zu expir%s left out: too few quotes to fit",
                     res.skipped_expiries, res.skipped_expiries == 1 ? "y" : "ies");
    if (residuals != NULL)
        rc = write_residuals(residuals, &res);
    if (rc == EX_OK) {
        FILE *out = lsd_cli_open_output(output);
        if (out == NULL) {
            rc = EX_CANTCREAT;
        } else {
            rc = write_json(out, &res, weights);
            const int close_rc = lsd_cli_close_output(out, output);
            if (rc == EX_OK)
                rc = close_rc;
        }
    }
    lsd_calibrate_result_free(&res);
    return rc;
}
