/*
 * charfn.c — the characteristic function of Y = ln(S_T/F) as a product of
 * compensated factors (charfn.h). With w = iu, per unit of time unless
 * noted (Lévy exponents; each vanishes at w = 0 and, except the R = 0
 * default, at w = 1, which is the compensation E[e^Y] = 1):
 *
 *   diffusion    ½σ²(w² − w)
 *   Merton       λ(e^{μw + δ²w²/2} − 1) − wλκ,   κ = e^{μ+δ²/2} − 1
 *                (Merton 1976; the depeg overlay is a second such family)
 *   Kou          λ(pη₁/(η₁ − w) + (1−p)η₂/(η₂ + w) − 1) − wλζ,
 *                ζ = pη₁/(η₁−1) + (1−p)η₂/(η₂+1) − 1   (Kou 2002, eq. (5));
 *                a side that never jumps (p = 0 up, p = 1 down) is left out
 *   default R>0  h(e^{w ln R} − 1) − wh(R − 1)   (a Merton family, δ = 0)
 *   default R=0  h(w − 1): survival e^{−hT}, drift +h (defective law)
 *
 * Heston over the whole expiry (Albrecher et al. 2007, the "little trap":
 * d with Re d ≥ 0 and g = (β−d)/(β+d), which keeps ln φ continuous in T),
 * with β = κ − ρσw, q = w² − w, d = √(β² − σ²q), e = e^{−dT}:
 *
 *   D = (β − d)/σ² · (1 − e)/(1 − ge),
 *   C = κθ/σ² · [(β − d)T − 2 ln((1 − ge)/(1 − g))],   ln φ_H = C + v0·D,
 *
 * written with β − d = σ²q/(β + d) and g = σ²q/(β + d)², so nothing is
 * divided by σ² but the logarithm, which is log1p of an O(σ²) argument:
 * small σᵥ and short T keep their digits (complex expm1 and log1p below).
 * Where Re β < 0 (ρσᵥ > κ) and q → 0 — w → 1, the share measure's contour —
 * β + d itself cancels and is taken as σ²q/(β − d); at q = 0 the factor is
 * exactly 1.
 * ∂/∂T: ∂D/∂T = q/(β+d) · d·e(1 − g)/(1 − ge)²,
 *        ∂C/∂T = κθ q/(β+d) · [1 − 2d·e/((β+d)(1 − ge))].
 *
 * Layer: models (pricing/models/) — depends on core only.
 */
#include "charfn.h"

#include "vecmath.h"

#include <gsl/gsl_math.h>
#include <math.h>
#include <stddef.h>

/*
 * The block's complex values are kept as two arrays, real and imaginary
 * parts (structure of arrays), and every loop below is straight-line code
 * over one lane: complex * and / (the textbook formulas, as the file is
 * compiled with -fcx-limited-range: CMakeLists.txt), the branch-free
 * square root below, no calls. So the compiler vectorises the loops: 4
 * lanes in the AVX2 clone of each function that carries LSD_VECTOR_CLONES
 * (GCC's function multiversioning, chosen once at load time through an
 * ifunc), 2 in the baseline x86-64 one. The clones do the same IEEE
 * operations in the same order (AVX2 without FMA, and C11 mode does not
 * contract a*b + c), so the values do not depend on the CPU or on the
 * lane a point falls in.
 */

/* Up to LSD_CHARFN_BLOCK complex values, structure of arrays. */
typedef struct cblock {
    double re[LSD_CHARFN_BLOCK], im[LSD_CHARFN_BLOCK];
} cblock;

static inline double complex cb_get(const cblock *b, size_t i)
{
    return CMPLX(b->re[i], b->im[i]);
}

static inline void cb_set(cblock *b, size_t i, double complex z)
{
    b->re[i] = creal(z);
    b->im[i] = cimag(z);
}

/*
 * z[i] ← e^{z[i]} − 1 for i < m, without cancellation for small |z|:
 * (expm1(x)(1 − 2s²) − 2s²) + i(1 + expm1(x))·2sc with s, c = sin, cos(y/2),
 * the transcendentals over the whole block at once (vecmath.h); in place.
 */
static void cexpm1_block(cblock *z, size_t m)
{
    double hy[LSD_CHARFN_BLOCK], em1[LSD_CHARFN_BLOCK], sn[LSD_CHARFN_BLOCK];
    double cs[LSD_CHARFN_BLOCK];
    for (size_t i = 0; i < m; i++)
        hy[i] = 0.5 * z->im[i];
    lsd_vecmath_expm1(em1, z->re, m);
    lsd_vecmath_sin(sn, hy, m);
    lsd_vecmath_cos(cs, hy, m);
    for (size_t i = 0; i < m; i++) {
        const double s2 = 2.0 * sn[i] * sn[i];
        z->re[i] = em1[i] * (1.0 - s2) - s2;
        z->im[i] = (1.0 + em1[i]) * 2.0 * sn[i] * cs[i];
    }
}

/*
 * z[i] ← ln(1 + z[i]), principal branch, for i < m, without cancellation
 * for small |z|: ½·log1p(x(2 + x) + y²) + i·atan2(y, 1 + x); in place.
 */
static void clog1p_block(cblock *z, size_t m)
{
    double mod[LSD_CHARFN_BLOCK], x1[LSD_CHARFN_BLOCK];
    for (size_t i = 0; i < m; i++) {
        const double x = z->re[i], y = z->im[i];
        x1[i] = 1.0 + x;
        mod[i] = x * (2.0 + x) + y * y;
    }
    lsd_vecmath_log1p(mod, mod, m);
    lsd_vecmath_atan2(z->im, z->im, x1, m);
    for (size_t i = 0; i < m; i++)
        z->re[i] = 0.5 * mod[i];
}

/*
 * The principal square root (Re ≥ 0) of z, for |z|² within double range
 * (here |z| ≤ ~1e12): with r = |z|, t = √((r + |x|)/2) and s = |y|/(2t),
 * √z = t + i·sign(y)·s for x ≥ 0 and s + i·sign(y)·t for x < 0 (each
 * side without cancellation); 0 at z = 0. Branch-free: both are formed and
 * one is selected.
 */
static inline double complex csqrt_principal(double complex z)
{
    const double x = creal(z), y = cimag(z);
    const double t = sqrt(0.5 * (sqrt(x * x + y * y) + fabs(x)));
    const double s_raw = 0.5 * fabs(y) / t; /* NaN at z = 0, not selected */
    const double s = t > 0.0 ? s_raw : 0.0;
    return CMPLX(x >= 0.0 ? t : s, copysign(x >= 0.0 ? s : t, y));
}

void lsd_charfn_init(lsd_charfn *cf, const lsd_model_params *params, double vol, double expiry)
{
    const lsd_model m = params->model;
    cf->p = *params;
    cf->expiry = expiry;
    cf->heston_on = m == LSD_MODEL_HESTON || m == LSD_MODEL_BATES;
    cf->vol = cf->heston_on ? 0.0 : vol;
    cf->jumps_on = (m == LSD_MODEL_MERTON || m == LSD_MODEL_BATES) && params->jumps.intensity > 0.0;
    cf->kou_on = m == LSD_MODEL_KOU && params->kou.intensity > 0.0;
    cf->depeg_on = params->depeg.intensity > 0.0;
    cf->default_zero = params->default_overlay.intensity > 0.0 &&
                       params->default_overlay.recovery == 0.0;
    cf->default_jump = params->default_overlay.intensity > 0.0 &&
                       params->default_overlay.recovery > 0.0;
    const lsd_jumps *j = &params->jumps, *dp = &params->depeg;
    cf->merton_k = expm1(j->mean + 0.5 * j->vol * j->vol);
    cf->depeg_k = expm1(dp->mean + 0.5 * dp->vol * dp->vol);
    const lsd_kou *k = &params->kou;
    /* A side with no jumps (p = 0: up; p = 1: down) is left out, its η unused. */
    cf->kou_up = cf->kou_on && k->p > 0.0;
    cf->kou_down = cf->kou_on && k->p < 1.0;
    cf->kou_zeta = (cf->kou_up ? k->p / (k->eta_up - 1.0) : 0.0) -
                   (cf->kou_down ? (1.0 - k->p) / (k->eta_down + 1.0) : 0.0);
    /* = pη₁/(η₁−1) + (1−p)η₂/(η₂+1) − 1 */
    cf->ln_recovery = cf->default_jump ? log(params->default_overlay.recovery) : 0.0;
}

/*
 * Add a Merton family's exponent λ(e^{μw+δ²w²/2} − 1) − wλκ to psi[i] and,
 * if d_lambda is not NULL, set its partials in λ, μ, δ (per unit time).
 */
LSD_VECTOR_CLONES static void merton_block(const lsd_jumps *j, double kappa, const cblock *w,
                                       size_t m, cblock *psi, cblock *d_lambda, cblock *d_mean,
                                       cblock *d_vol)
{
    const double mu = j->mean, hd2 = 0.5 * j->vol * j->vol, lambda = j->intensity;
    cblock em1;
    for (size_t i = 0; i < m; i++)
        cb_set(&em1, i, cb_get(w, i) * (mu + hd2 * cb_get(w, i)));
    cexpm1_block(&em1, m);
    for (size_t i = 0; i < m; i++)
        cb_set(psi, i, cb_get(psi, i) + lambda * (cb_get(&em1, i) - cb_get(w, i) * kappa));
    if (d_lambda == NULL)
        return;
    for (size_t i = 0; i < m; i++) {
        const double complex wi = cb_get(w, i), e = 1.0 + cb_get(&em1, i);
        cb_set(d_lambda, i, cb_get(&em1, i) - wi * kappa);
        cb_set(d_mean, i, lambda * wi * (e - (1.0 + kappa)));
        cb_set(d_vol, i, lambda * j->vol * wi * (wi * e - (1.0 + kappa)));
    }
}

/*
 * Add Heston's C + v0·D to ln_phi[i] and, with derivs, its ∂/∂T to
 * d_expiry[i] and set d_vol[i] to the parallel vol shift
 * 2√v0·D + 2C/√θ (∂C/∂θ = C/θ, ∂/∂v0 = D). Formulas in the header comment.
 */
/* |z|². */
static inline double cabs2(double complex z)
{
    return creal(z) * creal(z) + cimag(z) * cimag(z);
}

LSD_VECTOR_CLONES static void heston_block(const lsd_charfn *cf, const cblock *w, size_t m,
                                       int derivs, cblock *ln_phi, cblock *d_expiry,
                                       cblock *d_vol)
{
    const lsd_heston *hp = &cf->p.heston;
    const double t = cf->expiry, s2 = hp->sigma * hp->sigma, kt = hp->kappa * hp->theta;
    const double rho_s = hp->rho * hp->sigma;
    cblock d, inv_bpd, r, g, em1, lg;
    for (size_t i = 0; i < m; i++) {
        const double complex wi = cb_get(w, i);
        const double complex q = wi * wi - wi;
        const double complex beta = hp->kappa - rho_s * wi;
        const double complex di = csqrt_principal(beta * beta - s2 * q);
        /* β + d cancels where Re β < 0 (ρσᵥ > κ) and q → 0, i.e. w → 1 on
         * the share measure's contour: there (β + d)(β − d) = σ²q gives it
         * without cancellation, and at q = 0 exactly the factor is 1 (C = D
         * = 0 for every T), which 1/(β + d) := 0 yields. */
        const double complex bpd = beta + di, bmd = beta - di;
        const int cancels = cabs2(bpd) < cabs2(bmd);
        const double complex bpd_stable = cancels ? s2 * q / bmd : bpd;
        const double complex ib = bpd_stable == 0.0 ? 0.0 : 1.0 / bpd_stable;
        const double complex ri = q * ib;   /* (β − d)/σ² */
        cb_set(&d, i, di);
        cb_set(&inv_bpd, i, ib);
        cb_set(&r, i, ri);
        cb_set(&g, i, s2 * ri * ib);        /* (β − d)/(β + d) */
        cb_set(&em1, i, -di * t);
    }
    cexpm1_block(&em1, m); /* e − 1, e = e^{−dT} */
    for (size_t i = 0; i < m; i++)
        cb_set(&lg, i, -cb_get(&g, i) * cb_get(&em1, i) / (1.0 - cb_get(&g, i)));
    clog1p_block(&lg, m); /* ln((1 − ge)/(1 − g)) */
    cblock inv_omge, dd, cc; /* 1/(1 − ge), D, C */
    for (size_t i = 0; i < m; i++) {
        const double complex ri = cb_get(&r, i), em1i = cb_get(&em1, i);
        const double complex io = 1.0 / (1.0 - cb_get(&g, i) * (1.0 + em1i));
        const double complex ddi = -ri * em1i * io;
        const double complex cci = kt * (ri * t - 2.0 * cb_get(&lg, i) / s2);
        cb_set(&inv_omge, i, io);
        cb_set(&dd, i, ddi);
        cb_set(&cc, i, cci);
        cb_set(ln_phi, i, cb_get(ln_phi, i) + (cci + hp->v0 * ddi));
    }
    if (!derivs)
        return;
    const double sqrt_v0 = sqrt(hp->v0), sqrt_theta = sqrt(hp->theta);
    for (size_t i = 0; i < m; i++) {
        const double complex ri = cb_get(&r, i), gi = cb_get(&g, i), di = cb_get(&d, i);
        const double complex e = 1.0 + cb_get(&em1, i), io = cb_get(&inv_omge, i);
        const double complex dd_t = ri * di * e * (1.0 - gi) * io * io;
        const double complex cc_t = kt * ri * (1.0 - 2.0 * di * e * cb_get(&inv_bpd, i) * io);
        cb_set(d_expiry, i, cb_get(d_expiry, i) + (cc_t + hp->v0 * dd_t));
        cb_set(d_vol, i, 2.0 * sqrt_v0 * cb_get(&dd, i) + 2.0 * cb_get(&cc, i) / sqrt_theta);
    }
}

/* lsd_charfn_eval's work, static so that its clones stay local to the
 * library (GCC gives a global function's ifunc default visibility). */
LSD_VECTOR_CLONES static void eval_block(const lsd_charfn *cf, const double complex *w, size_t m,
                                     int derivs, lsd_charfn_value *out)
{
    const double t = cf->expiry;
    cblock wb, psi; /* w; Lévy exponent per unit time */
    cblock d_vol, d_li, d_lm, d_lv, ln_phi, d_expiry;
    for (size_t i = 0; i < m; i++) {
        cb_set(&wb, i, w[i]);
        psi.re[i] = psi.im[i] = d_vol.re[i] = d_vol.im[i] = 0.0;
        d_li.re[i] = d_li.im[i] = d_lm.re[i] = d_lm.im[i] = d_lv.re[i] = d_lv.im[i] = 0.0;
    }
    if (cf->vol > 0.0)
        for (size_t i = 0; i < m; i++) {
            const double complex q = cb_get(&wb, i) * cb_get(&wb, i) - cb_get(&wb, i);
            cb_set(&psi, i, cb_get(&psi, i) + 0.5 * cf->vol * cf->vol * q);
            cb_set(&d_vol, i, t * cf->vol * q);
        }
    if (cf->jumps_on)
        merton_block(&cf->p.jumps, cf->merton_k, &wb, m, &psi, &d_li, &d_lm, &d_lv);
    if (cf->kou_on) {
        const lsd_kou *k = &cf->p.kou;
        for (size_t i = 0; i < m; i++) {
            /* pη₁/(η₁−w) − p = pw/(η₁−w); likewise the down side */
            const double complex wi = cb_get(&wb, i);
            const double complex up = cf->kou_up ? k->p * wi / (k->eta_up - wi) : 0.0;
            const double complex down =
                cf->kou_down ? (1.0 - k->p) * wi / (k->eta_down + wi) : 0.0;
            const double complex x = up - down - wi * cf->kou_zeta;
            cb_set(&psi, i, cb_get(&psi, i) + k->intensity * x);
            cb_set(&d_li, i, x);
        }
    }
    if (cf->depeg_on)
        merton_block(&cf->p.depeg, cf->depeg_k, &wb, m, &psi, NULL, NULL, NULL);
    const double h = cf->p.default_overlay.intensity;
    if (cf->default_zero)
        for (size_t i = 0; i < m; i++)
            cb_set(&psi, i, cb_get(&psi, i) + h * (cb_get(&wb, i) - 1.0));
    if (cf->default_jump) {
        const lsd_jumps recovery = { h, cf->ln_recovery, 0.0 }; /* λ = h, μ = ln R, δ = 0 */
        merton_block(&recovery, cf->p.default_overlay.recovery - 1.0, &wb, m, &psi, NULL, NULL,
                     NULL);
    }
    for (size_t i = 0; i < m; i++) {
        cb_set(&ln_phi, i, t * cb_get(&psi, i));
        cb_set(&d_expiry, i, cb_get(&psi, i));
    }
    if (cf->heston_on)
        heston_block(cf, &wb, m, derivs, &ln_phi, &d_expiry, &d_vol);
    for (size_t i = 0; i < m; i++) {
        out[i].ln_phi = cb_get(&ln_phi, i);
        out[i].d_expiry = cb_get(&d_expiry, i);
        out[i].d_vol = cb_get(&d_vol, i);
        out[i].d_jump_intensity = t * cb_get(&d_li, i);
        out[i].d_jump_mean = t * cb_get(&d_lm, i);
        out[i].d_jump_vol = t * cb_get(&d_lv, i);
    }
}

void lsd_charfn_eval(const lsd_charfn *cf, const double complex *w, size_t m, int derivs,
                     lsd_charfn_value *out)
{
    eval_block(cf, w, m, derivs, out);
}

/*
 * Heston's moment explosion time T*(θ) for E[S_T^θ]: with q = θ² − θ,
 * β = κ − ρσθ, Δ = β² − σ²q, the Riccati equation D' = σ²D²/2 − βD + q/2,
 * D(0) = 0, is finite for ever when q ≤ 0 or (Δ ≥ 0, β > 0); otherwise it
 * blows up at T* = ln((−β + √Δ)/(−β − √Δ))/√Δ for Δ > 0 (β < 0) and
 * T* = 2(π/2 + atan(β/√−Δ))/√−Δ for Δ < 0 (Andersen & Piterbarg 2007,
 * Prop. 3.1, in this notation).
 */
static double heston_explosion_time(const lsd_heston *h, double theta)
{
    const double q = theta * theta - theta;
    if (q <= 0.0)
        return INFINITY;
    const double beta = h->kappa - h->rho * h->sigma * theta;
    const double delta = beta * beta - h->sigma * h->sigma * q;
    if (delta >= 0.0) {
        if (beta > 0.0)
            return INFINITY;
        const double sd = sqrt(delta);
        return log((-beta + sd) / (-beta - sd)) / sd;
    }
    const double sd = sqrt(-delta);
    return 2.0 * (0.5 * M_PI + atan(beta / sd)) / sd;
}

double lsd_charfn_log_mgf(const lsd_charfn *cf, double theta)
{
    if ((cf->kou_up && !(theta < 0.999 * cf->p.kou.eta_up)) ||
        (cf->kou_down && !(theta > -0.999 * cf->p.kou.eta_down)))
        return INFINITY;
    if (cf->heston_on && !(cf->expiry < 0.8 * heston_explosion_time(&cf->p.heston, theta)))
        return INFINITY;
    lsd_charfn_value v;
    const double complex w = theta;
    lsd_charfn_eval(cf, &w, 1, 0, &v);
    const double x = creal(v.ln_phi);
    return isfinite(x) ? x : INFINITY;
}

double lsd_charfn_scale(const lsd_charfn *cf)
{
    const double t = cf->expiry;
    double var = cf->vol * cf->vol;
    const lsd_jumps *j = &cf->p.jumps, *dp = &cf->p.depeg;
    if (cf->jumps_on)
        var += j->intensity * (j->mean * j->mean + j->vol * j->vol);
    if (cf->depeg_on)
        var += dp->intensity * (dp->mean * dp->mean + dp->vol * dp->vol);
    if (cf->kou_on) {
        const lsd_kou *k = &cf->p.kou;
        var += k->intensity * 2.0 *
               ((cf->kou_up ? k->p / (k->eta_up * k->eta_up) : 0.0) +
                (cf->kou_down ? (1.0 - k->p) / (k->eta_down * k->eta_down) : 0.0));
    }
    if (cf->default_jump)
        var += cf->p.default_overlay.intensity * cf->ln_recovery * cf->ln_recovery;
    var *= t;
    if (cf->heston_on) {
        const lsd_heston *h = &cf->p.heston;
        const double kt = h->kappa * t;
        var += h->theta * t + (h->v0 - h->theta) * (kt > 1e-8 ? -expm1(-kt) / h->kappa : t);
    }
    return var > 0.0 ? sqrt(var) : 1e-8;
}
