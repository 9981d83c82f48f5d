/*
 * collateral_cmd.c — `lsdopt collateral`: liquidation risk of a borrow
 * against liquid-staking tokens under a market or an exchange-rate oracle,
 * computed by pricing/analytics/collateral.c (formulas and sources there):
 * probability of liquidation within the horizon (closed form where one
 * exists, and a seeded Monte Carlo at the monitoring interval), expected
 * loss given liquidation, and the protective put. The jump flags are
 * model_cli.h's: all three or none.
 *
 * csv numbers are shortest round-trip text (numtext.cc); json numbers have
 * 17 significant digits (jansson), a quantity that does not exist is null.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"
#include "common.h"
#include "model_cli.h"

#include <lsdopt/lsdopt.h>

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <sysexits.h>

enum {
    OPT_TOKENS = 256,
    OPT_DEBT,
    OPT_SPOT,
    OPT_LT,
    OPT_BONUS,
    OPT_BORROW,
    OPT_YIELD,
    OPT_HORIZON,
    OPT_ORACLE,
    OPT_VOL,
    OPT_DRIFT,
    OPT_SI,
    OPT_SL,
    OPT_MONITOR,
    OPT_PATHS,
    OPT_SEED,
    OPT_RATE,
    OPT_CARRY,
    OPT_END
};

static const struct option long_options[] = {
    { "tokens", required_argument, NULL, OPT_TOKENS },
    { "debt", required_argument, NULL, OPT_DEBT },
    { "spot", required_argument, NULL, OPT_SPOT },
    { "liquidation-threshold", required_argument, NULL, OPT_LT },
    { "liquidation-bonus", required_argument, NULL, OPT_BONUS },
    { "borrow-rate", required_argument, NULL, OPT_BORROW },
    { "staking-yield", required_argument, NULL, OPT_YIELD },
    { "horizon", required_argument, NULL, OPT_HORIZON },
    { "oracle", required_argument, NULL, OPT_ORACLE },
    { "vol", required_argument, NULL, OPT_VOL },
    LSD_CLI_JUMP_OPTIONS,
    { "drift", required_argument, NULL, OPT_DRIFT },
    { "slashing-intensity", required_argument, NULL, OPT_SI },
    { "slashing-loss", required_argument, NULL, OPT_SL },
    { "monitor-days", required_argument, NULL, OPT_MONITOR },
    { "paths", required_argument, NULL, OPT_PATHS },
    { "seed", required_argument, NULL, OPT_SEED },
    { "rate", required_argument, NULL, OPT_RATE },
    { "carry", required_argument, NULL, OPT_CARRY },
    LSD_CLI_OUTPUT_OPTIONS,
    { NULL, 0, NULL, 0 }
};

#define CMD "collateral"

typedef struct run {
    lsd_collateral pos;
    lsd_collateral_dynamics dyn;
    lsd_collateral_mc mc;
    double monitor_days;
    lsd_collateral_risk risk;
} run;

static const char *put_model(const run *r)
{
    return isfinite(r->risk.put_price) ? lsd_model_name(r->risk.put_model) : NULL;
}

static int write_csv(FILE *out, const void *report)
{
    const run *r = report;
    const lsd_collateral_risk *k = &r->risk;
    fputs("oracle,health,prob_analytic,prob_analytic_monitored,prob_mc,prob_mc_se,"
          "paths_liquidated,paths,liquidation_time,loss_given_liquidation,"
          "loss_given_liquidation_se,expected_loss,put_strike,put_price,put_cost\n",
          out);
    fputs(lsd_collateral_oracle_name(r->pos.oracle), out);
    lsd_cli_csv_next(out, k->health);
    lsd_cli_csv_next(out, k->prob_analytic);
    lsd_cli_csv_next(out, k->prob_analytic_monitored);
    lsd_cli_csv_next(out, k->prob_mc);
    lsd_cli_csv_next(out, k->prob_mc_se);
    fprintf(out, ",%zu,%zu", k->paths_liquidated, r->mc.paths);
    lsd_cli_csv_next(out, k->liquidation_time);
    lsd_cli_csv_next(out, k->loss_given_liquidation);
    lsd_cli_csv_next(out, k->loss_given_liquidation_se);
    lsd_cli_csv_next(out, k->expected_loss);
    lsd_cli_csv_next(out, k->put_strike);
    lsd_cli_csv_next(out, k->put_price);
    lsd_cli_csv_next(out, k->put_cost);
    fputc('\n', out);
    return EX_OK;
}

/* "%.6g" or "-" for a quantity that does not exist. */
static void text_number(FILE *out, const char *label, double x, const char *unit)
{
    if (isfinite(x))
        fprintf(out, "%-34s %14.6g  %s\n", label, x, unit);
    else
        fprintf(out, "%-34s %14s  %s\n", label, "-", unit);
}

static int write_text(FILE *out, const void *report)
{
    const run *r = report;
    const lsd_collateral *p = &r->pos;
    const lsd_collateral_dynamics *d = &r->dyn;
    const lsd_collateral_risk *k = &r->risk;
    fprintf(out, "position   %g tokens at %g, debt %g, liquidation threshold %g, "
                 "health factor %.6g\n",
            p->tokens, p->spot, p->debt, p->liquidation_threshold, k->health);
    if (p->oracle == LSD_COLLATERAL_ORACLE_MARKET && d->jumps.intensity > 0.0)
        fprintf(out, "oracle     market price: drift %g, vol %g, jumps %g/yr of mean %g vol %g\n",
                d->drift, d->vol, d->jumps.intensity, d->jumps.mean, d->jumps.vol);
    else if (p->oracle == LSD_COLLATERAL_ORACLE_MARKET)
        fprintf(out, "oracle     market price: drift %g, vol %g, no jumps\n", d->drift, d->vol);
    else
        fprintf(out, "oracle     exchange rate: staking yield %g, slashing %g/yr losing %g\n",
                p->staking_yield, d->slashing_intensity, d->slashing_loss);
    fprintf(out, "           borrow rate %g over %g years, checked every %g days; "
                 "%zu paths, seed %lu\n\n",
            p->borrow_rate, p->horizon, r->monitor_days, r->mc.paths, r->mc.seed);
    text_number(out, "P(liquidation), closed form", k->prob_analytic,
                "continuous monitoring");
    text_number(out, "P(liquidation), closed form", k->prob_analytic_monitored,
                p->oracle == LSD_COLLATERAL_ORACLE_MARKET ? "at the monitoring (BGK)"
                                               : "at the monitoring");
    fprintf(out, "%-34s %14.6g  +/- %.2g (%zu of %zu paths)\n", "P(liquidation), Monte Carlo",
            k->prob_mc, k->prob_mc_se, k->paths_liquidated, r->mc.paths);
    if (isinf(k->liquidation_time))
        fprintf(out, "%-34s %14s\n", "liquidation time (deterministic)", "never");
    else
        text_number(out, "liquidation time (deterministic)", k->liquidation_time, "years");
    text_number(out, "loss given liquidation", k->loss_given_liquidation,
                "quote asset (bonus paid)");
    text_number(out, "expected loss", k->expected_loss, "quote asset");
    fputc('\n', out);
    text_number(out, "protective put strike", k->put_strike, "quote per token");
    text_number(out, "put price", k->put_price, put_model(r) ? put_model(r) : "(needs vol > 0)");
    text_number(out, "cost of N puts", k->put_cost, "quote asset");
    text_number(out, "cost / collateral value", k->put_cost / (p->tokens * p->spot), "");
    fputs("note: the put keeps the position safe at the horizon, not along the path\n", out);
    return EX_OK;
}

static int write_json(FILE *out, const void *report)
{
    const run *r = report;
    const lsd_collateral *p = &r->pos;
    const lsd_collateral_dynamics *d = &r->dyn;
    const lsd_collateral_risk *k = &r->risk;
    json_error_t err = { .text = "out of memory" };
    const char *model = put_model(r);
    json_t *obj = json_pack_ex(
        &err, 0,
        "{s:s, s:{s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, "
        "s:f, s:f, s:I, s:I}, s:f, s:o, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:f, s:o, s:o, s:o}",
        "oracle", lsd_collateral_oracle_name(p->oracle), "inputs", "tokens", p->tokens, "debt",
        p->debt, "spot", p->spot, "liquidation_threshold", p->liquidation_threshold,
        "liquidation_bonus", p->liquidation_bonus, "borrow_rate", p->borrow_rate, "staking_yield",
        p->staking_yield, "horizon", p->horizon, "drift", d->drift, "vol", d->vol, "jump_intensity",
        d->jumps.intensity, "jump_mean", d->jumps.mean, "jump_vol", d->jumps.vol,
        "slashing_intensity", d->slashing_intensity, "slashing_loss", d->slashing_loss, "rate",
        d->rate, "carry", d->carry, "paths", (json_int_t)r->mc.paths, "seed",
        (json_int_t)r->mc.seed, "health", k->health, "prob_analytic",
        lsd_cli_json_number(k->prob_analytic), "prob_analytic_monitored",
        lsd_cli_json_number(k->prob_analytic_monitored), "prob_mc", lsd_cli_json_number(k->prob_mc),
        "prob_mc_se", lsd_cli_json_number(k->prob_mc_se), "paths_liquidated",
        (json_int_t)k->paths_liquidated, "liquidation_time",
        lsd_cli_json_number(k->liquidation_time), "loss_given_liquidation",
        lsd_cli_json_number(k->loss_given_liquidation), "loss_given_liquidation_se",
        lsd_cli_json_number(k->loss_given_liquidation_se), "put_strike", k->put_strike, "put_price",
        lsd_cli_json_number(k->put_price), "put_cost", lsd_cli_json_number(k->put_cost),
        "put_model", model ? json_string(model) : json_null());
    if (obj == NULL) {
        lsd_cli_warn(CMD ": %s", err.text);
        return EX_OSERR;
    }
    if (json_object_set_new(obj, "monitor_days", json_real(r->monitor_days)) != 0 ||
        json_object_set_new(obj, "expected_loss", lsd_cli_json_number(k->expected_loss)) != 0) {
        json_decref(obj);
        lsd_cli_warn(CMD ": out of memory");
        return EX_OSERR;
    }
    return lsd_cli_write_json(CMD, out, obj);
}

/* The numbers of the flags into r; 1, or 0 after a diagnostic. */
static int read_flags(run *r, const char *const *text, const lsd_cli_model_flags *f)
{
#define FLAG(id) text[(id) - OPT_TOKENS]
    const int market = r->pos.oracle == LSD_COLLATERAL_ORACLE_MARKET;
    if (market && (FLAG(OPT_SI) != NULL || FLAG(OPT_SL) != NULL)) {
        lsd_cli_warn(CMD ": --slashing-* apply to the exchange-rate oracle (for the market "
                         "oracle model slashing as --jump-*)");
        return 0;
    }
    double paths = 100000.0, seed = 1.0;
    int jumps = 0;
    r->monitor_days = 1.0;
    if (!lsd_cli_number_flag(CMD, "tokens", FLAG(OPT_TOKENS), &r->pos.tokens) ||
        !lsd_cli_number_flag(CMD, "debt", FLAG(OPT_DEBT), &r->pos.debt) ||
        !lsd_cli_number_flag(CMD, "spot", FLAG(OPT_SPOT), &r->pos.spot) ||
        !lsd_cli_number_flag(CMD, "liquidation-threshold", FLAG(OPT_LT),
                             &r->pos.liquidation_threshold) ||
        !lsd_cli_number_flag(CMD, "borrow-rate", FLAG(OPT_BORROW), &r->pos.borrow_rate) ||
        !lsd_cli_number_flag(CMD, "staking-yield", FLAG(OPT_YIELD), &r->pos.staking_yield) ||
        !lsd_cli_number_flag(CMD, "horizon", FLAG(OPT_HORIZON), &r->pos.horizon))
        return 0;
    r->dyn = lsd_collateral_dynamics_from_position(&r->pos);
    if (!(market ? lsd_cli_number_flag(CMD, "vol", FLAG(OPT_VOL), &r->dyn.vol)
                 : lsd_cli_optional_number_flag(CMD, "vol", FLAG(OPT_VOL), &r->dyn.vol)) ||
        !lsd_cli_optional_number_flag(CMD, "liquidation-bonus", FLAG(OPT_BONUS),
                                      &r->pos.liquidation_bonus) ||
        !lsd_cli_jump_flags(CMD, "", f->param, &jumps, &r->dyn.jumps) ||
        !lsd_cli_optional_number_flag(CMD, "slashing-intensity", FLAG(OPT_SI),
                                      &r->dyn.slashing_intensity) ||
        !lsd_cli_optional_number_flag(CMD, "slashing-loss", FLAG(OPT_SL),
                                      &r->dyn.slashing_loss) ||
        !lsd_cli_optional_number_flag(CMD, "monitor-days", FLAG(OPT_MONITOR),
                                      &r->monitor_days) ||
        !lsd_cli_whole_flag(CMD, "paths", FLAG(OPT_PATHS), 2.0, 1e9, &paths) ||
        !lsd_cli_whole_flag(CMD, "seed", FLAG(OPT_SEED), 0.0, 4294967295.0, &seed) ||
        !lsd_cli_optional_number_flag(CMD, "drift", FLAG(OPT_DRIFT), &r->dyn.drift) ||
        !lsd_cli_optional_number_flag(CMD, "rate", FLAG(OPT_RATE), &r->dyn.rate) ||
        !lsd_cli_optional_number_flag(CMD, "carry", FLAG(OPT_CARRY), &r->dyn.carry))
        return 0;
#undef FLAG
    r->mc = (lsd_collateral_mc){ .monitor = r->monitor_days / LSD_DAYS_PER_YEAR, .paths = (size_t)paths,
                                 .seed = (unsigned long)seed };
    return 1;
}

static const lsd_cli_writers writers = { write_text, write_csv, write_json };

int lsd_cli_collateral(int argc, char **argv)
{
    const char *text[OPT_END - OPT_TOKENS] = { NULL };
    const char *format = "text", *output = NULL;
    lsd_cli_model_flags f = { .spot = NULL };
    int c;
    opterr = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:h", long_options, NULL)) != -1) {
        if (c >= OPT_TOKENS && c < OPT_END)
            text[c - OPT_TOKENS] = optarg;
        else if (lsd_cli_model_flag(c, optarg, &f))
            continue;
        else if (c == 'f')
            format = optarg;
        else if (c == 'o')
            output = optarg;
        else if (c == 'h')
            return lsd_cli_help(lsd_cli_collateral_help);
        else
            return EX_USAGE;
    }
    if (!lsd_cli_flags_done(CMD, argc, argv, format))
        return EX_USAGE;
    run r = { .pos = { .liquidation_bonus = 0.05 } };
    lsd_diag diag = { "" };
    const char *oracle = text[OPT_ORACLE - OPT_TOKENS];
    if (oracle == NULL) {
        lsd_cli_warn(CMD ": missing --oracle (see 'lsdopt " CMD " --help')");
        return EX_USAGE;
    }
    if (lsd_collateral_oracle_parse(oracle, &r.pos.oracle, &diag) != LSD_OK) {
        lsd_cli_warn(CMD ": --oracle: %s", diag.message);
        return EX_USAGE;
    }
    if (!read_flags(&r, text, &f))
        return EX_USAGE;
    const lsd_status st = lsd_collateral_assess(&r.pos, &r.dyn, &r.mc, &r.risk, &diag);
    if (st != LSD_OK) {
        lsd_cli_warn(CMD ": %s: %s", lsd_strerror(st), diag.message);
        return lsd_cli_exit_code(st);
    }
    return lsd_cli_write_report(output, format, &writers, &r);
}
