/*
 * csvfile.c — the line-by-line libcsv driver shared by the library's file
 * readers.
 */
#define _POSIX_C_SOURCE 200809L

#include "csvfile.h"

#include "diag.h"

#include <csv.h>
#include <errno.h>
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

void lsd_csv_fail_v(lsd_status *first, lsd_diag *diag, const char *path, unsigned long line,
                    lsd_status status, const char *fmt, va_list ap)
{
    if (*first != LSD_OK)
        return;
    char detail[LSD_DIAG_SIZE];
    vsnprintf(detail, sizeof detail, fmt, ap);
    *first = status;
    if (line > 0)
        lsd_diag_fail(diag, status, "%.80s:%lu: %s", path, line, detail);
    else
        lsd_diag_fail(diag, status, "%.80s: %s", path, detail);
}
