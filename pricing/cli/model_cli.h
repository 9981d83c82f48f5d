/*
 * model_cli.h — internal to the lsdopt CLI: the flag family of an option
 * and the model it is priced under, shared by `price`, `iv`,
 * `covered-call`, `hedge` and `collateral`. Not installed.
 *
 *   --type call|put
 *   --spot S --expiry T --vol SIGMA
 *   --jump-intensity L --jump-mean M --jump-vol D       (Merton jumps)
 *   --rw-jump-intensity L --rw-jump-mean M --rw-jump-vol D  (real-world jumps)
 *
 * A jump triple is all three flags or none: any one of them asks for the
 * jumps, and then a missing one is a usage error ("missing --jump-mean").
 * Without --model the jump flags choose the model: merton when any is
 * given, else bsm. The rate and carry flags are market_cli.h's.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#ifndef LSD_MODEL_CLI_H
#define LSD_MODEL_CLI_H

#include "common.h"

#include <lsdopt/lsdopt.h>

/* The flag texts as given on the command line; NULL when a flag is absent. */
typedef struct lsd_cli_model_flags {
    const char *spot;       /* --spot */
    const char *expiry;     /* --expiry */
    const char *vol;        /* --vol */
    const char *jump[3];    /* --jump-intensity, --jump-mean, --jump-vol */
    const char *rw_jump[3]; /* --rw-jump-intensity, --rw-jump-mean, --rw-jump-vol */
} lsd_cli_model_flags;

/* Their entries for a command's long-option table (values: common.h). */
#define LSD_CLI_JUMP_OPTIONS                                                     \
    { "jump-intensity", required_argument, NULL, LSD_CLI_OPT_JUMP_INTENSITY },   \
    { "jump-mean", required_argument, NULL, LSD_CLI_OPT_JUMP_MEAN },             \
    { "jump-vol", required_argument, NULL, LSD_CLI_OPT_JUMP_VOL }
#define LSD_CLI_RW_JUMP_OPTIONS                                                  \
    { "rw-jump-intensity", required_argument, NULL, LSD_CLI_OPT_RW_JUMP_INTENSITY }, \
    { "rw-jump-mean", required_argument, NULL, LSD_CLI_OPT_RW_JUMP_MEAN },       \
    { "rw-jump-vol", required_argument, NULL, LSD_CLI_OPT_RW_JUMP_VOL }
#define LSD_CLI_MODEL_OPTIONS                                                    \
    { "spot", required_argument, NULL, LSD_CLI_OPT_SPOT },                       \
    { "expiry", required_argument, NULL, LSD_CLI_OPT_EXPIRY },                   \
    { "vol", required_argument, NULL, LSD_CLI_OPT_VOL },                         \
    LSD_CLI_JUMP_OPTIONS

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
 * The model and its jumps: --model (model_text NULL: merton if any jump
 * flag of text[] is given, else bsm); merton reads the three jump flags
 * into *j (bsm leaves *j alone and ignores them). Returns 1, or 0 after a
 * diagnostic "COMMAND: ..." (an unknown model, a jump flag missing or
 * unparseable).
 */
int lsd_cli_model_jumps(const char *command, const char *model_text, const char *const text[3],
                        lsd_model *model, lsd_jumps *j);

#endif /* LSD_MODEL_CLI_H */
