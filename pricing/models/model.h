/*
 * model.h — one entry point over the models, for callers that choose the
 * model at run time (the CLI, batch rows, bindings, the analytics):
 * lsd_model_parse and lsd_model_name for a model's name, lsd_model_price
 * dispatching to lsd_bsm_price or lsd_merton_price, bit for bit.
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

/* Pricing model. */
typedef enum lsd_model {
    LSD_MODEL_BSM = 0,   /* generalized BSM with carry (bsm.h) */
    LSD_MODEL_MERTON = 1 /* Merton (1976) jump-diffusion with carry (merton.h) */
} lsd_model;

/*
 * Parse "bsm" or "merton" (ASCII case-insensitive) into *model.
 * Errors: LSD_EPARSE for anything else (detail in diag), LSD_EINVAL for NULL.
 */
LSD_EXPORT lsd_status lsd_model_parse(const char *text, lsd_model *model, lsd_diag *diag);

/* "bsm" or "merton"; "unknown" for any other value. */
LSD_EXPORT const char *lsd_model_name(lsd_model model);

/*
 * The model a caller means when it names none: LSD_MODEL_MERTON when any of
 * the jump parameters (intensity, mean, vol) is given (any_jump_given != 0),
 * else LSD_MODEL_BSM — jumps are Merton's (DESIGN.md), and a jump-free
 * option is BSM's. The rule of `lsdopt price` flags and `lsdopt batch` rows.
 * Never fails; thread-safe.
 */
LSD_EXPORT lsd_model lsd_model_for_jumps(int any_jump_given);

/*
 * Price with the given model: lsd_bsm_price for LSD_MODEL_BSM (jumps is
 * ignored and may be NULL), lsd_merton_price with default series control
 * for LSD_MODEL_MERTON (jumps required). Same units, errors and thread
 * safety as those; LSD_EINVAL for an unknown model.
 */
LSD_EXPORT lsd_status lsd_model_price(lsd_model model, const lsd_option *opt,
                                const lsd_market *mkt, const lsd_jumps *jumps,
                                lsd_greeks *out, lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_MODEL_H */
