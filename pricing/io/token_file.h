/*
 * token_file.h — read a token's profile (lsd_token, curves/token.h) from a
 * tokens CSV such as data/tokens.csv (our own file; provenance in
 * data/README.md). A thin reader: the carry a profile implies is
 * lsd_token_carry's (token.h) and lsd_market_token_carry's (market.h).
 *
 * Layer: io (pricing/io/) — depends on core and the type it fills,
 * curves/token.h; installed as <lsdopt/token_file.h>.
 */
#ifndef LSD_TOKEN_FILE_H
#define LSD_TOKEN_FILE_H

#include "status.h"
#include "token.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Find `symbol` (ASCII case-insensitive) in the tokens CSV at path and copy
 * its profile to *out.
 *
 * File format (CSV read by libcsv in strict mode: quoted fields, CR, LF or
 * CRLF line ends; a UTF-8 byte-order mark is skipped): a header row naming at
 * least the columns symbol, staked_asset, chain, kind, protocol_fee and
 * apr_periods (exact lower-case names, any order, each once; other columns,
 * such as data/tokens.csv's issuer and notes, are ignored), then one row
 * per token with as many fields as the header:
 *   symbol        1–15 characters, unique in the file (stored lower-case)
 *   staked_asset  1–7 characters ("ETH", "SOL")
 *   chain         1–15 characters ("ethereum", "solana")
 *   kind          "rebasing" or "value-accruing"
 *   protocol_fee  share of rewards the protocol keeps, a plain decimal in
 *                 [0, 1)
 *   apr_periods   compounding periods per year of the quoted APR, a plain
 *                 decimal > 0 (365 for a daily rebase)
 * at most 64 tokens. Plain decimals: no NaN, inf, hexadecimal or trailing
 * text, '.' as the decimal sign whatever the locale. Every row is checked,
 * not only the one asked for, so a bad file fails whatever symbol is
 * looked up. A message about the contents reads "PATH line N: what".
 *
 * Errors: LSD_EINVAL for a NULL path, symbol or out; LSD_EIO (cannot open
 * or read the file); LSD_EPARSE (libcsv's strict-mode error, an empty file,
 * a missing or repeated column, a bad cell, a wrong field count, a token
 * listed twice, more than 64 tokens; the message gives the line); LSD_EDOM
 * for a symbol the file does not list (the message lists the known ones);
 * LSD_ENOMEM (the reader's state, its "C" locale or libcsv's buffers). On
 * error *out (when not NULL) has empty strings, kind 0 and protocol_fee and
 * apr_periods NaN.
 * Thread-safe: no global state (a "C" numeric locale of its own per call,
 * strerror_r); reads the whole file on every call, and allocates its parse
 * state, freed before it returns.
 */
LSD_EXPORT lsd_status lsd_token_file_lookup(const char *path, const char *symbol, lsd_token *out,
                                       lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_TOKEN_FILE_H */
