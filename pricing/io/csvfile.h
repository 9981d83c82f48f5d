/*
 * csvfile.h — internal: feed a file to libcsv, for the library's file
 * readers (curves, token profiles, quote chains). Not installed.
 */
#ifndef LSD_CSVFILE_H
#define LSD_CSVFILE_H

#include "status.h"

#include <stdarg.h>
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
 * Record a reader's first error: if *first is LSD_OK, set it to status and
 * write "path:line: detail" (line 0: "path: detail") into diag, detail
 * formatted from fmt and ap. Later errors are ignored, so the message names
 * what went wrong first.
 */
void lsd_csv_fail_v(lsd_status *first, lsd_diag *diag, const char *path, unsigned long line,
                    lsd_status status, const char *fmt, va_list ap);

#endif /* LSD_CSVFILE_H */
