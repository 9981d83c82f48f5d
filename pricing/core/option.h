/*
 * option.h — the plain structs every pricer takes and returns.
 *
 * Units and names follow DESIGN.md: prices in quote currency per token, times
 * in years (ACT/365F), rates and the carry (staking) yield continuously
 * compounded per year, volatilities per sqrt(year), jump parameters of the
 * log-jump Y ~ N(jump mean, jump vol^2) with intensity in events per year.
 * Every function here is thread-safe and allocates nothing.
 *
 * Layer: core (pricing/core/) — depends on nothing; installed as
 * <lsdopt/option.h>.
 */
#ifndef LSD_OPTION_H
#define LSD_OPTION_H

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Call or put. */
typedef enum lsd_option_type {
    LSD_CALL = 0, /* pays max(S_T - K, 0) */
    LSD_PUT = 1   /* pays max(K - S_T, 0) */
} lsd_option_type;

/* A European option on one token. */
typedef struct lsd_option {
    lsd_option_type type; /* LSD_CALL or LSD_PUT */
    double strike;        /* K, quote currency per token, finite and > 0 */
    double expiry;        /* T, years (ACT/365F) to expiry, finite and > 0 */
} lsd_option;

/* The market the option is priced in (flat rates over the option's life). */
typedef struct lsd_market {
    double spot;  /* S, quote currency per token, finite and > 0 */
    double rate;  /* r, quote-currency rate, continuous per year, finite */
    double carry; /* q, carry (staking) yield, continuous per year, finite */
    double vol;   /* sigma, diffusion volatility per sqrt(year), finite and > 0 */
} lsd_market;

/*
 * Depeg jumps: a Poisson process of intensity lambda; each jump multiplies S
 * by e^Y with Y ~ N(mean, vol^2). Compensated: the forward is unchanged.
 */
typedef struct lsd_jumps {
    double intensity; /* lambda, expected jumps per year, finite and >= 0 */
    double mean;      /* mu_J, mean of the log jump (< 0 for a depeg), finite */
    double vol;       /* delta, std dev of the log jump, finite and >= 0 */
} lsd_jumps;

/*
 * Price and sensitivities, in the natural units of DESIGN.md (per 1.00 of
 * each parameter, theta per year of calendar time). Pricers without jumps
 * set the three jump sensitivities to 0 (the price does not depend on them).
 * On error every field is NaN.
 */
typedef struct lsd_greeks {
    double price;               /* V, quote currency per token */
    double delta;               /* dV/dS */
    double gamma;               /* d2V/dS2, per unit of S */
    double vega;                /* dV/dsigma, per 1.00 of vol */
    double theta;               /* dV/dt = -dV/dT, per year */
    double rho;                 /* dV/dr, per 1.00 of rate */
    double carry_rho;           /* dV/dq, per 1.00 of carry */
    double jump_intensity_sens; /* dV/dlambda, per jump per year */
    double jump_mean_sens;      /* dV/dmu_J, per 1.00 of log jump mean */
    double jump_vol_sens;       /* dV/ddelta, per 1.00 of log jump vol */
} lsd_greeks;

/*
 * Parse "call" or "put" (ASCII case-insensitive; "c" and "p" too) into *type.
 * Errors: LSD_EPARSE for anything else (detail in diag), LSD_EINVAL for NULL.
 */
LSD_EXPORT lsd_status lsd_option_type_parse(const char *text, lsd_option_type *type,
                                            lsd_diag *diag);

/* "call" or "put"; "unknown" for any other value. */
LSD_EXPORT const char *lsd_option_type_name(lsd_option_type type);

/*
 * Check an option, a market and (if jumps is not NULL) jump parameters
 * against the domains above. Returns LSD_OK, LSD_EINVAL for a NULL opt or
 * mkt or an unknown type, or LSD_EDOM naming the first bad field and its
 * value in diag. Every pricer calls this first.
 */
LSD_EXPORT lsd_status lsd_option_check(const lsd_option *opt, const lsd_market *mkt,
                                       const lsd_jumps *jumps, lsd_diag *diag);

/* Set every field of *out to NaN (the output of a failed call). */
LSD_EXPORT void lsd_greeks_set_nan(lsd_greeks *out);

#ifdef __cplusplus
}
#endif

#endif /* LSD_OPTION_H */
