/*
 * csvfile.h — internal: feed a file to libcsv, for the library's file
 * readers (pricing/io: curve_file, token_file, quotes), and the header-then-
 * rows table reading that curve_file and quotes share. Not installed.
 *
 * Layer: io (pricing/io/) — depends on core only.
 */
#ifndef LSD_CSVFILE_H
#define LSD_CSVFILE_H

#include "status.h"

#include <locale.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Parse the open file `in` with libcsv (csv_init options as given), one
 * physical line at a time so that callers can name lines in messages:
 * *line is incremented before each line is parsed, and the libcsv
 * callbacks field/row receive ctx. Stops early once *status (the caller's,
 * set by its callbacks) is not LSD_OK.
 * Returns LSD_OK; *status if a callback stopped the parse; else LSD_ENOMEM,
 * LSD_EPARSE (libcsv's strict-mode error) or LSD_EIO (read error) with the
 * reason in why[0..why_size).
 */
lsd_status lsd_csv_feed(FILE *in, unsigned char options, void (*field)(void *, size_t, void *),
                        void (*row)(int, void *), void *ctx, const lsd_status *status,
                        unsigned long *line, char *why, size_t why_size);

/*
 * A table file read through libcsv: one header row, then data rows, every
 * message "PATH:LINE: what" (line 0: "PATH: what") naming the first error.
 * A reader embeds this struct as its first member, fills path, diag and its
 * four steps, and calls lsd_csv_table_read; the steps get the struct back
 * and reach their reader by a cast. Steps are not called once status is
 * set.
 */
typedef struct lsd_csv_table lsd_csv_table;
struct lsd_csv_table {
    const char *path; /* the file, named in messages */
    lsd_diag *diag;   /* the caller's, or NULL */
    /* The reader's steps. A NULL cell comes as "". */
    void (*header_cell)(lsd_csv_table *t, size_t col, const char *text); /* col 0 without
                                                       a UTF-8 byte-order mark */
    void (*header_done)(lsd_csv_table *t); /* sets have_header, or fails */
    void (*data_cell)(lsd_csv_table *t, size_t col, const char *text);
    void (*row_done)(lsd_csv_table *t);    /* field = the row's field count */
    /* Kept by lsd_csv_table_read. */
    lsd_status status;  /* first error, or LSD_OK */
    unsigned long line; /* physical line being parsed: the one a row ends on */
    locale_t c_locale;  /* "C" LC_NUMERIC locale for lsd_decimal_parse */
    int have_header;    /* 1 once header_done accepted the header */
    size_t field;       /* fields seen in the current row */
};

/*
 * Open t->path, feed it to the steps one physical line at a time
 * (lsd_csv_feed, CSV_APPEND_NULL; blank lines are not rows), close it.
 * Errors (in t->status and t->diag, also returned): LSD_EIO "cannot open:
 * why" or a read error, LSD_ENOMEM ("cannot create the C locale"), libcsv's
 * errors, LSD_EPARSE "empty file (no header)", and whatever a step fails
 * with.
 */
lsd_status lsd_csv_table_read(lsd_csv_table *t);

/* Record t's first error: status and "path:line: detail" (line 0: "path:
 * detail") in t->diag; later errors are ignored. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
void lsd_csv_fail(lsd_csv_table *t, unsigned long line, lsd_status status,
                        const char *fmt, ...);

#endif /* LSD_CSVFILE_H */
