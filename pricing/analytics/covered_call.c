/*
 * covered_call.c — covered calls on a staking token: the premium and the
 * "yield on yield", the P&L at expiry, its breakeven, the assignment
 * probability and the P&L distribution, exactly from the model's law of S_T.
 *
 * Law of S_T. Under Merton (1976) with carry (merton.h), given n jumps by T,
 * ln S_T is normal with mean ln F_n − v_n/2 and variance v_n,
 *
 *   F_n = S e^{bT} e^{−λκT} (1+κ)^n,  v_n = σ²T + nδ²,  κ = e^{μ_J+δ²/2} − 1,
 *
 * i.e. mean ln S + (b − λκ − σ²/2)T + nμ_J, and n ~ Poisson(λT) (Merton 1976,
 * J. Financial Economics 3, eq. (19) is the price as that mixture). b = r − q
 * is the pricing measure; a real-world drift μ replaces it (E[S_T] = S e^{μT}),
 * with real-world jump parameters compensated the same way. So
 *
 *   P(S_T ≤ s) = Σ_n Pois(n; λT) N(z_n),  z_n = (ln s − mean_n)/√v_n,
 *
 * and P(S_T > K) = Σ_n Pois(n; λT) N(d2_n), N(d2) when λ = 0.
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
 * Roots: Brent's method (GSL gsl_root_fsolver_brent) for quantiles (on ln s)
 * and for the strike of a target delta (on ln K; the call delta falls
 * monotonically from e^{−qT} to 0 as K rises).
 */
#include "covered_call.h"

#include "diag.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stddef.h>

/* Poisson terms a CDF evaluation may sum before LSD_ENOCONV. */
#define LAW_MAX_TERMS 100000L
/* The CDF sum stops when the Poisson mass not yet summed is below this. */
#define LAW_TAIL 1e-17
/* Brent iterations before LSD_ENOCONV (each halves the bracket at worst). */
#define ROOT_MAX_ITER 400
/* Bracket widenings (doubling, in standard deviations of ln S_T). */
#define BRACKET_MAX 40

static void law_set_nan(lsd_terminal_law *law)
{
    law->log_mean0 = law->var0 = law->jump_mean = law->jump_var = law->jump_count = NAN;
}

lsd_status lsd_terminal_law_init(const lsd_market *mkt, double expiry, double drift,
                                 const lsd_jumps *jumps, lsd_terminal_law *law, lsd_diag *diag)
{
    if (mkt == NULL || law == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "lsd_terminal_law_init: NULL argument");
    law_set_nan(law);
    if (!isfinite(drift))
        return lsd_diag_fail(diag, LSD_EDOM, "drift %g is not finite", drift);
    const lsd_option opt = { LSD_CALL, mkt->spot, expiry };
    const lsd_status st = lsd_option_check(&opt, mkt, jumps, diag);
    if (st != LSD_OK)
        return st;
    const double lambda = jumps == NULL ? 0.0 : jumps->intensity;
    const double mean = jumps == NULL ? 0.0 : jumps->mean;
    const double jvol = jumps == NULL ? 0.0 : jumps->vol;
    const double kappa = lambda > 0.0 ? expm1(mean + 0.5 * jvol * jvol) : 0.0;
    const double var0 = mkt->vol * mkt->vol * expiry;
    const double log_mean0 = log(mkt->spot) + (drift - lambda * kappa) * expiry - 0.5 * var0;
    if (!isfinite(log_mean0))
        return lsd_diag_fail(diag, LSD_EDOM, "mean of ln S_T overflows (drift %g, jumps)", drift);
    law->log_mean0 = log_mean0;
    law->var0 = var0;
    law->jump_mean = mean;
    law->jump_var = jvol * jvol;
    law->jump_count = lambda * expiry;
    return LSD_OK;
}

/* Σ_n Pois(n; λT) N(∓z_n) at x = ln s, both tails summed directly. */
static lsd_status law_sums(const lsd_terminal_law *law, double x, double *cdf, double *sf,
                           lsd_diag *diag)
{
    const double m = law->jump_count;
    double lo = 0.0, hi = 0.0;
    for (long n = 0; n < LAW_MAX_TERMS; n++) {
        const double dn = (double)n;
        const double w = m > 0.0 ? gsl_ran_poisson_pdf((unsigned)n, m) : (n == 0 ? 1.0 : 0.0);
        const double z = (x - law->log_mean0 - dn * law->jump_mean) /
                         sqrt(law->var0 + dn * law->jump_var);
        lo += w * gsl_cdf_ugaussian_P(z);
        hi += w * gsl_cdf_ugaussian_Q(z);
        if (m == 0.0 || gsl_cdf_poisson_Q((unsigned)n, m) < LAW_TAIL) {
            *cdf = lo;
            *sf = hi;
            return LSD_OK;
        }
    }
    *cdf = *sf = NAN;
    return lsd_diag_fail(diag, LSD_ENOCONV, "terminal law: Poisson tail above %g after %ld terms",
                    LAW_TAIL, LAW_MAX_TERMS);
}

lsd_status lsd_terminal_law_cdf(const lsd_terminal_law *law, double s, double *cdf, double *sf,
                                lsd_diag *diag)
{
    double lo = NAN, hi = NAN;
    lsd_status st = LSD_OK;
    if (law == NULL)
        st = lsd_diag_fail(diag, LSD_EINVAL, "lsd_terminal_law_cdf: NULL law");
    else if (!(s >= 0.0) || !isfinite(s))
        st = lsd_diag_fail(diag, LSD_EDOM, "S_T %g is not finite and >= 0", s);
    else if (s == 0.0) {
        lo = 0.0;
        hi = 1.0;
    } else
        st = law_sums(law, log(s), &lo, &hi, diag);
    if (cdf != NULL)
        *cdf = lo;
    if (sf != NULL)
        *sf = hi;
    return st;
}

/* A decreasing or increasing function of one variable with its status. */
typedef struct root_fn {
    double (*f)(double x, void *ctx); /* sets ctx's status on failure */
    void *ctx;
    lsd_status *status;
} root_fn;

static double root_call(double x, void *params)
{
    const root_fn *fn = params;
    return fn->f(x, fn->ctx);
}

/*
 * Solve fn(x) = 0 with Brent's method, bracketing from centre ± k·width,
 * k = 1, 2, 4, … until the signs differ. Converged when the bracket is
 * below epsabs. Returns LSD_OK and *x, or LSD_ENOCONV (or fn's own status).
 */
static lsd_status brent(const root_fn *fn, double centre, double width, double epsabs,
                        const char *what, double *x, lsd_diag *diag)
{
    *x = NAN;
    double lo = centre - width, hi = centre + width, flo = NAN, fhi = NAN;
    int found = 0;
    for (int k = 0; k < BRACKET_MAX && !found; k++) {
        flo = fn->f(lo, fn->ctx);
        fhi = fn->f(hi, fn->ctx);
        if (*fn->status != LSD_OK)
            return *fn->status;
        if (flo == 0.0 || fhi == 0.0) {
            *x = flo == 0.0 ? lo : hi;
            return LSD_OK;
        }
        found = (flo < 0.0) != (fhi < 0.0);
        if (!found) {
            width *= 2.0;
            lo = centre - width;
            hi = centre + width;
        }
    }
    if (!found)
        return lsd_diag_fail(diag, LSD_ENOCONV, "%s: no sign change within %g of %g", what, width,
                        centre);
    gsl_function gf = { root_call, (void *)fn };
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (s == NULL)
        return lsd_diag_fail(diag, LSD_ENOMEM, "%s: out of memory", what);
    lsd_status st = LSD_ENOCONV;
    if (gsl_root_fsolver_set(s, &gf, lo, hi) == GSL_SUCCESS) {
        for (int i = 0; i < ROOT_MAX_ITER && *fn->status == LSD_OK; i++) {
            if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
                break;
            const double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(a, b, epsabs, 0.0) == GSL_SUCCESS) {
                *x = gsl_root_fsolver_root(s);
                st = LSD_OK;
                break;
            }
        }
    }
    gsl_root_fsolver_free(s);
    if (*fn->status != LSD_OK)
        return *fn->status;
    if (st != LSD_OK)
        return lsd_diag_fail(diag, LSD_ENOCONV, "%s: Brent did not converge", what);
    return LSD_OK;
}

typedef struct quantile_ctx {
    const lsd_terminal_law *law;
    double p;
    lsd_status status;
    lsd_diag *diag;
} quantile_ctx;

static double quantile_gap(double x, void *ctx)
{
    quantile_ctx *q = ctx;
    double cdf = NAN, sf = NAN;
    if (q->status == LSD_OK)
        q->status = law_sums(q->law, x, &cdf, &sf, q->diag);
    /* the smaller tail carries the digits */
    return q->p <= 0.5 ? cdf - q->p : (1.0 - q->p) - sf;
}

lsd_status lsd_terminal_law_quantile(const lsd_terminal_law *law, double p, double *s,
                                     lsd_diag *diag)
{
    if (s == NULL || law == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "lsd_terminal_law_quantile: NULL argument");
    *s = NAN;
    if (!(p > 0.0 && p < 1.0))
        return lsd_diag_fail(diag, LSD_EDOM, "probability %g is not in (0, 1)", p);
    const double m = law->jump_count;
    /* centre and spread of the mixture of ln S_T */
    const double centre = law->log_mean0 + m * law->jump_mean;
    const double sd = sqrt(law->var0 + m * (law->jump_var + law->jump_mean * law->jump_mean));
    quantile_ctx ctx = { law, p, LSD_OK, diag };
    const root_fn fn = { quantile_gap, &ctx, &ctx.status };
    double x;
    /* ln s to 1e-15 absolute: s to ~1e-15 relative */
    const lsd_status st = brent(&fn, centre, sd, 1e-15 * fmax(1.0, fabs(centre)), "quantile",
                                &x, diag);
    if (st != LSD_OK)
        return st;
    *s = exp(x);
    return LSD_OK;
}

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
    st = lsd_model_price(ms->model, &call, &undisc, jumps, &g, diag);
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
    st = lsd_model_price(market->model, &call, &market->mkt, &market->jumps, &g, diag);
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
    if (d->status == LSD_OK)
        d->status = lsd_model_price(d->market->model, &call, &d->market->mkt, &d->market->jumps, &g,
                              d->diag);
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
    const root_fn fn = { delta_gap, &ctx, &ctx.status };
    double y;
    st = brent(&fn, centre, sd, 1e-15 * fmax(1.0, fabs(centre)), "strike for delta", &y, diag);
    if (st != LSD_OK)
        return st;
    *strike = exp(y);
    return LSD_OK;
}
