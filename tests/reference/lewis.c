/*
 * lewis.c — the Lewis (2001) reference of lewis.h: characteristic functions
 * from the papers, long-double adaptive Gauss–Legendre, the random cases
 * and the error tally of the COS reference tests.
 *
 * Derivation of the price (lewis.h). g(y) = min(F·e^y, K) = K·h(y − ℓ),
 * ℓ = ln(K/F) = −x, h(z) = min(e^z, 1), whose transform
 * ĥ(ξ) = ∫ e^{iξz} h(z) dz = 1/(1 + iξ) − 1/(iξ) = 1/(ξ² − iξ) exists for
 * 0 < Im ξ < 1. Inverting on Im ξ = 1/2 (ξ = −u + i/2, ξ² − iξ = u² + 1/4):
 * E[g(Y)] = K·e^{x/2}/(2π)·∫ e^{iux} φ(u − i/2)/(u² + 1/4) du, and the
 * integrand at −u is the conjugate of that at u, so
 * E[g(Y)] = √(FK)/π·I_p. Then call = e^{−rT}(F − E[g]) since
 * (F·e^Y − K)⁺ = F·e^Y − g(Y) and E[F·e^Y] = F; put = e^{−rT}(K − E[g])
 * since (K − F·e^Y)⁺ = K − g(Y), also at S_T = 0. E[e^{Y/2}] is finite for
 * every model here (Heston's moments of order in [0, 1] always are; Kou's
 * η₁ > 1), so the line Im ξ = 1/2 is inside the strip.
 * Greeks: ∂/∂F = F^{−1}∂/∂x; ∂(e^{x/2}I_p)/∂x = e^{x/2}(I_p/2 + I_p'), and
 * (1/2 + iu)/(u² + 1/4) = 1/(1/2 − iu) gives I_d; differentiating once more,
 * (iu − 1/2)/(1/2 − iu) = −1 gives I_g; ∂/∂S = e^{(r−q)T}∂/∂F.
 */
#include "lewis.h"

#include <complex.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define GL_POINTS 20
#define MAX_PANELS 200000L

typedef long double complex cld;

/* A case frozen for the integrand. */
typedef struct frozen {
    ref_case c;
    long double T, x;
} frozen;

/* λT(e^{izμ − δ²z²/2} − 1) − izλTκ: one compensated lognormal jump family. */
static cld lognormal_jumps(cld iz, cld z, long double lambda, long double mu,
                           long double delta, long double T)
{
    if (lambda == 0.0L)
        return 0.0L;
    const long double kappa = expl(mu + delta * delta / 2.0L) - 1.0L;
    return lambda * T * (cexpl(iz * mu - delta * delta * z * z / 2.0L) - 1.0L)
         - iz * lambda * T * kappa;
}

/*
 * Heston's ln φ of Y = ln(S_T/F) in the form of Cui, del Baño Rollin &
 * Germano (2017), eq. (18), with sinh/cosh ratios rewritten in e^{−dT}:
 *   ξ = κ − σρ·iz, d = √(ξ² + σ²(z² + iz)),
 *   A = v0(z² + iz)(1 − e^{−dT})/(d(1 + e^{−dT}) + ξ(1 − e^{−dT})),
 *   D = ln d + (κ − d)T/2 − ln((d + ξ)/2 + (d − ξ)/2·e^{−dT}),
 *   ln φ = −Tκθρ·iz/σ − A + 2κθ/σ²·D.
 */
static cld heston_log_cf(cld iz, cld z, const lsd_heston *h, long double T)
{
    const long double kappa = h->kappa, theta = h->theta, sigma = h->sigma, rho = h->rho;
    const cld xi = kappa - sigma * rho * iz;
    const cld d = csqrtl(xi * xi + sigma * sigma * (z * z + iz));
    const cld e = cexpl(-d * T);
    const cld A = h->v0 * (z * z + iz) * (1.0L - e) / (d * (1.0L + e) + xi * (1.0L - e));
    const cld D = clogl(d) + (kappa - d) * T / 2.0L - clogl((d + xi) / 2.0L + (d - xi) / 2.0L * e);
    return -T * kappa * theta * rho * iz / sigma - A + 2.0L * kappa * theta / (sigma * sigma) * D;
}

/* ln φ(z) of Y = ln(S_T/F) for the frozen case (survivors' part if R = 0). */
static cld log_cf(const frozen *f, cld z)
{
    const lsd_model_params *p = &f->c.params;
    const long double T = f->T;
    const cld iz = I * z;
    cld s = 0.0L;
    if (p->model == LSD_MODEL_HESTON || p->model == LSD_MODEL_BATES) {
        s += heston_log_cf(iz, z, &p->heston, T);
    } else {
        const long double v = f->c.mkt.vol;
        s += -v * v * T * (z * z + iz) / 2.0L;
    }
    if (p->model == LSD_MODEL_MERTON || p->model == LSD_MODEL_BATES)
        s += lognormal_jumps(iz, z, p->jumps.intensity, p->jumps.mean, p->jumps.vol, T);
    if (p->model == LSD_MODEL_KOU && p->kou.intensity > 0.0) {
        const long double lam = p->kou.intensity, q = p->kou.p;
        const long double e1 = p->kou.eta_up, e2 = p->kou.eta_down;
        const long double zeta = q * e1 / (e1 - 1.0L) + (1.0L - q) * e2 / (e2 + 1.0L) - 1.0L;
        s += lam * T * (q * e1 / (e1 - iz) + (1.0L - q) * e2 / (e2 + iz) - 1.0L)
           - iz * lam * T * zeta;
    }
    const long double h = p->default_overlay.intensity;
    if (h > 0.0) {
        if (p->default_overlay.recovery == 0.0)
            s += -h * T + iz * h * T;
        else
            s += lognormal_jumps(iz, z, h, logl(p->default_overlay.recovery), 0.0L, T);
    }
    s += lognormal_jumps(iz, z, p->depeg.intensity, p->depeg.mean, p->depeg.vol, T);
    return s;
}

/* The three integrands at u; returns |φ(u − i/2)|. */
static long double integrands(const frozen *f, long double u, long double v[3])
{
    const cld phi = cexpl(log_cf(f, u - 0.5L * I));
    const cld e = cexpl(I * u * f->x) * phi;
    v[0] = creall(e) / (u * u + 0.25L);
    v[1] = creall(e / (0.5L - I * u));
    v[2] = creall(e);
    return cabsl(phi);
}

/* Gauss–Legendre nodes and weights on [−1, 1] by Newton on P_n. */
typedef struct gauss_rule {
    long double node[GL_POINTS], weight[GL_POINTS];
} gauss_rule;

static gauss_rule gauss_legendre(void)
{
    gauss_rule g;
    const int n = GL_POINTS;
    for (int i = 0; i < n; i++) {
        long double t = cosl(3.14159265358979323846264338327950288L * (i + 0.75L) / (n + 0.5L));
        long double dp = 1.0L;
        for (int it = 0; it < 100; it++) {
            long double p0 = 1.0L, p1 = t;
            for (int k = 2; k <= n; k++) {
                const long double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n * (t * p1 - p0) / (t * t - 1.0L);
            const long double step = p1 / dp;
            t -= step;
            if (fabsl(step) < 1e-30L)
                break;
        }
        g.node[i] = t;
        g.weight[i] = 2.0L / ((1.0L - t * t) * dp * dp);
    }
    return g;
}

typedef struct quad {
    const frozen *f;
    gauss_rule g;
    long double tol;
    long evals, panels;
} quad;

static void panel(quad *q, long double a, long double b, long double out[3], long double *mag)
{
    const long double m = (a + b) / 2.0L, h = (b - a) / 2.0L;
    out[0] = out[1] = out[2] = 0.0L;
    *mag = 0.0L;
    for (int i = 0; i < GL_POINTS; i++) {
        long double v[3];
        integrands(q->f, m + h * q->g.node[i], v);
        for (int j = 0; j < 3; j++) {
            out[j] += h * q->g.weight[i] * v[j];
            *mag += h * q->g.weight[i] * fabsl(v[j]);
        }
    }
    q->evals += GL_POINTS;
}

/* Adaptive: keep [a, b] when its rule and its halves' agree; else recurse. */
static int adapt(quad *q, long double a, long double b, const long double whole[3],
                 long double acc[3], int depth)
{
    const long double m = (a + b) / 2.0L;
    long double left[3], right[3], ml, mr;
    panel(q, a, m, left, &ml);
    panel(q, m, b, right, &mr);
    if (++q->panels > MAX_PANELS)
        return -1;
    long double err = 0.0L;
    for (int j = 0; j < 3; j++)
        err = fmaxl(err, fabsl(left[j] + right[j] - whole[j]));
    if (err <= q->tol || err <= 64.0L * LDBL_EPSILON * (ml + mr) || depth > 60) {
        for (int j = 0; j < 3; j++)
            acc[j] += left[j] + right[j];
        return depth > 60 ? -1 : 0;
    }
    if (adapt(q, a, m, left, acc, depth + 1) != 0)
        return -1;
    return adapt(q, m, b, right, acc, depth + 1);
}

int lewis_value(const ref_case *c, long double tol, ref_value *out)
{
    frozen f = { *c, c->opt.expiry, 0.0L };
    const long double S = c->mkt.spot, K = c->opt.strike;
    const long double r = c->mkt.rate, q = c->mkt.carry, T = f.T;
    const long double F = S * expl((r - q) * T);
    f.x = logl(F / K);

    /* U: |φ(u − i/2)| below 1e-22 at U, 2U and 4U (each model's modulus
       decays monotonically for large u: Gaussian or Heston's exponential). */
    long double U = 1.0L;
    for (;;) {
        long double v[3];
        if (integrands(&f, U, v) < 1e-22L && integrands(&f, 2.0L * U, v) < 1e-22L
            && integrands(&f, 4.0L * U, v) < 1e-22L)
            break;
        U *= 2.0L;
        if (U > 1e9L) {
            printf("lewis: the characteristic function does not decay\n");
            return -1;
        }
    }
    quad qd = { &f, gauss_legendre(), tol, 0, 0 };
    long double acc[3] = { 0.0L, 0.0L, 0.0L };
    /* Start panels [0, 1/2], [1/2, 1], [1, 2], ... [U/2, U]. */
    long double a = 0.0L, b = 0.5L;
    while (a < U) {
        long double whole[3], mag;
        panel(&qd, a, b, whole, &mag);
        if (adapt(&qd, a, b, whole, acc, 0) != 0) {
            printf("lewis: quadrature did not converge on [%Lg, %Lg]\n", a, b);
            return -1;
        }
        a = b;
        b = 2.0L * b;
    }
    const long double pi = 3.14159265358979323846264338327950288L;
    const long double disc = expl(-r * T), carry = expl(-q * T);
    const long double cov = K * expl(f.x / 2.0L) / pi * acc[0]; /* E[min(F e^Y, K)] */
    const long double call_delta = carry * (1.0L - expl(-f.x / 2.0L) / pi * acc[1]);
    if (c->opt.type == LSD_CALL) {
        out->price = disc * (F - cov);
        out->delta = call_delta;
    } else {
        out->price = disc * (K - cov);
        out->delta = call_delta - carry;
    }
    out->gamma = carry * expl(-f.x / 2.0L) / (pi * S) * acc[2];
    out->evaluations = qd.evals;
    return 0;
}

static double uniform(gsl_rng *rng, double lo, double hi)
{
    return lo + (hi - lo) * gsl_rng_uniform(rng);
}

/*
 * Ranges (issue 11, section 3): S log-uniform in [1, 1e5]; r in
 * [−0.01, 0.15], q in [0, 0.1]; T log-uniform in [1/365, tmax]; BSM, Merton,
 * Kou vol in [0.1, 1.5]; Heston v0 in [0.05, 1.5], κ in [0.3, 10], θ in
 * [0.05, 1.5], σᵥ in [0.1, 3], ρ in [−0.9, 0.6]; Merton and Bates jumps λ in
 * [0, 5], μ_J in [−0.3, 0.1], δ in [0, 0.3]; Kou λ in [0, 5], p in [0, 1],
 * η₁ in [3, 50], η₂ in [2, 50]; default h in [0, 0.3], R in [0.05, 0.9]
 * when drawn; depeg λ in [0, 5], mean in [−0.3, 0.05], vol in [0, 0.2].
 */
ref_case ref_case_random(gsl_rng *rng, lsd_model model, int flags, double tmax, double zmax)
{
    ref_case c = { 0 };
    lsd_model_params *p = &c.params;
    p->model = model;
    c.mkt.spot = exp(uniform(rng, 0.0, log(1e5)));
    c.mkt.rate = uniform(rng, -0.01, 0.15);
    c.mkt.carry = uniform(rng, 0.0, 0.1);
    const double T = exp(uniform(rng, log(1.0 / 365.0), log(tmax)));
    c.opt.expiry = T;
    c.opt.type = gsl_rng_uniform(rng) < 0.5 ? LSD_CALL : LSD_PUT;
    double var = 0.0;
    if (model == LSD_MODEL_HESTON || model == LSD_MODEL_BATES) {
        lsd_heston *h = &p->heston;
        h->v0 = uniform(rng, 0.05, 1.5);
        h->kappa = uniform(rng, 0.3, 10.0);
        h->theta = uniform(rng, 0.05, 1.5);
        h->sigma = uniform(rng, 0.1, 3.0);
        h->rho = uniform(rng, -0.9, 0.6);
        const double kT = h->kappa * T;
        var += h->theta * T + (h->v0 - h->theta) * (-expm1(-kT)) / h->kappa;
    } else {
        c.mkt.vol = uniform(rng, 0.1, 1.5);
        var += c.mkt.vol * c.mkt.vol * T;
    }
    if (model == LSD_MODEL_MERTON || model == LSD_MODEL_BATES) {
        p->jumps.intensity = uniform(rng, 0.0, 5.0);
        p->jumps.mean = uniform(rng, -0.3, 0.1);
        p->jumps.vol = uniform(rng, 0.0, 0.3);
        var += p->jumps.intensity * T
             * (p->jumps.mean * p->jumps.mean + p->jumps.vol * p->jumps.vol);
    }
    if (model == LSD_MODEL_KOU) {
        lsd_kou *k = &p->kou;
        k->intensity = uniform(rng, 0.0, 5.0);
        k->p = uniform(rng, 0.0, 1.0);
        k->eta_up = uniform(rng, 3.0, 50.0);
        k->eta_down = uniform(rng, 2.0, 50.0);
        var += k->intensity * T
             * (2.0 * k->p / (k->eta_up * k->eta_up)
                + 2.0 * (1.0 - k->p) / (k->eta_down * k->eta_down));
    }
    if (flags & (REF_DEFAULT_ZERO | REF_DEFAULT_RECOVERY)) {
        p->default_overlay.intensity = uniform(rng, 0.0, 0.3);
        if (flags & REF_DEFAULT_RECOVERY) {
            p->default_overlay.recovery = uniform(rng, 0.05, 0.9);
            const double l = log(p->default_overlay.recovery);
            var += p->default_overlay.intensity * T * l * l;
        }
    }
    if (flags & REF_DEPEG) {
        p->depeg.intensity = uniform(rng, 0.0, 5.0);
        p->depeg.mean = uniform(rng, -0.3, 0.05);
        p->depeg.vol = uniform(rng, 0.0, 0.2);
        var += p->depeg.intensity * T
             * (p->depeg.mean * p->depeg.mean + p->depeg.vol * p->depeg.vol);
    }
    const double F = c.mkt.spot * exp((c.mkt.rate - c.mkt.carry) * T);
    c.opt.strike = F * exp(uniform(rng, -zmax, zmax) * sqrt(var));
    return c;
}

void ref_case_print(const ref_case *c)
{
    const lsd_model_params *p = &c->params;
    printf("%s %s S=%.17g K=%.17g T=%.17g r=%.17g q=%.17g", lsd_model_name(p->model),
           lsd_option_type_name(c->opt.type), c->mkt.spot, c->opt.strike, c->opt.expiry,
           c->mkt.rate, c->mkt.carry);
    if (c->mkt.vol != 0.0)
        printf(" vol=%.17g", c->mkt.vol);
    if (p->model == LSD_MODEL_HESTON || p->model == LSD_MODEL_BATES)
        printf(" v0=%.17g kappa=%.17g theta=%.17g sigma=%.17g rho=%.17g", p->heston.v0,
               p->heston.kappa, p->heston.theta, p->heston.sigma, p->heston.rho);
    if (p->model == LSD_MODEL_MERTON || p->model == LSD_MODEL_BATES)
        printf(" jump_intensity=%.17g jump_mean=%.17g jump_vol=%.17g", p->jumps.intensity,
               p->jumps.mean, p->jumps.vol);
    if (p->model == LSD_MODEL_KOU)
        printf(" jump_intensity=%.17g kou_p=%.17g kou_eta_up=%.17g kou_eta_down=%.17g",
               p->kou.intensity, p->kou.p, p->kou.eta_up, p->kou.eta_down);
    if (p->default_overlay.intensity != 0.0)
        printf(" default_intensity=%.17g default_recovery=%.17g",
               p->default_overlay.intensity, p->default_overlay.recovery);
    if (p->depeg.intensity != 0.0)
        printf(" depeg_intensity=%.17g depeg_mean=%.17g depeg_vol=%.17g", p->depeg.intensity,
               p->depeg.mean, p->depeg.vol);
    printf("\n");
}

ref_tally ref_tally_start(const char *family, double rtol, double atol)
{
    ref_tally t = { 0 };
    t.family = family;
    t.rtol = rtol;
    t.atol = atol;
    return t;
}

static const char *const output_names[3] = { "price", "delta", "gamma" };

int ref_tally_add(ref_tally *t, const ref_case *c, const lsd_greeks *got, const ref_value *want)
{
    const double g[3] = { got->price, got->delta, got->gamma };
    const double w[3] = { (double)want->price, (double)want->delta, (double)want->gamma };
    const double scale[3] = { c->mkt.spot, 1.0, 1.0 / c->mkt.spot };
    int bad = 0;
    t->cases++;
    for (int i = 0; i < 3; i++) {
        const double err = fabs(g[i] - w[i]);
        const double tol = fmax(t->rtol * fabs(w[i]), t->atol * scale[i]);
        const double ratio = err / tol;
        if (!(ratio <= t->worst_ratio[i])) {
            t->worst_ratio[i] = ratio;
            t->worst_rel[i] = w[i] != 0.0 ? err / fabs(w[i]) : err;
            t->worst_got[i] = g[i];
            t->worst_want[i] = w[i];
            t->worst_at[i] = *c;
        }
        if (!(ratio <= 1.0)) {
            bad++;
            printf("FAIL %s %s: lsdopt %.17g, reference %.17g (err %.3g, err/tol %.3g) at ",
                   t->family, output_names[i], g[i], w[i], err, ratio);
            ref_case_print(c);
        }
    }
    t->failures += bad;
    return bad;
}

void ref_tally_report(const ref_tally *t)
{
    printf("%s: %d cases, %d failures; worst per output (tol = max(%g |ref|, %g scale)):\n",
           t->family, t->cases, t->failures, t->rtol, t->atol);
    for (int i = 0; i < 3; i++) {
        printf("  %-6s err/tol %.3g  rel %.3g  (lsdopt %.17g, ref %.17g) at ", output_names[i],
               t->worst_ratio[i], t->worst_rel[i], t->worst_got[i], t->worst_want[i]);
        ref_case_print(&t->worst_at[i]);
    }
}

double ref_scale(void)
{
    const char *s = getenv("LSDOPT_REFERENCE_SCALE");
    if (s == NULL || *s == '\0')
        return 1.0;
    const double v = strtod(s, NULL);
    return v > 0.0 && v <= 1.0 ? v : 1.0;
}
