/*
 * implied_vol.h — implied volatility: the BSM (with carry) or Black-76
 * volatility that reproduces a market price (lsd_implied_vol_bsm,
 * lsd_implied_vol_black), by Jäckel's "Let's Be Rational" coordinates and
 * Householder steps. Algorithm, accuracy and sources in implied_vol.c.
 *
 * Layer: fit (pricing/fit/) — depends on core, models and curves; installed as
 * <lsdopt/implied_vol.h>.
 */
#ifndef LSD_IMPLIED_VOL_H
#define LSD_IMPLIED_VOL_H

#include "option.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Black-76 implied volatility of a European option on a forward:
 * find σ > 0 with D·Black(F, K, σ√T) = price (D the discount factor,
 * Black the undiscounted call or put).
 *
 * Inputs: price (quote currency, discounted), forward F > 0, strike K > 0,
 * expiry T > 0 years, discount D finite and > 0 (above 1 for a negative
 * rate). Output: *vol per √year. Accuracy: |σ̂ − σ| ≤ 1e-12·σ wherever the price carries time
 * value (σ 0.005–5, T 1e-3–10, K/F 0.2–5); see tests/unit/test_implied_vol.c.
 * Method and source: see implied_vol.c (normalised coordinates x = ln(F/K),
 * s = σ√T, out-of-the-money twin through parity; Jäckel, "Let's Be
 * Rational", Wilmott 2015).
 * Errors: LSD_EINVAL (NULL), LSD_EDOM (non-finite or out-of-domain input),
 *         LSD_EBELOW (price below intrinsic D·max(±(F − K), 0)),
 *         LSD_EABOVE (price at or above D·F for a call, D·K for a put),
 *         LSD_ENOTIME (price within rounding of intrinsic: no time value to
 *         invert), LSD_ENOCONV (should not happen; never a silent number).
 *         On error *vol is NaN. Thread-safe; allocates nothing.
 */
LSD_EXPORT lsd_status lsd_implied_vol_black(lsd_option_type type, double price, double forward,
                                            double strike, double expiry, double discount,
                                            double *vol, lsd_diag *diag);

/*
 * BSM-with-carry implied volatility: the σ for which lsd_bsm_price(opt, mkt
 * with vol = σ) equals price. mkt->vol is ignored. Same as
 * lsd_implied_vol_black with F = S·e^{(r−q)T}, D = e^{−rT}; same errors.
 */
LSD_EXPORT lsd_status lsd_implied_vol_bsm(const lsd_option *opt, const lsd_market *mkt,
                                      double price, double *vol, lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_IMPLIED_VOL_H */
