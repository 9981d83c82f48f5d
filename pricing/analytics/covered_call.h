/*
 * covered_call.h — covered-call analytics for a token holder: hold the token
 * (earning its staking carry q in more tokens), sell one call per token.
 * Premium from lsd_model_price; the law of S_T at expiry (terminal_law.h:
 * Merton's Poisson mixture of log-normals, log-normal without jumps) under
 * the pricing measure or a real-world drift, for the assignment
 * probability, the expected P&L and its quantiles. Formulas and sources in
 * covered_call.c.
 *
 * Layer: analytics (pricing/analytics/) — depends on core, models and curves;
 * installed as <lsdopt/covered_call.h>.
 */
#ifndef LSD_COVERED_CALL_H
#define LSD_COVERED_CALL_H

#include "option.h"
#include "model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A covered-call position's market: pricing model and optional real world. */
typedef struct lsd_covered_call_market {
    lsd_model model;   /* LSD_MODEL_BSM or LSD_MODEL_MERTON, as lsd_model_price */
    lsd_market mkt;    /* S, r, q (staking carry, >= 0), σ */
    lsd_jumps jumps;   /* risk-neutral jumps (used by LSD_MODEL_MERTON only) */
    double expiry;     /* T, years (ACT/365F) */
    int real_world;    /* 1: also the real-world law below */
    double drift;      /* μ, real-world drift of S per year: E[S_T] = S e^{μT} */
    lsd_jumps rw_jumps; /* real-world jumps (intensity 0: none), compensated as above */
} lsd_covered_call_market;

/*
 * Per token, for one strike. Yields are fractions (0.05 = 5%), annualised
 * simply (divided by T). Quantiles and expectations are at expiry.
 */
typedef struct lsd_covered_call {
    double strike;               /* K */
    double delta;                /* the call's delta (lsd_model_price) */
    double premium;              /* P, the call's price, quote currency per token */
    double premium_pct;          /* P/S */
    double premium_yield_annual; /* (P/S)/T */
    double staking_yield;        /* e^{qT} − 1, token growth over the period */
    double staking_yield_annual; /* (e^{qT} − 1)/T */
    double total_yield;          /* premium_yield_annual + staking_yield_annual */
    double breakeven;            /* S_T with P&L 0; 0 if P&L ≥ 0 for every S_T, NaN if never */
    double return_if_called;     /* P&L(K)/S */
    double prob_assign;          /* P(S_T > K), pricing measure */
    double expected_pnl;         /* E[P&L], pricing measure */
    double spot_q05, spot_q50, spot_q95; /* quantiles of S_T, pricing measure */
    double pnl_q05, pnl_q50, pnl_q95;    /* P&L at those quantiles */
    /* Under the real-world law (NaN unless market->real_world): */
    double prob_assign_real_world;
    double expected_pnl_real_world;
    double spot_q05_real_world, spot_q50_real_world, spot_q95_real_world;
    double pnl_q05_real_world, pnl_q50_real_world, pnl_q95_real_world;
} lsd_covered_call;

/*
 * P&L at expiry per token of holding one token and selling one call at
 * strike K for premium P (invested at r); the tokens the carry adds are
 * not covered by the call:
 *
 *   P&L(S_T) = e^{qT}·S_T − S + P·e^{rT} − max(S_T − K, 0).
 *
 * Non-decreasing in S_T for q ≥ 0 (slope e^{qT}, then e^{qT} − 1).
 */
LSD_EXPORT double lsd_covered_call_pnl(const lsd_covered_call_market *market, double strike,
                                       double premium, double spot_at_expiry);

/*
 * Analyse the covered call at strike K (fields above). The premium and
 * delta are lsd_model_price's; E[(S_T − K)^+] for the expected P&L is lsd_model_price
 * of the call with rate 0 and carry −drift (the undiscounted price under a
 * law with E[S_T] = S e^{drift·T}), with merton jumps of that law.
 * Errors: LSD_EINVAL for NULL; LSD_EDOM for out-of-domain inputs, a
 * negative carry (the P&L would not be monotone) or, with real_world, a
 * non-finite drift or bad real-world jumps; LSD_ENOCONV from the series or
 * a root. On error every field of *out is NaN.
 */
LSD_EXPORT lsd_status lsd_covered_call_analyse(const lsd_covered_call_market *market,
                                               double strike, lsd_covered_call *out,
                                               lsd_diag *diag);

/*
 * The strike whose call delta (lsd_model_price) equals delta, 0 < delta <
 * e^{−qT}: Brent's method (gsl_root_fsolver_brent) on ln K, where delta
 * falls from e^{−qT} to 0, to 1e-15 relative in K.
 * Errors: LSD_EDOM for a delta outside that range or bad inputs;
 * LSD_ENOCONV if not bracketed or not converged (*strike NaN).
 */
LSD_EXPORT lsd_status lsd_covered_call_strike_for_delta(const lsd_covered_call_market *market,
                                                        double delta, double *strike,
                                                        lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_COVERED_CALL_H */
