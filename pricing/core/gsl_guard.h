/*
 * gsl_guard.h — internal: GSL calls made without GSL's abort-by-default
 * error handler, so that no input reaches it from any public function.
 * Not installed.
 *
 * GSL reports an error twice: through the function's return value and
 * through a process-wide handler that, by default, prints the reason and
 * calls abort() (GSL manual, §3.2 "Error handlers"). A library must never
 * abort its caller, and must not ask its caller to switch the handler off.
 * So every library function that calls into GSL brackets those calls:
 *
 *     lsd_gsl_guard guard;
 *     lsd_gsl_guard_enter(&guard);
 *     int rc = gsl_linalg_cholesky_decomp1(m);   // raises on a non-SPD m
 *     lsd_gsl_guard_leave(&guard);
 *     if (rc != GSL_SUCCESS)                     // the return value tells
 *         return lsd_diag_fail(diag, LSD_EDOM, "... (%s)", guard.reason);
 *
 * While at least one guard is open in the process, GSL's handler is ours:
 * it records the first error raised on the calling thread into that thread's
 * innermost open guard (errno and reason) and returns. When the last guard
 * closes, the handler that was installed before (the caller's own, GSL's
 * default, or none) is put back. Opening and closing are serialised by a
 * mutex and counted, so guards on several threads and nested guards on one
 * thread are safe. Caveat, inherent in GSL's one global handler: a caller
 * that calls GSL itself on another thread while a library call is running
 * sees our recording handler instead of its own for that time.
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#ifndef LSD_GSL_GUARD_H
#define LSD_GSL_GUARD_H

#include "status.h"

/* One bracket of GSL calls; lives on the caller's stack. */
typedef struct lsd_gsl_guard {
    int gsl_errno;                /* first GSL error raised inside, 0 if none */
    const char *reason;           /* its reason (GSL's static text), "" if none */
    struct lsd_gsl_guard *outer;  /* the guard this one is nested in, or NULL */
} lsd_gsl_guard;

/* Open a guard: GSL errors raised on this thread go into *guard until
 * lsd_gsl_guard_leave(guard). Never fails. */
void lsd_gsl_guard_enter(lsd_gsl_guard *guard);

/* Close the innermost guard of this thread (the one given); the last guard
 * of the process to close restores the previous handler. */
void lsd_gsl_guard_leave(lsd_gsl_guard *guard);

/*
 * The status for the error a closed guard recorded: LSD_OK if none,
 * LSD_ENOMEM for GSL_ENOMEM, LSD_EDOM for a domain or range error
 * (GSL_EDOM, GSL_ERANGE, GSL_EINVAL, GSL_EOVRFLW, GSL_EBADFUNC: an input or
 * a function value outside what GSL accepts), LSD_ENOCONV for every other
 * code (iteration limits, round-off, loss of precision, no progress).
 */
lsd_status lsd_gsl_guard_status(const lsd_gsl_guard *guard);

#endif /* LSD_GSL_GUARD_H */
