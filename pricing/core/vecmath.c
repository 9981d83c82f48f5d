/*
 * vecmath.c — erfc, exp, expm1, log1p, sin, cos and atan2 over arrays
 * (vecmath.h): glibc's libmvec where the build found it, libm's scalar
 * functions elsewhere.
 *
 * libmvec's entry points follow the x86_64 vector function ABI (the names
 * GCC itself emits for vectorised libm calls): _ZGVdN4v_erfc takes and
 * returns four doubles in a ymm register (AVX2), _ZGVbN2v_erfc two in an
 * xmm register (SSE); _ZGVdN4vv_atan2 takes two. Source: glibc 2.35
 * release notes (erfc, expm1, log1p, atan2 and others added to libmvec) and
 * the "Vector Function ABI" for x86_64.
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#include "vecmath.h"

#include <math.h>

#if defined(LSD_HAVE_LIBMVEC)
#include <immintrin.h>
#include <string.h>

/* A libmvec variant: four lanes (AVX2) or two (SSE); one or two arguments. */
typedef __m256d (*vec4_fn)(__m256d);
typedef __m128d (*vec2_fn)(__m128d);
typedef __m256d (*vec4_fn2)(__m256d, __m256d);
typedef __m128d (*vec2_fn2)(__m128d, __m128d);

/* z = fn(x) or fn(y, x) over n values, four at a time; the last partial
 * vector is padded with ones (every function here is finite at 1 and at
 * (1, 1)). fn2 is used when y is not NULL. */
__attribute__((target("avx2"))) static void apply4(vec4_fn fn, vec4_fn2 fn2, double *z,
                                                   const double *y, const double *x, size_t n)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const __m256d xv = _mm256_loadu_pd(x + i);
        _mm256_storeu_pd(z + i, y ? fn2(_mm256_loadu_pd(y + i), xv) : fn(xv));
    }
    if (i < n) {
        double bx[4] = { 1.0, 1.0, 1.0, 1.0 }, by[4] = { 1.0, 1.0, 1.0, 1.0 };
        memcpy(bx, x + i, (n - i) * sizeof *bx);
        if (y)
            memcpy(by, y + i, (n - i) * sizeof *by);
        const __m256d xv = _mm256_loadu_pd(bx);
        _mm256_storeu_pd(bx, y ? fn2(_mm256_loadu_pd(by), xv) : fn(xv));
        memcpy(z + i, bx, (n - i) * sizeof *bx);
    }
}

/* The same two at a time. */
static void apply2(vec2_fn fn, vec2_fn2 fn2, double *z, const double *y, const double *x,
                   size_t n)
{
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        const __m128d xv = _mm_loadu_pd(x + i);
        _mm_storeu_pd(z + i, y ? fn2(_mm_loadu_pd(y + i), xv) : fn(xv));
    }
    if (i < n) {
        double bx[2] = { x[i], 1.0 }, by[2] = { y ? y[i] : 1.0, 1.0 };
        const __m128d xv = _mm_loadu_pd(bx);
        _mm_storeu_pd(bx, y ? fn2(_mm_loadu_pd(by), xv) : fn(xv));
        z[i] = bx[0];
    }
}

/* lsd_vecmath_<name>_simd through libmvec's _ZGVdN4v_<name> / _ZGVbN2v_<name>. */
#define LSD_VECMATH_UNARY(name)                                                   \
    __m256d _ZGVdN4v_##name(__m256d x);                                          \
    __m128d _ZGVbN2v_##name(__m128d x);                                          \
    void lsd_vecmath_##name##_simd(double *y, const double *x, size_t n)         \
    {                                                                            \
        if (__builtin_cpu_supports("avx2"))                                      \
            apply4(_ZGVdN4v_##name, NULL, y, NULL, x, n);                        \
        else                                                                     \
            apply2(_ZGVbN2v_##name, NULL, y, NULL, x, n);                        \
    }

__m256d _ZGVdN4vv_atan2(__m256d y, __m256d x);
__m128d _ZGVbN2vv_atan2(__m128d y, __m128d x);

void lsd_vecmath_atan2_simd(double *z, const double *y, const double *x, size_t n)
{
    if (__builtin_cpu_supports("avx2"))
        apply4(NULL, _ZGVdN4vv_atan2, z, y, x, n);
    else
        apply2(NULL, _ZGVbN2vv_atan2, z, y, x, n);
}

#else /* libm, one value at a time */

#define LSD_VECMATH_UNARY(name)                                                   \
    void lsd_vecmath_##name##_simd(double *y, const double *x, size_t n)         \
    {                                                                            \
        for (size_t i = 0; i < n; ++i)                                           \
            y[i] = name(x[i]);                                                   \
    }

void lsd_vecmath_atan2_simd(double *z, const double *y, const double *x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        z[i] = atan2(y[i], x[i]);
}

#endif

LSD_VECMATH_UNARY(erfc)
LSD_VECMATH_UNARY(exp)
LSD_VECMATH_UNARY(expm1)
LSD_VECMATH_UNARY(log1p)
LSD_VECMATH_UNARY(sin)
LSD_VECMATH_UNARY(cos)
