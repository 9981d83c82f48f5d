/*
 * batch_header.c — the header mapping of `lsdopt batch` (batch.h): the
 * input fields and their fallback flags, --column NAME=HEADER, the header
 * row's columns found by name (worked out once: a bit mask of fields per
 * column), the output columns named so that none repeats an input's, and
 * the flags' defaults parsed and checked before any row is read.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "batch.h"
#include "common.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* The names of the fields that are not model parameters, by field. */
static const char *const field_names[N_FIELDS] = {
    [F_TYPE] = "type", [F_SPOT] = "spot", [F_STRIKE] = "strike", [F_EXPIRY] = "expiry",
    [F_RATE] = "rate", [F_CARRY] = "carry", [F_VOL] = "vol", [F_EXPIRY_DATE] = "expiry_date",
    [F_VALUATION_TIME] = "valuation_time", [F_MODEL] = "model", [F_TOKEN] = "token",
    [F_STAKING_APR] = "staking_apr", [F_PRICE] = "price", [F_PREMIUM_UNIT] = "premium_unit"
};

const char *batch_field_name(int f)
{
    return f >= F_PARAM && f < F_PARAM + LSD_CLI_N_PARAMS ? lsd_cli_param_names[f - F_PARAM]
                                                          : field_names[f];
}

static const char *const output_names[N_OUTPUTS] = {
    "price", "delta", "gamma", "vega", "theta", "rho", "carry_rho",
    "jump_intensity_sens", "jump_mean_sens", "jump_vol_sens", "implied_vol", "error"
};

const struct option batch_options[] = {
    { "type", required_argument, NULL, OPT_FIELD + F_TYPE },
    { "spot", required_argument, NULL, OPT_FIELD + F_SPOT },
    { "strike", required_argument, NULL, OPT_FIELD + F_STRIKE },
    { "expiry", required_argument, NULL, OPT_FIELD + F_EXPIRY },
    { "rate", required_argument, NULL, OPT_FIELD + F_RATE },
    { "carry", required_argument, NULL, OPT_FIELD + F_CARRY },
    { "vol", required_argument, NULL, OPT_FIELD + F_VOL },
    LSD_CLI_JUMP_OPTIONS,
    LSD_CLI_COS_MODEL_OPTIONS,
    { "expiry-date", required_argument, NULL, OPT_FIELD + F_EXPIRY_DATE },
    { "valuation-time", required_argument, NULL, OPT_FIELD + F_VALUATION_TIME },
    { "model", required_argument, NULL, OPT_FIELD + F_MODEL },
    { "token", required_argument, NULL, OPT_FIELD + F_TOKEN },
    { "staking-apr", required_argument, NULL, OPT_FIELD + F_STAKING_APR },
    { "price", required_argument, NULL, OPT_FIELD + F_PRICE },
    { "premium-unit", required_argument, NULL, OPT_FIELD + F_PREMIUM_UNIT },
    { "tokens-file", required_argument, NULL, 'T' },
    { "rate-curve", required_argument, NULL, OPT_RATE_CURVE },
    { "carry-curve", required_argument, NULL, OPT_CARRY_CURVE },
    { "engine", required_argument, NULL, OPT_ENGINE },
    { "column", required_argument, NULL, 'c' },
    { "output", required_argument, NULL, 'o' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 }
};

void batch_header_add(batch *b, const char *s, size_t n)
{
    header *h = &b->h;
    if (h->n == h->ncap) {
        const size_t ncap = h->ncap ? 2 * h->ncap : 64;
        size_t *start = realloc(h->start, ncap * sizeof *start);
        if (start != NULL)
            h->start = start;
        size_t *size = realloc(h->size, ncap * sizeof *size);
        if (start == NULL || size == NULL) {
            batch_fail_nomem(b);
            return;
        }
        h->size = size;
        h->ncap = ncap;
    }
    if (h->cap - h->len < n + 1) {
        const size_t cap = 2 * (h->len + n + 1);
        char *text = realloc(h->text, cap);
        if (text == NULL) {
            batch_fail_nomem(b);
            return;
        }
        h->text = text;
        h->cap = cap;
    }
    if (n > 0)
        memcpy(h->text + h->len, s, n);
    h->text[h->len + n] = '\0';
    h->start[h->n] = h->len;
    h->size[h->n] = n;
    h->len += n + 1;
    h->n++;
}

static const char *header_name(const batch *b, size_t col)
{
    return b->h.text + b->h.start[col];
}

/* Is name one of the input's columns? */
static int in_header(const batch *b, const char *name)
{
    for (size_t c = 0; c < b->h.n; c++)
        if (strcmp(header_name(b, c), name) == 0)
            return 1;
    return 0;
}

void batch_header_take(batch *b)
{
    header *h = &b->h;
    /* A UTF-8 byte-order mark (spreadsheet exports) is not part of the name. */
    if (h->n > 0 && h->size[0] >= 3 && memcmp(header_name(b, 0), "\xEF\xBB\xBF", 3) == 0) {
        h->start[0] += 3;
        h->size[0] -= 3;
    }
    const size_t ncols = h->n;
    b->ncols = ncols;
    b->col_fields = calloc(ncols, sizeof *b->col_fields);
    if (b->col_fields == NULL) {
        batch_fail_nomem(b);
        return;
    }
    for (int f = 0; f < N_FIELDS; f++) {
        const char *want = b->header_for[f] ? b->header_for[f] : batch_field_name(f);
        size_t c = 0;
        while (c < ncols && strcmp(header_name(b, c), want) != 0)
            c++;
        if (c < ncols)
            b->col_fields[c] |= 1u << f;
        else if (b->header_for[f] != NULL) {
            lsd_cli_warn("batch: --column %s=%s: the input has no column '%s'",
                         batch_field_name(f), want, want);
            b->fatal = EX_DATAERR;
            return;
        }
    }
    /* Output names: "lsdopt_" in front while the input has the name. The
     * prefixed names cannot collide with each other (the bare ones differ). */
    static const char prefix[] = "lsdopt_";
    for (int k = 0; k < N_OUTPUTS; k++) {
        const size_t n = strlen(output_names[k]);
        size_t p = 0;
        char *name = NULL;
        do {
            free(name);
            name = malloc(p * (sizeof prefix - 1) + n + 1);
            if (name == NULL) {
                batch_fail_nomem(b);
                return;
            }
            for (size_t i = 0; i < p; i++)
                memcpy(name + i * (sizeof prefix - 1), prefix, sizeof prefix - 1);
            memcpy(name + p * (sizeof prefix - 1), output_names[k], n + 1);
            p++;
        } while (in_header(b, name));
        b->output_header[k] = name;
    }
    if (batch_write_header(b))
        b->have_header = 1;
}

int batch_flag_take(fallback *fb, int f, const char *text)
{
    lsd_diag diag = { "" };
    lsd_status st = LSD_OK;
    switch (f) {
    case F_TYPE: st = lsd_option_type_parse(text, &fb->type, &diag); break;
    case F_MODEL: st = lsd_model_parse(text, &fb->model, &diag); break;
    case F_TOKEN: fb->token = text; break;
    case F_PREMIUM_UNIT:
        /* The flag's own message: the whole text, not the library's 40 characters. */
        if (lsd_market_premium_unit_parse(text, &fb->unit, NULL) != LSD_OK) {
            lsd_cli_warn("batch: --premium-unit must be quote or underlying (got '%s')", text);
            return 0;
        }
        break;
    case F_EXPIRY_DATE:
    case F_VALUATION_TIME: st = lsd_dates_parse(text, &fb->value[f], &diag); break;
    default:
        if (!lsd_cli_parse_number(text, strlen(text), &fb->value[f])) {
            lsd_cli_warn("batch: --%s: '%s' is not a finite number", batch_options[f].name, text);
            return 0;
        }
    }
    if (st != LSD_OK) {
        lsd_cli_warn("batch: --%s: %s", batch_options[f].name, diag.message);
        return 0;
    }
    fb->given[f] = 1;
    return 1;
}

int batch_column_take(batch *b, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (eq != NULL && eq[1] != '\0')
        for (int f = 0; f < N_FIELDS; f++)
            if (strlen(batch_field_name(f)) == (size_t)(eq - arg) &&
                strncmp(batch_field_name(f), arg, (size_t)(eq - arg)) == 0) {
                b->header_for[f] = eq + 1;
                return 1;
            }
    char names[512] = "";
    size_t used = 0;
    for (int f = 0; f < N_FIELDS && used < sizeof names; f++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", f ? ", " : "",
                                 batch_field_name(f));
    lsd_cli_warn("batch: --column wants NAME=HEADER with NAME one of %s (got '%s')", names, arg);
    return 0;
}

int batch_check_token_flags(batch *b)
{
    if (b->fb.given[F_CARRY] && (b->fb.given[F_TOKEN] || b->fb.given[F_STAKING_APR])) {
        lsd_cli_warn("batch: give --carry or --token/--staking-apr, not both");
        return EX_USAGE;
    }
    if (!b->fb.given[F_TOKEN])
        return EX_OK;
    lsd_token profile;
    lsd_diag diag = { "" };
    const lsd_status status = lsd_cli_token_profile(&b->tokens, b->fb.token, &profile, &diag);
    if (status == LSD_OK)
        return EX_OK;
    lsd_cli_warn("batch: --token %s: %s", b->fb.token, diag.message);
    return status == LSD_EIO ? EX_NOINPUT : status == LSD_EPARSE ? EX_DATAERR : EX_USAGE;
}

int batch_check_curve_flags(const batch *b, const char *const path[2])
{
    if (path[0] != NULL && b->fb.given[F_RATE]) {
        lsd_cli_warn("batch: give --rate or --rate-curve, not both");
        return EX_USAGE;
    }
    if (path[1] != NULL &&
        (b->fb.given[F_CARRY] || b->fb.given[F_TOKEN] || b->fb.given[F_STAKING_APR])) {
        lsd_cli_warn("batch: give --carry-curve or --carry/--token/--staking-apr, not both");
        return EX_USAGE;
    }
    return EX_OK;
}
