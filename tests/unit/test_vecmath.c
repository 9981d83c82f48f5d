/*
 * test_vecmath.c — tests of pricing/core/vecmath.c, the array erfc and exp
 * under the pricing kernels (glibc's libmvec SIMD variants where the build
 * found them, libm otherwise).
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(erfc_matches_libm),
        cmocka_unit_test(exp_matches_libm),
        cmocka_unit_test(every_length_in_place),
        cmocka_unit_test(special_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
