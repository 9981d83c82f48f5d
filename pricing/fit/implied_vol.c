/*
 * implied_vol.c — implied volatility of a European option: Black-76 on a forward and
 * BSM with a carry yield, inverted in Jäckel's normalised coordinates.
 *
 * Normalisation (Jäckel, "Let's Be Rational", Wilmott 2015). With
 * x = ln(F/K), s = σ√T and θ = +1 for a call, −1 for a put, the discounted
 * price divided by D·√(F·K) is the normalised price
 *
 *   b(x, s, θ) = θ·[e^{x/2}·N(θ(x/s + s/2)) − e^{−x/2}·N(θ(x/s − s/2))]
 *
 * and b(x, s, −1) = b(−x, s, +1). A put is therefore a call at −x, and an
 * in-the-money call (x > 0) is reduced to its out-of-the-money twin by
 * parity, b(x, s) − b(−x, s) = e^{x/2} − e^{−x/2} = 2·sinh(x/2): everything
 * below inverts an out-of-the-money call, x ≤ 0, normalised price
 * β ∈ (0, e^{x/2}), where b rises monotonically from 0 (s = 0) to e^{x/2}
 * (s → ∞) with the single inflection point s_c = √(2|x|).
 *
 * Derivatives in s (LBR; φ the normal density):
 *   b'   = φ(x/s + s/2)·e^{x/2} = exp(−(x²/s² + s²/4)/2)/√(2π)
 *   b''  = b'·(x²/s³ − s/4)
 *   b''' = b'·((x²/s³ − s/4)² − 3x²/s⁴ − 1/4)
 *
 * Iteration. Three objectives, as in LBR (which reaches machine
 * precision in two Householder(3) steps from its rational initial guess):
 *   β < b(s_c):                f = 1/ln b(s) − 1/ln β   (b ~ e^{−x²/2s²}:
 *                              1/ln b is nearly quadratic in s)
 *   b(s_c) ≤ β ≤ e^{x/2}/2:    f = b(s) − β
 *   β > e^{x/2}/2:             f = ln c(s) − ln c*, with c = e^{x/2} − b
 *                              evaluated without cancellation as
 *                              e^{x/2}N(−d1) + e^{−x/2}N(d2)
 * with third-order Householder steps (as in LBR)
 *   Δs = ν·(1 + ν·h₂/2) / (1 + ν·(h₂ + ν·h₃/6)),  ν = −f/f', h_k = f⁽ᵏ⁾/f'
 * kept inside a bracket [lo, hi] around the root (from s_c and every
 * evaluated point; a step leaving it is replaced by bisection), so the
 * iteration cannot diverge. Householder(3) converges with order 4; it
 * stops after a step with |Δs| ≤ 1e-3·s (IV_STEP_TOL: the error left is
 * ~K·1e-12 with K measured ≤ 0.12, i.e. ≤ 1.2e-13 relative), which takes
 * 1.26 steps on average on the benchmark book.
 *
 * Initial guess: LBR's four branches, split at s_c and at the
 * points s_l = s_c − b_c/b'_c and s_u = s_c + (e^{x/2} − b_c)/b'_c where
 * the tangent at the inflection point meets 0 and e^{x/2}:
 *   β < b_l:        f(β) = f_l(s(β)) with f_l(s) = (2π|x|/(3√3))·N(−|x|/(√3·s))³,
 *                   the s → 0 asymptote of b (LBR), interpolated by a
 *                   rational cubic between (0, 0) with slope 1 and b_l
 *                   (value, slope and second derivative), then inverted;
 *   b_l ≤ β ≤ b_c:  s(β) as a rational cubic between (b_l, s_l) and
 *                   (b_c, s_c), slopes 1/b', s'' = 0 at the inflection;
 *   b_c < β ≤ b_u:  the same between (b_c, s_c) and (b_u, s_u);
 *   β > b_u:        g(β) = N(−s(β)/2) (c ~ 2N(−s/2) as s → ∞) interpolated
 *                   between b_u and (e^{x/2}, 0) with slope −1/2 there,
 *                   s = −2N⁻¹(g).
 * The rational cubic is Delbourgo & Gregory's (1985; used so by LBR) with the control
 * parameter fitted to a second derivative at one end;
 * the formulas are derived here (and checked numerically), not copied. Measured guess error: ~1e-3 relative.
 *
 * Accuracy of b. b is formed from erfc, which keeps full relative accuracy
 * in both tails; but the two legs nearly cancel out of the money at small
 * s, and each leg carries the relative error ~ d²·ε of its rounded argument
 * d (ε = DBL_EPSILON). Through the cancellation (factor ~ |d2|/s) and the
 * elasticity s·b'/b ~ d1·d2 of b this becomes a relative error in s of
 * about ε·(|x| + s)/s²: 3e-11 at x = −0.01, s = 2.7e-4 (σ = 0.005,
 * T = 3e-3). Where (|x| + s)/s² > 45, i.e. that error would exceed 1e-14,
 * the legs are evaluated in long double (64-bit mantissa on x86-64: 2¹¹
 * times less rounding). Such prices are tiny or the option is within a few
 * s of the money at very small s: the common case stays in double.
 *
 * Bounds and statuses, in normalised terms: intrinsic ι = max(2·sinh(θx/2), 0),
 * upper bound e^{θx/2} (D·F for a call, D·K for a put). β < ι − τ is
 * LSD_EBELOW, |β − ι| ≤ τ is LSD_ENOTIME, β ≥ e^{θx/2} is LSD_EABOVE,
 * with τ = 2ε·β the rounding of β and of ι (ε = DBL_EPSILON).
 *
 * Source: P. Jäckel, "Let's Be Rational", Wilmott (2015) 40–53, for the
 * coordinates, the objectives, the lower asymptote, the four-branch
 * initial guess and Householder(3); the bracket and the long-double legs
 * are ours. R. Delbourgo & J. A. Gregory (1985), shape-preserving
 * piecewise rational interpolation, for the rational cubic. Accuracy and the grid it
 * holds on: tests/unit/test_implied_vol.c.
 *
 * Layer: fit (pricing/fit/) — depends on core, models and curves.
 */
#include "implied_vol.h"

#include "black.h"
#include "diag.h"

#include <float.h>
#include <gsl/gsl_cdf.h> /* gsl_cdf_ugaussian_Pinv: never raises (±inf at 0, 1) */
#include <math.h>
#include <stddef.h>

/* Iteration cap; with the guess above 2–4 steps are typical, and bisection
 * inside the bracket halves it at worst: 100 steps exhaust any double range. */
#define IV_MAX_STEPS 100

/* Stop after a step with |Δs| ≤ IV_STEP_TOL·s. Householder(3) converges
 * with order 4, so the error left is about K·IV_STEP_TOL⁴ = K·1e-12. K is
 * small: over 1.1e6 random (σ, T, K/F) of the test ranges (log-uniform),
 * the results differ from those of an iteration run to steps of 1e-9·s by
 * at most 1.2e-13 relative (5e-14 with 1e-4, which costs ~35 ns more per
 * call: 1.78 steps on average instead of 1.26 on the benchmark book). */
#define IV_STEP_TOL 1e-3

/* Where (|x| + s)/s² exceeds this the legs of b are evaluated in long double
 * (header: "Accuracy of b"; the error in s would exceed ~1e-14 relative). */
#define IV_LONG_DOUBLE_ABOVE 45.0

/* The out-of-the-money call to invert: x ≤ 0, target β. */
typedef struct otm {
    double x;     /* log-moneyness, ≤ 0 */
    double x2;    /* x² */
    double bmax;  /* e^{x/2}, the upper bound of b */
    double ebar;  /* e^{−x/2} */
} otm;

/* N(z) = erfc(−z/√2)/2, full relative accuracy for z → −∞. */
static double norm_cdf(double z)
{
    return 0.5 * erfc(-z * M_SQRT1_2);
}

/* b(x, s) for x ≤ 0, s > 0, inv_s = 1/s (header: "Accuracy of b"). */
static double black_b(const otm *o, double s, double inv_s)
{
    const double h = o->x * inv_s, t = 0.5 * s;
    if (s - o->x > IV_LONG_DOUBLE_ABOVE * s * s) {
        const long double sq = 0.70710678118654752440084436210484903L; /* 1/√2 */
        const long double hl = (long double)o->x / (long double)s, tl = 0.5L * s;
        const long double xl = 0.5L * (long double)o->x;
        return (double)(0.5L * (expl(xl) * erfcl(-(hl + tl) * sq) -
                                expl(-xl) * erfcl(-(hl - tl) * sq)));
    }
    return o->bmax * norm_cdf(h + t) - o->ebar * norm_cdf(h - t);
}

/* c(x, s) = e^{x/2} − b(x, s) = e^{x/2}N(−d1) + e^{−x/2}N(d2), no cancellation. */
static double black_c(const otm *o, double s, double inv_s)
{
    const double h = o->x * inv_s, t = 0.5 * s;
    return o->bmax * norm_cdf(-(h + t)) + o->ebar * norm_cdf(h - t);
}

/* b'(s) and the ratios r2 = b''/b', r3 = b'''/b' (header). */
typedef struct slope {
    double b1, r2, r3;
} slope;

static slope black_slope(const otm *o, double s, double inv_s)
{
    const double u = o->x2 * inv_s * inv_s;
    slope d;
    d.b1 = LSD_INV_SQRT_2PI * exp(-0.5 * (u + 0.25 * s * s));
    d.r2 = u * inv_s - 0.25 * s;
    d.r3 = d.r2 * d.r2 - 3.0 * u * inv_s * inv_s - 0.25;
    return d;
}

/*
 * Householder(3) step from ν = −f/f' and h_k = f⁽ᵏ⁾/f':
 * Δ = ν(1 + ν h₂/2)/(1 + ν(h₂ + ν h₃/6)).
 */
static double householder3(double nu, double h2, double h3)
{
    return nu * (1.0 + 0.5 * nu * h2) / (1.0 + nu * (h2 + nu * h3 / 6.0));
}

/* Which objective the iteration uses (header). */
typedef enum region { LOWER, MIDDLE, UPPER } region;

/* What the iteration aims at. */
typedef struct target {
    region reg;
    double beta;  /* β */
    double cstar; /* c* = e^{x/2} − β */
    double goal;  /* 1/ln β (LOWER), ln c* (UPPER), β (MIDDLE) */
} target;

/*
 * One iteration at s: returns the Householder step, or NaN if b(s) could not
 * be used (underflow); narrows [*lo, *hi] by the side s lies on. With
 * r2 = b''/b', r3 = b'''/b' and q = u'/u for the logarithm of u = b or c
 * (u' = ±b'), the ratios h_k follow by the chain rule:
 *   f = b − β:        ν = (β − b)/b',  h₂ = r2, h₃ = r3
 *   f = ln c − ln c*: ν = −f/q,  h₂ = r2 − q,  h₃ = r3 − 3q·r2 + 2q²
 *   f = 1/L − 1/ln β (L = ln b, l₁ = q, l₂ = q(r2 − q),
 *                     l₃ = q(r3 − 3q·r2 + 2q²)):
 *     f' = −l₁/L², f'' = (2l₁²/L − l₂)/L², f''' = (6l₁l₂/L − 6l₁³/L² − l₃)/L²,
 *     so ν = L(1 − L/ln β)/q, h₂ = r2 − q − 2q/L,
 *     h₃ = r3 − 3q·r2 + 2q² − 6l₂/L + 6q²/L².
 */
static double step_at(const otm *o, const target *t, double s, double *lo, double *hi)
{
    const double inv_s = 1.0 / s;
    const slope d = black_slope(o, s, inv_s);
    if (t->reg == UPPER) {
        const double c = black_c(o, s, inv_s);
        if (c < t->cstar)
            *hi = s;
        else
            *lo = s;
        if (!(c > 0.0))
            return NAN;
        const double q = -d.b1 / c;
        return householder3((t->goal - log(c)) / q, d.r2 - q,
                            d.r3 - 3.0 * q * d.r2 + 2.0 * q * q);
    }
    const double b = black_b(o, s, inv_s);
    if (b > t->beta)
        *hi = s;
    else
        *lo = s;
    if (t->reg == MIDDLE)
        return householder3((t->beta - b) / d.b1, d.r2, d.r3);
    if (!(b > 0.0) || !(b < 1.0))
        return NAN;
    const double L = log(b), iL = 1.0 / L;
    const double q = d.b1 / b;
    const double l2 = q * (d.r2 - q);
    return householder3(L * (1.0 - L * t->goal) / q, d.r2 - q - 2.0 * q * iL,
                        d.r3 - 3.0 * q * d.r2 + 2.0 * q * q - 6.0 * l2 * iL +
                            6.0 * q * q * iL * iL);
}

/*
 * Rational cubic interpolation (Delbourgo & Gregory 1985) on
 * [xl, xr] through (xl, yl), (xr, yr) with slopes dl, dr and control r
 * (r = 3: the cubic Hermite; r → ∞: the straight line), at x.
 */
static double rational_cubic(double x, double xl, double xr, double yl, double yr, double dl,
                             double dr, double r)
{
    const double h = xr - xl, t = (x - xl) / h, u = 1.0 - t;
    return (yr * t * t * t + (r * yr - h * dr) * t * t * u + (r * yl + h * dl) * t * u * u +
            yl * u * u * u) /
           (1.0 + (r - 3.0) * t * u);
}

/*
 * The control r for which the interpolant has second derivative y2 at the
 * left end or at the right end, kept ≥ IV_R_MIN so
 * the denominator 1 + (r − 3)t(1 − t) stays ≥ 1/4 · (IV_R_MIN + 1) > 0.
 */
#define IV_R_MIN 0.0

static double control_left(double xl, double xr, double yl, double yr, double dl, double dr,
                           double y2)
{
    const double h = xr - xl;
    const double r = (0.5 * h * y2 + (dr - dl)) / ((yr - yl) / h - dl);
    return r > IV_R_MIN ? r : IV_R_MIN; /* also catches NaN from 0/0 */
}

static double control_right(double xl, double xr, double yl, double yr, double dl, double dr,
                            double y2)
{
    const double h = xr - xl;
    const double r = (0.5 * h * y2 + (dr - dl)) / (dr - (yr - yl) / h);
    return r > IV_R_MIN ? r : IV_R_MIN;
}

/*
 * Initial guess, objective and bracket (header: "Initial guess"). At s_c,
 * d1 = 0 exactly, so b_c = e^{x/2}/2 − e^{−x/2}N(−s_c) and
 * b'(s_c) = e^{−|x|/2}/√(2π) are nearly free, and b''(s_c) = 0.
 */
static double initial_guess(const otm *o, target *t, double *lo, double *hi)
{
    const double ax = -o->x, beta = t->beta;
    const double sc = sqrt(2.0 * ax);
    const double bc = 0.5 * o->bmax - o->ebar * norm_cdf(-sc);
    const double ivc = M_SQRT2 * M_SQRTPI * o->ebar;
    if (beta < bc) {
        t->reg = LOWER;
        t->goal = 1.0 / log(beta);
        *lo = 0.0;
        *hi = sc;
        const double sl = sc - bc * ivc;
        const double isl = 1.0 / sl;
        const double bl = black_b(o, sl, isl);
        const slope dl = black_slope(o, sl, isl);
        const double vl = dl.b1;
        if (beta >= bl) /* s(β) between (b_l, s_l) and (b_c, s_c), s'' = 0 at b_c */
            return rational_cubic(beta, bl, bc, sl, sc, 1.0 / vl, ivc,
                                  control_right(bl, bc, sl, sc, 1.0 / vl, ivc, 0.0));
        /* f(β) = f_l(s(β)) between (0, 0) with slope 1 and (b_l, f_l(s_l)). */
        const double k = 2.0 * M_PI * ax / (3.0 * M_SQRT3), a = ax / M_SQRT3;
        const double z = a / sl, p = norm_cdf(-z);
        const double phi = LSD_INV_SQRT_2PI * exp(-0.5 * z * z);
        const double p1 = phi * z / sl;                       /* P'(s_l) */
        const double p2 = phi * (z * z * z - 2.0 * z) / (sl * sl); /* P''(s_l) */
        const double fl = k * p * p * p;
        const double f1 = 3.0 * k * p * p * p1;
        const double f2 = 3.0 * k * (2.0 * p * p1 * p1 + p * p * p2);
        const double df = f1 / vl;                        /* df/dβ at b_l */
        const double d2f = (f2 - f1 * dl.r2) / (vl * vl); /* d²f/dβ² at b_l */
        const double f = rational_cubic(beta, 0.0, bl, 0.0, fl, 1.0, df,
                                        control_right(0.0, bl, 0.0, fl, 1.0, df, d2f));
        const double q = gsl_cdf_ugaussian_Pinv(cbrt(f / k));
        return q < 0.0 ? a / -q : 0.5 * sl;
    }
    *lo = sc;
    *hi = INFINITY;
    if (beta > 0.5 * o->bmax) {
        t->reg = UPPER;
        t->goal = log(t->cstar);
    } else {
        t->reg = MIDDLE;
        t->goal = beta;
    }
    const double su = sc + (o->bmax - bc) * ivc;
    const double isu = 1.0 / su;
    const double bu = black_b(o, su, isu);
    const slope du = black_slope(o, su, isu);
    const double vu = du.b1;
    if (beta <= bu) /* s(β) between (b_c, s_c) and (b_u, s_u), s'' = 0 at b_c */
        return rational_cubic(beta, bc, bu, sc, su, ivc, 1.0 / vu,
                              control_left(bc, bu, sc, su, ivc, 1.0 / vu, 0.0));
    /* g(β) = N(−s(β)/2) between (b_u, N(−s_u/2)) and (e^{x/2}, 0) with
     * slope −1/2 there (c ~ 2N(−s/2) as s → ∞). */
    const double g = norm_cdf(-0.5 * su);
    const double phi = LSD_INV_SQRT_2PI * exp(-0.125 * su * su);
    const double g1 = -0.5 * phi, g2 = 0.125 * su * phi; /* dN(−s/2)/ds, d²/ds² */
    const double dg = g1 / vu, d2g = (g2 - g1 * du.r2) / (vu * vu);
    const double gv = rational_cubic(beta, bu, o->bmax, g, 0.0, dg, -0.5,
                                     control_left(bu, o->bmax, g, 0.0, dg, -0.5, d2g));
    const double q = gsl_cdf_ugaussian_Pinv(gv);
    return q < 0.0 ? -2.0 * q : su + 1.0;
}

/* Solve b(x, s) = β for s, x ≤ 0, 0 < β < e^{x/2}. */
static lsd_status solve_otm(const otm *o, double beta, double *s_out)
{
    target t = { MIDDLE, beta, o->bmax - beta, beta };
    double lo, hi;
    double s = initial_guess(o, &t, &lo, &hi);
    for (int i = 0; i < IV_MAX_STEPS; i++) {
        if (!(s > lo && s < hi)) /* bisect (geometrically toward an open end) */
            s = isinf(hi) ? 2.0 * lo + 1.0 : lo > 0.0 ? 0.5 * (lo + hi) : 0.5 * hi;
        const double ds = step_at(o, &t, s, &lo, &hi);
        if (!isfinite(ds)) {
            s = NAN; /* forces a bisection of the narrowed bracket */
            continue;
        }
        const double next = s + ds;
        if (fabs(ds) <= IV_STEP_TOL * s) {
            /* converged; at rounding level the step and the bracket (from
             * the sign of b − β) may disagree by an ulp or two: clamp */
            *s_out = fmin(fmax(next, lo), hi);
            return LSD_OK;
        }
        s = next;
        if (isfinite(hi) && hi - lo <= 4.0 * DBL_EPSILON * hi) { /* bracket at rounding */
            *s_out = 0.5 * (lo + hi);
            return LSD_OK;
        }
    }
    return LSD_ENOCONV;
}

/*
 * The common inversion of a discounted price at x = ln(F/K) with
 * discounted strike dstrike = D·K (so D·√(F·K) = D·K·e^{x/2}).
 */
static lsd_status invert(lsd_option_type type, double price, double x, double dstrike,
                         double expiry, double *vol, lsd_diag *diag)
{
    const double xt = type == LSD_CALL ? x : -x; /* the call's log-moneyness */
    const double xo = -fabs(x);                  /* the out-of-the-money twin's */
    const double bmax = exp(0.5 * xo), ebar = 1.0 / bmax;
    const double norm = dstrike * (x <= 0.0 ? bmax : ebar);
    const double upper = xt <= 0.0 ? bmax : ebar; /* e^{xt/2} */
    const double beta = price / norm;
    /* 2·sinh(xt/2); from e^{±xt/2} (no cancellation worse than 4ε) once xt ≥ 1/2 */
    const double iota = xt <= 0.0 ? 0.0 : xt < 0.5 ? 2.0 * sinh(0.5 * xt) : ebar - bmax;
    const double tol = 2.0 * DBL_EPSILON * fabs(beta);
    /* A price exactly at D·F or D·K may land a few ulps under upper after
     * the normalisation: 4ε of slack. */
    if (!(beta < upper * (1.0 - 4.0 * DBL_EPSILON)))
        return lsd_diag_fail(diag, LSD_EABOVE,
                        "%s price %.15g is at or above its upper bound %.15g (the discounted "
                        "%s)",
                        lsd_option_type_name(type), price, norm * upper,
                        type == LSD_CALL ? "forward" : "strike");
    if (beta - iota < -tol)
        return lsd_diag_fail(diag, LSD_EBELOW, "%s price %.15g is below its intrinsic value %.15g",
                        lsd_option_type_name(type), price, norm * iota);
    if (!(beta - iota > tol))
        return lsd_diag_fail(diag, LSD_ENOTIME,
                        "%s price %.15g equals its intrinsic value %.15g to rounding: no "
                        "time value to invert",
                        lsd_option_type_name(type), price, norm * iota);

    const otm o = { xo, xo * xo, bmax, ebar };
    double s;
    if (solve_otm(&o, beta - iota, &s) != LSD_OK)
        return lsd_diag_fail(diag, LSD_ENOCONV, "implied vol: no convergence for price %.17g",
                        price);
    *vol = s / sqrt(expiry);
    return LSD_OK;
}

/* x must be finite and > 0. */
static int positive(double v)
{
    return v > 0.0 && isfinite(v);
}

/* ln(F/K), near the money as log1p((F − K)/K) with F − K exact (black.h). */
static double log_moneyness(double f, double k)
{
    return (f >= 0.5 * k && f <= 2.0 * k) ? log1p((f - k) / k) : log(f / k);
}

lsd_status lsd_implied_vol_black(lsd_option_type type, double price, double forward,
                                 double strike, double expiry, double discount, double *vol,
                                 lsd_diag *diag)
{
    if (vol == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "implied vol: NULL output");
    *vol = NAN;
    if (type != LSD_CALL && type != LSD_PUT)
        return lsd_diag_fail(diag, LSD_EINVAL, "unknown option type %d", (int)type);
    if (!isfinite(price))
        return lsd_diag_fail(diag, LSD_EDOM, "price must be finite (got %.17g)", price);
    if (!positive(forward))
        return lsd_diag_fail(diag, LSD_EDOM, "forward must be finite and > 0 (got %.17g)", forward);
    if (!positive(strike))
        return lsd_diag_fail(diag, LSD_EDOM, "strike must be finite and > 0 (got %.17g)", strike);
    if (!positive(expiry))
        return lsd_diag_fail(diag, LSD_EDOM, "expiry must be finite and > 0 (got %.17g)", expiry);
    if (!positive(discount))
        return lsd_diag_fail(diag, LSD_EDOM, "discount must be finite and > 0 (got %.17g)",
                        discount);
    return invert(type, price, log_moneyness(forward, strike), discount * strike, expiry, vol,
                  diag);
}

lsd_status lsd_implied_vol_bsm(const lsd_option *opt, const lsd_market *mkt, double price,
                           double *vol, lsd_diag *diag)
{
    if (vol == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "implied vol: NULL output");
    *vol = NAN;
    if (opt == NULL || mkt == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "NULL option or market");
    /* mkt->vol is ignored: check the rest with a placeholder vol. */
    lsd_market m = *mkt;
    m.vol = 1.0;
    const lsd_status st = lsd_option_check(opt, &m, NULL, diag);
    if (st != LSD_OK)
        return st;
    if (!isfinite(price))
        return lsd_diag_fail(diag, LSD_EDOM, "price must be finite (got %.17g)", price);
    /* x as lsd_bsm_price forms it, so that a round trip sees the same x. */
    const double x = lsd_black_log_moneyness(opt, &m);
    const double dk = exp(-mkt->rate * opt->expiry) * opt->strike;
    return invert(opt->type, price, x, dk, opt->expiry, vol, diag);
}
