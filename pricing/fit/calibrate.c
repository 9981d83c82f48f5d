/*
 * calibrate.c — least-squares calibration of BSM or Merton (1976) to an
 * option chain (contract in calibrate.h).
 *
 * Quotes. Only out-of-the-money two-sided quotes are fitted (calls K ≥ F,
 * puts K < F; bid > 0, ask > bid): they carry the time value the model must
 * explain, while in-the-money prices are mostly intrinsic value and repeat
 * the OTM twin through parity. Each quote's market implied vol σ_mkt is the
 * Black-76 vol of its mid (lsd_implied_vol_black); a mid with none (priced
 * at or outside the no-arbitrage bounds) is left out and counted.
 *
 * Residuals. r_i = (V_i(θ) − mid_i)/w_i with w_i the Black vega at σ_mkt
 * (default), half the spread, or 1. Why vega-scaled prices rather than
 * implied vols of model prices: V(σ_mkt + ε) − mid = vega·ε + ½·volga·ε², so
 * r_i is the IV error ε to first order, off by the relative ½·(volga/vega)·ε
 * (volga/vega = d1·d2/σ: a few per cent of ε at ε = 1 vol point in the
 * wings, nothing at the money), while every residual is a smooth function of θ,
 * defined for any θ (an IV inversion inside the loop fails where a trial
 * point prices a wing at zero) and differentiable in closed form: the
 * pricer returns vega and ∂V/∂λ, ∂V/∂μ_J, ∂V/∂δ with the price, so one
 * Merton evaluation per quote gives a residual and its Jacobian row, and
 * no IV inversion runs inside the fit. The reported iv_rmse is then exact:
 * the implied vol of the final model prices, inverted.
 *
 * Parameters. θ = (a, b, m, c): σ = e^a, λ = Λ·ℓ(b), μ_J = M·tanh(m),
 * δ = Δ·ℓ(c), ℓ the logistic function, with Λ = 500 per year, M = 2,
 * Δ = 2. Smooth and monotone, so the solver meets no bound and ∂V/∂θ is
 * the pricer's vega or jump sensitivity times dσ/da = σ, dλ/db = λ(1 − λ/Λ),
 * dμ_J/dm = M(1 − tanh²m), dδ/dc = δ(1 − δ/Δ). Why bounded: an LM trial
 * step unconstrained in log λ or log δ reaches λT ~ 10³ with δ ~ 50, where
 * the Poisson series needs ~10⁵ terms per price (first runs: 20 s per
 * snapshot, spent in such trials). On the nine Deribit snapshots the
 * fits stay inside (λ ≤ 66, |μ_J| ≤ 1.4, δ ≤ 1.4: the large jumps are the
 * weakly identified tails of the longest expiries); with M = Δ = 1 those
 * stuck at μ_J = −1 with no standard error. Jointly, θ = (a_1..a_E,
 * b, m, c): a diffusion vol per expiry (the term structure of ATM vol) and
 * one jump process for the whole chain (Merton's assumption that jumps are
 * a property of the asset, not of the horizon); BSM has nothing to share,
 * so joint BSM is per-expiry BSM.
 *
 * Solver. GSL multifit_nlinear trust region with the Levenberg–Marquardt
 * step and Moré scaling (GSL manual §"Nonlinear Least-Squares Fitting";
 * Moré, "The Levenberg–Marquardt algorithm: implementation and theory",
 * Lecture Notes in Math. 630, 1978). Merton's least-squares surface has
 * several basins (few large jumps vs many small ones), so each fit starts
 * from the points in starts[] below and keeps the lowest cost among the
 * starts that converged (GSL_SUCCESS; or GSL_ENOPROG: no step lowers the
 * cost further in working precision, which the driver reports as
 * GSL_EMAXITER with info GSL_ENOPROG when it happens at the start). σ's
 * start removes the start's jump variance λ(μ_J² + δ²) from the
 * at-the-money market variance.
 *
 * Series control inside the fit: rtol 1e-10 (default 1e-14) stops the
 * Poisson series a few terms earlier; the price then moves by ≤ 1e-10
 * relative, which is ≤ 1e-10·V/vega in vol — below 1e-10 vol for an OTM
 * option, seven orders under the bid–ask (a tick of 1e-4 ETH is ~1e-3 vol
 * at the money). Metrics and reported prices use the default control.
 *
 * Standard errors. With J the Jacobian of r at the optimum θ̂, n quotes,
 * p parameters: Cov(θ̂) = s²·(JᵀJ)⁻¹, s² = Σr_i²/(n − p) (the residual
 * variance: the scale of r is then irrelevant), by
 * gsl_multifit_nlinear_covar (QR with column pivoting; a direction with
 * |R_kk| ≤ 1e-10·|R_11| is not identified and gets NaN here, not GSL's 0).
 * Natural parameters by the delta method, SE(σ) = (dσ/da)·SE(a) and so on
 * with the derivatives above; the transforms are increasing, so the
 * correlations are those of θ.
 *
 * GSL's handler: the allocations, the multifit_nlinear driver and the
 * covariance run under the library's guard (pricing/core/gsl_guard.h), and
 * their return codes decide: a start that fails is dropped, and GSL's
 * reason goes into the message if no start converges. No input reaches
 * GSL's aborting handler.
 *
 * Layer: fit (pricing/fit/) — depends on core, models and curves.
 */
#include "calibrate.h"

#include "diag.h"
#include "gsl_guard.h"
#include "implied_vol.h"
#include "market.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

lsd_calibrate_control lsd_calibrate_control_default(void)
{
    lsd_calibrate_control ctl;
    ctl.model = LSD_MODEL_MERTON;
    ctl.joint = 0;
    ctl.weights = LSD_CALIBRATE_VEGA;
    ctl.rate = 0.0;
    ctl.pricing = lsd_merton_control_default();
    ctl.pricing.rtol = 1e-10;
    ctl.pricing.atol = 1e-12;
    ctl.xtol = 1e-10;
    ctl.gtol = 1e-10;
    ctl.ftol = 0.0;
    ctl.max_iter = 200;
    return ctl;
}

/*
 * Merton starting points (λ per year, μ_J, δ): few large jumps, a moderate
 * crash-shaped mix, and many small ones (short-dated smiles), each with
 * both skew signs represented.
 */
static const double starts[][3] = {
    { 0.5, -0.30, 0.20 },
    { 5.0, -0.10, 0.10 },
    { 30.0, 0.05, 0.05 },
    { 30.0, -0.05, 0.05 },
    { 200.0, -0.02, 0.02 },
};
#define N_STARTS (sizeof starts / sizeof starts[0])

/* Relative pivot below which a direction counts as not identified. */
#define COVAR_EPSREL 1e-10

/* A quote prepared for the fit; prices in quote currency. */
typedef struct fit_quote {
    lsd_option_type type;
    double strike, expiry, expiry_time, forward, discount;
    double bid, ask, mid;
    double market_vol; /* Black implied vol of mid */
    double scale;      /* residual divisor w_i */
    size_t group;      /* expiry index */
} fit_quote;

/* One least-squares problem: quotes q[0..n) of groups base..base+ng−1. */
typedef struct problem {
    const fit_quote *q;
    size_t n;
    size_t base, ng;   /* σ of group g is parameter g − base */
    int jumps;         /* parameters ng, ng+1, ng+2 are b, m, c */
    double rate;
    const lsd_merton_control *pricing;
    lsd_greeks *greeks; /* n, at cache */
    double *cache;      /* the θ greeks belong to */
    int cached;
    size_t p;
} problem;

static int quote_cmp(const void *pa, const void *pb)
{
    const fit_quote *a = pa, *b = pb;
    if (a->expiry_time != b->expiry_time)
        return a->expiry_time < b->expiry_time ? -1 : 1;
    if (a->strike != b->strike)
        return a->strike < b->strike ? -1 : 1;
    return (int)a->type - (int)b->type;
}

/* Bounds of the jump parameters (why: see the header comment). */
#define MAX_INTENSITY 500.0 /* λ per year */
#define MAX_JUMP_MEAN 2.0   /* |μ_J| */
#define MAX_JUMP_VOL 2.0    /* δ */

static double logistic(double x)
{
    return 1.0 / (1.0 + exp(-x));
}

/* Natural parameters of one group and their derivatives by θ. */
typedef struct natural_params {
    double vol;
    lsd_jumps jumps;
    double deriv[LSD_CALIBRATE_NPARAMS]; /* dσ/da, dλ/db, dμ_J/dm, dδ/dc */
} natural_params;

/* Natural parameters of group g from θ. */
static natural_params natural(const problem *pb, const double *x, size_t g)
{
    natural_params p = { 0 };
    p.vol = exp(x[g - pb->base]);
    p.deriv[0] = p.vol;
    if (pb->jumps) {
        const double *y = x + pb->ng;
        const double t = tanh(y[1]);
        p.jumps.intensity = MAX_INTENSITY * logistic(y[0]);
        p.jumps.mean = MAX_JUMP_MEAN * t;
        p.jumps.vol = MAX_JUMP_VOL * logistic(y[2]);
        p.deriv[1] = p.jumps.intensity * (1.0 - p.jumps.intensity / MAX_INTENSITY);
        p.deriv[2] = MAX_JUMP_MEAN * (1.0 - t * t);
        p.deriv[3] = p.jumps.vol * (1.0 - p.jumps.vol / MAX_JUMP_VOL);
    }
    return p;
}

/* Price one quote with the model at σ and jumps under control ctl. */
static lsd_status price_quote(const fit_quote *q, double rate, double sigma, const lsd_jumps *j,
                              const lsd_merton_control *ctl, lsd_greeks *g, lsd_diag *diag)
{
    const lsd_option opt = { q->type, q->strike, q->expiry };
    const lsd_market mkt = { q->forward, rate, rate, sigma };
    return lsd_merton_price(&opt, &mkt, j, ctl, g, diag);
}

/* Price every quote at θ = x (cached: f then df at one θ costs one pass). */
static int evaluate(problem *pb, const gsl_vector *x)
{
    if (pb->cached && memcmp(pb->cache, x->data, pb->p * sizeof(double)) == 0)
        return GSL_SUCCESS;
    pb->cached = 0;
    for (size_t i = 0; i < pb->n; i++) {
        const natural_params np = natural(pb, x->data, pb->q[i].group);
        if (price_quote(&pb->q[i], pb->rate, np.vol, &np.jumps, pb->pricing, &pb->greeks[i],
                        NULL) != LSD_OK)
            return GSL_EDOM; /* the trial point fails; the start is dropped */
    }
    memcpy(pb->cache, x->data, pb->p * sizeof(double));
    pb->cached = 1;
    return GSL_SUCCESS;
}

static int residuals(const gsl_vector *x, void *params, gsl_vector *f)
{
    problem *pb = params;
    const int st = evaluate(pb, x);
    if (st != GSL_SUCCESS)
        return st;
    for (size_t i = 0; i < pb->n; i++)
        gsl_vector_set(f, i, (pb->greeks[i].price - pb->q[i].mid) / pb->q[i].scale);
    return GSL_SUCCESS;
}

static int jacobian(const gsl_vector *x, void *params, gsl_matrix *J)
{
    problem *pb = params;
    const int st = evaluate(pb, x);
    if (st != GSL_SUCCESS)
        return st;
    gsl_matrix_set_zero(J);
    for (size_t i = 0; i < pb->n; i++) {
        const lsd_greeks *g = &pb->greeks[i];
        const double w = pb->q[i].scale;
        const natural_params np = natural(pb, x->data, pb->q[i].group);
        gsl_matrix_set(J, i, pb->q[i].group - pb->base, np.deriv[0] * g->vega / w);
        if (pb->jumps) {
            gsl_matrix_set(J, i, pb->ng, np.deriv[1] * g->jump_intensity_sens / w);
            gsl_matrix_set(J, i, pb->ng + 1, np.deriv[2] * g->jump_mean_sens / w);
            gsl_matrix_set(J, i, pb->ng + 2, np.deriv[3] * g->jump_vol_sens / w);
        }
    }
    return GSL_SUCCESS;
}

/* The at-the-money market vol of group g: the quote nearest the forward. */
static double atm_vol(const fit_quote *q, size_t first, size_t n)
{
    size_t best = first;
    for (size_t i = first; i < first + n; i++)
        if (fabs(log(q[i].strike / q[i].forward)) < fabs(log(q[best].strike / q[best].forward)))
            best = i;
    return q[best].market_vol;
}

/* Starting θ: σ per group from its ATM vol net of the jumps' variance. */
static void start_point(const problem *pb, const double *atm, const double *jump, double *x)
{
    const double jump_var = jump == NULL ? 0.0
                                         : jump[0] * (jump[1] * jump[1] + jump[2] * jump[2]);
    for (size_t g = 0; g < pb->ng; g++) {
        const double v = atm[g] * atm[g] - jump_var;
        x[g] = v > 0.25 * atm[g] * atm[g] ? 0.5 * log(v) : log(0.5 * atm[g]);
    }
    if (jump != NULL) {
        x[pb->ng] = log(jump[0] / (MAX_INTENSITY - jump[0]));
        x[pb->ng + 1] = atanh(jump[1] / MAX_JUMP_MEAN);
        x[pb->ng + 2] = log(jump[2] / (MAX_JUMP_VOL - jump[2]));
    }
}

/*
 * Fit one problem from every start; on success x_best holds θ̂ and cov the
 * covariance of θ (p × p, NaN rows for unidentified directions).
 */
static lsd_status fit_problem(problem *pb, const double *atm, const lsd_calibrate_control *ctl,
                              double *x_best, gsl_matrix *cov, lsd_diag *diag)
{
    /* Allocations, the driver and the covariance run under the guard: their
     * return codes decide (a start that fails is dropped), and the reason
     * of an error GSL raised goes into the message if no start converges. */
    lsd_gsl_guard guard;
    lsd_gsl_guard_enter(&guard);
    gsl_multifit_nlinear_parameters fparams = gsl_multifit_nlinear_default_parameters();
    fparams.trs = gsl_multifit_nlinear_trs_lm;
    gsl_multifit_nlinear_workspace *w =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fparams, pb->n, pb->p);
    gsl_matrix *J = gsl_matrix_alloc(pb->n, pb->p);
    double *x0 = malloc(pb->p * sizeof *x0);
    if (w == NULL || J == NULL || x0 == NULL) {
        gsl_multifit_nlinear_free(w);
        gsl_matrix_free(J);
        free(x0);
        lsd_gsl_guard_leave(&guard);
        return lsd_diag_fail(diag, LSD_ENOMEM, "calibration: out of memory");
    }
    gsl_multifit_nlinear_fdf fdf;
    fdf.f = residuals;
    fdf.df = jacobian;
    fdf.fvv = NULL;
    fdf.n = pb->n;
    fdf.p = pb->p;
    fdf.params = pb;

    const size_t nstarts = pb->jumps ? N_STARTS : 1;
    double best = INFINITY;
    int last_status = GSL_SUCCESS;
    for (size_t s = 0; s < nstarts; s++) {
        start_point(pb, atm, pb->jumps ? starts[s] : NULL, x0);
        gsl_vector_view xv = gsl_vector_view_array(x0, pb->p);
        pb->cached = 0;
        int info, st = gsl_multifit_nlinear_init(&xv.vector, &fdf, w);
        if (st == GSL_SUCCESS)
            st = gsl_multifit_nlinear_driver(ctl->max_iter, ctl->xtol, ctl->gtol, ctl->ftol,
                                             NULL, NULL, &info, w);
        /* The driver reports a start where no step lowers the cost at all
         * (an exact fit) as GSL_EMAXITER with info GSL_ENOPROG. */
        const int converged = st == GSL_SUCCESS || st == GSL_ENOPROG ||
                              (st == GSL_EMAXITER && info == GSL_ENOPROG);
        if (!converged) {
            last_status = st;
            continue;
        }
        double chisq;
        gsl_blas_ddot(w->f, w->f, &chisq);
        if (chisq < best) {
            best = chisq;
            memcpy(x_best, w->x->data, pb->p * sizeof(double));
        }
    }
    lsd_status status = LSD_OK;
    if (!(best < INFINITY)) {
        status = lsd_diag_fail(diag, LSD_ENOCONV,
                          "calibration did not converge from any start (%s)",
                          guard.gsl_errno != 0 ? guard.reason : gsl_strerror(last_status));
    } else {
        gsl_vector_view xv = gsl_vector_view_array(x_best, pb->p);
        if (jacobian(&xv.vector, pb, J) != GSL_SUCCESS) {
            status = lsd_diag_fail(diag, LSD_ENOCONV, "calibration: model fails at the optimum");
        } else {
            gsl_multifit_nlinear_covar(J, COVAR_EPSREL, cov);
            const double s2 = pb->n > pb->p ? best / (double)(pb->n - pb->p) : NAN;
            for (size_t k = 0; k < pb->p; k++) {
                const int unidentified = !(gsl_matrix_get(cov, k, k) > 0.0);
                for (size_t l = 0; l < pb->p; l++) {
                    double *c = gsl_matrix_ptr(cov, k, l);
                    *c = unidentified ? NAN : *c * s2;
                    if (unidentified)
                        *gsl_matrix_ptr(cov, l, k) = NAN;
                }
            }
        }
    }
    gsl_multifit_nlinear_free(w);
    gsl_matrix_free(J);
    free(x0);
    lsd_gsl_guard_leave(&guard);
    return status;
}

/*
 * Write group g's parameters, standard errors and correlations from θ̂ and
 * its covariance into e.
 */
static void report_params(const problem *pb, const double *x, const gsl_matrix *cov, size_t g,
                          lsd_calibrate_expiry *e)
{
    const natural_params np = natural(pb, x, g);
    e->vol = np.vol;
    e->jump_intensity = np.jumps.intensity;
    e->jump_mean = np.jumps.mean;
    e->jump_vol = np.jumps.vol;
    /* Index of each natural parameter in θ (or none) and d(natural)/dθ. */
    const size_t none = (size_t)-1;
    const size_t idx[LSD_CALIBRATE_NPARAMS] = { g - pb->base, pb->jumps ? pb->ng : none,
                                           pb->jumps ? pb->ng + 1 : none,
                                           pb->jumps ? pb->ng + 2 : none };
    for (size_t k = 0; k < LSD_CALIBRATE_NPARAMS; k++) {
        e->std_error[k] = idx[k] == none ? NAN
                                         : np.deriv[k] * sqrt(gsl_matrix_get(cov, idx[k], idx[k]));
        for (size_t l = 0; l < LSD_CALIBRATE_NPARAMS; l++) {
            if (idx[k] == none || idx[l] == none) {
                e->correlation[k][l] = NAN;
                continue;
            }
            const double ckl = gsl_matrix_get(cov, idx[k], idx[l]);
            e->correlation[k][l] = ckl / sqrt(gsl_matrix_get(cov, idx[k], idx[k]) *
                                              gsl_matrix_get(cov, idx[l], idx[l]));
        }
    }
}

/*
 * Model prices at the fitted parameters (default series control) and the
 * metrics of expiry e over its quotes q[0..n).
 */
static lsd_status report_fit(const fit_quote *q, size_t n, double rate, size_t expiry_index,
                             lsd_calibrate_expiry *e, lsd_calibrate_quote *out, lsd_diag *diag)
{
    const lsd_jumps j = { e->jump_intensity, e->jump_mean, e->jump_vol };
    double sq = 0.0;
    size_t inside = 0, n_iv = 0;
    for (size_t i = 0; i < n; i++) {
        lsd_greeks g;
        const lsd_status st = price_quote(&q[i], rate, e->vol, &j, NULL, &g, diag);
        if (st != LSD_OK)
            return st;
        lsd_calibrate_quote *o = &out[i];
        o->expiry_index = expiry_index;
        o->type = q[i].type;
        o->strike = q[i].strike;
        o->bid = q[i].bid;
        o->ask = q[i].ask;
        o->mid = q[i].mid;
        o->model_price = g.price;
        o->market_vol = q[i].market_vol;
        if (lsd_implied_vol_black(q[i].type, g.price, q[i].forward, q[i].strike, q[i].expiry,
                                  q[i].discount, &o->model_vol, NULL) == LSD_OK) {
            sq += (o->model_vol - o->market_vol) * (o->model_vol - o->market_vol);
            n_iv++;
        }
        inside += g.price >= q[i].bid && g.price <= q[i].ask;
    }
    e->iv_rmse = n_iv > 0 ? sqrt(sq / (double)n_iv) : NAN;
    e->inside_spread = (double)inside / (double)n;
    e->n_quotes = n;
    return LSD_OK;
}

static lsd_status check_control(const lsd_calibrate_control *ctl, lsd_diag *diag)
{
    if (ctl->model != LSD_MODEL_BSM && ctl->model != LSD_MODEL_MERTON)
        return lsd_diag_fail(diag, LSD_EINVAL, "unknown calibration model %d", (int)ctl->model);
    if (ctl->weights != LSD_CALIBRATE_VEGA && ctl->weights != LSD_CALIBRATE_SPREAD &&
        ctl->weights != LSD_CALIBRATE_NONE)
        return lsd_diag_fail(diag, LSD_EINVAL, "unknown calibration weights %d", (int)ctl->weights);
    if (!isfinite(ctl->rate))
        return lsd_diag_fail(diag, LSD_EDOM, "rate must be finite (got %g)", ctl->rate);
    if (!(ctl->xtol > 0.0 && ctl->xtol < 1.0) || !(ctl->gtol > 0.0 && ctl->gtol < 1.0) ||
        !(ctl->ftol >= 0.0 && ctl->ftol < 1.0) || ctl->max_iter == 0)
        return lsd_diag_fail(diag, LSD_EDOM,
                        "calibration tolerances must be in (0, 1) (ftol [0, 1)) and "
                        "max_iter > 0");
    return LSD_OK;
}

/*
 * The chain's usable quotes, prepared and sorted; *n_no_vol counts OTM
 * two-sided quotes whose mid has no implied vol.
 */
static void prepare(const lsd_chain *chain, const lsd_calibrate_control *ctl, fit_quote *fq,
                    size_t *count, size_t *n_no_vol)
{
    size_t n = 0;
    *n_no_vol = 0;
    for (size_t i = 0; i < chain->n; i++) {
        const lsd_quote *q = &chain->quotes[i];
        const double F = q->forward, K = q->strike, T = q->expiry;
        if (!(F > 0.0 && F < INFINITY && K > 0.0 && K < INFINITY && T > 0.0 && T < INFINITY))
            continue;
        if (!(q->bid > 0.0 && q->ask > q->bid && q->ask < INFINITY))
            continue;
        if (q->type == LSD_CALL ? !(K >= F) : !(K < F))
            continue;
        fit_quote *o = &fq[n];
        /* Premiums to quote currency (× F if inverse); one that overflows
         * (or an unknown unit) has no usable price, so no vol. */
        const int in_spread = q->mid >= q->bid && q->mid <= q->ask;
        if (lsd_market_premium_to_quote(q->bid, q->unit, F, &o->bid, NULL) != LSD_OK ||
            lsd_market_premium_to_quote(q->ask, q->unit, F, &o->ask, NULL) != LSD_OK ||
            (in_spread &&
             lsd_market_premium_to_quote(q->mid, q->unit, F, &o->mid, NULL) != LSD_OK)) {
            ++*n_no_vol;
            continue;
        }
        if (!in_spread)
            o->mid = 0.5 * (o->bid + o->ask);
        o->type = q->type;
        o->strike = K;
        o->expiry = T;
        o->expiry_time = q->expiry_time;
        o->forward = F;
        o->discount = exp(-ctl->rate * T);
        if (lsd_implied_vol_black(o->type, o->mid, F, K, T, o->discount, &o->market_vol, NULL) !=
            LSD_OK) {
            ++*n_no_vol;
            continue;
        }
        const double sd = o->market_vol * sqrt(T);
        const double d1 = log(F / K) / sd + 0.5 * sd;
        const double vega = o->discount * F * sqrt(T) * exp(-0.5 * d1 * d1) / sqrt(2.0 * M_PI);
        o->scale = ctl->weights == LSD_CALIBRATE_VEGA     ? vega
                   : ctl->weights == LSD_CALIBRATE_SPREAD ? 0.5 * (o->ask - o->bid)
                                                      : 1.0;
        if (!(o->scale > 0.0)) { /* a vega that underflows: no information */
            ++*n_no_vol;
            continue;
        }
        n++;
    }
    qsort(fq, n, sizeof *fq, quote_cmp);
    *count = n;
}

void lsd_calibrate_result_free(lsd_calibrate_result *result)
{
    if (result == NULL)
        return;
    free(result->expiries);
    free(result->quotes);
    result->expiries = NULL;
    result->quotes = NULL;
    result->n_expiries = 0;
    result->n_quotes = 0;
}

lsd_status lsd_calibrate_chain(const lsd_chain *chain, const lsd_calibrate_control *ctl,
                         lsd_calibrate_result *out, lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "calibration: NULL result");
    memset(out, 0, sizeof *out);
    if (chain == NULL || (chain->quotes == NULL && chain->n > 0))
        return lsd_diag_fail(diag, LSD_EINVAL, "calibration: NULL chain");
    const lsd_calibrate_control defaults = lsd_calibrate_control_default();
    if (ctl == NULL)
        ctl = &defaults;
    lsd_status st = check_control(ctl, diag);
    if (st != LSD_OK)
        return st;

    const int merton = ctl->model == LSD_MODEL_MERTON;
    const int joint = merton && ctl->joint;
    const size_t n_all = chain->n > 0 ? chain->n : 1;
    fit_quote *fq = malloc(n_all * sizeof *fq);
    size_t *first = malloc((n_all + 1) * sizeof *first); /* group starts */
    double *atm = malloc(n_all * sizeof *atm);
    lsd_greeks *greeks = malloc(n_all * sizeof *greeks);
    double *x = malloc((n_all + 3) * sizeof *x);
    double *cache = malloc((n_all + 3) * sizeof *cache);
    gsl_matrix *cov = NULL;
    if (fq == NULL || first == NULL || atm == NULL || greeks == NULL || x == NULL ||
        cache == NULL) {
        st = lsd_diag_fail(diag, LSD_ENOMEM, "calibration: out of memory");
        goto done;
    }
    size_t n, no_vol;
    prepare(chain, ctl, fq, &n, &no_vol);
    if (n == 0) {
        st = lsd_diag_fail(diag, LSD_EDOM,
                      "no two-sided out-of-the-money quotes with an implied vol to calibrate to "
                      "(of %zu quotes)",
                      chain->n);
        goto done;
    }

    /* Groups by expiry; drop those with too few quotes (compacting fq). */
    const size_t min_group = joint ? 2 : (merton ? LSD_CALIBRATE_NPARAMS + 1 : 2);
    size_t ng = 0, kept = 0, skipped = 0;
    for (size_t i = 0; i < n;) {
        size_t k = i;
        while (k < n && fq[k].expiry_time == fq[i].expiry_time && fq[k].expiry == fq[i].expiry)
            k++;
        if (k - i >= min_group) {
            first[ng] = kept;
            for (size_t m = i; m < k; m++) {
                fq[kept] = fq[m];
                fq[kept++].group = ng;
            }
            atm[ng] = atm_vol(fq, first[ng], k - i);
            ng++;
        } else {
            skipped++;
        }
        i = k;
    }
    first[ng] = kept;
    if (ng == 0 || (joint && kept <= ng + 3)) {
        st = lsd_diag_fail(diag, LSD_EDOM,
                      "too few quotes to calibrate: %zu usable, an expiry needs at least %zu",
                      n, min_group);
        goto done;
    }

    out->expiries = calloc(ng, sizeof *out->expiries);
    out->quotes = calloc(kept, sizeof *out->quotes);
    lsd_gsl_guard guard; /* the allocation: NULL, not an abort, on ENOMEM */
    lsd_gsl_guard_enter(&guard);
    cov = gsl_matrix_alloc(ng + 3, ng + 3);
    lsd_gsl_guard_leave(&guard);
    if (out->expiries == NULL || out->quotes == NULL || cov == NULL) {
        st = lsd_diag_fail(diag, LSD_ENOMEM, "calibration: out of memory");
        goto done;
    }
    problem pb = { .rate = ctl->rate, .pricing = &ctl->pricing, .greeks = greeks,
                   .cache = cache, .jumps = merton };
    if (joint) {
        pb.q = fq;
        pb.n = kept;
        pb.base = 0;
        pb.ng = ng;
        pb.p = ng + 3;
        gsl_matrix_view cv = gsl_matrix_submatrix(cov, 0, 0, pb.p, pb.p);
        if ((st = fit_problem(&pb, atm, ctl, x, &cv.matrix, diag)) != LSD_OK)
            goto done;
        for (size_t g = 0; g < ng; g++)
            report_params(&pb, x, &cv.matrix, g, &out->expiries[g]);
    } else {
        for (size_t g = 0; g < ng; g++) {
            pb.q = fq + first[g];
            pb.n = first[g + 1] - first[g];
            pb.base = g;
            pb.ng = 1;
            pb.p = merton ? 4 : 1;
            gsl_matrix_view cv = gsl_matrix_submatrix(cov, 0, 0, pb.p, pb.p);
            if ((st = fit_problem(&pb, &atm[g], ctl, x, &cv.matrix, diag)) != LSD_OK)
                goto done;
            report_params(&pb, x, &cv.matrix, g, &out->expiries[g]);
        }
    }
    for (size_t g = 0; g < ng; g++) {
        lsd_calibrate_expiry *e = &out->expiries[g];
        const fit_quote *q = fq + first[g];
        e->expiry_time = q->expiry_time;
        e->expiry = q->expiry;
        e->forward = q->forward;
        e->first_quote = first[g];
        st = report_fit(q, first[g + 1] - first[g], ctl->rate, g, e, out->quotes + first[g],
                        diag);
        if (st != LSD_OK)
            goto done;
    }
    out->model = ctl->model;
    out->joint = joint;
    out->n_expiries = ng;
    out->n_quotes = kept;
    out->skipped_quotes = no_vol;
    out->skipped_expiries = skipped;

done:
    if (st != LSD_OK) {
        lsd_calibrate_result_free(out);
        memset(out, 0, sizeof *out);
    }
    gsl_matrix_free(cov);
    free(cache);
    free(x);
    free(greeks);
    free(atm);
    free(first);
    free(fq);
    return st;
}
