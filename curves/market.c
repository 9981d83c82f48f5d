/*
 * market.c — the market adapters of market.h: the forward, premium units,
 * the carry rule of a token and its APR, curves reduced to zero rates at
 * expiry, and one reduction of a valuation's rate and carry inputs.
 *
 * Formulas (sources in market.h):
 *   forward          F = S·e^{(r−q)T}, computed as spot·exp((r − q)·T) like
 *                    the pricers, so the same inputs give the same bits;
 *   inverse premium  price = premium·F, premium = price/F;
 *   APR alone        q = 365·ln(1 + APR/365) (a rebasing token compounding
 *                    daily, through lsd_token_carry);
 *   curves           r̄(T) = −ln D_r(T)/T, q̄(T) = −ln D_q(T)/T
 *                    (lsd_curve_zero_rate).
 * The market's domain is lsd_option_check's (pricing/core/option.c), used
 * here for the fields each function reads, so messages match the pricers'.
 *
 * Thread-safe: no state; allocates nothing.
 *
 * Layer: curves (curves/) — depends on core only.
 */
#include "market.h"

#include "constants.h"
#include "diag.h"

#include <math.h>
#include <strings.h>

lsd_status lsd_market_forward(const lsd_market *mkt, double expiry, double *forward,
                              lsd_diag *diag)
{
    if (forward == NULL || mkt == NULL) {
        if (forward != NULL)
            *forward = NAN;
        return lsd_diag_fail(diag, LSD_EINVAL, "forward: NULL market or output");
    }
    *forward = NAN;
    /* spot, expiry, rate and carry against the pricers' domain, in that
     * order; the strike and vol are not ours to check, so fixed valid ones
     * stand in for them. */
    const lsd_option at = { .type = LSD_CALL, .strike = 1.0, .expiry = expiry };
    const lsd_market flat = { .spot = mkt->spot, .rate = mkt->rate, .carry = mkt->carry,
                              .vol = 1.0 };
    const lsd_status st = lsd_option_check(&at, &flat, NULL, diag);
    if (st != LSD_OK)
        return st;
    const double growth = (mkt->rate - mkt->carry) * expiry;
    const double f = mkt->spot * exp(growth);
    if (!(f > 0.0) || !isfinite(f))
        return lsd_diag_fail(diag, LSD_EDOM,
                             "forward spot*exp((rate - carry)*expiry) is out of range (got %.17g "
                             "with (rate - carry)*expiry = %.17g)", f, growth);
    *forward = f;
    return LSD_OK;
}

/* ---- premium units ------------------------------------------------------- */

lsd_status lsd_market_premium_unit_parse(const char *text, lsd_premium_unit *unit,
                                         lsd_diag *diag)
{
    if (text == NULL || unit == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "premium unit: NULL argument");
    if (strcasecmp(text, "quote") == 0) {
        *unit = LSD_PREMIUM_QUOTE;
        return LSD_OK;
    }
    if (strcasecmp(text, "underlying") == 0) {
        *unit = LSD_PREMIUM_UNDERLYING;
        return LSD_OK;
    }
    return lsd_diag_fail(diag, LSD_EPARSE, "premium_unit must be quote or underlying (got '%.40s')",
                         text);
}

const char *lsd_market_premium_unit_name(lsd_premium_unit unit)
{
    switch (unit) {
    case LSD_PREMIUM_QUOTE: return "quote";
    case LSD_PREMIUM_UNDERLYING: return "underlying";
    }
    return "unknown";
}

/* x in unit to the quote currency (to_quote) or back: x·F or x/F for the
 * underlying, x itself for the quote currency. */
static lsd_status premium_convert(double x, lsd_premium_unit unit, double forward, int to_quote,
                                  double *out, lsd_diag *diag)
{
    const char *what = to_quote ? "premium" : "price";
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "%s conversion: NULL output", what);
    *out = NAN;
    if (unit != LSD_PREMIUM_QUOTE && unit != LSD_PREMIUM_UNDERLYING)
        return lsd_diag_fail(diag, LSD_EINVAL, "unknown premium unit %d", (int)unit);
    if (!isfinite(x))
        return lsd_diag_fail(diag, LSD_EDOM, "%s must be finite (got %.17g)", what, x);
    if (unit == LSD_PREMIUM_QUOTE) {
        *out = x;
        return LSD_OK;
    }
    if (!(forward > 0.0) || !isfinite(forward))
        return lsd_diag_fail(diag, LSD_EDOM, "forward must be finite and > 0 (got %.17g)",
                             forward);
    const double y = to_quote ? x * forward : x / forward;
    if (!isfinite(y))
        return lsd_diag_fail(diag, LSD_EDOM, "%s %.17g %s the forward %.17g overflows", what, x,
                             to_quote ? "times" : "over", forward);
    *out = y;
    return LSD_OK;
}

lsd_status lsd_market_premium_to_quote(double premium, lsd_premium_unit unit, double forward,
                                       double *price, lsd_diag *diag)
{
    return premium_convert(premium, unit, forward, 1, price, diag);
}

lsd_status lsd_market_premium_from_quote(double price, lsd_premium_unit unit, double forward,
                                         double *premium, lsd_diag *diag)
{
    return premium_convert(price, unit, forward, 0, premium, diag);
}

/* ---- the carry of a token ------------------------------------------------ */

/* An APR given alone: a rebasing token compounding daily, as stETH (Lido
 * rebases once a day). */
static const lsd_token daily_rebasing = { .symbol = "", .staked_asset = "", .chain = "",
                                          .kind = LSD_TOKEN_REBASING, .protocol_fee = NAN,
                                          .apr_periods = LSD_DAYS_PER_YEAR };

lsd_status lsd_market_token_carry(const lsd_token *token, const double *staking_apr,
                                  double *carry, lsd_token *profile, lsd_diag *diag)
{
    if (carry == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "token carry: NULL output");
    *carry = NAN;
    if (token == NULL && staking_apr == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "token carry: give a token, a staking APR or both");
    const lsd_token *used = token != NULL ? token : &daily_rebasing;
    if (profile != NULL)
        *profile = *used;
    if (staking_apr != NULL)
        return lsd_token_carry(used, *staking_apr, carry, diag);
    if (used->kind == LSD_TOKEN_REBASING)
        return lsd_diag_fail(diag, LSD_EDOM,
                             "%s is rebasing: its carry is its staking yield, so it needs a "
                             "staking APR", used->symbol);
    if (used->kind != LSD_TOKEN_VALUE_ACCRUING)
        return lsd_diag_fail(diag, LSD_EINVAL, "token kind %d is neither rebasing nor value-accruing",
                             (int)used->kind);
    *carry = 0.0; /* value-accruing: its price accrues the yield */
    return LSD_OK;
}

/* ---- curves and the whole reduction -------------------------------------- */

lsd_status lsd_market_apply_curves(lsd_market *mkt, const lsd_curve *rate_curve,
                                   const lsd_curve *carry_curve, double expiry, lsd_diag *diag)
{
    if (mkt == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "apply curves: NULL market");
    if (!(expiry > 0.0) || !isfinite(expiry))
        return lsd_diag_fail(diag, LSD_EDOM, "expiry must be finite and > 0 (got %.17g)", expiry);
    double r = mkt->rate, q = mkt->carry;
    lsd_status st = LSD_OK;
    if (rate_curve != NULL)
        st = lsd_curve_zero_rate(rate_curve, expiry, &r, diag);
    if (st == LSD_OK && carry_curve != NULL)
        st = lsd_curve_zero_rate(carry_curve, expiry, &q, diag);
    if (st != LSD_OK)
        return st;
    mkt->rate = r;
    mkt->carry = q;
    return LSD_OK;
}
