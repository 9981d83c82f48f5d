/*
 * testutil.c — assertions shared by the cmocka tests.
 */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

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

/* The fields of lsd_greeks, in the order of fields(). */
static const char *const greek_names[] = { "price", "delta", "gamma", "vega", "theta", "rho",
                                           "carry_rho", "jump_intensity_sens",
                                           "jump_mean_sens", "jump_vol_sens" };
enum { N_GREEKS = sizeof greek_names / sizeof greek_names[0] };

static void fields(const lsd_greeks *g, double v[N_GREEKS])
{
    const double f[N_GREEKS] = { g->price, g->delta, g->gamma, g->vega, g->theta, g->rho,
                                 g->carry_rho, g->jump_intensity_sens, g->jump_mean_sens,
                                 g->jump_vol_sens };
    for (size_t i = 0; i < N_GREEKS; i++)
        v[i] = f[i];
}

void lsd_test_assert_greeks_nan(const lsd_greeks *g, const char *file, int line)
{
    double v[N_GREEKS];
    fields(g, v);
    for (size_t i = 0; i < N_GREEKS; i++) {
        if (!isnan(v[i])) {
            print_error("%s = %.17g, want NaN after a failed call\n", greek_names[i], v[i]);
            _fail(file, line);
        }
    }
}

void lsd_test_assert_greeks_close(const lsd_greeks *got, const lsd_greeks *want, double tol,
                                  double spot, const char *file, int line)
{
    double g[N_GREEKS], w[N_GREEKS];
    fields(got, g);
    fields(want, w);
    for (size_t i = 0; i < N_GREEKS; i++) {
        const double scale = i == 1 ? 1.0 : i == 2 ? 1.0 / spot : spot;
        const double bound = tol * fmax(fabs(w[i]), scale);
        if (!(fabs(g[i] - w[i]) <= bound)) {
            print_error("%s = %.17g, want %.17g (|diff| %.3g > %.3g: tol %.3g on scale %.3g)\n",
                        greek_names[i], g[i], w[i], fabs(g[i] - w[i]), bound, tol, scale);
            _fail(file, line);
        }
    }
}

lsd_greeks lsd_test_cos_ok(const lsd_option *opt, const lsd_market *mkt,
                           const lsd_model_params *params, const lsd_cos_control *ctl,
                           const char *file, int line)
{
    lsd_greeks g;
    lsd_diag diag = { "" };
    const lsd_status st = lsd_cos_price(opt, mkt, params, ctl, &g, &diag);
    if (st != LSD_OK) {
        print_error("lsd_cos_price: %s (%s)\n", lsd_strerror(st), diag.message);
        _fail(file, line);
    }
    return g;
}

const char *lsd_test_number_text(char *buf, size_t n, double x)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, n, "%.*g", digits, x);
        if (!isfinite(x) || strtod(buf, NULL) == x)
            break;
    }
    return buf;
}
