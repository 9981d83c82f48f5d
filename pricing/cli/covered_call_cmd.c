/*
 * covered_call_cmd.c — `lsdopt covered-call`: hold N tokens, sell N calls;
 * for one strike, the strike of a call delta, a ladder of deltas or a list
 * of strikes, the premium and yields, breakeven, assignment probability and
 * the P&L distribution at expiry (lsd_covered_call_analyse, covered_call.h),
 * as a text table, csv rows or a json object. The market and jump flags are
 * those of `price` (model_cli.h, market_cli.h): flat rate and carry, curves
 * or the token's carry.
 *
 * csv numbers are shortest round-trip text (numtext.cc); json numbers have
 * 17 significant digits (jansson), which also round-trip.
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
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

enum { OPT_STRIKE = 256, OPT_DELTA, OPT_LADDER, OPT_STRIKES, OPT_DRIFT, OPT_TOKENS };

static const struct option long_options[] = {
    LSD_CLI_MODEL_OPTIONS,
    { "strike", required_argument, NULL, OPT_STRIKE },
    { "delta", required_argument, NULL, OPT_DELTA },
    { "ladder", no_argument, NULL, OPT_LADDER },
    { "strikes", required_argument, NULL, OPT_STRIKES },
    { "drift", required_argument, NULL, OPT_DRIFT },
    LSD_CLI_RW_JUMP_OPTIONS,
    { "tokens", required_argument, NULL, OPT_TOKENS },
    LSD_CLI_MARKET_OPTIONS,
    LSD_CLI_OUTPUT_OPTIONS,
    { NULL, 0, NULL, 0 }
};

/* The fields of one strike's row, in csv and json order. */
typedef struct field {
    const char *name;
    size_t offset; /* in lsd_covered_call */
    int real_world; /* 1: only with --drift */
} field;

#define F(name, rw) { #name, offsetof(lsd_covered_call, name), rw }
static const field fields[] = {
    F(strike, 0), F(delta, 0), F(premium, 0), F(premium_pct, 0), F(premium_yield_annual, 0),
    F(staking_yield, 0), F(staking_yield_annual, 0), F(total_yield, 0), F(breakeven, 0),
    F(return_if_called, 0), F(prob_assign, 0), F(expected_pnl, 0), F(spot_q05, 0),
    F(spot_q50, 0), F(spot_q95, 0), F(pnl_q05, 0), F(pnl_q50, 0), F(pnl_q95, 0),
    F(prob_assign_real_world, 1), F(expected_pnl_real_world, 1), F(spot_q05_real_world, 1),
    F(spot_q50_real_world, 1), F(spot_q95_real_world, 1), F(pnl_q05_real_world, 1),
    F(pnl_q50_real_world, 1), F(pnl_q95_real_world, 1)
};
#undef F
#define N_FIELDS (sizeof fields / sizeof fields[0])

/* Deltas of --ladder. */
#define LADDER_N 10

static double field_value(const lsd_covered_call *row, const field *f)
{
    return *(const double *)((const char *)row + f->offset);
}

/* What was asked and computed. */
typedef struct run {
    lsd_covered_call_market market;
    double tokens;
    lsd_cli_expiry expiry; /* --expiry as read */
    lsd_covered_call *rows;
    size_t nrows;
} run;

static int write_csv(FILE *out, const void *report)
{
    const run *r = report;
    for (size_t i = 0; i < N_FIELDS; i++)
        fprintf(out, "%s,", fields[i].name);
    fputs("tokens,premium_total,expected_pnl_total\n", out);
    for (size_t k = 0; k < r->nrows; k++) {
        const lsd_covered_call *row = &r->rows[k];
        for (size_t i = 0; i < N_FIELDS; i++) {
            if (!fields[i].real_world || r->market.real_world)
                lsd_cli_csv_number(out, field_value(row, &fields[i]));
            fputc(',', out);
        }
        lsd_cli_csv_number(out, r->tokens);
        fputc(',', out);
        lsd_cli_csv_number(out, r->tokens * row->premium);
        fputc(',', out);
        lsd_cli_csv_number(out, r->tokens * row->expected_pnl);
        fputc('\n', out);
    }
    return EX_OK;
}

static int write_json(FILE *out, const void *report)
{
    const run *r = report;
    const lsd_covered_call_market *m = &r->market;
    const int merton = m->model == LSD_MODEL_MERTON, rw = m->real_world;
    json_t *rows = json_array();
    for (size_t k = 0; rows != NULL && k < r->nrows; k++) {
        json_t *obj = json_object();
        for (size_t i = 0; obj != NULL && i < N_FIELDS; i++) {
            const double x = field_value(&r->rows[k], &fields[i]);
            if (json_object_set_new(obj, fields[i].name, lsd_cli_json_number(x)) != 0) {
                json_decref(obj);
                obj = NULL;
            }
        }
        if (obj == NULL ||
            json_object_set_new(obj, "premium_total", lsd_cli_json_number(r->tokens * r->rows[k].premium)) ||
            json_object_set_new(obj, "expected_pnl_total",
                                lsd_cli_json_number(r->tokens * r->rows[k].expected_pnl)) ||
            json_array_append_new(rows, obj) != 0) {
            json_decref(rows);
            rows = NULL;
        }
    }
    json_t *top = rows == NULL ? NULL : json_pack(
        "{s:s, s:f, s:f, s:f, s:f, s:f, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s?, s:s?, s:f, s:o}",
        "model", lsd_model_name(m->model), "spot", m->mkt.spot, "expiry", m->expiry, "rate",
        m->mkt.rate, "carry", m->mkt.carry, "vol", m->mkt.vol,
        "jump_intensity", lsd_cli_json_number(merton ? m->jumps.intensity : NAN),
        "jump_mean", lsd_cli_json_number(merton ? m->jumps.mean : NAN),
        "jump_vol", lsd_cli_json_number(merton ? m->jumps.vol : NAN),
        "drift", lsd_cli_json_number(rw ? m->drift : NAN),
        "rw_jump_intensity", lsd_cli_json_number(rw ? m->rw_jumps.intensity : NAN),
        "rw_jump_mean", lsd_cli_json_number(rw ? m->rw_jumps.mean : NAN),
        "rw_jump_vol", lsd_cli_json_number(rw ? m->rw_jumps.vol : NAN),
        "expiry_date", r->expiry.dated ? r->expiry.expiry_date : NULL,
        "valuation_time", r->expiry.dated ? r->expiry.valuation : NULL, "tokens", r->tokens,
        "strikes", rows);
    if (top == NULL) {
        lsd_cli_warn("covered-call: out of memory building json");
        return EX_OSERR;
    }
    return lsd_cli_write_json("covered-call", out, top);
}

static int write_text(FILE *out, const void *report)
{
    const run *r = report;
    const lsd_covered_call_market *m = &r->market;
    fprintf(out, "Covered call, model %s: S %g, T %.6g y, r %g, q %g, vol %g",
            lsd_model_name(m->model), m->mkt.spot, m->expiry, m->mkt.rate, m->mkt.carry,
            m->mkt.vol);
    if (m->model == LSD_MODEL_MERTON)
        fprintf(out, ", jumps %g/y mean %g vol %g", m->jumps.intensity, m->jumps.mean,
                m->jumps.vol);
    fputc('\n', out);
    if (r->expiry.dated)
        fprintf(out, "expiry %s, valued %s\n", r->expiry.expiry_date, r->expiry.valuation);
    if (m->real_world)
        fprintf(out, "real world: drift %g, jumps %g/y mean %g vol %g\n", m->drift,
                m->rw_jumps.intensity, m->rw_jumps.mean, m->rw_jumps.vol);
    const double sy = r->nrows > 0 ? r->rows[0].staking_yield : NAN;
    fprintf(out, "staking yield over the period %.4f%% (%.2f%%/y); %g token%s\n\n", 100.0 * sy,
            r->nrows > 0 ? 100.0 * r->rows[0].staking_yield_annual : NAN, r->tokens,
            r->tokens == 1.0 ? "" : "s");
    fprintf(out, "%5s %10s %10s %7s %7s %7s %10s %8s %7s %7s %10s %10s %10s %10s\n", "delta",
            "strike", "premium", "prem%", "prem%/y", "total%/y", "breakeven", "called%",
            "P(asg)", m->real_world ? "P(asg)rw" : "", "E[P&L]", "P&L q05", "P&L q50",
            "P&L q95");
    for (size_t k = 0; k < r->nrows; k++) {
        const lsd_covered_call *c = &r->rows[k];
        fprintf(out, "%5.3f %10.4f %10.4f %7.3f %7.2f %7.2f %10.4f %8.3f %7.4f ", c->delta,
                c->strike, c->premium, 100.0 * c->premium_pct, 100.0 * c->premium_yield_annual,
                100.0 * c->total_yield, c->breakeven, 100.0 * c->return_if_called,
                c->prob_assign);
        if (m->real_world)
            fprintf(out, "%7.4f ", c->prob_assign_real_world);
        else
            fprintf(out, "%7s ", "");
        fprintf(out, "%10.4f %10.4f %10.4f %10.4f\n", c->expected_pnl, c->pnl_q05, c->pnl_q50,
                c->pnl_q95);
    }
    if (m->real_world) {
        fprintf(out, "\nreal world\n%5s %10s %10s %10s %10s %10s\n", "delta", "strike",
                "E[P&L]", "P&L q05", "P&L q50", "P&L q95");
        for (size_t k = 0; k < r->nrows; k++) {
            const lsd_covered_call *c = &r->rows[k];
            fprintf(out, "%5.3f %10.4f %10.4f %10.4f %10.4f %10.4f\n", c->delta, c->strike,
                    c->expected_pnl_real_world, c->pnl_q05_real_world, c->pnl_q50_real_world,
                    c->pnl_q95_real_world);
        }
    }
    if (r->tokens != 1.0 && r->nrows == 1)
        fprintf(out, "\nposition: premium %.4f, expected P&L %.4f\n",
                r->tokens * r->rows[0].premium, r->tokens * r->rows[0].expected_pnl);
    fputs("\nprem%: P/S; /y: per year (divided by T); total: premium + staking;\n"
          "called%: P&L if S_T = K, % of S; P(asg): P(S_T > K); P&L per token at expiry.\n",
          out);
    return EX_OK;
}

/* Strikes to analyse, from exactly one of the four flags; EX_OK or an exit code. */
static int strikes_from_flags(const run *r, const char *strike, const char *delta, int ladder,
                              const char *strikes, double **k, size_t *n)
{
    if ((strike != NULL) + (delta != NULL) + (ladder != 0) + (strikes != NULL) != 1) {
        lsd_cli_warn("covered-call: give exactly one of --strike, --delta, --ladder, --strikes");
        return EX_USAGE;
    }
    if (strikes != NULL)
        return lsd_cli_number_list("covered-call", "strikes", strikes, k, n) ? EX_OK : EX_USAGE;
    double target = 0.0;
    if (strike != NULL && !lsd_cli_number_flag("covered-call", "strike", strike, &target))
        return EX_USAGE;
    if (delta != NULL && !lsd_cli_number_flag("covered-call", "delta", delta, &target))
        return EX_USAGE;
    *n = ladder ? LADDER_N : 1;
    *k = malloc(*n * sizeof **k);
    if (*k == NULL) {
        lsd_cli_warn("covered-call: out of memory");
        return EX_OSERR;
    }
    if (strike != NULL) {
        (*k)[0] = target;
        return EX_OK;
    }
    for (size_t i = 0; i < *n; i++) {
        const double d = ladder ? 0.05 * (double)(i + 1) : target;
        lsd_diag diag = { "" };
        if (lsd_covered_call_strike_for_delta(&r->market, d, &(*k)[i], &diag) != LSD_OK) {
            lsd_cli_warn("covered-call: delta %g: %s", d, diag.message);
            free(*k);
            *k = NULL;
            return EX_DATAERR;
        }
    }
    return EX_OK;
}

/* The market, the real world and the position from the flags; EX_OK or
 * an exit code after a diagnostic. */
static int market_from_flags(run *r, const lsd_cli_model_flags *f,
                             const lsd_cli_market_flags *mf, const char *drift,
                             const char *tokens)
{
    lsd_covered_call_market *m = &r->market;
    if (!lsd_cli_number_flag("covered-call", "spot", f->spot, &m->mkt.spot) ||
        !lsd_cli_expiry_flag("covered-call", f->expiry, mf->valuation, &r->expiry))
        return EX_USAGE;
    m->expiry = r->expiry.years;
    lsd_cli_market_info carry_source;
    const int market_rc =
        lsd_cli_market_resolve("covered-call", mf, m->expiry, &m->mkt, &carry_source);
    if (market_rc != EX_OK)
        return market_rc;
    int rw_given = 0;
    if (!lsd_cli_number_flag("covered-call", "vol", f->vol, &m->mkt.vol) ||
        !lsd_cli_model_jumps("covered-call", f->param, &m->model, &m->jumps) ||
        !lsd_cli_jump_flags("covered-call", "rw-", f->rw_jump, &rw_given, &m->rw_jumps) ||
        !lsd_cli_optional_number_flag("covered-call", "tokens", tokens, &r->tokens))
        return EX_USAGE;
    if (rw_given && drift == NULL) {
        lsd_cli_warn("covered-call: --rw-jump-* need --drift (the real-world drift)");
        return EX_USAGE;
    }
    if (drift != NULL) {
        if (!lsd_cli_number_flag("covered-call", "drift", drift, &m->drift))
            return EX_USAGE;
        m->real_world = 1;
        if (!rw_given && m->model == LSD_MODEL_MERTON)
            m->rw_jumps = m->jumps;
    }
    if (!(r->tokens > 0.0)) {
        lsd_cli_warn("covered-call: --tokens must be > 0 (got %g)", r->tokens);
        return EX_USAGE;
    }
    return EX_OK;
}

static const lsd_cli_writers writers = { write_text, write_csv, write_json };

int lsd_cli_covered_call(int argc, char **argv)
{
    lsd_cli_model_flags f = { .spot = NULL };
    lsd_cli_market_flags mf = { .rate = NULL };
    const char *strike = NULL, *delta = NULL, *strikes = NULL, *drift = NULL, *tokens = NULL,
               *format = "text", *output = NULL;
    int ladder = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:h", long_options, NULL)) != -1) {
        if (lsd_cli_model_flag(c, optarg, &f) || lsd_cli_market_flag(c, optarg, &mf))
            continue;
        switch (c) {
        case OPT_STRIKE: strike = optarg; break;
        case OPT_DELTA: delta = optarg; break;
        case OPT_LADDER: ladder = 1; break;
        case OPT_STRIKES: strikes = optarg; break;
        case OPT_DRIFT: drift = optarg; break;
        case OPT_TOKENS: tokens = optarg; break;
        case 'f': format = optarg; break;
        case 'o': output = optarg; break;
        case 'h': return lsd_cli_help(lsd_cli_covered_call_help);
        default: return EX_USAGE; /* getopt_long printed why */
        }
    }
    if (!lsd_cli_flags_done("covered-call", argc, argv, format))
        return EX_USAGE;
    run r = { .market = { .model = LSD_MODEL_BSM }, .tokens = 1.0 };
    int rc = market_from_flags(&r, &f, &mf, drift, tokens);
    if (rc != EX_OK)
        return rc;

    double *k = NULL;
    rc = strikes_from_flags(&r, strike, delta, ladder, strikes, &k, &r.nrows);
    if (rc != EX_OK)
        return rc;
    r.rows = malloc(r.nrows * sizeof *r.rows);
    if (r.rows == NULL) {
        free(k);
        lsd_cli_warn("covered-call: out of memory");
        return EX_OSERR;
    }
    for (size_t i = 0; i < r.nrows && rc == EX_OK; i++) {
        lsd_diag diag = { "" };
        if (lsd_covered_call_analyse(&r.market, k[i], &r.rows[i], &diag) != LSD_OK) {
            lsd_cli_warn("covered-call: strike %g: %s", k[i], diag.message);
            rc = EX_DATAERR;
        }
    }
    free(k);
    if (rc == EX_OK)
        rc = lsd_cli_write_report(output, format, &writers, &r);
    free(r.rows);
    return rc;
}
