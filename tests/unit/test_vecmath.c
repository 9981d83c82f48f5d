/*
 * test_vecmath.c — tests of pricing/core/vecmath.c, the array erfc and exp
 * under the pricing kernels and expm1, log1p, sin, cos and atan2 under the
 * COS engine (glibc's libmvec SIMD variants where the build found them,
 * libm otherwise).
 *
 * Reference: libm's scalar erfc and exp. glibc documents at most 4 ulps for
 * libmvec's functions and a few for libm's; measured, the two erfc agree to
 * 6.1e-16 relative over [−6, 27.3]. The tests allow 16 ulps of the result
 * (3.6e-15 relative): a wrong lane, a lost padding value or a wrong ABI
 * would be off by O(1). Below the normal range (erfc(x) for x > 26.55) the
 * allowance is 16 ulps of DBL_MIN·DBL_EPSILON, absolute.
 *
 * Internal module: linked from the static library (hidden in the shared one).
 */
#include "vecmath.h"

#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

/* |got − want| within 16 ulps of want (absolute below DBL_MIN). */
static void assert_ulps(double got, double want, double x, const char *what)
{
    const double tol = 16.0 * DBL_EPSILON * fmax(fabs(want), DBL_MIN);
    if (!(fabs(got - want) <= tol))
        fail_msg("%s(%.17g) = %.17g, libm %.17g (tolerance %.3g)", what, x, got, want, tol);
}

/* Arrays of 37 values (nine full AVX2 vectors and a padded one). */
#define CHUNK 37

/* erfc over [−6, 27.3] in steps of 1/1024, where libm's erfc is normal or subnormal. */
static void erfc_matches_libm(void **state)
{
    (void)state;
    double x[CHUNK], y[CHUNK];
    int k = 0;
    for (double v = -6.0; v < 27.3; v += 1.0 / 1024.0) {
        x[k++] = v;
        if (k == CHUNK || v + 1.0 / 1024.0 >= 27.3) {
            lsd_vecmath_erfc(y, x, (size_t)k);
            for (int i = 0; i < k; ++i)
                assert_ulps(y[i], erfc(x[i]), x[i], "erfc");
            k = 0;
        }
    }
}

/* exp over [−745, 709.7], below which it is 0 and above which it overflows. */
static void exp_matches_libm(void **state)
{
    (void)state;
    double x[CHUNK], y[CHUNK];
    int k = 0;
    for (double v = -745.0; v < 709.7; v += 1.0 / 64.0) {
        x[k++] = v;
        if (k == CHUNK || v + 1.0 / 64.0 >= 709.7) {
            lsd_vecmath_exp(y, x, (size_t)k);
            for (int i = 0; i < k; ++i)
                assert_ulps(y[i], exp(x[i]), x[i], "exp");
            k = 0;
        }
    }
}

/* Every length from 0 to 9: each value right, nothing written past n, and
 * the output may be the input array (as black.h uses it). */
static void every_length_in_place(void **state)
{
    (void)state;
    for (size_t n = 0; n <= 9; ++n) {
        double buf[10], e[10];
        for (size_t i = 0; i < 10; ++i)
            buf[i] = e[i] = i < n ? -1.5 + 0.7 * (double)i : 42.0;
        lsd_vecmath_erfc(buf, buf, n);
        lsd_vecmath_exp(e, e, n);
        for (size_t i = 0; i < n; ++i) {
            const double v = -1.5 + 0.7 * (double)i;
            assert_ulps(buf[i], erfc(v), v, "erfc");
            assert_ulps(e[i], exp(v), v, "exp");
        }
        for (size_t i = n; i < 10; ++i) {
            assert_true(buf[i] == 42.0);
            assert_true(e[i] == 42.0);
        }
    }
}

/* NaN gives NaN and the infinities their limits, in a SIMD lane and alone. */
static void special_values(void **state)
{
    (void)state;
    for (size_t n = 1; n <= 5; n += 4) {
        double x[5] = { NAN, INFINITY, -INFINITY, 0.0, 1.0 };
        double y[5], e[5];
        for (size_t i = 0; i < 3; ++i) {
            const double v[5] = { x[i], x[i], x[i], x[i], x[i] };
            lsd_vecmath_erfc(y, v, n);
            lsd_vecmath_exp(e, v, n);
            for (size_t j = 0; j < n; ++j) {
                if (i == 0) {
                    assert_true(isnan(y[j]) && isnan(e[j]));
                } else if (i == 1) {
                    assert_true(y[j] == 0.0 && e[j] == INFINITY);
                } else {
                    assert_true(y[j] == 2.0 && e[j] == 0.0);
                }
            }
        }
    }
}

/*
 * The COS engine's functions (expm1, log1p, sin, cos; atan2 of two arrays)
 * against libm over the ranges the characteristic functions use, every
 * length from 1 to 9 (full and padded vectors) and in place.
 */
static void cos_engine_functions_match_libm(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        void (*vec)(double *, const double *, size_t);
        double (*ref)(double);
        double lo, hi;
    } unary[] = {
        { "expm1", lsd_vecmath_expm1_simd, expm1, -40.0, 40.0 },
        { "log1p", lsd_vecmath_log1p_simd, log1p, -0.999, 1e6 },
        { "sin", lsd_vecmath_sin_simd, sin, -2000.0, 2000.0 },
        { "cos", lsd_vecmath_cos_simd, cos, -2000.0, 2000.0 },
    };
    for (size_t f = 0; f < sizeof unary / sizeof unary[0]; f++)
        for (size_t n = 1; n <= 9; n++)
            for (int rep = 0; rep < 200; rep++) {
                double x[9], y[9];
                for (size_t i = 0; i < n; i++) {
                    const double frac = (double)((rep * 9 + (int)i) % 1801) / 1800.0;
                    x[i] = unary[f].lo + (unary[f].hi - unary[f].lo) * frac * frac * frac;
                    y[i] = x[i];
                }
                unary[f].vec(y, y, n);
                for (size_t i = 0; i < n; i++) {
                    const double want = unary[f].ref(x[i]);
                    /* near a zero of sin or cos, ulps of the argument's size */
                    const double tol = 16.0 * DBL_EPSILON * fmax(fabs(want), DBL_MIN) +
                                       (f >= 2 ? 4.0 * DBL_EPSILON * fabs(x[i]) * DBL_EPSILON : 0.0);
                    if (!(fabs(y[i] - want) <= tol))
                        fail_msg("%s(%.17g) = %.17g, libm %.17g", unary[f].name, x[i], y[i], want);
                }
            }
    for (size_t n = 1; n <= 9; n++)
        for (int rep = 0; rep < 200; rep++) {
            double yv[9], xv[9], z[9];
            for (size_t i = 0; i < n; i++) {
                yv[i] = sin(0.37 * (rep * 9 + (int)i)) * 1e3;
                xv[i] = cos(0.53 * (rep * 9 + (int)i)) * 1e-2;
            }
            lsd_vecmath_atan2_simd(z, yv, xv, n);
            for (size_t i = 0; i < n; i++)
                assert_ulps(z[i], atan2(yv[i], xv[i]), yv[i], "atan2");
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(erfc_matches_libm),
        cmocka_unit_test(exp_matches_libm),
        cmocka_unit_test(every_length_in_place),
        cmocka_unit_test(special_values),
        cmocka_unit_test(cos_engine_functions_match_libm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
