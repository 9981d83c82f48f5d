/*
 * quotes.c — read an option chain: our canonical quotes CSV or a Deribit
 * book-summary export, into one lsd_chain (pricing/fit/chain.h) sorted by
 * expiry, strike, type.
 *
 * CSV is split by libcsv (quoted fields, CR/LF/CRLF), fed one physical line
 * at a time so every message can name its line ("PATH:LINE: what"), by the
 * table reading shared with the curve reader (csvfile.c).
 * A premium_unit cell is read by lsd_market_premium_unit_parse (empty: the
 * quote currency). Numbers are plain decimals (lsd_decimal_parse: no NaN, inf, hex or
 * trailing text, "C" numeric locale per thread); instants are ISO-8601
 * (lsd_dates_parse; a bare date is 08:00 UTC); years are ACT/365F
 * (lsd_dates_year_fraction).
 *
 * One chain, one valuation time. A file whose rows carry their own
 * valuation instants (Deribit's `timestamp`, a canonical `valuation_time`
 * column) gets the earliest of them, unless the caller gives one. In the
 * Deribit snapshots of ../shared/data/deribit-eth-options every row carries
 * the collection run's start, so this is that instant; the rows' tickers
 * were in fact read over the following minutes (PROVENANCE.md), so quotes
 * and index prices are not perfectly synchronous — a caveat for any
 * cross-sectional use (parity, calibration) that no valuation time can
 * remove. The chain's spot is the median of the rows' spot (`spot`, or
 * Deribit's `index_price`), which varies by a few basis points across a
 * snapshot for the same reason; the median is the robust middle of it.
 *
 * Deribit (PROVENANCE.md of the snapshots): premiums (bid_price,
 * ask_price, mid_price) are inverse, in ETH per 1 ETH notional; an empty
 * bid or ask means no quote on that side (NaN here); `underlying` is the
 * venue's forward for the expiry (a listed future or Deribit's synthetic
 * forward); T is ACT/365F from the valuation time to expiry_datetime (the
 * file's own time_to_maturity column is ACT/365.25 and is not read).
 *
 * Layer: io (pricing/io/) — depends on core and the types it fills:
 * pricing/fit/chain.h, curves/ (premium unit, dates).
 */
#define _POSIX_C_SOURCE 200809L

#include "quotes.h"

#include "dates.h"
#include "csvfile.h"
#include "decimal.h"
#include "diag.h"
#include "market.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What a column holds. */
enum role {
    COL_TYPE,
    COL_STRIKE,
    COL_EXPIRY,      /* years */
    COL_EXPIRY_DATE, /* ISO-8601 instant */
    COL_BID,
    COL_ASK,
    COL_MID,
    COL_FORWARD,
    COL_UNIT,
    COL_VALUATION,
    COL_SPOT,
    COL_NAME,
    N_ROLES
};

/* Header names per role for each source ("" = not read from that source).
 * The canonical forward also answers to `underlying`. */
static const char *const canonical_names[N_ROLES] = {
    "type", "strike", "expiry", "expiry_date", "bid", "ask", "mid",
    "forward", "premium_unit", "valuation_time", "spot", "name"
};
static const char *const deribit_names[N_ROLES] = {
    "option_type", "strike", "", "expiry_datetime", "bid_price", "ask_price", "mid_price",
    "underlying", "", "timestamp", "index_price", "instrument_name"
};

/* One row read, before the chain's valuation time is known. */
typedef struct raw_row {
    lsd_quote q;        /* expiry (years) set only if years_given */
    double valuation;   /* the row's own valuation instant, or NaN */
    double spot;        /* the row's spot, or NaN */
    int years_given;    /* 1: expiry in years; 0: expiry_time from a date */
    unsigned long line; /* line the row ends on */
} raw_row;

/* The reader's state, passed through libcsv's callbacks. */
typedef struct reader {
    lsd_csv_table table; /* first: the shared reading state (csvfile.h) */
    lsd_quotes_source source;
    const char *const *names; /* canonical_names or deribit_names */
    size_t ncols;
    size_t col[N_ROLES]; /* column of each role, SIZE_MAX if absent */
    raw_row row;         /* the row being read */
    raw_row *rows;
    size_t n, cap;
} reader;

/* Start a row: nothing read yet. */
static void reset_row(reader *r)
{
    r->row = (raw_row){ .q = { .strike = NAN, .expiry_time = NAN, .expiry = NAN, .bid = NAN,
                               .ask = NAN, .mid = NAN, .forward = NAN,
                               .unit = r->source == LSD_QUOTES_SOURCE_DERIBIT ? LSD_PREMIUM_UNDERLYING
                                                                      : LSD_PREMIUM_QUOTE },
                        .valuation = NAN, .spot = NAN, .line = r->table.line };
    r->row.q.type = (lsd_option_type)-1;
}

/* A header cell: which role its column plays. */
static void header_cell(lsd_csv_table *t, size_t col, const char *s)
{
    reader *r = (reader *)t;
    for (int k = 0; k < N_ROLES; k++) {
        const int match = (r->names[k][0] != '\0' && strcasecmp(s, r->names[k]) == 0) ||
                          (r->source == LSD_QUOTES_SOURCE_CANONICAL && k == COL_FORWARD &&
                           strcasecmp(s, "underlying") == 0);
        if (!match)
            continue;
        if (r->col[k] != SIZE_MAX) {
            lsd_csv_fail(t, t->line, LSD_EPARSE, "header has two '%s' columns", r->names[k]);
            return;
        }
        r->col[k] = col;
        return;
    }
}

/* The end of the header: are the columns this source needs there? */
static void check_header(reader *r)
{
    static const int required[] = { COL_TYPE, COL_STRIKE, COL_BID, COL_ASK };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (r->col[required[i]] == SIZE_MAX) {
            lsd_csv_fail(&r->table, r->table.line, LSD_EPARSE, "header has no '%s' column",
                         r->names[required[i]]);
            return;
        }
    if (r->source == LSD_QUOTES_SOURCE_DERIBIT) {
        static const int deribit_required[] = { COL_EXPIRY_DATE, COL_VALUATION, COL_FORWARD };
        for (size_t i = 0; i < sizeof deribit_required / sizeof deribit_required[0]; i++)
            if (r->col[deribit_required[i]] == SIZE_MAX) {
                lsd_csv_fail(&r->table, r->table.line, LSD_EPARSE,
                             "header has no '%s' column (Deribit export)",
                             r->names[deribit_required[i]]);
                return;
            }
    } else if ((r->col[COL_EXPIRY] == SIZE_MAX) == (r->col[COL_EXPIRY_DATE] == SIZE_MAX)) {
        lsd_csv_fail(&r->table, r->table.line, LSD_EPARSE,
                     r->col[COL_EXPIRY] == SIZE_MAX
                         ? "header has neither 'expiry' (years) nor 'expiry_date'"
                         : "header has both 'expiry' and 'expiry_date' (give one)");
        return;
    }
    r->ncols = r->table.field;
    r->table.have_header = 1;
}

/* Parse a number cell into *x; what names it in a message. */
static int number_cell(reader *r, const char *s, const char *what, double *x)
{
    if (lsd_decimal_parse(s, strlen(s), r->table.c_locale, x))
        return 1;
    lsd_csv_fail(&r->table, r->table.line, LSD_EPARSE, "%s '%.40s' is not a number", what, s);
    return 0;
}

/* A premium cell: empty = no quote (NaN), else a number ≥ 0. */
static void premium_cell(reader *r, const char *s, const char *what, double *x)
{
    if (s[0] == '\0' || !number_cell(r, s, what, x))
        return;
    if (!(*x >= 0.0))
        lsd_csv_fail(&r->table, r->table.line, LSD_EDOM, "%s must be >= 0 (got %.17g)", what, *x);
}

/* An instant cell. */
static void instant_cell(reader *r, const char *s, const char *what, double *t)
{
    lsd_diag d = { "" };
    if (lsd_dates_parse(s, t, &d) != LSD_OK)
        lsd_csv_fail(&r->table, r->table.line, LSD_EPARSE, "%s: %s", what, d.message);
}

/* A data cell of column col. */
static void data_cell(lsd_csv_table *t, size_t col, const char *s)
{
    reader *r = (reader *)t;
    int role = N_ROLES;
    for (int k = 0; k < N_ROLES; k++)
        if (r->col[k] == col)
            role = k;
    if (s[0] == '\0' && role != COL_UNIT)
        return; /* no value: NaN, or "empty" at the end of the row if required */
    raw_row *row = &r->row;
    const char *name = role < N_ROLES ? r->names[role] : "";
    switch (role) {
    case COL_TYPE:
        if (strcasecmp(s, "call") == 0)
            row->q.type = LSD_CALL;
        else if (strcasecmp(s, "put") == 0)
            row->q.type = LSD_PUT;
        else
            lsd_csv_fail(t, t->line, LSD_EPARSE, "%s '%.40s' is not call or put", name, s);
        break;
    case COL_STRIKE:
        if (number_cell(r, s, name, &row->q.strike) && !(row->q.strike > 0.0))
            lsd_csv_fail(t, t->line, LSD_EDOM, "strike must be > 0 (got %.17g)", row->q.strike);
        break;
    case COL_EXPIRY:
        row->years_given = 1;
        if (number_cell(r, s, name, &row->q.expiry) && !(row->q.expiry > 0.0))
            lsd_csv_fail(t, t->line, LSD_EDOM, "expiry must be > 0 years (got %.17g)",
                         row->q.expiry);
        break;
    case COL_EXPIRY_DATE: instant_cell(r, s, name, &row->q.expiry_time); break;
    case COL_BID: premium_cell(r, s, name, &row->q.bid); break;
    case COL_ASK: premium_cell(r, s, name, &row->q.ask); break;
    case COL_MID: premium_cell(r, s, name, &row->q.mid); break;
    case COL_FORWARD:
        if (s[0] != '\0' && number_cell(r, s, name, &row->q.forward) &&
            !(row->q.forward > 0.0))
            lsd_csv_fail(t, t->line, LSD_EDOM, "%s must be > 0 (got %.17g)", name,
                         row->q.forward);
        break;
    case COL_UNIT:
        if (s[0] == '\0')
            row->q.unit = LSD_PREMIUM_QUOTE;
        else if (lsd_market_premium_unit_parse(s, &row->q.unit, NULL) != LSD_OK)
            lsd_csv_fail(t, t->line, LSD_EPARSE, "premium_unit '%.40s' is not quote or underlying",
                         s);
        break;
    case COL_VALUATION:
        if (s[0] != '\0')
            instant_cell(r, s, name, &row->valuation);
        break;
    case COL_SPOT:
        if (s[0] != '\0' && number_cell(r, s, name, &row->spot) && !(row->spot > 0.0))
            lsd_csv_fail(t, t->line, LSD_EDOM, "%s must be > 0 (got %.17g)", name, row->spot);
        break;
    case COL_NAME: snprintf(row->q.name, sizeof row->q.name, "%s", s); break;
    default: break; /* a column we do not read */
    }
}

/* The end of a data row: check it and keep it. */
static void keep_row(reader *r)
{
    raw_row *row = &r->row;
    row->line = r->table.line;
    if (r->table.field != r->ncols) {
        lsd_csv_fail(&r->table, r->table.line, LSD_EPARSE,
                     "row has %zu fields, the header has %zu", r->table.field, r->ncols);
        return;
    }
    const char *missing = (int)row->q.type < 0             ? r->names[COL_TYPE]
                          : isnan(row->q.strike)           ? r->names[COL_STRIKE]
                          : r->col[COL_EXPIRY] != SIZE_MAX && isnan(row->q.expiry)
                              ? r->names[COL_EXPIRY]
                          : r->col[COL_EXPIRY_DATE] != SIZE_MAX && isnan(row->q.expiry_time)
                              ? r->names[COL_EXPIRY_DATE]
                          : r->source == LSD_QUOTES_SOURCE_DERIBIT && isnan(row->valuation)
                              ? r->names[COL_VALUATION]
                          : r->source == LSD_QUOTES_SOURCE_DERIBIT && isnan(row->q.forward)
                              ? r->names[COL_FORWARD]
                              : NULL;
    if (missing != NULL) {
        lsd_csv_fail(&r->table, r->table.line, LSD_EPARSE, "empty %s", missing);
        return;
    }
    if (row->q.bid > row->q.ask) /* false when either is NaN */
        lsd_csv_fail(&r->table, r->table.line, LSD_EDOM, "bid %.17g is above ask %.17g", row->q.bid,
                     row->q.ask);
    if (r->table.status != LSD_OK)
        return;
    if (r->n == r->cap) {
        const size_t cap = r->cap ? 2 * r->cap : 256;
        raw_row *rows = realloc(r->rows, cap * sizeof *rows);
        if (rows == NULL) {
            lsd_csv_fail(&r->table, 0, LSD_ENOMEM, "out of memory");
            return;
        }
        r->rows = rows;
        r->cap = cap;
    }
    r->rows[r->n++] = *row;
}

/* The end of the header, then of each row: check it, and start the next. */
static void header_done(lsd_csv_table *t)
{
    check_header((reader *)t);
    reset_row((reader *)t);
}

static void row_done(lsd_csv_table *t)
{
    keep_row((reader *)t);
    reset_row((reader *)t);
}

static int compare_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Order of the chain: expiry, strike, call before put. */
static int compare_rows(const void *a, const void *b)
{
    const lsd_quote *x = &((const raw_row *)a)->q, *y = &((const raw_row *)b)->q;
    if (x->expiry != y->expiry)
        return x->expiry < y->expiry ? -1 : 1;
    if (x->strike != y->strike)
        return x->strike < y->strike ? -1 : 1;
    return (int)x->type - (int)y->type;
}

/* Valuation time, years to expiry and spot once all rows are read. */
static void finish_chain(reader *r, double valuation_time, lsd_chain *chain)
{
    double earliest = INFINITY;
    for (size_t i = 0; i < r->n; i++)
        if (r->rows[i].valuation < earliest)
            earliest = r->rows[i].valuation;
    chain->valuation_time = isfinite(valuation_time) ? valuation_time
                            : isfinite(earliest)     ? earliest
                                                     : NAN;
    const double v = chain->valuation_time;
    for (size_t i = 0; i < r->n && r->table.status == LSD_OK; i++) {
        raw_row *row = &r->rows[i];
        if (row->years_given) {
            row->q.expiry_time = isfinite(v) ? v + row->q.expiry * LSD_SECONDS_PER_YEAR : NAN;
            continue;
        }
        if (!isfinite(v)) {
            lsd_csv_fail(&r->table, 0, LSD_EINVAL,
                         "expiry dates need a valuation time (a valuation_time column or the "
                         "argument)");
            return;
        }
        lsd_dates_year_fraction(v, row->q.expiry_time, &row->q.expiry);
        if (!(row->q.expiry > 0.0)) {
            char when[32] = "?", from[32] = "?";
            lsd_dates_format(row->q.expiry_time, when, sizeof when);
            lsd_dates_format(v, from, sizeof from);
            lsd_csv_fail(&r->table, row->line, LSD_EDOM,
                         "expiry %s is not after the valuation time %s", when, from);
        }
    }
    if (r->table.status != LSD_OK)
        return;
    qsort(r->rows, r->n, sizeof *r->rows, compare_rows);
    for (size_t i = 1; i < r->n; i++)
        if (compare_rows(&r->rows[i - 1], &r->rows[i]) == 0) {
            lsd_csv_fail(&r->table, r->rows[i].line, LSD_EDOM,
                         "%s at strike %.17g and expiry %.17g years repeats line %lu",
                         r->rows[i].q.type == LSD_CALL ? "call" : "put", r->rows[i].q.strike,
                         r->rows[i].q.expiry, r->rows[i - 1].line);
            return;
        }

    /* Spot: the median of the rows' values (the quotes array's memory, not
     * yet filled, serves as scratch). */
    double *spots = (double *)chain->quotes;
    size_t ns = 0;
    for (size_t i = 0; i < r->n; i++)
        if (isfinite(r->rows[i].spot))
            spots[ns++] = r->rows[i].spot;
    qsort(spots, ns, sizeof *spots, compare_double);
    chain->spot = ns == 0 ? NAN
                  : ns % 2 ? spots[ns / 2]
                           : 0.5 * (spots[ns / 2 - 1] + spots[ns / 2]);
    for (size_t i = 0; i < r->n; i++)
        chain->quotes[i] = r->rows[i].q;
    chain->n = r->n;
}

lsd_status lsd_quotes_load(const char *path, lsd_quotes_source source, double valuation_time,
                          lsd_chain *out, lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "quotes: NULL output");
    *out = (lsd_chain){ .valuation_time = NAN, .spot = NAN };
    if (path == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "quotes: NULL path");
    if (source != LSD_QUOTES_SOURCE_CANONICAL && source != LSD_QUOTES_SOURCE_DERIBIT)
        return lsd_diag_fail(diag, LSD_EINVAL, "quotes: unknown source %d", (int)source);
    if (isinf(valuation_time))
        return lsd_diag_fail(diag, LSD_EDOM, "quotes: valuation time must be finite or NaN");
    reader r = { .table = { .path = path, .diag = diag, .header_cell = header_cell,
                            .header_done = header_done, .data_cell = data_cell,
                            .row_done = row_done },
                 .source = source,
                 .names = source == LSD_QUOTES_SOURCE_DERIBIT ? deribit_names : canonical_names };
    for (int k = 0; k < N_ROLES; k++)
        r.col[k] = SIZE_MAX;
    reset_row(&r);
    lsd_csv_table_read(&r.table);
    if (r.table.status == LSD_OK && r.n == 0)
        lsd_csv_fail(&r.table, 0, LSD_EPARSE, "no quotes (a header and no rows)");
    lsd_chain chain = { .valuation_time = NAN, .spot = NAN };
    if (r.table.status == LSD_OK) {
        /* A quote is larger than a double: the array doubles as scratch. */
        chain.quotes = malloc(r.n * sizeof *chain.quotes);
        if (chain.quotes == NULL)
            lsd_csv_fail(&r.table, 0, LSD_ENOMEM, "out of memory");
        else
            finish_chain(&r, valuation_time, &chain);
    }
    free(r.rows);
    if (r.table.status != LSD_OK) {
        free(chain.quotes);
        return r.table.status;
    }
    *out = chain;
    return LSD_OK;
}
