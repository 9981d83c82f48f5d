/*
 * token_file.c — the tokens file reader (token_file.h): finds one token's
 * profile (curves/token.h) in a tokens CSV such as data/tokens.csv.
 *
 * The file is read with libcsv (quoted fields, CR/LF line ends) through the
 * shared driver (csvfile.c); columns are found by header name, extra
 * columns (issuer, notes) are ignored. Every row is checked, not only the
 * one asked for, so a bad file fails whatever symbol is looked up. Numbers
 * are read by lsd_decimal_parse (decimal.c: plain decimals only, "C" locale
 * of this thread).
 *
 * Thread-safe: no global state; strerror_r for I/O messages.
 *
 * Layer: io (pricing/io/) — depends on core and the type it fills,
 * curves/token.h.
 */
#define _POSIX_C_SOURCE 200809L

#include "token_file.h"

#include "csvfile.h"
#include "decimal.h"
#include "diag.h"

#include <csv.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns a tokens file must have, in the order of the header comment. */
enum column { C_SYMBOL, C_STAKED_ASSET, C_CHAIN, C_KIND, C_PROTOCOL_FEE, C_APR_PERIODS, N_COLUMNS };

static const char *const column_names[N_COLUMNS] = {
    "symbol", "staked_asset", "chain", "kind", "protocol_fee", "apr_periods"
};

/* Tokens a file may hold: enough for every LST there is, and a bound that
 * keeps the parse state on the stack. */
#define MAX_TOKENS 64

/* Parse state shared by the libcsv callbacks. */
typedef struct reader {
    const char *path;
    locale_t c_locale;           /* "C" numeric locale for lsd_decimal_parse */
    size_t line;                 /* 1-based row number (the header is 1) */
    size_t field;                /* index of the next field in the row */
    size_t ncols;                /* fields in the header */
    size_t col_of[N_COLUMNS];    /* header position of each column */
    int have_header;
    lsd_token row;               /* the row being read */
    unsigned char row_has[N_COLUMNS];
    char symbols[MAX_TOKENS][sizeof ((lsd_token *)0)->symbol]; /* symbols seen */
    size_t ntokens;
    const char *want;            /* the symbol looked up */
    lsd_token found;
    int have_found;
    lsd_status status;           /* first failure, or LSD_OK */
    lsd_diag *diag;
} reader;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void reader_fail(reader *r, lsd_status status, const char *fmt, ...);

static void reader_fail(reader *r, lsd_status status, const char *fmt, ...)
{
    if (r->status != LSD_OK)
        return;
    r->status = status;
    if (r->diag != NULL) {
        char detail[LSD_DIAG_SIZE];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
        lsd_diag_fail(r->diag, status, "%s line %zu: %s", r->path, r->line, detail);
    }
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int same_symbol(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++)
        if (ascii_lower((unsigned char)*a) != ascii_lower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* Copy text s[0..n) into dst[size], lower-cased if asked; 0 if it does not fit
 * or is empty. */
static int copy_text(char *dst, size_t size, const char *s, size_t n, int lower)
{
    if (n == 0 || n >= size)
        return 0;
    for (size_t i = 0; i < n; i++)
        dst[i] = (char)(lower ? ascii_lower((unsigned char)s[i]) : s[i]);
    dst[n] = '\0';
    return 1;
}

/* Position of a header name among the required columns, or N_COLUMNS. */
static int column_index(const char *s, size_t n)
{
    for (int c = 0; c < N_COLUMNS; c++)
        if (strlen(column_names[c]) == n && memcmp(column_names[c], s, n) == 0)
            return c;
    return N_COLUMNS;
}

static void take_header_field(reader *r, const char *s, size_t n)
{
    /* A UTF-8 byte-order mark (spreadsheet exports) is not part of the name. */
    if (r->field == 0 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        n -= 3;
    }
    const int c = column_index(s, n);
    if (c < N_COLUMNS) {
        if (r->row_has[c]) {
            reader_fail(r, LSD_EPARSE, "column '%s' appears twice in the header", column_names[c]);
            return;
        }
        r->row_has[c] = 1;
        r->col_of[c] = r->field;
    }
}

static void take_field(reader *r, const char *s, size_t n)
{
    int c = 0;
    while (c < N_COLUMNS && r->col_of[c] != r->field)
        c++;
    if (c == N_COLUMNS)
        return; /* a column we do not read, or one too many (caught at row end) */
    lsd_token *t = &r->row;
    int ok = 1;
    switch (c) {
    case C_SYMBOL: ok = copy_text(t->symbol, sizeof t->symbol, s, n, 1); break;
    case C_STAKED_ASSET: ok = copy_text(t->staked_asset, sizeof t->staked_asset, s, n, 0); break;
    case C_CHAIN: ok = copy_text(t->chain, sizeof t->chain, s, n, 0); break;
    case C_KIND:
        if (n == 8 && memcmp(s, "rebasing", 8) == 0) {
            t->kind = LSD_TOKEN_REBASING;
        } else if (n == 14 && memcmp(s, "value-accruing", 14) == 0) {
            t->kind = LSD_TOKEN_VALUE_ACCRUING;
        } else {
            reader_fail(r, LSD_EPARSE, "kind must be rebasing or value-accruing (got '%.32s')", s);
            return;
        }
        break;
    case C_PROTOCOL_FEE:
        if (!lsd_decimal_parse(s, n, r->c_locale, &t->protocol_fee) || !(t->protocol_fee >= 0.0) ||
            !(t->protocol_fee < 1.0)) {
            reader_fail(r, LSD_EPARSE, "protocol_fee must be a number in [0, 1) (got '%.32s')", s);
            return;
        }
        break;
    case C_APR_PERIODS:
        if (!lsd_decimal_parse(s, n, r->c_locale, &t->apr_periods) || !(t->apr_periods > 0.0)) {
            reader_fail(r, LSD_EPARSE, "apr_periods must be a number > 0 (got '%.32s')", s);
            return;
        }
        break;
    }
    if (!ok) {
        reader_fail(r, LSD_EPARSE, "%s must be 1 to %zu characters (got '%.32s')",
                    column_names[c],
                    c == C_SYMBOL ? sizeof t->symbol - 1
                                  : c == C_STAKED_ASSET ? sizeof t->staked_asset - 1
                                                        : sizeof t->chain - 1,
                    s);
        return;
    }
    r->row_has[c] = 1;
}

/* libcsv field callback. */
static void on_field(void *s, size_t n, void *data)
{
    reader *r = data;
    if (r->status != LSD_OK)
        return;
    if (r->have_header)
        take_field(r, s, n);
    else
        take_header_field(r, s, n);
    r->field++;
}

static void end_header(reader *r)
{
    for (int c = 0; c < N_COLUMNS; c++)
        if (!r->row_has[c]) {
            reader_fail(r, LSD_EPARSE,
                        "the header lacks column '%s' (want symbol, staked_asset, chain, kind, "
                        "protocol_fee, apr_periods)",
                        column_names[c]);
            return;
        }
    r->ncols = r->field;
    r->have_header = 1;
}

static void end_row(reader *r)
{
    if (r->field != r->ncols) {
        reader_fail(r, LSD_EPARSE, "%zu fields, the header has %zu", r->field, r->ncols);
        return;
    }
    for (size_t i = 0; i < r->ntokens; i++)
        if (strcmp(r->symbols[i], r->row.symbol) == 0) {
            reader_fail(r, LSD_EPARSE, "token '%s' is listed twice", r->row.symbol);
            return;
        }
    if (r->ntokens == MAX_TOKENS) {
        reader_fail(r, LSD_EPARSE, "more than %d tokens", MAX_TOKENS);
        return;
    }
    memcpy(r->symbols[r->ntokens++], r->row.symbol, sizeof r->row.symbol);
    if (same_symbol(r->row.symbol, r->want)) {
        r->found = r->row;
        r->have_found = 1;
    }
}

/* libcsv row callback. */
static void on_row(int terminator, void *data)
{
    (void)terminator;
    reader *r = data;
    if (r->status != LSD_OK)
        return;
    if (r->have_header)
        end_row(r);
    else
        end_header(r);
    r->line++;
    r->field = 0;
    memset(r->row_has, 0, sizeof r->row_has);
}

/* Read the whole file through libcsv into r. */
static void read_file(reader *r, FILE *in)
{
    char why[128];
    unsigned long lines = 0; /* on_row counts the rows for messages */
    const lsd_status st =
        lsd_csv_feed(in, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL, on_field, on_row, r,
                     &r->status, &lines, why, sizeof why);
    if (st != LSD_OK && r->status == LSD_OK)
        reader_fail(r, st, "%s", why);
    if (r->status == LSD_OK && !r->have_header)
        reader_fail(r, LSD_EPARSE, "empty file: no header");
}

static void clear_token(lsd_token *out)
{
    memset(out, 0, sizeof *out);
    out->protocol_fee = NAN;
    out->apr_periods = NAN;
}

lsd_status lsd_token_file_lookup(const char *path, const char *symbol, lsd_token *out, lsd_diag *diag)
{
    if (out != NULL)
        clear_token(out);
    if (path == NULL || symbol == NULL || out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "lsd_token_file_lookup: path, symbol and out must not be NULL");
    FILE *in = fopen(path, "rb");
    if (in == NULL) {
        char why[96];
        strerror_r(errno, why, sizeof why);
        return lsd_diag_fail(diag, LSD_EIO, "cannot open tokens file %s: %s", path, why);
    }
    reader *r = calloc(1, sizeof *r);
    locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (r == NULL || c_locale == (locale_t)0) {
        free(r);
        if (c_locale != (locale_t)0)
            freelocale(c_locale);
        fclose(in);
        return lsd_diag_fail(diag, LSD_ENOMEM, "lsd_token_file_lookup: out of memory");
    }
    r->path = path;
    r->c_locale = c_locale;
    r->line = 1;
    r->want = symbol;
    r->status = LSD_OK;
    r->diag = diag;
    read_file(r, in);
    fclose(in);
    freelocale(c_locale);

    lsd_status status = r->status;
    if (status == LSD_OK && r->have_found) {
        *out = r->found;
    } else if (status == LSD_OK) {
        /* "unknown token 'x' in FILE; known: a, b, c" — the list cut short
         * with "..." if the message would not fit. */
        char known[LSD_DIAG_SIZE] = "";
        size_t len = 0;
        for (size_t i = 0; i < r->ntokens; i++) {
            const int w = snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "",
                                   r->symbols[i]);
            if (w < 0 || (size_t)w >= sizeof known - len) {
                memcpy(known + sizeof known - 4, "...", 4);
                break;
            }
            len += (size_t)w;
        }
        status = lsd_diag_fail(diag, LSD_EDOM, "unknown token '%.32s'; known: %s",
                          symbol, r->ntokens ? known : "none (the file lists no tokens)");
    }
    free(r);
    return status;
}
