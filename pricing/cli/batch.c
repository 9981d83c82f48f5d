/*
 * batch.c — `lsdopt batch`: a streaming CSV filter that prices every row.
 *
 * CSV in (file or stdin), CSV out (file or stdout). libcsv (csv_parse with
 * field and row callbacks) splits the input, handling quoted fields,
 * embedded separators and quotes, and CR, LF or CRLF line ends. The first
 * row is the header; input columns are found by name (DESIGN.md: type, spot,
 * strike, expiry, rate, carry, vol, jump_intensity, jump_mean, jump_vol,
 * expiry_date, valuation_time, model) or through --column NAME=HEADER. Every
 * input column is passed through unchanged (re-quoted where needed), and the
 * output columns price, delta, gamma, vega, theta, rho, carry_rho,
 * jump_intensity_sens, jump_mean_sens, jump_vol_sens, implied_vol, error
 * follow. A row with a market premium (`price`, in the quote currency or,
 * with premium_unit underlying, in the token: quote price = premium·F) and
 * no vol is priced at its BSM implied vol (lsd_implied_vol_bsm, iv.h). If the
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
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"
#include "common.h"

#include <lsdopt/lsdopt.h>
#include "token_cli.h"

#include <csv.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
    "  jump_intensity, jump_mean, jump_vol   Merton (1976) depeg jumps\n"
    "  model           bsm or merton; default: merton when the row has a jump\n"
    "                  parameter (cell or flag), else bsm; bsm ignores them\n"
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
    "\n"
    "Output. The input columns, then price, delta, gamma, vega, theta, rho,\n"
    "carry_rho, jump_intensity_sens, jump_mean_sens, jump_vol_sens (empty for bsm\n"
    "rows), implied_vol (empty for rows priced from a vol) and error (empty when\n"
    "the row was priced). With a price column the model price is lsdopt_price\n"
    "(quote currency; at the implied vol it reproduces the premium). Units are\n"
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
    "Fallback flags, for rows whose column is missing or whose cell is empty:\n"
    "  --type --spot --strike --expiry --rate --carry --vol --jump-intensity\n"
    "  --jump-mean --jump-vol --expiry-date --valuation-time --model --token\n"
    "  --staking-apr --price --premium-unit (--carry with --token or\n"
    "  --staking-apr: usage error)\n"
    "  --tokens-file FILE     token profiles for token/--token (default as for\n"
    "                         lsdopt price)\n"
    "  e.g. --rate 0.04 --carry 0.031 --model merton\n"
    "\n";

/* The rest of --help (one literal would pass the 4095 bytes C requires). */
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
    "unknown --token); 65 some rows failed (they are in the output with their\n"
    "error), a --column header is not in the input, or the tokens file of\n"
    "--token is malformed; 66 input (or that tokens file) cannot be read; 71 out of\n"
    "memory; 73 output cannot be created; 74 write error. A curve FILE that is\n"
    "malformed: 65 (the message gives FILE:LINE); not found or unreadable: 66.\n";

/* Input fields, in DESIGN.md order. */
enum field {
    F_TYPE,
    F_SPOT,
    F_STRIKE,
    F_EXPIRY,
    F_RATE,
    F_CARRY,
    F_VOL,
    F_JUMP_INTENSITY,
    F_JUMP_MEAN,
    F_JUMP_VOL,
    F_EXPIRY_DATE,
    F_VALUATION_TIME,
    F_MODEL,
    F_TOKEN,
    F_STAKING_APR,
    F_PRICE,
    F_PREMIUM_UNIT,
    N_FIELDS
};

static const char *const field_names[N_FIELDS] = {
    "type",      "spot",     "strike",         "expiry",         "rate",
    "carry",     "vol",      "jump_intensity", "jump_mean",      "jump_vol",
    "expiry_date", "valuation_time", "model", "token", "staking_apr",
    "price",     "premium_unit"
};

/* Output columns. */
enum output { O_PRICE, O_DELTA, O_GAMMA, O_VEGA, O_THETA, O_RHO, O_CARRY_RHO,
              O_JUMP_INTENSITY_SENS, O_JUMP_MEAN_SENS, O_JUMP_VOL_SENS, O_IMPLIED_VOL, O_ERROR,
              N_OUTPUTS };

static const char *const output_names[N_OUTPUTS] = {
    "price", "delta", "gamma", "vega", "theta", "rho", "carry_rho",
    "jump_intensity_sens", "jump_mean_sens", "jump_vol_sens", "implied_vol", "error"
};

/* Long options: the fallback flags have values 256 + field. */
enum { OPT_FIELD = 256 };
enum { OPT_RATE_CURVE = 512, OPT_CARRY_CURVE };
static const struct option long_options[] = {
    { "type", required_argument, NULL, OPT_FIELD + F_TYPE },
    { "spot", required_argument, NULL, OPT_FIELD + F_SPOT },
    { "strike", required_argument, NULL, OPT_FIELD + F_STRIKE },
    { "expiry", required_argument, NULL, OPT_FIELD + F_EXPIRY },
    { "rate", required_argument, NULL, OPT_FIELD + F_RATE },
    { "carry", required_argument, NULL, OPT_FIELD + F_CARRY },
    { "vol", required_argument, NULL, OPT_FIELD + F_VOL },
    { "jump-intensity", required_argument, NULL, OPT_FIELD + F_JUMP_INTENSITY },
    { "jump-mean", required_argument, NULL, OPT_FIELD + F_JUMP_MEAN },
    { "jump-vol", required_argument, NULL, OPT_FIELD + F_JUMP_VOL },
    { "expiry-date", required_argument, NULL, OPT_FIELD + F_EXPIRY_DATE },
    { "valuation-time", required_argument, NULL, OPT_FIELD + F_VALUATION_TIME },
    { "model", required_argument, NULL, OPT_FIELD + F_MODEL },
    { "token", required_argument, NULL, OPT_FIELD + F_TOKEN },
    { "staking-apr", required_argument, NULL, OPT_FIELD + F_STAKING_APR },
    { "price", required_argument, NULL, OPT_FIELD + F_PRICE },
    { "premium-unit", required_argument, NULL, OPT_FIELD + F_PREMIUM_UNIT },
    { "tokens-file", required_argument, NULL, 'T' },
    { "rate-curve", required_argument, NULL, OPT_RATE_CURVE },
    { "carry-curve", required_argument, NULL, OPT_CARRY_CURVE },
    { "column", required_argument, NULL, 'c' },
    { "output", required_argument, NULL, 'o' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 }
};

/* Values given by flags, already parsed (numbers, or instants in seconds). */
typedef struct fallback {
    unsigned char given[N_FIELDS]; /* 1 if --NAME was given */
    double value[N_FIELDS];        /* numbers; instants in seconds */
    lsd_option_type type;
    lsd_model model;
    const char *token; /* --token */
} fallback;

/* What the cells of the current row gave, in the same shape. */
typedef struct cells {
    unsigned char given[N_FIELDS]; /* 1 if the row's cell held a value */
    double value[N_FIELDS];
    lsd_option_type type;
    lsd_model model;
    char token[32]; /* the token cell (longer ones are cut: no symbol is) */
    int bad; /* a cell could not be parsed; the message is in err */
} cells;

/* The header row, kept until the columns are known. */
typedef struct header {
    char *text;    /* names, each followed by a NUL */
    size_t len;    /* bytes used in text */
    size_t cap;    /* bytes allocated for text */
    size_t *start; /* offset of name i in text */
    size_t *size;  /* length of name i, NUL excluded */
    size_t n;      /* names */
    size_t ncap;   /* entries allocated in start and size */
} header;

typedef struct batch {
    fallback fb;
    const char *header_for[N_FIELDS]; /* --column mapping, or NULL */
    double started;                   /* default valuation time */
    lsd_cli_tokens tokens;            /* token profiles looked up so far */
    lsd_curve *rate_curve;            /* --rate-curve, or NULL */
    lsd_curve *carry_curve;           /* --carry-curve, or NULL */
    int curves_dated;                 /* 1 if a curve file has dates ... */
    double curve_time;                /* ... counted from this instant */
    /* From the header, once. */
    header h;
    int have_header;
    size_t ncols;
    unsigned *col_fields; /* per input column: bit f set if it holds field f */
    char *output_header[N_OUTPUTS]; /* output column names (see take_header) */
    /* The current row. */
    size_t nfields; /* fields seen so far */
    cells c;
    char err[LSD_DIAG_SIZE + 96];
    /* Output: rows are written into obuf as their fields arrive. */
    FILE *out;
    const char *out_name; /* for diagnostics */
    char *obuf;
    size_t olen, ocap;
    unsigned long long failed; /* rows that could not be priced */
    int fatal; /* exit code that stops the run, or EX_OK */
} batch;

#define OUTPUT_FLUSH_SIZE ((size_t)1 << 20)

static void fail_nomem(batch *b)
{
    if (b->fatal == EX_OK) {
        lsd_cli_warn("batch: out of memory");
        b->fatal = EX_OSERR;
    }
}

/* ---- output buffer ------------------------------------------------------ */

/* Write out what obuf holds. */
static void output_flush(batch *b)
{
    if (b->olen > 0 && b->fatal == EX_OK && fwrite(b->obuf, 1, b->olen, b->out) != b->olen) {
        lsd_cli_warn("write error on %s: %s", b->out_name, strerror(errno));
        b->fatal = EX_IOERR;
    }
    b->olen = 0;
}

/* output_reserve's slow path: write out obuf, then grow it if n bytes still
 * do not fit. Returns 0 (fatal set) if that is impossible. */
static int output_make_room(batch *b, size_t n)
{
    output_flush(b);
    if (b->ocap < n) {
        char *grown = realloc(b->obuf, n);
        if (grown == NULL) {
            fail_nomem(b);
            return 0;
        }
        b->obuf = grown;
        b->ocap = n;
    }
    return b->fatal == EX_OK;
}

/* Make room for n more bytes in obuf; returns 0 (fatal set) if that is
 * impossible. Inline: it runs for every cell and nearly always has room. */
static inline int output_reserve(batch *b, size_t n)
{
    return b->ocap - b->olen >= n || output_make_room(b, n);
}

/* Bytes that make a cell need quotes to read back the same: the separator, a
 * quote, a line end. */
static const unsigned char needs_quotes[256] = { [','] = 1, ['"'] = 1, ['\n'] = 1, ['\r'] = 1 };

/* Append a text field (room reserved by the caller: 2n + 2 bytes), quoted
 * if it must be to read back the same: it holds a separator, a quote or a
 * line end, or blanks at an edge (libcsv trims those from unquoted fields).
 * The bytes are copied first and checked on the way (one table look-up per
 * byte, no branch); the rare field that needs quotes is then rewritten. */
static void output_field(batch *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    char *dst = b->obuf + b->olen;
    unsigned quote = s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
    for (size_t i = 0; i < n; i++) {
        dst[i] = s[i];
        quote |= needs_quotes[(unsigned char)s[i]];
    }
    b->olen += quote ? csv_write(dst, b->ocap - b->olen, s, n) : n;
}

/* ---- header ---------------------------------------------------------------- */

/* Keep one header name. */
static void header_add(batch *b, const char *s, size_t n)
{
    header *h = &b->h;
    if (h->n == h->ncap) {
        const size_t ncap = h->ncap ? 2 * h->ncap : 64;
        size_t *start = realloc(h->start, ncap * sizeof *start);
        if (start != NULL)
            h->start = start;
        size_t *size = realloc(h->size, ncap * sizeof *size);
        if (start == NULL || size == NULL) {
            fail_nomem(b);
            return;
        }
        h->size = size;
        h->ncap = ncap;
    }
    if (h->cap - h->len < n + 1) {
        const size_t cap = 2 * (h->len + n + 1);
        char *text = realloc(h->text, cap);
        if (text == NULL) {
            fail_nomem(b);
            return;
        }
        h->text = text;
        h->cap = cap;
    }
    if (n > 0)
        memcpy(h->text + h->len, s, n);
    h->text[h->len + n] = '\0';
    h->start[h->n] = h->len;
    h->size[h->n] = n;
    h->len += n + 1;
    h->n++;
}

static const char *header_name(const batch *b, size_t col)
{
    return b->h.text + b->h.start[col];
}

/* Is name one of the input's columns? */
static int in_header(const batch *b, const char *name)
{
    for (size_t c = 0; c < b->h.n; c++)
        if (strcmp(header_name(b, c), name) == 0)
            return 1;
    return 0;
}

/* Map columns to fields, name the outputs, and write the output header. */
static void take_header(batch *b)
{
    header *h = &b->h;
    /* A UTF-8 byte-order mark (spreadsheet exports) is not part of the name. */
    if (h->n > 0 && h->size[0] >= 3 && memcmp(header_name(b, 0), "\xEF\xBB\xBF", 3) == 0) {
        h->start[0] += 3;
        h->size[0] -= 3;
    }
    const size_t ncols = h->n;
    b->ncols = ncols;
    b->col_fields = calloc(ncols, sizeof *b->col_fields);
    if (b->col_fields == NULL) {
        fail_nomem(b);
        return;
    }
    for (int f = 0; f < N_FIELDS; f++) {
        const char *want = b->header_for[f] ? b->header_for[f] : field_names[f];
        size_t c = 0;
        while (c < ncols && strcmp(header_name(b, c), want) != 0)
            c++;
        if (c < ncols)
            b->col_fields[c] |= 1u << f;
        else if (b->header_for[f] != NULL) {
            lsd_cli_warn("batch: --column %s=%s: the input has no column '%s'", field_names[f],
                         want, want);
            b->fatal = EX_DATAERR;
            return;
        }
    }
    /* Output names: "lsdopt_" in front while the input has the name. The
     * prefixed names cannot collide with each other (the bare ones differ). */
    static const char prefix[] = "lsdopt_";
    size_t room = 2 + 2 * h->len + 3 * ncols;
    for (int k = 0; k < N_OUTPUTS; k++) {
        const size_t n = strlen(output_names[k]);
        size_t p = 0;
        char *name = NULL;
        do {
            free(name);
            name = malloc(p * (sizeof prefix - 1) + n + 1);
            if (name == NULL) {
                fail_nomem(b);
                return;
            }
            for (size_t i = 0; i < p; i++)
                memcpy(name + i * (sizeof prefix - 1), prefix, sizeof prefix - 1);
            memcpy(name + p * (sizeof prefix - 1), output_names[k], n + 1);
            p++;
        } while (in_header(b, name));
        b->output_header[k] = name;
        room += strlen(name) + 1;
    }
    if (!output_reserve(b, room))
        return;
    for (size_t c = 0; c < ncols; c++) {
        if (c > 0)
            b->obuf[b->olen++] = ',';
        output_field(b, header_name(b, c), h->size[c]);
    }
    for (int k = 0; k < N_OUTPUTS; k++) {
        b->obuf[b->olen++] = ',';
        output_field(b, b->output_header[k], strlen(b->output_header[k]));
    }
    b->obuf[b->olen++] = '\n';
    b->have_header = 1;
}

/* ---- cells ----------------------------------------------------------------- */

/* Note the first bad cell of a row. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void bad_cell(batch *b, const char *fmt, ...)
{
    if (b->c.bad)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->err, sizeof b->err, fmt, ap);
    va_end(ap);
    b->c.bad = 1;
}

/* premium_unit: "quote" → 0, "underlying" → 1 (any case). 1 if parsed. */
static int premium_unit_parse(const char *s, double *unit)
{
    if (strcasecmp(s, "quote") == 0 || strcasecmp(s, "underlying") == 0) {
        *unit = (s[0] == 'u' || s[0] == 'U') ? 1.0 : 0.0;
        return 1;
    }
    return 0;
}

/* Read field f from a cell's text s[0..n) (NUL-terminated by libcsv). */
static void take_cell(batch *b, int f, const char *s, size_t n)
{
    cells *c = &b->c;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i == n)
        return; /* blank: the flag, if any, applies */
    lsd_diag diag; /* written before it is read: no 192-byte clear per cell */
    diag.message[0] = '\0';
    switch (f) {
    case F_TYPE:
        /* The lower-case names (lsd_option_type_name's) are matched here;
         * other spellings go through lsd_option_type_parse and strcasecmp. */
        if (n == 4 && memcmp(s, "call", 4) == 0)
            c->type = LSD_CALL;
        else if (n == 3 && memcmp(s, "put", 3) == 0)
            c->type = LSD_PUT;
        else if (lsd_option_type_parse(s, &c->type, &diag) != LSD_OK) {
            bad_cell(b, "%s", diag.message);
            return;
        }
        break;
    case F_MODEL:
        if (lsd_model_parse(s, &c->model, &diag) != LSD_OK) {
            bad_cell(b, "%s", diag.message);
            return;
        }
        break;
    case F_TOKEN:
        snprintf(c->token, sizeof c->token, "%s", s);
        break;
    case F_PREMIUM_UNIT:
        if (!premium_unit_parse(s + i, &c->value[f])) {
            bad_cell(b, "premium_unit must be quote or underlying (got '%.40s')", s);
            return;
        }
        break;
    case F_EXPIRY_DATE:
    case F_VALUATION_TIME:
        if (lsd_time_parse(s, &c->value[f], &diag) != LSD_OK) {
            bad_cell(b, "%s: %s", field_names[f], diag.message);
            return;
        }
        break;
    default:
        if (!lsd_cli_parse_number(s, n, &c->value[f])) {
            bad_cell(b, "%s: '%.40s' is not a finite number", field_names[f], s);
            return;
        }
    }
    c->given[f] = 1;
}

/* libcsv field callback: keep a header name, or read and copy a cell. */
static void on_field(void *s, size_t n, void *data)
{
    batch *b = data;
    if (b->fatal != EX_OK)
        return;
    if (!b->have_header) {
        header_add(b, s, n);
        return;
    }
    const size_t col = b->nfields++;
    if (col >= b->ncols || !output_reserve(b, 2 * n + 3))
        return;
    for (unsigned mask = b->col_fields[col], f = 0; mask != 0; mask >>= 1, f++)
        if (mask & 1u)
            take_cell(b, (int)f, s, n);
    if (col > 0)
        b->obuf[b->olen++] = ',';
    output_field(b, s, n);
}

/* ---- one row --------------------------------------------------------------- */

/* Field f of this row: the cell's value, else the flag's. 1 found, 0 not. */
static int value(const batch *b, int f, double *x)
{
    if (b->c.given[f]) {
        *x = b->c.value[f];
        return 1;
    }
    if (b->fb.given[f]) {
        *x = b->fb.value[f];
        return 1;
    }
    return 0;
}

/* A required number: 1 found, 0 missing (message in b->err). */
static int required(batch *b, int f, double *x)
{
    if (value(b, f, x))
        return 1;
    snprintf(b->err, sizeof b->err, "%s is missing (no value in the row and no --%s)",
             field_names[f], long_options[f].name);
    return 0;
}

/* The carry: the row's carry, or the carry of its token / staking_apr (cell
 * or flag; token_cli.h). 0 with b->err set if it cannot be had. */
static int row_carry(batch *b, double *carry)
{
    const char *token = b->c.given[F_TOKEN]    ? b->c.token
                        : b->fb.given[F_TOKEN] ? b->fb.token
                                               : NULL;
    double apr;
    const int staking = value(b, F_STAKING_APR, &apr);
    if (token == NULL && !staking)
        return required(b, F_CARRY, carry);
    if (value(b, F_CARRY, carry)) {
        snprintf(b->err, sizeof b->err, "give carry or token/staking_apr, not both");
        return 0;
    }
    lsd_diag diag;
    diag.message[0] = '\0';
    lsd_token profile;
    if (lsd_cli_token_carry(&b->tokens, token, staking ? &apr : NULL, carry, &profile, &diag) !=
        LSD_OK) {
        snprintf(b->err, sizeof b->err, "%s", diag.message);
        return 0;
    }
    return 1;
}

/* --rate-curve / --carry-curve: the curves' zero rates at this row's expiry
 * replace its rate / carry. 0 with b->err set if they cannot be had. */
static int row_curves(batch *b, double expiry, lsd_market *mkt)
{
    if (b->rate_curve == NULL && b->carry_curve == NULL)
        return 1;
    double value_at;
    if (b->curves_dated && value(b, F_VALUATION_TIME, &value_at) && value_at != b->curve_time) {
        char v[32] = "?", ct[32] = "?";
        lsd_time_format(value_at, v, sizeof v);
        lsd_time_format(b->curve_time, ct, sizeof ct);
        snprintf(b->err, sizeof b->err,
                 "valuation_time %s is not %s, the instant the dated curve file counts from "
                 "(give --valuation-time %s or use a tenor curve)", v, ct, v);
        return 0;
    }
    lsd_diag diag;
    diag.message[0] = '\0';
    if (lsd_market_apply_curves(mkt, b->rate_curve, b->carry_curve, expiry, &diag) != LSD_OK) {
        snprintf(b->err, sizeof b->err, "%s", diag.message);
        return 0;
    }
    return 1;
}

/* Time to expiry in years from expiry, or expiry_date and valuation_time. */
static int expiry_years(batch *b, double *years)
{
    double expiry_at, value_at;
    const int in_years = value(b, F_EXPIRY, years);
    const int dated = value(b, F_EXPIRY_DATE, &expiry_at);
    if (in_years && dated) {
        snprintf(b->err, sizeof b->err, "give expiry (years) or expiry_date, not both");
        return 0;
    }
    if (in_years)
        return 1;
    if (!dated) {
        snprintf(b->err, sizeof b->err, "expiry is missing (no expiry or expiry_date)");
        return 0;
    }
    if (!value(b, F_VALUATION_TIME, &value_at))
        value_at = b->started;
    lsd_time_year_fraction(value_at, expiry_at, years);
    if (!(*years > 0.0)) {
        char e[32] = "?", v[32] = "?";
        lsd_time_format(expiry_at, e, sizeof e);
        lsd_time_format(value_at, v, sizeof v);
        snprintf(b->err, sizeof b->err, "expiry_date %s is not after valuation_time %s", e, v);
        return 0;
    }
    return 1;
}

/* The vol, or (no vol cell or flag) the premium to imply it from: *premium
 * is NaN when the vol was given. 0 with b->err set if neither is there. */
static int vol_or_premium(batch *b, double *vol, double *premium)
{
    *premium = NAN;
    if (value(b, F_VOL, vol) || value(b, F_PRICE, premium))
        return 1;
    snprintf(b->err, sizeof b->err, "vol is missing (no vol or price in the row and no --vol)");
    return 0;
}

/* Set mkt->vol to the BSM implied vol of premium (in the quote currency, or
 * in the token with premium_unit underlying: times the forward). 0 with
 * b->err set if there is none. */
static int implied_vol_row(batch *b, const lsd_option *opt, lsd_market *mkt, double premium)
{
    double unit = 0.0;
    value(b, F_PREMIUM_UNIT, &unit);
    const double forward = mkt->spot * exp((mkt->rate - mkt->carry) * opt->expiry);
    const double price = unit == 1.0 ? premium * forward : premium;
    lsd_diag diag;
    diag.message[0] = '\0';
    const lsd_status st = lsd_implied_vol_bsm(opt, mkt, price, &mkt->vol, &diag);
    if (st != LSD_OK) {
        snprintf(b->err, sizeof b->err, "implied vol: %s: %s", lsd_strerror(st), diag.message);
        return 0;
    }
    return 1;
}

/* Price the current row; 0 with b->err set if it cannot be. *iv is the
 * implied vol when the row was priced from its premium, else NaN. */
static int price_row(batch *b, lsd_model *model, lsd_greeks *g, double *iv)
{
    *iv = NAN;
    if (b->nfields != b->ncols) {
        snprintf(b->err, sizeof b->err, "row has %zu fields, the header has %zu", b->nfields,
                 b->ncols);
        return 0;
    }
    if (b->c.bad)
        return 0;
    lsd_option opt;
    lsd_market mkt;
    lsd_jumps jumps;
    double premium;
    if (b->c.given[F_TYPE]) {
        opt.type = b->c.type;
    } else if (b->fb.given[F_TYPE]) {
        opt.type = b->fb.type;
    } else {
        snprintf(b->err, sizeof b->err, "type is missing (no value in the row and no --type)");
        return 0;
    }
    if (!required(b, F_SPOT, &mkt.spot) || !required(b, F_STRIKE, &opt.strike) ||
        !expiry_years(b, &opt.expiry) ||
        !(b->rate_curve != NULL || required(b, F_RATE, &mkt.rate)) ||
        !(b->carry_curve != NULL || row_carry(b, &mkt.carry)) ||
        !vol_or_premium(b, &mkt.vol, &premium) || !row_curves(b, opt.expiry, &mkt))
        return 0;
    const int ji = value(b, F_JUMP_INTENSITY, &jumps.intensity);
    const int jm = value(b, F_JUMP_MEAN, &jumps.mean);
    const int jv = value(b, F_JUMP_VOL, &jumps.vol);
    if (b->c.given[F_MODEL])
        *model = b->c.model;
    else if (b->fb.given[F_MODEL])
        *model = b->fb.model;
    else
        *model = (ji || jm || jv) ? LSD_MODEL_MERTON : LSD_MODEL_BSM;
    if (*model == LSD_MODEL_MERTON && !(ji && jm && jv)) {
        snprintf(b->err, sizeof b->err, "merton needs jump_intensity, jump_mean and jump_vol");
        return 0;
    }
    if (!isnan(premium)) {
        if (*model != LSD_MODEL_BSM) {
            snprintf(b->err, sizeof b->err,
                     "a merton row needs a vol (the implied vol from price is BSM's)");
            return 0;
        }
        if (!implied_vol_row(b, &opt, &mkt, premium))
            return 0;
        *iv = mkt.vol;
    }
    lsd_diag diag;
    diag.message[0] = '\0';
    if (lsd_model_price(*model, &opt, &mkt, &jumps, g, &diag) != LSD_OK) {
        snprintf(b->err, sizeof b->err, "%s", diag.message);
        return 0;
    }
    return 1;
}

/* Append a comma and x, shortest round-trip (room reserved). */
static void output_number(batch *b, double x)
{
    b->obuf[b->olen++] = ',';
    b->olen += lsd_cli_dtoa(x, b->obuf + b->olen);
}

/* Append this row's output columns, each after a comma (room reserved): the
 * price and greeks (the jump ones for merton rows only), the implied vol of
 * a row priced from its premium, and an empty error; or, for a row that
 * failed, empty numbers and its error. */
static void output_results(batch *b, int ok, lsd_model model, const lsd_greeks *g, double iv)
{
    if (!ok) {
        memset(b->obuf + b->olen, ',', N_OUTPUTS);
        b->olen += N_OUTPUTS;
        output_field(b, b->err, strlen(b->err));
        return;
    }
    const double values[O_IMPLIED_VOL] = { g->price, g->delta, g->gamma, g->vega, g->theta,
                                           g->rho, g->carry_rho, g->jump_intensity_sens,
                                           g->jump_mean_sens, g->jump_vol_sens };
    const int given = model == LSD_MODEL_MERTON ? O_IMPLIED_VOL : O_JUMP_INTENSITY_SENS;
    for (int k = 0; k < given; k++)
        output_number(b, values[k]);
    for (int k = given; k < O_IMPLIED_VOL; k++)
        b->obuf[b->olen++] = ',';
    if (isnan(iv))
        b->obuf[b->olen++] = ',';
    else
        output_number(b, iv);
    b->obuf[b->olen++] = ','; /* no error */
}

/* libcsv row callback: the header, or the end of a row to price. */
static void on_row(int terminator, void *data)
{
    (void)terminator;
    batch *b = data;
    if (b->fatal != EX_OK)
        return;
    if (!b->have_header) {
        take_header(b);
        return;
    }
    lsd_model model = LSD_MODEL_BSM;
    lsd_greeks g;
    double iv;
    const int ok = price_row(b, &model, &g, &iv);
    if (!ok)
        b->failed++;

    /* Commas for a short row's missing cells, the numbers, the error. */
    if (!output_reserve(b, b->ncols + N_OUTPUTS * (LSD_CLI_DTOA_SIZE + 1) +
                               2 * sizeof b->err + 4))
        return;
    for (size_t col = b->nfields; col < b->ncols; col++)
        if (col > 0)
            b->obuf[b->olen++] = ',';
    output_results(b, ok, model, &g, iv);
    b->obuf[b->olen++] = '\n';
    if (b->olen >= OUTPUT_FLUSH_SIZE)
        output_flush(b);
    b->nfields = 0;
    memset(b->c.given, 0, sizeof b->c.given);
    b->c.bad = 0;
}

/* ---- command line ---------------------------------------------------------- */

/* Parse a fallback flag's value; 0 (after a diagnostic) if it is bad. */
static int take_flag(fallback *fb, int f, const char *text)
{
    lsd_diag diag = { "" };
    lsd_status st = LSD_OK;
    switch (f) {
    case F_TYPE: st = lsd_option_type_parse(text, &fb->type, &diag); break;
    case F_MODEL: st = lsd_model_parse(text, &fb->model, &diag); break;
    case F_TOKEN: fb->token = text; break;
    case F_PREMIUM_UNIT:
        if (!premium_unit_parse(text, &fb->value[f])) {
            lsd_cli_warn("batch: --premium-unit must be quote or underlying (got '%s')", text);
            return 0;
        }
        break;
    case F_EXPIRY_DATE:
    case F_VALUATION_TIME: st = lsd_time_parse(text, &fb->value[f], &diag); break;
    default:
        if (!lsd_cli_parse_number(text, strlen(text), &fb->value[f])) {
            lsd_cli_warn("batch: --%s: '%s' is not a finite number", long_options[f].name, text);
            return 0;
        }
    }
    if (st != LSD_OK) {
        lsd_cli_warn("batch: --%s: %s", long_options[f].name, diag.message);
        return 0;
    }
    fb->given[f] = 1;
    return 1;
}

/* --column NAME=HEADER. */
static int take_column(batch *b, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (eq != NULL && eq[1] != '\0')
        for (int f = 0; f < N_FIELDS; f++)
            if (strlen(field_names[f]) == (size_t)(eq - arg) &&
                strncmp(field_names[f], arg, (size_t)(eq - arg)) == 0) {
                b->header_for[f] = eq + 1;
                return 1;
            }
    lsd_cli_warn("batch: --column wants NAME=HEADER with NAME one of type, spot, strike, "
                 "expiry, rate, carry, vol, jump_intensity, jump_mean, jump_vol, expiry_date, "
                 "valuation_time, model, token, staking_apr, price, premium_unit (got '%s')",
                 arg);
    return 0;
}

/* --carry conflicts with --token / --staking-apr; a --token must be known
 * before any row is read. EX_OK or an exit code after a diagnostic. */
static int check_token_flags(batch *b)
{
    if (b->fb.given[F_CARRY] && (b->fb.given[F_TOKEN] || b->fb.given[F_STAKING_APR])) {
        lsd_cli_warn("batch: give --carry or --token/--staking-apr, not both");
        return EX_USAGE;
    }
    if (!b->fb.given[F_TOKEN])
        return EX_OK;
    const double any_apr = 0.0; /* the profile is checked, not the carry */
    double carry;
    lsd_token profile;
    lsd_diag diag = { "" };
    const lsd_status status =
        lsd_cli_token_carry(&b->tokens, b->fb.token, &any_apr, &carry, &profile, &diag);
    if (status == LSD_OK)
        return EX_OK;
    lsd_cli_warn("batch: --token %s: %s", b->fb.token, diag.message);
    return status == LSD_EIO ? EX_NOINPUT : status == LSD_EPARSE ? EX_DATAERR : EX_USAGE;
}

/* A curve with the flat flag it replaces is a usage error. EX_OK or EX_USAGE
 * after a diagnostic. */
static int check_curve_flags(const batch *b, const char *const path[2])
{
    if (path[0] != NULL && b->fb.given[F_RATE]) {
        lsd_cli_warn("batch: give --rate or --rate-curve, not both");
        return EX_USAGE;
    }
    if (path[1] != NULL &&
        (b->fb.given[F_CARRY] || b->fb.given[F_TOKEN] || b->fb.given[F_STAKING_APR])) {
        lsd_cli_warn("batch: give --carry-curve or --carry/--token/--staking-apr, not both");
        return EX_USAGE;
    }
    return EX_OK;
}

/* Load the curve files path[0] (rate) and path[1] (carry), if given. A tenor
 * file loads without a valuation time; a date file (lsd_curve_load says
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
        lsd_status st = lsd_curve_load(path[k], NAN, curve[k], &diag);
        if (st == LSD_EINVAL) {
            b->curves_dated = 1;
            st = lsd_curve_load(path[k], b->curve_time, curve[k], &diag);
        }
        if (st != LSD_OK) {
            lsd_cli_warn("batch: %s: %s", flag[k], diag.message);
            return st == LSD_EIO ? EX_NOINPUT : st == LSD_ENOMEM ? EX_OSERR : EX_DATAERR;
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
        fail_nomem(b);
        return b->fatal;
    }
    char chunk[1 << 16];
    size_t n;
    while (b->fatal == EX_OK && (n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        if (csv_parse(&parser, chunk, n, on_field, on_row, b) != n) {
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
        csv_fini(&parser, on_field, on_row, b);
    csv_free(&parser);
    output_flush(b);
    return b->fatal;
}

int lsd_cli_batch(int argc, char **argv)
{
    batch b = { .fatal = EX_OK };
    const char *output = NULL;
    const char *curve_path[2] = { NULL, NULL }; /* --rate-curve, --carry-curve */
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:c:h", long_options, NULL)) != -1) {
        if (c >= OPT_FIELD && c < OPT_FIELD + N_FIELDS) {
            if (!take_flag(&b.fb, c - OPT_FIELD, optarg))
                return EX_USAGE;
            continue;
        }
        switch (c) {
        case 'o': output = optarg; break;
        case 'T': b.tokens.file = optarg; break;
        case OPT_RATE_CURVE: curve_path[0] = optarg; break;
        case OPT_CARRY_CURVE: curve_path[1] = optarg; break;
        case 'c':
            if (!take_column(&b, optarg))
                return EX_USAGE;
            break;
        case 'h':
            fputs(help_text, stdout);
            fputs(help_more, stdout);
            return lsd_cli_close_output(stdout, NULL);
        default: return EX_USAGE; /* getopt_long printed why */
        }
    }
    const int token_rc = check_token_flags(&b);
    if (token_rc != EX_OK)
        return token_rc;
    if (check_curve_flags(&b, curve_path) != EX_OK)
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
    b.started = lsd_time_now();
    b.ocap = OUTPUT_FLUSH_SIZE + 64 * 1024;
    b.obuf = malloc(b.ocap);
    if (b.obuf == NULL) {
        b.ocap = 0;
        fail_nomem(&b);
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
