/*
 * price_cmd.c — `lsdopt price`: one option from command-line flags, priced
 * with lsd_model_price (pricing/models/model.h) and printed as a text table,
 * one csv row or a json object. The option and model flags are
 * model_cli.h's (--model, else merton when a jump flag is given), the rate
 * and carry flags market_cli.h's.
 *
 * --expiry is a number of years or an ISO-8601 date/date-time
 * (lsd_dates_parse: a bare date is 08:00 UTC); a date becomes a year fraction
 * ACT/365F (lsd_dates_year_fraction) from --valuation-time, default now.
 * csv numbers are shortest round-trip text (numtext.cc); json numbers are
 * written by jansson with 17 significant digits, which also round-trip.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"
#include "common.h"
#include "market_cli.h"
#include "model_cli.h"

#include <lsdopt/lsdopt.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

static const char help_text[] =
    "Usage: lsdopt price --type call|put --spot S --strike K --expiry T\n"
    "                    --rate r --carry q --vol SIGMA\n"
    "                    [--jump-intensity LAMBDA --jump-mean MU_J --jump-vol DELTA]\n"
    "                    [--model bsm|merton] [--valuation-time TIME]\n"
    "                    [--token SYMBOL] [--staking-apr APR] [--tokens-file FILE]\n"
    "                    [--rate-curve FILE] [--carry-curve FILE]\n"
    "                    [--format text|csv|json] [-o FILE]\n"
    "\n"
    "Price one European option and its greeks.\n"
    "\n"
    "Option and market (all required):\n"
    "  --type call|put        option type\n"
    "  --spot S               token price, quote currency per token (> 0)\n"
    "  --strike K             strike, quote currency per token (> 0)\n"
    "  --expiry T             time to expiry: years (ACT/365F, > 0), or an\n"
    "                         ISO-8601 date or date-time (2026-03-27,\n"
    "                         2026-03-27T08:00:00Z); a bare date means 08:00 UTC\n"
    "  --rate r               quote-currency rate, continuous per year\n"
    "  --carry q              carry (staking) yield, continuous per year; 0 for a\n"
    "                         value-accruing token (wstETH, rETH)\n"
    "  --vol SIGMA            diffusion volatility per sqrt(year) (> 0)\n"
    "\n"
    "Staking carry from the token, instead of --carry (data/tokens.csv):\n"
    "  --token SYMBOL         steth, wsteth, reth, cbeth, wbeth, jitosol, msol (any\n"
    "                         case). A value-accruing token (all but steth) has\n"
    "                         carry 0: its price accrues the staking yield. A\n"
    "                         rebasing one (steth) needs --staking-apr.\n"
    "  --staking-apr APR      quoted staking APR, net of the protocol fee; the carry\n"
    "                         is its continuous equivalent at the token's\n"
    "                         compounding m: q = m*ln(1 + APR/m) (steth: m = 365).\n"
    "                         Without --token: a rebasing token compounding daily.\n"
    "  --tokens-file FILE     token profiles; default: share/lsdopt/tokens.csv of\n"
    "                         the installation, else data/tokens.csv of the source\n"
    "                         tree lsdopt was built from\n"
    "  --carry together with --token or --staking-apr is a usage error.\n"
    "\n"
    "Rate and carry curves, instead of --rate and --carry:\n"
    "  --rate-curve FILE      the rate is the curve's zero rate at the expiry,\n"
    "                         r = -ln D(T)/T; FILE is CSV with a header tenor,rate\n"
    "                         (years) or date,rate (ISO-8601, counted ACT/365F from\n"
    "                         --valuation-time, default now), or discount in place\n"
    "                         of rate; rows in any order (README: \"Rate and carry\n"
    "                         curves\")\n"
    "  --carry-curve FILE     the same for the carry\n"
    "  A curve and the flat value it replaces (--rate; --carry, --token or\n"
    "  --staking-apr) together are a usage error. csv and json show the rate and\n"
    "  carry used.\n"
    "\n";

/* The rest of --help (one literal would pass the 4095 bytes C requires). */
static const char help_more[] =
    "Depeg jumps (Merton 1976; give all three):\n"
    "  --jump-intensity LAMBDA  expected jumps per year (>= 0)\n"
    "  --jump-mean MU_J         mean of the log jump (< 0 for a depeg)\n"
    "  --jump-vol DELTA         std dev of the log jump (>= 0)\n"
    "\n"
    "Other options:\n"
    "  --model bsm|merton     default: merton if any jump flag is given, else bsm;\n"
    "                         bsm ignores the jump flags\n"
    "  --valuation-time TIME  ISO-8601 instant the year fraction to a date\n"
    "                         --expiry is counted from; default: now\n"
    "  -f, --format FMT       text (default; a table for people), csv (a header\n"
    "                         and one row) or json (one object)\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Output: price, delta, gamma, vega, theta, rho, carry_rho and, for merton,\n"
    "jump_intensity_sens, jump_mean_sens, jump_vol_sens, in natural units: per\n"
    "1.00 of each parameter, theta per year of calendar time. The text table also\n"
    "shows vega, rho and carry_rho per 1% and theta per day (1/365 year). csv and\n"
    "json carry the inputs used (expiry as the year fraction; expiry_date and\n"
    "valuation_time in UTC when a date was given) and numbers that read back\n"
    "exactly; fields that do not apply are empty (csv) or null (json).\n"
    "\n"
    "Exit status: 0 priced; 64 usage error (missing flag, unparseable number or\n"
    "date, unknown --token, --carry with --token/--staking-apr); 65 inputs out\n"
    "of the model's domain (the message says which) or a malformed tokens file;\n"
    "66 tokens file not found or unreadable; for --rate-curve/--carry-curve FILE:\n"
    "65 malformed (the message gives FILE:LINE), 66 not found or unreadable;\n"
    "73 output file cannot be created; 74 write error.\n";

static const char *const help[] = { help_text, help_more, NULL };

enum { OPT_TYPE = 256, OPT_STRIKE, OPT_MODEL };

static const struct option long_options[] = {
    { "type", required_argument, NULL, OPT_TYPE },
    { "strike", required_argument, NULL, OPT_STRIKE },
    { "model", required_argument, NULL, OPT_MODEL },
    LSD_CLI_MODEL_OPTIONS,
    LSD_CLI_MARKET_OPTIONS,
    LSD_CLI_OUTPUT_OPTIONS,
    { NULL, 0, NULL, 0 }
};

/* What was asked and what the library returned. */
typedef struct priced {
    lsd_model model;
    lsd_option opt;
    lsd_market mkt;
    lsd_jumps jumps;
    lsd_cli_expiry expiry; /* --expiry as read */
    lsd_cli_market_flags flags; /* the rate and carry flags (market_cli.h) */
    lsd_cli_market_info info;   /* where the carry came from */
    lsd_greeks g;
} priced;

/* A comma and a cell for each of x[0..n), the cells empty unless present. */
static void csv_cells(FILE *out, const double *x, size_t n, int present)
{
    for (size_t i = 0; i < n; i++) {
        fputc(',', out);
        if (present)
            lsd_cli_csv_number(out, x[i]);
    }
}

static int write_csv(FILE *out, const void *report)
{
    const priced *p = report;
    const int jumps = p->model == LSD_MODEL_MERTON;
    fputs("type,spot,strike,expiry,rate,carry,vol,jump_intensity,jump_mean,jump_vol,"
          "expiry_date,valuation_time,model,price,delta,gamma,vega,theta,rho,carry_rho,"
          "jump_intensity_sens,jump_mean_sens,jump_vol_sens\n", out);
    const double inputs[] = { p->mkt.spot, p->opt.strike, p->opt.expiry,
                              p->mkt.rate, p->mkt.carry, p->mkt.vol };
    const double jump_inputs[] = { p->jumps.intensity, p->jumps.mean, p->jumps.vol };
    const double results[] = { p->g.price, p->g.delta, p->g.gamma, p->g.vega,
                               p->g.theta, p->g.rho, p->g.carry_rho };
    const double jump_results[] = { p->g.jump_intensity_sens, p->g.jump_mean_sens,
                                    p->g.jump_vol_sens };
    fputs(lsd_option_type_name(p->opt.type), out);
    csv_cells(out, inputs, sizeof inputs / sizeof inputs[0], 1);
    csv_cells(out, jump_inputs, 3, jumps);
    fprintf(out, ",%s,%s,%s", p->expiry.dated ? p->expiry.expiry_date : "",
            p->expiry.dated ? p->expiry.valuation : "", lsd_model_name(p->model));
    csv_cells(out, results, sizeof results / sizeof results[0], 1);
    csv_cells(out, jump_results, 3, jumps);
    fputc('\n', out);
    return EX_OK;
}

/* A jump input or output: json null for bsm. */
static json_t *jump_number(const priced *p, double x)
{
    return lsd_cli_json_number(p->model == LSD_MODEL_MERTON ? x : NAN);
}

static int write_json(FILE *out, const void *report)
{
    const priced *p = report;
    json_error_t err;
    json_t *obj = json_pack_ex(
        &err, 0,
        "{s:s, s:s, s:f, s:f, s:f, s:s?, s:s?, s:f, s:f, s:f, s:o, s:o, s:o,"
        " s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:o, s:o, s:o}",
        "model", lsd_model_name(p->model), "type", lsd_option_type_name(p->opt.type),
        "spot", p->mkt.spot, "strike", p->opt.strike, "expiry", p->opt.expiry,
        "expiry_date", p->expiry.dated ? p->expiry.expiry_date : NULL,
        "valuation_time", p->expiry.dated ? p->expiry.valuation : NULL,
        "rate", p->mkt.rate, "carry", p->mkt.carry, "vol", p->mkt.vol,
        "jump_intensity", jump_number(p, p->jumps.intensity),
        "jump_mean", jump_number(p, p->jumps.mean),
        "jump_vol", jump_number(p, p->jumps.vol),
        "price", p->g.price, "delta", p->g.delta, "gamma", p->g.gamma, "vega", p->g.vega,
        "theta", p->g.theta, "rho", p->g.rho, "carry_rho", p->g.carry_rho,
        "jump_intensity_sens", jump_number(p, p->g.jump_intensity_sens),
        "jump_mean_sens", jump_number(p, p->g.jump_mean_sens),
        "jump_vol_sens", jump_number(p, p->g.jump_vol_sens));
    if (obj == NULL) {
        lsd_cli_warn("price: json: %s", err.text);
        return EX_SOFTWARE;
    }
    return lsd_cli_write_json("price", out, obj);
}

/* One line of the text table: name, value, and an optional scaled note. */
static void text_line(FILE *out, const char *name, double x, const char *note, double scale,
                      const char *scaled_unit)
{
    fprintf(out, "  %-20s %.10g", name, x);
    if (note != NULL)
        fprintf(out, "  %s (%.6g %s)", note, x * scale, scaled_unit);
    fputc('\n', out);
}

/* Where the carry came from, after --token / --staking-apr. */
static void carry_note(FILE *out, const priced *p)
{
    const lsd_token *profile = &p->info.profile;
    const double m = profile->apr_periods;
    if (p->flags.token != NULL)
        fprintf(out, "  %-20s %s (%s, %s, %s)\n", "token", profile->symbol,
                profile->kind == LSD_TOKEN_REBASING ? "rebasing" : "value-accruing",
                profile->staked_asset, profile->chain);
    if (p->info.staking)
        fprintf(out, "  %-20s %.10g  compounded %g times a year\n", "staking_apr",
                p->info.staking_apr, m);
    if (profile->kind == LSD_TOKEN_VALUE_ACCRUING)
        fputs("  (value-accruing: an option on the token has no carry, because the token's\n"
              "   price accrues the staking yield)\n", out);
    else
        fprintf(out, "  (rebasing: carry = %g*ln(1 + staking_apr/%g), the staking yield paid\n"
                     "   as more tokens)\n", m, m);
}

static int write_text(FILE *out, const void *report)
{
    const priced *p = report;
    const int jumps = p->model == LSD_MODEL_MERTON;
    fprintf(out, "European %s, model %s\n\ninputs\n", lsd_option_type_name(p->opt.type),
            lsd_model_name(p->model));
    text_line(out, "spot", p->mkt.spot, NULL, 0.0, NULL);
    text_line(out, "strike", p->opt.strike, NULL, 0.0, NULL);
    text_line(out, "expiry (years)", p->opt.expiry, NULL, 0.0, NULL);
    if (p->expiry.dated) {
        fprintf(out, "  %-20s %s\n", "expiry_date", p->expiry.expiry_date);
        fprintf(out, "  %-20s %s\n", "valuation_time", p->expiry.valuation);
    }
    text_line(out, "rate", p->mkt.rate, NULL, 0.0, NULL);
    text_line(out, "carry", p->mkt.carry, NULL, 0.0, NULL);
    if (p->flags.token != NULL || p->info.staking)
        carry_note(out, p);
    if (p->flags.rate_curve != NULL)
        fprintf(out, "  %-20s %s (rate = its zero rate at expiry)\n", "rate_curve",
                p->flags.rate_curve);
    if (p->flags.carry_curve != NULL)
        fprintf(out, "  %-20s %s (carry = its zero rate at expiry)\n", "carry_curve",
                p->flags.carry_curve);
    text_line(out, "vol", p->mkt.vol, NULL, 0.0, NULL);
    if (jumps) {
        text_line(out, "jump_intensity", p->jumps.intensity, NULL, 0.0, NULL);
        text_line(out, "jump_mean", p->jumps.mean, NULL, 0.0, NULL);
        text_line(out, "jump_vol", p->jumps.vol, NULL, 0.0, NULL);
    }
    fputs("\nresults (natural units: per 1.00 of each parameter, theta per year)\n", out);
    text_line(out, "price", p->g.price, NULL, 0.0, NULL);
    text_line(out, "delta", p->g.delta, NULL, 0.0, NULL);
    text_line(out, "gamma", p->g.gamma, NULL, 0.0, NULL);
    text_line(out, "vega", p->g.vega, "per 1.00 vol", 0.01, "per 1% vol");
    text_line(out, "theta", p->g.theta, "per year", 1.0 / LSD_DAYS_PER_YEAR, "per day");
    text_line(out, "rho", p->g.rho, "per 1.00 rate", 0.01, "per 1% rate");
    text_line(out, "carry_rho", p->g.carry_rho, "per 1.00 carry", 0.01, "per 1% carry");
    if (jumps) {
        text_line(out, "jump_intensity_sens", p->g.jump_intensity_sens, NULL, 0.0, NULL);
        text_line(out, "jump_mean_sens", p->g.jump_mean_sens, NULL, 0.0, NULL);
        text_line(out, "jump_vol_sens", p->g.jump_vol_sens, NULL, 0.0, NULL);
    }
    return EX_OK;
}

static const lsd_cli_writers writers = { write_text, write_csv, write_json };

int lsd_cli_price(int argc, char **argv)
{
    const char *type = NULL, *strike = NULL, *model = NULL, *format = "text", *output = NULL;
    lsd_cli_model_flags f = { .spot = NULL };
    lsd_cli_market_flags mf = { .rate = NULL };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:h", long_options, NULL)) != -1) {
        if (lsd_cli_model_flag(c, optarg, &f) || lsd_cli_market_flag(c, optarg, &mf))
            continue;
        switch (c) {
        case OPT_TYPE: type = optarg; break;
        case OPT_STRIKE: strike = optarg; break;
        case OPT_MODEL: model = optarg; break;
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'h': return lsd_cli_help(help);
        default: return EX_USAGE; /* getopt_long printed why */
        }
    }
    if (!lsd_cli_flags_done("price", argc, argv, format))
        return EX_USAGE;

    priced p = { .model = LSD_MODEL_BSM, .flags = mf };
    if (!lsd_cli_type_flag("price", type, &p.opt.type) ||
        !lsd_cli_number_flag("price", "spot", f.spot, &p.mkt.spot) ||
        !lsd_cli_number_flag("price", "strike", strike, &p.opt.strike) ||
        !lsd_cli_expiry_flag("price", f.expiry, mf.valuation, &p.expiry) ||
        !lsd_cli_number_flag("price", "vol", f.vol, &p.mkt.vol))
        return EX_USAGE;
    p.opt.expiry = p.expiry.years;
    const int market_rc = lsd_cli_market_resolve("price", &mf, p.opt.expiry, &p.mkt, &p.info);
    if (market_rc != EX_OK)
        return market_rc;
    if (!lsd_cli_model_jumps("price", model, f.jump, &p.model, &p.jumps))
        return EX_USAGE;

    lsd_diag diag = { "" };
    const lsd_model_params params = lsd_model_params_of(p.model, &p.jumps);
    if (lsd_model_price(&p.opt, &p.mkt, &params, LSD_ENGINE_AUTO, &p.g, &diag) != LSD_OK) {
        lsd_cli_warn("price: %s", diag.message);
        return EX_DATAERR;
    }
    return lsd_cli_write_report(output, format, &writers, &p);
}
