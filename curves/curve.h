/*
 * curve.h — term structures of continuously compounded rates: the quote
 * currency's interest rate curve and the token's carry (staking-yield) curve.
 *
 * A curve is built from pillars (time in years → continuously compounded
 * zero rate, or → discount factor) and answers discount factors, zero rates
 * and forward rates at any time. Pricing a European option reduces a curve
 * to its zero rate at expiry, r̄(T) = −ln D(T)/T, exactly as QuantLib's
 * engines do for a flat-vol Black–Scholes process.
 *
 * This is the curve maths alone: the reader of curve files is
 * pricing/io/curve_file.h (lsd_curve_file_load), and the reduction of
 * curves to a market's flat rate and carry is curves/market.h
 * (lsd_market_apply_curves).
 *
 * Thread safety: a built curve is read-only, so any number of threads may
 * query one curve at once (no GSL accelerator is shared; GSL runs under the
 * library's own error guard); lsd_curve_new and lsd_curve_flat allocate,
 * and lsd_curve_free must not run while another thread uses the curve.
 *
 * Layer: curves (curves/) — depends on core only; installed as
 * <lsdopt/curve.h>.
 */
#ifndef LSD_CURVE_H
#define LSD_CURVE_H

#include "status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A rate or carry curve (opaque; lsd_curve_free releases it). */
typedef struct lsd_curve lsd_curve;

/* What the pillar values are. */
typedef enum lsd_curve_quote {
    LSD_CURVE_ZERO_RATE = 0, /* continuously compounded zero rate r(t), per year */
    LSD_CURVE_DISCOUNT = 1   /* discount factor D(t) = e^{−r(t)·t}, finite and > 0 */
} lsd_curve_quote;

/*
 * Build a curve from n ≥ 1 pillars: times[i] in years (strictly increasing,
 * finite, > 0) and values[i] as quote says. The arrays are copied.
 * Interpolation: Steffen's monotone cubic (GSL) on −ln D(t) through (0, 0)
 * and the pillars, so forwards are continuous and stay ≥ 0 where the data's
 * period forwards are; one pillar gives a flat curve. Extrapolation: before
 * the first pillar the interpolant from (0, 0); beyond the last a flat
 * instantaneous forward. Details in curve.c and README. A query at a
 * pillar's time returns the quoted value itself.
 * Errors: LSD_EINVAL for NULL, n = 0 or an unknown quote; LSD_EDOM for
 * unsorted, duplicate, NaN, infinite or out-of-range pillars (the message
 * names the pillar by its 0-based index); LSD_ENOMEM. On error *out is NULL.
 */
LSD_EXPORT lsd_status lsd_curve_new(const double *times, const double *values, size_t n,
                                    lsd_curve_quote quote, lsd_curve **out, lsd_diag *diag);

/* A flat curve: zero rate `rate` at every time. Same errors as lsd_curve_new. */
LSD_EXPORT lsd_status lsd_curve_flat(double rate, lsd_curve **out, lsd_diag *diag);

/* Release a curve (NULL is fine). */
LSD_EXPORT void lsd_curve_free(lsd_curve *curve);

/* Discount factor D(t), t ≥ 0 finite (D(0) = 1). LSD_EDOM otherwise; *df NaN. */
LSD_EXPORT lsd_status lsd_curve_discount(const lsd_curve *curve, double t, double *df,
                                         lsd_diag *diag);

/* Zero rate r(t) = −ln D(t)/t, t > 0 finite (t = 0: the short rate). */
LSD_EXPORT lsd_status lsd_curve_zero_rate(const lsd_curve *curve, double t, double *rate,
                                          lsd_diag *diag);

/* Instantaneous forward rate f(t) = −d ln D/dt, t ≥ 0 finite. */
LSD_EXPORT lsd_status lsd_curve_forward_rate(const lsd_curve *curve, double t, double *rate,
                                             lsd_diag *diag);

/* Period forward rate ln(D(t1)/D(t2))/(t2 − t1), 0 ≤ t1 < t2 finite. */
LSD_EXPORT lsd_status lsd_curve_period_forward(const lsd_curve *curve, double t1, double t2,
                                               double *rate, lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_CURVE_H */
