/*
 * status.c — static texts for lsd_status codes.
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#include "status.h"

const char *lsd_strerror(lsd_status status)
{
    switch (status) {
    case LSD_OK: return "success";
    case LSD_EDOM: return "input out of domain";
    case LSD_EARB: return "inputs admit arbitrage";
    case LSD_ENOCONV: return "no convergence";
    case LSD_ENOMEM: return "out of memory";
    case LSD_EPARSE: return "cannot parse";
    case LSD_EIO: return "input/output error";
    case LSD_EINVAL: return "invalid argument";
    case LSD_EBELOW: return "price below intrinsic value";
    case LSD_EABOVE: return "price above upper bound";
    case LSD_ENOTIME: return "no recoverable time value";
    }
    return "unknown status";
}

#include "diag.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

lsd_status lsd_diag_fail(lsd_diag *diag, lsd_status status, const char *fmt, ...)
{
    if (diag != NULL) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(diag->message, sizeof diag->message, fmt, ap);
        va_end(ap);
    }
    return status;
}

const char *lsd_diag_number(char *buf, double x)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, LSD_DIAG_NUMBER_LEN, "%.*g", digits, x);
        if (!isfinite(x) || strtod(buf, NULL) == x)
            break;
    }
    return buf;
}
