/*
 * market.h — the market adapters: the finance rules that turn what a user,
 * a row or a file gives (rate and carry curves, a token's profile and its
 * staking APR, a premium's unit) into the flat numbers a model takes
 * (lsd_market: S, r, q), as QuantLib's thin adapters first reduce curves to
 * numbers (STYLE.md). The CLI parses, calls these and formats; the rules
 * live here, once.
 *
 *   lsd_market_forward              F = S·e^{(r−q)T}
 *   lsd_market_premium_*            premiums in the quote currency or in the
 *                                   underlying (inverse, as on Deribit)
 *   lsd_market_token_carry          the carry of a token symbol, an APR or both
 *   lsd_market_apply_curves         curves → zero rates at expiry
 *
 * Units are DESIGN.md's: S and premiums in quote currency per token (or in
 * tokens, for LSD_PREMIUM_UNDERLYING), T in years ACT/365F, r and q
 * continuously compounded per year, APRs as quoted (0.03 = 3%). Every
 * function here is thread-safe: no state of its own; curves are read-only
 * once built (curve.h).
 *
 * Layer: curves (curves/) — depends on core only; installed as
 * <lsdopt/market.h>.
 */
#ifndef LSD_MARKET_H
#define LSD_MARKET_H

#include "curve.h"
#include "option.h"
#include "status.h"
#include "token.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The forward of the token in the quote currency, by cost of carry:
 *
 *   F = S·e^{(r−q)·T}
 *
 * from mkt->spot, mkt->rate and mkt->carry (mkt->vol is not read) and the
 * expiry T in years. Computed exactly as spot * exp((rate − carry) * T), so
 * it is the forward the pricers use, bit for bit.
 * Source: Hull, Options, Futures and Other Derivatives (10th ed.), §5.6,
 * eq. (5.3) (an asset paying a known yield q); DESIGN.md, "Staking yield as
 * carry".
 * Errors: LSD_EINVAL for a NULL mkt or forward; LSD_EDOM for a spot that is
 * not finite and > 0, an expiry that is not finite and > 0, a rate or carry
 * that is not finite (messages as lsd_option_check's, checked in the order
 * spot, expiry, rate, carry), or a forward that overflows or underflows
 * (not finite and > 0). On error *forward is NaN. Thread-safe; allocates
 * nothing.
 */
LSD_EXPORT lsd_status lsd_market_forward(const lsd_market *mkt, double expiry, double *forward,
                                         lsd_diag *diag);

/* How a premium is quoted. */
typedef enum lsd_premium_unit {
    LSD_PREMIUM_QUOTE = 0,     /* quote currency per token (USD per ETH) */
    LSD_PREMIUM_UNDERLYING = 1 /* in the underlying: inverse, coin-settled (Deribit) */
} lsd_premium_unit;

/*
 * Parse "quote" or "underlying" (ASCII case-insensitive, nothing else: no
 * blanks, no abbreviations) into *unit. Errors: LSD_EPARSE with the message
 * "premium_unit must be quote or underlying (got '<text>')" (text cut at 40
 * characters), LSD_EINVAL for NULL. On error *unit is untouched.
 * Thread-safe; allocates nothing.
 */
LSD_EXPORT lsd_status lsd_market_premium_unit_parse(const char *text, lsd_premium_unit *unit,
                                                    lsd_diag *diag);

/* "quote" or "underlying"; "unknown" for any other value. A static string,
 * never NULL; cannot fail. Thread-safe. */
LSD_EXPORT const char *lsd_market_premium_unit_name(lsd_premium_unit unit);

/*
 * A premium in the quote currency. An inverse option (Deribit's, coin
 * settled) is quoted in the underlying: its premium in tokens is its value
 * in the quote currency divided by the forward of the expiry, so
 *
 *   LSD_PREMIUM_QUOTE:       price = premium
 *   LSD_PREMIUM_UNDERLYING:  price = premium·F
 *
 * forward: F in quote currency per token, finite and > 0 (for Deribit, the
 * `underlying` of the expiry; else lsd_market_forward); not read for
 * LSD_PREMIUM_QUOTE (NaN is fine). premium: finite, any sign (whether it
 * lies within the option's bounds is the inverter's question).
 * Source: the inverse put–call parity c − p = 1 − K/F that forwards.c uses
 * and that PROVENANCE.md of ../shared/data/deribit-eth-options checks on
 * every two-sided strike of the snapshots.
 * Errors: LSD_EINVAL for a NULL price or an unknown unit; LSD_EDOM for a
 * premium that is not finite, a forward that is not finite and > 0 (unit
 * underlying) or a product that overflows. On error *price is NaN.
 * Thread-safe; allocates nothing.
 */
LSD_EXPORT lsd_status lsd_market_premium_to_quote(double premium, lsd_premium_unit unit,
                                                  double forward, double *price, lsd_diag *diag);

/*
 * The inverse of lsd_market_premium_to_quote: a quote-currency price in the
 * given unit, premium = price (quote) or price/F (underlying). Same domain
 * and errors, with price in place of premium (and a quotient that is not
 * finite in place of an overflowing product). On error *premium is NaN.
 * A round trip returns the premium to within one rounding of each step.
 * Thread-safe; allocates nothing.
 */
LSD_EXPORT lsd_status lsd_market_premium_from_quote(double price, lsd_premium_unit unit,
                                                    double forward, double *premium,
                                                    lsd_diag *diag);

/*
 * The carry q of an option on a token, from its profile, its quoted
 * staking APR, or both:
 *   token and APR:  lsd_token_carry (rebasing: the continuous yield of the
 *                   APR at the token's compounding, apr_periods·ln(1 +
 *                   APR/apr_periods); value-accruing: 0);
 *   token only:     value-accruing: 0 (its price accrues the yield);
 *                   rebasing: LSD_EDOM, "<symbol> is rebasing: its carry is
 *                   its staking yield, so it needs a staking APR";
 *   APR only:       a rebasing token compounding daily (stETH's, Lido's
 *                   convention): q = 365·ln(1 + APR/365).
 * token: a profile (pricing/io/token_file.h reads them), or NULL;
 * staking_apr: the APR as quoted, net of the protocol fee, or NULL.
 * *profile (if profile is not NULL) gets the profile the rule used — a copy
 * of *token, or for the APR alone the daily rebasing profile (symbol,
 * staked_asset and chain "", protocol_fee NaN, apr_periods 365) — also when
 * the carry then fails; it is untouched when neither input is given.
 * Source: the compounding conversion of lsd_token_apr_to_continuous (Hull,
 * §4.2); DESIGN.md, "Staking yield as carry".
 * Errors: LSD_EINVAL for a NULL carry, neither token nor staking_apr, or a
 * token kind that is neither rebasing nor value-accruing; those of
 * lsd_token_carry (LSD_EDOM: APR not finite or ≤ −apr_periods, bad
 * apr_periods); LSD_EDOM for a rebasing token without an APR. On error
 * *carry is NaN. Thread-safe; allocates nothing.
 */
LSD_EXPORT lsd_status lsd_market_token_carry(const lsd_token *token, const double *staking_apr,
                                             double *carry, lsd_token *profile, lsd_diag *diag);

/*
 * Set mkt->rate and mkt->carry to the curves' zero rates at expiry:
 * r̄(T) = −ln D_r(T)/T and q̄(T) = −ln D_q(T)/T. A NULL curve leaves its
 * field as it is. With these the flat pricers price exactly as with the
 * curves (European payoff: only D(T) matters; QuantLib's engines reduce a
 * Black–Scholes process's curves the same way); rho and carry_rho are then
 * sensitivities to parallel shifts of the curves' zero rates. A flat curve
 * gives its rate bit for bit (curve.c).
 * Errors: LSD_EINVAL for NULL mkt; LSD_EDOM for an expiry that is not
 * finite and > 0 ("expiry must be finite and > 0 (got ...)"); those of
 * lsd_curve_zero_rate. On error *mkt is unchanged.
 * Thread-safe (the curves are only read, and may be shared between
 * threads); allocates nothing.
 */
LSD_EXPORT lsd_status lsd_market_apply_curves(lsd_market *mkt, const lsd_curve *rate_curve,
                                              const lsd_curve *carry_curve, double expiry,
                                              lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_MARKET_H */
