/*
 * black.h — internal: the Black kernel shared by BSM and Merton, and the
 * assembly of price and greeks from the (Poisson-weighted) kernel sums.
 * Not installed.
 *
 * Both models are written as
 *
 *   V = S·e^{−qT}·Σ q_n·a_n − K·e^{−rT}·Σ p_n·c_n
 *
 * with a_n = N(d1_n), c_n = N(d2_n) for a call and a_n = −N(−d1_n),
 * c_n = −N(−d2_n) for a put, d1_n = x_n/s_n + s_n/2, d2_n = d1_n − s_n,
 * x_n = ln(F_n/K) and s_n the total standard deviation of ln S_T given n
 * jumps. BSM is the single term n = 0 with p_0 = q_0 = 1. Sharing one
 * assembly is what makes Merton with λ = 0 equal BSM bit for bit.
 *
 * Layer: models (pricing/models/) — depends on core only.
 */
#ifndef LSD_BLACK_H
#define LSD_BLACK_H

#include "option.h"
#include "vecmath.h"

#include <gsl/gsl_math.h> /* M_SQRT1_2, M_2_SQRTPI under strict C11 */
#include <math.h>

/* 1/√(2π), the standard normal density at 0: M_2_SQRTPI·M_SQRT1_2/2. */
#define LSD_INV_SQRT_2PI (0.5 * M_2_SQRTPI * M_SQRT1_2)

/*
 * Centring. Σ_n (n − m)·Pois(n; m) = 0 exactly, so the n-weighted sums of the
 * greeks cancel badly when a leg is nearly constant across n (N(d) ≈ 1 deep
 * in the money). Each leg is therefore written as a constant plus a centred
 * part of magnitude ≤ 1/2 at the reference term:
 *
 *   N(d)  = 1 − N(−d),  a_call = N(d1),  a_put = N(d1) − 1 (and c with d2)
 *
 * with the centred part N(d) when d ≤ 0 ("lower") and −N(−d) when d > 0
 * ("upper") at the reference term. The constant times Σ q_n = 1 is added in
 * closed form; in the n-weighted sums it drops out.
 */
typedef struct lsd_black_centre {
    int upper_a;   /* forward leg centred as −N(−d1) (else N(d1)) */
    int upper_c;   /* strike leg centred as −N(−d2) (else N(d2)) */
    double base_a; /* a_n − centred part: 0, 1 (call) or −1, 0 (put) */
    double base_c; /* c_n − centred part */
} lsd_black_centre;

/* Centring chosen at log-moneyness x and standard deviation s > 0. */
static inline lsd_black_centre lsd_black_centre_at(lsd_option_type type, double x, double s)
{
    const double d1 = x / s + 0.5 * s;
    const double d2 = d1 - s;
    const double put = type == LSD_PUT ? -1.0 : 0.0;
    lsd_black_centre c;
    c.upper_a = d1 > 0.0;
    c.upper_c = d2 > 0.0;
    c.base_a = put + (c.upper_a ? 1.0 : 0.0);
    c.base_c = put + (c.upper_c ? 1.0 : 0.0);
    return c;
}

/* One kernel evaluation: centred legs and the density factor. */
typedef struct lsd_black_term {
    double a;         /* centred forward leg (N(d1) or −N(−d1)) */
    double c;         /* centred strike leg  (N(d2) or −N(−d2)) */
    double phi_per_s; /* φ(d1)/s, the density factor of gamma and vega */
} lsd_black_term;

/* Most kernel points one lsd_black_kernels call evaluates. */
#define LSD_BLACK_BLOCK 64

/*
 * Kernel at count ≤ LSD_BLACK_BLOCK points: log-moneyness x[i] = ln(F_i/K)
 * and standard deviation s[i] > 0, into t[i]. N(z) = erfc(−z/√2)/2 keeps
 * full relative accuracy in the lower tail, so out-of-the-money legs are
 * not lost to 1 − N(z) cancellation. The 2·count erfc and count exp values
 * are computed together (vecmath.h: SIMD where the machine has it).
 */
static inline void lsd_black_kernels(const lsd_black_centre *ctr, const double *x,
                                     const double *s, int count, lsd_black_term *t)
{
    /* erfc arguments: forward legs in z[0, count), strike legs after. */
    double z[2 * LSD_BLACK_BLOCK], e[LSD_BLACK_BLOCK], inv_s[LSD_BLACK_BLOCK];
    const double scale_a = ctr->upper_a ? M_SQRT1_2 : -M_SQRT1_2;
    const double scale_c = ctr->upper_c ? M_SQRT1_2 : -M_SQRT1_2;
    for (int i = 0; i < count; ++i) {
        inv_s[i] = 1.0 / s[i];
        const double d1 = x[i] * inv_s[i] + 0.5 * s[i];
        z[i] = scale_a * d1;
        z[count + i] = scale_c * (d1 - s[i]);
        e[i] = -0.5 * d1 * d1;
    }
    lsd_vecmath_erfc(z, z, 2 * (size_t)count);
    lsd_vecmath_exp(e, e, (size_t)count);
    const double half_a = ctr->upper_a ? -0.5 : 0.5;
    const double half_c = ctr->upper_c ? -0.5 : 0.5;
    for (int i = 0; i < count; ++i) {
        t[i].a = half_a * z[i];
        t[i].c = half_c * z[count + i];
        t[i].phi_per_s = LSD_INV_SQRT_2PI * e[i] * inv_s[i];
    }
}

/*
 * Kernel sums over the jump count n, with p_n = Pois(n; λT) weighting strike
 * legs and q_n = Pois(n; λ(1+κ)T) weighting forward legs (merton.c).
 */
typedef struct lsd_black_sums {
    double qa;    /* Σ q_n a_n, centred legs (the assembly adds base_a) */
    double pc;    /* Σ p_n c_n, centred legs (the assembly adds base_c) */
    double qphi;  /* Σ q_n φ(d1_n)/s_n */
    double uqa;   /* Σ (n − λ(1+κ)T) q_n a_n */
    double upc;   /* Σ (n − λT) p_n c_n */
    double nqphi; /* Σ n q_n φ(d1_n)/s_n */
} lsd_black_sums;

/* The discounting and parameters the assembly needs. */
typedef struct lsd_black_frame {
    double spot, strike, expiry, rate, carry, vol; /* S, K, T, r, q, σ */
    double jump_intensity, jump_vol;               /* λ, δ (0, 0 for BSM) */
    lsd_black_centre centre;                       /* leg centring */
    double df_rate;                                /* e^{−rT} */
    double df_carry;                               /* e^{−qT} */
} lsd_black_frame;

/*
 * Price and greeks from the sums. With SD = S·e^{−qT}, KD = K·e^{−rT},
 * qa and pc below are the full sums (base + centred sum):
 *
 *   price     = SD·qa − KD·pc
 *   delta     = e^{−qT}·qa              gamma = e^{−qT}·qphi/S
 *   vega      = SD·σT·qphi              rho   = T·KD·pc
 *   carry_rho = −T·SD·qa
 *   theta     = q·SD·qa − r·KD·pc − σ²/2·SD·qphi − (SD·uqa − KD·upc)/T
 *   ∂V/∂λ     = (SD·uqa − KD·upc)/λ     (λ > 0; the caller sets λ = 0's limit)
 *   ∂V/∂μ_J   = SD·uqa                  ∂V/∂δ = δ·SD·(uqa + nqphi)
 *
 * derived in merton.c. For BSM (uqa = upc = nqphi = 0, λ = δ = 0) these are
 * Haug's generalized BSM greeks (2007, §2.1).
 */
static inline void lsd_black_assemble(const lsd_black_frame *f, const lsd_black_sums *s,
                                      lsd_greeks *out)
{
    const double sd = f->spot * f->df_carry;
    const double kd = f->strike * f->df_rate;
    const double qa = f->centre.base_a + s->qa;
    const double pc = f->centre.base_c + s->pc;
    const double jump_leg = sd * s->uqa - kd * s->upc;
    out->price = sd * qa - kd * pc;
    out->delta = f->df_carry * qa;
    out->gamma = f->df_carry * s->qphi / f->spot;
    out->vega = sd * f->vol * f->expiry * s->qphi;
    out->theta = f->carry * sd * qa - f->rate * kd * pc -
                 0.5 * f->vol * f->vol * sd * s->qphi - jump_leg / f->expiry;
    out->rho = f->expiry * kd * pc;
    out->carry_rho = -f->expiry * sd * qa;
    out->jump_intensity_sens = f->jump_intensity > 0.0 ? jump_leg / f->jump_intensity : 0.0;
    out->jump_mean_sens = sd * s->uqa;
    out->jump_vol_sens = f->jump_vol * sd * (s->uqa + s->nqphi);
}

/*
 * Fill the frame common to both models from checked inputs; the legs are
 * centred at log-moneyness x and standard deviation s (the reference term).
 */
static inline lsd_black_frame lsd_black_frame_make(const lsd_option *opt,
                                                   const lsd_market *mkt, double x, double s)
{
    lsd_black_frame f;
    f.spot = mkt->spot;
    f.strike = opt->strike;
    f.expiry = opt->expiry;
    f.rate = mkt->rate;
    f.carry = mkt->carry;
    f.vol = mkt->vol;
    f.jump_intensity = 0.0;
    f.jump_vol = 0.0;
    f.df_rate = exp(-mkt->rate * opt->expiry);
    f.df_carry = exp(-mkt->carry * opt->expiry);
    f.centre = lsd_black_centre_at(opt->type, x, s);
    return f;
}

/*
 * ln(F/K) = ln(S/K) + (r − q)T, the log-moneyness of the forward. Near the
 * money ln(S/K) is formed as log1p((S − K)/K), where S − K is exact
 * (Sterbenz: K/2 ≤ S ≤ 2K): the rounding of S/K would move d1 by ~ε/(σ√T),
 * 1e-12 at σ√T = 1e-4, enough to cost gamma its 1e-12 accuracy.
 */
static inline double lsd_black_log_moneyness(const lsd_option *opt, const lsd_market *mkt)
{
    const double s = mkt->spot, k = opt->strike;
    const double ln_sk = (s >= 0.5 * k && s <= 2.0 * k) ? log1p((s - k) / k) : log(s / k);
    return ln_sk + (mkt->rate - mkt->carry) * opt->expiry;
}

#endif /* LSD_BLACK_H */
