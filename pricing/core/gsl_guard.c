/*
 * gsl_guard.c — GSL's error handler replaced by a recording one while any
 * library call is inside GSL (contract and rationale in gsl_guard.h).
 *
 * State: one mutex, the number of open guards in the process and the handler
 * they replaced (process-wide, as GSL's handler is); the innermost open guard
 * of each thread (thread-local). This is the library's only global state,
 * and exists only because GSL's handler is global.
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#include "gsl_guard.h"

#include <gsl/gsl_errno.h>
#include <pthread.h>
#include <stddef.h>

static pthread_mutex_t guard_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long guard_open;            /* guards open in the process */
static gsl_error_handler_t *guard_replaced; /* the handler before the first */
static _Thread_local lsd_gsl_guard *guard_innermost;

/* GSL's handler while a guard is open: record the first error of the
 * calling thread's innermost guard, then return (GSL's function returns
 * its error code to our caller as usual). */
static void guard_record(const char *reason, const char *file, int line, int gsl_errno)
{
    (void)file;
    (void)line;
    lsd_gsl_guard *guard = guard_innermost;
    if (guard != NULL && guard->gsl_errno == 0) {
        guard->gsl_errno = gsl_errno != 0 ? gsl_errno : GSL_FAILURE;
        guard->reason = reason != NULL ? reason : "";
    }
}

void lsd_gsl_guard_enter(lsd_gsl_guard *guard)
{
    guard->gsl_errno = 0;
    guard->reason = "";
    guard->outer = guard_innermost;
    guard_innermost = guard;
    pthread_mutex_lock(&guard_lock);
    if (guard_open++ == 0)
        guard_replaced = gsl_set_error_handler(guard_record);
    pthread_mutex_unlock(&guard_lock);
}

void lsd_gsl_guard_leave(lsd_gsl_guard *guard)
{
    pthread_mutex_lock(&guard_lock);
    if (--guard_open == 0)
        gsl_set_error_handler(guard_replaced);
    pthread_mutex_unlock(&guard_lock);
    guard_innermost = guard->outer;
}

lsd_status lsd_gsl_guard_status(const lsd_gsl_guard *guard)
{
    switch (guard->gsl_errno) {
    case 0:
        return LSD_OK;
    case GSL_ENOMEM:
        return LSD_ENOMEM;
    case GSL_EDOM:
    case GSL_ERANGE:
    case GSL_EINVAL:
    case GSL_EOVRFLW:
    case GSL_EBADFUNC:
        return LSD_EDOM;
    default:
        return LSD_ENOCONV;
    }
}
