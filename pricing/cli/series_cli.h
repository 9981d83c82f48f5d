/*
 * series_cli.h — internal to the lsdopt CLI: the time-series CSV reader of
 * `yield`, `estimate` and `forwards --staking-series`, and what `yield` and
 * `forwards` both do with a staking series (its kind, its order, its
 * glitches). Not installed.
 *
 * A series is a CSV file (libcsv, streamed) whose first row is a header; two
 * of its columns are used, found by header name: the one a command's
 * `--column time=HEADER` / `--column value=HEADER` names, else the first of
 * the command's candidate names present. Times are ISO-8601 instants
 * (lsd_dates_parse: seconds since the epoch, a bare date is 08:00 UTC); values
 * are strict finite numbers (lsd_cli_parse_number). Rows are kept in file
 * order: sorting, merging and filtering are the command's business.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#ifndef LSD_SERIES_CLI_H
#define LSD_SERIES_CLI_H

#include <lsdopt/lsdopt.h>

#include <stddef.h>

/* The columns of a staking series, read by `yield` and by `forwards
 * --staking-series`, in the order tried; NULL-terminated. */
extern const char *const lsd_cli_staking_time_headers[];
extern const char *const lsd_cli_staking_value_headers[];

/* How a command reads its series. */
typedef struct lsd_cli_series_spec {
    const char *command;                /* "yield": diagnostics begin "yield: " */
    const char *time_header;            /* --column time=HEADER, or NULL */
    const char *value_header;           /* --column value=HEADER, or NULL */
    const char *const *time_candidates; /* tried in order otherwise; NULL-terminated */
    const char *const *value_candidates;
    int column_flag;                    /* 1: the command has --column (suggested when
                                           no candidate is present) */
    int skip_blank;                     /* 1: a row whose time or value cell is blank or
                                           absent is skipped and counted; 0: an error */
} lsd_cli_series_spec;

/* A series as read, rows in file order. */
typedef struct lsd_cli_series {
    double *times;    /* instants, seconds since the epoch; NULL while n = 0 */
    double *values;   /* the value column, finite */
    size_t n;         /* rows read */
    size_t skipped;   /* rows skipped for a blank or absent cell (skip_blank) */
    char *time_name;  /* header of the time column */
    char *value_name; /* header of the value column */
} lsd_cli_series;

/*
 * Take `--column NAME=HEADER` (NAME time or value) into spec->time_header or
 * spec->value_header; arg is kept, not copied. Returns 1, or 0 after a
 * diagnostic for any other form.
 */
int lsd_cli_series_column(lsd_cli_series_spec *spec, const char *arg);

/*
 * Read the series in the file at path ("-": standard input) as spec says,
 * into *out (which lsd_cli_series_free releases). Diagnostics go to stderr,
 * prefixed with spec->command and naming the file and, for a bad cell or
 * row, its line ("FILE row N", the header being row 1). Returns EX_OK, or:
 *   EX_NOINPUT  path cannot be opened or read;
 *   EX_DATAERR  no header, a column not found, a time lsd_dates_parse rejects
 *               or a value lsd_cli_parse_number rejects, a row without a time
 *               or value cell (unless spec->skip_blank);
 *   EX_OSERR    out of memory.
 * On error *out holds nothing (and needs no free).
 */
int lsd_cli_series_read(const char *path, const lsd_cli_series_spec *spec, lsd_cli_series *out);

/* Release what lsd_cli_series_read put in *s and empty it. */
void lsd_cli_series_free(lsd_cli_series *s);

/* "apr" or "exchange-rate": a kind as --kind names it. */
const char *lsd_cli_staking_kind_name(lsd_yield_kind kind);

/*
 * The staking series s as a yield series *out over s's arrays: of kind kind
 * if kind_given, else of the kind its value column tells (apr if its
 * header contains "apr", else exchange-rate if it contains "rate", any
 * case); sorted by time with repeated observations
 * removed, in place (lsd_yield_series_sort; removed: NULL, or where to count
 * them). Returns EX_OK, or after a diagnostic EX_USAGE ("COMMAND: cannot
 * tell the kind of series ...") or EX_DATAERR ("COMMAND: message", or
 * "COMMAND: WHERE: message" with where not NULL).
 */
int lsd_cli_staking_series(const char *command, const char *where, lsd_cli_series *s,
                           int kind_given, lsd_yield_kind kind, lsd_yield_series *out,
                           size_t *removed);

/* A staking series without its isolated glitches. */
typedef struct lsd_cli_despiked {
    lsd_yield_series series; /* the points kept, in times and values below */
    double *times, *values;  /* their storage */
    size_t *dropped;         /* indices of the points dropped, into the input */
    size_t ndropped;
} lsd_cli_despiked;

/*
 * Drop the isolated glitches of the APR series s (lsd_yield_despike, default
 * control) into *out (which lsd_cli_despiked_free releases). Returns EX_OK,
 * or after a diagnostic "COMMAND: message" ("COMMAND: WHERE: message" with
 * where not NULL) EX_OSERR (out of memory) or EX_DATAERR.
 */
int lsd_cli_series_despike(const char *command, const char *where, const lsd_yield_series *s,
                           lsd_cli_despiked *out);

/* Release what lsd_cli_series_despike put in *d and empty it. */
void lsd_cli_despiked_free(lsd_cli_despiked *d);

#endif /* LSD_SERIES_CLI_H */
