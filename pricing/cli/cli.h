/*
 * cli.h — internal to the lsdopt command-line tool: the commands (price,
 * batch, iv, yield, forwards, calibrate, estimate, covered-call, hedge,
 * collateral) and the helpers they share. Not installed.
 *
 * Exit codes are those of <sysexits.h>: EX_OK, EX_USAGE (64), EX_DATAERR
 * (65), EX_NOINPUT (66), EX_SOFTWARE (70), EX_OSERR (71, out of memory),
 * EX_CANTCREAT (73), EX_IOERR (74).
 */
#ifndef LSD_CLI_H
#define LSD_CLI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes lsd_cli_dtoa writes: the text, its NUL, and scratch after them. */
#define LSD_CLI_DTOA_SIZE 32

/*
 * Write the shortest decimal text that reads back to exactly x into buf
 * (at least LSD_CLI_DTOA_SIZE bytes, all of which may be written),
 * NUL-terminated; return its length. The text is std::to_chars's without a
 * format: finite x gives "3000", "0.045", "-1.5e-08"; non-finite "nan", "inf".
 */
size_t lsd_cli_dtoa(double x, char *buf);

/*
 * Strict number parsing: text[0..len) with leading and trailing blanks
 * removed must be exactly one finite decimal number ("-0.5", "+3e2",
 * "1.", ".5"). Empty text, NaN, infinities, hexadecimal, out-of-range
 * magnitudes and any trailing junk are rejected. Locale-independent.
 * Returns 1 and sets *x on success, 0 (x untouched) otherwise.
 */
int lsd_cli_parse_number(const char *text, size_t len, double *x);

#ifdef __cplusplus
}

#else /* the rest is C only */

#include <jansson.h>
#include <stdio.h>

/* Print "lsdopt: " + the formatted message + newline to stderr. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void lsd_cli_warn(const char *fmt, ...);

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

/* Bytes lsd_cli_iso writes, terminating NUL included. */
#define LSD_CLI_ISO_SIZE 32

/*
 * The instant t (seconds since the epoch) as ISO-8601 UTC text in buf, as
 * lsd_time_format writes it; an instant it cannot write (a year outside
 * 0000-9999) as its number of seconds ("%.17g"), and no instant (t not
 * finite) as "".
 */
void lsd_cli_iso(double t, char buf[LSD_CLI_ISO_SIZE]);

/* Write x to out as a csv cell: shortest round-trip text (lsd_cli_dtoa). */
void lsd_cli_csv_number(FILE *out, double x);

/* 1 if format is text, csv or json; else 0 after a diagnostic "COMMAND: ...". */
int lsd_cli_format_ok(const char *command, const char *format);

/*
 * Read a required numeric flag --FLAG (text NULL: not given) strictly.
 * Returns 1 and sets *x, or 0 after a diagnostic "COMMAND: ..." naming
 * the flag.
 */
int lsd_cli_number_flag(const char *command, const char *flag, const char *text, double *x);

/*
 * Read an optional ISO-8601 instant flag --FLAG (text NULL: *t untouched).
 * Returns 1, or 0 after a diagnostic.
 */
int lsd_cli_instant_flag(const char *command, const char *flag, const char *text, double *t);

/*
 * Read --expiry: years, or an ISO-8601 date or instant (a bare date is
 * 08:00 UTC) counted ACT/365F from --valuation-time (valuation NULL: now).
 * Sets *years; for a date also *dated = 1 and both instants in UTC text.
 * Returns 1, or 0 after a diagnostic.
 */
int lsd_cli_expiry_flag(const char *command, const char *text, const char *valuation,
                        double *years, int *dated, char expiry_date[LSD_CLI_ISO_SIZE],
                        char valuation_utc[LSD_CLI_ISO_SIZE]);

/*
 * Write obj as indented JSON (numbers to 17 digits, so they read back
 * exactly) and a newline to out, then release obj. Returns EX_OK, or
 * EX_IOERR after a diagnostic naming command.
 */
int lsd_cli_write_json(const char *command, FILE *out, json_t *obj);

/* The commands: argv[0] is the command name. Return an exit code. */
int lsd_cli_price(int argc, char **argv);
int lsd_cli_batch(int argc, char **argv);
int lsd_cli_yield(int argc, char **argv);
int lsd_cli_iv(int argc, char **argv);
int lsd_cli_forwards(int argc, char **argv);
int lsd_cli_calibrate(int argc, char **argv);
int lsd_cli_estimate(int argc, char **argv);
int lsd_cli_collateral(int argc, char **argv);
int lsd_cli_covered_call(int argc, char **argv);
int lsd_cli_hedge(int argc, char **argv);

#endif /* __cplusplus */

#endif /* LSD_CLI_H */
