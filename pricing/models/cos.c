/*
 * cos.c — the COS engine (cos.h): the range of Y = ln(S_T/F) from a
 * Chernoff bound, the number of terms from the characteristic function's
 * decay, one set of coefficients per expiry, and the put's cosine series
 * per strike (calls by parity); strikes beyond 16 forwards from a second
 * plan under the share measure (below). Prices are floored at 0: a value
 * within tol of a nonnegative price is never reported below it.
 *
 * Range. For any θ > 0, P(Y > b) ≤ M(θ)e^{−θb} (Chernoff), so
 * b = min_θ (ln M(θ) + L)/θ bounds the right tail by e^{−L}; likewise
 * a = −min_θ (ln M(−θ) + L)/θ on the left, and E[e^Y; Y > b] ≤ e^{−L} with
 * M(1 + θ) in place of M(θ) (the share measure, which the limit of a put
 * struck beyond b needs; only up to ln 16, as farther strikes are priced
 * from the share measure's own plan, below). (ln M(θ) + L)/θ is
 * quasi-convex (its derivative's numerator θ·(ln M)' − ln M − L grows with
 * θ as ln M is convex), so a walk in steps of √2 from the Gaussian optimum
 * θ₀ = √(2L)/sd(Y) stops at its first rise. L = ln(1e3/tol): the
 * truncation errors below total at most ~13·K·e^{−L} for N ≤ 10⁴, so this
 * leaves a margin of ~50 on tol. The moment generating function is the
 * model's own (charfn.c), with its domain; no constant width, no cumulant
 * rule of thumb:
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
 * cos θ_k and sin θ_k come from rotations: four interleaved lanes (k ≡ j
 * mod 4), each with its own partial sums, turned by e^{4iθ₁} — independent,
 * so they overlap in the pipeline — and restarted from one cos/sin pair
 * every 128 terms (32 turns per lane), so their rounding stays below ~1e-14.
 *
 * Layer: models (pricing/models/) — depends on core only.
 */
#include "cos.h"

#include "charfn.h"
#include "diag.h"
#include "vecmath.h"

#include <gsl/gsl_math.h>
#include <math.h>
#include <stdlib.h>

enum { COS_QUIET_RUN = 8, COS_RESEED = 128, COS_LANES = 4 };

/* Strikes above COS_FAR times the forward are priced from the share measure. */
#define COS_FAR 16.0

lsd_cos_control lsd_cos_control_default(void)
{
    return (lsd_cos_control){ .tol = 1e-13, .max_terms = 1L << 18 };
}

/*
 * One expiry's coefficients: Re[φ(u_k)e^{−iu_k a}] and the same times each
 * partial of ln φ (those only when the plan is built with greeks), and the
 * payoff coefficients' constants 1/u_k and 1/(1 + u_k²).
 */
enum { PLAN_C, PLAN_T, PLAN_VOL, PLAN_LI, PLAN_LM, PLAN_LV, PLAN_INV_U, PLAN_INV_1PU2,
       PLAN_A, PLAN_B, PLAN_D, PLAN_ARRAYS };

/*
 * The price alone needs three sums per strike: with c_k the first array
 * and weights w_0 = ½, w_k = 1, A_k = c_k/u_k (A_0 = 0),
 * B_k = w_k c_k/(1 + u_k²), D_k = c_k u_k/(1 + u_k²),
 *   Σ' c_k V_k = 2/(b−a)·[K Σ A_k sin θ_k + ½c_0 K (d − a)
 *                − F e^d Σ (B_k cos θ_k + D_k sin θ_k) + F e^a Σ B_k].
 * The arrays are zero-padded to a multiple of COS_LANES terms.
 */
typedef struct cos_plan {
    double shift, sign; /* the measure and direction: X = sign·Y under E[e^{shift·Y}·] */
    double a, b;
    size_t n, cap;
    double sum_b; /* Σ B_k */
    double *arr[PLAN_ARRAYS];
} cos_plan;

static void plan_free(cos_plan *p)
{
    free(p->arr[0]);
    *p = (cos_plan){ 0 };
}

static int plan_grow(cos_plan *p)
{
    const size_t cap = p->cap ? 2 * p->cap : 128;
    double *block = realloc(p->arr[0], PLAN_ARRAYS * cap * sizeof *block);
    if (block == NULL)
        return 0;
    /* Move the trailing arrays to their new offsets, last first. */
    for (size_t j = PLAN_ARRAYS - 1; j >= 1; j--)
        for (size_t k = p->n; k-- > 0;)
            block[j * cap + k] = block[j * p->cap + k];
    for (size_t j = 0; j < PLAN_ARRAYS; j++)
        p->arr[j] = block + j * cap;
    p->cap = cap;
    return 1;
}

/*
 * min over θ > 0 of (ln M(shift + sign·θ) + big_l)/θ by the walk of the
 * header comment, from the Gaussian optimum √(2·big_l)/scale (halved until
 * the moment is finite), up while the bound falls, else down; +∞ when no θ
 * gives a finite moment.
 */
static double chernoff(const lsd_charfn *cf, double shift, double sign, double big_l)
{
    double theta = sqrt(2.0 * big_l) / lsd_charfn_scale(cf);
    double lm = lsd_charfn_log_mgf(cf, shift + sign * theta);
    for (int tries = 0; !isfinite(lm) && tries < 80; tries++) {
        theta *= 0.5;
        lm = lsd_charfn_log_mgf(cf, shift + sign * theta);
    }
    if (!isfinite(lm))
        return INFINITY;
    double best = (lm + big_l) / theta;
    for (int dir = 0; dir < 2; dir++) { /* up (×√2), then down (÷√2) if up did not help */
        const double step = dir == 0 ? M_SQRT2 : M_SQRT1_2;
        int moved = 0;
        for (double t = theta * step;; t *= step) {
            const double l = lsd_charfn_log_mgf(cf, shift + sign * t);
            if (!isfinite(l) || !((l + big_l) / t < best))
                break;
            best = (l + big_l) / t;
            moved = 1;
        }
        if (moved)
            break;
    }
    return best;
}

/*
 * Build the plan of X = sign·Y under the measure with density e^{shift·Y}
 * for strikes with ln(K/F)·sign up to far:
 * (shift, sign) = (0, 1) is Y under the pricing measure, (1, −1) is −Y
 * under the share measure Q¹ (dQ¹/dP = e^Y). X's characteristic function
 * is E[e^{wY}] at w = shift + sign·iu and its moment generating function
 * M(shift + sign·θ), so the range walks use those.
 */
static lsd_status plan_build(cos_plan *p, const lsd_charfn *cf, const lsd_cos_control *ctl,
                             int greeks, double shift, double sign, double far,
                             lsd_diag *diag)
{
    p->shift = shift;
    p->sign = sign;
    const double big_l = log(1e3 / ctl->tol);
    const double b1 = chernoff(cf, shift, sign, big_l);
    const double b2 = chernoff(cf, shift + sign, sign, big_l);
    const double a = -chernoff(cf, shift, -sign, big_l);
    /* The share-measure bound b2 matters only up to the largest strike this
     * plan prices, far = ln(K/F) in X's units: ln(COS_FAR) for Y under P,
     * none for −Y under Q¹ (its strikes lie below −ln(COS_FAR)), all of it
     * when P's plan also prices the far strikes (the fallback below). */
    const double b = fmax(b1, fmin(isfinite(b2) ? b2 : b1, far));
    if (!isfinite(a) || !isfinite(b) || !(b > a))
        return lsd_diag_fail(diag, LSD_ENOCONV,
                             "COS: cannot bound the law of ln S_T (range [%g, %g])", a, b);
    p->a = a;
    p->b = b;

    const double width = b - a, t = cf->expiry, du = M_PI / width;
    const double quiet = 0.1 * ctl->tol * fmin(1.0, width);
    int run = 0;
    for (size_t k0 = 0;; k0 += LSD_CHARFN_BLOCK) {
        enum { M = LSD_CHARFN_BLOCK };
        while (k0 + M > p->cap)
            if (!plan_grow(p))
                return lsd_diag_fail(diag, LSD_ENOMEM, "COS: out of memory for %zu terms",
                                     k0 + M);
        double complex w[M];
        double re[M], phase[M], modulus[M], cs[M], sn[M];
        lsd_charfn_value v[M];
        for (size_t i = 0; i < M; i++)
            w[i] = shift + sign * I * ((double)(k0 + i) * du);
        lsd_charfn_eval(cf, w, M, greeks, v);
        for (size_t i = 0; i < M; i++) {
            re[i] = creal(v[i].ln_phi);
            phase[i] = cimag(v[i].ln_phi) - (double)(k0 + i) * du * a;
        }
        lsd_vecmath_exp_simd(modulus, re, M);
        lsd_vecmath_cos_simd(cs, phase, M);
        lsd_vecmath_sin_simd(sn, phase, M);
        for (size_t i = 0; i < M; i++) {
            const size_t k = k0 + i;
            if (k >= (size_t)ctl->max_terms)
                return lsd_diag_fail(diag, LSD_ENOCONV,
                                     "COS: the characteristic function has not decayed to tol "
                                     "%g within max_terms %ld terms",
                                     ctl->tol, ctl->max_terms);
            const double u = (double)k * du;
            const double complex c = modulus[i] * (cs[i] + I * sn[i]);
            double **arr = p->arr;
            arr[PLAN_C][k] = creal(c);
            arr[PLAN_INV_U][k] = k == 0 ? 0.0 : 1.0 / u;
            arr[PLAN_INV_1PU2][k] = 1.0 / (1.0 + u * u);
            arr[PLAN_A][k] = creal(c) * arr[PLAN_INV_U][k];
            arr[PLAN_B][k] = (k == 0 ? 0.5 : 1.0) * creal(c) * arr[PLAN_INV_1PU2][k];
            arr[PLAN_D][k] = creal(c) * u * arr[PLAN_INV_1PU2][k];
            p->sum_b += arr[PLAN_B][k];
            double size = modulus[i];
            if (greeks) {
                arr[PLAN_T][k] = creal(c * v[i].d_expiry);
                arr[PLAN_VOL][k] = creal(c * v[i].d_vol);
                arr[PLAN_LI][k] = creal(c * v[i].d_jump_intensity);
                arr[PLAN_LM][k] = creal(c * v[i].d_jump_mean);
                arr[PLAN_LV][k] = creal(c * v[i].d_jump_vol);
                size *= fmax(1.0, t * (fabs(creal(v[i].d_expiry)) + fabs(cimag(v[i].d_expiry))));
            }
            p->n = k + 1;
            if (!isfinite(size))
                return lsd_diag_fail(diag, LSD_ENOCONV,
                                     "COS: the characteristic function is not finite at u = %g",
                                     u);
            run = size < quiet ? run + 1 : 0;
            if (run == COS_QUIET_RUN && k >= 16) {
                for (size_t pad = p->n; pad % COS_LANES != 0; pad++) /* cap: a multiple of 4 */
                    for (size_t j = 0; j < PLAN_ARRAYS; j++)
                        arr[j][pad] = 0.0;
                return LSD_OK;
            }
        }
    }
}

/* e^{ijθ₁} for j ≤ COS_LANES from one cos/sin pair (the lanes' offsets and their turn). */
static void rotations(double step, double *rot_c, double *rot_s)
{
    rot_c[0] = 1.0;
    rot_s[0] = 0.0;
    rot_c[1] = cos(step);
    rot_s[1] = sin(step);
    for (int j = 2; j <= COS_LANES; j++) {
        rot_c[j] = rot_c[j - 1] * rot_c[1] - rot_s[j - 1] * rot_s[1];
        rot_s[j] = rot_s[j - 1] * rot_c[1] + rot_c[j - 1] * rot_s[1];
    }
}

/* Lane j at term k: cos and sin of (k + j)θ₁, from one cos/sin pair of kθ₁. */
static void lanes_at(size_t k, double step, const double *rot_c, const double *rot_s,
                     double *cs, double *sn)
{
    const double c0 = cos((double)k * step), s0 = sin((double)k * step);
    for (int j = 0; j < COS_LANES; j++) {
        cs[j] = c0 * rot_c[j] - s0 * rot_s[j];
        sn[j] = s0 * rot_c[j] + c0 * rot_s[j];
    }
}

/* The put's series sums at one strike, for every output (see the header comment). */
typedef struct put_sums {
    double v, v_t, v_vol, v_li, v_lm, v_lv; /* Σ' coef·V_k */
    double chi;                             /* 2/(b−a)·Σ' c_k χ_k */
    double cos_sum;                         /* 2/(b−a)·Σ' c_k cos θ_k, 0 when y* is clamped */
} put_sums;

LSD_VECTOR_CLONES static put_sums put_series(const cos_plan *p, double strike, double fwd)
{
    const double a = p->a, b = p->b, width = b - a;
    const double y = log(strike / fwd);
    const int inside = y > a && y < b;
    const double d = inside ? y : (y <= a ? a : b);
    const double ed = exp(d), ea = exp(a), du = M_PI / width;
    const double step = du * (d - a); /* θ₁ */
    double rot_c[COS_LANES + 1], rot_s[COS_LANES + 1];
    rotations(step, rot_c, rot_s);
    const double *c = p->arr[PLAN_C], *inv_u = p->arr[PLAN_INV_U];
    const double *inv_1pu2 = p->arr[PLAN_INV_1PU2];
    /* Lane j: cos and sin of (k + j)θ₁ and its own partial sums. */
    double cs[COS_LANES] = { 0 }, sn[COS_LANES] = { 0 };
    double v[COS_LANES] = { 0 }, v_t[COS_LANES] = { 0 }, v_vol[COS_LANES] = { 0 };
    double v_li[COS_LANES] = { 0 }, v_lm[COS_LANES] = { 0 }, v_lv[COS_LANES] = { 0 };
    double chi_sum[COS_LANES] = { 0 }, cos_sum[COS_LANES] = { 0 };
    for (size_t k = 0; k < p->n; k += COS_LANES) {
        if (k % COS_RESEED == 0)
            lanes_at(k, step, rot_c, rot_s, cs, sn);
        for (size_t j = 0; j < COS_LANES; j++) {
            const size_t i = k + j;
            const double u = (double)i * du;
            const double psi = i == 0 ? d - a : sn[j] * inv_u[i];
            const double chi = (ed * (cs[j] + u * sn[j]) - ea) * inv_1pu2[i];
            const double wk = i == 0 ? 0.5 : 1.0;
            const double vk = wk * (strike * psi - fwd * chi);
            v[j] += c[i] * vk;
            v_t[j] += p->arr[PLAN_T][i] * vk;
            v_vol[j] += p->arr[PLAN_VOL][i] * vk;
            v_li[j] += p->arr[PLAN_LI][i] * vk;
            v_lm[j] += p->arr[PLAN_LM][i] * vk;
            v_lv[j] += p->arr[PLAN_LV][i] * vk;
            chi_sum[j] += wk * c[i] * chi;
            cos_sum[j] += wk * c[i] * cs[j];
        }
        for (int j = 0; j < COS_LANES; j++) {
            const double cn = cs[j] * rot_c[COS_LANES] - sn[j] * rot_s[COS_LANES];
            sn[j] = sn[j] * rot_c[COS_LANES] + cs[j] * rot_s[COS_LANES];
            cs[j] = cn;
        }
    }
    const double scale = 2.0 / width;
    put_sums s = { 0 };
    for (int j = 0; j < COS_LANES; j++) {
        s.v += v[j];
        s.v_t += v_t[j];
        s.v_vol += v_vol[j];
        s.v_li += v_li[j];
        s.v_lm += v_lm[j];
        s.v_lv += v_lv[j];
        s.chi += chi_sum[j];
        s.cos_sum += cos_sum[j];
    }
    s.v *= scale;
    s.v_t *= scale;
    s.v_vol *= scale;
    s.v_li *= scale;
    s.v_lm *= scale;
    s.v_lv *= scale;
    s.chi *= scale;
    s.cos_sum = inside ? s.cos_sum * scale : 0.0;
    return s;
}

/* Σ' c_k V_k at one strike for the price alone (the three sums of cos_plan). */
LSD_VECTOR_CLONES static double put_price_series(const cos_plan *p, double strike, double fwd)
{
    const double a = p->a, b = p->b, width = b - a;
    const double y = log(strike / fwd);
    const double d = y > a && y < b ? y : (y <= a ? a : b);
    const double step = M_PI / width * (d - a); /* θ₁ */
    double rot_c[COS_LANES + 1], rot_s[COS_LANES + 1];
    rotations(step, rot_c, rot_s);
    const double *pa = p->arr[PLAN_A], *pb = p->arr[PLAN_B], *pd = p->arr[PLAN_D];
    double cs[COS_LANES] = { 0 }, sn[COS_LANES] = { 0 };
    double sa[COS_LANES] = { 0 }, sbd[COS_LANES] = { 0 };
    for (size_t k = 0; k < p->n; k += COS_LANES) {
        if (k % COS_RESEED == 0)
            lanes_at(k, step, rot_c, rot_s, cs, sn);
        for (size_t j = 0; j < COS_LANES; j++) {
            sa[j] += pa[k + j] * sn[j];
            sbd[j] += pb[k + j] * cs[j] + pd[k + j] * sn[j];
            const double cn = cs[j] * rot_c[COS_LANES] - sn[j] * rot_s[COS_LANES];
            sn[j] = sn[j] * rot_c[COS_LANES] + cs[j] * rot_s[COS_LANES];
            cs[j] = cn;
        }
    }
    double s_a = 0.0, s_bd = 0.0;
    for (int j = 0; j < COS_LANES; j++) {
        s_a += sa[j];
        s_bd += sbd[j];
    }
    const double sum = strike * (s_a + 0.5 * p->arr[PLAN_C][0] * (d - a)) -
                       fwd * (exp(d) * s_bd - exp(a) * p->sum_b);
    return 2.0 / width * sum;
}

/*
 * The R = 0 default overlay's point mass in the put: e^{−rT}(1 − e^{−hT})·K
 * (the put pays K after default, S_T = 0); its ∂/∂T in *d_expiry if not
 * NULL. 0 without that overlay.
 */
static double default_mass(const lsd_charfn *cf, double strike, double df, double r,
                           double *d_expiry)
{
    if (d_expiry != NULL)
        *d_expiry = 0.0;
    if (!cf->default_zero)
        return 0.0;
    const double h = cf->p.default_overlay.intensity, t = cf->expiry;
    if (d_expiry != NULL)
        *d_expiry = df * strike * (h * exp(-h * t) + r * expm1(-h * t));
    return df * strike * -expm1(-h * t);
}

/*
 * Far strikes, K > COS_FAR·F, are priced from the share measure: with
 * X = −Y under Q¹ and k' = F/K,
 *   call = e^{−rT}·F·E¹[(1 − e^{X}/k')^+] = e^{−rT}·K·E¹[(k' − e^X)^+],
 * a put on X with strike k' and unit forward, whose payoff is bounded by k'
 * — so the call keeps its digits relative to S instead of losing ε·K to
 * parity (Carr & Madan 1999 use the same change of numéraire). With PS the
 * put series on that plan, PS_k' = (PS + χ)/k' and PS_k'k' = cos_sum/k' by
 * homogeneity, so ∂call/∂F = e^{−rT}(PS + χ)/k' and ∂²call/∂F² =
 * e^{−rT}·cos_sum/F. A far put is that call minus e^{−rT}(F − K).
 *
 * option_greeks: the option's outputs from the plans, the put on plan_p or,
 * for far strikes, the call on plan_q1.
 */
static void option_greeks(const cos_plan *plan_p, const cos_plan *plan_q1, const lsd_charfn *cf,
                          lsd_option_type type, double strike, const lsd_market *mkt,
                          lsd_greeks *g)
{
    const double t = cf->expiry, r = mkt->rate, q = mkt->carry, s = mkt->spot;
    const double df = exp(-r * t), dq = exp(-q * t), fwd = s * exp((r - q) * t);
    const double growth = fwd / s;
    const double parity = s * dq - strike * df; /* call − put */
    double price, dv_df, d2v_df2, dv_dt;
    put_sums ps;
    lsd_option_type priced;
    if (strike > COS_FAR * fwd && plan_q1->n > 0) {
        const double k1 = fwd / strike;
        ps = put_series(plan_q1, k1, 1.0);
        price = df * strike * ps.v;
        dv_df = df * (ps.v + ps.chi) / k1;
        d2v_df2 = df * ps.cos_sum / fwd;
        dv_dt = -r * price + df * strike * (ps.v_t + (ps.v + ps.chi) * (r - q));
        priced = LSD_CALL;
        g->vega = df * strike * ps.v_vol;
        g->jump_intensity_sens = df * strike * ps.v_li;
        g->jump_mean_sens = df * strike * ps.v_lm;
        g->jump_vol_sens = df * strike * ps.v_lv;
    } else {
        ps = put_series(plan_p, strike, fwd);
        double pm_t;
        const double pm = default_mass(cf, strike, df, r, &pm_t);
        price = df * ps.v + pm;
        dv_df = -df * ps.chi;
        d2v_df2 = df * ps.cos_sum * strike / (fwd * fwd);
        dv_dt = -r * df * ps.v + df * ps.v_t + dv_df * fwd * (r - q) + pm_t;
        priced = LSD_PUT;
        g->vega = df * ps.v_vol;
        g->jump_intensity_sens = df * ps.v_li;
        g->jump_mean_sens = df * ps.v_lm;
        g->jump_vol_sens = df * ps.v_lv;
    }
    double delta = dv_df * growth, theta = -dv_dt;
    if (type != priced) { /* parity: call = put + S e^{−qT} − K e^{−rT} */
        const double sign = type == LSD_CALL ? 1.0 : -1.0;
        price += sign * parity;
        delta += sign * dq;
        theta += sign * (q * s * dq - r * strike * df);
    }
    g->price = fmax(price, 0.0); /* within tol of a price ≥ 0: never below it */
    g->delta = delta;
    g->gamma = d2v_df2 * growth * growth;
    g->theta = theta;
    g->rho = t * (s * delta - g->price);
    g->carry_rho = -t * s * delta;
}

/* One option's price alone, from plans built without greeks. */
static double option_price(const cos_plan *plan_p, const cos_plan *plan_q1,
                           const lsd_charfn *cf, lsd_option_type type, double strike,
                           const lsd_market *mkt)
{
    const double t = cf->expiry, r = mkt->rate, q = mkt->carry, s = mkt->spot;
    const double df = exp(-r * t), fwd = s * exp((r - q) * t);
    const double parity = s * exp(-q * t) - strike * df; /* call − put */
    if (strike > COS_FAR * fwd && plan_q1->n > 0) {
        const double call = df * strike * put_price_series(plan_q1, fwd / strike, 1.0);
        return fmax(type == LSD_CALL ? call : call - parity, 0.0);
    }
    const double put =
        df * put_price_series(plan_p, strike, fwd) + default_mass(cf, strike, df, r, NULL);
    return fmax(type == LSD_PUT ? put : put + parity, 0.0);
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
        return lsd_diag_fail(diag, LSD_EDOM, "COS tol must be in [1e-15, 1e-3] (got %s)",
                             LSD_DIAG_NUMBER(ctl->tol));
    if (ctl->max_terms < 16 || ctl->max_terms > (1L << 24))
        return lsd_diag_fail(diag, LSD_EDOM, "COS max_terms must be in [16, 2^24] (got %ld)",
                             ctl->max_terms);
    return LSD_OK;
}

/*
 * The chain: validate, build one plan, then per strike either every output
 * (out) or the price alone (prices, a plan without the partials' arrays).
 * Exactly one of out and prices is non-NULL.
 */
static lsd_status chain_run(const lsd_option_type *types, const double *strikes, size_t n,
                            double expiry, const lsd_market *mkt,
                            const lsd_model_params *params, const lsd_cos_control *ctl,
                            lsd_greeks *out, double *prices, lsd_diag *diag)
{
    for (size_t i = 0; i < n; i++) {
        if (out != NULL)
            lsd_greeks_set_nan(&out[i]);
        if (prices != NULL)
            prices[i] = NAN;
    }
    if (n > 0 && (types == NULL || strikes == NULL || (out == NULL && prices == NULL)))
        return lsd_diag_fail(diag, LSD_EINVAL, "COS chain: NULL types, strikes or output");
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
    const double fwd = mkt->spot * exp((mkt->rate - mkt->carry) * expiry);
    int need_p = 0, need_q1 = 0;
    for (size_t i = 0; i < n; i++) {
        need_q1 |= strikes[i] > COS_FAR * fwd;
        need_p |= !(strikes[i] > COS_FAR * fwd);
    }
    cos_plan plan_p = { 0 }, plan_q1 = { 0 };
    const int greeks = out != NULL;
    st = LSD_OK;
    /* The share measure's law can be too heavy-tailed to bound within
     * max_terms (Heston with ρσᵥ > κ over years: moments just above 1
     * explode); its strikes then fall back to the pricing measure's plan and
     * parity, at an error of a few ε·K, inside tol's units of S + K. */
    if (need_q1) {
        lsd_diag ignored;
        if (plan_build(&plan_q1, &cf, ctl, greeks, 1.0, -1.0, -log(COS_FAR), &ignored) !=
            LSD_OK) {
            plan_free(&plan_q1);
            need_p = 1;
        }
    }
    if (need_p)
        st = plan_build(&plan_p, &cf, ctl, greeks, 0.0, 1.0,
                        need_q1 && plan_q1.n == 0 ? INFINITY : log(COS_FAR), diag);
    for (size_t i = 0; st == LSD_OK && i < n; i++) {
        int finite;
        if (greeks) {
            option_greeks(&plan_p, &plan_q1, &cf, types[i], strikes[i], mkt, &out[i]);
            finite = greeks_finite(&out[i]);
        } else {
            prices[i] = option_price(&plan_p, &plan_q1, &cf, types[i], strikes[i], mkt);
            finite = isfinite(prices[i]);
        }
        if (!finite)
            st = lsd_diag_fail(diag, LSD_EDOM,
                               "COS: option %zu (strike %s) has a non-finite output: the "
                               "inputs are outside the engine's floating-point range",
                               i, LSD_DIAG_NUMBER(strikes[i]));
    }
    plan_free(&plan_p);
    plan_free(&plan_q1);
    if (st != LSD_OK)
        for (size_t i = 0; i < n; i++) {
            if (out != NULL)
                lsd_greeks_set_nan(&out[i]);
            if (prices != NULL)
                prices[i] = NAN;
        }
    return st;
}

lsd_status lsd_cos_chain(const lsd_option_type *types, const double *strikes, size_t n,
                         double expiry, const lsd_market *mkt, const lsd_model_params *params,
                         const lsd_cos_control *ctl, lsd_greeks *out, lsd_diag *diag)
{
    if (n > 0 && out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "COS chain: NULL output");
    return chain_run(types, strikes, n, expiry, mkt, params, ctl, out, NULL, diag);
}

lsd_status lsd_cos_chain_prices(const lsd_option_type *types, const double *strikes, size_t n,
                                double expiry, const lsd_market *mkt,
                                const lsd_model_params *params, const lsd_cos_control *ctl,
                                double *prices, lsd_diag *diag)
{
    if (n > 0 && prices == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "COS chain: NULL prices");
    return chain_run(types, strikes, n, expiry, mkt, params, ctl, NULL, prices, diag);
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
