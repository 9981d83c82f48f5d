/*
 * token.h — liquid-staking token conventions and the carry they imply.
 *
 * A rebasing token (stETH) pays its staking yield as more tokens: an option
 * on it has carry q = the staking yield. A value-accruing token (wstETH,
 * rETH, cbETH, WBETH, JitoSOL, mSOL) pays nothing out; its price accrues the
 * yield, so an option on the token itself has q = 0. Profiles live in
 * data/tokens.csv (our own file; provenance in data/README.md), read by
 * pricing/io/token_file.h (lsd_token_file_lookup); the carry rule for a symbol,
 * an APR or both is curves/market.h (lsd_market_token_carry).
 * Every function here is thread-safe and allocates nothing.
 *
 * Layer: curves (curves/) — depends on core only; installed as
 * <lsdopt/token.h>.
 */
#ifndef LSD_TOKEN_H
#define LSD_TOKEN_H

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How a token passes the staking yield to its holder. */
typedef enum lsd_token_kind {
    LSD_TOKEN_REBASING = 0,      /* balance grows (stETH): q = staking yield */
    LSD_TOKEN_VALUE_ACCRUING = 1 /* price grows (wstETH, rETH, ...): q = 0 */
} lsd_token_kind;

/* One token's profile (a row of data/tokens.csv). */
typedef struct lsd_token {
    char symbol[16];           /* lower-case id: "steth", "wsteth", "reth", ... */
    char staked_asset[8];      /* "ETH" or "SOL" */
    char chain[16];            /* "ethereum", "solana", ... */
    lsd_token_kind kind;       /* rebasing or value-accruing */
    double protocol_fee;       /* share of rewards the protocol keeps, in [0, 1) */
    double apr_periods;        /* compounding periods per year of the quoted APR (> 0) */
} lsd_token;

/*
 * Continuous yield of a quoted APR compounded `periods` times a year:
 * y = periods·ln(1 + apr/periods) (periods = +inf is not accepted; use a
 * large number). Source: the definition of compounding, e.g. Hull, Options,
 * Futures and Other Derivatives (10th ed.), §4.2. Errors: LSD_EDOM for
 * non-finite input, periods ≤ 0 or apr ≤ −periods.
 */
LSD_EXPORT lsd_status lsd_token_apr_to_continuous(double apr, double periods, double *yield,
                                            lsd_diag *diag);

/*
 * The carry q of an option on the token itself, given the token's quoted
 * staking APR (net of the protocol fee, as protocols quote it): the
 * continuous yield for a rebasing token, 0 for a value-accruing one.
 * Errors: as lsd_token_apr_to_continuous; LSD_EINVAL for NULL.
 */
LSD_EXPORT lsd_status lsd_token_carry(const lsd_token *token, double staking_apr, double *carry,
                                      lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_TOKEN_H */
