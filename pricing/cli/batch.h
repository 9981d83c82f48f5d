/*
 * batch.h — internal to `lsdopt batch` (batch.c, batch_header.c,
 * batch_rows.c, batch_writer.c): the run's state and the functions its
 * files share. Not installed.
 *
 * The flow: batch.c parses the flags (defaults for every field, through
 * batch_header.c) and feeds the input to libcsv, whose callbacks are
 * batch_rows.c's; the header row is mapped to fields by batch_header.c; each
 * later row is read into option, market and jumps and priced by
 * batch_rows.c, while batch_writer.c assembles the output row in a buffer.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#ifndef LSD_CLI_BATCH_H
#define LSD_CLI_BATCH_H

#include "model_cli.h"
#include "token_cli.h"

#include <lsdopt/lsdopt.h>

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

/* Input fields, in DESIGN.md order. */
enum field {
    F_TYPE,
    F_SPOT,
    F_STRIKE,
    F_EXPIRY,
    F_RATE,
    F_CARRY,
    F_VOL,
    F_PARAM, /* the model parameters, F_PARAM + lsd_cli_param (model_cli.h) */
    F_EXPIRY_DATE = F_PARAM + LSD_CLI_N_PARAMS,
    F_VALUATION_TIME,
    F_MODEL,
    F_TOKEN,
    F_STAKING_APR,
    F_PRICE,
    F_PREMIUM_UNIT,
    N_FIELDS
};

/* Output columns. */
enum output { O_PRICE, O_DELTA, O_GAMMA, O_VEGA, O_THETA, O_RHO, O_CARRY_RHO,
              O_JUMP_INTENSITY_SENS, O_JUMP_MEAN_SENS, O_JUMP_VOL_SENS, O_IMPLIED_VOL, O_ERROR,
              N_OUTPUTS };

/* Long options: the fallback flags have values 256 + field. */
enum { OPT_FIELD = 256 };
enum { OPT_RATE_CURVE = 512, OPT_CARRY_CURVE, OPT_ENGINE };

/* Values given by flags, already parsed (numbers, or instants in seconds). */
typedef struct fallback {
    unsigned char given[N_FIELDS]; /* 1 if --NAME was given */
    double value[N_FIELDS];        /* numbers; instants in seconds (not type, model,
                                      token, premium_unit: their own fields) */
    lsd_option_type type;
    lsd_model model;
    lsd_premium_unit unit; /* --premium-unit */
    const char *token; /* --token */
} fallback;

/* What the cells of the current row gave, in the same shape. */
typedef struct cells {
    unsigned char given[N_FIELDS]; /* 1 if the row's cell held a value */
    double value[N_FIELDS];
    lsd_option_type type;
    lsd_model model;
    lsd_premium_unit unit; /* the premium_unit cell */
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
    lsd_engine engine;                /* --engine */
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
    char *output_header[N_OUTPUTS]; /* output column names (see batch_header_take) */
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

/* ---- batch.c ---------------------------------------------------------------- */

/* Out of memory: a diagnostic, and fatal set (once). */
void batch_fail_nomem(batch *b);

/* ---- batch_header.c: header mapping, --column, flag defaults --------------- */

/* Input field f's name (its column and, with '-' for '_', its flag). */
const char *batch_field_name(int f);

/* getopt_long table of batch: the fallback flags first, in field order
 * (the model parameters' values are model_cli.h's LSD_CLI_OPT_PARAM + k). */
extern const struct option batch_options[];

/* Keep one header name. */
void batch_header_add(batch *b, const char *s, size_t n);

/* Map columns to fields, name the outputs, and write the output header. */
void batch_header_take(batch *b);

/* Parse a fallback flag's value; 0 (after a diagnostic) if it is bad. */
int batch_flag_take(fallback *fb, int f, const char *text);

/* --column NAME=HEADER; 0 after a diagnostic for any other form. */
int batch_column_take(batch *b, const char *arg);

/* --carry conflicts with --token / --staking-apr; a --token must be known
 * before any row is read. EX_OK or an exit code after a diagnostic. */
int batch_check_token_flags(batch *b);

/* A curve with the flat flag it replaces is a usage error. EX_OK or EX_USAGE
 * after a diagnostic. */
int batch_check_curve_flags(const batch *b, const char *const path[2]);

/* ---- batch_rows.c: libcsv's callbacks, a row read and priced --------------- */

/* libcsv field callback: keep a header name, or read and copy a cell. */
void batch_row_field(void *s, size_t n, void *data);

/* libcsv row callback: the header, or the end of a row to price. */
void batch_row_end(int terminator, void *data);

/* ---- batch_writer.c: the buffered writer ------------------------------------ */

/* Write out what obuf holds. */
void batch_write_flush(batch *b);

/* batch_write_reserve's slow path: write out obuf, then grow it if n bytes still
 * do not fit. Returns 0 (fatal set) if that is impossible. */
int batch_write_make_room(batch *b, size_t n);

/* Make room for n more bytes in obuf; returns 0 (fatal set) if that is
 * impossible. Inline: it runs for every cell and nearly always has room. */
static inline int batch_write_reserve(batch *b, size_t n)
{
    return b->ocap - b->olen >= n || batch_write_make_room(b, n);
}

/* Append a text field (room reserved by the caller: 2n + 2 bytes), quoted
 * if it must be to read back the same. */
void batch_write_field(batch *b, const char *s, size_t n);

/* Write the output header: the input's names, then b->output_header.
 * Returns 0 (fatal set) if there is no room for it. */
int batch_write_header(batch *b);

/* End the output row: commas for a short row's missing cells, then the
 * price and greeks (a jump one where the model has that jump parameter:
 * lsd_cli_param_needed), the implied vol of
 * a row priced from its premium, and an empty error; or, for a row that
 * failed (ok 0), empty numbers and its error b->err. */
void batch_write_row(batch *b, int ok, lsd_model model, const lsd_greeks *g, double iv);

#endif /* LSD_CLI_BATCH_H */
