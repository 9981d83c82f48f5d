/*
 * terminal_law.h — the law of ln S_T at a horizon T under Merton (1976)
 * jump-diffusion with a drift (BSM without jumps): a Poisson mixture of
 * normals, under the pricing measure (drift r − q) or a real-world drift.
 * Its CDF and quantiles, summed and solved exactly (no simulation).
 * Formulas and sources in terminal_law.c.
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
 * real-world law. mkt gives S and σ (its rate and carry are checked, not
 * used); expiry T in years; jumps NULL: no jumps.
 * Source: Merton, J. Financial Economics 3 (1976) 125–144, eq. (19) is the
 * price as an expectation under this mixture.
 * Errors: LSD_EINVAL for NULL mkt/law; LSD_EDOM for a non-finite drift, an
 * input lsd_option_check rejects, or a mean of ln S_T that overflows. On
 * error every field of *law is NaN. Thread-safe; allocates nothing.
 */
LSD_EXPORT lsd_status lsd_terminal_law_init(const lsd_market *mkt, double expiry, double drift,
                                            const lsd_jumps *jumps, lsd_terminal_law *law,
                                            lsd_diag *diag);

/*
 * P(S_T ≤ s) in *cdf and P(S_T > s) in *sf (either may be NULL), each summed
 * directly (no 1 − x cancellation): Σ_n Pois(n; λT)·N(∓z_n), z_n the
 * standardised ln s, with the Poisson weights in log space (core/poisson.h).
 * The sum stops once a proven bound on the Poisson mass not yet summed is
 * below 1e-17 (terminal_law.c: each output is then exact to 1e-17 absolute
 * plus rounding). s = 0 gives cdf 0, sf 1.
 * Errors: LSD_EINVAL for NULL law; LSD_EDOM for s < 0, infinite or NaN;
 * LSD_ENOCONV after 100000 terms. On error both outputs are NaN.
 * Thread-safe; allocates nothing.
 */
LSD_EXPORT lsd_status lsd_terminal_law_cdf(const lsd_terminal_law *law, double s, double *cdf,
                                           double *sf, lsd_diag *diag);

/*
 * The p-quantile of S_T, 0 < p < 1: the s with P(S_T ≤ s) = p, by Brent's
 * method (gsl_root_fsolver_brent) on ln s to 1e-15 relative, from a bracket
 * widened from the mixture's mean ± one standard deviation of ln S_T; the
 * smaller of the two tails (cdf for p ≤ 1/2, sf above) is matched, so
 * quantiles far in either tail keep their digits.
 * Errors: LSD_EINVAL for NULL; LSD_EDOM for p outside (0, 1); LSD_ENOCONV
 * if no bracket or no convergence, or from the CDF. *s is NaN on error.
 * Thread-safe.
 */
LSD_EXPORT lsd_status lsd_terminal_law_quantile(const lsd_terminal_law *law, double p, double *s,
                                                lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_TERMINAL_LAW_H */
