/*
 * status.h — status codes and caller-owned diagnostics for liblsdopt.
 *
 * Every public function that can fail returns an lsd_status. LSD_OK is 0;
 * every other value is a failure whose static text lsd_strerror() gives.
 * Functions that can say more (which input, which value) also take an
 * optional lsd_diag *, owned by the caller, into which they write one line of
 * detail. The few public functions with no failure to report return their
 * result directly instead: static names (lsd_strerror, lsd_version, the
 * *_name functions), default controls returned by value
 * (*_control_default), releases and fills that return nothing
 * (lsd_curve_free, lsd_chain_free, lsd_calibrate_result_free,
 * lsd_greeks_set_nan), the system clock (lsd_dates_now: NaN if it cannot be
 * read) and one closed-form payoff, unchecked (lsd_covered_call_pnl: NaN
 * in, NaN out). The library keeps no global error state (GSL's design,
 * without its abort-by-default handler).
 *
 * Layer: core (pricing/core/) — depends on nothing; installed as
 * <lsdopt/status.h>.
 */
#ifndef LSD_STATUS_H
#define LSD_STATUS_H

#include "lsdopt_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. Values are stable: they are part of the ABI. */
typedef enum lsd_status {
    LSD_OK = 0,      /* success */
    LSD_EDOM = 1,    /* an input is NaN, infinite or outside its domain */
    LSD_EARB = 2,    /* inputs admit arbitrage (e.g. a price outside its bounds) */
    LSD_ENOCONV = 3, /* an iteration or series did not meet its tolerance */
    LSD_ENOMEM = 4,  /* memory allocation failed */
    LSD_EPARSE = 5,  /* text could not be parsed (number, date, name) */
    LSD_EIO = 6,     /* a read or write failed */
    LSD_EINVAL = 7,  /* invalid argument: NULL pointer, unknown enum value */
    LSD_EBELOW = 8,  /* a price below the option's intrinsic value (lower bound) */
    LSD_EABOVE = 9,  /* a price above the option's upper bound (S·e^{−qT} for a call) */
    LSD_ENOTIME = 10 /* a price with no recoverable time value (at intrinsic to rounding) */
} lsd_status;

/* Size of the message buffer in lsd_diag, terminating NUL included. */
#define LSD_DIAG_SIZE 192

/*
 * Caller-owned diagnostic: one line saying what failed and with which value,
 * e.g. "strike must be finite and > 0 (got -5)". Functions that take an
 * lsd_diag * accept NULL (no detail wanted); on success they leave it alone.
 */
typedef struct lsd_diag {
    char message[LSD_DIAG_SIZE]; /* NUL-terminated; empty if nothing was written */
} lsd_diag;

/*
 * Static English text for a status code ("input out of domain", ...).
 * Never NULL; an unknown code gives "unknown status". Thread-safe.
 */
LSD_EXPORT const char *lsd_strerror(lsd_status status);

#ifdef __cplusplus
}
#endif

#endif /* LSD_STATUS_H */
