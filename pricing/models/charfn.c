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

#include <gsl/gsl_math.h>
#include <math.h>
#include <stddef.h>

/* e^z − 1 without cancellation for small |z|: one expm1 and one sin/cos pair. */
static double complex cexpm1(double complex z)
{
    const double s = sin(0.5 * cimag(z)), c = cos(0.5 * cimag(z)); /* cos y = 1 − 2s², sin y = 2sc */
    const double em1 = expm1(creal(z));
    return (em1 * (1.0 - 2.0 * s * s) - 2.0 * s * s) + I * ((1.0 + em1) * 2.0 * s * c);
}

/* ln(1 + z), principal branch, without cancellation for small |z|. */
static double complex clog1p(double complex z)
{
    const double x = creal(z), y = cimag(z);
    return 0.5 * log1p(x * (2.0 + x) + y * y) + I * atan2(y, 1.0 + x);
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

/* Merton family: λ(e^{μw+δ²w²/2} − 1) − wλκ and its partials in λ, μ, δ. */
static double complex merton_exponent(const lsd_jumps *j, double kappa, double complex w,
                                      double complex *d_lambda, double complex *d_mean,
                                      double complex *d_vol)
{
    const double complex em1 = cexpm1(w * (j->mean + 0.5 * j->vol * j->vol * w));
    const double complex e = 1.0 + em1;
    if (d_lambda != NULL) {
        *d_lambda = em1 - w * kappa;
        *d_mean = j->intensity * w * (e - (1.0 + kappa));
        *d_vol = j->intensity * j->vol * w * (w * e - (1.0 + kappa));
    }
    return j->intensity * (em1 - w * kappa);
}

void lsd_charfn_eval(const lsd_charfn *cf, double complex w, int derivs, lsd_charfn_value *out)
{
    const double t = cf->expiry;
    double complex psi = 0.0; /* Lévy exponent per unit time */
    double complex d_vol = 0.0, d_li = 0.0, d_lm = 0.0, d_lv = 0.0;
    if (cf->vol > 0.0) {
        psi += 0.5 * cf->vol * cf->vol * (w * w - w);
        d_vol = t * cf->vol * (w * w - w);
    }
    if (cf->jumps_on) {
        double complex a, b, c;
        psi += merton_exponent(&cf->p.jumps, cf->merton_k, w, &a, &b, &c);
        d_li = t * a;
        d_lm = t * b;
        d_lv = t * c;
    }
    if (cf->kou_on) {
        const lsd_kou *k = &cf->p.kou;
        const double complex x =
            k->p * w / (k->eta_up - w) - (1.0 - k->p) * w / (k->eta_down + w) - w * cf->kou_zeta;
        psi += k->intensity * x; /* pη₁/(η₁−w) − p = pw/(η₁−w); likewise the down side */
        d_li = t * x;
    }
    if (cf->depeg_on)
        psi += merton_exponent(&cf->p.depeg, cf->depeg_k, w, NULL, NULL, NULL);
    const double h = cf->p.default_overlay.intensity;
    if (cf->default_zero)
        psi += h * (w - 1.0);
    if (cf->default_jump)
        psi += h * (cexpm1(w * cf->ln_recovery) -
                    w * (cf->p.default_overlay.recovery - 1.0));

    double complex ln_phi = t * psi, d_t = psi;
    if (cf->heston_on) {
        const lsd_heston *hp = &cf->p.heston;
        const double s2 = hp->sigma * hp->sigma;
        const double complex q = w * w - w;
        const double complex beta = hp->kappa - hp->rho * hp->sigma * w;
        const double complex d = csqrt_principal(beta * beta - s2 * q);
        const double complex bpd = beta + d, inv_bpd = 1.0 / bpd;
        const double complex r = q * inv_bpd;      /* (β − d)/σ² */
        const double complex g = s2 * r * inv_bpd; /* (β − d)/(β + d) */
        const double complex em1 = cexpm1(-d * t); /* e − 1 */
        const double complex e = 1.0 + em1;
        const double complex one_m_ge = 1.0 - g * e, inv_omge = 1.0 / one_m_ge;
        const double complex dd = -r * em1 * inv_omge;
        const double complex lg = clog1p(-g * em1 / (1.0 - g)); /* ln((1−ge)/(1−g)) */
        const double complex cc = hp->kappa * hp->theta * (r * t - 2.0 * lg / s2);
        ln_phi += cc + hp->v0 * dd;
        if (derivs) {
            const double complex dd_t = r * d * e * (1.0 - g) * inv_omge * inv_omge;
            const double complex cc_t =
                hp->kappa * hp->theta * r * (1.0 - 2.0 * d * e * inv_bpd * inv_omge);
            d_t += cc_t + hp->v0 * dd_t;
            d_vol = 2.0 * sqrt(hp->v0) * dd + 2.0 * cc / sqrt(hp->theta);
        }
    }
    out->ln_phi = ln_phi;
    if (derivs) {
        out->d_expiry = d_t;
        out->d_vol = d_vol;
        out->d_jump_intensity = d_li;
        out->d_jump_mean = d_lm;
        out->d_jump_vol = d_lv;
    }
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
    lsd_charfn_eval(cf, theta, 0, &v);
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
