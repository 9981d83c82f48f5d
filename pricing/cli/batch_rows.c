/*
 * batch_rows.c — the rows of `lsdopt batch` (batch.h): libcsv's field and
 * row callbacks. A cell is parsed as it arrives into the row's values (a
 * blank cell lets the field's flag apply) and copied into the output row;
 * at the row's end its option, market and model are read — each field from
 * the cell, else the flag; the model from its cell, --model, or the
 * parameters the row has (lsd_cli_model_params, model_cli.h), so one file
 * mixes models — and priced (lsd_model_price, --engine), or implied from its
 * premium first (lsd_implied_vol_bsm).
 *
 * The finance rules that reduce a row to a model's numbers are the
 * library's market adapters (curves/market.h); the section "the row's
 * market" below hands them the row's inputs: the carry of a token or
 * staking APR (row_carry), the curves' zero rates at the row's expiry
 * (row_curves) and the quote-currency price of a premium in the token
 * (implied_vol_row).
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "batch.h"
#include "common.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

/* ---- cells ----------------------------------------------------------------- */

/* Note the first bad cell of a row. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void bad_cell(batch *b, const char *fmt, ...)
{
    if (b->c.bad)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->err, sizeof b->err, fmt, ap);
    va_end(ap);
    b->c.bad = 1;
}

/* Read field f from a cell's text s[0..n) (NUL-terminated by libcsv). */
static void take_cell(batch *b, int f, const char *s, size_t n)
{
    cells *c = &b->c;
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i == n)
        return; /* blank: the flag, if any, applies */
    lsd_diag diag; /* written before it is read: no 192-byte clear per cell */
    diag.message[0] = '\0';
    switch (f) {
    case F_TYPE:
        /* The lower-case names (lsd_option_type_name's) are matched here;
         * other spellings go through lsd_option_type_parse and strcasecmp. */
        if (n == 4 && memcmp(s, "call", 4) == 0)
            c->type = LSD_CALL;
        else if (n == 3 && memcmp(s, "put", 3) == 0)
            c->type = LSD_PUT;
        else if (lsd_option_type_parse(s, &c->type, &diag) != LSD_OK) {
            bad_cell(b, "%s", diag.message);
            return;
        }
        break;
    case F_MODEL:
        if (lsd_model_parse(s, &c->model, &diag) != LSD_OK) {
            bad_cell(b, "%s", diag.message);
            return;
        }
        break;
    case F_TOKEN:
        snprintf(c->token, sizeof c->token, "%s", s);
        break;
    case F_PREMIUM_UNIT:
        /* The library's message, but quoting the cell as given (blanks too). */
        if (lsd_market_premium_unit_parse(s + i, &c->unit, NULL) != LSD_OK) {
            bad_cell(b, "premium_unit must be quote or underlying (got '%.40s')", s);
            return;
        }
        break;
    case F_EXPIRY_DATE:
    case F_VALUATION_TIME:
        if (lsd_dates_parse(s, &c->value[f], &diag) != LSD_OK) {
            bad_cell(b, "%s: %s", batch_field_name(f), diag.message);
            return;
        }
        break;
    default:
        if (!lsd_cli_parse_number(s, n, &c->value[f])) {
            bad_cell(b, "%s: '%.40s' is not a finite number", batch_field_name(f), s);
            return;
        }
    }
    c->given[f] = 1;
}

void batch_row_field(void *s, size_t n, void *data)
{
    batch *b = data;
    if (b->fatal != EX_OK)
        return;
    if (!b->have_header) {
        batch_header_add(b, s, n);
        return;
    }
    const size_t col = b->nfields++;
    if (col >= b->ncols || !batch_write_reserve(b, 2 * n + 3))
        return;
    for (unsigned mask = b->col_fields[col], f = 0; mask != 0; mask >>= 1, f++)
        if (mask & 1u)
            take_cell(b, (int)f, s, n);
    if (col > 0)
        b->obuf[b->olen++] = ',';
    batch_write_field(b, s, n);
}

/* ---- fields of the row ------------------------------------------------------- */

/* Field f of this row: the cell's value, else the flag's. 1 found, 0 not. */
static int value(const batch *b, int f, double *x)
{
    if (b->c.given[f]) {
        *x = b->c.value[f];
        return 1;
    }
    if (b->fb.given[f]) {
        *x = b->fb.value[f];
        return 1;
    }
    return 0;
}

/* A required number: 1 found, 0 missing (message in b->err). */
static int required(batch *b, int f, double *x)
{
    if (value(b, f, x))
        return 1;
    snprintf(b->err, sizeof b->err, "%s is missing (no value in the row and no --%s)",
             batch_field_name(f), batch_options[f].name);
    return 0;
}


/* Time to expiry in years from expiry, or expiry_date and valuation_time. */
static int expiry_years(batch *b, double *years)
{
    double expiry_at, value_at;
    const int in_years = value(b, F_EXPIRY, years);
    const int dated = value(b, F_EXPIRY_DATE, &expiry_at);
    if (in_years && dated) {
        snprintf(b->err, sizeof b->err, "give expiry (years) or expiry_date, not both");
        return 0;
    }
    if (in_years)
        return 1;
    if (!dated) {
        snprintf(b->err, sizeof b->err, "expiry is missing (no expiry or expiry_date)");
        return 0;
    }
    if (!value(b, F_VALUATION_TIME, &value_at))
        value_at = b->started;
    lsd_dates_year_fraction(value_at, expiry_at, years);
    if (!(*years > 0.0)) {
        char e[32] = "?", v[32] = "?";
        lsd_dates_format(expiry_at, e, sizeof e);
        lsd_dates_format(value_at, v, sizeof v);
        snprintf(b->err, sizeof b->err, "expiry_date %s is not after valuation_time %s", e, v);
        return 0;
    }
    return 1;
}

/* The vol, or (no vol cell or flag) the premium to imply it from: *premium
 * is NaN when the vol was given. 0 with b->err set if neither is there. */
static int vol_or_premium(batch *b, double *vol, double *premium)
{
    *premium = NAN;
    if (value(b, F_VOL, vol) || value(b, F_PRICE, premium))
        return 1;
    snprintf(b->err, sizeof b->err, "vol is missing (no vol or price in the row and no --vol)");
    return 0;
}

/* ---- the row's market: its inputs to the library's rules (curves/market.h) -- */

/* The carry: the row's carry, or the carry of its token / staking_apr (cell
 * or flag; token_cli.h, lsd_market_token_carry). 0 with b->err set if it
 * cannot be had. */
static int row_carry(batch *b, double *carry)
{
    const char *token = b->c.given[F_TOKEN]    ? b->c.token
                        : b->fb.given[F_TOKEN] ? b->fb.token
                                               : NULL;
    double apr;
    const int staking = value(b, F_STAKING_APR, &apr);
    if (token == NULL && !staking)
        return required(b, F_CARRY, carry);
    if (value(b, F_CARRY, carry)) {
        snprintf(b->err, sizeof b->err, "give carry or token/staking_apr, not both");
        return 0;
    }
    lsd_diag diag;
    diag.message[0] = '\0';
    lsd_token profile;
    if (lsd_cli_token_carry(&b->tokens, token, staking ? &apr : NULL, carry, &profile, &diag) !=
        LSD_OK) {
        snprintf(b->err, sizeof b->err, "%s", diag.message);
        return 0;
    }
    return 1;
}

/* --rate-curve / --carry-curve: the curves' zero rates at this row's expiry
 * replace its rate / carry. 0 with b->err set if they cannot be had. */
static int row_curves(batch *b, double expiry, lsd_market *mkt)
{
    if (b->rate_curve == NULL && b->carry_curve == NULL)
        return 1;
    double value_at;
    if (b->curves_dated && value(b, F_VALUATION_TIME, &value_at) && value_at != b->curve_time) {
        char v[32] = "?", ct[32] = "?";
        lsd_dates_format(value_at, v, sizeof v);
        lsd_dates_format(b->curve_time, ct, sizeof ct);
        snprintf(b->err, sizeof b->err,
                 "valuation_time %s is not %s, the instant the dated curve file counts from "
                 "(give --valuation-time %s or use a tenor curve)", v, ct, v);
        return 0;
    }
    lsd_diag diag;
    diag.message[0] = '\0';
    if (lsd_market_apply_curves(mkt, b->rate_curve, b->carry_curve, expiry, &diag) != LSD_OK) {
        snprintf(b->err, sizeof b->err, "%s", diag.message);
        return 0;
    }
    return 1;
}


/* Set mkt->vol to the BSM implied vol of premium (in the quote currency, or
 * in the token with premium_unit underlying: lsd_market_premium_to_quote at
 * the forward lsd_market_forward, which is computed for that unit only). 0
 * with b->err set if there is none. */
static int implied_vol_row(batch *b, const lsd_option *opt, lsd_market *mkt, double premium)
{
    const lsd_premium_unit unit = b->c.given[F_PREMIUM_UNIT]    ? b->c.unit
                                  : b->fb.given[F_PREMIUM_UNIT] ? b->fb.unit
                                                                : LSD_PREMIUM_QUOTE;
    lsd_diag diag;
    diag.message[0] = '\0';
    double forward = NAN, price;
    lsd_status st = LSD_OK;
    if (unit == LSD_PREMIUM_UNDERLYING)
        st = lsd_market_forward(mkt, opt->expiry, &forward, &diag);
    if (st == LSD_OK)
        st = lsd_market_premium_to_quote(premium, unit, forward, &price, &diag);
    if (st == LSD_OK)
        st = lsd_implied_vol_bsm(opt, mkt, price, &mkt->vol, &diag);
    if (st != LSD_OK) {
        snprintf(b->err, sizeof b->err, "implied vol: %s: %s", lsd_strerror(st), diag.message);
        return 0;
    }
    return 1;
}

/* ---- one row --------------------------------------------------------------- */

/* "a, b and c": the parameters of [first, last], all (overlay) or those
 * model m needs. */
static void name_list(char *out, size_t size, lsd_model m, int first, int last, int overlay)
{
    int n = 0, count = 0;
    for (int k = first; k <= last; k++)
        count += overlay || lsd_cli_param_needed(m, k);
    size_t used = 0;
    out[0] = '\0';
    for (int k = first; k <= last && used < size; k++) {
        if (!overlay && !lsd_cli_param_needed(m, k))
            continue;
        used += (size_t)snprintf(out + used, size - used, "%s%s",
                                 n == 0 ? "" : n == count - 1 ? " and " : ", ",
                                 lsd_cli_param_names[k]);
        n++;
    }
}

/* The message for parameter missing (lsd_cli_model_params) of a row of model m. */
static void missing_param(batch *b, lsd_model m, int missing)
{
    char needs[160];
    const char *who = lsd_model_name(m);
    if (missing >= LSD_CLI_DEPEG_INTENSITY) {
        who = "the depeg overlay";
        name_list(needs, sizeof needs, m, LSD_CLI_DEPEG_INTENSITY, LSD_CLI_DEPEG_VOL, 1);
    } else if (missing >= LSD_CLI_DEFAULT_INTENSITY) {
        who = "default_recovery";
        snprintf(needs, sizeof needs, "%s", lsd_cli_param_names[missing]);
    } else {
        name_list(needs, sizeof needs, m, 0, LSD_CLI_DEFAULT_INTENSITY - 1, 0);
    }
    snprintf(b->err, sizeof b->err, "%s needs %s: %s is missing (no value in the row and no --%s)",
             who, needs, lsd_cli_param_names[missing], batch_options[F_PARAM + missing].name);
}

/* The row's model and its parameters: the model cell, else --model, else the
 * model its parameters name (cells, else flags: lsd_cli_model_params). 0
 * with b->err set if they do not make a model. */
static int row_model(batch *b, lsd_model_params *params)
{
    lsd_cli_param_values v;
    for (int k = 0; k < LSD_CLI_N_PARAMS; k++)
        v.given[k] = (unsigned char)value(b, F_PARAM + k, &v.value[k]);
    const lsd_model *named = b->c.given[F_MODEL]    ? &b->c.model
                             : b->fb.given[F_MODEL] ? &b->fb.model
                                                    : NULL;
    lsd_diag diag;
    diag.message[0] = '\0';
    int missing;
    if (lsd_cli_model_params(named, &v, params, &missing, &diag))
        return 1;
    if (missing < 0)
        snprintf(b->err, sizeof b->err, "%s", diag.message);
    else
        missing_param(b, params->model, missing);
    return 0;
}

/* Price the current row; 0 with b->err set if it cannot be. *iv is the
 * implied vol when the row was priced from its premium, else NaN. */
static int price_row(batch *b, lsd_model *model, lsd_greeks *g, double *iv)
{
    *iv = NAN;
    if (b->nfields != b->ncols) {
        snprintf(b->err, sizeof b->err, "row has %zu fields, the header has %zu", b->nfields,
                 b->ncols);
        return 0;
    }
    if (b->c.bad)
        return 0;
    lsd_option opt;
    lsd_market mkt;
    lsd_model_params params;
    double premium = NAN;
    if (b->c.given[F_TYPE]) {
        opt.type = b->c.type;
    } else if (b->fb.given[F_TYPE]) {
        opt.type = b->fb.type;
    } else {
        snprintf(b->err, sizeof b->err, "type is missing (no value in the row and no --type)");
        return 0;
    }
    if (!required(b, F_SPOT, &mkt.spot) || !required(b, F_STRIKE, &opt.strike) ||
        !expiry_years(b, &opt.expiry) ||
        !(b->rate_curve != NULL || required(b, F_RATE, &mkt.rate)) ||
        !(b->carry_curve != NULL || row_carry(b, &mkt.carry)) || !row_model(b, &params))
        return 0;
    *model = params.model;
    if (lsd_cli_param_needed(params.model, LSD_CLI_HESTON_V0))
        /* No vol: a vol cell is passed on for lsd_model_check to refuse with
         * its message; --vol, a fallback, is not this row's. */
        mkt.vol = b->c.given[F_VOL] ? b->c.value[F_VOL] : 0.0;
    else if (!vol_or_premium(b, &mkt.vol, &premium))
        return 0;
    if (!row_curves(b, opt.expiry, &mkt))
        return 0;
    if (!isnan(premium)) {
        if (*model != LSD_MODEL_BSM) {
            snprintf(b->err, sizeof b->err,
                     "a %s row needs a vol (the implied vol from price is BSM's)",
                     lsd_model_name(*model));
            return 0;
        }
        if (!implied_vol_row(b, &opt, &mkt, premium))
            return 0;
        *iv = mkt.vol;
    }
    lsd_diag diag;
    diag.message[0] = '\0';
    if (lsd_model_price(&opt, &mkt, &params, b->engine, g, &diag) != LSD_OK) {
        snprintf(b->err, sizeof b->err, "%s", diag.message);
        return 0;
    }
    return 1;
}

void batch_row_end(int terminator, void *data)
{
    (void)terminator;
    batch *b = data;
    if (b->fatal != EX_OK)
        return;
    if (!b->have_header) {
        batch_header_take(b);
        return;
    }
    lsd_model model = LSD_MODEL_BSM;
    lsd_greeks g;
    double iv;
    const int ok = price_row(b, &model, &g, &iv);
    if (!ok)
        b->failed++;
    batch_write_row(b, ok, model, &g, iv);
    b->nfields = 0;
    memset(b->c.given, 0, sizeof b->c.given);
    b->c.bad = 0;
}
