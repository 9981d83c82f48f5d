/*
 * hedge.h — depeg protection for a holder of a liquid-staking token: the
 * protective put and its stress table, the expected depeg loss, the
 * zero-cost collar, hedge ratios (BSM delta and the minimum-variance ratio
 * under jumps) and a seeded Monte Carlo of the delta-hedging error.
 *
 * Every option value comes from lsd_model_price / lsd_merton_price (BSM when
 * jumps is NULL, Merton 1976 otherwise); nothing here prices by a second
 * formula set. Units: DESIGN.md (quote currency per token, years, continuous
 * rates). Formulas and sources are in hedge.c.
 *
 * Layer: analytics (pricing/analytics/) — depends on core, models and curves;
 * installed as <lsdopt/hedge.h>.
 */
#ifndef LSD_HEDGE_H
#define LSD_HEDGE_H

#include "option.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One row of the protective-put stress table: an instant depeg of the
 * token by `shock` (−0.05 = −5%) right after the put is bought, per token.
 * With S today, P the put's cost, S' = S·(1 + shock), K the strike:
 *
 *   now:     unhedged = S' − S,  hedged = S' + P(S') − (S + P)
 *            (P(S') the put's model value at S' with the same expiry)
 *   expiry:  S_T = S' (no move after the jump), the token's carry accrued
 *            (e^{qT} tokens) and the premium financed at r:
 *            unhedged = e^{qT}·S' − S,
 *            hedged   = e^{qT}·S' + max(K − S', 0) − S − P·e^{rT}
 */
typedef struct lsd_hedge_stress {
    double shock;           /* relative move of S, e.g. −0.2 */
    double spot_after;      /* S' = S·(1 + shock) */
    double put_after;       /* P(S'), the put's value right after the jump */
    double unhedged_now;    /* S' − S */
    double hedged_now;      /* S' + P(S') − S − P */
    double unhedged_expiry; /* e^{qT}·S' − S */
    double hedged_expiry;   /* e^{qT}·S' + max(K − S', 0) − S − P·e^{rT} */
} lsd_hedge_stress;

/*
 * Stress row for the put `put` (type must be LSD_PUT) bought at its model
 * value in mkt (jumps NULL: BSM; else Merton), for a jump of `shock`
 * (finite, > −1). Errors: LSD_EINVAL for NULL put/mkt/out or a call;
 * LSD_EDOM for bad inputs or shock; the pricer's status otherwise. On
 * error every field of *out is NaN.
 */
LSD_EXPORT lsd_status lsd_hedge_put_stress(const lsd_option *put, const lsd_market *mkt,
                                           const lsd_jumps *jumps, double shock,
                                           lsd_hedge_stress *out, lsd_diag *diag);

/*
 * Expected loss per token over `expiry` years from the jump part alone:
 *   loss = S·(1 − e^{λTκ}),  κ = e^{μ_J + δ²/2} − 1,
 * i.e. S minus the mean of S·Π_{k≤N} e^{Y_k}, N ~ Poisson(λT) (the
 * uncompensated jumps; E[Π e^{Y_k}] = Σ_n Pois(n; λT)(1+κ)^n = e^{λTκ}).
 * Negative when κ > 0 (jumps up on average). Pass real-world jump
 * parameters (e.g. from lsdopt estimate) for a real-world expectation.
 * Errors: LSD_EINVAL for NULL; LSD_EDOM for spot or expiry not finite and
 * > 0, bad jumps, or an overflowing exponent. *loss is NaN on error.
 */
LSD_EXPORT lsd_status lsd_hedge_depeg_loss(double spot, double expiry, const lsd_jumps *jumps,
                                           double *loss, lsd_diag *diag);

/* The protective put set against the token's staking yield, per token
 * held over the put's life T (simple annual rates: a cost or a yield over
 * T divided by T). */
typedef struct lsd_hedge_protection {
    double cost_pct;             /* P/S, the put's cost as a fraction of spot */
    double cost_annual;          /* P/S/T, the cost as an annual rate */
    double staking_yield;        /* e^{qT} − 1, the yield over T (tokens per token) */
    double staking_yield_annual; /* (e^{qT} − 1)/T, the yield as an annual rate */
    double net_yield_annual;     /* (e^{qT} − 1)/T − P/S/T, the yield net of the put */
    double expected_loss_pct;    /* L/S, the expected depeg loss as a fraction of spot */
    double cost_to_loss;         /* P/L, the put's cost per unit of expected loss;
                                    NaN when L = 0 (nothing expected to insure) */
} lsd_hedge_protection;

/*
 * What protecting one token with the put costs next to what the token
 * earns, and against the loss the put insures:
 *
 *   cost_pct = P/S,  cost_annual = P/S/T,
 *   staking_yield = e^{qT} − 1,  staking_yield_annual = (e^{qT} − 1)/T,
 *   net_yield_annual = staking_yield_annual − cost_annual,
 *   expected_loss_pct = L/S,  cost_to_loss = P/L.
 *
 * spot S (quote currency per token), expiry T (years), carry q (the
 * token's staking yield, continuous per year, as in lsd_market), put_price
 * P (the put's value, e.g. lsd_model_price's, quote currency per token),
 * loss L (the expected depeg loss per token, lsd_hedge_depeg_loss's; any
 * sign). Source: a continuous yield q paid in tokens grows one token held
 * to e^{qT} tokens over T (DESIGN.md, "Staking yield as carry"; Hull,
 * Options, Futures and Other Derivatives, 10th ed., ch. 17, a dividend
 * yield reinvested in the index); the rest are definitions.
 * Errors: LSD_EINVAL for NULL out; LSD_EDOM for spot or expiry not finite
 * and > 0, carry, put_price or loss not finite, or e^{qT} overflowing
 * (qT > ~709). On error every field of *out is NaN. With LSD_OK every
 * field is finite except cost_to_loss at L = 0.
 */
LSD_EXPORT lsd_status lsd_hedge_protection_summary(double spot, double expiry, double carry,
                                                   double put_price, double loss,
                                                   lsd_hedge_protection *out, lsd_diag *diag);

/*
 * Zero-cost collar: given one leg `given` (a call: find the put strike; a
 * put: find the call strike) with the same expiry, the strike of the other
 * leg whose model value equals the given leg's. Brent's method
 * (gsl_root_fsolver_brent) on the strike, from a bracket grown around the
 * forward, until the two values agree to 1e-10·S (absolute, in price).
 * Sets *strike and *price (the common value).
 * Errors: LSD_EINVAL for NULL; LSD_EDOM for bad inputs; LSD_ENOCONV if the
 * bracket or the tolerance is not reached (e.g. a given value too small to
 * resolve). Outputs NaN on error.
 */
LSD_EXPORT lsd_status lsd_hedge_collar_strike(const lsd_option *given, const lsd_market *mkt,
                                              const lsd_jumps *jumps, double *strike,
                                              double *price, lsd_diag *diag);

/* Hedge ratios of one option (per option, in tokens). */
typedef struct lsd_hedge_ratio {
    double bsm_delta;        /* ∂C/∂S of lsd_bsm_price at the diffusion vol σ */
    double model_delta;      /* ∂C/∂S of lsd_merton_price (= bsm_delta if λ = 0) */
    double mv_delta;         /* minimum-variance ratio Δ_MV under the jumps */
    double jump_cov;         /* (1/S)∫(e^z − 1)(C(S·e^z) − C(S)) ν(dz) */
    double jump_var;         /* ∫(e^z − 1)² ν(dz), closed form */
    double jump_var_numeric; /* the same integral by quadrature (a check) */
} lsd_hedge_ratio;

/*
 * Hedge ratios of opt under Merton jumps (λ = 0 allowed):
 *   Δ_MV = [σ²·∂C/∂S + (1/S)∫(e^z−1)(C(Se^z)−C(S)) ν(dz)]
 *          / [σ² + ∫(e^z−1)² ν(dz)],   ν(dz) = λ·N(z; μ_J, δ²) dz,
 *   ∫(e^z−1)² ν(dz) = λ(e^{2μ_J+2δ²} − 2e^{μ_J+δ²/2} + 1).
 * Source: Cont & Tankov, Financial Modelling with Jump Processes (2004),
 * §10.4.2 (quadratic hedging, minimal-variance hedge in exponential-Lévy
 * models). The integral is GSL's adaptive qag (21-point Gauss–Kronrod) in
 * x = (z − μ_J)/δ over [−12, 12 + 2δ] (why in hedge.c); δ = 0 is a point
 * mass, summed exactly. With λ = 0, Δ_MV = ∂C/∂S exactly.
 * Errors: LSD_EINVAL for NULL; LSD_EDOM for bad inputs; LSD_ENOCONV if the
 * quadrature misses its tolerance; a pricer's status. Fields NaN on error.
 */
LSD_EXPORT lsd_status lsd_hedge_mv_delta(const lsd_option *opt, const lsd_market *mkt,
                                         const lsd_jumps *jumps, lsd_hedge_ratio *out,
                                         lsd_diag *diag);

/* Which hedge ratio the simulated hedger holds. */
typedef enum lsd_hedge_rule {
    LSD_HEDGE_BSM = 0, /* BSM delta at the diffusion vol σ */
    LSD_HEDGE_MV = 1   /* minimum-variance ratio Δ_MV (lsd_hedge_mv_delta) */
} lsd_hedge_rule;

/* Monte Carlo control; defaults from lsd_hedge_control_default(). */
typedef struct lsd_hedge_control {
    long paths;          /* simulated paths, default 20000 */
    double rebalance;    /* rebalancing interval in years, default 1/365 */
    unsigned long seed;  /* gsl_rng_mt19937 seed, default 1 */
    lsd_hedge_rule rule; /* hedge ratio held, default LSD_HEDGE_BSM */
} lsd_hedge_control;

/* The default control (returned by value). */
LSD_EXPORT lsd_hedge_control lsd_hedge_control_default(void);

/* Final hedged P&L of the short option, per option, quote currency at T. */
typedef struct lsd_hedge_sim_result {
    double mean;     /* sample mean */
    double sd;       /* sample standard deviation */
    double q01;      /* 1% quantile (gsl_stats_quantile_from_sorted_data) */
    long steps;      /* rebalancing steps, ceil(T / rebalance) */
    double premium;  /* the option's model value received at t = 0 */
} lsd_hedge_sim_result;

/*
 * Sell opt at its Merton value and delta-hedge it in the token at n =
 * ceil(T/rebalance) equal steps under the Merton dynamics (the pricing
 * measure), simulated exactly per step:
 *   ln S += (r − q − λκ − σ²/2)dt + σ√dt·Z + N·μ_J + δ√N·Z',
 *   N ~ Poisson(λdt), Z, Z' ~ N(0,1) (a sum of N normal jumps).
 * Self-financing: the tokens held accrue the carry (×e^{q·dt}), cash
 * accrues r (×e^{r·dt}); final P&L = cash + tokens·S_T − payoff.
 * The Δ_MV rule (λ > 0) interpolates Δ_MV at each step (Steffen's monotone
 * spline, gsl_interp_steffen) from nodes at 33 quantiles of the simulated
 * spots and up to 9 spots within ±6σ√τ of the strike (τ the time left).
 * Reproducible: a given seed gives the same numbers. Thread-safe;
 * allocates O(paths).
 * Errors: LSD_EINVAL for NULL; LSD_EDOM for bad inputs or control (paths
 * < 2, rebalance not finite and > 0, more than 100000 steps); LSD_ENOMEM;
 * a pricer's status. Fields NaN on error.
 */
LSD_EXPORT lsd_status lsd_hedge_simulate(const lsd_option *opt, const lsd_market *mkt,
                                         const lsd_jumps *jumps,
                                         const lsd_hedge_control *ctl,
                                         lsd_hedge_sim_result *out, lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_HEDGE_H */
