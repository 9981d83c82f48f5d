/*
 * covered_call_help.c — the --help text of `lsdopt covered-call`, kept beside its
 * command (covered_call_cmd.c) so that the command's file holds its code.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#include "cli.h"

#include <stddef.h>
#include "market_cli.h"

static const char help_text[] =
    "Usage: lsdopt covered-call --spot S --expiry T --rate r --carry q --vol SIGMA\n"
    "                    [--jump-intensity LAMBDA --jump-mean MU_J --jump-vol DELTA]\n"
    "                    (--strike K | --delta D | --ladder | --strikes K1,K2,...)\n"
    "                    [--drift MU [--rw-jump-intensity L --rw-jump-mean M\n"
    "                    --rw-jump-vol D]] [--tokens N] [--valuation-time TIME]\n"
    "                    [--token SYMBOL] [--staking-apr APR] [--tokens-file FILE]\n"
    "                    [--rate-curve FILE] [--carry-curve FILE]\n"
    "                    [--format text|csv|json] [-o FILE]\n"
    "\n"
    "Sell one call per token held: the premium and the yield on the staking yield,\n"
    "the P&L at expiry, its breakeven, the probability of assignment and the P&L\n"
    "distribution, from the pricing model (bsm, or merton with the jump flags).\n"
    "\n"
    "Market (as 'lsdopt price'):\n"
    "  --spot S               token price, quote currency per token (> 0)\n"
    "  --expiry T             years (ACT/365F), or an ISO-8601 date/date-time\n"
    "                         counted from --valuation-time (default now)\n"
    "  --rate r               quote-currency rate, continuous per year (or\n"
    "                         --rate-curve, below)\n"
    "  --carry q              staking (carry) yield, continuous per year, >= 0 (or\n"
    "                         --carry-curve, --token/--staking-apr, below)\n"
    "  --vol SIGMA            diffusion volatility per sqrt(year) (> 0)\n"
    "  --jump-intensity, --jump-mean, --jump-vol  Merton depeg jumps (all three)\n"
    "\n"
    "Strikes (one of):\n"
    "  --strike K             one strike\n"
    "  --delta D              the strike whose call delta is D (0.10: a Ribbon-style\n"
    "                         vault's weekly call)\n"
    "  --ladder               the strikes of deltas 0.05, 0.10, ..., 0.50\n"
    "  --strikes K1,K2,...    these strikes\n"
    "\n"
    "Real world (optional):\n"
    "  --drift MU             real-world drift of S per year, E[S_T] = S e^{MU T};\n"
    "                         adds the *_real_world fields\n"
    "  --rw-jump-intensity L, --rw-jump-mean M, --rw-jump-vol D\n"
    "                         real-world jumps (all three; e.g. from 'lsdopt\n"
    "                         estimate'); default: the pricing jumps\n"
    "\n"
    "Other options:\n"
    "  --tokens N             position size (default 1): adds premium_total and\n"
    "                         expected_pnl_total\n"
    "  -f, --format FMT       text (default), csv (one row per strike) or json\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "  -h, --help             print this help and exit\n"
    "\n";

/* The rest of --help (one literal would pass the 4095 bytes C requires). */
static const char help_more[] =
    "Per strike, per token (README: \"Covered calls\"): strike, delta, premium,\n"
    "premium_pct = P/S, premium_yield_annual = (P/S)/T, staking_yield = e^{qT}-1\n"
    "and staking_yield_annual = that/T, total_yield = the two annual yields added;\n"
    "P&L(S_T) = e^{qT} S_T - S + P e^{rT} - max(S_T - K, 0): breakeven (the S_T\n"
    "where it is 0), return_if_called = P&L(K)/S; prob_assign = P(S_T > K);\n"
    "expected_pnl; spot_q05, spot_q50, spot_q95 (quantiles of S_T) and pnl_q05,\n"
    "pnl_q50, pnl_q95 (the P&L there); with --drift the same under the real-world\n"
    "law as prob_assign_real_world, expected_pnl_real_world, spot_q05_real_world,\n"
    "..., pnl_q95_real_world. Yields are fractions. Without --drift those are\n"
    "empty (csv) or null (json).\n"
    "\n"
    "Exit status: 0 success; 64 usage error (also an unknown --token or\n"
    "conflicting rate/carry flags); 65 inputs out of domain (the message says\n"
    "which), a delta with no strike, or a malformed tokens or curve file (the\n"
    "message gives FILE:LINE); 66 tokens or curve file not found or unreadable;\n"
    "71 out of memory; 73 output file cannot be created; 74 write error.\n";

const char *const lsd_cli_covered_call_help[] = { help_text, lsd_cli_market_help, help_more, NULL };
