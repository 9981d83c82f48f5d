/*
 * merton.h — Merton (1976) jump-diffusion with a continuous carry yield:
 * the depeg model. Log-normal jumps of intensity λ, compensated so that the
 * forward S·e^{(r−q)T} is the same as without jumps.
 *
 * Layer: models (pricing/models/) — depends on core only; installed as
 * <lsdopt/merton.h>.
 */
#ifndef LSD_MERTON_H
#define LSD_MERTON_H

#include "option.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Series control: when to stop summing the Poisson series. Get the defaults
 * from lsd_merton_control_default() and change what you need.
 *
 * The sum stops once a proven bound on the remaining tail of every output
 * (price and each greek) is at most max(rtol·|partial sum|, atol·scale),
 * where scale is 1 for delta, 1/S for gamma and S for the price and the
 * other greeks. If that has not happened after max_terms terms, the call
 * fails with LSD_ENOCONV: a truncated number is never returned.
 */
typedef struct lsd_merton_control {
    double rtol;    /* relative tail tolerance, default 1e-14 */
    double atol;    /* absolute tail tolerance in units of scale, default 1e-15 */
    long max_terms; /* most series terms summed, default 100000 */
} lsd_merton_control;

/* The default control (returned by value; GSL's *_default() idiom). */
LSD_EXPORT lsd_merton_control lsd_merton_control_default(void);

/*
 * Price and greeks of a European option under Merton (1976) jump-diffusion
 * with a continuous carry yield (the token's staking yield).
 *
 *   κ = e^{μ_J + δ²/2} − 1,  m = λT,  m' = λ(1+κ)T
 *   V = e^{−rT} Σ_n Pois(n; m) · Black(F_n, K, v_n)
 *   F_n = F·e^{−λκT}(1+κ)^n,  v_n = σ²T + nδ²,  F = S·e^{(r−q)T}
 *
 * which is Merton's eq. (19) (Haug's form with λ' = λ(1+κ),
 * σ_n² = σ² + nδ²/T, r_n = r − λκ + n·ln(1+κ)/T) rewritten on forwards:
 * Pois(n; m)·F_n = F·Pois(n; m'), so the forward legs are weighted by
 * Poisson(m') and the strike legs by Poisson(m). The greeks and the jump
 * sensitivities are the series differentiated term by term (formulas in
 * merton.c). The weights start at the Poisson mode, computed in log space
 * through the regulated gamma function, and the sum runs outward from there
 * until the tail bound of lsd_merton_control is met.
 *
 * Source: Merton, J. Financial Economics 3 (1976) 125–144, eq. (19);
 *         Haug, The Complete Guide to Option Pricing Formulas, 2nd ed.
 *         (2007), §6.7.1.
 * Units:  DESIGN.md; jump sensitivities per 1.00 of λ, μ_J and δ.
 * Accuracy: ≤ 1e-12 relative (absolute floor ~1e-13·scale) for T in
 *         [1e-4, 10], σ in [0.01, 4], λT ≤ 500, K/S in [0.01, 100];
 *         see tests/unit/test_merton.c. With λ = 0 the result is lsd_bsm_price's.
 * Errors: LSD_EINVAL for NULL opt/mkt/jumps/out; LSD_EDOM for a non-finite
 *         or out-of-domain input or control; LSD_ENOCONV if the tail bound is
 *         not met within control->max_terms. ctl may be NULL (defaults),
 *         diag may be NULL. On error every field of *out is NaN.
 * Thread-safe; allocates nothing.
 */
LSD_EXPORT lsd_status lsd_merton_price(const lsd_option *opt, const lsd_market *mkt,
                                       const lsd_jumps *jumps,
                                       const lsd_merton_control *ctl, lsd_greeks *out,
                                       lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_MERTON_H */
