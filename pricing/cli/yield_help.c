/*
 * yield_help.c — the --help text of `lsdopt yield`, kept beside its
 * command (yield_cmd.c) so that the command's file holds its code.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#include "cli.h"

#include <stddef.h>

static const char help_text[] =
    "Usage: lsdopt yield SERIES.csv [--column time=HEADER] [--column value=HEADER]\n"
    "                    [--kind exchange-rate|apr] [--from TIME] [--to TIME]\n"
    "                    [--window DAYS] [--curve-out FILE] [--keep-glitches]\n"
    "                    [--format text|csv|json] [-o FILE]\n"
    "\n"
    "The staking yield a token realised, measured from on-chain history: the\n"
    "continuously compounded carry q (per year, ACT/365F) and the annual-effective\n"
    "apr = e^q - 1.\n"
    "\n"
    "Series kinds:\n"
    "  exchange-rate  the staked asset one token redeems for (rETH/ETH rate):\n"
    "                 q = ln(R(to)/R(from))/years, ln R linear in time between\n"
    "                 observations (the yield is constant between them)\n"
    "  apr            a daily APR = one day's return x 365 (ETH.STORE): q = the\n"
    "                 time-weighted mean of 365 ln(1 + APR/365), each value holding\n"
    "                 until the next observation. Isolated glitches are dropped\n"
    "                 and reported: a point is one when it differs from the\n"
    "                 median of its +-3 neighbours by more than 10 scaled MADs\n"
    "                 (1.4826 MAD) and by more than half that median.\n"
    "\n"
    "Input. SERIES.csv ('-': standard input) has a header row. The time column is\n"
    "the first of event_time_utc, time, date, timestamp (ISO-8601 instants; a\n"
    "bare date is 08:00 UTC); the value column the first of reth_eth_rate,\n"
    "exchange_rate, rate, apr. Rows may come in any order; a row repeated with\n"
    "the same time and value is counted once.\n"
    "\n"
    "Options:\n"
    "  -c, --column NAME=HEADER  read NAME (time or value) from column HEADER\n"
    "  --kind KIND            exchange-rate or apr; default: apr if the value\n"
    "                         column's header contains 'apr', exchange-rate if it\n"
    "                         contains 'rate'\n"
    "  --from TIME, --to TIME the period (ISO-8601); default: the whole series.\n"
    "                         With --window: the range of times listed\n"
    "  --window DAYS          trailing-window yields: for each observation t with\n"
    "                         t - DAYS in the series, the yield over [t - DAYS, t]\n"
    "  --curve-out FILE       also write a carry curve (CSV tenor,rate; tenor in\n"
    "                         years, rate continuous) for --carry-curve: the\n"
    "                         trailing yields over 30, 90, 180 and 365 days ending\n"
    "                         at --to (default: the series' end), those that fit,\n"
    "                         as pillars at those tenors - the realised yield read\n"
    "                         as the forecast carry for the same horizon\n"
    "  --keep-glitches        do not drop glitches from an APR series\n"
    "  -f, --format FMT       text (default), csv or json\n"
    "  -o, --output FILE      write to FILE instead of standard output ('-')\n"
    "  -h, --help             print this help and exit\n"
    "\n"
    "Output. One period: text; csv from,to,carry,apr; json {\"from\", \"to\",\n"
    "\"carry\", \"apr\"} and, for an APR series, \"dropped\": [{\"time\", \"value\"}].\n"
    "--window: a table; csv time,carry,apr; json {\"window_days\", \"yields\":\n"
    "[{\"time\", \"carry\", \"apr\"}], \"dropped\"}. Dropped points are those in\n"
    "the period (or the windows) shown; in csv they go to standard error.\n"
    "\n"
    "Exit status: 0 success; 64 usage error; 65 data error (a bad cell, a period\n"
    "outside the series, too few points); 66 input cannot be read; 71 out of\n"
    "memory; 73 output file cannot be created; 74 write error.\n";

const char *const lsd_cli_yield_help[] = { help_text, NULL };
