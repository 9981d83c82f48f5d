/*
 * test_token.c — token profiles (read by pricing/io/token_file.c), APR →
 * continuous yield and the carry of an option on a token (curves/token.c),
 * through the public API only. The carry rule for a symbol, an APR or both
 * (curves/market.c) is tested in test_market.c.
 *
 * Reference yields y = m·ln(1 + APR/m) were computed with 40-digit mpmath
 * (/usr/bin/python3: mpf(365)*log(1 + mpf('0.031')/365) → 0.030998683636177150…),
 * independently of our log1p. The round trip inverts the conversion with
 * expm1: APR = m·(e^{y/m} − 1). Lookups read the real data/tokens.csv of the
 * source tree (environment LSDOPT_SOURCE_DIR, else the path compiled in by
 * tests/CMakeLists.txt); the bad-file cases write temporary files.
 */
#define _POSIX_C_SOURCE 200809L

#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- APR conversion ---------------------------------------------------- */

static double continuous(double apr, double periods)
{
    double y = NAN;
    lsd_diag diag = { "" };
    const lsd_status status = lsd_token_apr_to_continuous(apr, periods, &y, &diag);
    if (status != LSD_OK)
        print_error("lsd_token_apr_to_continuous(%g, %g): %s\n", apr, periods, diag.message);
    assert_int_equal(status, LSD_OK);
    return y;
}

static void daily_apr_matches_forty_digit_values(void **state)
{
    (void)state;
    /* Lido-style daily compounding; ETH.STORE's 2.71% on 2025-12-30; SOL
     * epochs; annual compounding (= ln(1.031)). */
    assert_close(continuous(0.031, 365.0), 0.03099868363617715014, 2e-16, 0.0);
    assert_close(continuous(0.0271, 365.0), 0.02709899400869807417, 2e-16, 0.0);
    assert_close(continuous(0.07, 182.5), 0.06998657877426768284, 2e-16, 0.0);
    assert_close(continuous(0.031, 1.0), 0.03052920503482287325, 2e-16, 0.0);
}

static void daily_apr_matches_its_series(void **state)
{
    (void)state;
    /* m·ln(1 + a/m) = a − a²/(2m) + a³/(3m²) − a⁴/(4m³) + … ; the fifth
     * term is below 1e-24 for a = 0.031, m = 365. */
    const double a = 0.031, m = 365.0;
    const double series = a - a * a / (2 * m) + a * a * a / (3 * m * m) -
                          a * a * a * a / (4 * m * m * m);
    assert_close(continuous(a, m), series, 2e-16, 0.0);
}

static void more_periods_tend_to_the_apr_from_below(void **state)
{
    (void)state;
    const double apr = 0.031;
    const double periods[] = { 1.0, 2.0, 12.0, 52.0, 182.5, 365.0, 8760.0, 1e6, 1e12 };
    double previous = -INFINITY;
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
        const double y = continuous(apr, periods[i]);
        assert_true(y > previous); /* increasing in the number of periods */
        assert_true(y <= apr);     /* ln(1 + x) ≤ x */
        /* the gap is apr²/(2m) to leading order */
        assert_close(apr - y, apr * apr / (2 * periods[i]), 0.04, 1e-17);
        previous = y;
    }
    assert_close(continuous(apr, 1e12), apr, 2e-14, 0.0); /* gap 4.8e-16 */
}

static void expm1_round_trip_recovers_the_apr(void **state)
{
    (void)state;
    const double aprs[] = { -0.5, -0.02, 0.0, 1e-9, 0.0244, 0.031, 0.12, 5.0 };
    const double periods[] = { 1.0, 12.0, 182.5, 365.0, 8760.0 };
    for (size_t i = 0; i < sizeof aprs / sizeof aprs[0]; i++)
        for (size_t j = 0; j < sizeof periods / sizeof periods[0]; j++) {
            const double y = continuous(aprs[i], periods[j]);
            assert_close(periods[j] * expm1(y / periods[j]), aprs[i], 4e-16, 1e-300);
        }
    assert_true(continuous(0.0, 365.0) == 0.0);
}

static void huge_apr_over_tiny_periods_stays_finite(void **state)
{
    (void)state;
    /* apr/periods overflows a double; m·(ln a − ln m) is the limit. */
    const double y = continuous(1e10, 1e-300);
    assert_close(y, 1e-300 * (log(1e10) + 300.0 * log(10.0)), 1e-14, 0.0);
}

static void assert_conversion_fails(double apr, double periods, lsd_status want, const char *what)
{
    double y = 0.0;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_token_apr_to_continuous(apr, periods, &y, &diag), want);
    assert_true(isnan(y));
    if (strstr(diag.message, what) == NULL)
        fail_msg("message '%s' does not mention '%s'", diag.message, what);
}

static void bad_conversion_inputs_are_domain_errors(void **state)
{
    (void)state;
    assert_conversion_fails(NAN, 365.0, LSD_EDOM, "APR must be finite");
    assert_conversion_fails(INFINITY, 365.0, LSD_EDOM, "APR must be finite");
    assert_conversion_fails(0.031, 0.0, LSD_EDOM, "periods");
    assert_conversion_fails(0.031, -365.0, LSD_EDOM, "periods");
    assert_conversion_fails(0.031, NAN, LSD_EDOM, "periods");
    assert_conversion_fails(0.031, INFINITY, LSD_EDOM, "periods");
    assert_conversion_fails(-365.0, 365.0, LSD_EDOM, "> -periods");
    assert_conversion_fails(-400.0, 365.0, LSD_EDOM, "> -periods");
    lsd_diag diag = { "" };
    assert_int_equal(lsd_token_apr_to_continuous(0.031, 365.0, NULL, &diag), LSD_EINVAL);
    assert_non_null(strstr(diag.message, "NULL"));
    /* a NULL diag is allowed */
    double y;
    assert_int_equal(lsd_token_apr_to_continuous(NAN, 365.0, &y, NULL), LSD_EDOM);
}

/* ---- carry of a token ---------------------------------------------------- */

static void rebasing_carry_is_the_continuous_yield(void **state)
{
    (void)state;
    const lsd_token steth = { .symbol = "steth", .kind = LSD_TOKEN_REBASING,
                              .protocol_fee = 0.1, .apr_periods = 365.0 };
    double q = NAN;
    assert_int_equal(lsd_token_carry(&steth, 0.031, &q, NULL), LSD_OK);
    assert_close(q, 0.03099868363617715014, 2e-16, 0.0);
}

static void value_accruing_carry_is_zero(void **state)
{
    (void)state;
    const lsd_token reth = { .symbol = "reth", .kind = LSD_TOKEN_VALUE_ACCRUING,
                             .protocol_fee = 0.14, .apr_periods = 365.0 };
    double q = NAN;
    assert_int_equal(lsd_token_carry(&reth, 0.031, &q, NULL), LSD_OK);
    assert_true(q == 0.0 && !signbit(q));
}

static void carry_errors_leave_nan(void **state)
{
    (void)state;
    const lsd_token reth = { .symbol = "reth", .kind = LSD_TOKEN_VALUE_ACCRUING,
                             .apr_periods = 365.0 };
    lsd_diag diag = { "" };
    double q = 0.0;
    /* a bad APR is an error whatever the kind */
    assert_int_equal(lsd_token_carry(&reth, NAN, &q, &diag), LSD_EDOM);
    assert_true(isnan(q));
    const lsd_token no_periods = { .kind = LSD_TOKEN_REBASING, .apr_periods = 0.0 };
    q = 0.0;
    assert_int_equal(lsd_token_carry(&no_periods, 0.031, &q, &diag), LSD_EDOM);
    assert_true(isnan(q));
    const lsd_token bad_kind = { .kind = (lsd_token_kind)7, .apr_periods = 365.0 };
    q = 0.0;
    assert_int_equal(lsd_token_carry(&bad_kind, 0.031, &q, &diag), LSD_EINVAL);
    assert_true(isnan(q));
    assert_non_null(strstr(diag.message, "kind 7"));
    q = 0.0;
    assert_int_equal(lsd_token_carry(NULL, 0.031, &q, &diag), LSD_EINVAL);
    assert_true(isnan(q));
    assert_int_equal(lsd_token_carry(&reth, 0.031, NULL, &diag), LSD_EINVAL);
}

/* ---- the real data/tokens.csv ------------------------------------------ */

/* Path of data/tokens.csv in the source tree, into buf. */
static const char *tokens_csv(char *buf, size_t size)
{
    const char *dir = getenv("LSDOPT_SOURCE_DIR");
#ifdef LSDOPT_SOURCE_DIR
    if (dir == NULL || dir[0] == '\0')
        dir = LSDOPT_SOURCE_DIR;
#endif
    if (dir == NULL)
        fail_msg("set LSDOPT_SOURCE_DIR to the source tree");
    snprintf(buf, size, "%s/data/tokens.csv", dir);
    return buf;
}

static lsd_token looked_up(const char *path, const char *symbol)
{
    lsd_token t;
    lsd_diag diag = { "" };
    const lsd_status status = lsd_token_file_lookup(path, symbol, &t, &diag);
    if (status != LSD_OK)
        print_error("lsd_token_file_lookup(%s, %s): %s\n", path, symbol, diag.message);
    assert_int_equal(status, LSD_OK);
    return t;
}

static void every_token_of_the_issue_is_in_the_real_file(void **state)
{
    (void)state;
    /* What data/README.md documents, with its sources. */
    static const struct {
        const char *symbol, *asset, *chain;
        lsd_token_kind kind;
        double fee, periods;
    } want[] = {
        { "steth", "ETH", "ethereum", LSD_TOKEN_REBASING, 0.10, 365.0 },
        { "wsteth", "ETH", "ethereum", LSD_TOKEN_VALUE_ACCRUING, 0.10, 365.0 },
        { "reth", "ETH", "ethereum", LSD_TOKEN_VALUE_ACCRUING, 0.14, 365.0 },
        { "cbeth", "ETH", "ethereum", LSD_TOKEN_VALUE_ACCRUING, 0.25, 365.0 },
        { "wbeth", "ETH", "ethereum", LSD_TOKEN_VALUE_ACCRUING, 0.10, 365.0 },
        { "weeth", "ETH", "ethereum", LSD_TOKEN_VALUE_ACCRUING, 0.10, 365.0 },
        { "ezeth", "ETH", "ethereum", LSD_TOKEN_VALUE_ACCRUING, 0.10, 365.0 },
        { "rseth", "ETH", "ethereum", LSD_TOKEN_VALUE_ACCRUING, 0.10, 365.0 },
        { "jitosol", "SOL", "solana", LSD_TOKEN_VALUE_ACCRUING, 0.04, 182.5 },
        { "msol", "SOL", "solana", LSD_TOKEN_VALUE_ACCRUING, 0.0, 182.5 },
    };
    char path[4096];
    tokens_csv(path, sizeof path);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const lsd_token t = looked_up(path, want[i].symbol);
        assert_string_equal(t.symbol, want[i].symbol);
        assert_string_equal(t.staked_asset, want[i].asset);
        assert_string_equal(t.chain, want[i].chain);
        assert_int_equal(t.kind, want[i].kind);
        assert_true(t.protocol_fee == want[i].fee);
        assert_true(t.apr_periods == want[i].periods);
    }
}

static void only_steth_rebases(void **state)
{
    (void)state;
    static const char *const symbols[] = { "steth", "wsteth", "reth", "cbeth",
                                           "wbeth", "weeth", "ezeth", "rseth",
                                           "jitosol", "msol" };
    char path[4096];
    tokens_csv(path, sizeof path);
    for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++) {
        const lsd_token t = looked_up(path, symbols[i]);
        double q = NAN;
        assert_int_equal(lsd_token_carry(&t, 0.031, &q, NULL), LSD_OK);
        if (i == 0)
            assert_close(q, 0.03099868363617715014, 2e-16, 0.0);
        else
            assert_true(q == 0.0);
    }
}

static void lookup_ignores_ascii_case(void **state)
{
    (void)state;
    char path[4096];
    tokens_csv(path, sizeof path);
    assert_string_equal(looked_up(path, "stETH").symbol, "steth");
    assert_string_equal(looked_up(path, "JitoSOL").symbol, "jitosol");
    assert_string_equal(looked_up(path, "WSTETH").symbol, "wsteth");
    assert_string_equal(looked_up(path, "weETH").symbol, "weeth");
}

static void unknown_token_lists_the_known_ones(void **state)
{
    (void)state;
    char path[4096];
    tokens_csv(path, sizeof path);
    lsd_token t;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_token_file_lookup(path, "ethx", &t, &diag), LSD_EDOM);
    assert_non_null(strstr(diag.message, "unknown token 'ethx'"));
    static const char *const known[] = { "steth", "wsteth", "reth", "cbeth",
                                         "wbeth", "weeth", "ezeth", "rseth",
                                         "jitosol", "msol" };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strstr(diag.message, known[i]) == NULL)
            fail_msg("'%s' does not list %s", diag.message, known[i]);
    assert_true(isnan(t.protocol_fee) && isnan(t.apr_periods) && t.symbol[0] == '\0');
    /* a prefix of a known symbol is not that symbol */
    assert_int_equal(lsd_token_file_lookup(path, "st", &t, &diag), LSD_EDOM);
    assert_int_equal(lsd_token_file_lookup(path, "", &t, &diag), LSD_EDOM);
}

/* ---- bad files ----------------------------------------------------------- */

/* Write text to a fresh temporary file; its path goes into path[64]. */
static void temp_file(char *path, const char *text)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, 64, "%s/lsdopt_tokens_XXXXXX", dir && strlen(dir) < 40 ? dir : "/tmp");
    const int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static const char header[] = "symbol,staked_asset,chain,kind,protocol_fee,apr_periods\n";

/* Look up symbol in a file holding text: want status and a message
 * containing what. */
static void assert_file_gives(const char *text, const char *symbol, lsd_status want,
                              const char *what)
{
    char path[64];
    temp_file(path, text);
    lsd_token t;
    lsd_diag diag = { "" };
    const lsd_status got = lsd_token_file_lookup(path, symbol, &t, &diag);
    unlink(path);
    if (got != want || strstr(diag.message, what) == NULL)
        fail_msg("file:\n%s\ngave status %d, message '%s'; want %d and '%s'", text, (int)got,
                 diag.message, (int)want, what);
    if (got != LSD_OK)
        assert_true(isnan(t.protocol_fee) && isnan(t.apr_periods));
}

static void a_missing_file_is_an_io_error(void **state)
{
    (void)state;
    lsd_token t;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_token_file_lookup("/nonexistent/tokens.csv", "steth", &t, &diag), LSD_EIO);
    assert_non_null(strstr(diag.message, "/nonexistent/tokens.csv"));
    assert_true(isnan(t.apr_periods));
}

static void malformed_files_are_parse_errors_naming_the_line(void **state)
{
    (void)state;
    char text[512];
    assert_file_gives("", "steth", LSD_EPARSE, "no header");
    assert_file_gives("symbol,staked_asset,chain,kind,protocol_fee\nsteth,ETH,ethereum,rebasing,0.1\n",
                      "steth", LSD_EPARSE, "lacks column 'apr_periods'");
    assert_file_gives("symbol,symbol,staked_asset,chain,kind,protocol_fee,apr_periods\n", "steth",
                      LSD_EPARSE, "appears twice");
    snprintf(text, sizeof text, "%sreth,ETH,ethereum,value-accruing,0.14,365\n"
             "steth,ETH,ethereum,rebase,0.1,365\n", header);
    assert_file_gives(text, "reth", LSD_EPARSE, "line 3: kind must be rebasing or value-accruing");
    snprintf(text, sizeof text, "%ssteth,ETH,ethereum,rebasing,1,365\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "line 2: protocol_fee must be a number in [0, 1)");
    snprintf(text, sizeof text, "%ssteth,ETH,ethereum,rebasing,-0.1,365\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "protocol_fee");
    snprintf(text, sizeof text, "%ssteth,ETH,ethereum,rebasing,nan,365\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "protocol_fee");
    snprintf(text, sizeof text, "%ssteth,ETH,ethereum,rebasing,0x1p-3,365\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "protocol_fee");
    snprintf(text, sizeof text, "%ssteth,ETH,ethereum,rebasing,0.1,0\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "apr_periods must be a number > 0");
    snprintf(text, sizeof text, "%ssteth,ETH,ethereum,rebasing,0.1,365days\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "apr_periods");
    snprintf(text, sizeof text, "%ssteth,ETH,ethereum,rebasing,0.1,1e999\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "apr_periods");
    snprintf(text, sizeof text, "%ssteth,ETH,ethereum,rebasing,0.1,365,\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "line 2: 7 fields, the header has 6");
    snprintf(text, sizeof text, "%ssteth,ETH,ethereum,rebasing,0.1\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "5 fields");
    snprintf(text, sizeof text, "%ssteth,ETH,ethereum,rebasing,0.1,365\nSTETH,ETH,ethereum,"
             "rebasing,0.1,365\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "line 3: token 'steth' is listed twice");
    snprintf(text, sizeof text, "%sa-very-long-token-symbol,ETH,ethereum,rebasing,0.1,365\n",
             header);
    assert_file_gives(text, "steth", LSD_EPARSE, "symbol must be 1 to 15 characters");
    snprintf(text, sizeof text, "%s,ETH,ethereum,rebasing,0.1,365\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "symbol must be");
    snprintf(text, sizeof text, "%ssteth,ETH,ethereum,\"rebasing,0.1,365\n", header);
    assert_file_gives(text, "steth", LSD_EPARSE, "");
}

static void a_file_without_tokens_knows_none(void **state)
{
    (void)state;
    assert_file_gives(header, "steth", LSD_EDOM, "none");
}

static void columns_are_found_by_name_with_extras_bom_and_crlf(void **state)
{
    (void)state;
    /* Spreadsheet-style: byte-order mark, CRLF, columns reordered, quoted
     * notes with a comma, an issuer column. */
    const char text[] =
        "\xEF\xBB\xBFnotes,apr_periods,kind,symbol,issuer,protocol_fee,chain,staked_asset\r\n"
        "\"pays, daily\",365,rebasing,steth,Lido,0.1,ethereum,ETH\r\n"
        "epochs,182.5,value-accruing,msol,Marinade,0,solana,SOL\r\n";
    char path[64];
    temp_file(path, text);
    const lsd_token t = looked_up(path, "msol");
    const lsd_token s = looked_up(path, "steth");
    unlink(path);
    assert_string_equal(t.chain, "solana");
    assert_string_equal(t.staked_asset, "SOL");
    assert_int_equal(t.kind, LSD_TOKEN_VALUE_ACCRUING);
    assert_true(t.apr_periods == 182.5 && t.protocol_fee == 0.0);
    assert_int_equal(s.kind, LSD_TOKEN_REBASING);
    assert_true(s.apr_periods == 365.0 && s.protocol_fee == 0.1);
}

static void numbers_do_not_depend_on_the_locale(void **state)
{
    (void)state;
    /* A locale whose decimal sign is a comma must not change "0.14". */
    const char *const comma_locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "nl_NL.UTF-8" };
    const char *set = NULL;
    for (size_t i = 0; i < sizeof comma_locales / sizeof comma_locales[0] && set == NULL; i++)
        set = setlocale(LC_NUMERIC, comma_locales[i]);
    if (set == NULL)
        skip(); /* no such locale installed here */
    char path[4096];
    tokens_csv(path, sizeof path);
    const lsd_token t = looked_up(path, "reth");
    setlocale(LC_NUMERIC, "C");
    assert_true(t.protocol_fee == 0.14);
}

static void null_arguments_are_invalid(void **state)
{
    (void)state;
    char path[4096];
    tokens_csv(path, sizeof path);
    lsd_token t;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_token_file_lookup(NULL, "steth", &t, &diag), LSD_EINVAL);
    assert_true(isnan(t.apr_periods));
    assert_int_equal(lsd_token_file_lookup(path, NULL, &t, &diag), LSD_EINVAL);
    assert_int_equal(lsd_token_file_lookup(path, "steth", NULL, &diag), LSD_EINVAL);
    assert_non_null(strstr(diag.message, "NULL"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(daily_apr_matches_forty_digit_values),
        cmocka_unit_test(daily_apr_matches_its_series),
        cmocka_unit_test(more_periods_tend_to_the_apr_from_below),
        cmocka_unit_test(expm1_round_trip_recovers_the_apr),
        cmocka_unit_test(huge_apr_over_tiny_periods_stays_finite),
        cmocka_unit_test(bad_conversion_inputs_are_domain_errors),
        cmocka_unit_test(rebasing_carry_is_the_continuous_yield),
        cmocka_unit_test(value_accruing_carry_is_zero),
        cmocka_unit_test(carry_errors_leave_nan),
        cmocka_unit_test(every_token_of_the_issue_is_in_the_real_file),
        cmocka_unit_test(only_steth_rebases),
        cmocka_unit_test(lookup_ignores_ascii_case),
        cmocka_unit_test(unknown_token_lists_the_known_ones),
        cmocka_unit_test(a_missing_file_is_an_io_error),
        cmocka_unit_test(malformed_files_are_parse_errors_naming_the_line),
        cmocka_unit_test(a_file_without_tokens_knows_none),
        cmocka_unit_test(columns_are_found_by_name_with_extras_bom_and_crlf),
        cmocka_unit_test(numbers_do_not_depend_on_the_locale),
        cmocka_unit_test(null_arguments_are_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
