/*
 * terminal_law.h — the law of ln S_T at a horizon T under Merton (1976)
 * jump-diffusion with a drift (BSM without jumps): a Poisson mixture of
 * normals, under the pricing measure (drift r − q) or a real-world drift.
 * Its CDF and quantiles, summed and solved exactly (no simulation):
 * lsd_terminal_law_init builds the law, lsd_terminal_law_cdf and
 * lsd_terminal_law_quantile evaluate it (covered_call.h uses them for the
 * assignment probability and P&L quantiles). Formulas and sources in
 * terminal_law.c.
 *
 * Layer: models (pricing/models/) — depends on core only; installed as
 * <lsdopt/terminal_law.h>.
 */
#ifndef LSD_TERMINAL_LAW_H
#define LSD_TERMINAL_LAW_H

#include "option.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The law of ln S_T: given n jumps by T, normal with mean
 * log_mean0 + n·jump_mean and variance var0 + n·jump_var; n ~ Poisson(jump_count).
 */
typedef struct lsd_terminal_law {
    double log_mean0;  /* ln S + (drift − λκ − σ²/2)T, mean of ln S_T without jumps */
    double var0;       /* σ²T */
    double jump_mean;  /* μ_J, added to the mean per jump */
    double jump_var;   /* δ², added to the variance per jump */
    double jump_count; /* λT, mean number of jumps by T */
} lsd_terminal_law;

/*
 * The law of ln S_T for S_T = S·exp((drift − λκ − σ²/2)T + σW_T + Σ_{i≤N_T} Y_i),
 * N_T ~ Poisson(λT), Y_i ~ N(μ_J, δ²), κ = e^{μ_J+δ²/2} − 1: compensated
 * jumps, so E[S_T] = S·e^{drift·T}. drift = r − q is the pricing
 * (risk-neutral) measure of merton.h; a real-world drift μ gives the
 * real-world law. mkt gives S (quote currency per token) and σ (per
 * √year; its rate and carry are checked, not used); expiry T in years;
 * drift per year, continuously compounded; jumps (λ per year, μ_J, δ of
 * the log-jump) NULL: no jumps.
 * Source: Merton, J. Financial Economics 3 (1976) 125–144, eq. (19) is the
 * price as an expectation under this mixture.
 * Errors: LSD_EINVAL for NULL mkt or law (*law then untouched); LSD_EDOM for
 * a non-finite drift, an input lsd_option_check rejects (option.h), or a
 * mean of ln S_T that overflows. On those every field of *law is NaN.
 * Thread-safe; allocates nothing.
 */
LSD_EXPORT lsd_status lsd_terminal_law_init(const lsd_market *mkt, double expiry, double drift,
                                            const lsd_jumps *jumps, lsd_terminal_law *law,
                                            lsd_diag *diag);

/*
 * P(S_T ≤ s) in *cdf and P(S_T > s) in *sf (either may be NULL), for a law
 * that lsd_terminal_law_init filled (returned LSD_OK); s in the spot's unit
 * (quote currency per token), ≥ 0. Each is summed directly (no 1 − x
 * cancellation): Σ_n Pois(n; λT)·N(∓z_n), z_n = (ln s − mean_n)/√var_n, the
 * mixture of the struct above. The Poisson weights are formed in log space
 * where e^{−λT}·(λT)^n/n! would underflow or overflow, so a law with
 * hundreds of jumps by T keeps its digits. The sum stops once a proven
 * geometric bound on the Poisson mass not yet summed is below 1e-17 (each
 * omitted term adds at most its weight, as 0 ≤ N ≤ 1): each output is then
 * exact to 1e-17 absolute plus rounding. s = 0 gives cdf 0, sf 1.
 * Source: the mixture of Merton (1976), eq. (19), as for
 * lsd_terminal_law_init; the tail bound is derived in terminal_law.c.
 * Errors: LSD_EINVAL for NULL law; LSD_EDOM for s < 0, infinite or NaN;
 * LSD_ENOCONV if the bound is not met within 100000 terms. On error both
 * outputs (those not NULL) are NaN.
 * Thread-safe; allocates nothing.
 */
LSD_EXPORT lsd_status lsd_terminal_law_cdf(const lsd_terminal_law *law, double s, double *cdf,
                                           double *sf, lsd_diag *diag);

/*
 * The p-quantile of S_T, 0 < p < 1: the s (quote currency per token) with
 * P(S_T ≤ s) = p, for a law that lsd_terminal_law_init filled. Brent's
 * method (GSL gsl_root_fsolver_brent; Brent, Algorithms for Minimization
 * without Derivatives, 1973, ch. 4) on x = ln s, from a bracket widened
 * from the mixture's mean ± k standard deviations of ln S_T (k = 1, 2, 4,
 * …, at most 40 doublings) until the signs differ, to 1e-15·max(1, |mean|)
 * in ln s, i.e. s to about 1e-15 relative. The smaller of the two tails is
 * matched (the cdf of lsd_terminal_law_cdf for p ≤ 1/2, its sf above), so
 * quantiles far in either tail keep their digits.
 * Errors: LSD_EINVAL for NULL law or s (*s untouched); LSD_EDOM for p
 * outside (0, 1) or NaN; LSD_ENOCONV for no sign change in the widest
 * bracket, no convergence in 400 Brent iterations, or a CDF sum that fails
 * (as lsd_terminal_law_cdf); LSD_ENOMEM if GSL's solver cannot be
 * allocated. On those *s is NaN.
 * Thread-safe: allocates one GSL solver, freed before returning. Its GSL
 * calls run under the library's own GSL error guard, never GSL's aborting
 * handler; GSL's handler is process-wide, so a caller that calls GSL itself
 * on another thread meanwhile meets the library's recording handler.
 */
LSD_EXPORT lsd_status lsd_terminal_law_quantile(const lsd_terminal_law *law, double p, double *s,
                                                lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_TERMINAL_LAW_H */
