/*
 * terminal_law.c — the law of ln S_T under Merton (1976) jump-diffusion with
 * a drift, its CDF and quantiles (contracts in terminal_law.h).
 *
 * Given n jumps by T, ln S_T is normal with mean ln F_n − v_n/2 and variance
 * v_n,
 *
 *   F_n = S e^{bT} e^{−λκT} (1+κ)^n,  v_n = σ²T + nδ²,  κ = e^{μ_J+δ²/2} − 1,
 *
 * i.e. mean ln S + (b − λκ − σ²/2)T + nμ_J, and n ~ Poisson(λT) (Merton 1976,
 * J. Financial Economics 3, eq. (19) is the price as that mixture). b = r − q
 * is the pricing measure; a real-world drift μ replaces it (E[S_T] = S e^{μT}),
 * with real-world jump parameters compensated the same way. So
 *
 *   P(S_T ≤ s) = Σ_n Pois(n; λT) N(z_n),  z_n = (ln s − mean_n)/√v_n,
 *
 * and P(S_T > s) = Σ_n Pois(n; λT) N(−z_n), both summed directly from n = 0
 * with the weights of poisson.h. Each omitted term adds at most its weight
 * (0 ≤ N ≤ 1), so the sum stops when the Poisson tail bound of poisson.h
 * (geometric, proven) is below LAW_TAIL.
 *
 * Quantiles: Brent's method on ln s (root.h) for the smaller tail.
 *
 * Layer: models (pricing/models/) — depends on core only.
 */
#include "terminal_law.h"

#include "diag.h"
#include "poisson.h"
#include "root.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stddef.h>

/* Poisson terms a CDF evaluation may sum before LSD_ENOCONV. */
#define LAW_MAX_TERMS 100000L
/*
 * The CDF sum stops when the Poisson mass not yet summed is provably below
 * LAW_TAIL: cdf and sf are then exact to 1e-17 absolute (plus rounding),
 * under half an ulp of any probability above 0.15, and a hundredth of the
 * quantile solve's resolution (ln s to 1e-15 moves a cdf by at most
 * 1e-15·density, and the density of ln S_T is below 1/(σ√T·√(2π))).
 */
#define LAW_TAIL 1e-17

static void law_set_nan(lsd_terminal_law *law)
{
    law->log_mean0 = law->var0 = law->jump_mean = law->jump_var = law->jump_count = NAN;
}

lsd_status lsd_terminal_law_init(const lsd_market *mkt, double expiry, double drift,
                                 const lsd_jumps *jumps, lsd_terminal_law *law, lsd_diag *diag)
{
    if (mkt == NULL || law == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "lsd_terminal_law_init: NULL argument");
    law_set_nan(law);
    if (!isfinite(drift))
        return lsd_diag_fail(diag, LSD_EDOM, "drift %g is not finite", drift);
    const lsd_option opt = { LSD_CALL, mkt->spot, expiry };
    const lsd_status st = lsd_option_check(&opt, mkt, jumps, diag);
    if (st != LSD_OK)
        return st;
    const double lambda = jumps == NULL ? 0.0 : jumps->intensity;
    const double mean = jumps == NULL ? 0.0 : jumps->mean;
    const double jvol = jumps == NULL ? 0.0 : jumps->vol;
    const double kappa = lambda > 0.0 ? expm1(mean + 0.5 * jvol * jvol) : 0.0;
    const double var0 = mkt->vol * mkt->vol * expiry;
    const double log_mean0 = log(mkt->spot) + (drift - lambda * kappa) * expiry - 0.5 * var0;
    if (!isfinite(log_mean0))
        return lsd_diag_fail(diag, LSD_EDOM, "mean of ln S_T overflows (drift %g, jumps)", drift);
    law->log_mean0 = log_mean0;
    law->var0 = var0;
    law->jump_mean = mean;
    law->jump_var = jvol * jvol;
    law->jump_count = lambda * expiry;
    return LSD_OK;
}

/* Σ_n Pois(n; λT) N(∓z_n) at x = ln s, both tails summed directly. */
static lsd_status law_sums(const lsd_terminal_law *law, double x, double *cdf, double *sf,
                           lsd_diag *diag)
{
    const double m = law->jump_count;
    double lo = 0.0, hi = 0.0;
    double w = m > 0.0 ? lsd_poisson_pmf(0, m) : 1.0;
    for (long n = 0; n < LAW_MAX_TERMS; n++) {
        const double dn = (double)n;
        const double z = (x - law->log_mean0 - dn * law->jump_mean) /
                         sqrt(law->var0 + dn * law->jump_var);
        lo += w * gsl_cdf_ugaussian_P(z);
        hi += w * gsl_cdf_ugaussian_Q(z);
        if (m == 0.0)
            break;
        w = lsd_poisson_pmf(n + 1, m);
        if (lsd_poisson_tail_above(n, w, m) < LAW_TAIL)
            break;
        if (n + 1 == LAW_MAX_TERMS) {
            *cdf = *sf = NAN;
            return lsd_diag_fail(diag, LSD_ENOCONV,
                                 "terminal law: Poisson tail above %g after %ld terms", LAW_TAIL,
                                 LAW_MAX_TERMS);
        }
    }
    *cdf = lo;
    *sf = hi;
    return LSD_OK;
}

lsd_status lsd_terminal_law_cdf(const lsd_terminal_law *law, double s, double *cdf, double *sf,
                                lsd_diag *diag)
{
    double lo = NAN, hi = NAN;
    lsd_status st = LSD_OK;
    if (law == NULL)
        st = lsd_diag_fail(diag, LSD_EINVAL, "lsd_terminal_law_cdf: NULL law");
    else if (!(s >= 0.0) || !isfinite(s))
        st = lsd_diag_fail(diag, LSD_EDOM, "S_T %g is not finite and >= 0", s);
    else if (s == 0.0) {
        lo = 0.0;
        hi = 1.0;
    } else
        st = law_sums(law, log(s), &lo, &hi, diag);
    if (cdf != NULL)
        *cdf = lo;
    if (sf != NULL)
        *sf = hi;
    return st;
}

typedef struct quantile_ctx {
    const lsd_terminal_law *law;
    double p;
    lsd_status status;
    lsd_diag *diag;
} quantile_ctx;

static double quantile_gap(double x, void *ctx)
{
    quantile_ctx *q = ctx;
    double cdf = NAN, sf = NAN;
    if (q->status == LSD_OK)
        q->status = law_sums(q->law, x, &cdf, &sf, q->diag);
    /* the smaller tail carries the digits */
    return q->p <= 0.5 ? cdf - q->p : (1.0 - q->p) - sf;
}

lsd_status lsd_terminal_law_quantile(const lsd_terminal_law *law, double p, double *s,
                                     lsd_diag *diag)
{
    if (s == NULL || law == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "lsd_terminal_law_quantile: NULL argument");
    *s = NAN;
    if (!(p > 0.0 && p < 1.0))
        return lsd_diag_fail(diag, LSD_EDOM, "probability %g is not in (0, 1)", p);
    const double m = law->jump_count;
    /* centre and spread of the mixture of ln S_T */
    const double centre = law->log_mean0 + m * law->jump_mean;
    const double sd = sqrt(law->var0 + m * (law->jump_var + law->jump_mean * law->jump_mean));
    quantile_ctx ctx = { law, p, LSD_OK, diag };
    const lsd_root_fn fn = { quantile_gap, &ctx, &ctx.status };
    double x;
    /* ln s to 1e-15 absolute: s to ~1e-15 relative */
    const lsd_status st = lsd_root_brent(&fn, centre, sd, 1e-15 * fmax(1.0, fabs(centre)),
                                         "quantile", &x, diag);
    if (st != LSD_OK)
        return st;
    *s = exp(x);
    return LSD_OK;
}
