/*
 * market_cli.h — internal to the lsdopt CLI: the rate r and carry q of the
 * market flags shared by `price`, `covered-call` and `hedge`:
 *   rate:  --rate r | --rate-curve FILE
 *   carry: --carry q | --carry-curve FILE |
 *          --token SYMBOL [--staking-apr APR] [--tokens-file FILE] |
 *          --staking-apr APR
 * A curve gives its zero rate at the expiry, -ln D(T)/T
 * (lsd_market_apply_curves, curves/market.h); a token gives its staking carry
 * (token_cli.h: its profile, then lsd_market_token_carry). Not installed.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#ifndef LSD_MARKET_CLI_H
#define LSD_MARKET_CLI_H

#include "common.h"

#include <lsdopt/lsdopt.h>

/* The flag texts as given on the command line; NULL when a flag is absent. */
typedef struct lsd_cli_market_flags {
    const char *rate;        /* --rate */
    const char *carry;       /* --carry */
    const char *rate_curve;  /* --rate-curve FILE */
    const char *carry_curve; /* --carry-curve FILE */
    const char *token;       /* --token SYMBOL */
    const char *staking_apr; /* --staking-apr APR */
    const char *tokens_file; /* --tokens-file FILE */
    const char *valuation;   /* --valuation-time: the origin of a dated curve */
} lsd_cli_market_flags;

/* Their entries for a command's long-option table (values: common.h). */
#define LSD_CLI_MARKET_OPTIONS                                                   \
    { "rate", required_argument, NULL, LSD_CLI_OPT_RATE },                       \
    { "carry", required_argument, NULL, LSD_CLI_OPT_CARRY },                     \
    { "valuation-time", required_argument, NULL, LSD_CLI_OPT_VALUATION_TIME },   \
    { "token", required_argument, NULL, LSD_CLI_OPT_TOKEN },                     \
    { "staking-apr", required_argument, NULL, LSD_CLI_OPT_STAKING_APR },         \
    { "tokens-file", required_argument, NULL, LSD_CLI_OPT_TOKENS_FILE },         \
    { "rate-curve", required_argument, NULL, LSD_CLI_OPT_RATE_CURVE },           \
    { "carry-curve", required_argument, NULL, LSD_CLI_OPT_CARRY_CURVE }

/*
 * If opt (a getopt_long value) is one of these flags, record its argument
 * in *f and return 1; else return 0 and leave *f alone.
 */
int lsd_cli_market_flag(int opt, const char *arg, lsd_cli_market_flags *f);

/* Where the carry came from, for a report of the inputs. */
typedef struct lsd_cli_market_info {
    int staking;         /* 1 if --staking-apr was given (and used) */
    double staking_apr;  /* --staking-apr, if staking */
    lsd_token profile;   /* the token behind the carry, with --token or
                            --staking-apr (symbol "" for --staking-apr alone) */
} lsd_cli_market_info;

/*
 * Set mkt->rate and mkt->carry from the flags f for an option of expiry
 * years, in this order: --rate (unless --rate-curve), the carry (unless
 * --carry-curve: --carry, or --token/--staking-apr via lsd_cli_token_carry),
 * then the curves, loaded with dates counted from f->valuation (default now).
 * *info (zeroed first) says where the carry came from. Diagnostics go to
 * stderr prefixed "command: ". Returns EX_OK, or the exit code: EX_USAGE for
 * a missing or unparseable flag, an unknown token, or conflicting flags (a
 * curve with the flat value it replaces; --carry with --token or
 * --staking-apr); EX_DATAERR for a malformed tokens or curve file or a
 * curve that cannot give a zero rate at expiry; EX_NOINPUT for an
 * unreadable one; EX_OSERR when out of memory. Other fields of *mkt are
 * untouched.
 */
int lsd_cli_market_resolve(const char *command, const lsd_cli_market_flags *f, double expiry,
                           lsd_market *mkt, lsd_cli_market_info *info);

/* --help text for these flags, as covered-call and hedge print it. */
extern const char lsd_cli_market_help[];

#endif /* LSD_MARKET_CLI_H */
