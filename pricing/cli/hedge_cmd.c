/*
 * hedge_cmd.c — `lsdopt hedge`: depeg protection for one token held, with
 * the library's hedge.h: the protective put (cost, cost as an annual rate
 * next to the staking yield, stress table), the expected depeg loss, the
 * zero-cost collar, hedge ratios (BSM delta, minimum-variance Δ_MV under
 * jumps) and optionally a seeded Monte Carlo of the delta-hedging error.
 *
 * Prices come from lsd_model_price (BSM, or Merton when the jump flags are
 * given: model_cli.h, all three or none); the rate and carry from the flags
 * of `price` (market_cli.h): flat, curves or the token's carry. Output: a
 * text report, json (one object, the names README "Depeg hedges"
 * documents), or csv with one row per number, section,name,value,
 * flattened from that json object (lsd_cli_csv_flatten: a stress row is
 * section stress[i], a simulation run simulation.runs[i]).
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

enum {
    OPT_PUT_STRIKE = 256,
    OPT_CALL_STRIKE,
    OPT_SIMULATE,
    OPT_PATHS,
    OPT_REBALANCE_DAYS,
    OPT_SEED
};

static const struct option long_options[] = {
    LSD_CLI_MODEL_OPTIONS,
    LSD_CLI_RW_JUMP_OPTIONS,
    { "put-strike", required_argument, NULL, OPT_PUT_STRIKE },
    { "call-strike", required_argument, NULL, OPT_CALL_STRIKE },
    { "simulate", no_argument, NULL, OPT_SIMULATE },
    { "paths", required_argument, NULL, OPT_PATHS },
    { "rebalance-days", required_argument, NULL, OPT_REBALANCE_DAYS },
    { "seed", required_argument, NULL, OPT_SEED },
    LSD_CLI_MARKET_OPTIONS,
    LSD_CLI_OUTPUT_OPTIONS,
    { NULL, 0, NULL, 0 }
};

static const double shocks[] = { -0.05, -0.10, -0.20, -0.50 };
enum { NSHOCKS = sizeof shocks / sizeof shocks[0], NRUNS = 4 };

/* Everything asked and computed. */
typedef struct hedge_report {
    lsd_option put;
    lsd_market mkt;
    lsd_jumps jumps, rw;   /* risk-neutral (zero without jumps) and real-world */
    int has_jumps, has_rw; /* jump flags given; rw flags given */
    int has_call;          /* --call-strike given */
    lsd_cli_expiry expiry; /* --expiry as read */
    double call_strike;
    lsd_greeks put_g;
    double loss;                      /* expected depeg loss */
    lsd_hedge_protection prot;        /* the put's cost against yield and loss */
    lsd_hedge_stress stress[NSHOCKS];
    double collar_call, collar_put, collar_put_value, collar_call_value;
    lsd_hedge_ratio ratio;
    int simulate;
    lsd_hedge_control ctl;
    double rebalance_days;
    lsd_hedge_sim_result runs[NRUNS]; /* jumps/bsm, jumps/mv, no jumps/bsm, no jumps/mv */
} hedge_report;

static const char *const run_dynamics[NRUNS] = { "jumps", "jumps", "no_jumps", "no_jumps" };
static const char *const run_hedge[NRUNS] = { "bsm", "mv", "bsm", "mv" };

/* Library status to exit code, after a diagnostic. */
static int fail(const char *what, lsd_status st, const lsd_diag *diag)
{
    lsd_cli_warn("hedge: %s: %s (%s)", what, lsd_strerror(st), diag->message);
    return lsd_cli_exit_code(st);
}

static int compute(hedge_report *r)
{
    lsd_diag diag = { "" };
    const lsd_jumps *jp = r->has_jumps ? &r->jumps : NULL;
    const lsd_model_params params =
        lsd_model_params_of(r->has_jumps ? LSD_MODEL_MERTON : LSD_MODEL_BSM, jp);
    lsd_status st = lsd_model_price(&r->put, &r->mkt, &params, LSD_ENGINE_AUTO, &r->put_g, &diag);
    if (st != LSD_OK)
        return fail("put", st, &diag);
    for (int i = 0; i < NSHOCKS; i++)
        if ((st = lsd_hedge_put_stress(&r->put, &r->mkt, jp, shocks[i], &r->stress[i], &diag)))
            return fail("stress", st, &diag);
    if ((st = lsd_hedge_depeg_loss(r->mkt.spot, r->put.expiry, r->has_rw ? &r->rw : &r->jumps,
                                   &r->loss, &diag)))
        return fail("expected depeg loss", st, &diag);
    if ((st = lsd_hedge_protection_summary(r->mkt.spot, r->put.expiry, r->mkt.carry,
                                           r->put_g.price, r->loss, &r->prot, &diag)))
        return fail("protection", st, &diag);
    if ((st = lsd_hedge_collar_strike(&r->put, &r->mkt, jp, &r->collar_call,
                                      &r->collar_call_value, &diag)))
        return fail("collar call strike", st, &diag);
    r->collar_put = r->collar_put_value = NAN;
    if (r->has_call) {
        const lsd_option call = { .type = LSD_CALL, .strike = r->call_strike,
                                  .expiry = r->put.expiry };
        if ((st = lsd_hedge_collar_strike(&call, &r->mkt, jp, &r->collar_put,
                                          &r->collar_put_value, &diag)))
            return fail("collar put strike", st, &diag);
    }
    if ((st = lsd_hedge_mv_delta(&r->put, &r->mkt, &r->jumps, &r->ratio, &diag)))
        return fail("hedge ratios", st, &diag);
    if (!r->simulate)
        return EX_OK;
    const lsd_jumps none = { .intensity = 0.0, .mean = r->jumps.mean, .vol = r->jumps.vol };
    for (int k = 0; k < NRUNS; k++) {
        lsd_hedge_control ctl = r->ctl;
        ctl.rule = k % 2 ? LSD_HEDGE_MV : LSD_HEDGE_BSM;
        if ((st = lsd_hedge_simulate(&r->put, &r->mkt, k < 2 ? &r->jumps : &none, &ctl,
                                     &r->runs[k], &diag)))
            return fail("simulation", st, &diag);
    }
    return EX_OK;
}

static json_t *jumps_json(json_t *obj, const lsd_jumps *j)
{
    return lsd_cli_json_numbers(obj, "jump_intensity", j->intensity, "jump_mean", j->mean,
                                "jump_vol", j->vol, (char *)NULL);
}

static json_t *to_json(const hedge_report *r)
{
    const double S = r->mkt.spot, T = r->put.expiry;
    const lsd_hedge_protection *p = &r->prot;
    json_t *inputs = lsd_cli_json_numbers(
        json_pack("{s:s}", "model", r->has_jumps ? "merton" : "bsm"), "spot", S, "expiry", T,
        "rate", r->mkt.rate, "carry", r->mkt.carry, "vol", r->mkt.vol, "put_strike",
        r->put.strike, "call_strike", r->has_call ? r->call_strike : NAN, (char *)NULL);
    const lsd_jumps given = { .intensity = r->has_jumps ? r->jumps.intensity : NAN,
                              .mean = r->has_jumps ? r->jumps.mean : NAN,
                              .vol = r->has_jumps ? r->jumps.vol : NAN };
    inputs = jumps_json(inputs, &given);
    if (inputs != NULL && r->expiry.dated) {
        json_object_set_new(inputs, "expiry_date", json_string(r->expiry.expiry_date));
        json_object_set_new(inputs, "valuation_time", json_string(r->expiry.valuation));
    }
    json_t *put = lsd_cli_json_numbers(
        json_object(), "cost", r->put_g.price, "cost_pct", p->cost_pct, "cost_annual",
        p->cost_annual, "staking_yield", p->staking_yield, "staking_yield_annual",
        p->staking_yield_annual, "net_yield_annual", p->net_yield_annual, "delta",
        r->put_g.delta, (char *)NULL);
    json_t *depeg = lsd_cli_json_numbers(
        json_pack("{s:s}", "jumps", r->has_rw ? "real_world" : "risk_neutral"), "expected_loss",
        r->loss, "expected_loss_pct", p->expected_loss_pct, "put_cost_to_loss", p->cost_to_loss,
        (char *)NULL);
    depeg = jumps_json(depeg, r->has_rw ? &r->rw : &r->jumps);
    json_t *stress = json_array();
    for (int i = 0; stress != NULL && i < NSHOCKS; i++) {
        const lsd_hedge_stress *s = &r->stress[i];
        lsd_cli_json_append(&stress, lsd_cli_json_numbers(
                                         json_object(), "shock", s->shock, "spot_after",
                                         s->spot_after, "put_after", s->put_after, "unhedged_now",
                                         s->unhedged_now, "hedged_now", s->hedged_now,
                                         "unhedged_expiry", s->unhedged_expiry, "hedged_expiry",
                                         s->hedged_expiry, (char *)NULL));
    }
    json_t *collar = lsd_cli_json_numbers(
        json_object(), "call_strike", r->collar_call, "call_value", r->collar_call_value,
        "put_strike", r->collar_put, "put_value", r->collar_put_value, (char *)NULL);
    const lsd_hedge_ratio *h = &r->ratio;
    json_t *ratios = lsd_cli_json_numbers(
        json_object(), "bsm_delta", h->bsm_delta, "model_delta", h->model_delta, "mv_delta",
        h->mv_delta, "jump_cov", h->jump_cov, "jump_var", h->jump_var, "jump_var_numeric",
        h->jump_var_numeric, (char *)NULL);
    json_t *sim = json_null();
    if (r->simulate) {
        json_t *runs = json_array();
        for (int k = 0; runs != NULL && k < NRUNS; k++)
            lsd_cli_json_append(&runs, lsd_cli_json_numbers(
                                           json_pack("{s:s, s:s}", "dynamics", run_dynamics[k],
                                                     "hedge", run_hedge[k]),
                                           "mean", r->runs[k].mean, "sd", r->runs[k].sd, "q01",
                                           r->runs[k].q01, (char *)NULL));
        sim = json_pack("{s:I, s:o, s:I, s:I, s:o, s:o}", "paths", (json_int_t)r->ctl.paths,
                        "rebalance_days", lsd_cli_json_number(r->rebalance_days), "steps",
                        (json_int_t)r->runs[0].steps, "seed", (json_int_t)r->ctl.seed, "premium",
                        lsd_cli_json_number(r->runs[0].premium), "runs", runs);
    }
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "inputs", inputs, "put", put, "depeg",
                     depeg, "stress", stress, "collar", collar, "hedge_ratios", ratios,
                     "simulation", sim);
}

/* json, or csv flattened from it (lsd_cli_csv_flatten). */
static int write_json_or_csv(FILE *out, const hedge_report *r, int csv)
{
    json_t *obj = to_json(r);
    if (obj == NULL) {
        lsd_cli_warn("hedge: out of memory building json");
        return EX_OSERR;
    }
    if (!csv)
        return lsd_cli_write_json("hedge", out, obj);
    lsd_cli_csv_flatten(out, obj);
    json_decref(obj);
    return EX_OK;
}

static int write_json(FILE *out, const void *report)
{
    return write_json_or_csv(out, report, 0);
}

static int write_csv(FILE *out, const void *report)
{
    return write_json_or_csv(out, report, 1);
}

static int write_text(FILE *out, const void *report)
{
    const hedge_report *r = report;
    const lsd_hedge_protection *p = &r->prot;
    fprintf(out, "protective put   K = %.10g, T = %.6g years, model %s\n", r->put.strike,
            r->put.expiry, r->has_jumps ? "merton" : "bsm");
    fprintf(out, "  cost                 %.10g  (%.4f%% of spot)\n", r->put_g.price,
            100.0 * p->cost_pct);
    fprintf(out, "  cost, annual rate    %.4f%%  (cost/S/T)\n", 100.0 * p->cost_annual);
    fprintf(out, "  staking yield        %.4f%% annual  (e^{qT}-1)/T; net of put %.4f%%\n",
            100.0 * p->staking_yield_annual, 100.0 * p->net_yield_annual);
    fprintf(out, "\nexpected depeg loss  %.10g per token (%.4f%%), %s jumps\n", r->loss,
            100.0 * p->expected_loss_pct, r->has_rw ? "real-world" : "risk-neutral");
    fprintf(out, "  put cost / loss      %.6g\n", p->cost_to_loss);
    fputs("\nstress per token: now = right after an instant depeg; expiry = held, no further "
          "move\n   shock    spot_after     put_after  unhedged_now    hedged_now  "
          "unhedged_exp    hedged_exp\n", out);
    for (int i = 0; i < NSHOCKS; i++) {
        const lsd_hedge_stress *s = &r->stress[i];
        fprintf(out, "%7.0f%% %13.6g %13.6g %13.6g %13.6g %13.6g %13.6g\n", 100.0 * s->shock,
                s->spot_after, s->put_after, s->unhedged_now, s->hedged_now,
                s->unhedged_expiry, s->hedged_expiry);
    }
    fprintf(out, "\nzero-cost collar\n  call strike worth the put at %.10g: %.10g (value %.10g)\n",
            r->put.strike, r->collar_call, r->collar_call_value);
    if (r->has_call)
        fprintf(out, "  put strike worth the call at %.10g: %.10g (value %.10g)\n",
                r->call_strike, r->collar_put, r->collar_put_value);
    const lsd_hedge_ratio *h = &r->ratio;
    fprintf(out, "\nhedge ratios of the put (tokens per put)\n"
                 "  bsm_delta    %.10g\n  model_delta  %.10g\n  mv_delta     %.10g"
                 "  (minimum variance under jumps)\n"
                 "  jump variance %.10g (closed form), %.10g (quadrature)\n",
            h->bsm_delta, h->model_delta, h->mv_delta, h->jump_var, h->jump_var_numeric);
    if (!r->simulate)
        return EX_OK;
    fprintf(out, "\nhedge simulation: short put sold at %.10g, %ld paths, rebalanced every %g "
                 "days (%ld steps), seed %lu\n  final hedged P&L per put at expiry\n"
                 "  dynamics  hedge            mean              sd     1%% quantile\n",
            r->runs[0].premium, r->ctl.paths, r->rebalance_days, r->runs[0].steps,
            r->ctl.seed);
    for (int k = 0; k < NRUNS; k++)
        fprintf(out, "  %-9s %-5s %15.6g %15.6g %15.6g\n", run_dynamics[k], run_hedge[k],
                r->runs[k].mean, r->runs[k].sd, r->runs[k].q01);
    return EX_OK;
}

/* The hedge's numbers from the flags: 1, or 0 after a diagnostic. */
static int hedge_flags(hedge_report *r, const char *call_strike, const char *paths,
                       const char *seed, const char *days)
{
    r->ctl = lsd_hedge_control_default();
    r->rebalance_days = 1.0;
    double n = (double)r->ctl.paths, s = (double)r->ctl.seed;
    if (!lsd_cli_optional_number_flag("hedge", "call-strike", call_strike, &r->call_strike) ||
        !lsd_cli_whole_flag("hedge", "paths", paths, 2.0, 1e7, &n) ||
        !lsd_cli_whole_flag("hedge", "seed", seed, 0.0, 4294967295.0, &s) ||
        !lsd_cli_optional_number_flag("hedge", "rebalance-days", days, &r->rebalance_days))
        return 0;
    if (!(r->rebalance_days > 0.0)) {
        lsd_cli_warn("hedge: --rebalance-days must be > 0 (got %s)", days);
        return 0;
    }
    r->has_call = call_strike != NULL;
    r->ctl.paths = (long)n;
    r->ctl.seed = (unsigned long)s;
    r->ctl.rebalance = r->rebalance_days / LSD_DAYS_PER_YEAR;
    return 1;
}

static const lsd_cli_writers writers = { write_text, write_csv, write_json };

int lsd_cli_hedge(int argc, char **argv)
{
    lsd_cli_model_flags f = { .spot = NULL };
    lsd_cli_market_flags mf = { .rate = NULL };
    const char *put_strike = NULL, *call_strike = NULL, *paths = NULL, *days = NULL;
    const char *seed = NULL, *format = "text", *output = NULL;
    hedge_report r;
    memset(&r, 0, sizeof r);
    int c;
    opterr = 1;
    while ((c = getopt_long(argc, argv, "f:o:h", long_options, NULL)) != -1) {
        if (lsd_cli_model_flag(c, optarg, &f) || lsd_cli_market_flag(c, optarg, &mf))
            continue;
        switch (c) {
        case OPT_PUT_STRIKE: put_strike = optarg; break;
        case OPT_CALL_STRIKE: call_strike = optarg; break;
        case OPT_SIMULATE: r.simulate = 1; break;
        case OPT_PATHS: paths = optarg; break;
        case OPT_REBALANCE_DAYS: days = optarg; break;
        case OPT_SEED: seed = optarg; break;
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'h': return lsd_cli_help(lsd_cli_hedge_help);
        default: return EX_USAGE;
        }
    }
    r.put.type = LSD_PUT;
    if (!lsd_cli_flags_done("hedge", argc, argv, format) ||
        !lsd_cli_number_flag("hedge", "spot", f.spot, &r.mkt.spot) ||
        !lsd_cli_expiry_flag("hedge", f.expiry, mf.valuation, &r.expiry))
        return EX_USAGE;
    r.put.expiry = r.expiry.years;
    lsd_cli_market_info carry_source;
    const int market_rc =
        lsd_cli_market_resolve("hedge", &mf, r.put.expiry, &r.mkt, &carry_source);
    if (market_rc != EX_OK)
        return market_rc;
    if (!lsd_cli_number_flag("hedge", "vol", f.vol, &r.mkt.vol) ||
        !lsd_cli_number_flag("hedge", "put-strike", put_strike, &r.put.strike) ||
        !lsd_cli_jump_flags("hedge", "", f.param, &r.has_jumps, &r.jumps) ||
        !lsd_cli_jump_flags("hedge", "rw-", f.rw_jump, &r.has_rw, &r.rw) ||
        !hedge_flags(&r, call_strike, paths, seed, days))
        return EX_USAGE;
    const int code = compute(&r);
    return code != EX_OK ? code : lsd_cli_write_report(output, format, &writers, &r);
}
