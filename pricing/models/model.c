/*
 * model.c — run-time model choice (model.h): model and engine names, the
 * domain checks of every model's parameters and overlays, and one dispatch
 * to the closed forms (lsd_bsm_price, lsd_merton_price, adding no arithmetic
 * of their own, so their numbers are the model's bit for bit) or to the COS
 * engine (lsd_cos_price). Checks are written !(x > 0.0) so that NaN fails
 * them.
 *
 * Layer: models (pricing/models/) — depends on core only.
 */
#include "model.h"

#include "bsm.h"
#include "cos.h"
#include "diag.h"
#include "merton.h"

#include <math.h>
#include <stddef.h>
#include <strings.h>

static const char *const model_names[] = { "bsm", "merton", "kou", "heston", "bates" };
static const char *const engine_names[] = { "auto", "closed", "cos" };
#define N_MODELS (sizeof model_names / sizeof model_names[0])
#define N_ENGINES (sizeof engine_names / sizeof engine_names[0])

/* The index of text in names[0..count) (ASCII case-insensitive), or −1. */
static int name_index(const char *text, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strcasecmp(text, names[i]) == 0)
            return (int)i;
    return -1;
}

lsd_status lsd_model_parse(const char *text, lsd_model *model, lsd_diag *diag)
{
    if (text == NULL || model == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "model: NULL argument");
    const int i = name_index(text, model_names, N_MODELS);
    if (i < 0)
        return lsd_diag_fail(diag, LSD_EPARSE,
                             "model must be bsm, merton, kou, heston or bates (got '%.64s')", text);
    *model = (lsd_model)i;
    return LSD_OK;
}

const char *lsd_model_name(lsd_model model)
{
    return (unsigned)model < N_MODELS ? model_names[model] : "unknown";
}

lsd_status lsd_engine_parse(const char *text, lsd_engine *engine, lsd_diag *diag)
{
    if (text == NULL || engine == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "engine: NULL argument");
    const int i = name_index(text, engine_names, N_ENGINES);
    if (i < 0)
        return lsd_diag_fail(diag, LSD_EPARSE,
                             "engine must be auto, closed or cos (got '%.64s')", text);
    *engine = (lsd_engine)i;
    return LSD_OK;
}

const char *lsd_engine_name(lsd_engine engine)
{
    return (unsigned)engine < N_ENGINES ? engine_names[engine] : "unknown";
}

lsd_status lsd_model_infer(const lsd_model_given *given, lsd_model *model, lsd_diag *diag)
{
    if (given == NULL || model == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "model: NULL argument");
    const int jumps = given->jump_intensity || given->jump_shape;
    if (given->kou && given->heston)
        return lsd_diag_fail(diag, LSD_EDOM,
                             "kou_* and heston_* parameters are given, and no model has Kou "
                             "jumps on Heston variance: name the model (kou, heston or bates)");
    if (given->kou && given->jump_shape)
        return lsd_diag_fail(diag, LSD_EDOM,
                             "kou_* and jump_mean/jump_vol are given: Kou's jumps are kou_p, "
                             "kou_eta_up and kou_eta_down, jump_mean and jump_vol are "
                             "Merton's: name the model (kou or merton)");
    if (given->heston)
        *model = jumps ? LSD_MODEL_BATES : LSD_MODEL_HESTON;
    else if (given->kou)
        *model = LSD_MODEL_KOU;
    else
        *model = jumps ? LSD_MODEL_MERTON : LSD_MODEL_BSM;
    return LSD_OK;
}

lsd_model_params lsd_model_params_of(lsd_model model, const lsd_jumps *jumps)
{
    lsd_model_params p = { .model = model };
    if (model == LSD_MODEL_MERTON && jumps != NULL)
        p.jumps = *jumps;
    return p;
}

/* The model uses Merton jumps / Kou jumps / Heston variance / the vol σ. */
static int uses_jumps(lsd_model m) { return m == LSD_MODEL_MERTON || m == LSD_MODEL_BATES; }
static int uses_kou(lsd_model m) { return m == LSD_MODEL_KOU; }
static int uses_heston(lsd_model m) { return m == LSD_MODEL_HESTON || m == LSD_MODEL_BATES; }

/* A field the model does not use must be 0. */
static lsd_status check_unused(const char *name, double x, lsd_model m, lsd_diag *diag)
{
    if (x != 0.0)
        return lsd_diag_fail(diag, LSD_EDOM, "%s is not a parameter of %s (got %s)", name,
                             lsd_model_name(m), LSD_DIAG_NUMBER(x));
    return LSD_OK;
}

/*
 * x must be finite and in the interval from lo to hi (open or closed at
 * each end; hi = ∞ for none); else fail naming the parameter, its value
 * and why, e.g. "kou_eta_up must be finite and > 1 (got 0.8): the up-jump
 * mean E[e^Y] is infinite".
 */
static lsd_status check_range(const char *name, double x, double lo, int lo_open, double hi,
                              int hi_open, const char *why, lsd_diag *diag)
{
    if (isfinite(x) && (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi))
        return LSD_OK;
    const char *sep = *why ? ": " : "";
    if (!isfinite(hi))
        return lsd_diag_fail(diag, LSD_EDOM, "%s must be finite and %s %s (got %s)%s%s", name,
                             lo_open ? ">" : ">=", LSD_DIAG_NUMBER(lo), LSD_DIAG_NUMBER(x), sep,
                             why);
    return lsd_diag_fail(diag, LSD_EDOM, "%s must be in %s%s, %s%s (got %s)%s%s", name,
                         lo_open ? "(" : "[", LSD_DIAG_NUMBER(lo), LSD_DIAG_NUMBER(hi),
                         hi_open ? ")" : "]", LSD_DIAG_NUMBER(x), sep, why);
}

static lsd_status check_jump_family(const char *intensity, const char *mean, const char *vol,
                                    const lsd_jumps *j, lsd_diag *diag)
{
    lsd_status s;
    if ((s = check_range(intensity, j->intensity, 0.0, 0, INFINITY, 0, "", diag)) != LSD_OK ||
        (s = check_range(mean, j->mean, -INFINITY, 1, INFINITY, 0, "", diag)) != LSD_OK ||
        (s = check_range(vol, j->vol, 0.0, 0, INFINITY, 0, "", diag)) != LSD_OK)
        return s;
    return LSD_OK;
}

lsd_status lsd_model_check(const lsd_option *opt, const lsd_market *mkt,
                           const lsd_model_params *params, lsd_diag *diag)
{
    if (opt == NULL || mkt == NULL || params == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "NULL option, market or model");
    const lsd_model m = params->model;
    if ((unsigned)m >= N_MODELS)
        return lsd_diag_fail(diag, LSD_EINVAL, "unknown model %d", (int)m);

    lsd_status s;
    if (uses_heston(m)) {
        if (mkt->vol != 0.0)
            return lsd_diag_fail(diag, LSD_EDOM,
                                 "vol is not a parameter of %s (got %s): its variance is "
                                 "heston_v0 now and heston_theta in the long run",
                                 lsd_model_name(m), LSD_DIAG_NUMBER(mkt->vol));
        /* The rest of the market and the option as every pricer checks them. */
        lsd_market with_vol = *mkt;
        with_vol.vol = 1.0;
        if ((s = lsd_option_check(opt, &with_vol, NULL, diag)) != LSD_OK)
            return s;
    } else if ((s = lsd_option_check(opt, mkt, NULL, diag)) != LSD_OK) {
        return s;
    }

    if (uses_jumps(m)) {
        if ((s = check_jump_family("jump_intensity", "jump_mean", "jump_vol", &params->jumps,
                                   diag)) != LSD_OK)
            return s;
    } else if ((s = check_unused("jump_mean", params->jumps.mean, m, diag)) != LSD_OK ||
               (s = check_unused("jump_vol", params->jumps.vol, m, diag)) != LSD_OK ||
               (s = check_unused(uses_kou(m) ? "jumps.intensity (Kou's is kou.intensity)"
                                             : "jump_intensity",
                                 params->jumps.intensity, m, diag)) != LSD_OK) {
        return s;
    }

    const lsd_kou *k = &params->kou;
    if (uses_kou(m)) {
        /* A side that never jumps (p = 0: up, p = 1: down) may leave its η at 0. */
        const int up_unused = k->p == 0.0 && k->eta_up == 0.0;
        const int down_unused = k->p == 1.0 && k->eta_down == 0.0;
        if ((s = check_range("jump_intensity", k->intensity, 0.0, 0, INFINITY, 0, "", diag)) !=
                LSD_OK ||
            (s = check_range("kou_p", k->p, 0.0, 0, 1.0, 0, "a probability", diag)) != LSD_OK ||
            (!up_unused &&
             (s = check_range("kou_eta_up", k->eta_up, 1.0, 1, INFINITY, 0,
                              "the up-jump mean E[e^Y] is infinite", diag)) != LSD_OK) ||
            (!down_unused &&
             (s = check_range("kou_eta_down", k->eta_down, 0.0, 1, INFINITY, 0,
                              "the down log-jump has mean size 1/kou_eta_down", diag)) != LSD_OK))
            return s;
    } else if ((s = check_unused("kou_p", k->p, m, diag)) != LSD_OK ||
               (s = check_unused("kou_eta_up", k->eta_up, m, diag)) != LSD_OK ||
               (s = check_unused("kou_eta_down", k->eta_down, m, diag)) != LSD_OK ||
               (s = check_unused("kou.intensity", k->intensity, m, diag)) != LSD_OK) {
        return s;
    }

    const lsd_heston *h = &params->heston;
    if (uses_heston(m)) {
        if ((s = check_range("heston_v0", h->v0, 0.0, 1, INFINITY, 0, "", diag)) != LSD_OK ||
            (s = check_range("heston_kappa", h->kappa, 0.0, 1, INFINITY, 0, "", diag)) !=
                LSD_OK ||
            (s = check_range("heston_theta", h->theta, 0.0, 1, INFINITY, 0, "", diag)) !=
                LSD_OK ||
            (s = check_range("heston_sigma", h->sigma, 0.0, 1, INFINITY, 0,
                             "for sigma = 0 use bsm at the integrated variance", diag)) !=
                LSD_OK ||
            (s = check_range("heston_rho", h->rho, -1.0, 0, 1.0, 0, "a correlation", diag)) !=
                LSD_OK)
            return s;
    } else if ((s = check_unused("heston_v0", h->v0, m, diag)) != LSD_OK ||
               (s = check_unused("heston_kappa", h->kappa, m, diag)) != LSD_OK ||
               (s = check_unused("heston_theta", h->theta, m, diag)) != LSD_OK ||
               (s = check_unused("heston_sigma", h->sigma, m, diag)) != LSD_OK ||
               (s = check_unused("heston_rho", h->rho, m, diag)) != LSD_OK) {
        return s;
    }

    const lsd_default_overlay *d = &params->default_overlay;
    if ((s = check_range("default_intensity", d->intensity, 0.0, 0, INFINITY, 0, "", diag)) !=
            LSD_OK ||
        (s = check_range("default_recovery", d->recovery, 0.0, 0, 1.0, 1,
                         "the fraction of value kept at default", diag)) != LSD_OK)
        return s;
    return check_jump_family("depeg_intensity", "depeg_mean", "depeg_vol", &params->depeg, diag);
}

/* The model has a closed form and no overlay is on. */
static int has_closed_form(const lsd_model_params *p)
{
    return (p->model == LSD_MODEL_BSM || p->model == LSD_MODEL_MERTON) &&
           p->default_overlay.intensity == 0.0 && p->depeg.intensity == 0.0;
}

lsd_engine lsd_model_engine(const lsd_model_params *params, lsd_engine requested)
{
    if (requested != LSD_ENGINE_AUTO || params == NULL)
        return requested;
    return has_closed_form(params) ? LSD_ENGINE_CLOSED : LSD_ENGINE_COS;
}

lsd_status lsd_model_price(const lsd_option *opt, const lsd_market *mkt,
                           const lsd_model_params *params, lsd_engine engine, lsd_greeks *out,
                           lsd_diag *diag)
{
    lsd_greeks_set_nan(out);
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "NULL output");
    if ((unsigned)engine >= N_ENGINES)
        return lsd_diag_fail(diag, LSD_EINVAL, "unknown engine %d", (int)engine);
    lsd_status s = lsd_model_check(opt, mkt, params, diag);
    if (s != LSD_OK)
        return s;
    if (engine == LSD_ENGINE_CLOSED && !has_closed_form(params))
        return lsd_diag_fail(diag, LSD_EDOM, "%s%s has no closed form: use engine cos or auto",
                             lsd_model_name(params->model),
                             params->model <= LSD_MODEL_MERTON ? " with an overlay" : "");
    if (lsd_model_engine(params, engine) == LSD_ENGINE_COS)
        return lsd_cos_price(opt, mkt, params, NULL, out, diag);
    if (params->model == LSD_MODEL_BSM)
        return lsd_bsm_price(opt, mkt, out, diag);
    return lsd_merton_price(opt, mkt, &params->jumps, NULL, out, diag);
}
