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
 * Summation. The weights start at n0 = ⌊min(m, m')⌋, in log space where
 * they must be (lsd_poisson_pmf, poisson.h: no large cancelling logarithms,
 * the loss QuantLib shows at λT ≈ 200). From n0 the sum extends in blocks
 * of up to LSD_BLACK_BLOCK terms, each evaluated together (black.h): the
 * first walks out from n0 on both sides, later ones extend the side whose
 * remaining mass is larger (details at the loop), with weights by the
 * recurrences p_{n±1} = p_n·(m/(n+1))^{±1}, recomputed directly whenever a
 * recurrence underflows (lsd_poisson_next). It stops when a proven bound on
 * every output's remaining tail meets the tolerance of lsd_merton_control:
 * |a_n|, |c_n| ≤ 1, 0 ≤ φ_n/s_n ≤ 1/(√(2π)·s_min), the call term p_n·Black
 * lies in [0, F q_n] and the put term in [0, K p_n]; and Poisson tails are
 * bounded geometrically (poisson.h: Σ_{n>N} w_n ≤ w_{N+1}/(1 − μ/(N+2)) for
 * N+2 > μ, Σ_{n<L} w_n ≤ w_{L−1}/(1 − (L−1)/μ) for L−1 < μ), with
 * Σ_{n>N} n w_n = μ Σ_{n≥N} w_n. No term's size is used to stop, so a
 * vanishing no-jump term (deep out of the money, short-dated,
 * jump-dominated) cannot end the sum
 * early — QuantLib 1.29's JumpDiffusionEngine failure.
 *
 * Accuracy: the weights carry ≲ k ulps after k recurrence steps and each
 * kernel term a few ulps, so ~1e-14 relative at λT = 500; see tests.
 *
 * GSL's error handler: this file reaches GSL only through lsd_poisson_pmf,
 * whose calls cannot raise for its checked arguments (poisson.h), so the
 * per-option path takes no guard (a mutex) — measured 472 ns/option with
 * tests/bench's bench_pricing after issue 10 moved the weights to
 * poisson.h and put the guard into the rest of the library, no slower
 * than before.
 *
 * Layer: models (pricing/models/) — depends on core only.
 */
#include "merton.h"

#include "black.h"
#include "diag.h"
#include "poisson.h"

#include <float.h>
#include <limits.h>
#include <stddef.h>

lsd_merton_control lsd_merton_control_default(void)
{
    const lsd_merton_control ctl = { 1e-14, 1e-15, 100000 };
    return ctl;
}

/*
 * Weights of the next term up (n → n+1) or down (n → n−1), both sequences at
 * once: Pois(n+1; μ) = Pois(n; μ)·μ/(n+1) and m' = m(1+κ), so one ratio
 * serves both (each recomputed directly if it underflows, poisson.h).
 */
static void poisson_step(double ratio, long n_next, double m, double mq, double one_k,
                         double *p, double *q)
{
    *p = lsd_poisson_next(*p, ratio, n_next, m);
    *q = lsd_poisson_next(*q, ratio * one_k, n_next, mq);
}

/* Everything fixed for one valuation. */
typedef struct merton_setup {
    lsd_option_type type;  /* call or put */
    lsd_black_frame frame; /* S, K, T, r, q, σ, λ, δ, discount factors, centring */
    double x0;             /* ln(F/K) − mκ, log-moneyness of F_0 */
    double ln1k;           /* ln(1+κ) = μ_J + δ²/2 */
    double var0;           /* σ²T */
    double jvar;           /* δ² */
    double m;              /* λT, mean of p_n */
    double mq;             /* λ(1+κ)T, mean of q_n */
    double gmax0;          /* 1/(√(2π)·s_0) ≥ φ_n/s_n for every n */
    /* Tolerance floors, atol·scale expressed on the sums (see tail_small). */
    double floor_price, floor_qa, floor_pc, floor_qphi, floor_jump, floor_u;
} merton_setup;

/*
 * Add the terms n[i], i < count ≤ LSD_BLACK_BLOCK, with weights p[i]
 * (strike legs) and q[i] (forward legs), in order.
 */
static void add_terms(const merton_setup *ms, const long *n, const double *p, const double *q,
                      int count, lsd_black_sums *sums)
{
    double x[LSD_BLACK_BLOCK], s[LSD_BLACK_BLOCK];
    lsd_black_term t[LSD_BLACK_BLOCK];
    for (int i = 0; i < count; ++i) {
        const double dn = (double)n[i];
        x[i] = ms->x0 + dn * ms->ln1k;
        s[i] = sqrt(ms->var0 + dn * ms->jvar);
    }
    lsd_black_kernels(&ms->frame.centre, x, s, count, t);
    for (int i = 0; i < count; ++i) {
        const double dn = (double)n[i];
        const double qa = q[i] * t[i].a;
        const double pc = p[i] * t[i].c;
        const double qphi = q[i] * t[i].phi_per_s;
        sums->qa += qa;
        sums->pc += pc;
        sums->qphi += qphi;
        sums->uqa += (dn - ms->mq) * qa;
        sums->upc += (dn - ms->m) * pc;
        sums->nqphi += dn * qphi;
    }
}

/*
 * Bounds on what the not-yet-summed terms can add to the sums (all ≥ 0):
 * tq ≥ Σ q_n, tp ≥ Σ p_n, uq ≥ Σ |n − m'| q_n, up ≥ Σ |n − m| p_n,
 * gq ≥ Σ q_n φ_n/s_n, gnq ≥ Σ n q_n φ_n/s_n over the remaining n.
 */
typedef struct tail_bound {
    double tq, tp, uq, up, gq, gnq;
} tail_bound;

/* |x| ≤ max(rtol·|value|, floor), written so that NaN fails. */
static inline int within(double bound, double value, double rtol, double floor)
{
    const double rel = rtol * fabs(value);
    return bound <= (rel > floor ? rel : floor);
}

/*
 * Does every output's tail bound meet max(rtol·|partial|, atol·scale)?
 * The bound of each output is the assembly of black.h applied to the tail
 * bounds, with |centred leg| ≤ 1; the call's price term lies in [0, F q_n]
 * and the put's in [0, K p_n]. The floors are atol·scale divided by the
 * factor that turns a sum into the output (merton_floors).
 */
static int tail_small(const merton_setup *ms, const tail_bound *b, const lsd_black_sums *sums,
                      const lsd_merton_control *ctl)
{
    const lsd_black_frame *f = &ms->frame;
    const double sd = f->spot * f->df_carry;
    const double kd = f->strike * f->df_rate;
    const double rtol = ctl->rtol;
    const double qa = f->centre.base_a + sums->qa;
    const double pc = f->centre.base_c + sums->pc;
    const double price = sd * qa - kd * pc;
    /* price; qa gives delta and carry_rho, pc rho, qphi gamma and vega. */
    if (!within(ms->type == LSD_CALL ? sd * b->tq : kd * b->tp, price, rtol, ms->floor_price) ||
        !within(b->tq, qa, rtol, ms->floor_qa) || !within(b->tp, pc, rtol, ms->floor_pc) ||
        !within(b->gq, sums->qphi, rtol, ms->floor_qphi))
        return 0;
    /* theta, ∂V/∂λ = jump/λ, ∂V/∂μ_J = SD·uqa, ∂V/∂δ = δ·SD·(uqa + nqphi). */
    const double jump = sd * sums->uqa - kd * sums->upc;
    const double jump_bound = sd * b->uq + kd * b->up;
    const double theta = f->carry * sd * qa - f->rate * kd * pc -
                         0.5 * f->vol * f->vol * sd * sums->qphi - jump / f->expiry;
    const double theta_bound = fabs(f->carry) * sd * b->tq + fabs(f->rate) * kd * b->tp +
                               0.5 * f->vol * f->vol * sd * b->gq + jump_bound / f->expiry;
    return within(theta_bound, theta, rtol, ms->floor_price) &&
           within(jump_bound, jump, rtol, ms->floor_jump) &&
           within(b->uq, sums->uqa, rtol, ms->floor_u) &&
           within(f->jump_vol * (b->uq + b->gnq), f->jump_vol * (sums->uqa + sums->nqphi),
                  rtol, ms->floor_u);
}

/*
 * The floors of tail_small: atol·scale of each output (S for the price and
 * the per-parameter greeks, 1 for delta, 1/S for gamma) over the factor
 * from sum to output: e^{−qT} (delta) and T·SD (carry_rho) for qa, T·KD
 * (rho) for pc, e^{−qT}/S (gamma) and SD·σT (vega) for qphi, 1/λ for the
 * jump leg of ∂V/∂λ, SD for uqa (∂V/∂μ_J, ∂V/∂δ). The stricter wins.
 */
static void merton_floors(merton_setup *ms, const lsd_merton_control *ctl)
{
    const lsd_black_frame *f = &ms->frame;
    const double floor_s = ctl->atol * f->spot;
    const double floor_d = ctl->atol / f->df_carry;
    ms->floor_price = floor_s;
    ms->floor_qa = floor_d / fmax(1.0, f->expiry);
    ms->floor_pc = floor_s / (f->expiry * f->strike * f->df_rate);
    ms->floor_qphi = floor_d / fmax(1.0, f->vol * f->expiry);
    ms->floor_jump = floor_s * f->jump_intensity;
    ms->floor_u = floor_d;
}

/* λT = 0 (or below the smallest normal double): the n = 0 term, and ∂V/∂λ's limit. */
static void price_without_jumps(const merton_setup *ms, lsd_greeks *out)
{
    /* One point per kernel call, as lsd_bsm_price: the same arithmetic. */
    const double x[2] = { ms->x0, ms->x0 + ms->ln1k };
    const double s[2] = { sqrt(ms->var0), sqrt(ms->var0 + ms->jvar) };
    lsd_black_term t[2];
    lsd_black_kernels(&ms->frame.centre, &x[0], &s[0], 1, &t[0]);
    lsd_black_kernels(&ms->frame.centre, &x[1], &s[1], 1, &t[1]);
    const lsd_black_sums sums = { t[0].a, t[0].c, t[0].phi_per_s, 0.0, 0.0, 0.0 };
    lsd_black_frame f0 = ms->frame;
    f0.jump_intensity = 0.0;
    lsd_black_assemble(&f0, &sums, out);
    out->jump_intensity_sens =
        f0.expiry * (f0.spot * f0.df_carry * exp(ms->ln1k) * (t[1].a - t[0].a) -
                     f0.strike * f0.df_rate * (t[1].c - t[0].c));
    out->jump_mean_sens = 0.0;
    out->jump_vol_sens = 0.0;
}

static lsd_status check_control(const lsd_merton_control *ctl, lsd_diag *diag)
{
    if (!(ctl->rtol >= 0.0) || !isfinite(ctl->rtol))
        return lsd_diag_fail(diag, LSD_EDOM, "series rtol must be finite and >= 0 (got %.17g)",
                        ctl->rtol);
    if (!(ctl->atol >= 0.0) || !isfinite(ctl->atol))
        return lsd_diag_fail(diag, LSD_EDOM, "series atol must be finite and >= 0 (got %.17g)",
                        ctl->atol);
    if (ctl->max_terms < 1)
        return lsd_diag_fail(diag, LSD_EDOM, "series max_terms must be >= 1 (got %ld)",
                        ctl->max_terms);
    return LSD_OK;
}

/*
 * Remaining Poisson mass below lo (weights plo, qlo there); lo ≤ m, m', so
 * the geometric bound of poisson.h applies.
 */
static void mass_below(const merton_setup *ms, long lo, double plo, double qlo,
                       tail_bound *b)
{
    *b = (tail_bound){ 0 };
    b->tp = lsd_poisson_tail_below(lo, plo, ms->m);
    b->tq = lsd_poisson_tail_below(lo, qlo, ms->mq);
}

/*
 * Remaining Poisson mass above hi, given the weights pn, qn of term hi + 1:
 * geometric once hi + 2 exceeds both means, infinite before (poisson.h).
 */
static void mass_above(const merton_setup *ms, long hi, double pn, double qn, tail_bound *b)
{
    b->tp = lsd_poisson_tail_above(hi, pn, ms->m);
    b->tq = lsd_poisson_tail_above(hi, qn, ms->mq);
}

/*
 * The whole tail bound from the two masses: Σ|n − μ| w_n ≤ μ·mass below
 * (n < μ there) and ≤ Σ n w_n = μ·(w_hi + mass) above; φ_n/s_n ≤ 1/(√(2π) s)
 * with s = s_0 below and s_{hi+1} above.
 */
static tail_bound tail_total(const merton_setup *ms, const tail_bound *down, long lo,
                             const tail_bound *up, long hi, double phi, double qhi)
{
    const double gup = LSD_INV_SQRT_2PI / sqrt(ms->var0 + ((double)hi + 1.0) * ms->jvar);
    const double uq_up = ms->mq * (qhi + up->tq);
    tail_bound t;
    t.tq = down->tq + up->tq;
    t.tp = down->tp + up->tp;
    t.uq = ms->mq * down->tq + uq_up;
    t.up = ms->m * down->tp + ms->m * (phi + up->tp);
    t.gq = ms->gmax0 * down->tq + gup * up->tq;
    t.gnq = ms->gmax0 * (lo > 0 ? (double)lo - 1.0 : 0.0) * down->tq + gup * uq_up;
    return t;
}

/* The summed range lo..hi and the weights at its edges. */
typedef struct series_edges {
    long lo, hi;     /* lowest and highest n summed (hi = lo − 1: none yet) */
    double plo, qlo; /* weights at lo */
    double phi, qhi; /* weights at hi */
    double pup, qup; /* weights at hi + 1 */
} series_edges;

/* The terms of one block: n[i] with weights p[i], q[i], i < count. */
typedef struct series_block {
    long count;
    long n[LSD_BLACK_BLOCK];
    double p[LSD_BLACK_BLOCK], q[LSD_BLACK_BLOCK];
} series_block;

/*
 * Extend the range upward into the block: at least one term, then on while
 * the block has fewer than cap terms and the mass above the range exceeds
 * goal in either sequence.
 */
static void walk_up(const merton_setup *ms, double one_k, double goal, long cap,
                    series_edges *e, series_block *b)
{
    tail_bound up;
    do {
        const long i = b->count++;
        b->n[i] = ++e->hi;
        b->p[i] = e->phi = e->pup;
        b->q[i] = e->qhi = e->qup;
        poisson_step(ms->m / ((double)e->hi + 1.0), e->hi + 1, ms->m, ms->mq, one_k, &e->pup,
                     &e->qup);
        mass_above(ms, e->hi, e->pup, e->qup, &up);
    } while (b->count < cap && !(up.tq <= goal && up.tp <= goal));
}

/*
 * Extend the range downward into the block while it has fewer than cap
 * terms and terms remain below lo: at least `least` terms, then on while
 * the mass below exceeds goal in either sequence.
 */
static void walk_down(const merton_setup *ms, double inv_one_k, double goal, long least,
                      long cap, series_edges *e, series_block *b)
{
    tail_bound down;
    mass_below(ms, e->lo, e->plo, e->qlo, &down);
    while (b->count < cap && e->lo > 0 &&
           (b->count < least || !(down.tq <= goal && down.tp <= goal))) {
        poisson_step((double)e->lo / ms->m, e->lo - 1, ms->m, ms->mq, inv_one_k, &e->plo,
                     &e->qlo);
        const long i = b->count++;
        b->n[i] = --e->lo;
        b->p[i] = e->plo;
        b->q[i] = e->qlo;
        mass_below(ms, e->lo, e->plo, e->qlo, &down);
    }
}

lsd_status lsd_merton_price(const lsd_option *opt, const lsd_market *mkt,
                            const lsd_jumps *jumps, const lsd_merton_control *ctl,
                            lsd_greeks *out, lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "NULL output");
    lsd_greeks_set_nan(out);
    if (jumps == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "NULL jump parameters");
    lsd_status st = lsd_option_check(opt, mkt, jumps, diag);
    if (st != LSD_OK)
        return st;
    const lsd_merton_control defaults = lsd_merton_control_default();
    if (ctl == NULL)
        ctl = &defaults;
    if ((st = check_control(ctl, diag)) != LSD_OK)
        return st;

    const double T = opt->expiry;
    const double ln1k = jumps->mean + 0.5 * jumps->vol * jumps->vol;
    if (!(ln1k <= 700.0))
        return lsd_diag_fail(diag, LSD_EDOM,
                        "jump_mean + jump_vol^2/2 must be <= 700 (got %.17g): E[e^Y] overflows",
                        ln1k);
    merton_setup ms;
    ms.type = opt->type;
    ms.m = jumps->intensity * T;
    const double one_k = exp(ln1k); /* 1 + κ */
    ms.mq = ms.m * one_k;
    ms.ln1k = ln1k;
    ms.var0 = mkt->vol * mkt->vol * T;
    ms.jvar = jumps->vol * jumps->vol;
    ms.x0 = lsd_black_log_moneyness(opt, mkt) - ms.m * expm1(ln1k);
    if (!isfinite(ms.mq) || !isfinite(ms.x0))
        return lsd_diag_fail(diag, LSD_EDOM,
                        "jump_intensity·expiry·(1+κ) overflows (λ = %.17g, T = %.17g)",
                        jumps->intensity, T);
    if (fmin(ms.m, ms.mq) > (double)(LONG_MAX / 2))
        return lsd_diag_fail(diag, LSD_ENOCONV, "expected jump count %.17g too large to sum",
                        fmax(ms.m, ms.mq));

    /* Start at the lower Poisson mode; centre the legs at that term. */
    const long n0 = ms.m < DBL_MIN ? 0 : (long)floor(fmin(ms.m, ms.mq));
    const double dn0 = (double)n0;
    ms.frame = lsd_black_frame_make(opt, mkt, ms.x0 + dn0 * ln1k,
                                    sqrt(ms.var0 + dn0 * ms.jvar));
    ms.frame.jump_intensity = jumps->intensity;
    ms.frame.jump_vol = jumps->vol;
    ms.gmax0 = LSD_INV_SQRT_2PI / sqrt(ms.var0);
    merton_floors(&ms, ctl);

    if (ms.m < DBL_MIN) {
        price_without_jumps(&ms, out);
        return LSD_OK;
    }

    /* q_n = p_n·(1+κ)^n·e^{−mκ}: one exp instead of a second Γ* evaluation;
     * the exponent n0·ln(1+κ) − mκ is O(mκ²) near the mode. */
    const double p0 = lsd_poisson_pmf(n0, ms.m);
    double q0 = p0 * exp(dn0 * ln1k - ms.m * expm1(ln1k));
    if (!(q0 >= DBL_MIN))
        q0 = lsd_poisson_pmf(n0, ms.mq);

    /*
     * Blocks, each evaluated in one kernel call, which costs far more than a
     * term: the first walks out from n0 (up, then down) until the Poisson
     * mass left on each side is below `goal`, a guess at what the tolerance
     * needs (two decades under atol; rtol's when atol is 0). The bound
     * below decides; while it fails, the side with more remaining mass is
     * extended by a further block, with a goal a thousand times smaller.
     */
    lsd_black_sums sums = { 0 };
    series_edges e = { n0, n0 - 1, p0, q0, 0.0, 0.0, p0, q0 };
    const double inv_one_k = 1.0 / one_k;
    double goal = 1e-2 * (ctl->atol > 0.0 ? ctl->atol : ctl->rtol);
    long terms = 0;
    for (int side = 0;; goal *= 1e-3) { /* side: 0 both (first block), 1 up, −1 down */
        series_block b;
        b.count = 0;
        const long cap = ctl->max_terms - terms < LSD_BLACK_BLOCK ? ctl->max_terms - terms
                                                                   : LSD_BLACK_BLOCK;
        if (side >= 0)
            walk_up(&ms, one_k, goal, cap, &e, &b);
        if (side <= 0)
            walk_down(&ms, inv_one_k, goal, side < 0, cap, &e, &b);
        add_terms(&ms, b.n, b.p, b.q, (int)b.count, &sums);
        terms += b.count;

        tail_bound down, up;
        mass_below(&ms, e.lo, e.plo, e.qlo, &down);
        mass_above(&ms, e.hi, e.pup, e.qup, &up);
        /* The price check alone first: it is the cheap one that usually fails. */
        if (up.tq < HUGE_VAL && up.tp < HUGE_VAL) {
            const lsd_black_frame *f = &ms.frame;
            const double price_bound = ms.type == LSD_CALL
                                           ? f->spot * f->df_carry * (down.tq + up.tq)
                                           : f->strike * f->df_rate * (down.tp + up.tp);
            const double price = f->spot * f->df_carry * (f->centre.base_a + sums.qa) -
                                 f->strike * f->df_rate * (f->centre.base_c + sums.pc);
            if (within(price_bound, price, ctl->rtol, ms.floor_price)) {
                const tail_bound total =
                    tail_total(&ms, &down, e.lo, &up, e.hi, e.phi, e.qhi);
                if (tail_small(&ms, &total, &sums, ctl)) {
                    lsd_black_assemble(&ms.frame, &sums, out);
                    return LSD_OK;
                }
            }
        }
        if (terms >= ctl->max_terms)
            return lsd_diag_fail(diag, LSD_ENOCONV,
                            "Merton series tail bound not met after %ld terms "
                            "(lambda*T = %.6g); raise max_terms",
                            terms, ms.m);
        side = e.lo > 0 && down.tq + down.tp >= up.tq + up.tp ? -1 : 1;
    }
}
