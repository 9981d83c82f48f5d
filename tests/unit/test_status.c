/*
 * test_status.c — status codes and diagnostics (pricing/core/status.c).
 *
 * Contracts are those of status.h: status values are ABI, every code has its
 * own static text and any other value reads "unknown status"; an lsd_diag is
 * caller-owned, NULL means no detail wanted, success leaves it alone, and a
 * failure writes one NUL-terminated line that never runs past the buffer
 * (lsd_diag_fail, seen here through public functions that report with it).
 */
#include "testutil.h"

#include <string.h>

/* Status values are ABI; every code has its own text; others are "unknown status". */
static void status_codes_are_stable_and_have_distinct_texts(void **state)
{
    (void)state;
    assert_int_equal(LSD_OK, 0);
    assert_int_equal(LSD_EDOM, 1);
    assert_int_equal(LSD_EARB, 2);
    assert_int_equal(LSD_ENOCONV, 3);
    assert_int_equal(LSD_ENOMEM, 4);
    assert_int_equal(LSD_EPARSE, 5);
    assert_int_equal(LSD_EIO, 6);
    assert_int_equal(LSD_EINVAL, 7);
    assert_int_equal(LSD_EBELOW, 8);
    assert_int_equal(LSD_EABOVE, 9);
    assert_int_equal(LSD_ENOTIME, 10);

    const lsd_status all[] = { LSD_OK,     LSD_EDOM,   LSD_EARB,   LSD_ENOCONV,
                               LSD_ENOMEM, LSD_EPARSE, LSD_EIO,    LSD_EINVAL,
                               LSD_EBELOW, LSD_EABOVE, LSD_ENOTIME };
    const size_t n = sizeof all / sizeof all[0];
    for (size_t i = 0; i < n; i++) {
        const char *text = lsd_strerror(all[i]);
        assert_non_null(text);
        assert_true(strlen(text) > 0);
        assert_string_not_equal(text, "unknown status");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(text, lsd_strerror(all[j]));
    }
    assert_string_equal(lsd_strerror(LSD_OK), "success");
    assert_string_equal(lsd_strerror(LSD_EDOM), "input out of domain");
}

/* Each code's text, as status.c has it: callers show these to people. */
static void every_status_has_its_text(void **state)
{
    (void)state;
    const struct { lsd_status status; const char *text; } texts[] = {
        { LSD_OK, "success" },
        { LSD_EDOM, "input out of domain" },
        { LSD_EARB, "inputs admit arbitrage" },
        { LSD_ENOCONV, "no convergence" },
        { LSD_ENOMEM, "out of memory" },
        { LSD_EPARSE, "cannot parse" },
        { LSD_EIO, "input/output error" },
        { LSD_EINVAL, "invalid argument" },
        { LSD_EBELOW, "price below intrinsic value" },
        { LSD_EABOVE, "price above upper bound" },
        { LSD_ENOTIME, "no recoverable time value" },
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        assert_string_equal(lsd_strerror(texts[i].status), texts[i].text);
}

static void an_unknown_code_is_unknown_status(void **state)
{
    (void)state;
    const int unknown[] = { 11, 12, 100, -1, -7 };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
        assert_string_equal(lsd_strerror((lsd_status)unknown[i]), "unknown status");
}

/* A failure writes one line; success and NULL write nothing; a later failure
 * replaces the earlier line. */
static void diag_gets_one_line_on_failure_only(void **state)
{
    (void)state;
    const lsd_option opt = { .type = LSD_CALL, .strike = 3000.0, .expiry = 0.25 };
    const lsd_market good = { .spot = 3000.0, .rate = 0.04, .carry = 0.03, .vol = 0.6 };
    lsd_market bad = good;
    bad.spot = -1.0;

    lsd_diag diag = { "untouched" };
    assert_int_equal(lsd_option_check(&opt, &good, NULL, &diag), LSD_OK);
    assert_string_equal(diag.message, "untouched");

    assert_int_equal(lsd_option_check(&opt, &bad, NULL, NULL), LSD_EDOM);
    assert_int_equal(lsd_option_check(&opt, &bad, NULL, &diag), LSD_EDOM);
    assert_non_null(strstr(diag.message, "spot"));
    assert_null(strchr(diag.message, '\n'));

    bad = good;
    bad.vol = -0.5;
    assert_int_equal(lsd_option_check(&opt, &bad, NULL, &diag), LSD_EDOM);
    assert_non_null(strstr(diag.message, "vol"));
    assert_null(strstr(diag.message, "spot"));
}

/* A message longer than the buffer is cut to LSD_DIAG_SIZE − 1 characters and
 * NUL-terminated, and nothing past the buffer is written: a tokens-file path
 * longer than the buffer is quoted whole in its error. */
static void a_long_message_is_cut_to_the_buffer(void **state)
{
    (void)state;
    char path[2 * LSD_DIAG_SIZE];
    memset(path, 'x', sizeof path - 1);
    path[0] = '/';
    path[sizeof path - 1] = '\0';
    struct {
        lsd_diag diag;
        char after[32];
    } guarded;
    memset(&guarded, '#', sizeof guarded);
    lsd_token token;
    assert_int_equal(lsd_token_file_lookup(path, "steth", &token, &guarded.diag), LSD_EIO);
    assert_int_equal(strlen(guarded.diag.message), LSD_DIAG_SIZE - 1);
    assert_non_null(strstr(guarded.diag.message, "/xxxx"));
    for (size_t i = 0; i < sizeof guarded.after; i++)
        assert_int_equal(guarded.after[i], '#');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(status_codes_are_stable_and_have_distinct_texts),
        cmocka_unit_test(every_status_has_its_text),
        cmocka_unit_test(an_unknown_code_is_unknown_status),
        cmocka_unit_test(diag_gets_one_line_on_failure_only),
        cmocka_unit_test(a_long_message_is_cut_to_the_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
