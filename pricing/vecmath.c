/*
 * vecmath.c — erfc and exp over arrays (vecmath.h): glibc's libmvec where
 * the build found it, libm's scalar functions elsewhere.
 *
 * libmvec's entry points follow the x86_64 vector function ABI (the names
 * GCC itself emits for vectorised libm calls): _ZGVdN4v_erfc takes and
 * returns four doubles in a ymm register (AVX2), _ZGVbN2v_erfc two in an
 * xmm register (SSE). Source: glibc 2.35 release notes (erfc, erf and
 * others added to libmvec) and the "Vector Function ABI" for x86_64.
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

/* y = fn(x) over n values, `lanes` at a time; the last partial vector is
 * padded with zeros (erfc(0) and exp(0) are finite). */
#define LSD_VEC_APPLY(lanes, load, store, fn)                                          \
    do {                                                                               \
        size_t i = 0;                                                                  \
        for (; i + (lanes) <= n; i += (lanes))                                         \
            store(y + i, fn(load(x + i)));                                             \
        if (i < n) {                                                                   \
            double buf[lanes] = { 0.0 };                                               \
            memcpy(buf, x + i, (n - i) * sizeof *buf);                                 \
            store(buf, fn(load(buf)));                                                 \
            memcpy(y + i, buf, (n - i) * sizeof *buf);                                 \
        }                                                                              \
    } while (0)

__attribute__((target("avx2"))) static void erfc_avx2(double *y, const double *x, size_t n)
{
    LSD_VEC_APPLY(4, _mm256_loadu_pd, _mm256_storeu_pd, _ZGVdN4v_erfc);
}

__attribute__((target("avx2"))) static void exp_avx2(double *y, const double *x, size_t n)
{
    LSD_VEC_APPLY(4, _mm256_loadu_pd, _mm256_storeu_pd, _ZGVdN4v_exp);
}

static void erfc_sse(double *y, const double *x, size_t n)
{
    LSD_VEC_APPLY(2, _mm_loadu_pd, _mm_storeu_pd, _ZGVbN2v_erfc);
}

static void exp_sse(double *y, const double *x, size_t n)
{
    LSD_VEC_APPLY(2, _mm_loadu_pd, _mm_storeu_pd, _ZGVbN2v_exp);
}

void lsd_vec_erfc_simd(double *y, const double *x, size_t n)
{
    if (__builtin_cpu_supports("avx2"))
        erfc_avx2(y, x, n);
    else
        erfc_sse(y, x, n);
}

void lsd_vec_exp_simd(double *y, const double *x, size_t n)
{
    if (__builtin_cpu_supports("avx2"))
        exp_avx2(y, x, n);
    else
        exp_sse(y, x, n);
}

#else /* libm, one value at a time */

void lsd_vec_erfc_simd(double *y, const double *x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        y[i] = erfc(x[i]);
}

void lsd_vec_exp_simd(double *y, const double *x, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        y[i] = exp(x[i]);
}

#endif
