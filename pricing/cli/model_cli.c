/*
 * model_cli.c — the flag family of an option and its model for the lsdopt
 * CLI (model_cli.h): --type, --spot, --expiry, --vol, the jump triples (all
 * three of a triple or none), the parameters of every model and overlay,
 * and the rule that makes them a model's lsd_model_params.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "model_cli.h"

#include "common.h"

#include <math.h>
#include <stdio.h>

const char *const lsd_cli_param_names[LSD_CLI_N_PARAMS] = {
    "jump_intensity", "jump_mean", "jump_vol", "kou_p", "kou_eta_up", "kou_eta_down",
    "heston_v0", "heston_kappa", "heston_theta", "heston_sigma", "heston_rho",
    "default_intensity", "default_recovery", "depeg_intensity", "depeg_mean", "depeg_vol"
};

const char *lsd_cli_param_flag(int k, char flag[LSD_CLI_PARAM_FLAG_SIZE])
{
    snprintf(flag, LSD_CLI_PARAM_FLAG_SIZE, "%s", lsd_cli_param_names[k]);
    for (char *c = flag; *c != '\0'; c++)
        if (*c == '_')
            *c = '-';
    return flag;
}

int lsd_cli_model_flag(int opt, const char *arg, lsd_cli_model_flags *f)
{
    if (opt >= LSD_CLI_OPT_PARAM && opt < LSD_CLI_OPT_PARAM + LSD_CLI_N_PARAMS) {
        f->param[opt - LSD_CLI_OPT_PARAM] = arg;
        return 1;
    }
    switch (opt) {
    case LSD_CLI_OPT_SPOT: f->spot = arg; return 1;
    case LSD_CLI_OPT_EXPIRY: f->expiry = arg; return 1;
    case LSD_CLI_OPT_VOL: f->vol = arg; return 1;
    case LSD_CLI_OPT_RW_JUMP_INTENSITY: f->rw_jump[0] = arg; return 1;
    case LSD_CLI_OPT_RW_JUMP_MEAN: f->rw_jump[1] = arg; return 1;
    case LSD_CLI_OPT_RW_JUMP_VOL: f->rw_jump[2] = arg; return 1;
    default: return 0;
    }
}

int lsd_cli_type_flag(const char *command, const char *text, lsd_option_type *type)
{
    lsd_diag diag = { "" };
    if (text == NULL) {
        lsd_cli_warn("%s: missing --type (see 'lsdopt %s --help')", command, command);
        return 0;
    }
    if (lsd_option_type_parse(text, type, &diag) != LSD_OK) {
        lsd_cli_warn("%s: --type: %s", command, diag.message);
        return 0;
    }
    return 1;
}

/* All three flags of a triple into *j. */
static int read_triple(const char *command, const char *prefix, const char *const text[3],
                       lsd_jumps *j)
{
    static const char *const names[3] = { "jump-intensity", "jump-mean", "jump-vol" };
    double *const field[3] = { &j->intensity, &j->mean, &j->vol };
    for (int k = 0; k < 3; k++) {
        char flag[32];
        snprintf(flag, sizeof flag, "%s%s", prefix, names[k]);
        if (!lsd_cli_number_flag(command, flag, text[k], field[k]))
            return 0;
    }
    return 1;
}

int lsd_cli_jump_flags(const char *command, const char *prefix, const char *const text[3],
                       int *given, lsd_jumps *j)
{
    *given = text[0] != NULL || text[1] != NULL || text[2] != NULL;
    return !*given || read_triple(command, prefix, text, j);
}

int lsd_cli_model_jumps(const char *command, const char *const text[3], lsd_model *model,
                        lsd_jumps *j)
{
    int given;
    if (!lsd_cli_jump_flags(command, "", text, &given, j))
        return 0;
    *model = given ? LSD_MODEL_MERTON : LSD_MODEL_BSM;
    return 1;
}

int lsd_cli_param_flags(const char *command, const char *const text[LSD_CLI_N_PARAMS],
                        lsd_cli_param_values *v)
{
    for (int k = 0; k < LSD_CLI_N_PARAMS; k++) {
        v->given[k] = text[k] != NULL;
        if (text[k] == NULL)
            continue;
        char flag[LSD_CLI_PARAM_FLAG_SIZE];
        if (!lsd_cli_number_flag(command, lsd_cli_param_flag(k, flag), text[k], &v->value[k]))
            return 0;
    }
    return 1;
}

int lsd_cli_param_needed(lsd_model m, int k)
{
    switch (k) {
    case LSD_CLI_JUMP_INTENSITY:
        return m == LSD_MODEL_MERTON || m == LSD_MODEL_KOU || m == LSD_MODEL_BATES;
    case LSD_CLI_JUMP_MEAN:
    case LSD_CLI_JUMP_VOL: return m == LSD_MODEL_MERTON || m == LSD_MODEL_BATES;
    case LSD_CLI_KOU_P:
    case LSD_CLI_KOU_ETA_UP:
    case LSD_CLI_KOU_ETA_DOWN: return m == LSD_MODEL_KOU;
    case LSD_CLI_HESTON_V0:
    case LSD_CLI_HESTON_KAPPA:
    case LSD_CLI_HESTON_THETA:
    case LSD_CLI_HESTON_SIGMA:
    case LSD_CLI_HESTON_RHO: return m == LSD_MODEL_HESTON || m == LSD_MODEL_BATES;
    default: return 0;
    }
}

/* The field of *p that parameter k is (jump_intensity: Kou's λ for kou). */
static double *param_field(lsd_model_params *p, int k)
{
    double *const field[LSD_CLI_N_PARAMS] = {
        p->model == LSD_MODEL_KOU ? &p->kou.intensity : &p->jumps.intensity,
        &p->jumps.mean, &p->jumps.vol, &p->kou.p, &p->kou.eta_up, &p->kou.eta_down,
        &p->heston.v0, &p->heston.kappa, &p->heston.theta, &p->heston.sigma, &p->heston.rho,
        &p->default_overlay.intensity, &p->default_overlay.recovery,
        &p->depeg.intensity, &p->depeg.mean, &p->depeg.vol
    };
    return field[k];
}

/* Any of the parameters [first, last] given. */
static int any_given(const lsd_cli_param_values *v, int first, int last)
{
    for (int k = first; k <= last; k++)
        if (v->given[k])
            return 1;
    return 0;
}

/* The first of [first, last] not given, or -1. */
static int first_missing(const lsd_cli_param_values *v, int first, int last)
{
    for (int k = first; k <= last; k++)
        if (!v->given[k])
            return k;
    return -1;
}

int lsd_cli_model_params(const lsd_model *named, const lsd_cli_param_values *v,
                         lsd_model_params *p, int *missing, lsd_diag *diag)
{
    *p = (lsd_model_params){ .model = LSD_MODEL_BSM };
    *missing = -1;
    if (named != NULL) {
        p->model = *named;
    } else {
        const lsd_model_given given = {
            .jump_intensity = v->given[LSD_CLI_JUMP_INTENSITY],
            .jump_shape = any_given(v, LSD_CLI_JUMP_MEAN, LSD_CLI_JUMP_VOL),
            .kou = any_given(v, LSD_CLI_KOU_P, LSD_CLI_KOU_ETA_DOWN),
            .heston = any_given(v, LSD_CLI_HESTON_V0, LSD_CLI_HESTON_RHO),
        };
        if (lsd_model_infer(&given, &p->model, diag) != LSD_OK)
            return 0;
    }
    /* Kou's side that never jumps needs no η: up when kou_p = 0, down when kou_p = 1. */
    const int p_given = v->given[LSD_CLI_KOU_P];
    for (int k = 0; k < LSD_CLI_N_PARAMS; k++)
        if (lsd_cli_param_needed(p->model, k) && !v->given[k] &&
            !(k == LSD_CLI_KOU_ETA_UP && p_given && v->value[LSD_CLI_KOU_P] == 0.0) &&
            !(k == LSD_CLI_KOU_ETA_DOWN && p_given && v->value[LSD_CLI_KOU_P] == 1.0)) {
            *missing = k;
            return 0;
        }
    if (v->given[LSD_CLI_DEFAULT_RECOVERY] && !v->given[LSD_CLI_DEFAULT_INTENSITY]) {
        *missing = LSD_CLI_DEFAULT_INTENSITY;
        return 0;
    }
    if (any_given(v, LSD_CLI_DEPEG_INTENSITY, LSD_CLI_DEPEG_VOL) &&
        (*missing = first_missing(v, LSD_CLI_DEPEG_INTENSITY, LSD_CLI_DEPEG_VOL)) >= 0)
        return 0;

    for (int k = 0; k < LSD_CLI_N_PARAMS; k++)
        if (v->given[k] && (lsd_cli_param_needed(p->model, k) || k >= LSD_CLI_DEFAULT_INTENSITY))
            *param_field(p, k) = v->value[k];
    return 1;
}

double lsd_cli_param_of(const lsd_model_params *p, int k)
{
    const int overlay = k >= LSD_CLI_DEPEG_INTENSITY
                            ? p->depeg.intensity != 0.0 || p->depeg.mean != 0.0 ||
                                  p->depeg.vol != 0.0
                            : k >= LSD_CLI_DEFAULT_INTENSITY &&
                                  (p->default_overlay.intensity != 0.0 ||
                                   p->default_overlay.recovery != 0.0);
    if (!overlay && !lsd_cli_param_needed(p->model, k))
        return NAN;
    return *param_field((lsd_model_params *)p, k);
}
