/*
 * common.h — internal to the lsdopt CLI: the helpers every command uses
 * (common.c). Not installed.
 *
 *   diagnostics   lsd_cli_warn, lsd_cli_exit_code
 *   command line  getopt entries and checks shared by all commands (--format,
 *                 --output, --help; operands), strict flags: numbers, signed
 *                 numbers, whole numbers, lists of numbers, one of two
 *                 words, ISO-8601 instants, --expiry, --source
 *   output        checked output files, --help text, the text/csv/json
 *                 dispatch of a report, csv cells, json numbers, objects of
 *                 numbers and arrays grown row by row, ISO-8601 UTC text,
 *                 `tenor,rate` curve files
 *
 * Diagnostics go to stderr as "lsdopt: COMMAND: ..."; exit codes are those of
 * <sysexits.h> (cli.h lists them).
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#ifndef LSD_CLI_COMMON_H
#define LSD_CLI_COMMON_H

#include "numtext.h"

#include <lsdopt/lsdopt.h>

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* ---- diagnostics ----------------------------------------------------------- */

/* Print "lsdopt: " + the formatted message + newline to stderr. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void lsd_cli_warn(const char *fmt, ...);

/*
 * The exit code of a library status that is not LSD_OK: EX_OSERR for
 * LSD_ENOMEM, EX_NOINPUT for LSD_EIO (a file that cannot be read),
 * EX_DATAERR for every other.
 */
int lsd_cli_exit_code(lsd_status st);

/* ---- command line ---------------------------------------------------------- */

/*
 * getopt_long values of the flag families shared by several commands (the
 * market flags of market_cli.h, the option and model flags of model_cli.h),
 * above any command's own (which start at 256).
 */
enum {
    LSD_CLI_OPT_RATE = 0x1000, /* market_cli.h */
    LSD_CLI_OPT_CARRY,
    LSD_CLI_OPT_VALUATION_TIME,
    LSD_CLI_OPT_TOKEN,
    LSD_CLI_OPT_STAKING_APR,
    LSD_CLI_OPT_TOKENS_FILE,
    LSD_CLI_OPT_RATE_CURVE,
    LSD_CLI_OPT_CARRY_CURVE,
    LSD_CLI_OPT_SPOT, /* model_cli.h */
    LSD_CLI_OPT_EXPIRY,
    LSD_CLI_OPT_VOL,
    LSD_CLI_OPT_RW_JUMP_INTENSITY,
    LSD_CLI_OPT_RW_JUMP_MEAN,
    LSD_CLI_OPT_RW_JUMP_VOL,
    LSD_CLI_OPT_PARAM /* model_cli.h: + lsd_cli_param, one per model parameter */
};

/* getopt_long entries of -f/--format, -o/--output and -h/--help. */
#define LSD_CLI_OUTPUT_OPTIONS                                                   \
    { "format", required_argument, NULL, 'f' },                                  \
    { "output", required_argument, NULL, 'o' },                                  \
    { "help", no_argument, NULL, 'h' }

/*
 * After getopt_long: 1 if no operand follows the flags and format is text,
 * csv or json; else 0 after a diagnostic "COMMAND: ...".
 */
int lsd_cli_flags_done(const char *command, int argc, char **argv, const char *format);

/*
 * After getopt_long: the one operand (a file: name "QUOTES", noun "quotes"),
 * or NULL after a diagnostic "COMMAND: missing NAME" or "COMMAND: one NOUN
 * file only".
 */
const char *lsd_cli_one_operand(const char *command, int argc, char **argv, const char *name,
                                const char *noun);

/* 1 if format is text, csv or json; else 0 after a diagnostic "COMMAND: ...". */
int lsd_cli_format_ok(const char *command, const char *format);

/*
 * Read a required numeric flag --FLAG (text NULL: not given) strictly.
 * Returns 1 and sets *x, or 0 after a diagnostic "COMMAND: ..." naming
 * the flag.
 */
int lsd_cli_number_flag(const char *command, const char *flag, const char *text, double *x);

/* The same for an optional flag: text NULL leaves *x (its default) alone. */
int lsd_cli_optional_number_flag(const char *command, const char *flag, const char *text,
                                 double *x);

/* The sign a number of lsd_cli_sign_flag must have. */
typedef enum lsd_cli_sign {
    LSD_CLI_ANY_SIGN,    /* any finite number */
    LSD_CLI_POSITIVE,    /* > 0 */
    LSD_CLI_NONNEGATIVE  /* >= 0 */
} lsd_cli_sign;

/*
 * An optional flag holding a finite number of the given sign: text NULL
 * leaves *x alone. Returns 1, or 0 after the diagnostic "COMMAND: --FLAG:
 * 'TEXT' is not a number" followed by unit (" of days", or "") and the
 * sign's bound (" > 0", " >= 0", or nothing).
 */
int lsd_cli_sign_flag(const char *command, const char *flag, const char *text, const char *unit,
                      lsd_cli_sign sign, double *x);

/*
 * A flag holding a comma-separated list of finite numbers ("K1,K2,..."):
 * *out (a new array the caller frees) and *n. Returns 1, or 0 after a
 * diagnostic "COMMAND: --FLAG: 'ITEM' is not a finite number" or
 * "COMMAND: out of memory".
 */
int lsd_cli_number_list(const char *command, const char *flag, const char *text, double **out,
                        size_t *n);

/*
 * An optional flag holding a whole number in [lo, hi] (paths, seeds): text
 * NULL leaves *x alone. Returns 1, or 0 after a diagnostic.
 */
int lsd_cli_whole_flag(const char *command, const char *flag, const char *text, double lo,
                       double hi, double *x);

/*
 * Read an optional ISO-8601 instant flag --FLAG (text NULL: *t untouched).
 * Returns 1, or 0 after a diagnostic.
 */
int lsd_cli_instant_flag(const char *command, const char *flag, const char *text, double *t);

/* Bytes lsd_cli_iso writes, terminating NUL included. */
#define LSD_CLI_ISO_SIZE 32

/* --expiry as read: years, and the instants when it was a date. */
typedef struct lsd_cli_expiry {
    double years;                          /* T, ACT/365F */
    int dated;                             /* 1 if --expiry was a date */
    char expiry_date[LSD_CLI_ISO_SIZE];    /* the expiry instant, UTC, if dated */
    char valuation[LSD_CLI_ISO_SIZE];      /* the valuation instant, UTC, if dated */
} lsd_cli_expiry;

/*
 * Read --expiry: years, or an ISO-8601 date or instant (a bare date is
 * 08:00 UTC) counted ACT/365F from --valuation-time (valuation NULL: now).
 * Sets e->years; for a date also e->dated = 1 and both instants in UTC text.
 * Returns 1, or 0 after a diagnostic.
 */
int lsd_cli_expiry_flag(const char *command, const char *text, const char *valuation,
                        lsd_cli_expiry *e);

/*
 * A flag that is one of two words, a or b: returns 1 and sets *second (1:
 * text is b), or 0 after the diagnostic "COMMAND: --FLAG must be A or B
 * (got 'TEXT')".
 */
int lsd_cli_choice_flag(const char *command, const char *flag, const char *text, const char *a,
                        const char *b, int *second);

/*
 * --source canonical|deribit (lsd_quotes_load's formats). Returns 1 and
 * sets *source, or 0 after a diagnostic.
 */
int lsd_cli_source_flag(const char *command, const char *text, lsd_quotes_source *source);

/* ---- output ---------------------------------------------------------------- */

/*
 * Open the output named by path ("-" or NULL: stdout) for writing. On
 * failure print a diagnostic and return NULL.
 */
FILE *lsd_cli_open_output(const char *path);

/*
 * Flush and close out (stdout too) and report a failed write: returns EX_OK,
 * or EX_IOERR after printing a diagnostic naming path.
 */
int lsd_cli_close_output(FILE *out, const char *path);

/*
 * Print --help, the NULL-terminated parts one after the other (C wants no
 * literal over 4095 bytes), to stdout; returns lsd_cli_close_output's code.
 */
int lsd_cli_help(const char *const parts[]);

/* How a command writes its report in each --format; each returns EX_OK or
 * an exit code after a diagnostic (EX_OSERR: out of memory). */
typedef struct lsd_cli_writers {
    int (*text)(FILE *out, const void *report);
    int (*csv)(FILE *out, const void *report);
    int (*json)(FILE *out, const void *report);
} lsd_cli_writers;

/*
 * Write report to path (lsd_cli_open_output) in format (text, csv or json)
 * and close it. Returns EX_OK, the writer's code, EX_CANTCREAT or EX_IOERR.
 */
int lsd_cli_write_report(const char *path, const char *format, const lsd_cli_writers *w,
                         const void *report);

/*
 * The instant t (seconds since the epoch) as ISO-8601 UTC text in buf, as
 * lsd_dates_format writes it; an instant it cannot write (a year outside
 * 0000-9999) as its number of seconds ("%.17g"), and no instant (t not
 * finite) as "".
 */
void lsd_cli_iso(double t, char buf[LSD_CLI_ISO_SIZE]);

/* Write x to out as a csv cell: shortest round-trip text (lsd_cli_dtoa). */
void lsd_cli_csv_number(FILE *out, double x);

/* Write ',' and then x as lsd_cli_csv_number, or nothing (an empty cell)
 * for a number that does not exist (NaN, infinite): the next cell of a csv
 * row. */
void lsd_cli_csv_next(FILE *out, double x);

/* A json number, or json null for a number that does not exist (NaN,
 * infinite): a field that does not apply. NULL only when out of memory. */
json_t *lsd_cli_json_number(double x);

/*
 * Set in the json object obj, in order, each name to its number as
 * lsd_cli_json_number writes it: the arguments after obj are pairs
 * (const char *name, double x), then NULL. Returns obj, or NULL when obj is
 * NULL or out of memory (obj then released).
 */
#if defined(__GNUC__)
__attribute__((sentinel))
#endif
json_t *lsd_cli_json_numbers(json_t *obj, ...);

/*
 * Append item to the json array *arr (a row of a report's table). Returns
 * 1; or, when *arr or item is NULL or out of memory, 0 after releasing
 * both and setting *arr to NULL, so a table grown in a loop ends NULL if
 * any row failed.
 */
int lsd_cli_json_append(json_t **arr, json_t *item);

/*
 * Write obj as CSV `section,name,value` (header included), one row per
 * scalar: an object member's section is its object's name ("" at the top),
 * an array element's "SECTION.NAME[i]"; numbers as lsd_cli_csv_number,
 * null as an empty value. obj is not released.
 */
void lsd_cli_csv_flatten(FILE *out, json_t *obj);

/*
 * Write obj as indented JSON (numbers to 17 digits, so they read back
 * exactly) and a newline to out, then release obj. Returns EX_OK, or
 * EX_IOERR after a diagnostic naming command.
 */
int lsd_cli_write_json(const char *command, FILE *out, json_t *obj);

/*
 * Write a carry or rate curve as CSV `tenor,rate` (n pillars, tenors in
 * years, rates continuous), the form --rate-curve/--carry-curve read, to
 * path. Returns EX_OK, EX_CANTCREAT or EX_IOERR.
 */
int lsd_cli_write_curve(const char *path, const double *tenors, const double *rates, size_t n);

#endif /* LSD_CLI_COMMON_H */
