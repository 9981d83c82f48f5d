/*
 * poisson.c — Poisson weights in log space and the cut of a Poisson law at a
 * proven tail bound (formulas, accuracy and sources in poisson.h).
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#include "poisson.h"

#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>

/*
 * For n ≤ 22 and μ ≤ 700 as e^{−μ}·μ^n/n!, three correctly rounded or
 * nearly so factors and no cancellation; otherwise in log space, the
 * exponent n ln(n/μ) + μ − n ≥ 0 formed with log1p near the mode, where it
 * is a small difference of large terms.
 */
double lsd_poisson_pmf(long n, double mu)
{
    if (n == 0)
        return exp(-mu);
    const double dn = (double)n;
    if (n <= 22 && mu <= 700.0)
        return exp(-mu) * pow(mu, dn) / gsl_sf_fact((unsigned)n);
    const double t = (dn - mu) / mu;
    const double expo =
        fabs(t) < 0.5 ? dn * log1p(t) - (dn - mu) : dn * log(dn / mu) + (mu - dn);
    return exp(-expo) / (gsl_sf_gammastar(dn) * sqrt(2.0 * M_PI * dn));
}

long lsd_poisson_upper_cut(double mu, double tail)
{
    long n = (long)floor(mu);
    double w = lsd_poisson_pmf(n + 1, mu);
    while (lsd_poisson_tail_above(n, w, mu) > tail) {
        ++n;
        w = lsd_poisson_next(w, mu / (double)(n + 1), n + 1, mu);
    }
    return n;
}
