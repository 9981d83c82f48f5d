/*
 * test_quotes.c — option chains (pricing/fit/chain.h) read from files
 * (pricing/io/quotes.c).
 *
 * Chains are read from small files written to a temporary directory: our
 * canonical CSV and the Deribit export format (rows taken from the snapshot
 * of 2026-01-15 in ../shared/data/deribit-eth-options). Every error status
 * of lsd_quotes_load is provoked and its message checked for the line.
 */
#define _POSIX_C_SOURCE 200809L

#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A temporary file holding text; the path is static storage per slot. */
static const char *write_temp(const char *text)
{
    static char path[4][64];
    static int slot;
    char *p = path[slot++ % 4];
    snprintf(p, 64, "/tmp/test_quotes_XXXXXX");
    const int fd = mkstemp(p);
    assert_true(fd >= 0);
    const size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return p;
}

/* Load text as a chain; returns the status, the message in diag. */
static lsd_status load_text(const char *text, lsd_quotes_source source, double valuation,
                            lsd_chain *chain, lsd_diag *diag)
{
    const char *path = write_temp(text);
    const lsd_status st = lsd_quotes_load(path, source, valuation, chain, diag);
    unlink(path);
    return st;
}

static double instant(const char *iso)
{
    double t;
    assert_int_equal(lsd_dates_parse(iso, &t, NULL), LSD_OK);
    return t;
}

static void canonical_file_is_read_and_sorted(void **state)
{
    (void)state;
    static const char text[] =
        "name,type,strike,expiry_date,bid,ask,mid,forward,premium_unit,valuation_time,spot\n"
        "b,put,3000,2026-03-27,120.5,122,,3010,quote,2026-01-15T16:00:00Z,3001\n"
        "a,call,3000,2026-03-27,,130,,3010,,2026-01-15T15:00:00Z,3003\n"
        "c,CALL,2500,2026-03-27,0.2,0.21,0.205,,underlying,2026-01-15T15:30:00Z,3002\n"
        "\n"
        "d,put,2800,2026-02-27,40,41,40.4,,quote,,\n";
    lsd_chain chain;
    lsd_diag diag = { "" };
    assert_int_equal(load_text(text, LSD_QUOTES_SOURCE_CANONICAL, NAN, &chain, &diag), LSD_OK);
    assert_int_equal(chain.n, 4);
    /* Earliest valuation instant; median spot. */
    assert_close(chain.valuation_time, instant("2026-01-15T15:00:00Z"), 0.0, 0.0);
    assert_close(chain.spot, 3002.0, 0.0, 0.0);
    /* Sorted: expiry, strike, call before put. */
    const char *order[] = { "d", "c", "a", "b" };
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(chain.quotes[i].name, order[i]);
    const lsd_quote *d = &chain.quotes[0], *c = &chain.quotes[1], *a = &chain.quotes[2];
    /* A bare date is 08:00 UTC; T is ACT/365F from the valuation time. */
    assert_close(a->expiry_time, instant("2026-03-27T08:00:00Z"), 0.0, 0.0);
    assert_close(a->expiry, (instant("2026-03-27T08:00:00Z") - chain.valuation_time) / 31536000.0,
                 1e-15, 0.0);
    assert_close(d->expiry, (instant("2026-02-27T08:00:00Z") - chain.valuation_time) / 31536000.0,
                 1e-15, 0.0);
    assert_true(isnan(a->bid) && isnan(a->mid));
    assert_close(a->ask, 130.0, 0.0, 0.0);
    assert_int_equal(a->type, LSD_CALL);
    assert_int_equal(c->type, LSD_CALL);
    assert_int_equal(c->unit, LSD_PREMIUM_UNDERLYING);
    assert_int_equal(a->unit, LSD_PREMIUM_QUOTE);
    assert_close(c->mid, 0.205, 0.0, 0.0);
    assert_true(isnan(c->forward));
    assert_close(a->forward, 3010.0, 0.0, 0.0);
    lsd_chain_free(&chain);
    assert_null(chain.quotes);
}

static void expiry_in_years_and_valuation_argument(void **state)
{
    (void)state;
    static const char text[] = "type,strike,expiry,bid,ask\nput,100,0.5,1,2\ncall,100,0.25,3,4\n";
    lsd_chain chain;
    const double v = instant("2026-01-01T00:00:00Z");
    assert_int_equal(load_text(text, LSD_QUOTES_SOURCE_CANONICAL, v, &chain, NULL), LSD_OK);
    assert_int_equal(chain.n, 2);
    assert_close(chain.quotes[0].expiry, 0.25, 0.0, 0.0);
    assert_close(chain.quotes[0].expiry_time, v + 0.25 * 31536000.0, 0.0, 0.0);
    assert_true(isnan(chain.spot));
    lsd_chain_free(&chain);
    /* Without a valuation time the instants are unknown, the years still read. */
    assert_int_equal(load_text(text, LSD_QUOTES_SOURCE_CANONICAL, NAN, &chain, NULL), LSD_OK);
    assert_true(isnan(chain.valuation_time) && isnan(chain.quotes[1].expiry_time));
    assert_close(chain.quotes[1].expiry, 0.5, 0.0, 0.0);
    lsd_chain_free(&chain);
}

/* Three rows of deribit_eth_options_20260115T153452Z.csv (the second with
 * an empty bid), the third with a later timestamp and index. */
static const char deribit_text[] =
    "timestamp,instrument_name,underlying,underlying_name,option_type,strike,expiry_datetime,"
    "time_to_maturity,bid_price,ask_price,mark_price,mid_price,futures_price,"
    "futures_instrument_name,implied_volatility,delta,vega,open_interest,volume,bid_ask_spread,"
    "currency,index_price,volume_usd\n"
    "2026-01-15T15:34:52.226709+00:00,ETH-30JAN26-2950-C,3340.15,ETH-30JAN26,call,2950.0,"
    "2026-01-30T08:00:00+00:00,0.04020292333038634,0.124,0.126,0.124706,0.125,3340.15,"
    "ETH-30JAN26,0.5792,0.8703,1.415,0.0,0.0,0.0020000000000000018,ETH,3335.67,0.0\n"
    "2026-01-15T15:34:52.226709+00:00,ETH-30JAN26-8000-C,3340.15,ETH-30JAN26,call,8000.0,"
    "2026-01-30T08:00:00+00:00,0.04020292333038634,,0.0001,2e-06,,3340.15,ETH-30JAN26,1.0722,"
    "4e-05,0.00107,1617.0,0.0,,ETH,3334.93,0.0\n"
    "2026-01-15T15:40:00+00:00,ETH-30JAN26-2700-P,3340.15,ETH-30JAN26,put,2700.0,"
    "2026-01-30T08:00:00+00:00,0.04020292333038634,0.0026,0.003,0.002839,0.0028,3340.15,"
    "ETH-30JAN26,0.6661,-0.04847,0.67407,7234.0,771.0,0.0004000000000000002,ETH,3335.98,7339.4\n";

static void deribit_export_is_read(void **state)
{
    (void)state;
    lsd_chain chain;
    lsd_diag diag = { "" };
    assert_int_equal(load_text(deribit_text, LSD_QUOTES_SOURCE_DERIBIT, NAN, &chain, &diag), LSD_OK);
    assert_int_equal(chain.n, 3);
    const double v = instant("2026-01-15T15:34:52.226709Z");
    assert_close(chain.valuation_time, v, 0.0, 0.0); /* the earliest timestamp */
    assert_close(chain.spot, 3335.67, 0.0, 0.0);      /* median index_price */
    const lsd_quote *put = &chain.quotes[0], *itm = &chain.quotes[1], *otm = &chain.quotes[2];
    assert_string_equal(put->name, "ETH-30JAN26-2700-P");
    assert_string_equal(itm->name, "ETH-30JAN26-2950-C");
    assert_string_equal(otm->name, "ETH-30JAN26-8000-C");
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(chain.quotes[i].unit, LSD_PREMIUM_UNDERLYING);
        assert_close(chain.quotes[i].forward, 3340.15, 0.0, 0.0);
        /* ACT/365F, not the file's ACT/365.25 time_to_maturity. */
        assert_close(chain.quotes[i].expiry,
                     (instant("2026-01-30T08:00:00Z") - v) / (365.0 * 86400.0), 1e-15, 0.0);
    }
    assert_true(isnan(otm->bid) && isnan(otm->mid));
    assert_close(otm->ask, 0.0001, 0.0, 0.0);
    assert_close(itm->bid, 0.124, 0.0, 0.0);
    assert_close(itm->mid, 0.125, 0.0, 0.0);
    lsd_chain_free(&chain);
    /* A valuation time given wins over the file's. */
    const double later = instant("2026-01-16T00:00:00Z");
    assert_int_equal(load_text(deribit_text, LSD_QUOTES_SOURCE_DERIBIT, later, &chain, NULL), LSD_OK);
    assert_close(chain.valuation_time, later, 0.0, 0.0);
    lsd_chain_free(&chain);
}

/* The load fails with status and a message containing want. */
static void expect_error(const char *text, lsd_quotes_source source, double valuation,
                         lsd_status status, const char *want)
{
    lsd_chain chain = { .n = 99 };
    lsd_diag diag = { "" };
    assert_int_equal(load_text(text, source, valuation, &chain, &diag), status);
    if (strstr(diag.message, want) == NULL)
        fail_msg("message '%s' lacks '%s'", diag.message, want);
    assert_int_equal(chain.n, 0);
    assert_null(chain.quotes);
}

static void every_error_is_reported_with_its_line(void **state)
{
    (void)state;
    const lsd_quotes_source C = LSD_QUOTES_SOURCE_CANONICAL;
    const char *h = "type,strike,expiry_date,bid,ask,valuation_time\n";
    char text[512];
#define ROW(r) (snprintf(text, sizeof text, "%s%s", h, r), text)
    expect_error("", C, NAN, LSD_EPARSE, "empty file");
    expect_error(h, C, NAN, LSD_EPARSE, "no quotes");
    expect_error("type,strike,bid,ask\ncall,1,1,2\n", C, NAN, LSD_EPARSE, "neither");
    expect_error("type,strike,expiry,expiry_date,bid,ask\n", C, NAN, LSD_EPARSE, "both");
    expect_error("type,strike,expiry,bid\ncall,1,1,2\n", C, NAN, LSD_EPARSE, "no 'ask'");
    expect_error("type,type,strike,expiry,bid,ask\n", C, NAN, LSD_EPARSE, "two 'type'");
    expect_error(ROW("put,100,2026-03-27,1,2,2026-01-01\ncall,1e,2026-03-27,1,2,2026-01-01\n"),
                 C, NAN, LSD_EPARSE, ":3: strike '1e' is not a number");
    expect_error(ROW("straddle,100,2026-03-27,1,2,2026-01-01\n"), C, NAN, LSD_EPARSE,
                 ":2: type 'straddle'");
    expect_error(ROW("call,nan,2026-03-27,1,2,2026-01-01\n"), C, NAN, LSD_EPARSE, ":2: strike");
    expect_error(ROW("call,-5,2026-03-27,1,2,2026-01-01\n"), C, NAN, LSD_EDOM,
                 ":2: strike must be > 0");
    expect_error(ROW("call,100,2026-13-27,1,2,2026-01-01\n"), C, NAN, LSD_EPARSE,
                 ":2: expiry_date");
    expect_error(ROW("call,100,2026-03-27,-1,2,2026-01-01\n"), C, NAN, LSD_EDOM,
                 ":2: bid must be >= 0");
    expect_error(ROW("call,100,2026-03-27,3,2,2026-01-01\n"), C, NAN, LSD_EDOM,
                 ":2: bid 3 is above ask 2");
    expect_error(ROW("call,100,2026-03-27,1,2\n"), C, NAN, LSD_EPARSE, ":2: row has 5 fields");
    expect_error(ROW("call,,2026-03-27,1,2,2026-01-01\n"), C, NAN, LSD_EPARSE, ":2: empty strike");
    expect_error(ROW("call,100,2025-03-27,1,2,2026-01-01\n"), C, NAN, LSD_EDOM,
                 ":2: expiry 2025-03-27T08:00:00Z is not after the valuation time");
    expect_error(ROW("put,100,2026-03-27,1,2,2026-01-01\nput,100,2026-03-27,1,3,2026-01-01\n"), C,
                 NAN, LSD_EDOM, "repeats line 2");
    expect_error("type,strike,expiry_date,bid,ask\ncall,100,2026-03-27,1,2\n", C, NAN,
                 LSD_EINVAL, "need a valuation time");
    expect_error("type,strike,expiry,bid,ask,premium_unit\ncall,1,1,1,2,usd\n", C, NAN,
                 LSD_EPARSE, ":2: premium_unit 'usd'");
    expect_error("type,strike,expiry,bid,ask,forward\ncall,1,1,1,2,0\n", C, NAN, LSD_EDOM,
                 ":2: forward must be > 0");
    expect_error("type,strike,expiry,bid,ask\ncall,1,0,1,2\n", C, NAN, LSD_EDOM,
                 ":2: expiry must be > 0");
    /* Deribit: its own required columns and cells. */
    expect_error("option_type,strike,expiry_datetime,bid_price,ask_price,underlying\n",
                 LSD_QUOTES_SOURCE_DERIBIT, NAN, LSD_EPARSE, "no 'timestamp' column (Deribit");
    expect_error("timestamp,option_type,strike,expiry_datetime,bid_price,ask_price,underlying\n"
                 "2026-01-01,call,1,2026-03-27,1,2,\n",
                 LSD_QUOTES_SOURCE_DERIBIT, NAN, LSD_EPARSE, ":2: empty underlying");
#undef ROW
    /* Arguments and the file system. */
    lsd_chain chain;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_quotes_load("/nonexistent/quotes.csv", LSD_QUOTES_SOURCE_CANONICAL, NAN, &chain,
                                    &diag),
                     LSD_EIO);
    assert_non_null(strstr(diag.message, "/nonexistent/quotes.csv: cannot open"));
    assert_int_equal(lsd_quotes_load(NULL, LSD_QUOTES_SOURCE_CANONICAL, NAN, &chain, NULL), LSD_EINVAL);
    assert_int_equal(lsd_quotes_load("x", LSD_QUOTES_SOURCE_CANONICAL, NAN, NULL, NULL), LSD_EINVAL);
    assert_int_equal(lsd_quotes_load("x", (lsd_quotes_source)7, NAN, &chain, NULL), LSD_EINVAL);
    assert_int_equal(lsd_quotes_load("x", LSD_QUOTES_SOURCE_CANONICAL, INFINITY, &chain, NULL),
                     LSD_EDOM);
    lsd_chain_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(canonical_file_is_read_and_sorted),
        cmocka_unit_test(expiry_in_years_and_valuation_argument),
        cmocka_unit_test(deribit_export_is_read),
        cmocka_unit_test(every_error_is_reported_with_its_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
