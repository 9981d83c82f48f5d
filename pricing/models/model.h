/*
 * model.h — one entry point over the models, for callers that choose the
 * model at run time (the CLI, batch rows, bindings, the analytics): the
 * models' parameters (lsd_model_params: a base model plus the default and
 * depeg overlays), their names (lsd_model_parse, lsd_model_name), their
 * checks (lsd_model_check) and one pricer (lsd_model_price) that sends
 * BSM and Merton to their closed forms (bsm.h, merton.h) bit for bit and
 * everything else, or everything on request, to the COS engine (cos.h).
 *
 * Layer: models (pricing/models/) — depends on core only; installed as
 * <lsdopt/model.h>.
 */
#ifndef LSD_MODEL_H
#define LSD_MODEL_H

#include "option.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Base pricing model (DESIGN.md `model`). */
typedef enum lsd_model {
    LSD_MODEL_BSM = 0,    /* generalized BSM with carry (bsm.h): mkt->vol */
    LSD_MODEL_MERTON = 1, /* Merton (1976) lognormal jumps (merton.h): vol, jumps */
    LSD_MODEL_KOU = 2,    /* Kou (2002) double-exponential jumps: vol, kou */
    LSD_MODEL_HESTON = 3, /* Heston (1993) stochastic variance: heston */
    LSD_MODEL_BATES = 4   /* Bates (1996) = Heston + Merton jumps: heston, jumps */
} lsd_model;

/*
 * Kou (2002) jumps: a Poisson process of intensity λ; a jump multiplies S by
 * e^Y, Y ~ Exp(η₁) with probability p (up), Y ~ −Exp(η₂) otherwise (down).
 * Compensated: ζ = E[e^Y] − 1 = p·η₁/(η₁ − 1) + (1 − p)·η₂/(η₂ + 1) − 1 is
 * taken out of the drift, so the forward is unchanged. p = 0 is the pure
 * depeg law (down jumps only); a side that never jumps may leave its η at
 * 0 (eta_up when p = 0, eta_down when p = 1).
 */
typedef struct lsd_kou {
    double intensity; /* λ, jumps per year, finite and >= 0 (`jump_intensity`) */
    double p;         /* probability a jump is up, in [0, 1] (`kou_p`) */
    double eta_up;    /* η₁ > 1, 1/(mean up log-jump) (`kou_eta_up`) */
    double eta_down;  /* η₂ > 0, 1/(mean down log-jump size) (`kou_eta_down`) */
} lsd_kou;

/*
 * Heston (1993) variance, QuantLib's HestonProcess(r, q, S, v0, kappa, theta,
 * sigma, rho) parameterisation: dv = κ(θ − v)dt + σ√v dW₂, d⟨W₁,W₂⟩ = ρ dt,
 * dS/S = (r − q)dt + √v dW₁. The Feller condition 2κθ ≥ σ² is not required.
 */
typedef struct lsd_heston {
    double v0;    /* initial variance, per year, finite and > 0 (`heston_v0`) */
    double kappa; /* mean-reversion speed, per year, finite and > 0 (`heston_kappa`) */
    double theta; /* long-run variance, per year, finite and > 0 (`heston_theta`) */
    double sigma; /* vol of variance, per √year, finite and > 0 (`heston_sigma`) */
    double rho;   /* correlation of S and v, in [−1, 1] (`heston_rho`) */
} lsd_heston;

/*
 * Default overlay: at rate h the token's price jumps to R times its value
 * (exploit, slashing, a depeg with no way back), compensated so the forward
 * is unchanged. R = 0 is a jump to zero, priced analytically as a point
 * mass; R > 0 is a Merton jump family with intensity h, log-jump ln R and no
 * jump vol (DESIGN.md). intensity 0 means no overlay.
 */
typedef struct lsd_default_overlay {
    double intensity; /* h, defaults per year, finite and >= 0 (`default_intensity`) */
    double recovery;  /* R, fraction of value kept, in [0, 1) (`default_recovery`) */
} lsd_default_overlay;

/*
 * A model: the base and its parameters, times two optional overlays. Fields
 * a model does not use must be left zero (a zero-initialised struct is BSM
 * with no overlay); the diffusion vol σ is lsd_market.vol for BSM, Merton
 * and Kou and must be 0 for Heston and Bates, whose variance is `heston`.
 * The depeg overlay is a second, independent lognormal jump family (the
 * token/ETH ratio's jumps): LSD = ETH × ratio, so an LSD option is ETH's
 * model times this overlay. An overlay with intensity 0 is absent and the
 * price is the base model's bit for bit.
 */
typedef struct lsd_model_params {
    lsd_model model;                     /* the base */
    lsd_jumps jumps;                     /* Merton's jumps: merton, bates */
    lsd_kou kou;                         /* Kou's jumps: kou */
    lsd_heston heston;                   /* variance: heston, bates */
    lsd_default_overlay default_overlay; /* any model; intensity 0: none */
    lsd_jumps depeg;                     /* any model (`depeg_*`); intensity 0: none */
} lsd_model_params;

/* Which engine lsd_model_price uses. */
typedef enum lsd_engine {
    LSD_ENGINE_AUTO = 0,   /* closed form where one exists (BSM, Merton, no
                              overlay), else COS */
    LSD_ENGINE_CLOSED = 1, /* closed form only: LSD_EDOM for a model without one */
    LSD_ENGINE_COS = 2     /* the COS engine for every model (cos.h) */
} lsd_engine;

/*
 * Parse "bsm", "merton", "kou", "heston" or "bates" (ASCII case-insensitive)
 * into *model.
 * Errors: LSD_EPARSE for anything else (detail in diag), LSD_EINVAL for NULL.
 */
LSD_EXPORT lsd_status lsd_model_parse(const char *text, lsd_model *model, lsd_diag *diag);

/* "bsm", "merton", "kou", "heston" or "bates"; "unknown" for any other value. */
LSD_EXPORT const char *lsd_model_name(lsd_model model);

/*
 * Parse "auto", "closed" or "cos" (ASCII case-insensitive) into *engine.
 * Errors: LSD_EPARSE for anything else, LSD_EINVAL for NULL.
 */
LSD_EXPORT lsd_status lsd_engine_parse(const char *text, lsd_engine *engine, lsd_diag *diag);

/* "auto", "closed" or "cos"; "unknown" for any other value. */
LSD_EXPORT const char *lsd_engine_name(lsd_engine engine);

/*
 * Which parameter families a caller was given (nonzero: at least one of the
 * family's parameters), for lsd_model_infer. The overlays (default_*,
 * depeg_*) go with every model and do not count.
 */
typedef struct lsd_model_given {
    int jump_intensity; /* `jump_intensity`: Merton's λ, or Kou's */
    int jump_shape;     /* `jump_mean` or `jump_vol`: Merton's jump law */
    int kou;            /* `kou_p`, `kou_eta_up` or `kou_eta_down` */
    int heston;         /* any of `heston_v0` ... `heston_rho` */
} lsd_model_given;

/*
 * The model a caller means when it names none, from the parameters it gave
 * (the rule of `lsdopt price` flags and `lsdopt batch` rows):
 *   heston_* given       -> bates if any jump_* is given too, else heston;
 *   kou_* given          -> kou (jump_intensity is then Kou's λ);
 *   jump_* given         -> merton (jumps are Merton's, DESIGN.md);
 *   none of these        -> bsm.
 * Errors: LSD_EDOM, naming both, when the families given fit no one model:
 * kou_* with heston_* (no model has Kou jumps and Heston variance), or
 * kou_* with jump_mean or jump_vol (Merton's jump law on Kou's jumps);
 * *model is then untouched. LSD_EINVAL for NULL given or model.
 * Thread-safe.
 */
LSD_EXPORT lsd_status lsd_model_infer(const lsd_model_given *given, lsd_model *model,
                                      lsd_diag *diag);

/*
 * The engine lsd_model_price uses for params when asked for requested:
 * LSD_ENGINE_CLOSED for AUTO on BSM or Merton without an overlay, LSD_ENGINE_COS
 * for AUTO on anything else; CLOSED and COS are returned as they are
 * (lsd_model_price then fails for CLOSED on a model without a closed form).
 * For a report of which engine priced an option. Never fails (NULL params:
 * requested); thread-safe.
 */
LSD_EXPORT lsd_engine lsd_model_engine(const lsd_model_params *params, lsd_engine requested);

/*
 * The parameters of BSM or Merton with no overlay, as the analytics built
 * on those two models hold them: model and, for LSD_MODEL_MERTON, *jumps
 * (for LSD_MODEL_BSM jumps is ignored and may be NULL; a NULL jumps gives
 * λ = 0). Any other model gives its zero parameters. Never fails.
 */
LSD_EXPORT lsd_model_params lsd_model_params_of(lsd_model model, const lsd_jumps *jumps);

/*
 * Check an option, its market and a model against their domains: the
 * option and market as lsd_option_check (option.h), except that mkt->vol
 * must be 0 for Heston and Bates; the base model's parameters; the
 * overlays. Fields the model does not use must be 0. Each failure names
 * the parameter by its DESIGN.md name, its value and why, e.g.
 * "kou_eta_up must be finite and > 1 (got 0.8): the up-jump mean E[e^Y] is infinite".
 * Errors: LSD_EINVAL for NULL opt, mkt or params or an unknown model or
 * option type; LSD_EDOM for a value out of its domain.
 */
LSD_EXPORT lsd_status lsd_model_check(const lsd_option *opt, const lsd_market *mkt,
                                      const lsd_model_params *params, lsd_diag *diag);

/*
 * Price and greeks of a European option under params (units of
 * DESIGN.md). LSD_ENGINE_AUTO and LSD_ENGINE_CLOSED send BSM and Merton
 * without overlays to lsd_bsm_price and lsd_merton_price (default series
 * control), bit for bit; LSD_ENGINE_COS, and AUTO for every other model or
 * any overlay, to lsd_cos_price with its default control (cos.h, which
 * lists which greeks each model has and what they mean).
 * Errors: those of lsd_model_check, then of the engine; LSD_EDOM for
 * LSD_ENGINE_CLOSED on a model without a closed form; LSD_EINVAL for an
 * unknown engine. On error every field of *out is NaN.
 * Thread-safe. The closed forms allocate nothing; COS allocates its
 * coefficient arrays and frees them before returning.
 */
LSD_EXPORT lsd_status lsd_model_price(const lsd_option *opt, const lsd_market *mkt,
                                      const lsd_model_params *params, lsd_engine engine,
                                      lsd_greeks *out, lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_MODEL_H */
