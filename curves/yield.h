/*
 * yield.h — the staking yield a token actually paid, measured from
 * on-chain history: a protocol exchange-rate series (rETH/ETH redemption
 * rate) or a network APR series (ETH.STORE daily APR).
 *
 * Results are the carry q of DESIGN.md — continuously compounded, per year
 * ACT/365F — and the matching annual-effective yield e^q − 1. Instants are
 * seconds since the epoch (dates.h). Formulas, conventions and sources are in
 * yield.c; the contracts below say what each function promises.
 *
 * Layer: curves (curves/) — depends on core only; installed as
 * <lsdopt/yield.h>.
 */
#ifndef LSD_YIELD_H
#define LSD_YIELD_H

#include "status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the values of a series are. */
typedef enum lsd_yield_kind {
    LSD_YIELD_EXCHANGE_RATE = 0, /* R(t): staked-asset value of one token (rETH/ETH), > 0 */
    LSD_YIELD_APR = 1            /* a simple annualised daily return (ETH.STORE apr), decimal */
} lsd_yield_kind;

/*
 * A series of n observations: times[i] in seconds since the epoch, strictly
 * increasing (lsd_yield_series_sort makes a raw series so), values[i] as
 * kind says. The arrays belong to the caller and are only read.
 */
typedef struct lsd_yield_series {
    lsd_yield_kind kind;  /* exchange rate or APR */
    const double *times;  /* observation instants, seconds since the epoch */
    const double *values; /* exchange rates (> 0) or APRs (> −365) */
    size_t n;             /* observations, ≥ 2 */
} lsd_yield_series;

/* The staking yield realised over one period. */
typedef struct lsd_yield {
    double from;  /* start of the period, seconds since the epoch */
    double to;    /* end of the period, seconds since the epoch */
    double carry; /* continuously compounded yield per year (ACT/365F) */
    double apr;   /* annual-effective yield, e^carry − 1 */
} lsd_yield;

/* Parameters of the glitch filter for APR series (lsd_yield_despike). */
typedef struct lsd_yield_control {
    size_t half_window; /* k: neighbours on each side in the rolling window, ≥ 1 */
    double threshold;   /* c: outlier if |x − median| > c · 1.4826·MAD, > 0 */
    double min_relative; /* f: and |x − median| > f · |median|, ≥ 0 */
} lsd_yield_control;

/*
 * Defaults for lsd_yield_despike: k = 3 (a week of daily points), c = 10,
 * f = 0.5. Why these: see yield.c.
 */
LSD_EXPORT lsd_yield_control lsd_yield_control_default(void);

/*
 * Make a raw series usable: sort the n observations by time in place
 * (values move with their times) and remove repeated observations — the same
 * instant with the same value, as when an oracle event is logged twice.
 * *n becomes the number left and *removed (may be NULL) how many went.
 * Errors: LSD_EINVAL for NULL; LSD_EDOM for a non-finite time, or one
 * instant with two different values (the message gives the instant and both
 * values). The arrays are then sorted but not deduplicated and *n unchanged.
 */
LSD_EXPORT lsd_status lsd_yield_series_sort(double *times, double *values, size_t *n,
                                            size_t *removed, lsd_diag *diag);

/*
 * The yield realised over [from, to], from < to, both inside the series
 * (times[0] ≤ from, to ≤ times[n−1]).
 *
 * Exchange rate: carry = ln(R(to)/R(from))/τ, τ = (to − from)/(365·86400 s)
 * (ACT/365F). Between observations ln R is interpolated linearly in time, i.e.
 * the yield is taken constant between two observations.
 * APR: carry = time-weighted mean over [from, to] of each observation's
 * continuous rate 365·ln(1 + apr/365), an observation's APR holding from its
 * instant until the next observation.
 * In both cases apr = e^carry − 1.
 *
 * Errors: LSD_EINVAL for NULL; LSD_EDOM for a malformed series (n < 2, times
 * not finite and strictly increasing, a value out of its domain: the message
 * names the observation), non-finite from/to, from ≥ to, or a period outside
 * the series (the message gives the covered range). On error the fields of
 * *out are NaN.
 */
LSD_EXPORT lsd_status lsd_yield_period(const lsd_yield_series *series, double from, double to,
                                       lsd_yield *out, lsd_diag *diag);

/*
 * Trailing-window yields over time: for each observation i whose window
 * starts inside the series (times[i] − window ≥ times[0]), in order, the
 * yield over [times[i] − window, times[i]] as lsd_yield_period gives it.
 * window is in seconds, finite and > 0. out must hold series->n entries;
 * *count is set to the number written (0 if the window is longer than the
 * series). Errors: as lsd_yield_period; LSD_EDOM for a bad window. On
 * error *count is 0.
 */
LSD_EXPORT lsd_status lsd_yield_trailing(const lsd_yield_series *series, double window,
                                         lsd_yield *out, size_t *count, lsd_diag *diag);

/*
 * Find isolated glitches in an APR series (a Hampel filter): observation i
 * is a glitch when, with m_i and s_i the median and the scaled MAD
 * (1.4826 · median |x − m_i|) of the window of k neighbours on each side
 * (truncated at the ends of the series),
 *     |x_i − m_i| > c · s_i   and   |x_i − m_i| > f · |m_i|.
 * The rest is written to kept_times/kept_values (*nkept entries, in order),
 * the indices of the glitches (ascending, into the input) to dropped
 * (*ndropped entries). Each output array must hold series->n entries.
 * Medians and MADs come from GSL's gsl_movstat_mad.
 * Errors: LSD_EINVAL for NULL or an exchange-rate series; LSD_EDOM for a
 * malformed series or out-of-range params; LSD_ENOMEM. On error *nkept and
 * *ndropped are 0.
 */
LSD_EXPORT lsd_status lsd_yield_despike(const lsd_yield_series *series,
                                        const lsd_yield_control *params,
                                        double *kept_times, double *kept_values, size_t *nkept,
                                        size_t *dropped, size_t *ndropped, lsd_diag *diag);

/*
 * Carry-curve pillars from trailing yields: for each window w_j (seconds,
 * finite, > 0, strictly increasing) that fits in the series before `end`
 * (end − w_j ≥ times[0]), the pillar tenor w_j/(365·86400 s) years with
 * zero rate = the carry realised over [end − w_j, end]. That reads the
 * realised trailing yield as the forecast of the average carry over the next
 * w_j — the assumption a desk makes when it has no forward staking market.
 * end must lie in the series. tenors and rates must hold nwindows entries;
 * *npillars is set to the number written. Errors: as lsd_yield_period;
 * LSD_EDOM for bad windows or when no window fits. On error *npillars is 0.
 */
LSD_EXPORT lsd_status lsd_yield_carry_pillars(const lsd_yield_series *series, double end,
                                              const double *windows, size_t nwindows,
                                              double *tenors, double *rates, size_t *npillars,
                                              lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_YIELD_H */
