/*
 * collateral.h — liquidation risk of a borrow against liquid-staking tokens
 * (wstETH posted to borrow WETH), under two kinds of oracle.
 *
 * Position: N tokens of collateral, debt D in the quote asset growing at the
 * borrow rate, D_t = D·e^{r_b t}, liquidation threshold LT. Health factor
 *
 *   H_t = N·V_t·LT / (D·e^{r_b t}),   liquidated at the first monitored t with H_t < 1,
 *
 * where V_t is the oracle value of one token:
 *   market         V_t = P_t, the token's market price in the quote asset,
 *                  P_t = P_0·exp((μ − σ²/2 − λκ)t + σW_t + Σ_{k≤N_t} Y_k),
 *                  Y_k ~ N(μ_J, δ²), N_t Poisson(λ), κ = e^{μ_J+δ²/2} − 1
 *                  (real-world drift μ: E[P_t] = P_0·e^{μt}); a depeg can liquidate;
 *   exchange-rate  V_t = R_t = R_0·e^{y t}·(1 − L)^{M_t}, the protocol rate with
 *                  staking yield y and slashing events M_t Poisson(η) each losing
 *                  the fraction L (Aave's wstETH oracle): a depeg of the market
 *                  price alone does not liquidate.
 * Formulas, sources and accuracy are in collateral.c.
 *
 * Layer: analytics (pricing/analytics/) — depends on core, models and curves;
 * installed as <lsdopt/collateral.h>.
 */
#ifndef LSD_COLLATERAL_H
#define LSD_COLLATERAL_H

#include "model.h"
#include "option.h"
#include "status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the lending protocol values the collateral at. */
typedef enum lsd_collateral_oracle {
    LSD_COLLATERAL_ORACLE_MARKET = 0,       /* the token's market price P_t */
    LSD_COLLATERAL_ORACLE_EXCHANGE_RATE = 1 /* the protocol exchange rate R_t */
} lsd_collateral_oracle;

/*
 * Parse "market" or "exchange-rate" (ASCII case-insensitive) into *oracle.
 * Errors: LSD_EPARSE for anything else (detail in diag), LSD_EINVAL for NULL.
 */
LSD_EXPORT lsd_status lsd_collateral_oracle_parse(const char *text, lsd_collateral_oracle *oracle, lsd_diag *diag);

/* "market" or "exchange-rate"; "unknown" for any other value. */
LSD_EXPORT const char *lsd_collateral_oracle_name(lsd_collateral_oracle oracle);

/* The borrow position. */
typedef struct lsd_collateral {
    lsd_collateral_oracle oracle;            /* how the collateral is valued */
    double tokens;                /* N, collateral tokens, finite and > 0 */
    double debt;                  /* D, debt in the quote asset at t = 0, finite and > 0 */
    double spot;                  /* V_0, oracle value of one token at t = 0 (quote per token),
                                     finite and > 0; the market price for the put */
    double liquidation_threshold; /* LT, in (0, 1] */
    double liquidation_bonus;     /* b, liquidator's bonus on the debt repaid, finite, >= 0 */
    double borrow_rate;           /* r_b, continuous per year, finite */
    double staking_yield;         /* y, continuous per year, finite (exchange-rate growth) */
    double horizon;               /* T, years, finite and > 0 */
} lsd_collateral;

/* Dynamics of the oracle value, and the market the protective put is priced in. */
typedef struct lsd_collateral_dynamics {
    double drift;              /* μ, real-world drift of the market price per year, finite */
    double vol;                /* σ, per sqrt(year), finite and >= 0 */
    lsd_jumps jumps;           /* depeg jumps of the market price (intensity 0: none) */
    double slashing_intensity; /* η, slashing events per year, finite and >= 0 */
    double slashing_loss;      /* L, fraction of the rate lost per event, in [0, 1) */
    double rate;               /* r, quote-asset rate for pricing the put, finite */
    double carry;              /* q, carry of the token for pricing the put, finite */
} lsd_collateral_dynamics;

/*
 * The default dynamics of a position: the market price drifting at the
 * staking yield (drift μ = y: the token's price expected to grow with its
 * exchange rate, depegs only by the jumps), the put priced at the borrow
 * rate (rate r = r_b: the quote asset's rate is what the debt pays), and
 * carry q = 0 (a value-accruing token such as wstETH; a rebasing one such
 * as stETH has carry y), vol 0, no jumps, no slashing. Reads only
 * pos->staking_yield and pos->borrow_rate (NaN for a NULL pos, which
 * lsd_collateral_assess then rejects); a caller sets the fields it knows
 * (vol for the market oracle) on the result. Thread-safe.
 */
LSD_EXPORT lsd_collateral_dynamics
lsd_collateral_dynamics_from_position(const lsd_collateral *pos);

/* Monte Carlo control. */
typedef struct lsd_collateral_mc {
    double monitor;       /* oracle checked every `monitor` years (and at T), finite, > 0 */
    size_t paths;         /* number of simulated paths, >= 2 */
    unsigned long seed;   /* GSL mt19937 seed: same seed, same numbers */
} lsd_collateral_mc;

/*
 * The risk of the position. Probabilities of liquidation within [0, T];
 * money in the quote asset. NaN where a quantity does not exist (no analytic
 * form, no liquidated path, a put with zero vol).
 */
typedef struct lsd_collateral_risk {
    double health;                 /* H_0 = N·V_0·LT / D */
    double prob_analytic;          /* closed form, continuous monitoring */
    double prob_analytic_monitored;/* closed form at the monitoring interval: exact
                                      (exchange-rate, drift ≤ 0 or no slashing) or
                                      Broadie–Glasserman–Kou corrected (market) */
    double liquidation_time;       /* deterministic cases: first t with H_t < 1
                                      (continuous), +inf if never; else NaN */
    double prob_mc;                /* Monte Carlo probability, monitored */
    double prob_mc_se;             /* its standard error, sqrt(p(1 − p)/paths) */
    size_t paths_liquidated;       /* paths liquidated within T */
    double loss_given_liquidation; /* mean over liquidated paths of the penalty paid,
                                      min(b·D_τ, max(N·V_τ − D_τ, 0)), quote at τ */
    double loss_given_liquidation_se; /* its standard error */
    double expected_loss;          /* prob_mc · loss_given_liquidation (0 if none) */
    double put_strike;             /* K = D·e^{r_b T} / (N·LT), quote per token */
    double put_price;              /* one European put at K, expiry T (lsd_model_price) */
    double put_cost;               /* N · put_price */
    lsd_model put_model;           /* the model of put_price: LSD_MODEL_MERTON if
                                      jumps.intensity > 0, else LSD_MODEL_BSM
                                      (set also when put_price is NaN) */
} lsd_collateral_risk;

/*
 * Probability of liquidation within the horizon (analytic where a closed
 * form exists, and seeded Monte Carlo at the monitoring interval), expected
 * loss given liquidation, and the protective put: the strike K such that
 * N·max(P_T, K)·LT ≥ D·e^{r_b T} — safe at the horizon, not path-wise — and
 * the cost of N such puts priced by lsd_model_price (merton if jumps.intensity >
 * 0, else bsm: out->put_model) with spot V_0, rate r, carry q, vol σ.
 *
 * The market oracle uses drift, vol and jumps; the exchange-rate oracle uses
 * staking_yield, slashing_intensity and slashing_loss (drift, vol and jumps
 * only price the put).
 * Errors: LSD_EINVAL for a NULL pointer or unknown oracle; LSD_EDOM for an
 * input outside its domain or a position already liquidatable (H_0 ≤ 1),
 * detail in diag; LSD_ENOMEM. On error every double of *out is NaN.
 * Thread-safe (the random generator is local to the call).
 */
LSD_EXPORT lsd_status lsd_collateral_assess(const lsd_collateral *pos,
                                            const lsd_collateral_dynamics *dyn,
                                            const lsd_collateral_mc *mc,
                                            lsd_collateral_risk *out, lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_COLLATERAL_H */
