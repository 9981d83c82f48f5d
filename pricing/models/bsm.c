/*
 * bsm.c — generalized Black–Scholes–Merton with a continuous carry yield.
 *
 * Dynamics: dS/S = (r − q)dt + σ dW under the risk-neutral measure, q the
 * token's staking yield paid as a continuous dividend. With F = S·e^{(r−q)T},
 * s = σ√T, d1 = ln(F/K)/s + s/2, d2 = d1 − s:
 *
 *   call = S e^{−qT} N(d1) − K e^{−rT} N(d2)
 *   put  = K e^{−rT} N(−d2) − S e^{−qT} N(−d1)
 *
 * Greeks (Haug 2007, §2.1, "generalized BSM" with b = r − q):
 *   delta = ±e^{−qT} N(±d1),  gamma = e^{−qT} φ(d1)/(S s),
 *   vega = S e^{−qT} φ(d1) √T,  rho = ±K T e^{−rT} N(±d2),
 *   carry_rho = ∓T S e^{−qT} N(±d1),
 *   theta = −S e^{−qT} φ(d1) σ/(2√T) ∓ r K e^{−rT} N(±d2) ± q S e^{−qT} N(±d1).
 *
 * Source: Black & Scholes (1973); Merton (1973) for the dividend yield;
 *         Haug, The Complete Guide to Option Pricing Formulas, 2nd ed.
 *         (2007), §1.1.6 and §2.1.
 * Implementation: the single n = 0 term of the kernel in black.h, so that
 * Merton with λ = 0 reproduces this function exactly.
 *
 * Layer: models (pricing/models/) — depends on core only.
 */
#include "bsm.h"

#include "black.h"
#include "diag.h"

#include <stddef.h>

lsd_status lsd_bsm_price(const lsd_option *opt, const lsd_market *mkt, lsd_greeks *out,
                         lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "NULL output");
    lsd_greeks_set_nan(out);
    const lsd_status st = lsd_option_check(opt, mkt, NULL, diag);
    if (st != LSD_OK)
        return st;

    const double x = lsd_black_log_moneyness(opt, mkt);
    const double s = sqrt(mkt->vol * mkt->vol * opt->expiry);
    const lsd_black_frame f = lsd_black_frame_make(opt, mkt, x, s);
    lsd_black_term t;
    lsd_black_kernels(&f.centre, &x, &s, 1, &t);
    const lsd_black_sums sums = { t.a, t.c, t.phi_per_s, 0.0, 0.0, 0.0 };
    lsd_black_assemble(&f, &sums, out);
    return LSD_OK;
}
