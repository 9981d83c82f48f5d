/*
 * token_cli.c — the token profiles of `--token` / `--staking-apr` for the
 * lsdopt CLI (token_cli.h): finds the tokens file, looks each symbol up once
 * per run (lsd_token_file_lookup) and hands the profile and the APR to the
 * library's carry rule (lsd_market_token_carry).
 *
 * LSDOPT_TOKENS_FROM_BIN (the installed tokens.csv relative to the installed
 * executable's directory) and LSDOPT_TOKENS_SOURCE (data/tokens.csv of the
 * source tree) are set by CMakeLists.txt.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "token_cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef LSDOPT_TOKENS_FROM_BIN
#error "CMakeLists.txt defines LSDOPT_TOKENS_FROM_BIN"
#endif
#ifndef LSDOPT_TOKENS_SOURCE
#error "CMakeLists.txt defines LSDOPT_TOKENS_SOURCE"
#endif

/* Settle tokens->path: --tokens-file, else the installed file next to the
 * executable, else the source tree's. 0 (message in diag) if none exists. */
static int resolve_path(lsd_cli_tokens *tokens, lsd_diag *diag)
{
    if (tokens->path[0] != '\0')
        return 1;
    if (tokens->file != NULL) {
        snprintf(tokens->path, sizeof tokens->path, "%s", tokens->file);
        return 1;
    }
    char installed[4096] = "(executable not found)";
    char exe[4096];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            const int w = snprintf(installed, sizeof installed, "%s/%s", exe,
                                   LSDOPT_TOKENS_FROM_BIN);
            if (w > 0 && (size_t)w < sizeof installed && access(installed, R_OK) == 0) {
                snprintf(tokens->path, sizeof tokens->path, "%s", installed);
                return 1;
            }
        }
    }
    if (access(LSDOPT_TOKENS_SOURCE, R_OK) == 0) {
        snprintf(tokens->path, sizeof tokens->path, "%s", LSDOPT_TOKENS_SOURCE);
        return 1;
    }
    snprintf(diag->message, sizeof diag->message,
             "no tokens file at %.80s or %.80s; give --tokens-file FILE", installed,
             LSDOPT_TOKENS_SOURCE);
    return 0;
}

lsd_status lsd_cli_token_profile(lsd_cli_tokens *tokens, const char *symbol, lsd_token *out,
                                 lsd_diag *diag)
{
    while (*symbol == ' ' || *symbol == '\t')
        symbol++;
    size_t len = strlen(symbol);
    while (len > 0 && (symbol[len - 1] == ' ' || symbol[len - 1] == '\t'))
        len--;
    char key[sizeof tokens->seen[0].key];
    const int cacheable = len < sizeof key;
    char trimmed[64];
    snprintf(trimmed, sizeof trimmed, "%.*s", (int)(len < sizeof trimmed ? len : sizeof trimmed - 1),
             symbol);
    if (cacheable) {
        for (size_t i = 0; i <= len; i++)
            key[i] = (char)(trimmed[i] >= 'A' && trimmed[i] <= 'Z' ? trimmed[i] - 'A' + 'a'
                                                                  : trimmed[i]);
        for (size_t i = 0; i < tokens->nseen; i++)
            if (strcmp(tokens->seen[i].key, key) == 0) {
                *out = tokens->seen[i].token;
                if (tokens->seen[i].status != LSD_OK)
                    memcpy(diag->message, tokens->seen[i].message, sizeof diag->message);
                return tokens->seen[i].status;
            }
    }
    if (!resolve_path(tokens, diag))
        return LSD_EIO; /* not remembered: every look-up says the same */
    const lsd_status status = lsd_token_file_lookup(tokens->path, trimmed, out, diag);
    if (cacheable && tokens->nseen < LSD_CLI_TOKENS_SEEN) {
        memcpy(tokens->seen[tokens->nseen].key, key, sizeof key);
        tokens->seen[tokens->nseen].status = status;
        tokens->seen[tokens->nseen].token = *out;
        memcpy(tokens->seen[tokens->nseen].message, diag->message, sizeof diag->message);
        tokens->nseen++;
    }
    return status;
}

lsd_status lsd_cli_token_carry(lsd_cli_tokens *tokens, const char *symbol, const double *apr,
                               double *carry, lsd_token *profile, lsd_diag *diag)
{
    lsd_token found;
    if (symbol != NULL) {
        const lsd_status status = lsd_cli_token_profile(tokens, symbol, &found, diag);
        if (status != LSD_OK) {
            *carry = NAN;
            return status;
        }
    }
    return lsd_market_token_carry(symbol != NULL ? &found : NULL, apr, carry, profile, diag);
}
