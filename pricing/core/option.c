/*
 * option.c — option-type names, the input domain checks every pricer runs
 * first (option, market, jumps), and lsd_greeks_set_nan for the output of a
 * failed call (option.h). Checks are written !(x > 0.0) so that NaN fails
 * them.
 *
 * Layer: core (pricing/core/) — depends on nothing.
 */
#include "option.h"

#include "diag.h"

#include <math.h>
#include <stddef.h>
#include <strings.h>

lsd_status lsd_option_type_parse(const char *text, lsd_option_type *type, lsd_diag *diag)
{
    if (text == NULL || type == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "option type: NULL argument");
    if (strcasecmp(text, "call") == 0 || strcasecmp(text, "c") == 0) {
        *type = LSD_CALL;
        return LSD_OK;
    }
    if (strcasecmp(text, "put") == 0 || strcasecmp(text, "p") == 0) {
        *type = LSD_PUT;
        return LSD_OK;
    }
    return lsd_diag_fail(diag, LSD_EPARSE, "type must be call or put (got '%.64s')", text);
}

const char *lsd_option_type_name(lsd_option_type type)
{
    switch (type) {
    case LSD_CALL: return "call";
    case LSD_PUT: return "put";
    }
    return "unknown";
}

/* x must be finite and > 0. */
static lsd_status check_positive(const char *name, double x, lsd_diag *diag)
{
    if (!(x > 0.0) || !isfinite(x))
        return lsd_diag_fail(diag, LSD_EDOM, "%s must be finite and > 0 (got %s)", name,
                             LSD_DIAG_NUMBER(x));
    return LSD_OK;
}

/* x must be finite and >= 0. */
static lsd_status check_nonnegative(const char *name, double x, lsd_diag *diag)
{
    if (!(x >= 0.0) || !isfinite(x))
        return lsd_diag_fail(diag, LSD_EDOM, "%s must be finite and >= 0 (got %s)", name,
                             LSD_DIAG_NUMBER(x));
    return LSD_OK;
}

/* x must be finite. */
static lsd_status check_finite(const char *name, double x, lsd_diag *diag)
{
    if (!isfinite(x))
        return lsd_diag_fail(diag, LSD_EDOM, "%s must be finite (got %s)", name,
                             LSD_DIAG_NUMBER(x));
    return LSD_OK;
}

lsd_status lsd_option_check(const lsd_option *opt, const lsd_market *mkt,
                            const lsd_jumps *jumps, lsd_diag *diag)
{
    if (opt == NULL || mkt == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "NULL option or market");
    if (opt->type != LSD_CALL && opt->type != LSD_PUT)
        return lsd_diag_fail(diag, LSD_EINVAL, "unknown option type %d", (int)opt->type);

    lsd_status s;
    if ((s = check_positive("spot", mkt->spot, diag)) != LSD_OK ||
        (s = check_positive("strike", opt->strike, diag)) != LSD_OK ||
        (s = check_positive("expiry", opt->expiry, diag)) != LSD_OK ||
        (s = check_finite("rate", mkt->rate, diag)) != LSD_OK ||
        (s = check_finite("carry", mkt->carry, diag)) != LSD_OK ||
        (s = check_positive("vol", mkt->vol, diag)) != LSD_OK)
        return s;
    if (jumps != NULL &&
        ((s = check_nonnegative("jump_intensity", jumps->intensity, diag)) != LSD_OK ||
         (s = check_finite("jump_mean", jumps->mean, diag)) != LSD_OK ||
         (s = check_nonnegative("jump_vol", jumps->vol, diag)) != LSD_OK))
        return s;
    return LSD_OK;
}

void lsd_greeks_set_nan(lsd_greeks *out)
{
    if (out == NULL)
        return;
    const double nan = NAN;
    *out = (lsd_greeks){ nan, nan, nan, nan, nan, nan, nan, nan, nan, nan };
}
