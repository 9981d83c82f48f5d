/*
 * batch.c — `lsdopt batch`: a streaming CSV filter that prices every row;
 * this file has the command: --help, the flags, the curves, the input read
 * through libcsv. The header mapping is batch_header.c, the rows
 * batch_rows.c, the buffered writer batch_writer.c (batch.h).
 *
 * CSV in (file or stdin), CSV out (file or stdout). libcsv (csv_parse with
 * field and row callbacks) splits the input, handling quoted fields,
 * embedded separators and quotes, and CR, LF or CRLF line ends. The first
 * row is the header; input columns are found by name (DESIGN.md: type, spot,
 * strike, expiry, rate, carry, vol, every model's parameters from
 * jump_intensity to depeg_vol, expiry_date, valuation_time, model) or
 * through --column NAME=HEADER; each row may name its own model. Every
 * input column is passed through unchanged (re-quoted where needed), and the
 * output columns price, delta, gamma, vega, theta, rho, carry_rho,
 * jump_intensity_sens, jump_mean_sens, jump_vol_sens, implied_vol, error
 * follow. A row with a market premium (`price`, in the quote currency or,
 * with premium_unit underlying, in the token: quote price = premium·F) and
 * no vol is priced at its BSM implied vol (lsd_implied_vol_bsm, pricing/fit/implied_vol.h). If the
 * input already has a column of an output's name (Deribit exports have
 * `delta` and `vega`), the input column stays as it is and the output is
 * named lsdopt_<name> (prefixed again until unique), so no header is
 * duplicated and no input is lost. One output row per input row, in order;
 * a row that cannot be priced gets empty outputs and a message in `error`.
 *
 * Speed (>= 1M BSM rows/s on one core): one pass; cells are parsed in the
 * libcsv field callback and copied straight into the output buffer (no
 * allocation per row; the buffer only grows for a row wider than it); the
 * header's column->field mapping is worked out once; numbers are read with
 * <charconv> and written with Dragonbox (numtext.cc); output goes out in
 * 1 MiB writes.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "batch.h"
#include "cli.h"
#include "common.h"

#include <lsdopt/lsdopt.h>

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

static const char help_text[] =
    "Usage: lsdopt batch [IN|-] [-o OUT|-] [--column NAME=HEADER]... [FLAGS]\n"
    "\n"
    "Price every row of a CSV file. Reads IN (default or '-': standard input) and\n"
    "writes CSV to OUT (default or '-': standard output): a streaming filter, so\n"
    "it shards under GNU parallel --pipe --header : or Spark's pipe.\n"
    "\n"
    "Input. The first row is a header; columns are found by name in any order:\n"
    "  type            call or put (also c, p; any case)\n"
    "  spot, strike    quote currency per token (> 0)\n"
    "  expiry          time to expiry in years, ACT/365F (> 0)\n"
    "  expiry_date     or: the expiry instant, ISO-8601 (a bare date is 08:00\n"
    "                  UTC), counted from valuation_time (ACT/365F)\n"
    "  valuation_time  ISO-8601 instant; default: the time the run started\n"
    "  rate, carry     continuous per year (carry = staking yield)\n"
    "  vol             diffusion volatility per sqrt(year) (> 0)\n"
    "  model           bsm, merton, kou, heston or bates; default: the one the\n"
    "                  row's parameters (cell or flag) name: heston_* -> heston\n"
    "                  (bates with jump_* too), kou_* -> kou, jump_* -> merton,\n"
    "                  else bsm. Each row may have its own model. A model needs\n"
    "                  all of its parameters and ignores other models' (empty\n"
    "                  cells are not given); units as in lsdopt price --help:\n"
    "  jump_intensity, jump_mean, jump_vol   merton, bates (Merton 1976 jumps;\n"
    "                  jump_intensity is kou's lambda too)\n"
    "  kou_p, kou_eta_up, kou_eta_down       kou (Kou 2002)\n"
    "  heston_v0, heston_kappa, heston_theta, heston_sigma, heston_rho\n"
    "                  heston, bates (no vol: a vol cell on such a row fails,\n"
    "                  --vol does not apply to it)\n"
    "  default_intensity, default_recovery   default overlay, any model\n"
    "  depeg_intensity, depeg_mean, depeg_vol   depeg overlay, any model (LSD =\n"
    "                  ETH x depeg ratio: ETH's model times the ratio's jumps)\n"
    "  token, staking_apr   instead of carry: the carry of the token's profile\n"
    "                  (lsdopt price --help, --token and --staking-apr); a row\n"
    "                  with both a carry and a token or staking_apr fails\n"
    "  price           market premium; a row with a price and no vol (cell or\n"
    "                  --vol) gets its BSM implied vol, and its greeks at that vol\n"
    "  premium_unit    quote (default: price in the quote currency) or underlying\n"
    "                  (in the token, inverse options as on Deribit: the quote\n"
    "                  price is price*F, F = spot*exp((rate - carry)*expiry))\n"
    "Give expiry or expiry_date in a row, not both. Every input column is passed\n"
    "through unchanged. Numbers are read strictly (no NaN, inf or trailing text).\n"
    "\n";

/* The rest of --help (C wants no literal over 4095 bytes). */
static const char help_output[] =
    "Output. The input columns, then price, delta, gamma, vega, theta, rho,\n"
    "carry_rho, jump_intensity_sens (merton, kou, bates rows), jump_mean_sens,\n"
    "jump_vol_sens (merton, bates rows), implied_vol (empty for rows priced from a\n"
    "vol) and error (empty when the row was priced). vega of heston and bates rows\n"
    "is that of a parallel shift of sqrt(heston_v0) and sqrt(heston_theta). With\n"
    "a price column the model price is lsdopt_price (quote currency; at the\n"
    "implied vol it reproduces the premium). Units are\n"
    "natural: greeks per 1.00 of each parameter, theta per year. Numbers are the\n"
    "shortest text that reads back to the same double. If the input already has\n"
    "a column of an output's name, that input column is kept and the output is\n"
    "named lsdopt_NAME instead (e.g. lsdopt_delta next to an exchange's delta).\n"
    "Every input row gives one output row, in order; a row that fails gets empty\n"
    "outputs and its message in error.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT       write to OUT ('-': standard output)\n"
    "  -c, --column NAME=HEADER  read input NAME from the column headed HEADER\n"
    "                         (repeatable), e.g. --column spot=underlying\n"
    "  -h, --help             print this help and exit\n"
    "  --engine auto|closed|cos  auto (default): closed forms for bsm and merton\n"
    "                         rows without an overlay, COS for the rest; closed:\n"
    "                         rows without a closed form fail; cos: COS for all\n"
    "Fallback flags, for rows whose column is missing or whose cell is empty:\n"
    "  --NAME for every input column NAME above, '-' for '_' (--type --spot ...\n"
    "  --jump-intensity --kou-p --heston-v0 --default-intensity --depeg-vol ...\n"
    "  --model --token --staking-apr --price --premium-unit); --carry with\n"
    "  --token or --staking-apr: usage error\n"
    "  --tokens-file FILE     token profiles for token/--token (default as for\n"
    "                         lsdopt price)\n"
    "  e.g. --rate 0.04 --carry 0.031 --model merton\n"
    "\n";

static const char help_more[] =
    "Rate and carry curves (README, \"Rate and carry curves\"):\n"
    "  --rate-curve FILE      every row's rate is the curve's zero rate at that\n"
    "                         row's expiry, -ln D(T)/T. The curve wins over a rate\n"
    "                         column (passed through unchanged, not used); with\n"
    "                         --rate it is a usage error\n"
    "  --carry-curve FILE     the same for the carry: wins over carry, token and\n"
    "                         staking_apr columns; with --carry, --token or\n"
    "                         --staking-apr it is a usage error\n"
    "  A tenor,rate file needs nothing more. A date,rate file counts its dates\n"
    "  from --valuation-time (default: the time the run started); a row whose\n"
    "  valuation_time cell is another instant fails (the curve's years would not\n"
    "  be the row's): split such a file by valuation_time, or use tenors.\n"
    "\n"
    "Exit status: 0 every row priced; 64 usage error (bad flag or flag value,\n"
    "unknown --token, --model or --engine); 65 some rows failed (they are in the output with their\n"
    "error), a --column header is not in the input, or the tokens file of\n"
    "--token is malformed; 66 input (or that tokens file) cannot be read; 71 out of\n"
    "memory; 73 output cannot be created; 74 write error. A curve FILE that is\n"
    "malformed: 65 (the message gives FILE:LINE); not found or unreadable: 66.\n";

static const char *const help[] = { help_text, help_output, help_more, NULL };

void batch_fail_nomem(batch *b)
{
    if (b->fatal == EX_OK) {
        lsd_cli_warn("batch: out of memory");
        b->fatal = EX_OSERR;
    }
}

/* Load the curve files path[0] (rate) and path[1] (carry), if given. A tenor
 * file loads without a valuation time; a date file (lsd_curve_file_load says
 * LSD_EINVAL without one) counts from --valuation-time, or from the time
 * the run started. EX_OK or an exit code after a diagnostic. */
static int load_curves(batch *b, const char *const path[2])
{
    static const char *const flag[2] = { "--rate-curve", "--carry-curve" };
    lsd_curve **curve[2] = { &b->rate_curve, &b->carry_curve };
    b->curve_time = b->fb.given[F_VALUATION_TIME] ? b->fb.value[F_VALUATION_TIME] : b->started;
    for (int k = 0; k < 2; k++) {
        if (path[k] == NULL)
            continue;
        lsd_diag diag = { "" };
        lsd_status st = lsd_curve_file_load(path[k], NAN, curve[k], &diag);
        if (st == LSD_EINVAL) {
            b->curves_dated = 1;
            st = lsd_curve_file_load(path[k], b->curve_time, curve[k], &diag);
        }
        if (st != LSD_OK) {
            lsd_cli_warn("batch: %s: %s", flag[k], diag.message);
            return lsd_cli_exit_code(st);
        }
    }
    return EX_OK;
}

/* Refuse to truncate the input by writing over it. */
static int same_file(FILE *in, const char *out_path)
{
    struct stat si, so;
    return out_path != NULL && strcmp(out_path, "-") != 0 && fstat(fileno(in), &si) == 0 &&
           stat(out_path, &so) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino;
}

/* Read in to the end through libcsv; returns EX_OK or the fatal code. */
static int run(batch *b, FILE *in, const char *in_name)
{
    struct csv_parser parser;
    if (csv_init(&parser, CSV_APPEND_NULL) != 0) {
        batch_fail_nomem(b);
        return b->fatal;
    }
    char chunk[1 << 16];
    size_t n;
    while (b->fatal == EX_OK && (n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        if (csv_parse(&parser, chunk, n, batch_row_field, batch_row_end, b) != n) {
            lsd_cli_warn("batch: %s: %s", in_name, csv_strerror(csv_error(&parser)));
            if (b->fatal == EX_OK)
                b->fatal = EX_OSERR;
        }
    }
    if (b->fatal == EX_OK && ferror(in)) {
        lsd_cli_warn("batch: cannot read %s: %s", in_name, strerror(errno));
        b->fatal = EX_NOINPUT;
    }
    if (b->fatal == EX_OK)
        csv_fini(&parser, batch_row_field, batch_row_end, b);
    csv_free(&parser);
    batch_write_flush(b);
    return b->fatal;
}

int lsd_cli_batch(int argc, char **argv)
{
    batch b = { .fatal = EX_OK, .engine = LSD_ENGINE_AUTO };
    const char *output = NULL;
    const char *curve_path[2] = { NULL, NULL }; /* --rate-curve, --carry-curve */
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:c:h", batch_options, NULL)) != -1) {
        const int f = c >= OPT_FIELD && c < OPT_FIELD + N_FIELDS ? c - OPT_FIELD
                      : c >= LSD_CLI_OPT_PARAM && c < LSD_CLI_OPT_PARAM + LSD_CLI_N_PARAMS
                          ? F_PARAM + (c - LSD_CLI_OPT_PARAM)
                          : -1;
        if (f >= 0) {
            if (!batch_flag_take(&b.fb, f, optarg))
                return EX_USAGE;
            continue;
        }
        switch (c) {
        case 'o': output = optarg; break;
        case 'T': b.tokens.file = optarg; break;
        case OPT_RATE_CURVE: curve_path[0] = optarg; break;
        case OPT_CARRY_CURVE: curve_path[1] = optarg; break;
        case OPT_ENGINE: {
            lsd_diag diag = { "" };
            if (lsd_engine_parse(optarg, &b.engine, &diag) != LSD_OK) {
                lsd_cli_warn("batch: --engine: %s", diag.message);
                return EX_USAGE;
            }
            break;
        }
        case 'c':
            if (!batch_column_take(&b, optarg))
                return EX_USAGE;
            break;
        case 'h': return lsd_cli_help(help);
        default: return EX_USAGE; /* getopt_long printed why */
        }
    }
    const int token_rc = batch_check_token_flags(&b);
    if (token_rc != EX_OK)
        return token_rc;
    if (batch_check_curve_flags(&b, curve_path) != EX_OK)
        return EX_USAGE;
    if (argc - optind > 1) {
        lsd_cli_warn("batch: one input file at most (got '%s' and '%s')", argv[optind],
                     argv[optind + 1]);
        return EX_USAGE;
    }
    const char *in_path = optind < argc ? argv[optind] : "-";
    const int from_stdin = strcmp(in_path, "-") == 0;
    FILE *in = from_stdin ? stdin : fopen(in_path, "rb");
    if (in == NULL) {
        lsd_cli_warn("batch: cannot open '%s': %s", in_path, strerror(errno));
        return EX_NOINPUT;
    }
    if (same_file(in, output)) {
        lsd_cli_warn("batch: output '%s' is the input file", output);
        fclose(in);
        return EX_USAGE;
    }
    b.out = lsd_cli_open_output(output);
    if (b.out == NULL) {
        fclose(in);
        return EX_CANTCREAT;
    }
    b.out_name = output == NULL || strcmp(output, "-") == 0 ? "standard output" : output;
    b.started = lsd_dates_now();
    b.ocap = OUTPUT_FLUSH_SIZE + 64 * 1024;
    b.obuf = malloc(b.ocap);
    if (b.obuf == NULL) {
        b.ocap = 0;
        batch_fail_nomem(&b);
    }
    if (b.fatal == EX_OK)
        b.fatal = load_curves(&b, curve_path);

    const int rc = b.fatal == EX_OK ? run(&b, in, from_stdin ? "standard input" : in_path)
                                    : b.fatal;
    fclose(in);
    free(b.obuf);
    free(b.col_fields);
    for (int k = 0; k < N_OUTPUTS; k++)
        free(b.output_header[k]);
    free(b.h.text);
    free(b.h.start);
    free(b.h.size);
    lsd_curve_free(b.rate_curve);
    lsd_curve_free(b.carry_curve);
    if (rc == EX_IOERR) { /* already reported */
        fclose(b.out);
        return rc;
    }
    const int close_rc = lsd_cli_close_output(b.out, output);
    if (rc != EX_OK)
        return rc;
    if (close_rc != EX_OK)
        return close_rc;
    return b.failed > 0 ? EX_DATAERR : EX_OK;
}
