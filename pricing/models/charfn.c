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
 *                ζ = pη₁/(η₁−1) + (1−p)η₂/(η₂+1) − 1   (Kou 2002, eq. (5))
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
 * out[i] = e^{z[i]} − 1 for i < m, without cancellation for small |z|:
 * (expm1(x)(1 − 2s²) − 2s²) + i(1 + expm1(x))·2sc with s, c = sin, cos(y/2),
 * the transcendentals over the whole block at once (vecmath.h).
 */
static void cexpm1_block(const double complex *z, size_t m, double complex *out)
{
    double x[LSD_CHARFN_BLOCK] = { 0 }, hy[LSD_CHARFN_BLOCK] = { 0 };
    double em1[LSD_CHARFN_BLOCK], sn[LSD_CHARFN_BLOCK], cs[LSD_CHARFN_BLOCK];
    for (size_t i = 0; i < m; i++) {
        x[i] = creal(z[i]);
        hy[i] = 0.5 * cimag(z[i]);
    }
    lsd_vecmath_expm1_simd(em1, x, m);
    lsd_vecmath_sin_simd(sn, hy, m);
    lsd_vecmath_cos_simd(cs, hy, m);
    for (size_t i = 0; i < m; i++) {
        const double s2 = 2.0 * sn[i] * sn[i];
        out[i] = (em1[i] * (1.0 - s2) - s2) + I * ((1.0 + em1[i]) * 2.0 * sn[i] * cs[i]);
    }
}

/*
 * out[i] = ln(1 + z[i]), principal branch, for i < m, without cancellation
 * for small |z|: ½·log1p(x(2 + x) + y²) + i·atan2(y, 1 + x).
 */
static void clog1p_block(const double complex *z, size_t m, double complex *out)
{
    double mod[LSD_CHARFN_BLOCK], y[LSD_CHARFN_BLOCK], x1[LSD_CHARFN_BLOCK];
    double arg[LSD_CHARFN_BLOCK];
    for (size_t i = 0; i < m; i++) {
        const double x = creal(z[i]);
        y[i] = cimag(z[i]);
        x1[i] = 1.0 + x;
        mod[i] = x * (2.0 + x) + y[i] * y[i];
    }
    lsd_vecmath_log1p_simd(mod, mod, m);
    lsd_vecmath_atan2_simd(arg, y, x1, m);
    for (size_t i = 0; i < m; i++)
        out[i] = 0.5 * mod[i] + I * arg[i];
}

/*
 * The principal square root (Re ≥ 0) of z, for |z|² within double range
 * (here |z| ≤ ~1e12): sqrt((|z| ± x)/2) on the side without cancellation.
 */
static double complex csqrt_principal(double complex z)
{
    const double x = creal(z), y = cimag(z);
    const double r = sqrt(x * x + y * y);
    if (r == 0.0)
        return 0.0;
    if (x >= 0.0) {
        const double t = sqrt(0.5 * (r + x));
        return t + I * (0.5 * y / t);
    }
    const double t = sqrt(0.5 * (r - x));
    return 0.5 * fabs(y) / t + I * copysign(t, y);
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
    cf->kou_zeta = m == LSD_MODEL_KOU ? k->p / (k->eta_up - 1.0) - (1.0 - k->p) / (k->eta_down + 1.0)
                                      : 0.0; /* pη₁/(η₁−1) + (1−p)η₂/(η₂+1) − 1 */
    cf->ln_recovery = cf->default_jump ? log(params->default_overlay.recovery) : 0.0;
}

/*
 * Add a Merton family's exponent λ(e^{μw+δ²w²/2} − 1) − wλκ to psi[i] and,
 * if d_lambda is not NULL, set its partials in λ, μ, δ (per unit time).
 */
static void merton_block(const lsd_jumps *j, double kappa, const double complex *w, size_t m,
                         double complex *psi, double complex *d_lambda,
                         double complex *d_mean, double complex *d_vol)
{
    double complex em1[LSD_CHARFN_BLOCK] = { 0 };
    for (size_t i = 0; i < m; i++)
        em1[i] = w[i] * (j->mean + 0.5 * j->vol * j->vol * w[i]);
    cexpm1_block(em1, m, em1);
    for (size_t i = 0; i < m; i++) {
        psi[i] += j->intensity * (em1[i] - w[i] * kappa);
        if (d_lambda != NULL) {
            const double complex e = 1.0 + em1[i];
            d_lambda[i] = em1[i] - w[i] * kappa;
            d_mean[i] = j->intensity * w[i] * (e - (1.0 + kappa));
            d_vol[i] = j->intensity * j->vol * w[i] * (w[i] * e - (1.0 + kappa));
        }
    }
}

/*
 * Add Heston's C + v0·D to out[i].ln_phi and, with derivs, its ∂/∂T to
 * out[i].d_expiry and set out[i].d_vol to the parallel vol shift
 * 2√v0·D + 2C/√θ (∂C/∂θ = C/θ, ∂/∂v0 = D). Formulas in the header comment.
 */
static void heston_block(const lsd_charfn *cf, const double complex *w, size_t m, int derivs,
                         lsd_charfn_value *out)
{
    const lsd_heston *hp = &cf->p.heston;
    const double t = cf->expiry, s2 = hp->sigma * hp->sigma;
    double complex d[LSD_CHARFN_BLOCK], inv_bpd[LSD_CHARFN_BLOCK], r[LSD_CHARFN_BLOCK];
    double complex g[LSD_CHARFN_BLOCK], em1[LSD_CHARFN_BLOCK], lg[LSD_CHARFN_BLOCK];
    for (size_t i = 0; i < m; i++) {
        const double complex q = w[i] * w[i] - w[i];
        const double complex beta = hp->kappa - hp->rho * hp->sigma * w[i];
        d[i] = csqrt_principal(beta * beta - s2 * q);
        inv_bpd[i] = 1.0 / (beta + d[i]);
        r[i] = q * inv_bpd[i];              /* (β − d)/σ² */
        g[i] = s2 * r[i] * inv_bpd[i];      /* (β − d)/(β + d) */
        em1[i] = -d[i] * t;
    }
    cexpm1_block(em1, m, em1); /* e − 1, e = e^{−dT} */
    for (size_t i = 0; i < m; i++)
        lg[i] = -g[i] * em1[i] / (1.0 - g[i]);
    clog1p_block(lg, m, lg); /* ln((1 − ge)/(1 − g)) */
    for (size_t i = 0; i < m; i++) {
        const double complex e = 1.0 + em1[i];
        const double complex inv_omge = 1.0 / (1.0 - g[i] * e);
        const double complex dd = -r[i] * em1[i] * inv_omge;
        const double complex cc = hp->kappa * hp->theta * (r[i] * t - 2.0 * lg[i] / s2);
        out[i].ln_phi += cc + hp->v0 * dd;
        if (derivs) {
            const double complex dd_t = r[i] * d[i] * e * (1.0 - g[i]) * inv_omge * inv_omge;
            const double complex cc_t =
                hp->kappa * hp->theta * r[i] * (1.0 - 2.0 * d[i] * e * inv_bpd[i] * inv_omge);
            out[i].d_expiry += cc_t + hp->v0 * dd_t;
            out[i].d_vol = 2.0 * sqrt(hp->v0) * dd + 2.0 * cc / sqrt(hp->theta);
        }
    }
}

void lsd_charfn_eval(const lsd_charfn *cf, const double complex *w, size_t m, int derivs,
                     lsd_charfn_value *out)
{
    const double t = cf->expiry;
    double complex psi[LSD_CHARFN_BLOCK]; /* Lévy exponent per unit time */
    double complex d_li[LSD_CHARFN_BLOCK], d_lm[LSD_CHARFN_BLOCK], d_lv[LSD_CHARFN_BLOCK];
    for (size_t i = 0; i < m; i++) {
        psi[i] = 0.0;
        d_li[i] = d_lm[i] = d_lv[i] = 0.0;
        out[i].d_vol = 0.0;
    }
    if (cf->vol > 0.0)
        for (size_t i = 0; i < m; i++) {
            psi[i] += 0.5 * cf->vol * cf->vol * (w[i] * w[i] - w[i]);
            out[i].d_vol = t * cf->vol * (w[i] * w[i] - w[i]);
        }
    if (cf->jumps_on)
        merton_block(&cf->p.jumps, cf->merton_k, w, m, psi, d_li, d_lm, d_lv);
    if (cf->kou_on) {
        const lsd_kou *k = &cf->p.kou;
        for (size_t i = 0; i < m; i++) {
            /* pη₁/(η₁−w) − p = pw/(η₁−w); likewise the down side */
            const double complex x = k->p * w[i] / (k->eta_up - w[i]) -
                                     (1.0 - k->p) * w[i] / (k->eta_down + w[i]) -
                                     w[i] * cf->kou_zeta;
            psi[i] += k->intensity * x;
            d_li[i] = x;
        }
    }
    if (cf->depeg_on)
        merton_block(&cf->p.depeg, cf->depeg_k, w, m, psi, NULL, NULL, NULL);
    const double h = cf->p.default_overlay.intensity;
    if (cf->default_zero)
        for (size_t i = 0; i < m; i++)
            psi[i] += h * (w[i] - 1.0);
    if (cf->default_jump) {
        const lsd_jumps recovery = { h, cf->ln_recovery, 0.0 }; /* λ = h, μ = ln R, δ = 0 */
        merton_block(&recovery, cf->p.default_overlay.recovery - 1.0, w, m, psi, NULL, NULL,
                     NULL);
    }
    for (size_t i = 0; i < m; i++) {
        out[i].ln_phi = t * psi[i];
        out[i].d_expiry = psi[i];
        out[i].d_jump_intensity = t * d_li[i];
        out[i].d_jump_mean = t * d_lm[i];
        out[i].d_jump_vol = t * d_lv[i];
    }
    if (cf->heston_on)
        heston_block(cf, w, m, derivs, out);
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
    if (cf->kou_on && !(theta < 0.999 * cf->p.kou.eta_up && theta > -0.999 * cf->p.kou.eta_down))
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
               (k->p / (k->eta_up * k->eta_up) + (1.0 - k->p) / (k->eta_down * k->eta_down));
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
