/*
 * main.c — the lsdopt command: dispatch to its commands (price, batch, iv,
 * yield, forwards, calibrate, estimate, covered-call, hedge, collateral),
 * top-level --help and --version,
 * and the helpers the commands share (checked output files, diagnostics,
 * times and numbers as text).
 *
 * Conventions follow coreutils and jq: getopt_long, --help to stdout with
 * exit 0, diagnostics to stderr prefixed "lsdopt: ", exit codes from
 * <sysexits.h>, every write checked.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"

#include <lsdopt/lsdopt.h>

#include <csv.h>
#include <errno.h>
#include <gsl/gsl_version.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

static const char usage_text[] =
    "Usage: lsdopt COMMAND [OPTION]...\n"
    "       lsdopt --help | --version\n"
    "\n"
    "Price European options on liquid-staking tokens: generalized Black-Scholes-\n"
    "Merton with the staking yield as carry (bsm), and Merton (1976) jump-\n"
    "diffusion for depegs (merton).\n"
    "\n"
    "Commands:\n"
    "  price    price one option from flags; text, csv or json output\n"
    "  batch    price every row of a CSV file (a streaming stdin->stdout filter)\n"
    "  iv       implied volatility of one market price (BSM with carry, or\n"
    "           Black-76 on a forward; premiums in the quote currency or the token)\n"
    "  yield    staking yield realised by a token, from an exchange-rate or APR\n"
    "           series (rETH/ETH, ETH.STORE); optionally as a carry curve\n"
    "  forwards forwards from put-call parity per expiry of an option chain, and\n"
    "           the carry they imply; optionally as a carry curve\n"
    "  calibrate  fit bsm or merton to an option chain (json parameters and fit\n"
    "           metrics per expiry, residuals csv)\n"
    "  estimate maximum-likelihood fit of merton (depeg jumps) or bsm to the\n"
    "           history of a price or ratio series (stETH/ETH), irregular steps\n"
    "  collateral  liquidation risk of a borrow against LSD collateral (market or\n"
    "           exchange-rate oracle), loss given liquidation, protective put\n"
    "  covered-call  sell calls on held tokens: premium and yield on the staking\n"
    "           yield, breakeven, assignment probability, P&L distribution;\n"
    "           strike ladders by delta\n"
    "  hedge    depeg protection: protective put cost and stress table, expected\n"
    "           depeg loss, zero-cost collar, minimum-variance hedge ratio under\n"
    "           jumps, Monte Carlo of the delta-hedging error\n"
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

void lsd_cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("lsdopt: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

FILE *lsd_cli_open_output(const char *path)
{
    if (path == NULL || strcmp(path, "-") == 0)
        return stdout;
    FILE *out = fopen(path, "w");
    if (out == NULL)
        lsd_cli_warn("cannot create '%s': %s", path, strerror(errno));
    return out;
}

int lsd_cli_close_output(FILE *out, const char *path)
{
    const char *name = (path == NULL || strcmp(path, "-") == 0) ? "standard output" : path;
    int failed = fflush(out) != 0 || ferror(out);
    int err = errno;
    if (fclose(out) != 0) {
        if (!failed)
            err = errno;
        failed = 1;
    }
    if (failed) {
        lsd_cli_warn("write error on %s: %s", name, strerror(err));
        return EX_IOERR;
    }
    return EX_OK;
}

void lsd_cli_iso(double t, char buf[LSD_CLI_ISO_SIZE])
{
    if (!isfinite(t))
        buf[0] = '\0';
    else if (lsd_time_format(t, buf, LSD_CLI_ISO_SIZE) != LSD_OK)
        snprintf(buf, LSD_CLI_ISO_SIZE, "%.17g", t);
}

void lsd_cli_csv_number(FILE *out, double x)
{
    char buf[LSD_CLI_DTOA_SIZE];
    fwrite(buf, 1, lsd_cli_dtoa(x, buf), out);
}

int lsd_cli_format_ok(const char *command, const char *format)
{
    if (strcmp(format, "text") == 0 || strcmp(format, "csv") == 0 || strcmp(format, "json") == 0)
        return 1;
    lsd_cli_warn("%s: --format must be text, csv or json (got '%s')", command, format);
    return 0;
}

int lsd_cli_number_flag(const char *command, const char *flag, const char *text, double *x)
{
    if (text == NULL) {
        lsd_cli_warn("%s: missing --%s (see 'lsdopt %s --help')", command, flag, command);
        return 0;
    }
    if (!lsd_cli_parse_number(text, strlen(text), x)) {
        lsd_cli_warn("%s: --%s: '%s' is not a finite number", command, flag, text);
        return 0;
    }
    return 1;
}

int lsd_cli_instant_flag(const char *command, const char *flag, const char *text, double *t)
{
    lsd_diag diag = { "" };
    if (text != NULL && lsd_time_parse(text, t, &diag) != LSD_OK) {
        lsd_cli_warn("%s: --%s: %s", command, flag, diag.message);
        return 0;
    }
    return 1;
}

int lsd_cli_expiry_flag(const char *command, const char *text, const char *valuation,
                        double *years, int *dated, char expiry_date[LSD_CLI_ISO_SIZE],
                        char valuation_utc[LSD_CLI_ISO_SIZE])
{
    if (text == NULL) {
        lsd_cli_warn("%s: missing --expiry (see 'lsdopt %s --help')", command, command);
        return 0;
    }
    if (lsd_cli_parse_number(text, strlen(text), years))
        return 1;
    lsd_diag diag = { "" };
    double expiry_at, value_at = 0.0;
    if (lsd_time_parse(text, &expiry_at, &diag) != LSD_OK) {
        lsd_cli_warn("%s: --expiry: '%s' is neither a number of years nor an ISO-8601 "
                     "date (%s)", command, text, diag.message);
        return 0;
    }
    if (valuation == NULL)
        value_at = lsd_time_now();
    else if (!lsd_cli_instant_flag(command, "valuation-time", valuation, &value_at))
        return 0;
    if (lsd_time_year_fraction(value_at, expiry_at, years) != LSD_OK ||
        lsd_time_format(expiry_at, expiry_date, LSD_CLI_ISO_SIZE) != LSD_OK ||
        lsd_time_format(value_at, valuation_utc, LSD_CLI_ISO_SIZE) != LSD_OK) {
        lsd_cli_warn("%s: --expiry %s: instant out of range", command, text);
        return 0;
    }
    *dated = 1;
    return 1;
}

int lsd_cli_write_json(const char *command, FILE *out, json_t *obj)
{
    const int rc = json_dumpf(obj, out, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(obj);
    if (rc != 0 || fputc('\n', out) == EOF) {
        lsd_cli_warn("%s: cannot write json", command);
        return EX_IOERR;
    }
    return EX_OK;
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
        fputs(usage_text, stderr);
        return EX_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage_text, stdout);
        return lsd_cli_close_output(stdout, NULL);
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0)
        return print_version();

    /* The command sees argv[0] = "lsdopt" so getopt's own messages carry
     * the same prefix as ours. */
    static char prog[] = "lsdopt";
    argv[1] = prog;
    if (strcmp(cmd, "price") == 0)
        return lsd_cli_price(argc - 1, argv + 1);
    if (strcmp(cmd, "batch") == 0)
        return lsd_cli_batch(argc - 1, argv + 1);
    if (strcmp(cmd, "yield") == 0)
        return lsd_cli_yield(argc - 1, argv + 1);
    if (strcmp(cmd, "iv") == 0)
        return lsd_cli_iv(argc - 1, argv + 1);
    if (strcmp(cmd, "forwards") == 0)
        return lsd_cli_forwards(argc - 1, argv + 1);
    if (strcmp(cmd, "calibrate") == 0)
        return lsd_cli_calibrate(argc - 1, argv + 1);
    if (strcmp(cmd, "estimate") == 0)
        return lsd_cli_estimate(argc - 1, argv + 1);
    if (strcmp(cmd, "collateral") == 0)
        return lsd_cli_collateral(argc - 1, argv + 1);
    if (strcmp(cmd, "covered-call") == 0)
        return lsd_cli_covered_call(argc - 1, argv + 1);
    if (strcmp(cmd, "hedge") == 0)
        return lsd_cli_hedge(argc - 1, argv + 1);
    lsd_cli_warn("unknown command '%s' (try 'lsdopt --help')", cmd);
    return EX_USAGE;
}
