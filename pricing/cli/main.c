/*
 * main.c — the lsdopt command: main(), which dispatches through one command
 * table (name, entry function, summary) that also prints the "Commands:" part
 * of the top-level --help, and the top-level --help and --version.
 *
 * Conventions follow coreutils and jq: getopt_long in each command, --help
 * to stdout with exit 0, diagnostics to stderr prefixed "lsdopt: ", exit
 * codes from <sysexits.h>.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"
#include "common.h"

#include <lsdopt/lsdopt.h>

#include <csv.h>
#include <gsl/gsl_version.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

/* A command: its name, its entry, and its summary for the usage (lines
 * after the first are indented under it). */
typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    { "price", lsd_cli_price, "price one option from flags; text, csv or json output" },
    { "batch", lsd_cli_batch,
      "price every row of a CSV file (a streaming stdin->stdout filter)" },
    { "iv", lsd_cli_iv,
      "implied volatility of one market price (BSM with carry, or\n"
      "Black-76 on a forward; premiums in the quote currency or the token)" },
    { "yield", lsd_cli_yield,
      "staking yield realised by a token, from an exchange-rate or APR\n"
      "series (rETH/ETH, ETH.STORE); optionally as a carry curve" },
    { "forwards", lsd_cli_forwards,
      "forwards from put-call parity per expiry of an option chain, and\n"
      "the carry they imply; optionally as a carry curve" },
    { "calibrate", lsd_cli_calibrate,
      "fit bsm or merton to an option chain (json parameters and fit\n"
      "metrics per expiry, residuals csv)" },
    { "estimate", lsd_cli_estimate,
      "maximum-likelihood fit of merton (depeg jumps) or bsm to the\n"
      "history of a price or ratio series (stETH/ETH), irregular steps" },
    { "collateral", lsd_cli_collateral,
      "liquidation risk of a borrow against LSD collateral (market or\n"
      "exchange-rate oracle), loss given liquidation, protective put" },
    { "covered-call", lsd_cli_covered_call,
      "sell calls on held tokens: premium and yield on the staking\n"
      "yield, breakeven, assignment probability, P&L distribution;\n"
      "strike ladders by delta" },
    { "hedge", lsd_cli_hedge,
      "depeg protection: protective put cost and stress table, expected\n"
      "depeg loss, zero-cost collar, minimum-variance hedge ratio under\n"
      "jumps, Monte Carlo of the delta-hedging error" },
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* Width of the name column in the usage; a longer name takes two spaces. */
#define NAME_WIDTH 8

static const char usage_head[] =
    "Usage: lsdopt COMMAND [OPTION]...\n"
    "       lsdopt --help | --version\n"
    "\n"
    "Price European options on liquid-staking tokens: generalized Black-Scholes-\n"
    "Merton with the staking yield as carry (bsm), and Merton (1976) jump-\n"
    "diffusion for depegs (merton).\n"
    "\n"
    "Commands:\n";

static const char usage_tail[] =
    "\n"
    "Run 'lsdopt COMMAND --help' for a command's options.\n"
    "\n"
    "Units (DESIGN.md): spot and strike in quote currency per token; expiry in\n"
    "years (ACT/365F); rate and carry continuously compounded per year; vol per\n"
    "sqrt(year); jump intensity in events per year, jump mean and jump vol of the\n"
    "log jump. Greeks per 1.00 of each parameter, theta per year.\n"
    "\n"
    "Options:\n"
    "  -h, --help     print this help and exit\n"
    "  -V, --version  print the versions of lsdopt, GSL, libcsv and jansson\n"
    "\n"
    "Exit status:\n"
    "  0   success\n"
    "  64  usage error (bad command line)\n"
    "  65  data error (an input out of domain, or some batch rows failed)\n"
    "  66  input cannot be read\n"
    "  73  output file cannot be created\n"
    "  74  write error\n";

/* The top-level usage, its command list drawn from the table. */
static void print_usage(FILE *out)
{
    fputs(usage_head, out);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        const char *name = commands[i].name, *line = commands[i].summary;
        if (strlen(name) <= NAME_WIDTH)
            fprintf(out, "  %-*s ", NAME_WIDTH, name);
        else
            fprintf(out, "  %s  ", name);
        for (const char *end; (end = strchr(line, '\n')) != NULL; line = end + 1)
            fprintf(out, "%.*s\n  %*s ", (int)(end - line), line, NAME_WIDTH, "");
        fprintf(out, "%s\n", line);
    }
    fputs(usage_tail, out);
}

static int print_version(void)
{
    printf("lsdopt %s\nGSL %s\nlibcsv %d.%d.%d\njansson %s\n", lsd_version(), gsl_version,
           CSV_MAJOR, CSV_MINOR, CSV_RELEASE, jansson_version_str());
    return lsd_cli_close_output(stdout, NULL);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EX_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        print_usage(stdout);
        return lsd_cli_close_output(stdout, NULL);
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0)
        return print_version();

    /* The command sees argv[0] = "lsdopt" so getopt's own messages carry
     * the same prefix as ours. */
    static char prog[] = "lsdopt";
    argv[1] = prog;
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    lsd_cli_warn("unknown command '%s' (try 'lsdopt --help')", cmd);
    return EX_USAGE;
}
