/*
 * estimate.h — maximum-likelihood estimation of the depeg jump-diffusion
 * (Merton 1976) or of BSM from the history of a price or ratio series
 * (stETH/ETH), observed at irregular instants.
 *
 * Model of the log return r_i = ln(S_i/S_{i−1}) over Δt_i years (ACT/365F):
 *
 *   r = (μ − σ²/2)Δt + σ√Δt·Z + Σ_{k≤N} Y_k,  N ~ Poisson(λΔt),  Y_k ~ N(μ_J, δ²),
 *
 * returns independent given the Δt_i. The parameters are those of DESIGN.md
 * (vol σ, jump_intensity λ, jump_mean μ_J, jump_vol δ) plus the drift μ of
 * the diffusion part under the historical measure, per year; BSM is λ = 0.
 * Formulas, optimiser and sources are in estimate.c.
 *
 * Layer: fit (pricing/fit/) — depends on core, models and curves; installed as
 * <lsdopt/estimate.h>.
 */
#ifndef LSD_ESTIMATE_H
#define LSD_ESTIMATE_H

#include "model.h"
#include "status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Indices of the parameters in lsd_estimate's arrays. */
enum {
    LSD_ESTIMATE_DRIFT = 0,          /* μ, per year */
    LSD_ESTIMATE_VOL = 1,            /* σ, per √year */
    LSD_ESTIMATE_JUMP_INTENSITY = 2, /* λ, jumps per year */
    LSD_ESTIMATE_JUMP_MEAN = 3,      /* μ_J, log units */
    LSD_ESTIMATE_JUMP_VOL = 4,       /* δ, log units */
    LSD_ESTIMATE_NPARAMS = 5
};

/*
 * Tuning of the fit; lsd_estimate_control_default() gives the documented
 * defaults. The two lower bounds keep the likelihood bounded (estimate.c,
 * "Unbounded likelihood").
 */
typedef struct lsd_estimate_control {
    double vol_min;      /* lower bound on σ, per √year, > 0; default 1e-3 */
    double jump_vol_min; /* lower bound on δ, log units, > 0; default 1e-4 */
    double tail_tol;     /* per observation, the Poisson mixture stops when its
                            proven remaining tail is ≤ tail_tol × the sum so
                            far; in (0, 1e-3]; default 1e-14 */
    double grad_tol;     /* converged when the gradient of the mean negative
                            log-likelihood in the optimiser's coordinates
                            (estimate.c) has Euclidean norm ≤ grad_tol; > 0;
                            default 1e-5, which leaves the parameters within
                            ~0.01 standard errors of the maximum */
    size_t max_iter;     /* optimiser iterations per starting point; default 500 */
    size_t max_terms;    /* most mixture terms per observation; default 10000 */
} lsd_estimate_control;

/* The default control (returned by value; GSL's *_default() idiom). */
LSD_EXPORT lsd_estimate_control lsd_estimate_control_default(void);

/* A fitted model. */
typedef struct lsd_estimate {
    lsd_model model; /* the model fitted */
    size_t n_obs;             /* returns used (observations − 1) */
    size_t n_params;          /* free parameters: 2 (bsm) or 5 (merton) */
    double years;             /* span of the series, ACT/365F */
    double param[LSD_ESTIMATE_NPARAMS]; /* estimates, LSD_ESTIMATE_* order; bsm: λ = μ_J = δ = 0 */
    double se[LSD_ESTIMATE_NPARAMS];    /* standard errors; NaN where not estimated
                                      (bsm jumps) or when the observed
                                      information is not positive definite */
    double corr[LSD_ESTIMATE_NPARAMS][LSD_ESTIMATE_NPARAMS]; /* correlations of the
                                      estimates; NaN where se is NaN */
    double loglik;    /* maximised log-likelihood of the returns */
    double aic;       /* Akaike: 2·n_params − 2·loglik */
    int at_bound;     /* 1 if the maximum is on a bound: σ or δ within 1% of
                         its lower bound, or λ = 0 when no jump-diffusion
                         beats BSM (then μ, σ and their se are BSM's,
                         μ_J = δ = 0 and their se NaN) */
    int se_ok;        /* 1 if the observed information was positive definite */
    size_t n_starts;  /* starting points tried */
    size_t n_converged; /* of which converged */
} lsd_estimate;

/*
 * Log-likelihood of the returns of a series under the jump-diffusion with
 * param[LSD_ESTIMATE_*] (λ = 0 is BSM; then μ_J and δ are ignored but must be
 * finite):
 *
 *   ln L = Σ_i ln Σ_n Pois(n; λΔt_i)·φ(r_i; (μ − σ²/2)Δt_i + nμ_J, σ²Δt_i + nδ²),
 *
 * each mixture summed in log space to the tail bound of ctl (NULL: defaults).
 * times[i] in seconds since the epoch, strictly increasing; values[i] > 0.
 * If grad is not NULL it receives ∂ ln L/∂param (LSD_ESTIMATE_* order; the λ
 * component only when λ > 0, else NaN).
 * Errors: LSD_EINVAL for NULL; LSD_EDOM for a malformed series (fewer than
 * 2 points, a non-finite or non-positive value, times not finite and
 * strictly increasing: the message names the point), σ ≤ 0, λ < 0, δ ≤ 0
 * with λ > 0, or a bad ctl; LSD_ENOCONV if a mixture needs more than
 * max_terms terms. On error *loglik (and grad) are NaN.
 */
LSD_EXPORT lsd_status lsd_estimate_loglik(const double *times, const double *values, size_t n,
                                          const double param[LSD_ESTIMATE_NPARAMS],
                                          const lsd_estimate_control *ctl, double *loglik,
                                          double grad[LSD_ESTIMATE_NPARAMS], lsd_diag *diag);

/*
 * Maximum-likelihood fit of model to the n observations (times[i] seconds
 * since the epoch, strictly increasing; values[i] > 0). ctl may be NULL
 * (defaults).
 *
 * BSM: the closed form â = ln(S_n/S_0)/T, σ̂² = (1/n)Σ(r_i − âΔt_i)²/Δt_i,
 * μ̂ = â + σ̂²/2, with standard errors from the exact Fisher information.
 * Merton: quasi-Newton (GSL vector_bfgs2, analytic gradient) from a grid of
 * 9 starting points, the best kept, with λ searched up to one jump per mean
 * observation interval; standard errors from the inverse of the observed
 * information (numerical Hessian of −ln L in the natural parameters). When
 * no jump-diffusion beats BSM the answer is BSM's with λ = 0 (at_bound).
 * At least 3 observations for bsm, 11 for merton.
 *
 * Errors: LSD_EINVAL for NULL or an unknown model; LSD_EDOM for a malformed
 * series (too few points, a non-finite or non-positive value, times not
 * finite and strictly increasing — the message names the point) or a bad
 * ctl; LSD_ENOCONV if no starting point converged; LSD_ENOMEM. On error
 * every number in *out is NaN.
 */
LSD_EXPORT lsd_status lsd_estimate_fit(const double *times, const double *values, size_t n,
                                       lsd_model model,
                                       const lsd_estimate_control *ctl, lsd_estimate *out,
                                       lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_ESTIMATE_H */
