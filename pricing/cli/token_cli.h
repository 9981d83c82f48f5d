/*
 * token_cli.h — internal to the lsdopt CLI: the token profiles behind
 * `--token` / `--staking-apr` (and the batch columns token, staking_apr),
 * shared by the market flags (market_cli.h) and `batch`: the tokens file
 * found and each symbol looked up once per run; the carry rule itself is the
 * library's (lsd_market_token_carry). Not installed.
 *
 * The profiles come from a tokens CSV (curves/token.h): --tokens-file FILE,
 * else the installed share/lsdopt/tokens.csv found from the running
 * executable (bin/../share/lsdopt/tokens.csv, so an install moved with
 * `cmake --install --prefix` still finds it), else data/tokens.csv of the
 * source tree the CLI was built from.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#ifndef LSD_TOKEN_CLI_H
#define LSD_TOKEN_CLI_H

#include <lsdopt/lsdopt.h>

#include <stddef.h>

/* Distinct symbols remembered per run (batch looks each one up once). */
#define LSD_CLI_TOKENS_SEEN 16

/* Where the profiles come from, and the look-ups done so far. */
typedef struct lsd_cli_tokens {
    const char *file;          /* --tokens-file, or NULL for the default */
    char path[4096];           /* the file in use, once resolved ("" before) */
    size_t nseen;              /* entries used in seen[] */
    struct {
        char key[32];          /* lower-cased symbol as given */
        lsd_status status;     /* result of the look-up */
        lsd_token token;       /* the profile, if status is LSD_OK */
        char message[LSD_DIAG_SIZE]; /* the message, if it failed */
    } seen[LSD_CLI_TOKENS_SEEN];
} lsd_cli_tokens;

/*
 * The profile of symbol from the tokens file, looked up once per run:
 * symbol is trimmed of blanks and matched without regard to ASCII case.
 * Errors: those of lsd_token_file_lookup (LSD_EIO, LSD_EPARSE: the tokens file;
 * LSD_EDOM: unknown symbol, with the known ones listed), the message in
 * diag; LSD_EIO also when no tokens file is found.
 */
lsd_status lsd_cli_token_profile(lsd_cli_tokens *tokens, const char *symbol, lsd_token *profile,
                                 lsd_diag *diag);

/*
 * The carry q of an option on a token symbol (or NULL) and/or a staking apr
 * (or NULL): the profile of symbol (lsd_cli_token_profile), then the rule of
 * lsd_market_token_carry (curves/market.h), which sets *carry and *profile
 * (symbol "" for an APR alone). Errors: those of the two, the message in
 * diag; *carry is then NaN (and *profile untouched if the look-up failed).
 */
lsd_status lsd_cli_token_carry(lsd_cli_tokens *tokens, const char *symbol, const double *apr,
                               double *carry, lsd_token *profile, lsd_diag *diag);

#endif /* LSD_TOKEN_CLI_H */
