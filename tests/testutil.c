/*
 * testutil.c — double-precision closeness assertion for cmocka tests.
 */
#include "testutil.h"

#include <math.h>

void lsd_test_assert_close(double got, double want, double rtol, double atol,
                           const char *expr, const char *file, int line)
{
    const double tol = fmax(rtol * fabs(want), atol);
    if (!(fabs(got - want) <= tol)) {
        print_error("%s = %.17g, want %.17g (|diff| %.3g > tol %.3g, rtol %.3g, atol %.3g)\n",
                    expr, got, want, fabs(got - want), tol, rtol, atol);
        _fail(file, line);
    }
}
