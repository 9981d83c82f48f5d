/*
 * token.c — liquid-staking token conventions: the carry q a token's quoted
 * staking APR implies for an option on the token itself. The profiles are
 * read from a tokens file by pricing/io/token_file.c (lsd_token_file_lookup);
 * the CLI's carry rule for a symbol, an APR or both is curves/market.c
 * (lsd_market_token_carry).
 *
 * Conversion of a quoted APR compounded m times a year to a continuous
 * yield: (1 + APR/m)^m = e^y, so y = m·ln(1 + APR/m), computed with log1p so
 * that a small APR/m loses no digits (Hull, Options, Futures and Other
 * Derivatives, 10th ed., §4.2, eq. 4.3). y < APR for APR > 0 and y → APR as
 * m → ∞.
 *
 * Thread-safe: no global state; allocates nothing.
 *
 * Layer: curves (curves/) — depends on core only.
 */
#include "token.h"

#include "diag.h"

#include <math.h>
#include <stddef.h>

lsd_status lsd_token_apr_to_continuous(double apr, double periods, double *yield, lsd_diag *diag)
{
    if (yield == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "lsd_token_apr_to_continuous: yield must not be NULL");
    *yield = NAN;
    if (!isfinite(apr))
        return lsd_diag_fail(diag, LSD_EDOM, "staking APR must be finite (got %g)", apr);
    if (!(periods > 0.0) || !isfinite(periods))
        return lsd_diag_fail(diag, LSD_EDOM, "APR compounding periods must be finite and > 0 (got %g)",
                        periods);
    if (!(apr > -periods))
        return lsd_diag_fail(diag, LSD_EDOM,
                        "staking APR must be > -periods (got %g with %g periods): the balance "
                        "would not stay positive",
                        apr, periods);
    const double ratio = apr / periods;
    /* ratio overflows only for a huge APR over a tiny number of periods;
     * then ln(1 + ratio) = ln(apr) − ln(periods) to within 1/ratio. */
    *yield = isfinite(ratio) ? periods * log1p(ratio) : periods * (log(apr) - log(periods));
    return LSD_OK;
}

lsd_status lsd_token_carry(const lsd_token *token, double staking_apr, double *carry,
                           lsd_diag *diag)
{
    if (carry == NULL || token == NULL) {
        if (carry != NULL)
            *carry = NAN;
        return lsd_diag_fail(diag, LSD_EINVAL, "lsd_token_carry: token and carry must not be NULL");
    }
    if (token->kind != LSD_TOKEN_REBASING && token->kind != LSD_TOKEN_VALUE_ACCRUING) {
        *carry = NAN;
        return lsd_diag_fail(diag, LSD_EINVAL, "token kind %d is neither rebasing nor value-accruing",
                        (int)token->kind);
    }
    double yield;
    const lsd_status status = lsd_token_apr_to_continuous(staking_apr, token->apr_periods, &yield, diag);
    if (status != LSD_OK) {
        *carry = NAN;
        return status;
    }
    /* Value-accruing: nothing is paid out; the token's price accrues the yield. */
    *carry = token->kind == LSD_TOKEN_REBASING ? yield : 0.0;
    return LSD_OK;
}
