/*
 * lewis.h — an independent reference for the COS engine (cos.h): European
 * prices, deltas and gammas by the Lewis (2001) single integral, in long
 * double, with its own characteristic functions written from the papers
 * (not from pricing/models/charfn.c), and the shared case generator and
 * error tally of the reference tests test_cos_lewis and test_cos_quantlib.
 *
 * With F = S·e^{(r−q)T}, x = ln(F/K) and φ the characteristic function of
 * Y = ln(S_T/F) (E[e^Y] = 1 over the whole law, default included),
 * min(F·e^Y, K) has the Fourier representation on the line Im ξ = 1/2, so
 *
 *   call = e^{−rT}·(F − √(FK)/π·I_p),  put = e^{−rT}·(K − √(FK)/π·I_p),
 *   I_p = ∫₀^∞ Re[e^{iux} φ(u − i/2)]/(u² + 1/4) du
 *
 * (Lewis 2001, eq. (3.11) in our variables; derivation in lewis.c), and,
 * differentiating under the integral in F (∂/∂F = F^{−1}∂/∂x),
 *
 *   call delta = e^{−qT}·(1 − e^{−x/2}/π·I_d),  put delta = call delta − e^{−qT},
 *   I_d = ∫₀^∞ Re[e^{iux} φ(u − i/2)/(1/2 − iu)] du,
 *   gamma = e^{−qT}·e^{−x/2}/(π·S)·I_g,  I_g = ∫₀^∞ Re[e^{iux} φ(u − i/2)] du.
 *
 * The default overlay with R = 0 makes the law defective (mass e^{−hT}
 * survives with drift +h, S_T = 0 otherwise); min(F·e^Y, K) = 0 at default,
 * so the same formulas hold with φ the survivors' sub-probability transform
 * (the put's K·(1 − e^{−hT}) after default is inside its "K −" term).
 *
 * Characteristic functions (ln φ(z) at complex z, each compensated so that
 * E[e^Y] = 1):
 *   diffusion σ:  −σ²T(z² + iz)/2
 *   Heston:       Cui, del Baño Rollin & Germano (2017), Eur. J. Oper. Res.
 *                 263, eq. (18) — a different algebraic form from the
 *                 engine's "little trap" (Albrecher et al. 2007), rescaled by
 *                 e^{−dT} so nothing overflows
 *   Merton jumps: λT(e^{izμ − δ²z²/2} − 1) − izλTκ, κ = e^{μ+δ²/2} − 1
 *                 (Merton 1976; also the depeg overlay and, with μ = ln R,
 *                 δ = 0, λ = h, the default overlay with R > 0)
 *   Kou jumps:    λT(pη₁/(η₁ − iz) + (1−p)η₂/(η₂ + iz) − 1) − izλTζ
 *                 (Kou 2002, eq. (2))
 *   default R=0:  −hT + izhT (survivors only).
 *
 * Quadrature: adaptive Gauss–Legendre (20 points per panel, a panel kept
 * when it agrees with its two halves) on [0, U], U where |φ(u − i/2)| has
 * fallen below 1e-22 for good; long double throughout.
 */
#ifndef LSD_REFERENCE_LEWIS_H
#define LSD_REFERENCE_LEWIS_H

#include <lsdopt/lsdopt.h>

#include <gsl/gsl_rng.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One valuation: option, market (vol 0 for Heston, Bates) and model. */
typedef struct ref_case {
    lsd_option opt;
    lsd_market mkt;
    lsd_model_params params;
} ref_case;

/* A reference value. */
typedef struct ref_value {
    long double price, delta, gamma;
    long evaluations; /* characteristic-function evaluations used */
} ref_value;

/*
 * Price, delta and gamma of c by the Lewis integral; tol is the absolute
 * error allowed on each of I_p, I_d, I_g (1e-19 is the default of the
 * tests). Returns 0, or -1 if the quadrature did not converge (the panel
 * budget ran out), with a message on stdout.
 */
int lewis_value(const ref_case *c, long double tol, ref_value *out);

/* The flags of ref_case_random: which overlays to draw. */
enum { REF_DEFAULT_ZERO = 1, REF_DEFAULT_RECOVERY = 2, REF_DEPEG = 4 };

/*
 * A random case of model with the overlays in flags, in crypto ranges
 * (lewis.c lists them): T from 1 day to tmax years (log-uniform), strike
 * at z standard deviations from the forward, z uniform in [−zmax, zmax],
 * call or put with equal odds.
 */
ref_case ref_case_random(gsl_rng *rng, lsd_model model, int flags, double tmax, double zmax);

/* Print c on one line (every input, %.17g). */
void ref_case_print(const ref_case *c);

/*
 * Worst errors of one family: |got − want| against the test's tolerance
 * max(rtol·|want|, atol·scale) with scale S, 1, 1/S for price, delta,
 * gamma; ref_tally_add returns the number of outputs over tolerance (and
 * prints each with its case).
 */
typedef struct ref_tally {
    const char *family;
    double rtol, atol;
    int cases, failures;
    double worst_ratio[3], worst_rel[3];
    double worst_got[3], worst_want[3];
    ref_case worst_at[3];
} ref_tally;

ref_tally ref_tally_start(const char *family, double rtol, double atol);
int ref_tally_add(ref_tally *t, const ref_case *c, const lsd_greeks *got, const ref_value *want);
void ref_tally_report(const ref_tally *t);

/* Scale-down factor for case counts: env LSDOPT_REFERENCE_SCALE (default 1). */
double ref_scale(void);

#ifdef __cplusplus
}
#endif

#endif /* LSD_REFERENCE_LEWIS_H */
