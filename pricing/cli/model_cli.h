/*
 * model_cli.h — internal to the lsdopt CLI: the flag family of an option
 * and the model it is priced under, shared by `price`, `iv`,
 * `covered-call`, `hedge` and `collateral`. Not installed.
 *
 *   --type call|put
 *   --spot S --expiry T --vol SIGMA
 *   --jump-intensity L --jump-mean M --jump-vol D       (Merton jumps)
 *   --rw-jump-intensity L --rw-jump-mean M --rw-jump-vol D  (real-world jumps)
 *   --kou-* --heston-* --default-* --depeg-*   (`price`: the other models
 *                                                and the overlays)
 * and the rule that turns the parameters given (flags, or a batch row's
 * cells) into a model's lsd_model_params (lsd_cli_model_params): without a
 * named model, lsd_model_infer (model.h) picks it from the parameters
 * given; a model's own parameters are all required, and a missing one is
 * named ("missing --jump-mean"). The rate and carry flags are market_cli.h's.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#ifndef LSD_MODEL_CLI_H
#define LSD_MODEL_CLI_H

#include "common.h"

#include <lsdopt/lsdopt.h>

/*
 * The parameters of a model beyond the market's vol (lsd_model_params,
 * model.h), by their DESIGN.md names (lsd_cli_param_names; a flag is the
 * name with '-' for '_'), in this order: Merton's jumps (jump_intensity is
 * also Kou's λ), Kou's jumps, Heston's variance, the default overlay, the
 * depeg overlay.
 */
enum lsd_cli_param {
    LSD_CLI_JUMP_INTENSITY,
    LSD_CLI_JUMP_MEAN,
    LSD_CLI_JUMP_VOL,
    LSD_CLI_KOU_P,
    LSD_CLI_KOU_ETA_UP,
    LSD_CLI_KOU_ETA_DOWN,
    LSD_CLI_HESTON_V0,
    LSD_CLI_HESTON_KAPPA,
    LSD_CLI_HESTON_THETA,
    LSD_CLI_HESTON_SIGMA,
    LSD_CLI_HESTON_RHO,
    LSD_CLI_DEFAULT_INTENSITY,
    LSD_CLI_DEFAULT_RECOVERY,
    LSD_CLI_DEPEG_INTENSITY,
    LSD_CLI_DEPEG_MEAN,
    LSD_CLI_DEPEG_VOL,
    LSD_CLI_N_PARAMS
};

/* "jump_intensity", "jump_mean", ..., "depeg_vol": the names above. */
extern const char *const lsd_cli_param_names[LSD_CLI_N_PARAMS];

/* Bytes lsd_cli_param_flag writes, NUL included (the longest name fits). */
#define LSD_CLI_PARAM_FLAG_SIZE 24

/* Parameter k's flag name, without the leading "--" ("kou-eta-up"), in flag. */
const char *lsd_cli_param_flag(int k, char flag[LSD_CLI_PARAM_FLAG_SIZE]);

/* The flag texts as given on the command line; NULL when a flag is absent. */
typedef struct lsd_cli_model_flags {
    const char *spot;                    /* --spot */
    const char *expiry;                  /* --expiry */
    const char *vol;                     /* --vol */
    const char *param[LSD_CLI_N_PARAMS]; /* --jump-intensity ... --depeg-vol */
    const char *rw_jump[3]; /* --rw-jump-intensity, --rw-jump-mean, --rw-jump-vol */
} lsd_cli_model_flags;

/* Their entries for a command's long-option table (values: common.h). */
#define LSD_CLI_PARAM_OPTION(name, k) { name, required_argument, NULL, LSD_CLI_OPT_PARAM + (k) }
#define LSD_CLI_JUMP_OPTIONS                                                     \
    LSD_CLI_PARAM_OPTION("jump-intensity", LSD_CLI_JUMP_INTENSITY),              \
    LSD_CLI_PARAM_OPTION("jump-mean", LSD_CLI_JUMP_MEAN),                        \
    LSD_CLI_PARAM_OPTION("jump-vol", LSD_CLI_JUMP_VOL)
#define LSD_CLI_RW_JUMP_OPTIONS                                                  \
    { "rw-jump-intensity", required_argument, NULL, LSD_CLI_OPT_RW_JUMP_INTENSITY }, \
    { "rw-jump-mean", required_argument, NULL, LSD_CLI_OPT_RW_JUMP_MEAN },       \
    { "rw-jump-vol", required_argument, NULL, LSD_CLI_OPT_RW_JUMP_VOL }
#define LSD_CLI_MODEL_OPTIONS                                                    \
    { "spot", required_argument, NULL, LSD_CLI_OPT_SPOT },                       \
    { "expiry", required_argument, NULL, LSD_CLI_OPT_EXPIRY },                   \
    { "vol", required_argument, NULL, LSD_CLI_OPT_VOL },                         \
    LSD_CLI_JUMP_OPTIONS
/* The parameters of the characteristic-function models and the overlays
 * (`price`). */
#define LSD_CLI_COS_MODEL_OPTIONS                                                \
    LSD_CLI_PARAM_OPTION("kou-p", LSD_CLI_KOU_P),                                \
    LSD_CLI_PARAM_OPTION("kou-eta-up", LSD_CLI_KOU_ETA_UP),                      \
    LSD_CLI_PARAM_OPTION("kou-eta-down", LSD_CLI_KOU_ETA_DOWN),                  \
    LSD_CLI_PARAM_OPTION("heston-v0", LSD_CLI_HESTON_V0),                        \
    LSD_CLI_PARAM_OPTION("heston-kappa", LSD_CLI_HESTON_KAPPA),                  \
    LSD_CLI_PARAM_OPTION("heston-theta", LSD_CLI_HESTON_THETA),                  \
    LSD_CLI_PARAM_OPTION("heston-sigma", LSD_CLI_HESTON_SIGMA),                  \
    LSD_CLI_PARAM_OPTION("heston-rho", LSD_CLI_HESTON_RHO),                      \
    LSD_CLI_PARAM_OPTION("default-intensity", LSD_CLI_DEFAULT_INTENSITY),        \
    LSD_CLI_PARAM_OPTION("default-recovery", LSD_CLI_DEFAULT_RECOVERY),          \
    LSD_CLI_PARAM_OPTION("depeg-intensity", LSD_CLI_DEPEG_INTENSITY),            \
    LSD_CLI_PARAM_OPTION("depeg-mean", LSD_CLI_DEPEG_MEAN),                      \
    LSD_CLI_PARAM_OPTION("depeg-vol", LSD_CLI_DEPEG_VOL)

/* The values of the parameters a command line or a batch row gave. */
typedef struct lsd_cli_param_values {
    unsigned char given[LSD_CLI_N_PARAMS]; /* 1 if parameter k was given */
    double value[LSD_CLI_N_PARAMS];        /* its value, if given */
} lsd_cli_param_values;

/*
 * 1 if model m needs parameter k: jump_intensity for merton, kou and bates;
 * jump_mean and jump_vol for merton and bates; kou_* for kou; heston_* for
 * heston and bates. The overlays' parameters are no model's own.
 */
int lsd_cli_param_needed(lsd_model m, int k);

/*
 * The model and its parameters from the values v: the model named (named
 * NULL: lsd_model_infer on the families v gives), each of its own
 * parameters (lsd_cli_param_needed) required; an overlay taken when any of
 * its parameters is given: the depeg overlay needs all three, the default
 * overlay default_intensity (default_recovery defaults to 0). Parameters
 * the model does not have are ignored, as bsm ignores the jump parameters.
 * Nothing is range-checked here: lsd_model_check does that, with messages
 * naming each parameter. Returns 1 with *p set; or 0 with *missing the first
 * parameter that is needed and not given, or with *missing = -1 and the
 * message in diag when no model fits the parameters given.
 */
int lsd_cli_model_params(const lsd_model *named, const lsd_cli_param_values *v,
                         lsd_model_params *p, int *missing, lsd_diag *diag);

/*
 * If opt (a getopt_long value) is one of these flags, record its argument
 * in *f and return 1; else return 0 and leave *f alone.
 */
int lsd_cli_model_flag(int opt, const char *arg, lsd_cli_model_flags *f);

/*
 * Read --type (text NULL: not given). Returns 1 and sets *type, or 0 after
 * a diagnostic "COMMAND: ...".
 */
int lsd_cli_type_flag(const char *command, const char *text, lsd_option_type *type);

/*
 * A jump triple: text[] holds --PREFIXjump-intensity, --PREFIXjump-mean and
 * --PREFIXjump-vol (prefix "" or "rw-"). None given: *given = 0, *j
 * untouched. Any given: all three are read into *j and *given = 1.
 * Returns 1, or 0 after a diagnostic "COMMAND: ..." (a missing or
 * unparseable flag of the triple).
 */
int lsd_cli_jump_flags(const char *command, const char *prefix, const char *const text[3],
                       int *given, lsd_jumps *j);

/*
 * The value parameter k has in *p, for a report of the inputs: NaN when the
 * model has no such parameter (lsd_cli_param_needed) and it is not of an
 * overlay that is on (an overlay is on when any of its fields is not 0).
 */
double lsd_cli_param_of(const lsd_model_params *p, int k);

/*
 * The model and its jumps of a command that prices bsm or merton only: merton
 * if any jump flag of text[] is given (all three read into *j), else bsm
 * (*j untouched). Returns 1, or 0 after a diagnostic "COMMAND: ..." (a jump
 * flag missing or unparseable).
 */
int lsd_cli_model_jumps(const char *command, const char *const text[3], lsd_model *model,
                        lsd_jumps *j);

/*
 * The parameter flags text[] (NULL: not given) read into *v. Returns 1, or 0
 * after the diagnostic "COMMAND: --FLAG: ..." of the first unparseable one.
 */
int lsd_cli_param_flags(const char *command, const char *const text[LSD_CLI_N_PARAMS],
                        lsd_cli_param_values *v);

#endif /* LSD_MODEL_CLI_H */
