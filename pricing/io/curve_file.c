/*
 * curve_file.c — the curve file reader (curve_file.h): CSV rows to pillars,
 * checked one by one (lsd_curve_pillar_check, the rule lsd_curve_new
 * applies) so a message names the file's line, then lsd_curve_new
 * (curves/curve.c) builds the curve.
 *
 * CSV is read by the table reading shared with the quotes reader
 * (csvfile.c: libcsv fed line by line, the first error with its line),
 * numbers are read by lsd_decimal_parse (decimal.c: plain decimals only,
 * "C" numeric locale per thread), instants by lsd_dates_parse and years
 * counted ACT/365F by lsd_dates_year_fraction (curves/dates.h). No global
 * state.
 *
 * Layer: io (pricing/io/) — depends on core and the types it fills: curves/
 * (curve, its pillar rule, dates).
 */
#define _POSIX_C_SOURCE 200809L

#include "curve_file.h"

#include "csvfile.h"
#include "curve_pillar.h"
#include "dates.h"
#include "decimal.h"
#include "diag.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One data row of a curve file. */
typedef struct pillar_row {
    double time;        /* years from the valuation time */
    double value;       /* rate or discount factor as read */
    unsigned long line; /* line of the file the row ends on */
} pillar_row;

/* The loader's state, passed through libcsv's callbacks. */
typedef struct loader {
    lsd_csv_table table;   /* first: the shared reading state (csvfile.h) */
    double valuation_time; /* seconds since the epoch, for date files */
    /* Header. */
    size_t ncols;          /* columns in the header */
    size_t time_col;       /* column of tenor or date, SIZE_MAX if none */
    size_t value_col;      /* column of rate or discount, SIZE_MAX if none */
    int dated;             /* 1: the time column is `date`, 0: `tenor` */
    lsd_curve_quote quote; /* rate or discount */
    char header_text[96];  /* the header as read, for a message */
    /* The row being read. */
    int have_time, have_value;
    double time, value;
    /* Rows read. */
    pillar_row *rows;
    size_t n, cap;
} loader;

/* A header cell: which column holds the time and which the value. */
static void header_cell(lsd_csv_table *t, size_t col, const char *s)
{
    loader *l = (loader *)t;
    const size_t used = strlen(l->header_text);
    snprintf(l->header_text + used, sizeof l->header_text - used, "%s%s", col > 0 ? "," : "",
             s);
    const int is_time = strcasecmp(s, "tenor") == 0 || strcasecmp(s, "date") == 0;
    const int is_value = strcasecmp(s, "rate") == 0 || strcasecmp(s, "discount") == 0;
    size_t *slot = is_time ? &l->time_col : is_value ? &l->value_col : NULL;
    if (slot == NULL)
        return; /* other columns (notes, sources) are ignored */
    if (*slot != SIZE_MAX) {
        lsd_csv_fail(t, t->line, LSD_EPARSE,
                           "header has two %s columns (give tenor or date, and rate or "
                           "discount, once)", is_time ? "time" : "value");
        return;
    }
    *slot = col;
    if (is_time)
        l->dated = strcasecmp(s, "date") == 0;
    else
        l->quote = strcasecmp(s, "discount") == 0 ? LSD_CURVE_DISCOUNT : LSD_CURVE_ZERO_RATE;
}

/* A data cell of column col. */
static void data_cell(lsd_csv_table *t, size_t col, const char *s)
{
    loader *l = (loader *)t;
    if (s[0] == '\0')
        return; /* an empty cell: reported at the end of the row */
    if (col == l->time_col && !l->dated) {
        if (!lsd_decimal_parse(s, strlen(s), t->c_locale, &l->time)) {
            lsd_csv_fail(t, t->line, LSD_EPARSE, "tenor '%.40s' is not a number of years", s);
            return;
        }
        l->have_time = 1;
    } else if (col == l->time_col) {
        lsd_diag d = { "" };
        double at;
        if (lsd_dates_parse(s, &at, &d) != LSD_OK) {
            lsd_csv_fail(t, t->line, LSD_EPARSE, "date: %s", d.message);
            return;
        }
        lsd_dates_year_fraction(l->valuation_time, at, &l->time);
        if (!(l->time > 0.0)) {
            char when[32] = "?", from[32] = "?";
            lsd_dates_format(at, when, sizeof when);
            lsd_dates_format(l->valuation_time, from, sizeof from);
            lsd_csv_fail(t, t->line, LSD_EDOM, "date %s is not after the valuation time %s",
                               when, from);
            return;
        }
        l->have_time = 1;
    } else if (col == l->value_col) {
        if (!lsd_decimal_parse(s, strlen(s), t->c_locale, &l->value)) {
            lsd_csv_fail(t, t->line, LSD_EPARSE, "%s '%.40s' is not a finite number",
                               l->quote == LSD_CURVE_DISCOUNT ? "discount" : "rate", s);
            return;
        }
        l->have_value = 1;
    }
}

/* The end of the header row. */
static void header_done(lsd_csv_table *t)
{
    loader *l = (loader *)t;
    if (l->time_col == SIZE_MAX || l->value_col == SIZE_MAX) {
        lsd_csv_fail(t, t->line, LSD_EPARSE,
                           "header must name a tenor or date column and a rate or discount "
                           "column (got '%.60s')", l->header_text);
        return;
    }
    if (l->dated && !isfinite(l->valuation_time)) {
        lsd_csv_fail(t, t->line, LSD_EINVAL,
                           "a date column needs a finite valuation time to count years from");
        return;
    }
    l->ncols = t->field;
    t->have_header = 1;
}

/* The end of a data row: check it and keep it. */
static void keep_row(loader *l)
{
    lsd_csv_table *t = &l->table;
    const char *time_name = l->dated ? "date" : "tenor";
    const char *value_name = l->quote == LSD_CURVE_DISCOUNT ? "discount" : "rate";
    if (t->field != l->ncols) {
        lsd_csv_fail(t, t->line, LSD_EPARSE, "row has %zu fields, the header has %zu",
                           t->field, l->ncols);
        return;
    }
    if (!l->have_time || !l->have_value) {
        lsd_csv_fail(t, t->line, LSD_EPARSE, "empty %s",
                           !l->have_time ? time_name : value_name);
        return;
    }
    lsd_diag d = { "" };
    if (lsd_curve_pillar_check(l->time, l->value, l->quote, "", &d) != LSD_OK) {
        lsd_csv_fail(t, t->line, LSD_EDOM, "%s", d.message);
        return;
    }
    if (l->n == l->cap) {
        const size_t cap = l->cap ? 2 * l->cap : 16;
        pillar_row *rows = realloc(l->rows, cap * sizeof *rows);
        if (rows == NULL) {
            lsd_csv_fail(t, 0, LSD_ENOMEM, "out of memory");
            return;
        }
        l->rows = rows;
        l->cap = cap;
    }
    l->rows[l->n++] = (pillar_row){ .time = l->time, .value = l->value, .line = t->line };
}

/* The end of a data row: keep it, and start the next. */
static void row_done(lsd_csv_table *t)
{
    loader *l = (loader *)t;
    keep_row(l);
    l->have_time = l->have_value = 0;
}

lsd_status lsd_curve_file_load(const char *path, double valuation_time, lsd_curve **out,
                          lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "curve load: NULL output");
    *out = NULL;
    if (path == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "curve load: NULL path");
    loader l = { .table = { .path = path, .diag = diag, .header_cell = header_cell,
                            .header_done = header_done, .data_cell = data_cell,
                            .row_done = row_done },
                 .valuation_time = valuation_time, .time_col = SIZE_MAX,
                 .value_col = SIZE_MAX };
    lsd_csv_table_read(&l.table);
    if (l.table.status == LSD_OK && l.n == 0)
        lsd_csv_fail(&l.table, 0, LSD_EPARSE, "no pillars (a header and no rows)");
    /* Pillars in increasing time, as written: a row out of order is more
     * likely a mistake (a swapped column, a pasted block) than an intent. */
    for (size_t i = 1; i < l.n && l.table.status == LSD_OK; i++) {
        const pillar_row *prev = &l.rows[i - 1], *row = &l.rows[i];
        if (row->time == prev->time)
            lsd_csv_fail(&l.table, row->line, LSD_EDOM, "%s repeats line %lu (%.17g years)",
                               l.dated ? "date" : "tenor", prev->line, row->time);
        else if (row->time < prev->time)
            lsd_csv_fail(&l.table, row->line, LSD_EDOM,
                               "%s (%.17g years) is before line %lu's (%.17g years): pillars "
                               "must be in increasing time order",
                               l.dated ? "date" : "tenor", row->time, prev->line, prev->time);
    }
    if (l.table.status == LSD_OK) {
        double *times = malloc(2 * l.n * sizeof *times);
        if (times == NULL) {
            lsd_csv_fail(&l.table, 0, LSD_ENOMEM, "out of memory");
        } else {
            double *values = times + l.n;
            for (size_t i = 0; i < l.n; i++) {
                times[i] = l.rows[i].time;
                values[i] = l.rows[i].value;
            }
            l.table.status = lsd_curve_new(times, values, l.n, l.quote, out, diag);
            free(times);
        }
    }
    free(l.rows);
    return l.table.status;
}
