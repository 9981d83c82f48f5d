/*
 * csvfile.c — the line-by-line libcsv driver shared by the library's file
 * readers, and the header-then-rows table reading (open, "C" locale, feed,
 * first error with its line) that the curve and quotes readers share.
 *
 * Layer: io (pricing/io/) — depends on core only.
 */
#define _POSIX_C_SOURCE 200809L

#include "csvfile.h"

#include "diag.h"

#include <csv.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

lsd_status lsd_csv_feed(FILE *in, unsigned char options, void (*field)(void *, size_t, void *),
                        void (*row)(int, void *), void *ctx, const lsd_status *status,
                        unsigned long *line, char *why, size_t why_size)
{
    struct csv_parser parser;
    if (csv_init(&parser, options) != 0) {
        snprintf(why, why_size, "out of memory");
        return LSD_ENOMEM;
    }
    lsd_status st = LSD_OK;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    while (*status == LSD_OK && st == LSD_OK && (len = getline(&buf, &cap, in)) > 0) {
        ++*line;
        if (csv_parse(&parser, buf, (size_t)len, field, row, ctx) != (size_t)len) {
            st = csv_error(&parser) == CSV_ENOMEM ? LSD_ENOMEM : LSD_EPARSE;
            snprintf(why, why_size, "%s", csv_strerror(csv_error(&parser)));
        }
    }
    if (st == LSD_OK && *status == LSD_OK && ferror(in)) {
        char reason[96] = "read error";
        strerror_r(errno, reason, sizeof reason);
        snprintf(why, why_size, "cannot read: %s", reason);
        st = LSD_EIO;
    }
    if (st == LSD_OK && *status == LSD_OK && csv_fini(&parser, field, row, ctx) != 0) {
        st = LSD_EPARSE;
        snprintf(why, why_size, "%s", csv_strerror(csv_error(&parser)));
    }
    csv_free(&parser);
    free(buf);
    return *status != LSD_OK ? *status : st;
}

void lsd_csv_fail(lsd_csv_table *t, unsigned long line, lsd_status status,
                        const char *fmt, ...)
{
    if (t->status != LSD_OK)
        return;
    char detail[LSD_DIAG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    t->status = status;
    if (line > 0)
        lsd_diag_fail(t->diag, status, "%.80s:%lu: %s", t->path, line, detail);
    else
        lsd_diag_fail(t->diag, status, "%.80s: %s", t->path, detail);
}

/* libcsv field callback: a header or a data cell. */
static void table_field(void *s, size_t n, void *data)
{
    (void)n;
    lsd_csv_table *t = data;
    if (t->status != LSD_OK)
        return;
    const char *text = s != NULL ? s : "";
    const size_t col = t->field++;
    if (t->have_header) {
        t->data_cell(t, col, text);
        return;
    }
    if (col == 0 && strncmp(text, "\xEF\xBB\xBF", 3) == 0) /* UTF-8 byte-order mark */
        text += 3;
    t->header_cell(t, col, text);
}

/* libcsv row callback (blank lines are not rows). */
static void table_row(int terminator, void *data)
{
    (void)terminator;
    lsd_csv_table *t = data;
    if (t->status != LSD_OK)
        return;
    if (t->have_header)
        t->row_done(t);
    else
        t->header_done(t);
    t->field = 0;
}

lsd_status lsd_csv_table_read(lsd_csv_table *t)
{
    t->status = LSD_OK;
    t->line = 0;
    t->have_header = 0;
    t->field = 0;
    FILE *in = fopen(t->path, "r");
    if (in == NULL) {
        char why[96] = "cannot open";
        strerror_r(errno, why, sizeof why);
        lsd_csv_fail(t, 0, LSD_EIO, "cannot open: %s", why);
        return t->status;
    }
    t->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (t->c_locale == (locale_t)0) {
        lsd_csv_fail(t, 0, LSD_ENOMEM, "cannot create the C locale");
    } else {
        char why[128];
        const lsd_status st = lsd_csv_feed(in, CSV_APPEND_NULL, table_field, table_row, t,
                                           &t->status, &t->line, why, sizeof why);
        if (st != LSD_OK && t->status == LSD_OK)
            lsd_csv_fail(t, st == LSD_EIO ? 0 : t->line, st, "%s", why);
        freelocale(t->c_locale);
        t->c_locale = (locale_t)0;
    }
    fclose(in);
    if (t->status == LSD_OK && !t->have_header)
        lsd_csv_fail(t, 0, LSD_EPARSE, "empty file (no header)");
    return t->status;
}
