/*
 * hedge.c — depeg protection analytics (hedge.h): protective-put stress
 * rows, expected depeg loss, zero-cost collar strikes, the minimum-variance
 * hedge ratio under Merton jumps and a Monte Carlo of the hedging error.
 *
 * Every option value is lsd_model_price's (BSM when jumps is NULL) or
 * lsd_merton_price's; this file adds no pricing formula of its own.
 *
 * Expected depeg loss: with N ~ Poisson(λT) jumps e^{Y_k}, Y ~ N(μ_J, δ²),
 * E[Π e^{Y_k}] = Σ_n Pois(n; λT)(1+κ)^n = e^{λTκ}, κ = e^{μ_J+δ²/2} − 1
 * (Merton 1976, §3), so the mean jump loss of one token is S(1 − e^{λTκ}).
 *
 * Minimum-variance hedge: Cont & Tankov, Financial Modelling with Jump
 * Processes (Chapman & Hall 2004), §10.4.2, for exponential-Lévy S with
 * Lévy measure ν; for Merton ν(dz) = λ·N(z; μ_J, δ²)dz and
 *   ∫(e^z−1)²ν(dz) = λ(E e^{2Y} − 2E e^Y + 1) = λ(e^{2μ+2δ²} − 2e^{μ+δ²/2} + 1).
 * Quadrature range: in x = (z − μ_J)/δ the weight is the standard normal
 * density φ(x). The jump-covariance integrand is bounded by
 * |e^z − 1|·|C(Se^z) − C(S)| ≤ (e^z + 1)·max(S e^{z}, K) (a call grows at
 * most like S e^z, a put is bounded by K), so its tail mass beyond x is at
 * most of order e^{2δ²}Φ(2δ − x)·e^{2μ}S + Φ(−x)·K: cutting at
 * x ∈ [−12, 12 + 2δ] drops less than Φ(−10) ≈ 8e-24 relative, far below
 * the 1e-10 quadrature tolerance. An infinite-range rule (qagi) would call
 * the pricer at spots that overflow, which the pricer rightly rejects.
 *
 * Monte Carlo: exact simulation of the Merton log price per step by the
 * path simulator of paths.h (normal diffusion increment plus a Poisson
 * number N of normal jumps, whose sum is N(Nμ_J, Nδ²); gsl_rng_mt19937),
 * paths advanced together step by step so that the Δ_MV rule can
 * interpolate from nodes placed where the paths are.
 *
 * GSL's handler: the quadrature, the collar's Brent solver, the
 * interpolation and every GSL allocation run under the library's guard
 * (gsl_guard.h); an error GSL raises there is the call's error.
 *
 * Layer: analytics (pricing/analytics/) — depends on core, models and curves.
 */
#include "hedge.h"

#include "bsm.h"
#include "constants.h"
#include "diag.h"
#include "gsl_guard.h"
#include "market.h"
#include "merton.h"
#include "model.h"
#include "paths.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_interp.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

/* Price with Merton when jumps are given, else BSM (lsd_model_price). */
static lsd_status model_price(const lsd_option *opt, const lsd_market *mkt,
                              const lsd_jumps *jumps, lsd_greeks *g, lsd_diag *diag)
{
    const lsd_model_params params =
        lsd_model_params_of(jumps != NULL ? LSD_MODEL_MERTON : LSD_MODEL_BSM, jumps);
    return lsd_model_price(opt, mkt, &params, LSD_ENGINE_AUTO, g, diag);
}

static void stress_nan(lsd_hedge_stress *out)
{
    out->shock = out->spot_after = out->put_after = NAN;
    out->unhedged_now = out->hedged_now = out->unhedged_expiry = out->hedged_expiry = NAN;
}

lsd_status lsd_hedge_put_stress(const lsd_option *put, const lsd_market *mkt,
                                const lsd_jumps *jumps, double shock, lsd_hedge_stress *out,
                                lsd_diag *diag)
{
    if (out == NULL || put == NULL || mkt == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "hedge: NULL argument");
    stress_nan(out);
    if (put->type != LSD_PUT)
        return lsd_diag_fail(diag, LSD_EINVAL, "hedge: the protective option must be a put");
    if (!(shock > -1.0) || !isfinite(shock))
        return lsd_diag_fail(diag, LSD_EDOM, "shock must be finite and > -1 (got %g)", shock);
    lsd_greeks today, after;
    lsd_status st = model_price(put, mkt, jumps, &today, diag);
    if (st != LSD_OK)
        return st;
    lsd_market jumped = *mkt;
    jumped.spot = mkt->spot * (1.0 + shock);
    st = model_price(put, &jumped, jumps, &after, diag);
    if (st != LSD_OK)
        return st;
    const double S = mkt->spot, S1 = jumped.spot, T = put->expiry;
    const double grown = exp(mkt->carry * T) * S1;
    out->shock = shock;
    out->spot_after = S1;
    out->put_after = after.price;
    out->unhedged_now = S1 - S;
    out->hedged_now = S1 + after.price - S - today.price;
    out->unhedged_expiry = grown - S;
    out->hedged_expiry = grown + fmax(put->strike - S1, 0.0) - S -
                         today.price * exp(mkt->rate * T);
    return LSD_OK;
}

/* Check jumps against their domain (lsd_option_check on a dummy option). */
static lsd_status jumps_check(const lsd_jumps *jumps, lsd_diag *diag)
{
    const lsd_option opt = { .type = LSD_CALL, .strike = 1.0, .expiry = 1.0 };
    const lsd_market mkt = { .spot = 1.0, .rate = 0.0, .carry = 0.0, .vol = 1.0 };
    return lsd_option_check(&opt, &mkt, jumps, diag);
}

lsd_status lsd_hedge_depeg_loss(double spot, double expiry, const lsd_jumps *jumps,
                                double *loss, lsd_diag *diag)
{
    if (loss == NULL || jumps == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "hedge: NULL argument");
    *loss = NAN;
    if (!(spot > 0.0) || !isfinite(spot) || !(expiry > 0.0) || !isfinite(expiry))
        return lsd_diag_fail(diag, LSD_EDOM, "spot and expiry must be finite and > 0 (got %g, %g)",
                        spot, expiry);
    const lsd_status st = jumps_check(jumps, diag);
    if (st != LSD_OK)
        return st;
    const double kappa = expm1(jumps->mean + 0.5 * jumps->vol * jumps->vol);
    const double value = -spot * expm1(jumps->intensity * expiry * kappa);
    if (!isfinite(value))
        return lsd_diag_fail(diag, LSD_EDOM, "expected jump loss overflows (lambda*T*kappa = %g)",
                        jumps->intensity * expiry * kappa);
    *loss = value;
    return LSD_OK;
}

lsd_status lsd_hedge_protection_summary(double spot, double expiry, double carry,
                                        double put_price, double loss, lsd_hedge_protection *out,
                                        lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "hedge: NULL argument");
    *out = (lsd_hedge_protection){ NAN, NAN, NAN, NAN, NAN, NAN, NAN };
    if (!(spot > 0.0) || !isfinite(spot) || !(expiry > 0.0) || !isfinite(expiry))
        return lsd_diag_fail(diag, LSD_EDOM, "spot and expiry must be finite and > 0 (got %g, %g)",
                             spot, expiry);
    if (!isfinite(carry) || !isfinite(put_price) || !isfinite(loss))
        return lsd_diag_fail(diag, LSD_EDOM,
                             "carry, put price and loss must be finite (got %g, %g, %g)", carry,
                             put_price, loss);
    const double S = spot, T = expiry, P = put_price;
    const double staking = expm1(carry * T);
    if (!isfinite(staking))
        return lsd_diag_fail(diag, LSD_EDOM, "staking yield e^{qT} overflows (qT = %g)",
                             carry * T);
    *out = (lsd_hedge_protection){ .cost_pct = P / S,
                                   .cost_annual = P / S / T,
                                   .staking_yield = staking,
                                   .staking_yield_annual = staking / T,
                                   .net_yield_annual = staking / T - P / S / T,
                                   .expected_loss_pct = loss / S,
                                   .cost_to_loss = loss != 0.0 ? P / loss : NAN };
    return LSD_OK;
}

/* The other leg's value minus the target, as a function of its strike. */
typedef struct collar_fn {
    lsd_option leg;
    const lsd_market *mkt;
    const lsd_jumps *jumps;
    double target;
    lsd_status status; /* first pricer failure, if any */
    lsd_diag *diag;
} collar_fn;

static double collar_gap(double strike, void *params)
{
    collar_fn *c = params;
    c->leg.strike = strike;
    lsd_greeks g;
    const lsd_status st = model_price(&c->leg, c->mkt, c->jumps, &g, c->diag);
    if (st != LSD_OK) {
        if (c->status == LSD_OK)
            c->status = st;
        return NAN;
    }
    return g.price - c->target;
}

lsd_status lsd_hedge_collar_strike(const lsd_option *given, const lsd_market *mkt,
                                   const lsd_jumps *jumps, double *strike, double *price,
                                   lsd_diag *diag)
{
    if (given == NULL || mkt == NULL || strike == NULL || price == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "hedge: NULL argument");
    *strike = *price = NAN;
    lsd_greeks g;
    lsd_status st = model_price(given, mkt, jumps, &g, diag);
    if (st != LSD_OK)
        return st;
    collar_fn c = { .leg = *given, .mkt = mkt, .jumps = jumps, .target = g.price,
                    .status = LSD_OK, .diag = diag };
    c.leg.type = given->type == LSD_CALL ? LSD_PUT : LSD_CALL;
    const double tol = 1e-10 * mkt->spot;
    if (!(g.price > tol))
        return lsd_diag_fail(diag, LSD_ENOCONV, "collar: the given leg is worth %g, too little to "
                        "match to 1e-10*S", g.price);
    /* A put's value rises with its strike, a call's falls: grow a bracket
     * [lo, hi] around the forward where the gap changes sign (factor 2 per
     * step, 200 steps reach 2^±200·F, beyond any meaningful strike). */
    double fwd;
    st = lsd_market_forward(mkt, given->expiry, &fwd, diag);
    if (st != LSD_OK)
        return st;
    const double up = c.leg.type == LSD_PUT ? 1.0 : -1.0; /* sign of d gap / d strike */
    double lo = fwd, hi = fwd;
    double flo = up * collar_gap(lo, &c), fhi = flo;
    for (int i = 0; i < 200 && c.status == LSD_OK && !(flo < 0.0); i++)
        flo = up * collar_gap(lo *= 0.5, &c);
    for (int i = 0; i < 200 && c.status == LSD_OK && !(fhi > 0.0); i++)
        fhi = up * collar_gap(hi *= 2.0, &c);
    if (c.status != LSD_OK)
        return c.status;
    if (!(flo < 0.0) || !(fhi > 0.0))
        return lsd_diag_fail(diag, LSD_ENOCONV, "collar: no strike brackets the value %.17g",
                        c.target);
    if (flo == 0.0 || fhi == 0.0) {
        *strike = flo == 0.0 ? lo : hi;
        *price = c.target;
        return LSD_OK;
    }
    gsl_function fn = { .function = collar_gap, .params = &c };
    lsd_gsl_guard guard;
    lsd_gsl_guard_enter(&guard);
    gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (solver == NULL) {
        lsd_gsl_guard_leave(&guard);
        return lsd_diag_fail(diag, LSD_ENOMEM, "collar: out of memory");
    }
    gsl_root_fsolver_set(solver, &fn, lo, hi);
    double root = NAN;
    int done = 0;
    for (int iter = 0; iter < 500 && !done && c.status == LSD_OK; iter++) {
        if (gsl_root_fsolver_iterate(solver) != GSL_SUCCESS)
            break;
        root = gsl_root_fsolver_root(solver);
        const double gap = collar_gap(root, &c);
        done = fabs(gap) <= tol ||
               gsl_root_test_interval(gsl_root_fsolver_x_lower(solver),
                                      gsl_root_fsolver_x_upper(solver), 0.0, 4.0 * DBL_EPSILON)
                   == GSL_SUCCESS;
        if (done && !(fabs(gap) <= tol))
            done = -1; /* the strike is exact to rounding, the values still differ */
    }
    gsl_root_fsolver_free(solver);
    lsd_gsl_guard_leave(&guard);
    if (c.status != LSD_OK)
        return c.status;
    if (done != 1 && guard.gsl_errno != 0)
        return lsd_diag_fail(diag, LSD_ENOCONV, "collar: strike not found to 1e-10*S in price "
                             "(value %.17g; GSL: %s)", c.target, guard.reason);
    if (done != 1)
        return lsd_diag_fail(diag, LSD_ENOCONV, "collar: strike not found to 1e-10*S in price "
                        "(value %.17g)", c.target);
    *strike = root;
    *price = c.target;
    return LSD_OK;
}

/* Integrand data for the jump terms of Δ_MV, in x = (z − μ_J)/δ. */
typedef struct mv_fn {
    lsd_option opt;
    lsd_market mkt; /* spot varied */
    lsd_jumps jumps;
    double spot, value; /* S and C(S) */
    lsd_status status;
    lsd_diag *diag;
} mv_fn;

static double mv_cov_integrand(double x, void *params)
{
    mv_fn *m = params;
    const double z = m->jumps.mean + m->jumps.vol * x;
    m->mkt.spot = m->spot * exp(z);
    lsd_greeks g;
    const lsd_status st = lsd_merton_price(&m->opt, &m->mkt, &m->jumps, NULL, &g, m->diag);
    if (st != LSD_OK) {
        if (m->status == LSD_OK)
            m->status = st;
        return NAN;
    }
    const double phi = exp(-0.5 * x * x) / sqrt(2.0 * M_PI);
    return expm1(z) * (g.price - m->value) * phi;
}

static double mv_var_integrand(double x, void *params)
{
    const mv_fn *m = params;
    const double e = expm1(m->jumps.mean + m->jumps.vol * x);
    return e * e * exp(-0.5 * x * x) / sqrt(2.0 * M_PI);
}

static void ratio_nan(lsd_hedge_ratio *out)
{
    out->bsm_delta = out->model_delta = out->mv_delta = NAN;
    out->jump_cov = out->jump_var = out->jump_var_numeric = NAN;
}

/* ∫ f φ dx over [−12, 12 + 2δ] by qag (21-point rule), relative 1e-10. */
static lsd_status mv_integrate(double (*f)(double, void *), mv_fn *m, double scale,
                               gsl_integration_workspace *ws, double *result, lsd_diag *diag)
{
    gsl_function fn = { .function = f, .params = m };
    double abserr;
    lsd_gsl_guard guard;
    lsd_gsl_guard_enter(&guard);
    const int rc = gsl_integration_qag(&fn, -12.0, 12.0 + 2.0 * m->jumps.vol, 1e-14 * scale,
                                       1e-10, 1000, GSL_INTEG_GAUSS21, ws, result, &abserr);
    lsd_gsl_guard_leave(&guard);
    if (m->status != LSD_OK)
        return m->status;
    if (rc != GSL_SUCCESS || !isfinite(*result))
        return lsd_diag_fail(diag, LSD_ENOCONV, "hedge: jump integral did not converge (%s)",
                             guard.gsl_errno != 0 ? guard.reason : gsl_strerror(rc));
    return LSD_OK;
}

lsd_status lsd_hedge_mv_delta(const lsd_option *opt, const lsd_market *mkt,
                              const lsd_jumps *jumps, lsd_hedge_ratio *out, lsd_diag *diag)
{
    if (opt == NULL || mkt == NULL || jumps == NULL || out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "hedge: NULL argument");
    ratio_nan(out);
    lsd_greeks bsm, mjd;
    lsd_status st = lsd_bsm_price(opt, mkt, &bsm, diag);
    if (st == LSD_OK)
        st = lsd_merton_price(opt, mkt, jumps, NULL, &mjd, diag);
    if (st != LSD_OK)
        return st;
    const double lam = jumps->intensity, mu = jumps->mean, dj = jumps->vol;
    const double var = lam * (exp(2.0 * mu + 2.0 * dj * dj) - 2.0 * exp(mu + 0.5 * dj * dj) + 1.0);
    double cov = 0.0, var_num = 0.0;
    if (lam > 0.0 && dj == 0.0) {
        /* ν is λ times a point mass at μ_J. */
        lsd_market moved = *mkt;
        moved.spot = mkt->spot * exp(mu);
        lsd_greeks g;
        if ((st = lsd_merton_price(opt, &moved, jumps, NULL, &g, diag)) != LSD_OK)
            return st;
        cov = lam * expm1(mu) * (g.price - mjd.price) / mkt->spot;
        var_num = lam * expm1(mu) * expm1(mu);
    } else if (lam > 0.0) {
        mv_fn m = { .opt = *opt, .mkt = *mkt, .jumps = *jumps, .spot = mkt->spot,
                    .value = mjd.price, .status = LSD_OK, .diag = diag };
        lsd_gsl_guard guard;
        lsd_gsl_guard_enter(&guard);
        gsl_integration_workspace *ws = gsl_integration_workspace_alloc(1000);
        lsd_gsl_guard_leave(&guard);
        if (ws == NULL)
            return lsd_diag_fail(diag, LSD_ENOMEM, "hedge: out of memory");
        st = mv_integrate(mv_cov_integrand, &m, mkt->spot + opt->strike, ws, &cov, diag);
        if (st == LSD_OK)
            st = mv_integrate(mv_var_integrand, &m, 1.0, ws, &var_num, diag);
        gsl_integration_workspace_free(ws);
        if (st != LSD_OK)
            return st;
        cov *= lam / mkt->spot;
        var_num *= lam;
    }
    const double s2 = mkt->vol * mkt->vol;
    out->bsm_delta = bsm.delta;
    out->model_delta = mjd.delta;
    out->jump_cov = cov;
    out->jump_var = var;
    out->jump_var_numeric = var_num;
    out->mv_delta = lam > 0.0 ? (s2 * mjd.delta + cov) / (s2 + var) : mjd.delta;
    return LSD_OK;
}

lsd_hedge_control lsd_hedge_control_default(void)
{
    const lsd_hedge_control ctl = { .paths = 20000, .rebalance = 1.0 / LSD_DAYS_PER_YEAR, .seed = 1,
                                        .rule = LSD_HEDGE_BSM };
    return ctl;
}

/* Nodes of the Δ_MV interpolation per step (hedge.h). */
enum { QUANTILE_NODES = 33, STRIKE_NODES = 9, MAX_NODES = QUANTILE_NODES + STRIKE_NODES };

/* Working memory of one simulation. */
typedef struct sim_work {
    double *spot, *tokens, *cash, *sorted;
    double xs[MAX_NODES], ys[MAX_NODES];
    gsl_rng *rng;
    gsl_interp_accel *acc;
} sim_work;

/*
 * Δ_MV at every path's spot for time to expiry tau: exact at a shared spot
 * (all paths at t = 0), else interpolated from nodes at quantiles of the
 * spots and around the strike (ln S, Steffen spline, which keeps the
 * monotone delta monotone and never overshoots).
 */
static lsd_status mv_deltas(const lsd_option *opt, const lsd_market *mkt,
                            const lsd_jumps *jumps, long paths, sim_work *w, double *delta,
                            lsd_diag *diag)
{
    lsd_market m = *mkt;
    lsd_hedge_ratio h;
    lsd_status st;
    for (long i = 0; i < paths; i++)
        w->sorted[i] = log(w->spot[i]);
    gsl_sort(w->sorted, 1, (size_t)paths);
    const double lo = w->sorted[0], hi = w->sorted[paths - 1];
    if (!(hi > lo)) {
        m.spot = exp(lo);
        if ((st = lsd_hedge_mv_delta(opt, &m, jumps, &h, diag)) != LSD_OK)
            return st;
        for (long i = 0; i < paths; i++)
            delta[i] = h.mv_delta;
        return LSD_OK;
    }
    size_t n = 0;
    for (int k = 0; k < QUANTILE_NODES; k++)
        w->xs[n++] = gsl_stats_quantile_from_sorted_data(w->sorted, 1, (size_t)paths,
                                                         k / (QUANTILE_NODES - 1.0));
    const double band = 6.0 * mkt->vol * sqrt(opt->expiry), lk = log(opt->strike);
    for (int k = 0; k < STRIKE_NODES; k++) {
        const double x = lk + band * (2.0 * k / (STRIKE_NODES - 1.0) - 1.0);
        if (x > lo && x < hi)
            w->xs[n++] = x;
    }
    gsl_sort(w->xs, 1, n);
    size_t u = 1;
    for (size_t k = 1; k < n; k++)
        if (w->xs[k] > w->xs[u - 1])
            w->xs[u++] = w->xs[k];
    for (size_t k = 0; k < u; k++) {
        m.spot = exp(w->xs[k]);
        if ((st = lsd_hedge_mv_delta(opt, &m, jumps, &h, diag)) != LSD_OK)
            return st;
        w->ys[k] = h.mv_delta;
    }
    if (u < 3) {
        for (long i = 0; i < paths; i++)
            delta[i] = w->ys[0];
        return LSD_OK;
    }
    gsl_interp *interp = gsl_interp_alloc(gsl_interp_steffen, u);
    if (interp == NULL)
        return lsd_diag_fail(diag, LSD_ENOMEM, "hedge: out of memory");
    gsl_interp_init(interp, w->xs, w->ys, u);
    gsl_interp_accel_reset(w->acc);
    for (long i = 0; i < paths; i++) {
        const double x = fmin(fmax(log(w->spot[i]), w->xs[0]), w->xs[u - 1]);
        delta[i] = gsl_interp_eval(interp, w->xs, w->ys, x, w->acc);
    }
    gsl_interp_free(interp);
    return LSD_OK;
}

/* Hedge ratio of every path at time to expiry tau (opt's expiry). */
static lsd_status deltas(const lsd_option *opt, const lsd_market *mkt, const lsd_jumps *jumps,
                         lsd_hedge_rule rule, long paths, sim_work *w, double *delta,
                         lsd_diag *diag)
{
    if (rule == LSD_HEDGE_MV && jumps->intensity > 0.0)
        return mv_deltas(opt, mkt, jumps, paths, w, delta, diag);
    /* BSM delta; with λ = 0 Δ_MV is the model delta, which is BSM's. */
    lsd_market m = *mkt;
    lsd_greeks g;
    for (long i = 0; i < paths; i++) {
        m.spot = w->spot[i];
        const lsd_status st = lsd_bsm_price(opt, &m, &g, diag);
        if (st != LSD_OK)
            return st;
        delta[i] = g.delta;
    }
    return LSD_OK;
}

static void sim_free(sim_work *w)
{
    free(w->spot);
    free(w->tokens);
    free(w->cash);
    free(w->sorted);
    if (w->rng != NULL)
        gsl_rng_free(w->rng);
    if (w->acc != NULL)
        gsl_interp_accel_free(w->acc);
}

static void sim_nan(lsd_hedge_sim_result *out)
{
    out->mean = out->sd = out->q01 = out->premium = NAN;
    out->steps = 0;
}

lsd_status lsd_hedge_simulate(const lsd_option *opt, const lsd_market *mkt,
                              const lsd_jumps *jumps, const lsd_hedge_control *ctl,
                              lsd_hedge_sim_result *out, lsd_diag *diag)
{
    if (opt == NULL || mkt == NULL || jumps == NULL || ctl == NULL || out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "hedge: NULL argument");
    sim_nan(out);
    if (ctl->rule != LSD_HEDGE_BSM && ctl->rule != LSD_HEDGE_MV)
        return lsd_diag_fail(diag, LSD_EINVAL, "hedge: unknown hedge rule %d", (int)ctl->rule);
    if (!(ctl->paths >= 2) || !(ctl->rebalance > 0.0) || !isfinite(ctl->rebalance))
        return lsd_diag_fail(diag, LSD_EDOM, "paths must be >= 2 and the rebalancing interval "
                        "finite and > 0 (got %ld, %g)", ctl->paths, ctl->rebalance);
    lsd_greeks g;
    lsd_status st = lsd_merton_price(opt, mkt, jumps, NULL, &g, diag);
    if (st != LSD_OK)
        return st;
    const double steps_real = lsd_paths_step_count(opt->expiry, ctl->rebalance);
    if (!(steps_real <= 100000.0))
        return lsd_diag_fail(diag, LSD_EDOM, "too many rebalancing steps (%g > 100000)", steps_real);
    const long steps = steps_real < 1.0 ? 1 : (long)steps_real;
    const long paths = ctl->paths;
    const double T = opt->expiry, dt = T / (double)steps;
    const double lam = jumps->intensity, sig = mkt->vol;
    const double kappa = expm1(jumps->mean + 0.5 * jumps->vol * jumps->vol);
    const lsd_paths_law law = { mkt->rate - mkt->carry - lam * kappa - 0.5 * sig * sig, sig, lam,
                                jumps->mean, jumps->vol, 1 };
    const lsd_paths_step step = lsd_paths_step_over(&law, dt);
    const double grow_q = exp(mkt->carry * dt), grow_r = exp(mkt->rate * dt);

    const size_t bytes = (size_t)paths * sizeof(double);
    sim_work w = { .spot = malloc(bytes), .tokens = malloc(bytes), .cash = malloc(bytes),
                   .sorted = malloc(bytes), .rng = lsd_paths_rng(ctl->seed),
                   .acc = NULL };
    lsd_gsl_guard guard;
    lsd_gsl_guard_enter(&guard);
    w.acc = gsl_interp_accel_alloc();
    double *delta = malloc(bytes);
    if (w.spot == NULL || w.tokens == NULL || w.cash == NULL || w.sorted == NULL ||
        w.rng == NULL || w.acc == NULL || delta == NULL) {
        sim_free(&w);
        free(delta);
        lsd_gsl_guard_leave(&guard);
        return lsd_diag_fail(diag, LSD_ENOMEM, "hedge: out of memory for %ld paths", paths);
    }
    for (long i = 0; i < paths; i++) {
        w.spot[i] = mkt->spot;
        w.tokens[i] = 0.0;
        w.cash[i] = g.price;
    }
    lsd_option o = *opt;
    for (long k = 0; k < steps && st == LSD_OK; k++) {
        o.expiry = T - (double)k * dt;
        st = deltas(&o, mkt, jumps, ctl->rule, paths, &w, delta, diag);
        if (st != LSD_OK)
            break;
        for (long i = 0; i < paths; i++) {
            /* Rebalance to the new ratio, then let one step pass. */
            w.cash[i] -= (delta[i] - w.tokens[i]) * w.spot[i];
            w.tokens[i] = delta[i] * grow_q;
            w.cash[i] *= grow_r;
            w.spot[i] *= exp(lsd_paths_advance(0.0, &step, w.rng));
        }
    }
    if (st == LSD_OK) {
        for (long i = 0; i < paths; i++) {
            const double payoff = opt->type == LSD_CALL ? fmax(w.spot[i] - opt->strike, 0.0)
                                                        : fmax(opt->strike - w.spot[i], 0.0);
            w.sorted[i] = w.cash[i] + w.tokens[i] * w.spot[i] - payoff;
        }
        out->mean = gsl_stats_mean(w.sorted, 1, (size_t)paths);
        out->sd = gsl_stats_sd_m(w.sorted, 1, (size_t)paths, out->mean);
        gsl_sort(w.sorted, 1, (size_t)paths);
        out->q01 = gsl_stats_quantile_from_sorted_data(w.sorted, 1, (size_t)paths, 0.01);
        out->steps = steps;
        out->premium = g.price;
        if (!isfinite(out->mean) || !isfinite(out->sd)) {
            sim_nan(out);
            st = lsd_diag_fail(diag, LSD_EDOM, "hedge: simulated P&L is not finite");
        }
    }
    lsd_gsl_guard_leave(&guard);
    if (st == LSD_OK && guard.gsl_errno != 0) {
        sim_nan(out);
        st = lsd_diag_fail(diag, lsd_gsl_guard_status(&guard), "hedge: simulation failed in GSL "
                           "(%s)", guard.reason);
    }
    sim_free(&w);
    free(delta);
    return st;
}
