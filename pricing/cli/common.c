/*
 * common.c — the helpers every lsdopt command uses (common.h): diagnostics,
 * strict flags, checked output files, the text/csv/json dispatch of a
 * report, and times and numbers as text.
 *
 * Conventions follow coreutils and jq: --help to stdout with exit 0,
 * diagnostics to stderr prefixed "lsdopt: ", exit codes from <sysexits.h>,
 * every write checked.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "common.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* ---- diagnostics ----------------------------------------------------------- */

void lsd_cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("lsdopt: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int lsd_cli_exit_code(lsd_status st)
{
    return st == LSD_ENOMEM ? EX_OSERR : st == LSD_EIO ? EX_NOINPUT : EX_DATAERR;
}

/* ---- command line ---------------------------------------------------------- */

int lsd_cli_flags_done(const char *command, int argc, char **argv, const char *format)
{
    if (optind < argc) {
        lsd_cli_warn("%s: unexpected argument '%s'", command, argv[optind]);
        return 0;
    }
    return lsd_cli_format_ok(command, format);
}

const char *lsd_cli_one_operand(const char *command, int argc, char **argv, const char *name,
                                const char *noun)
{
    if (argc - optind == 1)
        return argv[optind];
    if (argc == optind)
        lsd_cli_warn("%s: missing %s (see 'lsdopt %s --help')", command, name, command);
    else
        lsd_cli_warn("%s: one %s file only", command, noun);
    return NULL;
}

int lsd_cli_format_ok(const char *command, const char *format)
{
    if (strcmp(format, "text") == 0 || strcmp(format, "csv") == 0 || strcmp(format, "json") == 0)
        return 1;
    lsd_cli_warn("%s: --format must be text, csv or json (got '%s')", command, format);
    return 0;
}

int lsd_cli_number_flag(const char *command, const char *flag, const char *text, double *x)
{
    if (text == NULL) {
        lsd_cli_warn("%s: missing --%s (see 'lsdopt %s --help')", command, flag, command);
        return 0;
    }
    if (!lsd_cli_parse_number(text, strlen(text), x)) {
        lsd_cli_warn("%s: --%s: '%s' is not a finite number", command, flag, text);
        return 0;
    }
    return 1;
}

int lsd_cli_optional_number_flag(const char *command, const char *flag, const char *text,
                                 double *x)
{
    return text == NULL || lsd_cli_number_flag(command, flag, text, x);
}

int lsd_cli_sign_flag(const char *command, const char *flag, const char *text, const char *unit,
                      lsd_cli_sign sign, double *x)
{
    if (text == NULL)
        return 1;
    if (lsd_cli_parse_number(text, strlen(text), x) &&
        (sign == LSD_CLI_POSITIVE ? *x > 0.0 : sign == LSD_CLI_NONNEGATIVE ? *x >= 0.0 : 1))
        return 1;
    lsd_cli_warn("%s: --%s: '%s' is not a number%s%s", command, flag, text, unit,
                 sign == LSD_CLI_POSITIVE ? " > 0" : sign == LSD_CLI_NONNEGATIVE ? " >= 0" : "");
    return 0;
}

int lsd_cli_number_list(const char *command, const char *flag, const char *text, double **out,
                        size_t *n)
{
    size_t count = 1;
    for (const char *p = text; *p != '\0'; p++)
        count += *p == ',';
    double *x = malloc(count * sizeof *x);
    if (x == NULL) {
        lsd_cli_warn("%s: out of memory", command);
        return 0;
    }
    const char *p = text;
    for (size_t i = 0; i < count; i++) {
        const char *end = strchr(p, ',');
        const size_t len = end == NULL ? strlen(p) : (size_t)(end - p);
        if (!lsd_cli_parse_number(p, len, &x[i])) {
            lsd_cli_warn("%s: --%s: '%.*s' is not a finite number", command, flag, (int)len, p);
            free(x);
            return 0;
        }
        p = end == NULL ? p + len : end + 1;
    }
    *out = x;
    *n = count;
    return 1;
}

int lsd_cli_whole_flag(const char *command, const char *flag, const char *text, double lo,
                       double hi, double *x)
{
    if (text == NULL)
        return 1;
    if (!lsd_cli_number_flag(command, flag, text, x))
        return 0;
    if (!(*x >= lo && *x <= hi) || *x != floor(*x)) {
        lsd_cli_warn("%s: --%s must be an integer in [%.0f, %.0f] (got %s)", command, flag, lo,
                     hi, text);
        return 0;
    }
    return 1;
}

int lsd_cli_instant_flag(const char *command, const char *flag, const char *text, double *t)
{
    lsd_diag diag = { "" };
    if (text != NULL && lsd_dates_parse(text, t, &diag) != LSD_OK) {
        lsd_cli_warn("%s: --%s: %s", command, flag, diag.message);
        return 0;
    }
    return 1;
}

int lsd_cli_expiry_flag(const char *command, const char *text, const char *valuation,
                        lsd_cli_expiry *e)
{
    if (text == NULL) {
        lsd_cli_warn("%s: missing --expiry (see 'lsdopt %s --help')", command, command);
        return 0;
    }
    if (lsd_cli_parse_number(text, strlen(text), &e->years))
        return 1;
    lsd_diag diag = { "" };
    double expiry_at, value_at = 0.0;
    if (lsd_dates_parse(text, &expiry_at, &diag) != LSD_OK) {
        lsd_cli_warn("%s: --expiry: '%s' is neither a number of years nor an ISO-8601 "
                     "date (%s)", command, text, diag.message);
        return 0;
    }
    if (valuation == NULL)
        value_at = lsd_dates_now();
    else if (!lsd_cli_instant_flag(command, "valuation-time", valuation, &value_at))
        return 0;
    if (lsd_dates_year_fraction(value_at, expiry_at, &e->years) != LSD_OK ||
        lsd_dates_format(expiry_at, e->expiry_date, LSD_CLI_ISO_SIZE) != LSD_OK ||
        lsd_dates_format(value_at, e->valuation, LSD_CLI_ISO_SIZE) != LSD_OK) {
        lsd_cli_warn("%s: --expiry %s: instant out of range", command, text);
        return 0;
    }
    e->dated = 1;
    return 1;
}

int lsd_cli_choice_flag(const char *command, const char *flag, const char *text, const char *a,
                        const char *b, int *second)
{
    if (strcmp(text, a) != 0 && strcmp(text, b) != 0) {
        lsd_cli_warn("%s: --%s must be %s or %s (got '%s')", command, flag, a, b, text);
        return 0;
    }
    *second = strcmp(text, b) == 0;
    return 1;
}

int lsd_cli_source_flag(const char *command, const char *text, lsd_quotes_source *source)
{
    int deribit;
    if (!lsd_cli_choice_flag(command, "source", text, "canonical", "deribit", &deribit))
        return 0;
    *source = deribit ? LSD_QUOTES_SOURCE_DERIBIT : LSD_QUOTES_SOURCE_CANONICAL;
    return 1;
}

/* ---- output ---------------------------------------------------------------- */

FILE *lsd_cli_open_output(const char *path)
{
    if (path == NULL || strcmp(path, "-") == 0)
        return stdout;
    FILE *out = fopen(path, "w");
    if (out == NULL)
        lsd_cli_warn("cannot create '%s': %s", path, strerror(errno));
    return out;
}

int lsd_cli_close_output(FILE *out, const char *path)
{
    const char *name = (path == NULL || strcmp(path, "-") == 0) ? "standard output" : path;
    int failed = fflush(out) != 0 || ferror(out);
    int err = errno;
    if (fclose(out) != 0) {
        if (!failed)
            err = errno;
        failed = 1;
    }
    if (failed) {
        lsd_cli_warn("write error on %s: %s", name, strerror(err));
        return EX_IOERR;
    }
    return EX_OK;
}

int lsd_cli_help(const char *const parts[])
{
    for (size_t i = 0; parts[i] != NULL; i++)
        fputs(parts[i], stdout);
    return lsd_cli_close_output(stdout, NULL);
}

int lsd_cli_write_report(const char *path, const char *format, const lsd_cli_writers *w,
                         const void *report)
{
    FILE *out = lsd_cli_open_output(path);
    if (out == NULL)
        return EX_CANTCREAT;
    const int rc = strcmp(format, "json") == 0  ? w->json(out, report)
                   : strcmp(format, "csv") == 0 ? w->csv(out, report)
                                                : w->text(out, report);
    const int close_rc = lsd_cli_close_output(out, path);
    return rc != EX_OK ? rc : close_rc;
}

void lsd_cli_iso(double t, char buf[LSD_CLI_ISO_SIZE])
{
    if (!isfinite(t))
        buf[0] = '\0';
    else if (lsd_dates_format(t, buf, LSD_CLI_ISO_SIZE) != LSD_OK)
        snprintf(buf, LSD_CLI_ISO_SIZE, "%.17g", t);
}

void lsd_cli_csv_number(FILE *out, double x)
{
    char buf[LSD_CLI_DTOA_SIZE];
    fwrite(buf, 1, lsd_cli_dtoa(x, buf), out);
}

void lsd_cli_csv_next(FILE *out, double x)
{
    fputc(',', out);
    if (isfinite(x))
        lsd_cli_csv_number(out, x);
}

json_t *lsd_cli_json_number(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

json_t *lsd_cli_json_numbers(json_t *obj, ...)
{
    va_list ap;
    va_start(ap, obj);
    int failed = obj == NULL;
    for (const char *name; !failed && (name = va_arg(ap, const char *)) != NULL;)
        failed = json_object_set_new(obj, name, lsd_cli_json_number(va_arg(ap, double))) != 0;
    va_end(ap);
    if (failed) {
        json_decref(obj);
        return NULL;
    }
    return obj;
}

int lsd_cli_json_append(json_t **arr, json_t *item)
{
    if (json_array_append_new(*arr, item) == 0)
        return 1;
    json_decref(*arr);
    *arr = NULL;
    return 0;
}

/* The rows of lsd_cli_csv_flatten below section. */
static void csv_flatten_rows(FILE *out, const char *section, json_t *obj)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (json_is_object(v)) {
            csv_flatten_rows(out, key, v);
        } else if (json_is_array(v)) {
            size_t i;
            json_t *row;
            json_array_foreach(v, i, row) {
                char name[64];
                snprintf(name, sizeof name, "%s.%s[%zu]", section, key, i);
                csv_flatten_rows(out, strcmp(section, "") == 0 ? name + 1 : name, row);
            }
        } else {
            fprintf(out, "%s,%s,", section, key);
            if (json_is_string(v))
                fputs(json_string_value(v), out);
            else if (json_is_integer(v))
                fprintf(out, "%lld", (long long)json_integer_value(v));
            else if (json_is_real(v))
                lsd_cli_csv_number(out, json_real_value(v));
            fputc('\n', out);
        }
    }
}

void lsd_cli_csv_flatten(FILE *out, json_t *obj)
{
    fputs("section,name,value\n", out);
    csv_flatten_rows(out, "", obj);
}

int lsd_cli_write_json(const char *command, FILE *out, json_t *obj)
{
    const int rc = json_dumpf(obj, out, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    json_decref(obj);
    if (rc != 0 || fputc('\n', out) == EOF) {
        lsd_cli_warn("%s: cannot write json", command);
        return EX_IOERR;
    }
    return EX_OK;
}

int lsd_cli_write_curve(const char *path, const double *tenors, const double *rates, size_t n)
{
    FILE *out = lsd_cli_open_output(path);
    if (out == NULL)
        return EX_CANTCREAT;
    fputs("tenor,rate\n", out);
    for (size_t i = 0; i < n; i++) {
        lsd_cli_csv_number(out, tenors[i]);
        fputc(',', out);
        lsd_cli_csv_number(out, rates[i]);
        fputc('\n', out);
    }
    return lsd_cli_close_output(out, path);
}
