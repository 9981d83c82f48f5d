/*
 * merton.c — Merton (1976) jump-diffusion with a continuous carry yield.
 *
 * Dynamics (risk-neutral): dS/S = (r − q − λκ)dt + σ dW + (e^Y − 1)dN,
 * N Poisson with intensity λ, Y ~ N(μ_J, δ²), κ = E[e^Y] − 1 = e^{μ_J+δ²/2} − 1.
 * Given n jumps by T, ln S_T is normal with mean ln F_n − v_n/2 and variance
 * v_n, where
 *
 *   F_n = F·e^{−λκT}(1+κ)^n,  v_n = σ²T + nδ²,  F = S·e^{(r−q)T},
 *
 * so V = e^{−rT} Σ_n Pois(n; m)·Black(F_n, K, v_n), m = λT (Merton 1976,
 * eq. 19; Haug 2007, §6.7.1, writes the same sum with λ' = λ(1+κ) and
 * per-term rates). Since Pois(n; m)·F_n = F·Pois(n; m') with m' = m(1+κ),
 *
 *   V = S e^{−qT} Σ q_n a_n − K e^{−rT} Σ p_n c_n,
 *   p_n = Pois(n; m),  q_n = Pois(n; m'),
 *
 * with the kernel legs a_n, c_n of black.h at x_n = ln(F/K) − mκ + n·ln(1+κ),
 * s_n = √v_n. Writing the forward legs with their own Poisson weights means
 * F_n is never formed (it can overflow for large n) and gives the tail bounds
 * below directly.
 *
 * Greeks, term by term (∂x_n/∂ln S = 1, ∂s_n/∂σ = σT/s_n, ∂s_n/∂T = σ²/(2s_n),
 * ∂s_n/∂δ = nδ/s_n, ∂ln(1+κ)/∂μ_J = 1, ∂ln(1+κ)/∂δ = δ, ∂p_n/∂m = p_{n−1} − p_n,
 * and ∂Black/∂ln F_n = F_n·a_n, ∂Black/∂s_n = F_n φ(d1_n)):
 *
 *   delta = e^{−qT} Σ q_n a_n            gamma = e^{−qT} Σ q_n φ_n/s_n / S
 *   vega  = S e^{−qT} σT Σ q_n φ_n/s_n    rho = K T e^{−rT} Σ p_n c_n
 *   carry_rho = −S T e^{−qT} Σ q_n a_n
 *   ∂V/∂μ_J = S e^{−qT} Σ (n − m') q_n a_n
 *   ∂V/∂δ   = δ·S e^{−qT} Σ [(n − m') q_n a_n + n q_n φ_n/s_n]
 *   ∂V/∂λ   = (1/λ)[S e^{−qT} Σ (n − m') q_n a_n − K e^{−rT} Σ (n − m) p_n c_n]
 *   theta   = q·S e^{−qT} Σ q_n a_n − r·K e^{−rT} Σ p_n c_n
 *             − σ²/2·S e^{−qT} Σ q_n φ_n/s_n − (λ/T)·∂V/∂λ
 *
 * (the λ derivative uses (p_{n−1} − p_n)·T = p_n (n − m)/λ; theta's jump
 * part collects ∂p_n/∂T and the −λκ drift of F_n). At λ = 0 only ∂V/∂λ
 * survives among the jump terms: T[S e^{−qT}(1+κ)(a_1 − a_0) − K e^{−rT}(c_1 − c_0)].
 *
 * Summation. The weights start at n0 = ⌊min(m, m')⌋, both computed in log
 * space through the regulated gamma function Γ*(n) = Γ(n)/(√(2π) n^{n−½} e^{−n})
 * (GSL gsl_sf_gammastar):
 *
 *   Pois(n; μ) = exp(−[n ln(n/μ) + μ − n]) / (Γ*(n)·√(2πn)),
 *
 * whose exponent is small near the mode, so no large cancelling logarithms
 * (the loss QuantLib shows at λT ≈ 200). From n0 the sum extends downward
 * and upward, one term at a time on the side whose remaining mass is larger,
 * with weights by the recurrences p_{n±1} = p_n·(m/(n+1))^{±1}, recomputed
 * directly whenever a recurrence underflows. It stops when a proven bound on
 * every output's remaining tail meets the tolerance of lsd_merton_control:
 * |a_n|, |c_n| ≤ 1, 0 ≤ φ_n/s_n ≤ 1/(√(2π)·s_min), the call term p_n·Black
 * lies in [0, F q_n] and the put term in [0, K p_n]; and Poisson tails are
 * bounded geometrically (Σ_{n>N} w_n ≤ w_{N+1}/(1 − μ/(N+2)) for N+2 > μ,
 * Σ_{n<L} w_n ≤ w_{L−1}/(1 − (L−1)/μ) for L−1 < μ), with Σ_{n>N} n w_n =
 * μ Σ_{n≥N} w_n. No term's size is used to stop, so a vanishing no-jump term
 * (deep out of the money, short-dated, jump-dominated) cannot end the sum
 * early — QuantLib 1.29's JumpDiffusionEngine failure.
 *
 * Accuracy: the weights carry ≲ k ulps after k recurrence steps and each
 * kernel term a few ulps, so ~1e-14 relative at λT = 500; see tests.
 */
#include "merton.h"

#include "black.h"
#include "diag.h"

#include <float.h>
#include <limits.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <stddef.h>

lsd_merton_control lsd_merton_control_default(void)
{
    const lsd_merton_control ctl = { 1e-15, 1e-16, 100000 };
    return ctl;
}

/*
 * Pois(n; mu) for mu > 0, directly in log space (formula in the header
 * comment). The exponent n ln(n/mu) + mu − n ≥ 0 is formed with log1p near
 * the mode, where it is a small difference of large terms.
 */
static double poisson_pmf(long n, double mu)
{
    if (n == 0)
        return exp(-mu);
    const double dn = (double)n;
    const double t = (dn - mu) / mu;
    const double expo =
        fabs(t) < 0.5 ? dn * log1p(t) - (dn - mu) : dn * log(dn / mu) + (mu - dn);
    gsl_sf_result gs;
    if (gsl_sf_gammastar_e(dn, &gs) != GSL_SUCCESS)
        return 0.0; /* only for n beyond 1e300; such a weight is negligible */
    return exp(-expo) / (gs.val * sqrt(2.0 * M_PI * dn));
}

/* Next weight going up (n → n+1) or down (n → n−1), direct on underflow. */
static double poisson_up(double w, long n, double mu)
{
    const double next = w * (mu / (double)(n + 1));
    return next >= DBL_MIN ? next : poisson_pmf(n + 1, mu);
}

static double poisson_down(double w, long n, double mu)
{
    const double next = w * ((double)n / mu);
    return next >= DBL_MIN ? next : poisson_pmf(n - 1, mu);
}

/* Everything fixed for one valuation. */
typedef struct merton_setup {
    lsd_option_type type;
    double x0;       /* ln(F/K) − mκ, log-moneyness of F_0 */
    double ln1k;     /* ln(1+κ) = μ_J + δ²/2 */
    double var0;     /* σ²T */
    double jvar;     /* δ² */
    double m;        /* λT, mean of p_n */
    double mq;       /* λ(1+κ)T, mean of q_n */
} merton_setup;

/* Add term n with weights p (strike legs) and q (forward legs). */
static void add_term(const merton_setup *ms, long n, double p, double q,
                     lsd_black_sums *sums)
{
    const double dn = (double)n;
    const double s = sqrt(ms->var0 + dn * ms->jvar);
    const lsd_black_term t = lsd_black_kernel(ms->type, ms->x0 + dn * ms->ln1k, s);
    const double qa = q * t.a;
    const double pc = p * t.c;
    const double qphi = q * t.phi_per_s;
    sums->qa += qa;
    sums->pc += pc;
    sums->qphi += qphi;
    sums->uqa += (dn - ms->mq) * qa;
    sums->upc += (dn - ms->m) * pc;
    sums->nqphi += dn * qphi;
}

/*
 * Bounds on what the not-yet-summed terms can add to the sums (all ≥ 0):
 * tq ≥ Σ q_n, tp ≥ Σ p_n, uq ≥ Σ |n − m'| q_n, up ≥ Σ |n − m| p_n,
 * gq ≥ Σ q_n φ_n/s_n, gnq ≥ Σ n q_n φ_n/s_n over the remaining n.
 */
typedef struct tail_bound {
    double tq, tp, uq, up, gq, gnq;
} tail_bound;

/* Does every output's tail bound meet max(rtol·|partial|, atol·scale)? */
static int tail_small(const lsd_black_frame *f, lsd_option_type type, const tail_bound *b,
                      const lsd_greeks *g, const lsd_merton_control *ctl)
{
    const double sd = f->spot * f->df_carry;
    const double kd = f->strike * f->df_rate;
    const double jump = sd * b->uq + kd * b->up;
    const double bound[10] = {
        type == LSD_CALL ? sd * b->tq : kd * b->tp,                        /* price */
        f->df_carry * b->tq,                                               /* delta */
        f->df_carry * b->gq / f->spot,                                     /* gamma */
        sd * f->vol * f->expiry * b->gq,                                   /* vega */
        fabs(f->carry) * sd * b->tq + fabs(f->rate) * kd * b->tp +
            0.5 * f->vol * f->vol * sd * b->gq + jump / f->expiry,         /* theta */
        f->expiry * kd * b->tp,                                            /* rho */
        f->expiry * sd * b->tq,                                            /* carry_rho */
        jump / f->jump_intensity,                                          /* ∂V/∂λ */
        sd * b->uq,                                                        /* ∂V/∂μ_J */
        f->jump_vol * sd * (b->uq + b->gnq),                               /* ∂V/∂δ */
    };
    const double value[10] = { g->price, g->delta, g->gamma, g->vega, g->theta,
                               g->rho, g->carry_rho, g->jump_intensity_sens,
                               g->jump_mean_sens, g->jump_vol_sens };
    const double scale[10] = { f->spot, 1.0, 1.0 / f->spot, f->spot, f->spot,
                               f->spot, f->spot, f->spot, f->spot, f->spot };
    for (int i = 0; i < 10; i++)
        if (!(bound[i] <= fmax(ctl->rtol * fabs(value[i]), ctl->atol * scale[i])))
            return 0;
    return 1;
}

/* λT = 0 (or below the smallest normal double): the n = 0 term, and ∂V/∂λ's limit. */
static void price_without_jumps(const merton_setup *ms, const lsd_black_frame *f,
                                lsd_greeks *out)
{
    lsd_black_sums sums = { 0 };
    add_term(ms, 0, 1.0, 1.0, &sums);
    lsd_black_frame f0 = *f;
    f0.jump_intensity = 0.0;
    lsd_black_assemble(&f0, &sums, out);

    const double s1 = sqrt(ms->var0 + ms->jvar);
    const lsd_black_term t1 = lsd_black_kernel(ms->type, ms->x0 + ms->ln1k, s1);
    out->jump_intensity_sens =
        f->expiry * (f->spot * f->df_carry * exp(ms->ln1k) * (t1.a - sums.qa) -
                     f->strike * f->df_rate * (t1.c - sums.pc));
    out->jump_mean_sens = 0.0;
    out->jump_vol_sens = 0.0;
}

static lsd_status check_control(const lsd_merton_control *ctl, lsd_diag *diag)
{
    if (!(ctl->rtol >= 0.0) || !isfinite(ctl->rtol))
        return lsd_fail(diag, LSD_EDOM, "series rtol must be finite and >= 0 (got %.17g)",
                        ctl->rtol);
    if (!(ctl->atol >= 0.0) || !isfinite(ctl->atol))
        return lsd_fail(diag, LSD_EDOM, "series atol must be finite and >= 0 (got %.17g)",
                        ctl->atol);
    if (ctl->max_terms < 1)
        return lsd_fail(diag, LSD_EDOM, "series max_terms must be >= 1 (got %ld)",
                        ctl->max_terms);
    return LSD_OK;
}

lsd_status lsd_merton_price(const lsd_option *opt, const lsd_market *mkt,
                            const lsd_jumps *jumps, const lsd_merton_control *ctl,
                            lsd_greeks *out, lsd_diag *diag)
{
    if (out == NULL)
        return lsd_fail(diag, LSD_EINVAL, "NULL output");
    lsd_greeks_set_nan(out);
    if (jumps == NULL)
        return lsd_fail(diag, LSD_EINVAL, "NULL jump parameters");
    lsd_status st = lsd_inputs_check(opt, mkt, jumps, diag);
    if (st != LSD_OK)
        return st;
    const lsd_merton_control defaults = lsd_merton_control_default();
    if (ctl == NULL)
        ctl = &defaults;
    if ((st = check_control(ctl, diag)) != LSD_OK)
        return st;

    lsd_black_frame f = lsd_black_frame_make(opt, mkt);
    f.jump_intensity = jumps->intensity;
    f.jump_vol = jumps->vol;

    const double T = opt->expiry;
    const double ln1k = jumps->mean + 0.5 * jumps->vol * jumps->vol;
    if (!isfinite(ln1k) || ln1k > 700.0)
        return lsd_fail(diag, LSD_EDOM,
                        "jump_mean + jump_vol^2/2 must be <= 700 (got %.17g): E[e^Y] overflows",
                        ln1k);
    const double kappa = expm1(ln1k);
    merton_setup ms;
    ms.type = opt->type;
    ms.m = jumps->intensity * T;
    ms.mq = ms.m * exp(ln1k);
    ms.ln1k = ln1k;
    ms.var0 = mkt->vol * mkt->vol * T;
    ms.jvar = jumps->vol * jumps->vol;
    ms.x0 = lsd_black_log_moneyness(opt, mkt) - ms.m * kappa;
    if (!isfinite(ms.mq) || !isfinite(ms.x0))
        return lsd_fail(diag, LSD_EDOM,
                        "jump_intensity·expiry·(1+κ) overflows (λ = %.17g, T = %.17g)",
                        jumps->intensity, T);

    if (ms.m < DBL_MIN) {
        price_without_jumps(&ms, &f, out);
        return LSD_OK;
    }

    const double mlow = fmin(ms.m, ms.mq);
    const double mhigh = fmax(ms.m, ms.mq);
    if (mlow > (double)(LONG_MAX / 2))
        return lsd_fail(diag, LSD_ENOCONV, "expected jump count %.17g too large to sum",
                        mhigh);
    const long n0 = (long)floor(mlow);
    const double gdown = LSD_INV_SQRT_2PI / sqrt(ms.var0); /* φ/s ≤ this for all n */

    lsd_black_sums sums = { 0 };
    /* lo, hi: lowest and highest n summed; weights there. */
    long lo = n0, hi = n0;
    double plo = poisson_pmf(n0, ms.m), qlo = poisson_pmf(n0, ms.mq);
    double phi_ = plo, qhi = qlo;
    add_term(&ms, n0, plo, qlo, &sums);

    for (long terms = 1;; terms++) {
        lsd_greeks partial;
        lsd_black_assemble(&f, &sums, &partial);

        /* Below lo: weights fall geometrically (lo ≤ m, m'). */
        tail_bound down = { 0 };
        if (lo > 0) {
            const double dl = (double)lo;
            const double pnext = plo * (dl / ms.m), qnext = qlo * (dl / ms.mq);
            down.tp = pnext / (1.0 - (dl - 1.0) / ms.m);
            down.tq = qnext / (1.0 - (dl - 1.0) / ms.mq);
            down.uq = ms.mq * down.tq;
            down.up = ms.m * down.tp;
            down.gq = gdown * down.tq;
            down.gnq = gdown * (dl - 1.0) * down.tq;
        }
        /* Above hi: geometric once hi + 2 exceeds both means. */
        tail_bound up;
        const double dh = (double)hi;
        if (dh + 2.0 > mhigh) {
            const double pnext = phi_ * (ms.m / (dh + 1.0));
            const double qnext = qhi * (ms.mq / (dh + 1.0));
            const double gup = LSD_INV_SQRT_2PI / sqrt(ms.var0 + (dh + 1.0) * ms.jvar);
            up.tp = pnext / (1.0 - ms.m / (dh + 2.0));
            up.tq = qnext / (1.0 - ms.mq / (dh + 2.0));
            up.uq = ms.mq * (qhi + up.tq);
            up.up = ms.m * (phi_ + up.tp);
            up.gq = gup * up.tq;
            up.gnq = gup * up.uq;
        } else {
            up = (tail_bound){ HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL };
        }
        const tail_bound total = { down.tq + up.tq, down.tp + up.tp, down.uq + up.uq,
                                   down.up + up.up, down.gq + up.gq, down.gnq + up.gnq };
        if (tail_small(&f, opt->type, &total, &partial, ctl)) {
            *out = partial;
            return LSD_OK;
        }
        if (terms >= ctl->max_terms)
            return lsd_fail(diag, LSD_ENOCONV,
                            "Merton series tail bound not met after %ld terms "
                            "(lambda*T = %.6g); raise max_terms",
                            terms, ms.m);

        /* Extend the side with more remaining weight. */
        if (lo > 0 && down.tq + down.tp >= up.tq + up.tp) {
            plo = poisson_down(plo, lo, ms.m);
            qlo = poisson_down(qlo, lo, ms.mq);
            lo--;
            add_term(&ms, lo, plo, qlo, &sums);
        } else {
            phi_ = poisson_up(phi_, hi, ms.m);
            qhi = poisson_up(qhi, hi, ms.mq);
            hi++;
            add_term(&ms, hi, phi_, qhi, &sums);
        }
    }
}
