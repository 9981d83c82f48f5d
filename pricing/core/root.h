/*
 * root.h — internal: the root of a monotone function of one variable, by
 * widening a bracket until the signs differ and then Brent's method (GSL
 * gsl_root_fsolver_brent: inverse quadratic interpolation safeguarded by
 * bisection; Brent, Algorithms for Minimization without Derivatives, 1973,
 * ch. 4), with GSL's calls under the library's error guard. Not installed.
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#ifndef LSD_ROOT_H
#define LSD_ROOT_H

#include "status.h"

/*
 * A function of one variable that can fail: f(x, ctx) returns the value,
 * and on failure sets *status (a status other than LSD_OK, its message
 * already in the caller's diag); the search then stops with that status.
 */
typedef struct lsd_root_fn {
    double (*f)(double x, void *ctx); /* the function */
    void *ctx;                        /* its data */
    lsd_status *status;               /* LSD_OK until f fails */
} lsd_root_fn;

/*
 * Solve fn(x) = 0, bracketing from centre ± k·width, k = 1, 2, 4, … (at
 * most LSD_ROOT_MAX_WIDENINGS times) until the signs differ, then Brent's
 * method until the bracket is below epsabs (at most LSD_ROOT_MAX_ITER
 * iterations). An end point where fn is exactly 0 is the root.
 * Returns LSD_OK and *x; fn's own status if it failed; LSD_ENOCONV (no
 * sign change, or no convergence, GSL's reason appended when it raised one)
 * or LSD_ENOMEM, with `what` leading the message in diag. *x is NaN unless
 * LSD_OK. Thread-safe if fn is.
 */
lsd_status lsd_root_brent(const lsd_root_fn *fn, double centre, double width, double epsabs,
                          const char *what, double *x, lsd_diag *diag);

/* Brent iterations before LSD_ENOCONV (each at worst halves the bracket). */
#define LSD_ROOT_MAX_ITER 400
/* Bracket doublings before LSD_ENOCONV (2^40 widths). */
#define LSD_ROOT_MAX_WIDENINGS 40

#endif /* LSD_ROOT_H */
