/*
 * calibrate.h — fit BSM or Merton (1976) jump-diffusion to an option chain:
 * per expiry (σ, λ, μ_J, δ each), or jointly (one σ per expiry, λ, μ_J, δ
 * shared), by Levenberg–Marquardt least squares on the out-of-the-money
 * two-sided quotes, with standard errors and fit metrics. The chain is
 * chain.h's (filled by pricing/io/quotes.h or by the caller).
 *
 * Layer: fit (pricing/fit/) — depends on core, models and curves; installed as
 * <lsdopt/calibrate.h>.
 */
#ifndef LSD_CALIBRATE_H
#define LSD_CALIBRATE_H

#include "chain.h"
#include "merton.h"
#include "model.h"
#include "option.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What one residual is: (model price − market mid) / scale. */
typedef enum lsd_calibrate_weights {
    LSD_CALIBRATE_VEGA = 0,   /* scale = Black vega at the market implied vol: the
                             residual is the implied-vol error to first order */
    LSD_CALIBRATE_SPREAD = 1, /* scale = half the bid–ask spread: |r| ≤ 1 inside */
    LSD_CALIBRATE_NONE = 2    /* scale = 1: plain price error, quote currency */
} lsd_calibrate_weights;

/* How to calibrate. Get the defaults from lsd_calibrate_control_default(). */
typedef struct lsd_calibrate_control {
    lsd_model model;     /* default LSD_MODEL_MERTON */
    int joint;                 /* 0: per expiry (default); 1: shared λ, μ_J, δ */
    lsd_calibrate_weights weights; /* default LSD_CALIBRATE_VEGA */
    double rate;               /* r discounting quote-currency premiums, default 0 */
    lsd_merton_control pricing; /* series control inside the fit: rtol 1e-10,
                                   atol 1e-12 (metrics use the full default) */
    double xtol, gtol, ftol;   /* GSL driver tolerances: 1e-10, 1e-10, 0 */
    size_t max_iter;           /* most LM iterations per start, default 200 */
} lsd_calibrate_control;

/* The defaults above (returned by value; GSL's *_default() idiom). */
LSD_EXPORT lsd_calibrate_control lsd_calibrate_control_default(void);

/* Parameters in the order of std_error and correlation. */
#define LSD_CALIBRATE_NPARAMS 4 /* σ, λ, μ_J, δ */

/* One calibrated expiry. */
typedef struct lsd_calibrate_expiry {
    double expiry_time;    /* expiry instant, seconds since the epoch (UTC) */
    double expiry;         /* T, years ACT/365F */
    double forward;        /* F the quotes were priced on */
    double vol;            /* σ per √year */
    double jump_intensity; /* λ per year (0 for BSM) */
    double jump_mean;      /* μ_J (0 for BSM) */
    double jump_vol;       /* δ (0 for BSM) */
    double std_error[LSD_CALIBRATE_NPARAMS]; /* of σ, λ, μ_J, δ; NaN if not fitted
                                           or not identified */
    double correlation[LSD_CALIBRATE_NPARAMS][LSD_CALIBRATE_NPARAMS]; /* NaN likewise */
    double iv_rmse;        /* RMS of model IV − market IV, vol units */
    double inside_spread;  /* share of model prices within [bid, ask] */
    size_t n_quotes;       /* quotes fitted */
    size_t first_quote;    /* index of its first quote in lsd_calibrate_result.quotes */
} lsd_calibrate_expiry;

/* One fitted quote; prices in quote currency (inverse premiums × F). */
typedef struct lsd_calibrate_quote {
    size_t expiry_index;   /* into lsd_calibrate_result.expiries */
    lsd_option_type type;  /* call or put */
    double strike;         /* K */
    double bid, ask, mid;  /* market */
    double model_price;    /* at the fitted parameters */
    double market_vol;     /* Black implied vol of mid */
    double model_vol;      /* Black implied vol of model_price (NaN if none) */
} lsd_calibrate_quote;

/* A calibration (owned; lsd_calibrate_result_free releases the arrays). */
typedef struct lsd_calibrate_result {
    lsd_model model;       /* as asked */
    int joint;                   /* as asked */
    lsd_calibrate_expiry *expiries;  /* n_expiries, by expiry */
    size_t n_expiries;
    lsd_calibrate_quote *quotes;     /* n_quotes, by expiry, then strike */
    size_t n_quotes;
    size_t skipped_quotes;       /* OTM two-sided quotes whose mid has no implied vol */
    size_t skipped_expiries;     /* expiries with too few quotes to fit */
} lsd_calibrate_result;

/*
 * Calibrate ctl->model to chain (ctl NULL: defaults).
 *
 * Quotes used: out of the money (calls K ≥ F, puts K < F) and two-sided
 * (bid > 0, ask > bid), F the quote's forward field (the caller sets it to
 * the venue's or a parity forward). Premiums in the underlying (inverse,
 * Deribit) become quote currency as premium × F. mid is the quote's when it
 * lies in [bid, ask], else (bid + ask)/2. A model price is the Merton price
 * on the forward, Black-76 when λ = 0: S = F, carry = rate, D = e^{−rT}.
 *
 * Fit: Levenberg–Marquardt (GSL multifit_nlinear, trust region, LM step)
 * over smooth transforms σ = e^a, λ = 500·ℓ(b), μ_J = 2·tanh(m),
 * δ = 2·ℓ(c) (ℓ logistic: λ < 500 per year, |μ_J| < 2, δ < 2); residuals as
 * in lsd_calibrate_weights; analytic Jacobian from the pricer's vega and jump
 * sensitivities; Merton from several starting points, the best kept.
 * Per expiry an expiry needs more quotes than its parameters; jointly each
 * expiry needs 2 and the chain more than all parameters. Standard errors:
 * s²·(JᵀJ)⁻¹ at the optimum, s² = Σr²/(n − p), mapped to σ, λ, μ_J, δ by
 * the delta method (correlations are those of the transformed parameters).
 * Method, starting points and accuracy: see calibrate.c.
 *
 * Errors: LSD_EINVAL (NULL chain or out, bad control enum), LSD_EDOM (bad
 * control number; no usable quotes; too few for any expiry), LSD_ENOCONV
 * (no start converged), LSD_ENOMEM. On error *out is empty (NULL arrays,
 * zero counts). Thread-safe; allocates the result arrays.
 */
LSD_EXPORT lsd_status lsd_calibrate_chain(const lsd_chain *chain, const lsd_calibrate_control *ctl,
                                    lsd_calibrate_result *out, lsd_diag *diag);

/* Release a result's arrays (the struct itself is the caller's). */
LSD_EXPORT void lsd_calibrate_result_free(lsd_calibrate_result *result);

#ifdef __cplusplus
}
#endif

#endif /* LSD_CALIBRATE_H */
