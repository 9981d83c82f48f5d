/*
 * diag.h — internal: write a formatted line into a caller's lsd_diag.
 * Not installed.
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#ifndef LSD_DIAG_H
#define LSD_DIAG_H

#include "status.h"

/*
 * Format into diag->message (if diag is not NULL) and return status, so a
 * failing check reads `return lsd_diag_fail(diag, LSD_EDOM, "strike ...", k);`.
 */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
lsd_status lsd_diag_fail(lsd_diag *diag, lsd_status status, const char *fmt, ...);

/* Room for any double as lsd_diag_number writes it. */
#define LSD_DIAG_NUMBER_LEN 32

/*
 * x as a message shows it: the shortest of %.15g, %.16g and %.17g that
 * reads back as x ("0.8", not "0.80000000000000004"; "nan", "inf"),
 * written into buf (LSD_DIAG_NUMBER_LEN bytes), which is returned.
 */
const char *lsd_diag_number(char *buf, double x);

/* lsd_diag_number into a buffer that lives until the end of the enclosing block. */
#define LSD_DIAG_NUMBER(x) lsd_diag_number((char[LSD_DIAG_NUMBER_LEN]){ 0 }, (x))

#endif /* LSD_DIAG_H */
