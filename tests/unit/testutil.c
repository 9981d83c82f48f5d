/*
 * testutil.c — assertions shared by the cmocka tests.
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

void lsd_test_assert_greeks_nan(const lsd_greeks *g, const char *file, int line)
{
    static const char *const names[] = { "price", "delta", "gamma", "vega", "theta", "rho",
                                         "carry_rho", "jump_intensity_sens",
                                         "jump_mean_sens", "jump_vol_sens" };
    const double v[] = { g->price, g->delta, g->gamma, g->vega, g->theta, g->rho,
                         g->carry_rho, g->jump_intensity_sens, g->jump_mean_sens,
                         g->jump_vol_sens };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        if (!isnan(v[i])) {
            print_error("%s = %.17g, want NaN after a failed call\n", names[i], v[i]);
            _fail(file, line);
        }
    }
}
