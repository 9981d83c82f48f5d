/*
 * forwards.c — forwards from put–call parity, robust to stale quotes, and
 * the carry they imply.
 *
 * Parity, quote-currency premiums (Hull, Options, Futures and Other
 * Derivatives, 10th ed., §11.4, with the forward in place of S·e^{−qT}):
 *   C − P = D(T)·(F − K)  ⇒  F_K = K + (C − P)/D(T),
 * D(T) the quote currency's discount factor.
 *
 * Parity, inverse (coin-settled) premiums, as on Deribit. An inverse call
 * pays max(S_T − K, 0)/S_T coins, a put max(K − S_T, 0)/S_T, so call − put
 * pays 1 − K/S_T coins. Valued in coins with the coin as numeraire, where
 * 1/S_T (the coin price of one unit of quote currency) has expectation 1/F
 * (F the quote-currency forward of the coin):
 *   c − p = D_coin(T)·(1 − K/F).
 * Deribit's premiums and forwards carry no coin interest (coin rate 0,
 * D_coin = 1; PROVENANCE.md of the snapshots checks c − p = (F − K)/F on
 * every two-sided strike), so
 *   F_K = K/(1 − (c − p)),  defined while c − p < 1.
 *
 * Estimator. Each strike whose call and put are both two-sided gives F_K
 * from the mids. A stale quote (one leg not refreshed while the market
 * moved) puts its F_K far from the rest, so:
 *   1. m = median F_K, s = 1.4826·median |F_K − m| (the MAD scaled to be
 *      the standard deviation for normal errors; Rousseeuw & Croux, JASA 88
 *      (1993) 1273); keep |F_K − m| ≤ c·max(s, σ̃), σ̃ the median σ_K
 *      (step 2). c = 3 keeps 99.7% of normally scattered good points;
 *      Leys et al., J. Exp. Soc. Psych. 49 (2013) 764, recommend 2.5–3.
 *      The floor σ̃: when the strikes agree more closely than the quotes
 *      are precise (a clean chain, s ≈ 0), a strike within a few typical
 *      half-spreads of m is quote noise, not a stale quote.
 *   2. F = Σ w_K F_K / Σ w_K over the kept strikes, w_K = 1/σ_K², σ_K the
 *      half-width of F_K that the quoted spreads allow:
 *        σ_K = |dF_K/dx|·(h_C + h_P),  x = C − P, h = (ask − bid)/2,
 *        dF_K/dx = 1/D (quote premiums), K/(1 − x)² = F_K²/K (inverse).
 *      Tight, liquid strikes near the money dominate; deep in-the-money legs
 *      with wide spreads count little. σ_K is floored at 1e-9·F_K so a
 *      locked market (bid = ask) gets a large finite weight.
 * dispersion reports s (step 1) over all the expiry's two-sided strikes.
 *
 * Implied carry (DESIGN.md: F = S·e^{(r − q)T}): q(T) = r(T) − ln(F/S)/T,
 * r(T) the quote currency's zero rate. With r = 0 it is minus the
 * annualised basis: futures above spot give q < 0 (a funding cost).
 *
 * Layer: fit (pricing/fit/) — depends on core, models and curves.
 */
#include "forwards.h"

#include "diag.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* MAD to standard deviation for normal errors: 1/Φ⁻¹(3/4). */
#define MAD_SCALE 1.4826

lsd_forwards_control lsd_forwards_control_default(void)
{
    return (lsd_forwards_control){ .outlier_mads = 3.0 };
}

static int compare_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of x[0..n), n ≥ 1; sorts x. */
static double median(double *x, size_t n)
{
    qsort(x, n, sizeof *x, compare_double);
    return n % 2 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

static int two_sided(const lsd_quote *q)
{
    return isfinite(q->bid) && isfinite(q->ask);
}

/* One strike's parity forward and its half-width; 0 if not finite. */
static int strike_forward(const lsd_quote *call, const lsd_quote *put, double discount,
                          double *fk, double *width)
{
    const double x = 0.5 * (call->bid + call->ask) - 0.5 * (put->bid + put->ask);
    const double h = 0.5 * (call->ask - call->bid) + 0.5 * (put->ask - put->bid);
    const double k = call->strike;
    if (call->unit == LSD_PREMIUM_QUOTE) {
        *fk = k + x / discount;
        *width = h / discount;
    } else {
        *fk = k / (1.0 - x);
        *width = *fk * *fk / k * h;
    }
    *width = fmax(*width, 1e-9 * fabs(*fk));
    return *fk > 0.0 && isfinite(*fk) && isfinite(*width);
}

/* The forward of one expiry: quotes q[0..n) share it. scratch holds 3n. */
static void expiry_forward(const lsd_quote *q, size_t n, double discount, double outlier_mads,
                           double *scratch, lsd_forward *out)
{
    double *fk = scratch, *width = scratch + n, *work = scratch + 2 * n;
    size_t np = 0, nvenue = 0, ninvalid = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(q[i].forward))
            work[nvenue++] = q[i].forward;
    out->venue_forward = nvenue > 0 ? median(work, nvenue) : NAN;
    /* Sorted by strike, call before put: a pair is a call followed by the
     * put of the same strike. */
    for (size_t i = 0; i + 1 < n; i++) {
        const lsd_quote *c = &q[i], *p = &q[i + 1];
        if (c->type != LSD_CALL || p->type != LSD_PUT || c->strike != p->strike ||
            c->unit != p->unit || !two_sided(c) || !two_sided(p))
            continue;
        if (strike_forward(c, p, discount, &fk[np], &width[np]))
            np++;
        else
            ninvalid++;
    }
    out->forward = NAN;
    out->dispersion = NAN;
    out->n_pairs = 0;
    out->n_rejected = ninvalid;
    if (np == 0)
        return;
    memcpy(work, fk, np * sizeof *work);
    const double m = median(work, np);
    for (size_t j = 0; j < np; j++)
        work[j] = fabs(fk[j] - m);
    const double s = MAD_SCALE * median(work, np);
    memcpy(work, width, np * sizeof *work);
    const double cut = outlier_mads * fmax(s, median(work, np));
    double sw = 0.0, swf = 0.0;
    for (size_t j = 0; j < np; j++) {
        if (!(fabs(fk[j] - m) <= cut)) {
            out->n_rejected++;
            continue;
        }
        const double w = 1.0 / (width[j] * width[j]);
        sw += w;
        swf += w * fk[j];
        out->n_pairs++;
    }
    out->forward = swf / sw;
    out->dispersion = s;
}

lsd_status lsd_forwards_chain(const lsd_chain *chain, const lsd_curve *rate_curve, double spot,
                              const lsd_forwards_control *params, lsd_forward *out,
                              size_t *count, lsd_diag *diag)
{
    if (count == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "forwards: NULL count");
    *count = 0;
    if (chain == NULL || out == NULL || (chain->n > 0 && chain->quotes == NULL))
        return lsd_diag_fail(diag, LSD_EINVAL, "forwards: NULL chain or output");
    const lsd_forwards_control p = params != NULL ? *params : lsd_forwards_control_default();
    if (!(p.outlier_mads > 0.0) || !isfinite(p.outlier_mads))
        return lsd_diag_fail(diag, LSD_EDOM, "forwards: outlier_mads must be finite and > 0 (got %.17g)",
                        p.outlier_mads);
    if (!isnan(spot) && (!(spot > 0.0) || !isfinite(spot)))
        return lsd_diag_fail(diag, LSD_EDOM, "forwards: spot must be finite and > 0, or NaN (got %.17g)",
                        spot);
    const double s = isnan(spot) ? chain->spot : spot;
    double *scratch = malloc((3 * chain->n + 1) * sizeof *scratch);
    if (scratch == NULL)
        return lsd_diag_fail(diag, LSD_ENOMEM, "forwards: out of memory");
    size_t k = 0;
    lsd_status st = LSD_OK;
    for (size_t i = 0; i < chain->n && st == LSD_OK;) {
        const double t = chain->quotes[i].expiry;
        size_t j = i;
        while (j < chain->n && chain->quotes[j].expiry == t)
            j++;
        lsd_forward *f = &out[k];
        *f = (lsd_forward){ .expiry_time = chain->quotes[i].expiry_time, .expiry = t,
                            .spot = s, .carry = NAN };
        double r = 0.0, discount = 1.0;
        if (!(t > 0.0) || !isfinite(t)) {
            st = lsd_diag_fail(diag, LSD_EDOM, "forwards: expiry must be finite and > 0 (got %.17g)",
                          t);
            break;
        }
        if (rate_curve != NULL) {
            st = lsd_curve_zero_rate(rate_curve, t, &r, diag);
            if (st == LSD_OK)
                st = lsd_curve_discount(rate_curve, t, &discount, diag);
        }
        f->rate = r;
        expiry_forward(chain->quotes + i, j - i, discount, p.outlier_mads, scratch, f);
        if (isfinite(f->forward) && isfinite(s))
            f->carry = r - log(f->forward / s) / t;
        k++;
        i = j;
    }
    free(scratch);
    if (st != LSD_OK)
        return st;
    *count = k;
    return LSD_OK;
}

lsd_status lsd_forwards_apply(lsd_chain *chain, const lsd_forward *forwards, size_t n,
                              lsd_diag *diag)
{
    if (chain == NULL || (chain->n > 0 && chain->quotes == NULL) || (n > 0 && forwards == NULL))
        return lsd_diag_fail(diag, LSD_EINVAL, "forwards: NULL chain or forwards");
    size_t k = 0; /* the previous quote's entry */
    for (size_t i = 0; i < chain->n && n > 0; i++) {
        lsd_quote *q = &chain->quotes[i];
        size_t tried = 0;
        while (tried < n && forwards[k].expiry_time != q->expiry_time) {
            k = k + 1 < n ? k + 1 : 0;
            tried++;
        }
        if (tried < n && forwards[k].n_pairs > 0 && isfinite(forwards[k].forward))
            q->forward = forwards[k].forward;
    }
    return LSD_OK;
}

lsd_status lsd_forwards_carry_pillars(const lsd_forward *forwards, size_t n, double min_expiry,
                                      double *tenors, double *rates, size_t *npillars,
                                      lsd_diag *diag)
{
    if (npillars == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "carry pillars: NULL count");
    *npillars = 0;
    if (forwards == NULL || tenors == NULL || rates == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "carry pillars: NULL array");
    if (!(min_expiry >= 0.0) || !isfinite(min_expiry))
        return lsd_diag_fail(diag, LSD_EDOM,
                        "carry pillars: min_expiry must be finite and >= 0 (got %.17g)",
                        min_expiry);
    for (size_t i = 1; i < n; i++)
        if (!(forwards[i].expiry > forwards[i - 1].expiry))
            return lsd_diag_fail(diag, LSD_EDOM,
                            "carry pillars: expiry %zu (%.17g) is not after expiry %zu (%.17g)",
                            i, forwards[i].expiry, i - 1, forwards[i - 1].expiry);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(forwards[i].carry) || !(forwards[i].expiry >= min_expiry))
            continue;
        tenors[k] = forwards[i].expiry;
        rates[k] = forwards[i].carry;
        k++;
    }
    *npillars = k;
    return LSD_OK;
}
