/*
 * estimate.c — maximum-likelihood estimation of Merton (1976) jump-diffusion
 * and of BSM from a price or ratio series observed at irregular instants.
 *
 * Model (historical measure). Over Δt years the log return is
 *
 *   r = (μ − σ²/2)Δt + σ√Δt·Z + Σ_{k≤N} Y_k,  N ~ Poisson(λΔt),  Y_k ~ N(μ_J, δ²),
 *
 * so, given n jumps, r is normal and its density is the Poisson mixture
 *
 *   f(r) = Σ_n Pois(n; λΔt)·φ(r; (μ − σ²/2)Δt + nμ_J, σ²Δt + nδ²)
 *
 * (Merton 1976, J. Financial Economics 3, 125–144, §2; Press 1967, "A
 * compound events model for security prices", J. Business 40, 317–335, who
 * fits this density by maximum likelihood). Returns over successive,
 * non-overlapping intervals are independent, so ln L = Σ_i ln f(r_i; Δt_i)
 * with each observation's own Δt_i (ACT/365F): irregular sampling needs no
 * special treatment.
 *
 * Mixture sum. Per observation, in log space: terms ℓ_n = ln Pois(n; m) +
 * ln φ_n, m = λΔt, ln Pois by the recurrence ℓw_{n+1} = ℓw_n + ln m − ln(n+1)
 * from ℓw_0 = −m (lsd_poisson_log_next, pricing/core/poisson.h), accumulated
 * as M + ln Σ e^{ℓ_n − M} with M the running maximum (log-sum-exp, rescaled
 * whenever M grows). After term N, for N+2 > m, the rest is bounded because
 * φ_n ≤ 1/√(2π v_n) ≤ 1/√(2π v_{N+1}) for n > N (v_n = σ²Δt + nδ² grows
 * with n) and the Poisson tail is geometric (poisson.h's upper tail bound,
 * lsd_poisson_tail_above, here on the rescaled weight e^{ℓw_{N+1} − M}):
 *
 *   Σ_{n>N} w_n φ_n ≤ w_{N+1}/(1 − m/(N+2)) · 1/√(2π v_{N+1});
 *
 * the sum stops when that bound is ≤ tail_tol × the sum so far (the upper
 * Poisson tail bound of pricing/core/poisson.h, on which Merton's prices
 * stop too, times the density bound). The gradient's terms carry the same
 * weights times factors polynomial in n, so its tail is of the same order
 * (not separately proven).
 *
 * Gradient. With e_n = r − mean_n, ∂ℓ_n/∂mean = e_n/v_n, ∂ℓ_n/∂v =
 * (e_n²/v_n − 1)/(2v_n), ∂mean/∂μ = Δt, ∂mean/∂σ = −σΔt, ∂v/∂σ = 2σΔt,
 * ∂mean/∂μ_J = n, ∂v/∂δ = 2nδ, ∂ln w_n/∂λ = n/λ − Δt; ∂ ln f = Σ_n π_n ∂ℓ_n
 * with the posterior weights π_n = e^{ℓ_n}/f.
 *
 * Unbounded likelihood. Like every normal mixture (Kiefer 1978,
 * Econometrica 46, 427–434), this likelihood has no global maximum: put the
 * no-jump mean on one return and let σ → 0 (the other returns explained by
 * jumps), or let δ → 0 with μ_J on one return when σ²Δt is small, and ln L →
 * +∞ (Honoré 1998, "Pitfalls in estimating jump-diffusion models", Working
 * Paper, Centre for Analytical Finance, Aarhus, §3). The estimate is the
 * interior local maximum; the lower bounds σ ≥ vol_min and δ ≥ jump_vol_min
 * (lsd_estimate_control) keep the optimiser away from the spikes, and a
 * result within 1% of a bound is flagged (at_bound) so the caller can say so.
 *
 * Optimiser. Unconstrained coordinates u = (μ/s_μ, ln(σ − σ_min), ln λ,
 * μ_J/s_J, ln(δ − δ_min)), with s_J = σ_0√Δt̄ the typical diffusion return
 * and s_μ = s_J/Δt̄ (σ_0 = 1.4826·MAD of r_i/√Δt_i, a jump-robust vol,
 * Δt̄ the mean step), so every coordinate is of order one. Objective −ln L/n
 * with the analytic gradient, minimised by GSL's vector_bfgs2 (Fletcher's
 * BFGS with a More–Thuente-type line search) from a 3 × 3 grid of starts:
 * λ with λΔt̄ ∈ {0.01, 0.05, 0.2}, μ_J ∈ {−4, 0, 4}·s_J, δ = 4 s_J, σ = σ_0,
 * μ = â + σ_0²/2. A start has converged when the gradient norm is ≤ grad_tol;
 * the best converged start is kept. A start is abandoned when λΔt̄ exceeds 1:
 * with many jumps per observation interval their sum is near normal and
 * cannot be told from the diffusion (the likelihood then drifts up slowly
 * along λ → ∞, μ_J, δ → 0 — a second diffusion, not depegs).
 *
 * Standard errors. The observed information J = −∂² ln L/∂θ² in the natural
 * parameters θ = (μ, σ, λ, μ_J, δ), by central differences of the analytic
 * gradient (step 1e-5 relative, kept inside the bounds), symmetrised; the
 * covariance is J⁻¹ by Cholesky (gsl_linalg_cholesky_decomp1/_invert).
 * J not positive definite (a flat direction, e.g. λ → 0 where μ_J and δ are
 * not identified) gives se NaN and se_ok = 0, not an error.
 *
 * Boundary λ = 0. As λ → 0 ln L tends to the BSM maximum; on data without
 * jumps no interior point beats it and the optimiser only creeps along
 * ln λ → −∞. So the BSM closed form is computed too, and when the best start
 * does not exceed its ln L the estimate is BSM's (λ = μ_J = δ = 0, jump se
 * NaN, at_bound = 1). A start whose λT falls below 1e-3 (a thousandth of a
 * jump over the series) is stopped there as heading for that boundary; it
 * counts as converged, to the boundary.
 *
 * BSM (λ = 0) in closed form: with T = ΣΔt_i, â = μ − σ²/2 = Σr_i/T,
 * σ̂² = (1/n)Σ(r_i − âΔt_i)²/Δt_i, μ̂ = â + σ̂²/2, ln L = −(n/2)(1 + ln 2πσ̂²)
 * − ½Σ ln Δt_i. Fisher information diag(T/σ², 2n/σ²) for (a, σ), so
 * se(σ̂) = σ̂/√(2n), and by the delta method Var μ̂ = σ̂²/T + σ̂⁴/(2n),
 * Cov(μ̂, σ̂) = σ̂³/(2n).
 *
 * GSL's handler: the allocations, the minimiser and the Cholesky
 * factorisation run under the library's guard (pricing/core/gsl_guard.h),
 * and their return codes decide: a start whose minimiser fails is dropped
 * (GSL's reason goes into the message if none converges), a Cholesky that
 * fails is se_ok = 0. No input reaches GSL's aborting handler.
 *
 * Layer: fit (pricing/fit/) — depends on core, models and curves.
 */
#include "estimate.h"

#include "dates.h"
#include "diag.h"
#include "gsl_guard.h"
#include "poisson.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>

/* Fewest observations (points, not returns) each model accepts. */
#define MIN_POINTS_BSM 3
#define MIN_POINTS_MERTON 11

/* A start whose λ implies fewer expected jumps than this over the whole
 * series is taken to head for the λ = 0 boundary. */
#define LAMBDA_FLOOR 1e-3

/* Most expected jumps per mean observation interval a start may reach
 * (header comment, "Optimiser"). */
#define LAMBDA_CEILING 1.0

/* Relative finite-difference step of the Hessian (≈ ε^{1/3} for central
 * differences of an analytic gradient). */
#define HESSIAN_STEP 1e-5

lsd_estimate_control lsd_estimate_control_default(void)
{
    const lsd_estimate_control ctl = { 1e-3, 1e-4, 1e-14, 1e-5, 500, 10000 };
    return ctl;
}

static lsd_status check_control(const lsd_estimate_control *ctl, lsd_diag *diag)
{
    if (!(ctl->vol_min > 0.0) || !isfinite(ctl->vol_min))
        return lsd_diag_fail(diag, LSD_EDOM, "vol_min must be finite and > 0 (got %g)", ctl->vol_min);
    if (!(ctl->jump_vol_min > 0.0) || !isfinite(ctl->jump_vol_min))
        return lsd_diag_fail(diag, LSD_EDOM, "jump_vol_min must be finite and > 0 (got %g)",
                        ctl->jump_vol_min);
    if (!(ctl->tail_tol > 0.0 && ctl->tail_tol <= 1e-3))
        return lsd_diag_fail(diag, LSD_EDOM, "tail_tol must be in (0, 1e-3] (got %g)", ctl->tail_tol);
    if (!(ctl->grad_tol > 0.0) || !isfinite(ctl->grad_tol))
        return lsd_diag_fail(diag, LSD_EDOM, "grad_tol must be finite and > 0 (got %g)",
                        ctl->grad_tol);
    if (ctl->max_iter == 0 || ctl->max_terms == 0)
        return lsd_diag_fail(diag, LSD_EDOM, "max_iter and max_terms must be > 0");
    return LSD_OK;
}

/* The series: enough points, values finite and > 0, times strictly increasing. */
static lsd_status check_series(const double *times, const double *values, size_t n,
                               size_t min_points, lsd_diag *diag)
{
    if (n < min_points)
        return lsd_diag_fail(diag, LSD_EDOM, "too few points: %zu (at least %zu needed)", n,
                        min_points);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(times[i]))
            return lsd_diag_fail(diag, LSD_EDOM, "point %zu: time is not finite", i + 1);
        if (!(values[i] > 0.0) || !isfinite(values[i]))
            return lsd_diag_fail(diag, LSD_EDOM, "point %zu: value must be finite and > 0 (got %g)",
                            i + 1, values[i]);
        if (i > 0 && times[i] == times[i - 1])
            return lsd_diag_fail(diag, LSD_EDOM, "points %zu and %zu have the same time (duplicate)",
                            i, i + 1);
        if (i > 0 && !(times[i] > times[i - 1]))
            return lsd_diag_fail(diag, LSD_EDOM,
                            "times must be increasing: point %zu is before point %zu", i + 1, i);
    }
    return LSD_OK;
}

/*
 * ln f(r) of one observation and, if g is not NULL, ∂ ln f/∂θ added to g
 * (θ in LSD_ESTIMATE_* order). λ > 0 here; λ = 0 goes through normal_obs.
 */
static lsd_status mixture_obs(double r, double dt, const double *th,
                              const lsd_estimate_control *ctl, double *lnf, double *g)
{
    const double sig = th[LSD_ESTIMATE_VOL], lam = th[LSD_ESTIMATE_JUMP_INTENSITY];
    const double muj = th[LSD_ESTIMATE_JUMP_MEAN], del = th[LSD_ESTIMATE_JUMP_VOL];
    const double mean0 = (th[LSD_ESTIMATE_DRIFT] - 0.5 * sig * sig) * dt;
    const double v0 = sig * sig * dt, jv = del * del;
    const double m = lam * dt, lnm = log(m);
    double lnw = -m;               /* ln Pois(n; m) */
    double big = -INFINITY, s = 0.0; /* running max and Σ e^{ℓ_n − big} */
    double acc[LSD_ESTIMATE_NPARAMS] = { 0.0, 0.0, 0.0, 0.0, 0.0 };
    for (size_t n = 0;; n++) {
        if (n >= ctl->max_terms)
            return LSD_ENOCONV;
        const double dn = (double)n;
        const double v = v0 + dn * jv, e = r - (mean0 + dn * muj);
        const double l = lnw - 0.5 * log(2.0 * M_PI * v) - 0.5 * e * e / v;
        if (l > big) {
            const double shrink = exp(big - l); /* 0 on the first term */
            s *= shrink;
            for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
                acc[k] *= shrink;
            big = l;
        }
        const double p = exp(l - big);
        s += p;
        if (g != NULL) {
            const double dmean = e / v, dvar = 0.5 * (e * e / v - 1.0) / v;
            acc[LSD_ESTIMATE_DRIFT] += p * dt * dmean;
            acc[LSD_ESTIMATE_VOL] += p * sig * dt * (2.0 * dvar - dmean);
            acc[LSD_ESTIMATE_JUMP_INTENSITY] += p * (dn / lam - dt);
            acc[LSD_ESTIMATE_JUMP_MEAN] += p * dn * dmean;
            acc[LSD_ESTIMATE_JUMP_VOL] += p * 2.0 * dn * del * dvar;
        }
        lnw = lsd_poisson_log_next(lnw, lnm, (long)n + 1); /* ln Pois(n+1; m) */
        /* The tail bound over e^big, against tail_tol·s (HUGE_VAL, so no
         * stop, while n + 2 ≤ m). */
        const double tail = lsd_poisson_tail_above((long)n, exp(lnw - big), m) /
                            sqrt(2.0 * M_PI * (v + jv));
        if (tail <= ctl->tail_tol * s)
            break;
    }
    *lnf = big + log(s);
    if (g != NULL)
        for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
            g[k] += acc[k] / s;
    return LSD_OK;
}

/* ln φ(r; (μ − σ²/2)Δt, σ²Δt) and its μ, σ derivatives: the λ = 0 case. */
static void normal_obs(double r, double dt, const double *th, double *lnf, double *g)
{
    const double sig = th[LSD_ESTIMATE_VOL], v = sig * sig * dt;
    const double e = r - (th[LSD_ESTIMATE_DRIFT] - 0.5 * sig * sig) * dt;
    *lnf = -0.5 * log(2.0 * M_PI * v) - 0.5 * e * e / v;
    if (g != NULL) {
        const double dmean = e / v, dvar = 0.5 * (e * e / v - 1.0) / v;
        g[LSD_ESTIMATE_DRIFT] += dt * dmean;
        g[LSD_ESTIMATE_VOL] += sig * dt * (2.0 * dvar - dmean);
    }
}

/* ln L and (if g) its gradient for a checked series and parameters. */
static lsd_status loglik_sum(const double *times, const double *values, size_t n,
                             const double *th, const lsd_estimate_control *ctl, double *ll,
                             double *g)
{
    if (g != NULL)
        for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
            g[k] = 0.0;
    double sum = 0.0, lnprev = log(values[0]);
    for (size_t i = 1; i < n; i++) {
        const double lnx = log(values[i]);
        const double r = lnx - lnprev, dt = (times[i] - times[i - 1]) / LSD_SECONDS_PER_YEAR;
        lnprev = lnx;
        double lnf;
        if (th[LSD_ESTIMATE_JUMP_INTENSITY] > 0.0) {
            const lsd_status st = mixture_obs(r, dt, th, ctl, &lnf, g);
            if (st != LSD_OK)
                return st;
        } else {
            normal_obs(r, dt, th, &lnf, g);
        }
        sum += lnf;
    }
    if (g != NULL && !(th[LSD_ESTIMATE_JUMP_INTENSITY] > 0.0))
        g[LSD_ESTIMATE_JUMP_INTENSITY] = g[LSD_ESTIMATE_JUMP_MEAN] = g[LSD_ESTIMATE_JUMP_VOL] = NAN;
    *ll = sum;
    return isfinite(sum) ? LSD_OK : LSD_ENOCONV;
}

lsd_status lsd_estimate_loglik(const double *times, const double *values, size_t n,
                               const double param[LSD_ESTIMATE_NPARAMS],
                               const lsd_estimate_control *ctl, double *loglik,
                               double grad[LSD_ESTIMATE_NPARAMS], lsd_diag *diag)
{
    if (loglik != NULL)
        *loglik = NAN;
    if (grad != NULL)
        for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
            grad[k] = NAN;
    if (times == NULL || values == NULL || param == NULL || loglik == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "NULL argument");
    const lsd_estimate_control def = lsd_estimate_control_default();
    if (ctl == NULL)
        ctl = &def;
    lsd_status st = check_control(ctl, diag);
    if (st == LSD_OK)
        st = check_series(times, values, n, 2, diag);
    if (st != LSD_OK)
        return st;
    for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
        if (!isfinite(param[k]))
            return lsd_diag_fail(diag, LSD_EDOM, "parameter %d is not finite", k);
    if (!(param[LSD_ESTIMATE_VOL] > 0.0))
        return lsd_diag_fail(diag, LSD_EDOM, "vol must be > 0 (got %g)", param[LSD_ESTIMATE_VOL]);
    if (!(param[LSD_ESTIMATE_JUMP_INTENSITY] >= 0.0))
        return lsd_diag_fail(diag, LSD_EDOM, "jump_intensity must be >= 0 (got %g)",
                        param[LSD_ESTIMATE_JUMP_INTENSITY]);
    if (param[LSD_ESTIMATE_JUMP_INTENSITY] > 0.0 && !(param[LSD_ESTIMATE_JUMP_VOL] > 0.0))
        return lsd_diag_fail(diag, LSD_EDOM, "jump_vol must be > 0 (got %g)",
                        param[LSD_ESTIMATE_JUMP_VOL]);
    double ll;
    st = loglik_sum(times, values, n, param, ctl, &ll, grad);
    if (st != LSD_OK) {
        if (grad != NULL)
            for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
                grad[k] = NAN;
        return lsd_diag_fail(diag, st, "the Poisson mixture did not meet its tail bound in %zu terms",
                        ctl->max_terms);
    }
    *loglik = ll;
    return LSD_OK;
}

static void set_nan(lsd_estimate *out)
{
    for (int j = 0; j < LSD_ESTIMATE_NPARAMS; j++) {
        out->param[j] = out->se[j] = NAN;
        for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
            out->corr[j][k] = NAN;
    }
    out->years = out->loglik = out->aic = NAN;
}

/* BSM in closed form (header comment). */
static void fit_bsm(const double *times, const double *values, size_t n, lsd_estimate *out)
{
    const size_t nr = n - 1;
    const double T = (times[n - 1] - times[0]) / LSD_SECONDS_PER_YEAR;
    const double a = log(values[n - 1] / values[0]) / T;
    double ss = 0.0, sumlndt = 0.0;
    for (size_t i = 1; i < n; i++) {
        const double dt = (times[i] - times[i - 1]) / LSD_SECONDS_PER_YEAR;
        const double e = log(values[i] / values[i - 1]) - a * dt;
        ss += e * e / dt;
        sumlndt += log(dt);
    }
    const double var = ss / (double)nr, sig = sqrt(var);
    out->param[LSD_ESTIMATE_DRIFT] = a + 0.5 * var;
    out->param[LSD_ESTIMATE_VOL] = sig;
    out->param[LSD_ESTIMATE_JUMP_INTENSITY] = out->param[LSD_ESTIMATE_JUMP_MEAN] =
        out->param[LSD_ESTIMATE_JUMP_VOL] = 0.0;
    const double var_sig = var / (2.0 * (double)nr);
    out->se[LSD_ESTIMATE_DRIFT] = sqrt(var / T + var * var_sig);
    out->se[LSD_ESTIMATE_VOL] = sqrt(var_sig);
    out->corr[LSD_ESTIMATE_DRIFT][LSD_ESTIMATE_DRIFT] = out->corr[LSD_ESTIMATE_VOL][LSD_ESTIMATE_VOL] = 1.0;
    out->corr[LSD_ESTIMATE_DRIFT][LSD_ESTIMATE_VOL] = out->corr[LSD_ESTIMATE_VOL][LSD_ESTIMATE_DRIFT] =
        sig * var_sig / (out->se[LSD_ESTIMATE_DRIFT] * out->se[LSD_ESTIMATE_VOL]);
    out->loglik = -0.5 * (double)nr * (1.0 + log(2.0 * M_PI * var)) - 0.5 * sumlndt;
    out->se_ok = 1;
    out->n_starts = out->n_converged = 1;
}

/* What the optimiser's callbacks need. */
typedef struct problem {
    const double *times, *values;
    size_t n;
    const lsd_estimate_control *ctl;
    double s_mu, s_j; /* scales of μ and μ_J (header comment) */
} problem;

/* θ from the optimiser's coordinates u; dtheta = ∂θ_k/∂u_k. */
static void to_theta(const problem *p, const gsl_vector *u, double *th, double *dtheta)
{
    const double eu1 = exp(gsl_vector_get(u, 1)), eu2 = exp(gsl_vector_get(u, 2));
    const double eu4 = exp(gsl_vector_get(u, 4));
    th[LSD_ESTIMATE_DRIFT] = p->s_mu * gsl_vector_get(u, 0);
    th[LSD_ESTIMATE_VOL] = p->ctl->vol_min + eu1;
    th[LSD_ESTIMATE_JUMP_INTENSITY] = eu2;
    th[LSD_ESTIMATE_JUMP_MEAN] = p->s_j * gsl_vector_get(u, 3);
    th[LSD_ESTIMATE_JUMP_VOL] = p->ctl->jump_vol_min + eu4;
    dtheta[0] = p->s_mu;
    dtheta[1] = eu1;
    dtheta[2] = eu2;
    dtheta[3] = p->s_j;
    dtheta[4] = eu4;
}

/* Objective −ln L/n and its gradient in u; +∞ where ln L cannot be formed. */
static void objective(const gsl_vector *u, void *params, double *f, gsl_vector *df)
{
    const problem *p = params;
    double th[LSD_ESTIMATE_NPARAMS], dth[LSD_ESTIMATE_NPARAMS], g[LSD_ESTIMATE_NPARAMS], ll;
    to_theta(p, u, th, dth);
    const double scale = -1.0 / (double)(p->n - 1);
    if (!(th[LSD_ESTIMATE_JUMP_INTENSITY] > 0.0) || !isfinite(th[LSD_ESTIMATE_JUMP_INTENSITY]) ||
        !isfinite(th[LSD_ESTIMATE_VOL]) || !isfinite(th[LSD_ESTIMATE_JUMP_VOL]) ||
        loglik_sum(p->times, p->values, p->n, th, p->ctl, &ll, df != NULL ? g : NULL) !=
            LSD_OK) {
        if (f != NULL)
            *f = GSL_POSINF;
        if (df != NULL)
            gsl_vector_set_zero(df);
        return;
    }
    if (f != NULL)
        *f = scale * ll;
    if (df != NULL)
        for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
            gsl_vector_set(df, (size_t)k, scale * g[k] * dth[k]);
}

static double obj_f(const gsl_vector *u, void *params)
{
    double f;
    objective(u, params, &f, NULL);
    return f;
}

static void obj_df(const gsl_vector *u, void *params, gsl_vector *df)
{
    objective(u, params, NULL, df);
}

/* How a start ended. */
enum { START_FAILED = 0, START_CONVERGED = 1, START_NO_JUMPS = 2 };

/*
 * Minimise from u (overwritten with the end point); *fmin the objective
 * there. START_CONVERGED when the gradient test is met; START_NO_JUMPS when
 * ln λ falls below ln_lambda_lo (fewer than LAMBDA_FLOOR expected jumps over
 * the whole series: the start is heading for the λ = 0 boundary, where it
 * would only creep); START_FAILED otherwise, and when ln λ rises above
 * ln_lambda_hi (jumps as frequent as observations).
 */
static int minimise(gsl_multimin_fdfminimizer *mm, gsl_multimin_function_fdf *fdf, gsl_vector *u,
                    double grad_tol, size_t max_iter, double ln_lambda_lo, double ln_lambda_hi,
                    double *fmin)
{
    *fmin = GSL_POSINF;
    if (gsl_multimin_fdfminimizer_set(mm, fdf, u, 0.1, 0.1) != GSL_SUCCESS)
        return START_FAILED;
    int how = START_FAILED;
    for (size_t it = 0; it < max_iter; it++) {
        if (!isfinite(gsl_multimin_fdfminimizer_minimum(mm)))
            break;
        if (gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(mm), grad_tol) ==
            GSL_SUCCESS) {
            how = START_CONVERGED;
            break;
        }
        const double ln_lambda = gsl_vector_get(gsl_multimin_fdfminimizer_x(mm), 2);
        if (ln_lambda < ln_lambda_lo) {
            how = START_NO_JUMPS;
            break;
        }
        if (ln_lambda > ln_lambda_hi)
            break;
        if (gsl_multimin_fdfminimizer_iterate(mm) != GSL_SUCCESS) {
            if (gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(mm), grad_tol) ==
                GSL_SUCCESS)
                how = START_CONVERGED;
            break;
        }
    }
    gsl_vector_memcpy(u, gsl_multimin_fdfminimizer_x(mm));
    *fmin = gsl_multimin_fdfminimizer_minimum(mm);
    return isfinite(*fmin) ? how : START_FAILED;
}

/*
 * Observed information at th by central differences of the analytic
 * gradient, inverted into se and corr. Returns LSD_OK (se_ok says whether the
 * information was positive definite), or the status of a failed evaluation.
 */
static lsd_status fill_errors(const problem *p, const double *th, lsd_estimate *out)
{
    const double lower[LSD_ESTIMATE_NPARAMS] = { -INFINITY, p->ctl->vol_min, 0.0, -INFINITY,
                                            p->ctl->jump_vol_min };
    const double typical[LSD_ESTIMATE_NPARAMS] = { p->s_mu, th[1], th[2], p->s_j, th[4] };
    gsl_matrix *h = gsl_matrix_alloc(LSD_ESTIMATE_NPARAMS, LSD_ESTIMATE_NPARAMS);
    if (h == NULL)
        return LSD_ENOMEM;
    for (int j = 0; j < LSD_ESTIMATE_NPARAMS; j++) {
        double step = HESSIAN_STEP * fmax(fabs(th[j]), typical[j]);
        step = fmin(step, 0.5 * (th[j] - lower[j]));
        if (!(step > 0.0) || !(th[j] + step > th[j])) {
            gsl_matrix_free(h); /* a parameter on its bound: no information there */
            return LSD_OK;
        }
        double up[LSD_ESTIMATE_NPARAMS], dn[LSD_ESTIMATE_NPARAMS], gu[LSD_ESTIMATE_NPARAMS],
            gd[LSD_ESTIMATE_NPARAMS], ll;
        for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
            up[k] = dn[k] = th[k];
        up[j] += step;
        dn[j] -= step;
        const lsd_status st1 = loglik_sum(p->times, p->values, p->n, up, p->ctl, &ll, gu);
        const lsd_status st2 = loglik_sum(p->times, p->values, p->n, dn, p->ctl, &ll, gd);
        if (st1 != LSD_OK || st2 != LSD_OK) {
            gsl_matrix_free(h);
            return st1 != LSD_OK ? st1 : st2;
        }
        for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
            gsl_matrix_set(h, (size_t)j, (size_t)k, -(gu[k] - gd[k]) / (up[j] - dn[j]));
    }
    for (size_t j = 0; j < LSD_ESTIMATE_NPARAMS; j++)
        for (size_t k = 0; k < j; k++) {
            const double mean = 0.5 * (gsl_matrix_get(h, j, k) + gsl_matrix_get(h, k, j));
            gsl_matrix_set(h, j, k, mean);
            gsl_matrix_set(h, k, j, mean);
        }
    /* A J that is not positive definite is a documented outcome (se_ok = 0),
     * not an error: its Cholesky failure (GSL_EDOM, raised) stays in this
     * guard. */
    lsd_gsl_guard guard;
    lsd_gsl_guard_enter(&guard);
    out->se_ok = gsl_linalg_cholesky_decomp1(h) == GSL_SUCCESS &&
                 gsl_linalg_cholesky_invert(h) == GSL_SUCCESS;
    lsd_gsl_guard_leave(&guard);
    if (out->se_ok) {
        for (size_t j = 0; j < LSD_ESTIMATE_NPARAMS; j++)
            out->se[j] = sqrt(gsl_matrix_get(h, j, j));
        for (size_t j = 0; j < LSD_ESTIMATE_NPARAMS; j++)
            for (size_t k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
                out->corr[j][k] = gsl_matrix_get(h, j, k) / (out->se[j] * out->se[k]);
    }
    gsl_matrix_free(h);
    return LSD_OK;
}

/* Merton by multistart BFGS (header comment). */
static lsd_status fit_merton(const double *times, const double *values, size_t n,
                             const lsd_estimate_control *ctl, lsd_estimate *out, lsd_diag *diag)
{
    const size_t nr = n - 1;
    const double T = (times[n - 1] - times[0]) / LSD_SECONDS_PER_YEAR, dtbar = T / (double)nr;
    /* Jump-robust vol: 1.4826·MAD of the standardised returns. */
    double *z = malloc(nr * sizeof *z), *work = malloc(nr * sizeof *work);
    if (z == NULL || work == NULL) {
        free(z);
        free(work);
        return lsd_diag_fail(diag, LSD_ENOMEM, "out of memory");
    }
    for (size_t i = 1; i < n; i++) {
        const double dt = (times[i] - times[i - 1]) / LSD_SECONDS_PER_YEAR;
        z[i - 1] = log(values[i] / values[i - 1]) / sqrt(dt);
    }
    double sig0 = 1.4826 * gsl_stats_mad(z, 1, nr, work);
    free(z);
    free(work);
    if (!(sig0 > 2.0 * ctl->vol_min))
        sig0 = 2.0 * ctl->vol_min;
    problem p = { times, values, n, ctl, 0.0, sig0 * sqrt(dtbar) };
    p.s_mu = p.s_j / dtbar;
    const double a_hat = log(values[n - 1] / values[0]) / T;
    double del0 = 4.0 * p.s_j;
    if (!(del0 > 2.0 * ctl->jump_vol_min))
        del0 = 2.0 * ctl->jump_vol_min;

    /* The allocations and the minimiser run under the guard; their return
     * codes decide (a start whose minimiser fails is dropped), and the
     * reason of an error GSL raised goes into the message if no start
     * converges. */
    lsd_gsl_guard guard;
    lsd_gsl_guard_enter(&guard);
    gsl_multimin_fdfminimizer *mm =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, LSD_ESTIMATE_NPARAMS);
    gsl_vector *u = gsl_vector_alloc(LSD_ESTIMATE_NPARAMS);
    gsl_vector *best = gsl_vector_calloc(LSD_ESTIMATE_NPARAMS);
    if (mm == NULL || u == NULL || best == NULL) {
        gsl_multimin_fdfminimizer_free(mm);
        gsl_vector_free(u);
        gsl_vector_free(best);
        lsd_gsl_guard_leave(&guard);
        return lsd_diag_fail(diag, LSD_ENOMEM, "out of memory");
    }
    gsl_multimin_function_fdf fdf = { obj_f, obj_df, objective, LSD_ESTIMATE_NPARAMS, &p };
    static const double jump_share[] = { 0.01, 0.05, 0.2 }; /* λΔt̄ */
    static const double jump_mean[] = { -4.0, 0.0, 4.0 };   /* μ_J / s_J */
    double fbest = GSL_POSINF;
    for (size_t a = 0; a < 3; a++)
        for (size_t b = 0; b < 3; b++) {
            gsl_vector_set(u, 0, (a_hat + 0.5 * sig0 * sig0) / p.s_mu);
            gsl_vector_set(u, 1, log(sig0 - ctl->vol_min));
            gsl_vector_set(u, 2, log(jump_share[a] / dtbar));
            gsl_vector_set(u, 3, jump_mean[b]);
            gsl_vector_set(u, 4, log(del0 - ctl->jump_vol_min));
            double f;
            out->n_starts++;
            const int how = minimise(mm, &fdf, u, ctl->grad_tol, ctl->max_iter,
                                     log(LAMBDA_FLOOR / T), log(LAMBDA_CEILING / dtbar), &f);
            if (how != START_FAILED)
                out->n_converged++;
            if (how == START_CONVERGED) {
                if (f < fbest) {
                    fbest = f;
                    gsl_vector_memcpy(best, u);
                }
            }
        }
    gsl_multimin_fdfminimizer_free(mm);
    gsl_vector_free(u);
    lsd_gsl_guard_leave(&guard);
    if (out->n_converged == 0) {
        gsl_vector_free(best);
        return lsd_diag_fail(diag, LSD_ENOCONV,
                        "no starting point converged (%zu tried, gradient tolerance %g)%s%s",
                        out->n_starts, ctl->grad_tol, guard.gsl_errno != 0 ? "; GSL: " : "",
                        guard.reason);
    }
    double th[LSD_ESTIMATE_NPARAMS], dth[LSD_ESTIMATE_NPARAMS];
    to_theta(&p, best, th, dth);
    gsl_vector_free(best);
    /* ln L → the BSM maximum as λ → 0, which no interior point reaches when
     * the data hold no jumps: then the maximum is on the boundary λ = 0
     * (also when every start that converged went there: fbest = +∞). */
    lsd_estimate bsm = { .model = LSD_MODEL_BSM };
    set_nan(&bsm);
    fit_bsm(times, values, n, &bsm);
    if (!(-fbest * (double)nr > bsm.loglik)) {
        for (int j = 0; j < LSD_ESTIMATE_NPARAMS; j++) {
            out->param[j] = bsm.param[j];
            out->se[j] = bsm.se[j];
            for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
                out->corr[j][k] = bsm.corr[j][k];
        }
        out->loglik = bsm.loglik;
        out->at_bound = out->se_ok = 1;
        return LSD_OK;
    }
    for (int k = 0; k < LSD_ESTIMATE_NPARAMS; k++)
        out->param[k] = th[k];
    out->loglik = -fbest * (double)nr;
    out->at_bound = th[LSD_ESTIMATE_VOL] < 1.01 * ctl->vol_min ||
                    th[LSD_ESTIMATE_JUMP_VOL] < 1.01 * ctl->jump_vol_min;
    lsd_gsl_guard alloc_guard; /* fill_errors' allocation: no abort on ENOMEM */
    lsd_gsl_guard_enter(&alloc_guard);
    const lsd_status st = fill_errors(&p, th, out);
    lsd_gsl_guard_leave(&alloc_guard);
    if (st != LSD_OK)
        return lsd_diag_fail(diag, st, "%s while forming the observed information",
                        lsd_strerror(st));
    return LSD_OK;
}

lsd_status lsd_estimate_fit(const double *times, const double *values, size_t n,
                            lsd_model model, const lsd_estimate_control *ctl,
                            lsd_estimate *out, lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "NULL argument");
    *out = (lsd_estimate){ .model = model };
    set_nan(out);
    if (times == NULL || values == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "NULL argument");
    if (model != LSD_MODEL_BSM && model != LSD_MODEL_MERTON)
        return lsd_diag_fail(diag, LSD_EINVAL, "unknown model %d", (int)model);
    const lsd_estimate_control def = lsd_estimate_control_default();
    if (ctl == NULL)
        ctl = &def;
    lsd_status st = check_control(ctl, diag);
    if (st == LSD_OK)
        st = check_series(times, values, n,
                          model == LSD_MODEL_BSM ? MIN_POINTS_BSM : MIN_POINTS_MERTON, diag);
    if (st != LSD_OK)
        return st;
    out->n_obs = n - 1;
    out->n_params = model == LSD_MODEL_BSM ? 2 : LSD_ESTIMATE_NPARAMS;
    out->years = (times[n - 1] - times[0]) / LSD_SECONDS_PER_YEAR;
    if (model == LSD_MODEL_BSM) {
        fit_bsm(times, values, n, out);
    } else {
        st = fit_merton(times, values, n, ctl, out, diag);
        if (st != LSD_OK) {
            const lsd_estimate keep = *out;
            set_nan(out);
            out->n_starts = keep.n_starts;
            out->n_converged = keep.n_converged;
            return st;
        }
    }
    out->aic = 2.0 * (double)out->n_params - 2.0 * out->loglik;
    return LSD_OK;
}
