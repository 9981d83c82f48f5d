/*
 * cos.c — the COS engine (cos.h): the range of Y = ln(S_T/F) from a
 * Chernoff bound, the number of terms from the characteristic function's
 * decay, one set of coefficients per expiry, and the put's cosine series
 * per strike (calls by parity).
 *
 * Range. For any θ > 0, P(Y > b) ≤ M(θ)e^{−θb} (Chernoff), so
 * b = min_θ (ln M(θ) + L)/θ bounds the right tail by e^{−L}; likewise
 * a = −min_θ (ln M(−θ) + L)/θ on the left, and E[e^Y; Y > b] ≤ e^{−L} with
 * M(1 + θ) in place of M(θ) (the share measure, which a deep in-the-money
 * put's limit needs). (ln M(θ) + L)/θ is quasi-convex (its derivative's
 * numerator θ·(ln M)' − ln M − L grows with θ as ln M is convex), so a
 * walk over θ = θ₀·2^{j/2} from θ₀ = 1/(2·scale) stops at its first rise.
 * L = ln(1e3/tol). The moment generating function is the model's own
 * (charfn.c), with its domain; no constant width, no cumulant rule of thumb:
 * heavy exponential tails (Kou, Heston) and one-day expiries get the range
 * their laws need. The density-coefficient error is then at most
 * e^{−L}·Σ|V_k| ≤ e^{−L}·K·(1 + 1.3 ln N).
 *
 * Terms. The put coefficients obey |V_k| ≤ 2K/(kπ) (integrate by parts:
 * the payoff vanishes at y*, the cosine's sine at a), so the series' tail is
 * at most K·Σ_{k≥N} |φ(u_k)|·2/(kπ); gamma's tail is (2/(b−a))·K/F²·Σ|φ|
 * and theta's carries |∂ ln φ/∂T|. The engine evaluates φ(u_k) for k = 0, 1,
 * … and stops after 8 consecutive terms with |φ(u_k)|·max(1, T|∂ ln φ/∂T|)
 * below 0.1·tol·min(1, b − a): every model here has a diffusion or Heston
 * factor, so |φ| decays at least exponentially and the omitted tail is of
 * the order of the first omitted term.
 *
 * Series (Fang & Oosterlee 2008, eqs. (22)–(23), (29)): with θ_k =
 * u_k(d − a), d = clamp(y*, a, b),
 *   ψ_k = sin θ_k / u_k (ψ₀ = d − a),
 *   χ_k = (e^d cos θ_k − e^a + u_k e^d sin θ_k)/(1 + u_k²),
 *   V_k = 2/(b−a)·(K ψ_k − F χ_k),
 *   ∂V_k/∂F = −2/(b−a)·χ_k,  ∂²V_k/∂F² = 2/(b−a)·K/F²·cos θ_k (d = y* only).
 * cos θ_k and sin θ_k come from the rotation by e^{iθ₁}, restarted from
 * sincos every 32 terms so that its rounding stays at a few ulps.
 *
 * Layer: models (pricing/models/) — depends on core only.
 */
#include "cos.h"

#include "charfn.h"
#include "diag.h"

#include <gsl/gsl_math.h>
#include <math.h>
#include <stdlib.h>

enum { COS_QUIET_RUN = 8, COS_RESEED = 32 };

lsd_cos_control lsd_cos_control_default(void)
{
    return (lsd_cos_control){ .tol = 1e-13, .max_terms = 65536 };
}

/* One expiry's coefficients: Re[φ(u_k)e^{−iu_k a}] and the same times each partial of ln φ. */
typedef struct cos_plan {
    double a, b;
    size_t n, cap;
    double *c, *c_t, *c_vol, *c_li, *c_lm, *c_lv;
} cos_plan;

static void plan_free(cos_plan *p)
{
    free(p->c);
    *p = (cos_plan){ 0 };
}

static int plan_grow(cos_plan *p)
{
    const size_t cap = p->cap ? 2 * p->cap : 256;
    double *block = realloc(p->c, 6 * cap * sizeof *block);
    if (block == NULL)
        return 0;
    /* Move the five trailing arrays to their new offsets, last first. */
    for (int j = 5; j >= 1; j--)
        for (size_t k = p->n; k-- > 0;)
            block[(size_t)j * cap + k] = block[(size_t)j * p->cap + k];
    p->c = block;
    p->c_t = block + cap;
    p->c_vol = block + 2 * cap;
    p->c_li = block + 3 * cap;
    p->c_lm = block + 4 * cap;
    p->c_lv = block + 5 * cap;
    p->cap = cap;
    return 1;
}

/*
 * min over θ > 0 of (ln M(shift + sign·θ) + big_l)/θ by the walk of the
 * header comment; +∞ when no θ gives a finite moment.
 */
static double chernoff(const lsd_charfn *cf, double shift, double sign, double big_l)
{
    double theta = 0.5 / lsd_charfn_scale(cf);
    int tries = 0;
    while (!isfinite(lsd_charfn_log_mgf(cf, shift + sign * theta)) && tries++ < 80)
        theta *= 0.5;
    double best = INFINITY;
    for (int j = 0; j < 200; j++, theta *= M_SQRT2) {
        const double lm = lsd_charfn_log_mgf(cf, shift + sign * theta);
        if (!isfinite(lm))
            break;
        const double bound = (lm + big_l) / theta;
        if (bound > best)
            break;
        best = bound;
    }
    return best;
}

static lsd_status plan_build(cos_plan *p, const lsd_charfn *cf, const lsd_cos_control *ctl,
                             lsd_diag *diag)
{
    const double big_l = log(1e3 / ctl->tol);
    const double b1 = chernoff(cf, 0.0, 1.0, big_l);
    const double b2 = chernoff(cf, 1.0, 1.0, big_l);
    const double a = -chernoff(cf, 0.0, -1.0, big_l);
    const double b = fmax(b1, isfinite(b2) ? b2 : b1);
    if (!isfinite(a) || !isfinite(b) || !(b > a))
        return lsd_diag_fail(diag, LSD_ENOCONV,
                             "COS: cannot bound the law of ln S_T (range [%g, %g])", a, b);
    p->a = a;
    p->b = b;

    const double width = b - a, t = cf->expiry;
    const double quiet = 0.1 * ctl->tol * fmin(1.0, width);
    int run = 0;
    for (size_t k = 0;; k++) {
        if (k >= (size_t)ctl->max_terms)
            return lsd_diag_fail(diag, LSD_ENOCONV,
                                 "COS: the characteristic function has not decayed to tol %g "
                                 "within max_terms %ld terms",
                                 ctl->tol, ctl->max_terms);
        if (k == p->cap && !plan_grow(p))
            return lsd_diag_fail(diag, LSD_ENOMEM, "COS: out of memory for %zu terms", k);
        const double u = (double)k * M_PI / width;
        lsd_charfn_value v;
        lsd_charfn_eval(cf, I * u, 1, &v);
        const double complex c = cexp(v.ln_phi - I * u * a);
        p->c[k] = creal(c);
        p->c_t[k] = creal(c * v.d_expiry);
        p->c_vol[k] = creal(c * v.d_vol);
        p->c_li[k] = creal(c * v.d_jump_intensity);
        p->c_lm[k] = creal(c * v.d_jump_mean);
        p->c_lv[k] = creal(c * v.d_jump_vol);
        p->n = k + 1;
        const double size = exp(creal(v.ln_phi)) * fmax(1.0, t * cabs(v.d_expiry));
        if (!isfinite(size))
            return lsd_diag_fail(diag, LSD_ENOCONV,
                                 "COS: the characteristic function is not finite at u = %g", u);
        run = size < quiet ? run + 1 : 0;
        if (run == COS_QUIET_RUN && k >= 16)
            return LSD_OK;
    }
}

/* The put's series sums at strike k (see the header comment). */
typedef struct put_sums {
    double v, v_t, v_vol, v_li, v_lm, v_lv; /* Σ' coef·V_k */
    double chi;                             /* Σ' c_k χ_k */
    double cos_sum;                         /* Σ' c_k cos θ_k, 0 when y* is clamped */
} put_sums;

static put_sums put_series(const cos_plan *p, double strike, double fwd)
{
    const double a = p->a, b = p->b, width = b - a;
    const double y = log(strike / fwd);
    const int inside = y > a && y < b;
    const double d = inside ? y : (y <= a ? a : b);
    const double ed = exp(d), ea = exp(a), scale = 2.0 / width;
    const double step = M_PI / width * (d - a); /* θ₁ */
    const double c1 = cos(step), s1 = sin(step);
    put_sums s = { 0 };
    double cs = 1.0, sn = 0.0;
    for (size_t k = 0; k < p->n; k++) {
        if (k % COS_RESEED == 0 && k > 0) {
            const double th = (double)k * step;
            cs = cos(th);
            sn = sin(th);
        }
        const double u = (double)k * M_PI / width;
        const double psi = k == 0 ? d - a : sn / u;
        const double chi = (ed * cs - ea + u * ed * sn) / (1.0 + u * u);
        const double wk = k == 0 ? 0.5 : 1.0;
        const double vk = wk * scale * (strike * psi - fwd * chi);
        s.v += p->c[k] * vk;
        s.v_t += p->c_t[k] * vk;
        s.v_vol += p->c_vol[k] * vk;
        s.v_li += p->c_li[k] * vk;
        s.v_lm += p->c_lm[k] * vk;
        s.v_lv += p->c_lv[k] * vk;
        s.chi += wk * p->c[k] * chi;
        s.cos_sum += wk * p->c[k] * cs;
        const double cn = cs * c1 - sn * s1;
        sn = sn * c1 + cs * s1;
        cs = cn;
    }
    s.chi *= scale;
    s.cos_sum = inside ? s.cos_sum * scale : 0.0;
    return s;
}

/* One option's outputs from the plan (default overlay's point mass added here). */
static void option_greeks(const cos_plan *p, const lsd_charfn *cf, lsd_option_type type,
                          double strike, const lsd_market *mkt, lsd_greeks *g)
{
    const double t = cf->expiry, r = mkt->rate, q = mkt->carry, s = mkt->spot;
    const double df = exp(-r * t), dq = exp(-q * t), fwd = s * exp((r - q) * t);
    const put_sums ps = put_series(p, strike, fwd);
    /* R = 0 default: the put pays K after default (S_T = 0). */
    double pm = 0.0, pm_t = 0.0;
    if (cf->default_zero) {
        const double h = cf->p.default_overlay.intensity;
        pm = df * strike * -expm1(-h * t);
        pm_t = df * strike * (h * exp(-h * t) + r * expm1(-h * t)); /* ∂/∂T */
    }
    const double put = df * ps.v + pm;
    const double dput_df = -df * ps.chi;
    const double d2put_df2 = df * ps.cos_sum * strike / (fwd * fwd);
    const double dput_dt = -r * df * ps.v + df * ps.v_t + dput_df * fwd * (r - q) + pm_t;
    const double growth = fwd / s;
    double price = put, delta = dput_df * growth, theta = -dput_dt;
    if (type == LSD_CALL) {
        price += s * dq - strike * df;
        delta += dq;
        theta += q * s * dq - r * strike * df;
    }
    g->price = price;
    g->delta = delta;
    g->gamma = d2put_df2 * growth * growth;
    g->theta = theta;
    g->rho = t * (s * delta - price);
    g->carry_rho = -t * s * delta;
    g->vega = df * ps.v_vol;
    g->jump_intensity_sens = df * ps.v_li;
    g->jump_mean_sens = df * ps.v_lm;
    g->jump_vol_sens = df * ps.v_lv;
}

static int greeks_finite(const lsd_greeks *g)
{
    return isfinite(g->price) && isfinite(g->delta) && isfinite(g->gamma) && isfinite(g->vega) &&
           isfinite(g->theta) && isfinite(g->rho) && isfinite(g->carry_rho) &&
           isfinite(g->jump_intensity_sens) && isfinite(g->jump_mean_sens) &&
           isfinite(g->jump_vol_sens);
}

static lsd_status check_control(const lsd_cos_control *ctl, lsd_diag *diag)
{
    if (!(ctl->tol >= 1e-15 && ctl->tol <= 1e-3))
        return lsd_diag_fail(diag, LSD_EDOM, "COS tol must be in [1e-15, 1e-3] (got %.17g)",
                             ctl->tol);
    if (ctl->max_terms < 16 || ctl->max_terms > (1L << 24))
        return lsd_diag_fail(diag, LSD_EDOM, "COS max_terms must be in [16, 2^24] (got %ld)",
                             ctl->max_terms);
    return LSD_OK;
}

lsd_status lsd_cos_chain(const lsd_option_type *types, const double *strikes, size_t n,
                         double expiry, const lsd_market *mkt, const lsd_model_params *params,
                         const lsd_cos_control *ctl, lsd_greeks *out, lsd_diag *diag)
{
    if (n > 0 && out != NULL)
        for (size_t i = 0; i < n; i++)
            lsd_greeks_set_nan(&out[i]);
    if (n > 0 && (types == NULL || strikes == NULL || out == NULL))
        return lsd_diag_fail(diag, LSD_EINVAL, "COS chain: NULL types, strikes or out");
    const lsd_cos_control dflt = lsd_cos_control_default();
    if (ctl == NULL)
        ctl = &dflt;
    lsd_status st = check_control(ctl, diag);
    if (st != LSD_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        const lsd_option opt = { types[i], strikes[i], expiry };
        if ((st = lsd_model_check(&opt, mkt, params, diag)) != LSD_OK) {
            if (n > 1 && diag != NULL) {
                lsd_diag inner = *diag;
                return lsd_diag_fail(diag, st, "option %zu: %s", i, inner.message);
            }
            return st;
        }
    }
    if (n == 0)
        return LSD_OK;

    lsd_charfn cf;
    lsd_charfn_init(&cf, params, mkt->vol, expiry);
    cos_plan plan = { 0 };
    st = plan_build(&plan, &cf, ctl, diag);
    for (size_t i = 0; st == LSD_OK && i < n; i++) {
        option_greeks(&plan, &cf, types[i], strikes[i], mkt, &out[i]);
        if (!greeks_finite(&out[i]))
            st = lsd_diag_fail(diag, LSD_EDOM,
                               "COS: option %zu (strike %.17g) has a non-finite output: the "
                               "inputs are outside the engine's floating-point range",
                               i, strikes[i]);
    }
    plan_free(&plan);
    if (st != LSD_OK)
        for (size_t i = 0; i < n; i++)
            lsd_greeks_set_nan(&out[i]);
    return st;
}

lsd_status lsd_cos_price(const lsd_option *opt, const lsd_market *mkt,
                         const lsd_model_params *params, const lsd_cos_control *ctl,
                         lsd_greeks *out, lsd_diag *diag)
{
    lsd_greeks_set_nan(out);
    if (opt == NULL || out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "COS: NULL option or output");
    return lsd_cos_chain(&opt->type, &opt->strike, 1, opt->expiry, mkt, params, ctl, out, diag);
}
