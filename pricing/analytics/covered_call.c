/*
 * covered_call.c — covered calls on a staking token: the premium and the
 * "yield on yield", the P&L at expiry, its breakeven, the assignment
 * probability and the P&L distribution, exactly from the model's law of S_T.
 *
 * Law of S_T: lsd_terminal_law_init, lsd_terminal_law_cdf and
 * lsd_terminal_law_quantile (pricing/models/terminal_law.h), the Poisson
 * mixture of log-normals of Merton (1976) under the pricing measure (drift
 * b = r − q) or a real-world drift; P(S_T > K) and the quantiles of S_T come
 * from it exactly (no simulation).
 *
 * Position per token (issue 5 §1): long the token, short one call at K for
 * premium P = lsd_model_price (never a second price formula), P invested at r:
 *
 *   P&L(S_T) = e^{qT} S_T − S + P e^{rT} − max(S_T − K, 0),
 *
 * slope e^{qT} below K and e^{qT} − 1 ≥ 0 above for q ≥ 0, so P&L is
 * non-decreasing and its quantiles are P&L at the quantiles of S_T, and the
 * breakeven is one of the two linear pieces' roots. Its expectation is
 *
 *   E[P&L] = e^{qT} S e^{bT} − S + P e^{rT} − E[(S_T − K)^+],
 *
 * where E[(S_T − K)^+] is the undiscounted call under that law: lsd_model_price
 * with rate 0 and carry −b (forward S e^{bT}). Under the pricing measure this
 * is P e^{rT} and E[P&L] = S(e^{rT} − 1): the position earns the riskless rate
 * on average, by construction.
 *
 * Strike for a delta: Brent's method (root.h) on ln K; the call delta falls
 * monotonically from e^{−qT} to 0 as K rises.
 *
 * Layer: analytics (pricing/analytics/) — depends on core, models and curves.
 */
#include "covered_call.h"

#include "diag.h"
#include "root.h"
#include "terminal_law.h"

#include <math.h>
#include <stddef.h>

double lsd_covered_call_pnl(const lsd_covered_call_market *market, double strike,
                            double premium, double spot_at_expiry)
{
    const double t = market->expiry;
    return exp(market->mkt.carry * t) * spot_at_expiry - market->mkt.spot +
           premium * exp(market->mkt.rate * t) - fmax(spot_at_expiry - strike, 0.0);
}

/* The breakeven of the two linear pieces (header of covered_call.h). */
static double breakeven(const lsd_covered_call_market *market, double strike, double premium)
{
    const double g = exp(market->mkt.carry * market->expiry);
    const double a = market->mkt.spot - premium * exp(market->mkt.rate * market->expiry);
    if (a <= 0.0)
        return 0.0;             /* P&L(0) ≥ 0: never a loss */
    if (a / g <= strike)
        return a / g;           /* g·S_T − a = 0 below K */
    if (g > 1.0)
        return (a - strike) / (g - 1.0); /* (g − 1)S_T + K − a = 0 above K */
    return NAN;                 /* a loss even if called, and no carry to recover it */
}

/* A law of S_T and the model that prices calls under it. */
typedef struct measure {
    lsd_model model;
    double drift;
    lsd_jumps jumps;
} measure;

/* Assignment probability, expected P&L and P&L quantiles under one measure. */
static lsd_status under_measure(const lsd_covered_call_market *market, const measure *ms,
                                double strike, double premium, double *prob, double *expected,
                                double spot_q[3], double pnl_q[3], lsd_diag *diag)
{
    static const double levels[3] = { 0.05, 0.5, 0.95 };
    const lsd_jumps *jumps = ms->model == LSD_MODEL_MERTON ? &ms->jumps : NULL;
    lsd_terminal_law law;
    lsd_status st = lsd_terminal_law_init(&market->mkt, market->expiry, ms->drift, jumps, &law,
                                          diag);
    double cdf;
    if (st == LSD_OK)
        st = lsd_terminal_law_cdf(&law, strike, &cdf, prob, diag);
    if (st != LSD_OK)
        return st;
    /* E[(S_T − K)^+]: the undiscounted call, forward S e^{drift·T} */
    const lsd_option call = { LSD_CALL, strike, market->expiry };
    const lsd_market undisc = { market->mkt.spot, 0.0, -ms->drift, market->mkt.vol };
    lsd_greeks g;
    const lsd_model_params params = lsd_model_params_of(ms->model, jumps);
    st = lsd_model_price(&call, &undisc, &params, LSD_ENGINE_AUTO, &g, diag);
    if (st != LSD_OK)
        return st;
    const double t = market->expiry;
    *expected = exp(market->mkt.carry * t) * market->mkt.spot * exp(ms->drift * t) -
                market->mkt.spot + premium * exp(market->mkt.rate * t) - g.price;
    for (int i = 0; i < 3; i++) {
        st = lsd_terminal_law_quantile(&law, levels[i], &spot_q[i], diag);
        if (st != LSD_OK)
            return st;
        pnl_q[i] = lsd_covered_call_pnl(market, strike, premium, spot_q[i]);
    }
    return LSD_OK;
}

static void covered_call_set_nan(lsd_covered_call *out)
{
    double *f[] = { &out->strike, &out->delta, &out->premium, &out->premium_pct,
                    &out->premium_yield_annual, &out->staking_yield, &out->staking_yield_annual,
                    &out->total_yield, &out->breakeven, &out->return_if_called,
                    &out->prob_assign, &out->expected_pnl, &out->spot_q05, &out->spot_q50,
                    &out->spot_q95, &out->pnl_q05, &out->pnl_q50, &out->pnl_q95,
                    &out->prob_assign_real_world, &out->expected_pnl_real_world,
                    &out->spot_q05_real_world, &out->spot_q50_real_world,
                    &out->spot_q95_real_world, &out->pnl_q05_real_world,
                    &out->pnl_q50_real_world, &out->pnl_q95_real_world };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        *f[i] = NAN;
}

/* Checks shared by the analysis and the delta solve. */
static lsd_status market_check(const lsd_covered_call_market *market, double strike,
                               lsd_diag *diag)
{
    if (market->model != LSD_MODEL_BSM && market->model != LSD_MODEL_MERTON)
        return lsd_diag_fail(diag, LSD_EINVAL, "unknown model %d", (int)market->model);
    const lsd_option call = { LSD_CALL, strike, market->expiry };
    lsd_status st = lsd_option_check(&call, &market->mkt,
                                     market->model == LSD_MODEL_MERTON ? &market->jumps : NULL,
                                     diag);
    if (st != LSD_OK)
        return st;
    if (!(market->mkt.carry >= 0.0))
        return lsd_diag_fail(diag, LSD_EDOM, "carry %g is negative: a covered call needs q >= 0",
                        market->mkt.carry);
    return LSD_OK;
}

lsd_status lsd_covered_call_analyse(const lsd_covered_call_market *market, double strike,
                                    lsd_covered_call *out, lsd_diag *diag)
{
    if (market == NULL || out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "lsd_covered_call_analyse: NULL argument");
    covered_call_set_nan(out);
    lsd_status st = market_check(market, strike, diag);
    if (st != LSD_OK)
        return st;
    const lsd_option call = { LSD_CALL, strike, market->expiry };
    lsd_greeks g;
    const lsd_model_params params = lsd_model_params_of(market->model, &market->jumps);
    st = lsd_model_price(&call, &market->mkt, &params, LSD_ENGINE_AUTO, &g, diag);
    if (st != LSD_OK)
        return st;
    lsd_covered_call r;
    covered_call_set_nan(&r);
    const double s = market->mkt.spot, t = market->expiry;
    r.strike = strike;
    r.delta = g.delta;
    r.premium = g.price;
    r.premium_pct = g.price / s;
    r.premium_yield_annual = r.premium_pct / t;
    r.staking_yield = expm1(market->mkt.carry * t);
    r.staking_yield_annual = r.staking_yield / t;
    r.total_yield = r.premium_yield_annual + r.staking_yield_annual;
    r.breakeven = breakeven(market, strike, g.price);
    r.return_if_called = lsd_covered_call_pnl(market, strike, g.price, strike) / s;

    const lsd_jumps none = { 0.0, 0.0, 0.0 };
    const measure pricing = { market->model, market->mkt.rate - market->mkt.carry,
                              market->model == LSD_MODEL_MERTON ? market->jumps : none };
    double sq[3], pq[3];
    st = under_measure(market, &pricing, strike, g.price, &r.prob_assign, &r.expected_pnl, sq,
                       pq, diag);
    if (st != LSD_OK)
        return st;
    r.spot_q05 = sq[0], r.spot_q50 = sq[1], r.spot_q95 = sq[2];
    r.pnl_q05 = pq[0], r.pnl_q50 = pq[1], r.pnl_q95 = pq[2];
    if (market->real_world) {
        const measure real = { LSD_MODEL_MERTON, market->drift, market->rw_jumps };
        st = under_measure(market, &real, strike, g.price, &r.prob_assign_real_world,
                           &r.expected_pnl_real_world, sq, pq, diag);
        if (st != LSD_OK)
            return st;
        r.spot_q05_real_world = sq[0], r.spot_q50_real_world = sq[1];
        r.spot_q95_real_world = sq[2];
        r.pnl_q05_real_world = pq[0], r.pnl_q50_real_world = pq[1];
        r.pnl_q95_real_world = pq[2];
    }
    *out = r;
    return LSD_OK;
}

typedef struct delta_ctx {
    const lsd_covered_call_market *market;
    double target;
    lsd_status status;
    lsd_diag *diag;
} delta_ctx;

static double delta_gap(double y, void *ctx)
{
    delta_ctx *d = ctx;
    const lsd_option call = { LSD_CALL, exp(y), d->market->expiry };
    lsd_greeks g;
    g.delta = NAN;
    if (d->status == LSD_OK) {
        const lsd_model_params params = lsd_model_params_of(d->market->model, &d->market->jumps);
        d->status = lsd_model_price(&call, &d->market->mkt, &params, LSD_ENGINE_AUTO, &g, d->diag);
    }
    return g.delta - d->target;
}

lsd_status lsd_covered_call_strike_for_delta(const lsd_covered_call_market *market,
                                             double delta, double *strike, lsd_diag *diag)
{
    if (market == NULL || strike == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "lsd_covered_call_strike_for_delta: NULL argument");
    *strike = NAN;
    lsd_status st = market_check(market, market->mkt.spot, diag);
    if (st != LSD_OK)
        return st;
    const double t = market->expiry, top = exp(-market->mkt.carry * t);
    if (!(delta > 0.0 && delta < top))
        return lsd_diag_fail(diag, LSD_EDOM, "call delta %g is not in (0, e^{-qT} = %.17g)", delta,
                        top);
    const lsd_jumps *j = &market->jumps;
    const double jv = market->model == LSD_MODEL_MERTON
                          ? j->intensity * t * (j->vol * j->vol + j->mean * j->mean)
                          : 0.0;
    const double sd = sqrt(market->mkt.vol * market->mkt.vol * t + jv);
    const double centre = log(market->mkt.spot) + (market->mkt.rate - market->mkt.carry) * t;
    delta_ctx ctx = { market, delta, LSD_OK, diag };
    const lsd_root_fn fn = { delta_gap, &ctx, &ctx.status };
    double y;
    st = lsd_root_brent(&fn, centre, sd, 1e-15 * fmax(1.0, fabs(centre)), "strike for delta", &y,
                        diag);
    if (st != LSD_OK)
        return st;
    *strike = exp(y);
    return LSD_OK;
}
