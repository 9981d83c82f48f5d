/*
 * vecmath.c — erfc and exp over arrays (vecmath.h): glibc's libmvec where
 * the build found it, libm's scalar functions elsewhere.
 *
 * libmvec's entry points follow the x86_64 vector function ABI (the names
 * GCC itself emits for vectorised libm calls): _ZGVdN4v_erfc takes and
 * returns four doubles in a ymm register (AVX2), _ZGVbN2v_erfc two in an
 * xmm register (SSE). Source: glibc 2.35 release notes (erfc, erf and
 * others added to libmvec) and the "Vector Function ABI" for x86_64.
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#include "vecmath.h"

#include <math.h>

#if defined(LSD_HAVE_LIBMVEC)
#include <immintrin.h>
#include <string.h>

__m256d _ZGVdN4v_erfc(__m256d x);
__m256d _ZGVdN4v_exp(__m256d x);
__m128d _ZGVbN2v_erfc(__m128d x);
__m128d _ZGVbN2v_exp(__m128d x);

/* A libmvec variant: four lanes (AVX2) or two (SSE). */
typedef __m256d (*vec4_fn)(__m256d);
typedef __m128d (*vec2_fn)(__m128d);

/* y = fn(x) over n values, four at a time; the last partial vector is
 * padded with zeros (erfc(0) and exp(0) are finite). */
__attribute__((target("avx2"))) static void apply4(vec4_fn fn, double *y, const double *x,
                                                   size_t n)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4)
        _mm256_storeu_pd(y + i, fn(_mm256_loadu_pd(x + i)));
    if (i < n) {
        double buf[4] = { 0.0 };
        memcpy(buf, x + i, (n - i) * sizeof *buf);
        _mm256_storeu_pd(buf, fn(_mm256_loadu_pd(buf)));
        memcpy(y + i, buf, (n - i) * sizeof *buf);
    }
}

/* The same two at a time. */
static void apply2(vec2_fn fn, double *y, const double *x, size_t n)
{
    size_t i = 0;
    for (; i + 2 <= n; i += 2)
        _mm_storeu_pd(y + i, fn(_mm_loadu_pd(x + i)));
    if (i < n) {
        double buf[2] = { x[i], 0.0 };
        _mm_storeu_pd(buf, fn(_mm_loadu_pd(buf)));
        y[i] = buf[0];
    }
}

void lsd_vecmath_erfc_simd(double *y, const double *x, size_t n)
{
    if (__builtin_cpu_supports("avx2"))
        apply4(_ZGVdN4v_erfc, y, x, n);
    else
        apply2(_ZGVbN2v_erfc, y, x, n);
}

void lsd_vecmath_exp_simd(double *y, const double *x, size_t n)
{
    if (__builtin_cpu_supports("avx2"))
        apply4(_ZGVdN4v_exp, y, x, n);
    else
        apply2(_ZGVbN2v_exp, y, x, n);
}

#else /* libm, one value at a time */

void lsd_vecmath_erfc_simd(double *y, const double *x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        y[i] = erfc(x[i]);
}

void lsd_vecmath_exp_simd(double *y, const double *x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        y[i] = exp(x[i]);
}

#endif
