/*
 * cos.h — the characteristic-function engine: European options priced by
 * the COS method (Fang & Oosterlee 2008) from the characteristic function
 * of ln S_T of any lsd_model_params (model.h): a base (BSM diffusion,
 * Merton jumps, Kou jumps, Heston variance, Bates = Heston + Merton) times
 * the default and depeg overlays, each factor compensated so that the
 * forward F = S·e^{(r−q)T} is unchanged.
 *
 * Layer: models (pricing/models/) — depends on core only; installed as
 * <lsdopt/cos.h>.
 */
#ifndef LSD_COS_H
#define LSD_COS_H

#include <stddef.h>

#include "model.h"
#include "option.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Accuracy control. Get the defaults from lsd_cos_control_default() and
 * change what you need.
 *
 * tol is the target absolute error of each output in units of its scale
 * (S·e^{−qT} + K·e^{−rT} for the price, theta, rho, carry_rho, vega and the
 * jump sensitivities; e^{−qT} for delta; e^{−qT}/S for gamma). The range
 * [a, b] of Y = ln(S_T/F) holds all but tol·1e-3 of the probability (and of
 * the share-measure mass where a strike needs it) on each side, by a
 * Chernoff bound from the moment generating function (cos.c); the series
 * stops once the characteristic function's modulus, times the payoff
 * coefficients' bound, has stayed below tol/10 for 8 terms. If that needs
 * more than max_terms terms the call fails with LSD_ENOCONV: a truncated
 * number is never returned. The bounds are conservative: measured errors
 * are 1e-3 to 1e-4 of tol at the default (README, "Accuracy").
 */
typedef struct lsd_cos_control {
    double tol;     /* target error in units of scale, default 1e-13, in [1e-15, 1e-3] */
    long max_terms; /* most cosine terms, default 2^18, in [16, 2^24] */
} lsd_cos_control;

/* The default control (returned by value; GSL's *_default() idiom). */
LSD_EXPORT lsd_cos_control lsd_cos_control_default(void);

/*
 * Price and greeks of one European option under params by the COS method.
 *
 * With Y = ln(S_T/F) and φ its characteristic function (the product of the
 * factors' compensated characteristic functions, Heston in the "little
 * trap" form of Albrecher et al. 2007, eq. (2)), on [a, b], u_k = kπ/(b−a):
 *
 *   put = e^{−rT} Σ'_{k<N} Re[φ(u_k)·e^{−i u_k a}]·V_k(K) + D,
 *   V_k = 2/(b−a)·(K·ψ_k(a, y*) − F·χ_k(a, y*)),   y* = ln(K/F)
 *
 * (Fang & Oosterlee 2008, eqs. (29) and (22)–(23)); a call is the put plus
 * e^{−rT}(F − K) (put–call parity, which holds under every model here as
 * each is a martingale for S·e^{−(r−q)t}). Puts are summed because their
 * payoff is bounded by K on [a, b], so the series' error is tol·K-sized;
 * a call's payoff grows like F·e^b and its series amplifies truncation
 * error by e^b. D is the default overlay's point mass priced analytically
 * when R = 0: D = e^{−rT}(1 − e^{−hT})·K (the put pays K after default);
 * the rest of the law carries e^{−hT} of the mass with drift +h.
 * Strikes with y* outside [a, b] get the limit of the series (0, or the
 * forward value e^{−rT}(K − F)), within tol by the choice of [a, b].
 * Strikes beyond 16 forwards, where parity would lose ε·K, are priced the
 * other way round: the call as a put on X = −Y under the share measure
 * (dQ¹/dP = e^Y, characteristic function E[e^{(1−iu)Y}]),
 * call = e^{−rT}·K·E¹[(F/K − e^X)^+], whose payoff is bounded by F/K, and
 * the put by parity — both keep their digits relative to S. Where the
 * share measure's law cannot be bounded within max_terms (Heston with
 * ρσᵥ > κ over years), those strikes fall back to the pricing measure's
 * range, extended to cover them, or LSD_ENOCONV. Prices are floored at 0
 * (a value within tol of a price ≥ 0 is never reported below).
 *
 * Greeks from the same coefficients: delta and gamma by differentiating
 * the series in F; rho = T·(S·delta − V) and carry_rho = −T·S·delta
 * (V = e^{−rT}·g(F) under every model); theta = −∂V/∂T through ∂φ/∂T in
 * closed form per factor; vega = ∂V/∂σ for BSM, Merton and Kou, and for
 * Heston and Bates the value of a parallel shift of the instantaneous and
 * long-run vols, ∂V/∂ε at √v0 → √v0 + ε, √θ → √θ + ε (which is BSM's vega
 * in the limit σᵥ → 0, v0 = θ); jump_intensity_sens, jump_mean_sens and
 * jump_vol_sens are ∂V/∂λ, ∂V/∂μ_J, ∂V/∂δ of Merton's (Merton, Bates) jumps
 * and, for Kou, ∂V/∂λ with the other two 0. The overlays' parameters and
 * Kou's p, η and Heston's κ, σᵥ, ρ have no sensitivity output.
 *
 * Sources: Fang & Oosterlee, SIAM J. Sci. Comput. 31 (2008) 826–848;
 *   Albrecher, Mayer, Schoutens & Tistaert, Wilmott (2007) 83–92; Kou,
 *   Management Science 48 (2002) 1086–1101; Bates, Rev. Financial Studies 9
 *   (1996) 69–107; Andersen & Piterbarg, Finance Stoch. 11 (2007) 29–50,
 *   Prop. 3.1 (Heston's moment explosion time, which bounds the Chernoff
 *   search).
 * Accuracy: see tests/unit/test_cos.c and tests/reference/.
 * Errors: those of lsd_model_check (model.h); LSD_EDOM for a control out of
 *   its range; LSD_ENOCONV if N would exceed ctl->max_terms or the range
 *   cannot be bounded; LSD_ENOMEM if the coefficient arrays cannot be
 *   allocated. ctl may be NULL (defaults), diag may be NULL. On error every
 *   field of *out is NaN.
 * Thread-safe; allocates its coefficient arrays and frees them.
 */
LSD_EXPORT lsd_status lsd_cos_price(const lsd_option *opt, const lsd_market *mkt,
                                    const lsd_model_params *params,
                                    const lsd_cos_control *ctl, lsd_greeks *out,
                                    lsd_diag *diag);

/*
 * A chain of one expiry: n options sharing expiry, market and model,
 * priced from one set of characteristic-function values (one range, one N,
 * each φ(u_k) and its derivatives computed once), with per strike only
 * the payoff coefficients. types[i] and strikes[i] describe option i;
 * out[i] is bit for bit what lsd_cos_price gives for it: the range and N
 * depend on the expiry, the market's rates and the model, never on the
 * strike.
 * Errors: LSD_EINVAL for NULL types, strikes or out with n > 0; those of
 * lsd_cos_price for the shared inputs; LSD_EDOM naming the first bad strike
 * or type by index. On error every out[i] is NaN. n = 0 is LSD_OK.
 * Thread-safe; allocates its coefficient arrays and frees them.
 */
LSD_EXPORT lsd_status lsd_cos_chain(const lsd_option_type *types, const double *strikes,
                                    size_t n, double expiry, const lsd_market *mkt,
                                    const lsd_model_params *params,
                                    const lsd_cos_control *ctl, lsd_greeks *out,
                                    lsd_diag *diag);

/*
 * The prices alone of a chain of one expiry (what calibration calls): as
 * lsd_cos_chain, with prices[i] the price of option i, but the
 * characteristic function's partial derivatives and the greeks' sums are
 * never formed. prices[i] equals lsd_cos_chain's out[i].price to within
 * rounding (a few ulps: the same terms, summed in the same order, except
 * that N is chosen on φ alone rather than on φ and ∂φ/∂T, so it can be
 * smaller by a few terms, each below tol).
 * Errors: as lsd_cos_chain (NULL prices with n > 0 is LSD_EINVAL). On error
 * every prices[i] is NaN. n = 0 is LSD_OK.
 * Thread-safe; allocates its coefficient arrays and frees them.
 */
LSD_EXPORT lsd_status lsd_cos_chain_prices(const lsd_option_type *types, const double *strikes,
                                           size_t n, double expiry, const lsd_market *mkt,
                                           const lsd_model_params *params,
                                           const lsd_cos_control *ctl, double *prices,
                                           lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_COS_H */
