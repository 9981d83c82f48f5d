/*
 * root.c — bracket widening and Brent's method under the GSL error guard
 * (contract in root.h).
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#include "root.h"

#include "diag.h"
#include "gsl_guard.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>

static double root_call(double x, void *params)
{
    const lsd_root_fn *fn = params;
    return fn->f(x, fn->ctx);
}

/* Brent on [lo, hi], whose end values differ in sign; *x the root. */
static lsd_status brent_bracketed(const lsd_root_fn *fn, double lo, double hi, double epsabs,
                                  const char *what, double *x, lsd_diag *diag)
{
    gsl_function gf = { root_call, (void *)fn };
    lsd_gsl_guard guard;
    lsd_gsl_guard_enter(&guard);
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    lsd_status st = LSD_ENOCONV;
    if (s != NULL && gsl_root_fsolver_set(s, &gf, lo, hi) == GSL_SUCCESS) {
        for (int i = 0; i < LSD_ROOT_MAX_ITER && *fn->status == LSD_OK; i++) {
            if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
                break;
            const double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
            if (gsl_root_test_interval(a, b, epsabs, 0.0) == GSL_SUCCESS) {
                *x = gsl_root_fsolver_root(s);
                st = LSD_OK;
                break;
            }
        }
    }
    gsl_root_fsolver_free(s);
    lsd_gsl_guard_leave(&guard);
    if (*fn->status != LSD_OK)
        return *fn->status;
    if (s == NULL)
        return lsd_diag_fail(diag, LSD_ENOMEM, "%s: out of memory", what);
    if (st != LSD_OK && guard.gsl_errno != 0)
        return lsd_diag_fail(diag, LSD_ENOCONV, "%s: Brent did not converge (GSL: %s)", what,
                             guard.reason);
    if (st != LSD_OK)
        return lsd_diag_fail(diag, LSD_ENOCONV, "%s: Brent did not converge", what);
    return LSD_OK;
}

lsd_status lsd_root_brent(const lsd_root_fn *fn, double centre, double width, double epsabs,
                          const char *what, double *x, lsd_diag *diag)
{
    *x = NAN;
    double lo = centre - width, hi = centre + width, flo = NAN, fhi = NAN;
    int found = 0;
    for (int k = 0; k < LSD_ROOT_MAX_WIDENINGS && !found; k++) {
        flo = fn->f(lo, fn->ctx);
        fhi = fn->f(hi, fn->ctx);
        if (*fn->status != LSD_OK)
            return *fn->status;
        if (flo == 0.0 || fhi == 0.0) {
            *x = flo == 0.0 ? lo : hi;
            return LSD_OK;
        }
        found = (flo < 0.0) != (fhi < 0.0);
        if (!found) {
            width *= 2.0;
            lo = centre - width;
            hi = centre + width;
        }
    }
    if (!found)
        return lsd_diag_fail(diag, LSD_ENOCONV, "%s: no sign change within %g of %g", what, width,
                             centre);
    return brent_bracketed(fn, lo, hi, epsabs, what, x, diag);
}
