/*
 * bsm.h — generalized Black–Scholes–Merton with a continuous carry yield.
 *
 * The token's staking yield q enters as a continuous dividend yield, so the
 * forward is F = S·e^{(r−q)T}. Price and the six classical greeks in closed
 * form; the formulas are in bsm.c.
 *
 * Layer: models (pricing/models/) — depends on core only; installed as
 * <lsdopt/bsm.h>.
 */
#ifndef LSD_BSM_H
#define LSD_BSM_H

#include "option.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Price and greeks of a European option under generalized BSM with carry:
 *
 *   F = S·e^{(r−q)T},  s = σ√T,  d1 = ln(F/K)/s + s/2,  d2 = d1 − s
 *   call = e^{−rT}[F·N(d1) − K·N(d2)],  put = e^{−rT}[K·N(−d2) − F·N(−d1)]
 *
 * Source: Black & Scholes (1973), Merton (1973); Haug, The Complete Guide to
 *         Option Pricing Formulas, 2nd ed. (2007), §1.1.6 (generalized BSM)
 *         and §2.1 (greeks).
 * Units:  DESIGN.md; vega per 1.00 vol, theta per year, rho and carry_rho
 *         per 1.00 of rate. The jump sensitivities are set to 0.
 * Accuracy: a few ulps of the inputs' conditioning; see tests/unit/test_bsm.c.
 * Errors: LSD_EINVAL for NULL pointers; LSD_EDOM for a non-finite or
 *         out-of-domain input (lsd_option_check), detail in diag (may be
 *         NULL). On error every field of *out is NaN.
 * Thread-safe; allocates nothing.
 */
LSD_EXPORT lsd_status lsd_bsm_price(const lsd_option *opt, const lsd_market *mkt,
                                    lsd_greeks *out, lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_BSM_H */
