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

#endif /* LSD_DIAG_H */
