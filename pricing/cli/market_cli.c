/*
 * market_cli.c — the rate and carry of the CLI's market flags (--rate,
 * --rate-curve, --carry, --carry-curve, --token, --staking-apr,
 * --tokens-file), shared by `price`, `covered-call` and `hedge`; see
 * market_cli.h. A curve's rate is its zero rate at expiry, -ln D(T)/T
 * (lsd_market_apply_curves); a token's carry is lsd_market_token_carry's on
 * the profile token_cli.h looks up.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "market_cli.h"

#include "common.h"
#include "token_cli.h"

#include <stdio.h>
#include <sysexits.h>

const char lsd_cli_market_help[] =
    "Rate and carry, as in 'lsdopt price' (README: \"Rate and carry curves\"):\n"
    "  --rate-curve FILE      instead of --rate: the curve's zero rate at the\n"
    "                         expiry, r = -ln D(T)/T; CSV with a header\n"
    "                         tenor,rate or date,rate (or discount in place of\n"
    "                         rate), dates counted ACT/365F from --valuation-time\n"
    "  --carry-curve FILE     the same for the carry, instead of --carry\n"
    "  --token SYMBOL         instead of --carry: the token's staking carry (steth,\n"
    "                         wsteth, reth, cbeth, wbeth, weeth, ezeth, rseth,\n"
    "                         jitosol, msol): 0 for a value-accruing token; a\n"
    "                         rebasing one (steth) needs --staking-apr\n"
    "  --staking-apr APR      the quoted staking APR: q = m*ln(1 + APR/m) at the\n"
    "                         token's compounding m (steth: 365); alone, a\n"
    "                         rebasing token compounding daily\n"
    "  --tokens-file FILE     token profiles; default: the installed tokens.csv\n"
    "  A curve with the flat value it replaces (--rate; --carry, --token or\n"
    "  --staking-apr), or --carry with --token or --staking-apr, is a usage error.\n"
    "\n";

/* The carry: --carry, or from --token / --staking-apr (token_cli.h). */
static int carry_flags(const char *command, const lsd_cli_market_flags *f, double *carry,
                       lsd_cli_market_info *info)
{
    if (f->token == NULL && f->staking_apr == NULL)
        return lsd_cli_number_flag(command, "carry", f->carry, carry) ? EX_OK : EX_USAGE;
    if (f->carry != NULL) {
        lsd_cli_warn("%s: give --carry or --token/--staking-apr, not both (the token's "
                     "carry would contradict --carry %s)", command, f->carry);
        return EX_USAGE;
    }
    if (f->staking_apr != NULL) {
        if (!lsd_cli_number_flag(command, "staking-apr", f->staking_apr, &info->staking_apr))
            return EX_USAGE;
        info->staking = 1;
    }
    lsd_cli_tokens tokens = { .file = f->tokens_file };
    lsd_diag diag = { "" };
    const lsd_status status = lsd_cli_token_carry(&tokens, f->token,
                                                  info->staking ? &info->staking_apr : NULL,
                                                  carry, &info->profile, &diag);
    if (status == LSD_OK)
        return EX_OK;
    if (f->token != NULL)
        lsd_cli_warn("%s: --token %s: %s", command, f->token, diag.message);
    else
        lsd_cli_warn("%s: --staking-apr: %s", command, diag.message);
    return status == LSD_EIO ? EX_NOINPUT : status == LSD_EPARSE ? EX_DATAERR : EX_USAGE;
}

/* Load the curve file of --flag at path (65 malformed, 66 unreadable, 71
 * out of memory). */
static int load_curve_flag(const char *command, const char *flag, const char *path,
                           double value_at, lsd_curve **curve)
{
    lsd_diag diag = { "" };
    const lsd_status st = lsd_curve_file_load(path, value_at, curve, &diag);
    if (st == LSD_OK)
        return EX_OK;
    lsd_cli_warn("%s: --%s: %s", command, flag, diag.message);
    return st == LSD_EIO ? EX_NOINPUT : st == LSD_ENOMEM ? EX_OSERR : EX_DATAERR;
}

/* --rate-curve / --carry-curve: the curves' zero rates at the expiry; a
 * curve with the flat flag it replaces is a usage error. */
static int curve_flags(const char *command, const lsd_cli_market_flags *f, double expiry,
                       lsd_market *mkt)
{
    if (f->rate_curve != NULL && f->rate != NULL) {
        lsd_cli_warn("%s: give --rate or --rate-curve, not both", command);
        return EX_USAGE;
    }
    if (f->carry_curve != NULL &&
        (f->carry != NULL || f->token != NULL || f->staking_apr != NULL)) {
        lsd_cli_warn("%s: give --carry-curve or --carry/--token/--staking-apr, not both",
                     command);
        return EX_USAGE;
    }
    if (f->rate_curve == NULL && f->carry_curve == NULL)
        return EX_OK;
    lsd_diag diag = { "" };
    double value_at = lsd_dates_now();
    if (f->valuation != NULL && lsd_dates_parse(f->valuation, &value_at, &diag) != LSD_OK) {
        lsd_cli_warn("%s: --valuation-time: %s", command, diag.message);
        return EX_USAGE;
    }
    lsd_curve *rc = NULL, *qc = NULL;
    int code = EX_OK;
    if (f->rate_curve != NULL)
        code = load_curve_flag(command, "rate-curve", f->rate_curve, value_at, &rc);
    if (code == EX_OK && f->carry_curve != NULL)
        code = load_curve_flag(command, "carry-curve", f->carry_curve, value_at, &qc);
    if (code == EX_OK && lsd_market_apply_curves(mkt, rc, qc, expiry, &diag) != LSD_OK) {
        lsd_cli_warn("%s: %s", command, diag.message);
        code = EX_DATAERR;
    }
    lsd_curve_free(rc);
    lsd_curve_free(qc);
    return code;
}

int lsd_cli_market_flag(int opt, const char *arg, lsd_cli_market_flags *f)
{
    switch (opt) {
    case LSD_CLI_OPT_RATE: f->rate = arg; return 1;
    case LSD_CLI_OPT_CARRY: f->carry = arg; return 1;
    case LSD_CLI_OPT_VALUATION_TIME: f->valuation = arg; return 1;
    case LSD_CLI_OPT_TOKEN: f->token = arg; return 1;
    case LSD_CLI_OPT_STAKING_APR: f->staking_apr = arg; return 1;
    case LSD_CLI_OPT_TOKENS_FILE: f->tokens_file = arg; return 1;
    case LSD_CLI_OPT_RATE_CURVE: f->rate_curve = arg; return 1;
    case LSD_CLI_OPT_CARRY_CURVE: f->carry_curve = arg; return 1;
    default: return 0;
    }
}

int lsd_cli_market_resolve(const char *command, const lsd_cli_market_flags *f, double expiry,
                           lsd_market *mkt, lsd_cli_market_info *info)
{
    *info = (lsd_cli_market_info){ .staking = 0 };
    if (f->rate_curve == NULL && !lsd_cli_number_flag(command, "rate", f->rate, &mkt->rate))
        return EX_USAGE;
    if (f->carry_curve == NULL) {
        const int rc = carry_flags(command, f, &mkt->carry, info);
        if (rc != EX_OK)
            return rc;
    }
    return curve_flags(command, f, expiry, mkt);
}
