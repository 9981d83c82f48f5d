/*
 * forwards_help.c — the --help text of `lsdopt forwards`, kept beside its
 * command (forwards_cmd.c) so that the command's file holds its code.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#include "cli.h"

#include <stddef.h>

static const char help_text[] =
    "Usage: lsdopt forwards QUOTES [--source canonical|deribit] [--valuation-time TIME]\n"
    "                       [--rate R | --rate-curve FILE] [--spot S]\n"
    "                       [--staking-series SERIES.csv] [--curve-out FILE]\n"
    "                       [--min-days D] [--format text|csv|json] [-o FILE]\n"
    "\n"
    "Per expiry of an option chain: the forward F from put-call parity, the venue's\n"
    "own forward, and the implied carry q(T) = r(T) - ln(F/S)/T (continuous, per\n"
    "year, ACT/365F): the market's staking/funding yield term structure.\n"
    "\n"
    "Parity forward. Each strike whose call and put both have a bid and an ask\n"
    "gives F_K from the mids: F_K = K + (C - P)/D(T) for premiums in quote currency,\n"
    "F_K = K/(1 - (c - p)) for inverse premiums (coin units, coin rate 0, as on\n"
    "Deribit). Strikes more than 3 scaled MADs (1.4826 MAD; at least 3 median\n"
    "half-widths of F_K allowed by the spreads) from the median F_K are dropped as\n"
    "stale; F is the mean of the rest weighted by 1/spread^2.\n"
    "\n"
    "Input. QUOTES is our canonical CSV (columns type, strike, expiry or\n"
    "expiry_date, bid, ask, optional mid, forward, premium_unit, valuation_time,\n"
    "spot, name; see data/README.md) or, with --source deribit, a Deribit book\n"
    "summary export (inverse premiums; valuation time: the earliest `timestamp`;\n"
    "spot: the median `index_price`).\n"
    "\n"
    "Options:\n"
    "  --source SRC           canonical (default) or deribit\n"
    "  --valuation-time TIME  ISO-8601; default: from the file\n"
    "  --rate R               flat quote-currency rate, continuous (default 0)\n"
    "  --rate-curve FILE      quote-currency rate curve (tenor,rate or date,rate)\n"
    "  --spot S               spot S for the carry; default: the file's (Deribit\n"
    "                         index_price). Without any: no carry\n"
    "  --staking-series FILE  also show the staking yield realised over the year\n"
    "                         up to the valuation time (or up to the series' end,\n"
    "                         if earlier; the window is printed): an exchange-rate\n"
    "                         or APR series as `lsdopt yield` reads (columns found\n"
    "                         by the same names; APR glitches dropped)\n"
    "  --curve-out FILE       write the implied carries as a carry curve (CSV\n"
    "                         tenor,rate) for --carry-curve: expiries of at least\n"
    "                         --min-days days with a forward and a spot\n"
    "  --min-days D           shortest expiry in the curve, days (default 7: over a\n"
    "                         day or two, index noise dominates ln(F/S)/T)\n"
    "  -f, --format FMT       text (default), csv or json\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Output. csv: expiry_date,expiry,forward,venue_forward,n_pairs,n_rejected,\n"
    "dispersion,rate,spot,carry (and staking_carry with --staking-series); json:\n"
    "{\"valuation_time\", \"spot\", \"expiries\": [...], \"staking_yield\"}.\n"
    "\n"
    "Exit status: 0 success; 64 usage error; 65 data error (a bad quote, no\n"
    "expiry for the curve); 66 input cannot be read; 71 out of memory; 73 output\n"
    "file cannot be created; 74 write error.\n";

const char *const lsd_cli_forwards_help[] = { help_text, NULL };
