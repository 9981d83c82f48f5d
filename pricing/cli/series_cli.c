/*
 * series_cli.c — the time-series CSV reader of the lsdopt CLI (series_cli.h):
 * libcsv streaming, columns by header name, ISO-8601 times, strict numbers,
 * diagnostics naming the file and line; and a staking series' kind, order
 * and glitches (curves/yield.h).
 *
 * The input is handed to libcsv one line at a time, so the callbacks know
 * the line they are on: a cell is reported at the line where it ends (a
 * quoted cell may span lines), blank lines included in the count.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "series_cli.h"

#include "common.h"

#include <lsdopt/lsdopt.h>

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

const char *const lsd_cli_staking_time_headers[] = { "event_time_utc", "time", "date",
                                                     "timestamp", NULL };
const char *const lsd_cli_staking_value_headers[] = { "reth_eth_rate", "exchange_rate", "rate",
                                                      "apr", NULL };

#define NO_COLUMN ((size_t)-1)

/* The read in progress. */
typedef struct reader {
    const lsd_cli_series_spec *spec;
    const char *in_name;        /* the input in diagnostics */
    lsd_cli_series *out;
    char **names;               /* the header's cells (copies), until it ends */
    size_t nnames;
    int have_header;
    size_t time_col, value_col; /* column indices */
    size_t col;                 /* column of the next cell in the row */
    unsigned long line;         /* line being parsed, from 1 */
    int got_time, got_value;    /* the current row's cells were read */
    double t, x;                /* and their values */
    size_t cap;                 /* room in out->times and out->values */
    int fatal;                  /* exit code that stops the read, or EX_OK */
} reader;

int lsd_cli_series_column(lsd_cli_series_spec *spec, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (eq != NULL && eq[1] != '\0') {
        if (eq - arg == 4 && strncmp(arg, "time", 4) == 0) {
            spec->time_header = eq + 1;
            return 1;
        }
        if (eq - arg == 5 && strncmp(arg, "value", 5) == 0) {
            spec->value_header = eq + 1;
            return 1;
        }
    }
    lsd_cli_warn("%s: --column wants time=HEADER or value=HEADER (got '%s')", spec->command,
                 arg);
    return 0;
}

/* The first column of the header named name, or NO_COLUMN. */
static size_t find_column(const reader *r, const char *name)
{
    for (size_t i = 0; i < r->nnames; i++)
        if (strcmp(r->names[i], name) == 0)
            return i;
    return NO_COLUMN;
}

/* The column named by --column (given), else the first candidate present;
 * NO_COLUMN after a diagnostic. what: "time" or "value". */
static size_t pick_column(const reader *r, const char *given, const char *const *candidates,
                          const char *what)
{
    const char *command = r->spec->command;
    if (given != NULL) {
        const size_t col = find_column(r, given);
        if (col == NO_COLUMN)
            lsd_cli_warn("%s: --column %s=%s: %s has no column '%s'", command, what, given,
                         r->in_name, given);
        return col;
    }
    char tried[256] = "";
    size_t used = 0;
    for (size_t k = 0; candidates[k] != NULL; k++) {
        const size_t col = find_column(r, candidates[k]);
        if (col != NO_COLUMN)
            return col;
        if (used < sizeof tried)
            used += (size_t)snprintf(tried + used, sizeof tried - used, "%s%s", k > 0 ? ", " : "",
                                     candidates[k]);
    }
    if (r->spec->column_flag)
        lsd_cli_warn("%s: %s: no %s column (looked for %s; use --column %s=HEADER)", command,
                     r->in_name, what, tried, what);
    else
        lsd_cli_warn("%s: %s: no %s column (looked for %s)", command, r->in_name, what, tried);
    return NO_COLUMN;
}

/* Is text[0..len) empty or blank? */
static int blank(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (text[i] != ' ' && text[i] != '\t')
            return 0;
    return 1;
}

/* Copy the chosen column's header into *name; 0 after a diagnostic. */
static int keep_name(reader *r, size_t col, char **name)
{
    *name = strdup(r->names[col]);
    if (*name == NULL) {
        lsd_cli_warn("%s: out of memory", r->spec->command);
        r->fatal = EX_OSERR;
    }
    return *name != NULL;
}

/* The header row has ended: find the columns. */
static void end_header(reader *r)
{
    r->have_header = 1;
    r->time_col = pick_column(r, r->spec->time_header, r->spec->time_candidates, "time");
    r->value_col = pick_column(r, r->spec->value_header, r->spec->value_candidates, "value");
    if (r->time_col == NO_COLUMN || r->value_col == NO_COLUMN)
        r->fatal = EX_DATAERR;
    else if (keep_name(r, r->time_col, &r->out->time_name))
        keep_name(r, r->value_col, &r->out->value_name);
}

static void on_field(void *cell, size_t len, void *data)
{
    reader *r = data;
    const char *text = cell;
    if (r->fatal != EX_OK)
        return;
    const size_t col = r->col++;
    if (!r->have_header) {
        char **grown = realloc(r->names, (r->nnames + 1) * sizeof *grown);
        char *copy = grown != NULL ? strdup(text) : NULL;
        if (grown != NULL)
            r->names = grown;
        if (copy == NULL) {
            lsd_cli_warn("%s: out of memory", r->spec->command);
            r->fatal = EX_OSERR;
            return;
        }
        r->names[r->nnames++] = copy;
        return;
    }
    if (col != r->time_col && col != r->value_col)
        return;
    if (r->spec->skip_blank && blank(text, len))
        return;
    if (col == r->time_col) {
        lsd_diag diag = { "" };
        if (lsd_dates_parse(text, &r->t, &diag) != LSD_OK) {
            lsd_cli_warn("%s: %s row %lu: %s: %s", r->spec->command, r->in_name, r->line,
                         r->out->time_name, diag.message);
            r->fatal = EX_DATAERR;
        }
        r->got_time = 1;
    } else {
        if (!lsd_cli_parse_number(text, len, &r->x)) {
            lsd_cli_warn("%s: %s row %lu: %s: '%s' is not a finite number", r->spec->command,
                         r->in_name, r->line, r->out->value_name, text);
            r->fatal = EX_DATAERR;
        }
        r->got_value = 1;
    }
}

static void on_row(int terminator, void *data)
{
    (void)terminator;
    reader *r = data;
    if (r->fatal != EX_OK)
        return;
    r->col = 0;
    if (!r->have_header) {
        end_header(r);
        return;
    }
    const int complete = r->got_time && r->got_value;
    const char *missing = r->got_time ? "value" : "time";
    r->got_time = r->got_value = 0;
    if (!complete) {
        if (r->spec->skip_blank) {
            r->out->skipped++;
        } else {
            lsd_cli_warn("%s: %s row %lu: no %s cell", r->spec->command, r->in_name, r->line,
                         missing);
            r->fatal = EX_DATAERR;
        }
        return;
    }
    lsd_cli_series *s = r->out;
    if (s->n == r->cap) {
        const size_t cap = r->cap == 0 ? 1024 : 2 * r->cap;
        double *t = realloc(s->times, cap * sizeof *t);
        if (t != NULL)
            s->times = t;
        double *x = t != NULL ? realloc(s->values, cap * sizeof *x) : NULL;
        if (x == NULL) {
            lsd_cli_warn("%s: out of memory", r->spec->command);
            r->fatal = EX_OSERR;
            return;
        }
        s->values = x;
        r->cap = cap;
    }
    s->times[s->n] = r->t;
    s->values[s->n++] = r->x;
}

/* Stream in through libcsv, a line at a time; sets r->fatal. */
static void parse(reader *r, FILE *in)
{
    struct csv_parser parser;
    if (csv_init(&parser, CSV_APPEND_NULL) != 0) {
        lsd_cli_warn("%s: out of memory", r->spec->command);
        r->fatal = EX_OSERR;
        return;
    }
    char chunk[1 << 16];
    size_t n;
    while (r->fatal == EX_OK && (n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        for (size_t at = 0; r->fatal == EX_OK && at < n;) {
            const char *nl = memchr(chunk + at, '\n', n - at);
            const size_t len = nl != NULL ? (size_t)(nl - (chunk + at)) + 1 : n - at;
            if (csv_parse(&parser, chunk + at, len, on_field, on_row, r) != len) {
                const int err = csv_error(&parser);
                lsd_cli_warn("%s: %s: %s", r->spec->command, r->in_name, csv_strerror(err));
                if (r->fatal == EX_OK)
                    r->fatal = err == CSV_ENOMEM ? EX_OSERR : EX_DATAERR;
            }
            at += len;
            r->line += nl != NULL;
        }
    }
    if (r->fatal == EX_OK && ferror(in)) {
        lsd_cli_warn("%s: cannot read %s: %s", r->spec->command, r->in_name, strerror(errno));
        r->fatal = EX_NOINPUT;
    }
    if (r->fatal == EX_OK)
        csv_fini(&parser, on_field, on_row, r);
    csv_free(&parser);
    if (r->fatal == EX_OK && !r->have_header) {
        lsd_cli_warn("%s: %s is empty", r->spec->command, r->in_name);
        r->fatal = EX_DATAERR;
    }
}

int lsd_cli_series_read(const char *path, const lsd_cli_series_spec *spec, lsd_cli_series *out)
{
    *out = (lsd_cli_series){ NULL, NULL, 0, 0, NULL, NULL };
    const int from_stdin = strcmp(path, "-") == 0;
    FILE *in = from_stdin ? stdin : fopen(path, "rb");
    if (in == NULL) {
        lsd_cli_warn("%s: cannot open '%s': %s", spec->command, path, strerror(errno));
        return EX_NOINPUT;
    }
    reader r = { .spec = spec, .in_name = from_stdin ? "standard input" : path, .out = out,
                 .time_col = NO_COLUMN, .value_col = NO_COLUMN, .line = 1, .fatal = EX_OK };
    parse(&r, in);
    if (!from_stdin)
        fclose(in);
    for (size_t i = 0; i < r.nnames; i++)
        free(r.names[i]);
    free(r.names);
    if (r.fatal != EX_OK)
        lsd_cli_series_free(out);
    return r.fatal;
}

void lsd_cli_series_free(lsd_cli_series *s)
{
    free(s->times);
    free(s->values);
    free(s->time_name);
    free(s->value_name);
    *s = (lsd_cli_series){ NULL, NULL, 0, 0, NULL, NULL };
}

/* Does name contain word, ignoring case? */
static int contains(const char *name, const char *word)
{
    const size_t n = strlen(word);
    for (; *name != '\0'; name++)
        if (strncasecmp(name, word, n) == 0)
            return 1;
    return 0;
}

/*
 * The kind of a staking series told by its value column's header: apr if
 * it contains "apr", else exchange-rate if it contains "rate" (any case).
 * Returns 1 and sets *kind, or 0 if it contains neither.
 */
static int staking_kind(const char *value_name, lsd_yield_kind *kind)
{
    if (contains(value_name, "apr"))
        *kind = LSD_YIELD_APR;
    else if (contains(value_name, "rate"))
        *kind = LSD_YIELD_EXCHANGE_RATE;
    else
        return 0;
    return 1;
}

const char *lsd_cli_staking_kind_name(lsd_yield_kind kind)
{
    return kind == LSD_YIELD_APR ? "apr" : "exchange-rate";
}

/* "COMMAND: message", or "COMMAND: WHERE: message" with where not NULL. */
static void warn_at(const char *command, const char *where, const char *message)
{
    if (where != NULL)
        lsd_cli_warn("%s: %s: %s", command, where, message);
    else
        lsd_cli_warn("%s: %s", command, message);
}

int lsd_cli_staking_series(const char *command, const char *where, lsd_cli_series *s,
                           int kind_given, lsd_yield_kind kind, lsd_yield_series *out,
                           size_t *removed)
{
    if (!kind_given && !staking_kind(s->value_name, &kind)) {
        lsd_cli_warn("%s: cannot tell the kind of series from column '%s': give --kind",
                     command, s->value_name);
        return EX_USAGE;
    }
    lsd_diag diag = { "" };
    size_t n = s->n;
    if (lsd_yield_series_sort(s->times, s->values, &n, removed, &diag) != LSD_OK) {
        warn_at(command, where, diag.message);
        return EX_DATAERR;
    }
    *out = (lsd_yield_series){ kind, s->times, s->values, n };
    return EX_OK;
}

int lsd_cli_series_despike(const char *command, const char *where, const lsd_yield_series *s,
                           lsd_cli_despiked *out)
{
    *out = (lsd_cli_despiked){ .series = *s };
    out->times = malloc(s->n * sizeof *out->times);
    out->values = malloc(s->n * sizeof *out->values);
    out->dropped = malloc(s->n * sizeof *out->dropped);
    if (out->times == NULL || out->values == NULL || out->dropped == NULL) {
        lsd_cli_warn("%s: out of memory", command);
        lsd_cli_despiked_free(out);
        return EX_OSERR;
    }
    const lsd_yield_control params = lsd_yield_control_default();
    lsd_diag diag = { "" };
    if (lsd_yield_despike(s, &params, out->times, out->values, &out->series.n, out->dropped,
                          &out->ndropped, &diag) != LSD_OK) {
        warn_at(command, where, diag.message);
        lsd_cli_despiked_free(out);
        return EX_DATAERR;
    }
    out->series.times = out->times;
    out->series.values = out->values;
    return EX_OK;
}

void lsd_cli_despiked_free(lsd_cli_despiked *d)
{
    free(d->times);
    free(d->values);
    free(d->dropped);
    *d = (lsd_cli_despiked){ .dropped = NULL };
}
