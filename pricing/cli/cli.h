/*
 * cli.h — internal to the lsdopt command-line tool: its commands, the
 * entries of main.c's command table. Not installed.
 *
 * Modules of pricing/cli (each .c with its header where it has one):
 *   main.c            main(): the command table, dispatch, top-level --help
 *                     and --version
 *   common.{h,c}      helpers every command uses: diagnostics, strict flags,
 *                     checked output, report dispatch, csv/json numbers
 *   numtext.{h,cc}    number <-> text (C++17 <charconv>, Dragonbox)
 *   model_cli.{h,c}   the flag family of an option and its model: --type,
 *                     --spot, --expiry, --vol, the jump triples (--jump-*,
 *                     --rw-jump-*, all three or none), --model
 *   market_cli.{h,c}  the flag family of the rate and carry: --rate,
 *                     --carry, curves, --token, --staking-apr
 *   token_cli.{h,c}   the token profiles of --token: the tokens file, a
 *                     per-run cache, the carry by lsd_market_token_carry
 *   series_cli.{h,c}  the time-series CSV reader of yield, estimate, forwards;
 *                     a staking series' kind, order and glitches
 *   price_cmd.c, iv_cmd.c, yield_cmd.c, forwards_cmd.c, calibrate_cmd.c,
 *   estimate_cmd.c, collateral_cmd.c, covered_call_cmd.c, hedge_cmd.c
 *                     one command each
 *   yield_help.c, forwards_help.c, collateral_help.c, covered_call_help.c,
 *   hedge_help.c      the long --help texts of those commands, beside them
 *   batch.c           `batch`: the command (--help, flags, curves, input loop)
 *   batch.h           batch's state and the functions its files share
 *   batch_header.c    header mapping: columns by name, --column, flag defaults
 *   batch_rows.c      row reading: cells to option, market and jumps; pricing
 *   batch_writer.c    the buffered writer: output rows assembled in place
 *
 * Exit codes are those of <sysexits.h>: EX_OK, EX_USAGE (64), EX_DATAERR
 * (65), EX_NOINPUT (66), EX_SOFTWARE (70), EX_OSERR (71, out of memory),
 * EX_CANTCREAT (73), EX_IOERR (74).
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#ifndef LSD_CLI_H
#define LSD_CLI_H

/* The commands: argv[0] is "lsdopt", the flags follow. Return an exit code. */
int lsd_cli_price(int argc, char **argv);
int lsd_cli_batch(int argc, char **argv);
int lsd_cli_yield(int argc, char **argv);
int lsd_cli_iv(int argc, char **argv);
int lsd_cli_forwards(int argc, char **argv);
int lsd_cli_calibrate(int argc, char **argv);
int lsd_cli_estimate(int argc, char **argv);
int lsd_cli_collateral(int argc, char **argv);
int lsd_cli_covered_call(int argc, char **argv);
int lsd_cli_hedge(int argc, char **argv);

/* The --help texts kept in a file of their own (X_help.c): the parts
 * lsd_cli_help prints, NULL-terminated. */
extern const char *const lsd_cli_yield_help[];
extern const char *const lsd_cli_forwards_help[];
extern const char *const lsd_cli_collateral_help[];
extern const char *const lsd_cli_covered_call_help[];
extern const char *const lsd_cli_hedge_help[];

#endif /* LSD_CLI_H */
