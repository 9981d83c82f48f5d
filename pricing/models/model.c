/*
 * model.c — run-time model choice over lsd_bsm_price and lsd_merton_price
 * (model.h): model names parsed and printed, and one dispatch that adds no
 * arithmetic of its own, so its numbers are the model's bit for bit.
 *
 * Layer: models (pricing/models/) — depends on core only.
 */
#include "model.h"

#include "bsm.h"
#include "diag.h"
#include "merton.h"

#include <stddef.h>
#include <strings.h>

lsd_status lsd_model_parse(const char *text, lsd_model *model, lsd_diag *diag)
{
    if (text == NULL || model == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "model: NULL argument");
    if (strcasecmp(text, "bsm") == 0) {
        *model = LSD_MODEL_BSM;
        return LSD_OK;
    }
    if (strcasecmp(text, "merton") == 0) {
        *model = LSD_MODEL_MERTON;
        return LSD_OK;
    }
    return lsd_diag_fail(diag, LSD_EPARSE, "model must be bsm or merton (got '%.64s')", text);
}

const char *lsd_model_name(lsd_model model)
{
    switch (model) {
    case LSD_MODEL_BSM: return "bsm";
    case LSD_MODEL_MERTON: return "merton";
    }
    return "unknown";
}

lsd_model lsd_model_for_jumps(int any_jump_given)
{
    return any_jump_given ? LSD_MODEL_MERTON : LSD_MODEL_BSM;
}

lsd_status lsd_model_price(lsd_model model, const lsd_option *opt, const lsd_market *mkt,
                     const lsd_jumps *jumps, lsd_greeks *out, lsd_diag *diag)
{
    switch (model) {
    case LSD_MODEL_BSM: return lsd_bsm_price(opt, mkt, out, diag);
    case LSD_MODEL_MERTON: return lsd_merton_price(opt, mkt, jumps, NULL, out, diag);
    }
    lsd_greeks_set_nan(out);
    return lsd_diag_fail(diag, LSD_EINVAL, "unknown model %d", (int)model);
}
