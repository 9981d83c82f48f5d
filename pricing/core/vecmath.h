/*
 * vecmath.h — internal: erfc and exp over short arrays, the normal
 * distribution's work in the pricing kernels (black.h), and expm1, log1p,
 * sin, cos and atan2 over arrays, the characteristic functions' work in the
 * COS engine (charfn.c, cos.c). Not installed.
 *
 * Where the build has glibc's vector math library (libmvec, x86_64,
 * glibc ≥ 2.35: LSD_HAVE_LIBMVEC) the arrays go through its SIMD variants,
 * 4 lanes with AVX2 or 2 lanes without; elsewhere through libm's scalar
 * erfc and exp. Measured on x86_64 (AMD EPYC, glibc 2.36): erfc 1.9 ns per
 * value with AVX2 against 16 ns scalar, agreeing with libm's erfc to
 * 6.1e-16 relative over [−6, 27.3] (below 1e-300 it underflows alike);
 * tests/unit/test_vecmath.c checks both functions against libm.
 *
 * Arrays shorter than LSD_VEC_MIN go through scalar libm, inline
 * (lsd_vecmath_<name>, without _simd): one SIMD call's latency (~25 ns for
 * erfc) exceeds that of a few overlapping scalar calls. So a value can
 * depend on the length of the array it is computed in, never on anything
 * else: BSM and Merton at λ = 0 both evaluate one point per call, which
 * keeps them equal bit for bit.
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#ifndef LSD_VECMATH_H
#define LSD_VECMATH_H

#include <math.h>
#include <stddef.h>

/*
 * On a function whose loops vectorise: an AVX2 clone next to the baseline
 * x86-64 one, chosen once at load time (GCC's function multiversioning
 * through an ifunc); nothing elsewhere. Only on static functions (a global
 * one would put its resolver in the shared library's symbol table), and
 * only where the clones do the same IEEE operations in the same order (no
 * FMA contraction in C11 mode), so values do not depend on the CPU.
 */
#if defined(__x86_64__) && defined(__linux__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define LSD_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef LSD_VECTOR_CLONES
#define LSD_VECTOR_CLONES
#endif

/* Shortest array given to the SIMD variants. */
#define LSD_VEC_MIN 4

/* erfc, exp, expm1, log1p, sin and cos of n values, y[i] = f(x[i]), SIMD
 * where the build has it (vecmath.c); y may alias x. */
void lsd_vecmath_erfc_simd(double *y, const double *x, size_t n);
void lsd_vecmath_exp_simd(double *y, const double *x, size_t n);
void lsd_vecmath_expm1_simd(double *y, const double *x, size_t n);
void lsd_vecmath_log1p_simd(double *y, const double *x, size_t n);
void lsd_vecmath_sin_simd(double *y, const double *x, size_t n);
void lsd_vecmath_cos_simd(double *y, const double *x, size_t n);

/* z[i] = atan2(y[i], x[i]) for i < n, SIMD where the build has it; z may alias y or x. */
void lsd_vecmath_atan2_simd(double *z, const double *y, const double *x, size_t n);

/*
 * lsd_vecmath_<name>(y, x, n): y[i] = name(x[i]) for i < n (y may alias
 * x), through lsd_vecmath_<name>_simd for n ≥ LSD_VEC_MIN and libm's
 * scalar function, inline, below. Any double, NaN → NaN.
 */
#define LSD_VECMATH_SHORT(name)                                                   \
    static inline void lsd_vecmath_##name(double *y, const double *x, size_t n)  \
    {                                                                            \
        if (n >= LSD_VEC_MIN) {                                                  \
            lsd_vecmath_##name##_simd(y, x, n);                                  \
            return;                                                              \
        }                                                                        \
        for (size_t i = 0; i < n; ++i)                                           \
            y[i] = name(x[i]);                                                   \
    }
LSD_VECMATH_SHORT(erfc)
LSD_VECMATH_SHORT(exp)
LSD_VECMATH_SHORT(expm1)
LSD_VECMATH_SHORT(log1p)
LSD_VECMATH_SHORT(sin)
LSD_VECMATH_SHORT(cos)
#undef LSD_VECMATH_SHORT

/* z[i] = atan2(y[i], x[i]) for i < n likewise (z may alias y or x). */
static inline void lsd_vecmath_atan2(double *z, const double *y, const double *x, size_t n)
{
    if (n >= LSD_VEC_MIN) {
        lsd_vecmath_atan2_simd(z, y, x, n);
        return;
    }
    for (size_t i = 0; i < n; ++i)
        z[i] = atan2(y[i], x[i]);
}

#endif /* LSD_VECMATH_H */
