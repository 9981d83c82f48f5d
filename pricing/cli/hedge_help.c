/*
 * hedge_help.c — the --help text of `lsdopt hedge`, kept beside its
 * command (hedge_cmd.c) so that the command's file holds its code.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#include "cli.h"

#include <stddef.h>
#include "market_cli.h"

static const char help_text[] =
    "Usage: lsdopt hedge --spot S --expiry T --rate r --carry q --vol SIGMA\n"
    "                    --put-strike K [--call-strike K2]\n"
    "                    [--jump-intensity L --jump-mean M --jump-vol D]\n"
    "                    [--rw-jump-intensity L --rw-jump-mean M --rw-jump-vol D]\n"
    "                    [--simulate [--paths N] [--rebalance-days D] [--seed S]]\n"
    "                    [--token SYMBOL] [--staking-apr APR] [--tokens-file FILE]\n"
    "                    [--rate-curve FILE] [--carry-curve FILE]\n"
    "                    [--valuation-time TIME] [--format text|csv|json] [-o FILE]\n"
    "\n"
    "Depeg protection for one token: a protective put at K, what it costs and\n"
    "buys, the zero-cost collar, hedge ratios, and the hedging error.\n"
    "\n"
    "Market (required; units as in 'lsdopt price'):\n"
    "  --spot S, --expiry T (years, or an ISO-8601 date), --rate r, --carry q,\n"
    "  --vol SIGMA (diffusion vol); --rate-curve for --rate, --carry-curve or\n"
    "  --token/--staking-apr for --carry (below)\n"
    "  --jump-intensity/--jump-mean/--jump-vol  risk-neutral Merton jumps (all\n"
    "                         three, or none: BSM)\n"
    "  --rw-jump-intensity/--rw-jump-mean/--rw-jump-vol  real-world jumps for the\n"
    "                         expected depeg loss (e.g. from 'lsdopt estimate');\n"
    "                         default: the risk-neutral ones\n"
    "  --valuation-time TIME  instant a date --expiry is counted from; default now\n"
    "\n"
    "Hedge:\n"
    "  --put-strike K         the protective put (required)\n"
    "  --call-strike K2       also solve the put strike worth this call (collar);\n"
    "                         the call strike worth the put at K is always given\n"
    "  --simulate             Monte Carlo of a short put at K delta-hedged in the\n"
    "                         token, with and without jumps, BSM delta vs Δ_MV\n"
    "  --paths N              paths per run (default 20000)\n"
    "  --rebalance-days D     rebalancing interval in days of 1/365 year (default 1)\n"
    "  --seed S               gsl_rng_mt19937 seed, 0..4294967295 (default 1)\n"
    "  -f, --format FMT       text (default), csv (section,name,value) or json\n"
    "  -o, --output FILE      write to FILE instead of standard output\n"
    "  -h, --help             print this help and exit\n"
    "\n";

static const char help_more[] =
    "Stress (per token, instant depeg S' = S(1+shock), shocks -5%, -10%, -20%,\n"
    "-50%): now: unhedged S' - S, hedged S' + P(S') - S - P; held to expiry with\n"
    "no further move: unhedged e^{qT}S' - S, hedged e^{qT}S' + max(K - S', 0) -\n"
    "S - P e^{rT}. Expected depeg loss S(1 - e^{lambda T kappa}), kappa =\n"
    "e^{mu_J + delta^2/2} - 1.\n"
    "\n"
    "Exit status: 0 done; 64 usage error (missing or unparseable flag, partial\n"
    "jump flags, unknown --token, conflicting rate/carry flags); 65 inputs out of\n"
    "domain or a solver/series that did not converge (the message says which),\n"
    "or a malformed tokens or curve file (the message gives FILE:LINE); 66\n"
    "tokens or curve file not found or unreadable; 71 out of memory; 73 output\n"
    "file cannot be created; 74 write error.\n";

const char *const lsd_cli_hedge_help[] = { help_text, lsd_cli_market_help, help_more, NULL };
