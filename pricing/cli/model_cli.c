/*
 * model_cli.c — the flag family of an option and its model for the lsdopt
 * CLI (model_cli.h): --type, --spot, --expiry, --vol and the jump triples,
 * all three of a triple or none.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "model_cli.h"

#include "common.h"

#include <stdio.h>

int lsd_cli_model_flag(int opt, const char *arg, lsd_cli_model_flags *f)
{
    switch (opt) {
    case LSD_CLI_OPT_SPOT: f->spot = arg; return 1;
    case LSD_CLI_OPT_EXPIRY: f->expiry = arg; return 1;
    case LSD_CLI_OPT_VOL: f->vol = arg; return 1;
    case LSD_CLI_OPT_JUMP_INTENSITY: f->jump[0] = arg; return 1;
    case LSD_CLI_OPT_JUMP_MEAN: f->jump[1] = arg; return 1;
    case LSD_CLI_OPT_JUMP_VOL: f->jump[2] = arg; return 1;
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

int lsd_cli_model_jumps(const char *command, const char *model_text, const char *const text[3],
                        lsd_model *model, lsd_jumps *j)
{
    const int any = text[0] != NULL || text[1] != NULL || text[2] != NULL;
    lsd_diag diag = { "" };
    if (model_text == NULL) {
        *model = lsd_model_for_jumps(any);
    } else if (lsd_model_parse(model_text, model, &diag) != LSD_OK) {
        lsd_cli_warn("%s: --model: %s", command, diag.message);
        return 0;
    }
    return *model != LSD_MODEL_MERTON || read_triple(command, "", text, j);
}
