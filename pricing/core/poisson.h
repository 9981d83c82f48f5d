/*
 * poisson.h — internal: Poisson weights Pois(n; μ) = e^{−μ}μ^n/n! in log
 * space, their recurrence, and proven bounds on the Poisson tails, for every
 * series in the library that sums over a Poisson jump count (Merton's price,
 * the terminal law of ln S_T, the slashing recursion of collateral.c, the
 * likelihood of estimate.c). Not installed.
 *
 * Weights. For n ≤ 22 (n! exact in a double, GSL's table) and μ ≤ 700
 * (e^{−μ} normal, μ^n finite) directly as e^{−μ}·μ^n/n!; beyond, in log
 * space through the regulated gamma function Γ*(n) = Γ(n)/(√(2π) n^{n−½} e^{−n})
 * (GSL gsl_sf_gammastar):
 *
 *   Pois(n; μ) = exp(−[n ln(n/μ) + μ − n]) / (Γ*(n)·√(2πn)),
 *
 * whose exponent is small near the mode, so no large cancelling logarithms
 * (the loss QuantLib 1.29's JumpDiffusionEngine shows at λT ≈ 200).
 *
 * Tails. The weights fall geometrically away from the mode: above it
 * Pois(n+1)/Pois(n) = μ/(n+1) ≤ μ/(N+2) for n > N, below it
 * Pois(n−1)/Pois(n) = n/μ ≤ (L−1)/μ for n < L, so
 *
 *   Σ_{n>N} Pois(n; μ) ≤ Pois(N+1; μ) / (1 − μ/(N+2))     for N + 2 > μ,
 *   Σ_{n<L} Pois(n; μ) ≤ Pois(L; μ)·L / (μ − (L − 1))      for L − 1 < μ
 *
 * (the second is Pois(L−1)/(1 − (L−1)/μ) with Pois(L−1) = Pois(L)·L/μ).
 * Each series that stops on these bounds names its own tolerance where it
 * is summed (merton.h's control, terminal_law.c, collateral.c, estimate.h's
 * control).
 *
 * GSL's error handler: lsd_poisson_pmf calls gsl_sf_fact (n ≤ 22) and
 * gsl_sf_gammastar (n ≥ 1), which raise only outside those ranges (GSL 2.7
 * specfunc/gamma.c: fact overflows past n = 170, gammastar is a domain
 * error for x ≤ 0 and succeeds on every branch for x ≥ 1), so no call here
 * reaches the handler and Merton's hot path needs no guard (a mutex).
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#ifndef LSD_POISSON_H
#define LSD_POISSON_H

#include <float.h>
#include <math.h>

/*
 * Pois(n; μ) for n ≥ 0 and finite μ ≥ 0 (μ = 0: 1 at n = 0, else 0), by
 * the direct or the log-space formula above. Accuracy: a few ulps relative
 * plus |ln Pois(n; μ)|·ε from rounding the exponent, i.e. a few ulps near
 * the mode, ~1e-13 relative for weights near 1e-300. Thread-safe;
 * allocates nothing.
 */
double lsd_poisson_pmf(long n, double mu);

/*
 * The next weight of a recurrence: w·ratio, where ratio is Pois(n)/Pois(n∓1)
 * (μ/n going up, (n+1)/μ going down), recomputed as lsd_poisson_pmf(n, μ)
 * when the product is not a normal double, so a sequence that underflows
 * far from its mode is not lost to a zero. Each step adds ≲ 1 ulp.
 */
static inline double lsd_poisson_next(double w, double ratio, long n, double mu)
{
    w *= ratio;
    return w >= DBL_MIN ? w : lsd_poisson_pmf(n, mu);
}

/*
 * The log-space recurrence: ln Pois(n; μ) from ln_w = ln Pois(n − 1; μ) and
 * ln_mu = ln μ, as ln_w + (ln μ − ln n), for n ≥ 1 and finite μ > 0; start
 * from ln Pois(0; μ) = −μ. For a sum kept in log space (log-sum-exp), where
 * a weight times its term may underflow though the logarithm does not.
 * Accuracy: step k adds ≲ ε·(|ln w_k| + |ln μ| + ln k) absolute error to
 * the logarithm (the weight that much relative), summed over the steps:
 * ~1e-14 for the few tens of terms of a small mean, growing with n·|ln w|
 * where lsd_poisson_pmf does not (so start near the mode, or from n = 0
 * only for a small mean). The tail bounds below are
 * linear in the weight, so a weight rescaled as e^{ln_w − M} gives the
 * bound rescaled by e^{−M}.
 */
static inline double lsd_poisson_log_next(double ln_w, double ln_mu, long n)
{
    return ln_w + (ln_mu - log((double)n));
}

/*
 * Upper bound on Σ_{n<lo} Pois(n; μ) given w_lo = Pois(lo; μ): 0 for
 * lo = 0, w_lo·lo/(μ − (lo − 1)) for lo − 1 < μ (geometric, see above),
 * HUGE_VAL otherwise (no bound from the ratio).
 */
static inline double lsd_poisson_tail_below(long lo, double w_lo, double mu)
{
    if (lo == 0)
        return 0.0;
    const double dl = (double)lo;
    const double gap = mu - (dl - 1.0);
    return gap > 0.0 ? w_lo * dl / gap : HUGE_VAL;
}

/*
 * Upper bound on Σ_{n>hi} Pois(n; μ) given w_next = Pois(hi + 1; μ):
 * w_next/(1 − μ/(hi + 2)) for hi + 2 > μ (geometric, see above), HUGE_VAL
 * otherwise.
 */
static inline double lsd_poisson_tail_above(long hi, double w_next, double mu)
{
    const double d2 = (double)hi + 2.0;
    const double gap = d2 - mu;
    return gap > 0.0 ? w_next * d2 / gap : HUGE_VAL;
}

/*
 * The smallest n ≥ ⌊μ⌋ whose bound lsd_poisson_tail_above(n, ·, μ) is at
 * most tail: P(N > n) ≤ tail for N ~ Poisson(μ), finite μ ≥ 0, tail > 0.
 * Walks up from the mode by the recurrence, about √(2μ ln(1/tail)) steps.
 */
long lsd_poisson_upper_cut(double mu, double tail);

#endif /* LSD_POISSON_H */
