/*
 * forwards.h — what a chain's put–call parity says: the forward per expiry,
 * robust to stale quotes, and the carry it implies, q(T) = r(T) − ln(F/S)/T
 * (the market's staking/funding yield term structure, DESIGN.md's carry).
 *
 * Formulas, the estimator and its sources are in forwards.c; the contracts
 * below say what each function promises. The chain is chain.h's (filled by
 * pricing/io/quotes.h or by the caller); a rate curve is curves/curve.h's.
 *
 * Layer: fit (pricing/fit/) — depends on core, models and curves; installed as
 * <lsdopt/forwards.h>.
 */
#ifndef LSD_FORWARDS_H
#define LSD_FORWARDS_H

#include "chain.h"
#include "curve.h"
#include "status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parameters of the parity-forward estimator (lsd_forwards_chain). */
typedef struct lsd_forwards_control {
    double outlier_mads; /* c: a strike's forward is an outlier when it is more than
                            c·max(1.4826·MAD, median half-width) from the median of
                            the expiry's forwards (forwards.c); finite, > 0 */
} lsd_forwards_control;

/* Defaults: c = 3 (why: see forwards.c). */
LSD_EXPORT lsd_forwards_control lsd_forwards_control_default(void);

/* One expiry's forward and implied carry. */
typedef struct lsd_forward {
    double expiry_time;   /* expiry instant, seconds since the epoch (NaN if the chain has none) */
    double expiry;        /* T, years ACT/365F from the chain's valuation time */
    double forward;       /* F from put–call parity, quote currency per token; NaN if n_pairs = 0 */
    double venue_forward; /* median of the quotes' own forward (Deribit `underlying`), or NaN */
    double dispersion;    /* 1.4826·MAD of the per-strike parity forwards, quote currency */
    size_t n_pairs;       /* strikes whose call and put are both two-sided, used in F */
    size_t n_rejected;    /* such strikes left out: outliers, or no finite forward */
    double rate;          /* r(T), the quote currency's zero rate used */
    double spot;          /* S used for the carry, or NaN */
    double carry;         /* implied carry q(T) = r(T) − ln(F/S)/T; NaN without F or S */
} lsd_forward;

/*
 * Per expiry of chain (sorted as lsd_quotes_load leaves it), in increasing
 * expiry: the parity forward, the venue's forward and the implied carry.
 *
 * For each strike where the call and the put both have a bid and an ask
 * (mid = (bid + ask)/2, both in the same premium unit), parity gives
 *   quote premiums:    F_K = K + (C − P)/D(T)
 *   inverse premiums:  F_K = K/(1 − (c − p))   (coin units, coin rate 0)
 * with D(T) the quote currency's discount factor (rate_curve). F is the
 * 1/spread²-weighted mean of the F_K left after rejecting outliers (more
 * than outlier_mads scaled MADs, or typical half-widths if more, from
 * their median): stale
 * quotes on one strike do not move it. Derivations in forwards.c.
 * rate_curve: the quote currency's rates; NULL means r = 0. spot: S in quote
 * currency per token, finite > 0, or NaN to take chain->spot (NaN there
 * too: carry is NaN). params NULL: the defaults.
 * out must hold chain->n entries; *count is set to the number of expiries
 * written. An expiry with no usable pair is written with forward and carry
 * NaN and n_pairs = 0: a far expiry often has one-sided quotes only.
 * Errors: LSD_EINVAL for NULL chain, out or count; LSD_EDOM for a spot that
 * is neither NaN nor finite > 0, bad params, or a rate curve query that
 * fails. On error *count is 0.
 */
LSD_EXPORT lsd_status lsd_forwards_chain(const lsd_chain *chain, const lsd_curve *rate_curve,
                                         double spot, const lsd_forwards_control *params,
                                         lsd_forward *out, size_t *count, lsd_diag *diag);

/*
 * Price a chain on its parity forwards: each quote of chain whose
 * expiry_time equals that of an entry of forwards with n_pairs > 0 and a
 * finite forward gets that forward (quote currency per token) in place of
 * its own (the venue's), the forward a calibration prices it on
 * (calibrate.h). The other quotes keep theirs: an expiry with no
 * two-sided pair keeps the venue's forward, and a quote without an
 * instant (expiry_time NaN) matches no entry.
 * forwards: n entries as lsd_forwards_chain wrote them for this chain (one
 * per expiry, increasing); each quote's entry is looked for from the
 * previous quote's, wrapping round, so a chain sorted as lsd_quotes_load
 * leaves it takes one pass, and any order works.
 * Source: the parity estimator of lsd_forwards_chain (forwards.c).
 * Errors: LSD_EINVAL for a NULL chain, quotes missing from a non-empty
 * chain, or NULL forwards with n > 0; the chain is then unchanged.
 * Allocates nothing.
 */
LSD_EXPORT lsd_status lsd_forwards_apply(lsd_chain *chain, const lsd_forward *forwards,
                                         size_t n, lsd_diag *diag);

/*
 * Carry-curve pillars from forwards: for each of the n entries (in
 * increasing expiry) with a finite carry and expiry ≥ min_expiry years,
 * the pillar (expiry, carry) — a `tenor,rate` curve for lsd_curve_new or a
 * file for lsd_curve_file_load. tenors and rates must hold n entries; *npillars
 * is set to the number written (0 is not an error). min_expiry: finite ≥ 0;
 * very short expiries give noisy carries (ln(F/S)/T amplifies index noise
 * by 1/T). Errors: LSD_EINVAL for NULL; LSD_EDOM for a bad min_expiry or
 * expiries out of order. On error *npillars is 0.
 */
LSD_EXPORT lsd_status lsd_forwards_carry_pillars(const lsd_forward *forwards, size_t n,
                                                 double min_expiry, double *tenors,
                                                 double *rates, size_t *npillars,
                                                 lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_FORWARDS_H */
