/*
 * price_cmd.c — `lsdopt price`: one option from command-line flags, priced
 * with lsd_model_price (pricing/models/model.h) under any model (bsm,
 * merton, kou, heston, bates) with any overlay (default, depeg) and engine
 * (auto, closed, cos), and printed as a text table, one csv row or a json
 * object that name the model and the engine used. The option and model
 * flags are model_cli.h's (--model, else the model the parameters given
 * name: lsd_model_infer), the rate and carry flags market_cli.h's.
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
    "                    --rate r --carry q [--vol SIGMA]\n"
    "                    [--model bsm|merton|kou|heston|bates] [MODEL FLAGS]\n"
    "                    [--default-intensity H [--default-recovery R]]\n"
    "                    [--depeg-intensity L --depeg-mean M --depeg-vol D]\n"
    "                    [--engine auto|closed|cos] [--valuation-time TIME]\n"
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
    "  --vol SIGMA            diffusion volatility per sqrt(year) (> 0): bsm,\n"
    "                         merton, kou; heston and bates have none (their\n"
    "                         variance is --heston-*), and --vol with them fails\n"
    "\n"
    "Staking carry from the token, instead of --carry (data/tokens.csv):\n"
    "  --token SYMBOL         steth, wsteth, reth, cbeth, wbeth, weeth, ezeth,\n"
    "                         rseth, jitosol, msol (any case). A value-accruing\n"
    "                         token (all but steth) has carry 0: its price accrues\n"
    "                         the staking yield. A rebasing one (steth) needs\n"
    "                         --staking-apr.\n"
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

/* The rest of --help (C wants no literal over 4095 bytes). */
static const char help_models[] =
    "Models (--model; default: the one the parameters given name: heston-* ->\n"
    "heston, or bates with jump-* too; kou-* -> kou; jump-* -> merton; else bsm).\n"
    "A model needs all of its parameters and ignores those of other models.\n"
    "  merton: --vol and Merton (1976) lognormal jumps:\n"
    "    --jump-intensity LAMBDA  expected jumps per year (>= 0)\n"
    "    --jump-mean MU_J         mean of the log jump, log units (< 0: a depeg)\n"
    "    --jump-vol DELTA         std dev of the log jump, log units (>= 0)\n"
    "  kou: --vol, --jump-intensity LAMBDA and Kou (2002) double-exponential jumps:\n"
    "    --kou-p P                probability a jump is up, in [0, 1] (0: down\n"
    "                             jumps only, the pure depeg law)\n"
    "    --kou-eta-up ETA1        up log-jump ~ Exp(ETA1), 1/log units (> 1;\n"
    "                             not needed with --kou-p 0)\n"
    "    --kou-eta-down ETA2      down log-jump ~ -Exp(ETA2), 1/log units (> 0;\n"
    "                             not needed with --kou-p 1)\n"
    "  heston: Heston (1993) stochastic variance, QuantLib's HestonProcess order:\n"
    "    --heston-v0 V0           initial variance, per year (> 0)\n"
    "    --heston-kappa KAPPA     mean-reversion speed, per year (> 0)\n"
    "    --heston-theta THETA     long-run variance, per year (> 0)\n"
    "    --heston-sigma SIGMA_V   vol of variance, per sqrt(year) (> 0)\n"
    "    --heston-rho RHO         correlation of spot and variance, in [-1, 1]\n"
    "  bates: Bates (1996) = the heston flags and merton's three jump flags.\n"
    "\n"
    "Overlays, on any model (each factor keeps the forward unchanged):\n"
    "  --default-intensity H    default hazard per year (>= 0): at rate H the\n"
    "                           token jumps to R times its value and stays there\n"
    "                           (exploit, slashing, a depeg with no way back)\n"
    "  --default-recovery R     the fraction of value kept, in [0, 1); default 0\n"
    "  --depeg-intensity L --depeg-mean M --depeg-vol D   (all three)\n"
    "                           a second, independent lognormal jump family for\n"
    "                           the token/ETH ratio: per year, log units, log units\n"
    "  An LSD option in USD is ETH's model times the ratio's: LSD = ETH x depeg\n"
    "  ratio. Price it as ETH's model (e.g. bates fitted to ETH options) plus the\n"
    "  depeg overlay fitted to the token/ETH history; restaking tokens (weeth,\n"
    "  ezeth, rseth) add a default overlay for the restaking layer's slashing.\n"
    "\n";

static const char help_more[] =
    "Other options:\n"
    "  --engine auto|closed|cos  auto (default): the closed form for bsm and\n"
    "                         merton without an overlay, else the COS Fourier\n"
    "                         engine; closed: the closed form or an error; cos:\n"
    "                         COS for every model (agrees with closed to 1e-12)\n"
    "  --valuation-time TIME  ISO-8601 instant the year fraction to a date\n"
    "                         --expiry is counted from; default: now\n"
    "  -f, --format FMT       text (default; a table for people), csv (a header\n"
    "                         and one row) or json (one object)\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Output: the model and the engine used; price, delta, gamma, vega, theta,\n"
    "rho, carry_rho for every model; jump_intensity_sens for merton, kou and\n"
    "bates; jump_mean_sens and jump_vol_sens for merton and bates; in natural\n"
    "units: per 1.00 of each parameter, theta per year of calendar time. vega is\n"
    "dV/dSIGMA for bsm, merton and kou; for heston and bates it is the value of\n"
    "a parallel shift of sqrt(heston_v0) and sqrt(heston_theta) by the same\n"
    "amount (BSM's vega in the limit heston_sigma -> 0). The overlays' and\n"
    "kou-*/heston-* parameters have no sensitivity output. The text table also\n"
    "shows vega, rho and carry_rho per 1% and theta per day (1/365 year). csv and\n"
    "json carry the inputs used (expiry as the year fraction; expiry_date and\n"
    "valuation_time in UTC when a date was given) and numbers that read back\n"
    "exactly; fields that do not apply are empty (csv) or null (json).\n"
    "\n"
    "Exit status: 0 priced; 64 usage error (missing flag, a model's parameter\n"
    "missing, flags that fit no one model, unparseable number or date, unknown\n"
    "--model, --engine or --token, --carry with --token/--staking-apr); 65 inputs\n"
    "out of the model's domain (the message names the parameter and why: e.g.\n"
    "kou_eta_up <= 1, --vol with heston, --engine closed on kou) or a malformed\n"
    "tokens file; 66 tokens file not found or unreadable; for --rate-curve/\n"
    "--carry-curve FILE: 65 malformed (the message gives FILE:LINE), 66 not found\n"
    "or unreadable; 73 output file cannot be created; 74 write error.\n";

static const char *const help[] = { help_text, help_models, help_more, NULL };

enum { OPT_TYPE = 256, OPT_STRIKE, OPT_MODEL, OPT_ENGINE };

static const struct option long_options[] = {
    { "type", required_argument, NULL, OPT_TYPE },
    { "strike", required_argument, NULL, OPT_STRIKE },
    { "model", required_argument, NULL, OPT_MODEL },
    { "engine", required_argument, NULL, OPT_ENGINE },
    LSD_CLI_MODEL_OPTIONS,
    LSD_CLI_COS_MODEL_OPTIONS,
    LSD_CLI_MARKET_OPTIONS,
    LSD_CLI_OUTPUT_OPTIONS,
    { NULL, 0, NULL, 0 }
};

/* What was asked and what the library returned. */
typedef struct priced {
    lsd_model_params params; /* the model and its parameters */
    lsd_engine engine;       /* the engine used (lsd_model_engine) */
    lsd_option opt;
    lsd_market mkt;
    lsd_cli_expiry expiry; /* --expiry as read */
    lsd_cli_market_flags flags; /* the rate and carry flags (market_cli.h) */
    lsd_cli_market_info info;   /* where the carry came from */
    lsd_greeks g;
} priced;

/* The market's vol, or NaN for a model that has none (heston, bates). */
static double vol_used(const priced *p)
{
    return lsd_cli_param_needed(p->params.model, LSD_CLI_HESTON_V0) ? NAN : p->mkt.vol;
}

/* Jump sensitivity i (0: intensity, 1: mean, 2: vol), or NaN where the model
 * has no such parameter. */
static double jump_sens(const priced *p, int i)
{
    const double sens[3] = { p->g.jump_intensity_sens, p->g.jump_mean_sens,
                             p->g.jump_vol_sens };
    return lsd_cli_param_needed(p->params.model, LSD_CLI_JUMP_INTENSITY + i) ? sens[i] : NAN;
}

static int write_csv(FILE *out, const void *report)
{
    const priced *p = report;
    fputs("type,spot,strike,expiry,rate,carry,vol", out);
    for (int k = 0; k < LSD_CLI_N_PARAMS; k++)
        fprintf(out, ",%s", lsd_cli_param_names[k]);
    fputs(",expiry_date,valuation_time,model,engine,price,delta,gamma,vega,theta,rho,"
          "carry_rho,jump_intensity_sens,jump_mean_sens,jump_vol_sens\n", out);
    fputs(lsd_option_type_name(p->opt.type), out);
    const double inputs[] = { p->mkt.spot, p->opt.strike, p->opt.expiry, p->mkt.rate,
                              p->mkt.carry, vol_used(p) };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        lsd_cli_csv_next(out, inputs[i]);
    for (int k = 0; k < LSD_CLI_N_PARAMS; k++)
        lsd_cli_csv_next(out, lsd_cli_param_of(&p->params, k));
    fprintf(out, ",%s,%s,%s,%s", p->expiry.dated ? p->expiry.expiry_date : "",
            p->expiry.dated ? p->expiry.valuation : "", lsd_model_name(p->params.model),
            lsd_engine_name(p->engine));
    const double results[] = { p->g.price, p->g.delta, p->g.gamma, p->g.vega, p->g.theta,
                               p->g.rho, p->g.carry_rho, jump_sens(p, 0), jump_sens(p, 1),
                               jump_sens(p, 2) };
    for (size_t i = 0; i < sizeof results / sizeof results[0]; i++)
        lsd_cli_csv_next(out, results[i]);
    fputc('\n', out);
    return EX_OK;
}

static int write_json(FILE *out, const void *report)
{
    const priced *p = report;
    json_error_t err;
    json_t *obj = json_pack_ex(
        &err, 0, "{s:s, s:s, s:s, s:f, s:f, s:f, s:s?, s:s?, s:f, s:f, s:o}",
        "model", lsd_model_name(p->params.model), "engine", lsd_engine_name(p->engine),
        "type", lsd_option_type_name(p->opt.type), "spot", p->mkt.spot,
        "strike", p->opt.strike, "expiry", p->opt.expiry,
        "expiry_date", p->expiry.dated ? p->expiry.expiry_date : NULL,
        "valuation_time", p->expiry.dated ? p->expiry.valuation : NULL,
        "rate", p->mkt.rate, "carry", p->mkt.carry, "vol", lsd_cli_json_number(vol_used(p)));
    if (obj == NULL) {
        lsd_cli_warn("price: json: %s", err.text);
        return EX_SOFTWARE;
    }
    for (int k = 0; k < LSD_CLI_N_PARAMS && obj != NULL; k++)
        obj = lsd_cli_json_numbers(obj, lsd_cli_param_names[k],
                                   lsd_cli_param_of(&p->params, k), (const char *)NULL);
    obj = lsd_cli_json_numbers(obj, "price", p->g.price, "delta", p->g.delta, "gamma",
                               p->g.gamma, "vega", p->g.vega, "theta", p->g.theta, "rho",
                               p->g.rho, "carry_rho", p->g.carry_rho, "jump_intensity_sens",
                               jump_sens(p, 0), "jump_mean_sens", jump_sens(p, 1),
                               "jump_vol_sens", jump_sens(p, 2), (const char *)NULL);
    if (obj == NULL) {
        lsd_cli_warn("price: out of memory");
        return EX_OSERR;
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
    const int heston = lsd_cli_param_needed(p->params.model, LSD_CLI_HESTON_V0);
    fprintf(out, "European %s, model %s, engine %s\n\ninputs\n",
            lsd_option_type_name(p->opt.type), lsd_model_name(p->params.model),
            lsd_engine_name(p->engine));
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
    if (!heston)
        text_line(out, "vol", p->mkt.vol, NULL, 0.0, NULL);
    for (int k = 0; k < LSD_CLI_N_PARAMS; k++) {
        const double x = lsd_cli_param_of(&p->params, k);
        if (!isnan(x))
            text_line(out, lsd_cli_param_names[k], x, NULL, 0.0, NULL);
    }
    fputs("\nresults (natural units: per 1.00 of each parameter, theta per year)\n", out);
    text_line(out, "price", p->g.price, NULL, 0.0, NULL);
    text_line(out, "delta", p->g.delta, NULL, 0.0, NULL);
    text_line(out, "gamma", p->g.gamma, NULL, 0.0, NULL);
    text_line(out, "vega", p->g.vega,
              heston ? "per 1.00 shift of sqrt(v0), sqrt(theta)" : "per 1.00 vol", 0.01,
              "per 1% vol");
    text_line(out, "theta", p->g.theta, "per year", 1.0 / LSD_DAYS_PER_YEAR, "per day");
    text_line(out, "rho", p->g.rho, "per 1.00 rate", 0.01, "per 1% rate");
    text_line(out, "carry_rho", p->g.carry_rho, "per 1.00 carry", 0.01, "per 1% carry");
    static const char *const sens_names[3] = { "jump_intensity_sens", "jump_mean_sens",
                                               "jump_vol_sens" };
    for (int i = 0; i < 3; i++)
        if (!isnan(jump_sens(p, i)))
            text_line(out, sens_names[i], jump_sens(p, i), NULL, 0.0, NULL);
    return EX_OK;
}

static const lsd_cli_writers writers = { write_text, write_csv, write_json };

/* The model and its parameters from --model and the parameter flags, into
 * p->params; then the vol: required for a model that has one; for heston and
 * bates a --vol is passed on for the library to refuse with its message.
 * EX_OK or EX_USAGE after a diagnostic. */
static int model_flags(const char *model_text, const lsd_cli_model_flags *f, priced *p)
{
    lsd_cli_param_values values;
    lsd_model named;
    lsd_diag diag = { "" };
    int missing;
    if (!lsd_cli_param_flags("price", f->param, &values))
        return EX_USAGE;
    if (model_text != NULL && lsd_model_parse(model_text, &named, &diag) != LSD_OK) {
        lsd_cli_warn("price: --model: %s", diag.message);
        return EX_USAGE;
    }
    if (!lsd_cli_model_params(model_text != NULL ? &named : NULL, &values, &p->params, &missing,
                              &diag)) {
        if (missing < 0) {
            lsd_cli_warn("price: %s", diag.message);
            return EX_USAGE;
        }
        char flag[LSD_CLI_PARAM_FLAG_SIZE];
        lsd_cli_warn("price: missing --%s (see 'lsdopt price --help')",
                     lsd_cli_param_flag(missing, flag));
        return EX_USAGE;
    }
    p->mkt.vol = 0.0;
    if (lsd_cli_param_needed(p->params.model, LSD_CLI_HESTON_V0) && f->vol == NULL)
        return EX_OK;
    return lsd_cli_number_flag("price", "vol", f->vol, &p->mkt.vol) ? EX_OK : EX_USAGE;
}

int lsd_cli_price(int argc, char **argv)
{
    const char *type = NULL, *strike = NULL, *model = NULL, *engine = NULL;
    const char *format = "text", *output = NULL;
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
        case OPT_ENGINE: engine = optarg; break;
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'h': return lsd_cli_help(help);
        default: return EX_USAGE; /* getopt_long printed why */
        }
    }
    if (!lsd_cli_flags_done("price", argc, argv, format))
        return EX_USAGE;

    priced p = { .engine = LSD_ENGINE_AUTO, .flags = mf };
    lsd_diag diag = { "" };
    if (!lsd_cli_type_flag("price", type, &p.opt.type) ||
        !lsd_cli_number_flag("price", "spot", f.spot, &p.mkt.spot) ||
        !lsd_cli_number_flag("price", "strike", strike, &p.opt.strike) ||
        !lsd_cli_expiry_flag("price", f.expiry, mf.valuation, &p.expiry))
        return EX_USAGE;
    if (engine != NULL && lsd_engine_parse(engine, &p.engine, &diag) != LSD_OK) {
        lsd_cli_warn("price: --engine: %s", diag.message);
        return EX_USAGE;
    }
    const int model_rc = model_flags(model, &f, &p);
    if (model_rc != EX_OK)
        return model_rc;
    p.opt.expiry = p.expiry.years;
    const int market_rc = lsd_cli_market_resolve("price", &mf, p.opt.expiry, &p.mkt, &p.info);
    if (market_rc != EX_OK)
        return market_rc;

    if (lsd_model_price(&p.opt, &p.mkt, &p.params, p.engine, &p.g, &diag) != LSD_OK) {
        lsd_cli_warn("price: %s", diag.message);
        return EX_DATAERR;
    }
    p.engine = lsd_model_engine(&p.params, p.engine);
    return lsd_cli_write_report(output, format, &writers, &p);
}
