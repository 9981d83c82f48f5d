/*
 * token_file.h — read a token's profile (curves/token.h) from a tokens CSV
 * such as data/tokens.csv (our own file; provenance in data/README.md).
 */
#ifndef LSD_TOKEN_FILE_H
#define LSD_TOKEN_FILE_H

#include "status.h"
#include "token.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Find `symbol` (ASCII case-insensitive) in the tokens CSV at path (header:
 * symbol,staked_asset,chain,kind,protocol_fee,apr_periods[,...]; kind is
 * "rebasing" or "value-accruing"). Errors: LSD_EIO, LSD_EPARSE (bad file,
 * message gives the line), LSD_EDOM (unknown symbol: the message lists the
 * known ones), LSD_EINVAL for NULL.
 */
LSD_EXPORT lsd_status lsd_token_file_lookup(const char *path, const char *symbol, lsd_token *out,
                                       lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_TOKEN_FILE_H */
