/*
 * test_dates.c — ISO-8601 parsing, formatting and ACT/365F year fractions
 * (curves/dates.c), through the public API only.
 *
 * Expected instants were computed independently with CPython 3's datetime
 * (/usr/bin/python3, e.g.
 *   datetime(2024, 2, 29, 12, 34, 56, tzinfo=timezone.utc).timestamp()
 *   → 1709210096.0),
 * whose calendar arithmetic is its own proleptic-Gregorian ordinal code, not
 * ours. Year 0000 is outside datetime's range: 0001-01-01 is −62135596800 s
 * and year 0 is a leap year (divisible by 400) of 366 days, so 0000-01-01 is
 * −62135596800 − 366·86400 = −62167219200 s.
 */
#include "testutil.h"

#include <lsdopt/lsdopt.h>

#include <math.h>
#include <string.h>
#include <time.h>

/* Parse text, which must succeed, and return the instant. */
static double parsed(const char *text)
{
    double seconds = -1.0;
    lsd_diag diag = { "" };
    lsd_status status = lsd_dates_parse(text, &seconds, &diag);
    if (status != LSD_OK)
        print_error("lsd_dates_parse(\"%s\"): %s\n", text, diag.message);
    assert_int_equal(status, LSD_OK);
    return seconds;
}

/* Parse text, which must fail with LSD_EPARSE, NaN out and a message
 * containing reason. */
static void assert_rejected(const char *text, const char *reason)
{
    double seconds = 0.0;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_dates_parse(text, &seconds, &diag), LSD_EPARSE);
    assert_true(isnan(seconds));
    if (strstr(diag.message, reason) == NULL)
        print_error("text \"%s\": message \"%s\" lacks \"%s\"\n", text, diag.message, reason);
    assert_non_null(strstr(diag.message, reason));
}

static void the_epoch_is_zero(void **state)
{
    (void)state;
    assert_close(parsed("1970-01-01T00:00:00Z"), 0.0, 0.0, 0.0);
    assert_close(parsed("1969-12-31T23:59:59Z"), -1.0, 0.0, 0.0);
}

static void known_instants_match_python_datetime(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        double want; /* CPython datetime(..., tzinfo=timezone.utc).timestamp() */
    } cases[] = {
        { "2000-03-01T00:00:00Z", 951868800.0 },
        { "2024-02-29T12:34:56Z", 1709210096.0 },
        { "1600-03-01T00:00:00Z", -11670912000.0 },
        { "2026-06-26T08:00:00Z", 1782460800.0 },
        { "0001-01-01T00:00:00Z", -62135596800.0 },
        { "0000-01-01T00:00:00Z", -62167219200.0 }, /* derived in the header comment */
        { "9999-12-31T23:59:59Z", 253402300799.0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_close(parsed(cases[i].text), cases[i].want, 0.0, 0.0);
}

static void leap_days_follow_the_gregorian_rule(void **state)
{
    (void)state;
    /* Divisible by 4: leap; by 100: not; by 400: leap. */
    assert_close(parsed("2024-02-29T12:34:56Z"), 1709210096.0, 0.0, 0.0);
    assert_close(parsed("2000-02-29"), 951811200.0, 0.0, 0.0);
    assert_rejected("1900-02-29", "day must be 01-28");
    assert_rejected("2100-02-29", "day must be 01-28");
    assert_rejected("2023-02-29", "day must be 01-28");
    /* 1900-02-28 08:00 is −2203948800 s and 1900-03-01 08:00 one day later. */
    assert_close(parsed("1900-02-28"), -2203948800.0, 0.0, 0.0);
    assert_close(parsed("1900-03-01") - parsed("1900-02-28"), 86400.0, 0.0, 0.0);
    assert_close(parsed("2024-03-01") - parsed("2024-02-28"), 2.0 * 86400.0, 0.0, 0.0);
}

static void a_bare_date_is_eight_oclock_utc(void **state)
{
    (void)state;
    assert_close(parsed("2026-06-26"), 1782460800.0, 0.0, 0.0);
    assert_close(parsed("2026-06-26"), parsed("2026-06-26T08:00:00Z"), 0.0, 0.0);
}

static void t_lowercase_t_and_one_space_separate_date_and_time_alike(void **state)
{
    (void)state;
    const double want = 1709210096.0;
    assert_close(parsed("2024-02-29 12:34:56Z"), want, 0.0, 0.0);
    assert_close(parsed("2024-02-29t12:34:56z"), want, 0.0, 0.0);
    assert_rejected("2024-02-29  12:34:56Z", "expected a time");
}

static void no_offset_means_utc_and_seconds_are_optional(void **state)
{
    (void)state;
    assert_close(parsed("2024-02-29T12:34:56"), 1709210096.0, 0.0, 0.0);
    assert_close(parsed("2024-02-29T12:34"), 1709210096.0 - 56.0, 0.0, 0.0);
    assert_close(parsed("2024-02-29T12:34Z"), 1709210096.0 - 56.0, 0.0, 0.0);
}

static void utc_offsets_are_subtracted(void **state)
{
    (void)state;
    /* CPython: datetime(2024,1,1,5,30, tzinfo=timezone(timedelta(hours=5,
     * minutes=30))).timestamp() = 1704067200.0 = 2024-01-01T00:00:00Z, and
     * datetime(2023,12,31,16, tzinfo=timezone(timedelta(hours=-8))) too. */
    const double midnight = 1704067200.0;
    assert_close(parsed("2024-01-01T00:00:00Z"), midnight, 0.0, 0.0);
    assert_close(parsed("2024-01-01T05:30:00+05:30"), midnight, 0.0, 0.0);
    assert_close(parsed("2024-01-01T05:30:00+0530"), midnight, 0.0, 0.0);
    assert_close(parsed("2023-12-31T16:00:00-08:00"), midnight, 0.0, 0.0);
    assert_close(parsed("2023-12-31T16:00-0800"), midnight, 0.0, 0.0);
    assert_close(parsed("2024-01-01T01:00:00+01"), midnight, 0.0, 0.0);
    assert_close(parsed("2024-01-01T00:00:00+00:00"), midnight, 0.0, 0.0);
    assert_close(parsed("2024-01-01T00:00:00-00:00"), midnight, 0.0, 0.0);
    /* An offset that crosses a leap day: 2024-03-01T01:00+02:00 is Feb 29 23:00 UTC. */
    assert_close(parsed("2024-03-01T01:00:00+02:00"), parsed("2024-02-29T23:00:00Z"), 0.0, 0.0);
}

static void fractional_seconds_are_kept(void **state)
{
    (void)state;
    assert_close(parsed("1970-01-01T00:00:00.5Z"), 0.5, 0.0, 0.0);
    assert_close(parsed("1970-01-01T00:00:00,25Z"), 0.25, 0.0, 0.0);
    assert_close(parsed("1969-12-31T23:59:59.75Z"), -0.25, 0.0, 0.0);
    /* CPython: datetime(2025,12,30,17,31,15,944181, tzinfo=utc).timestamp(). */
    assert_close(parsed("2025-12-30T17:31:15.944181+00:00"), 1767115875.944181, 0.0, 0.0);
    /* 22 fraction digits: the first 18 count, the rest are below 1e-18 s. */
    assert_close(parsed("1970-01-01T00:00:00.1234567890123456789999Z"), 0.123456789012345678,
                 1e-16, 0.0);
}

static void hour_24_ends_the_day_and_second_60_is_a_leap_second(void **state)
{
    (void)state;
    assert_close(parsed("2024-02-29T24:00:00Z"), parsed("2024-03-01T00:00:00Z"), 0.0, 0.0);
    assert_close(parsed("2024-02-29T24:00Z"), parsed("2024-03-01T00:00:00Z"), 0.0, 0.0);
    assert_close(parsed("2016-12-31T23:59:60Z"), parsed("2017-01-01T00:00:00Z"), 0.0, 0.0);
    assert_rejected("2024-02-29T24:00:01Z", "hour must be 00-23");
    assert_rejected("2024-02-29T24:00:00.5Z", "hour must be 00-23");
}

static void surrounding_blanks_are_ignored(void **state)
{
    (void)state;
    assert_close(parsed("  2026-06-26 "), 1782460800.0, 0.0, 0.0);
    assert_close(parsed("\t2024-02-29T12:34:56Z  "), 1709210096.0, 0.0, 0.0);
}

/* The first row of deribit_eth_options_20251230T173115Z.csv (ETH-26JUN26-13000-C):
 * timestamp 2025-12-30T17:31:15.944181+00:00, expiry_datetime
 * 2026-06-26T08:00:00+00:00, time_to_maturity 0.4862513009803977, which the
 * collector computed as ACT/365.25 (PROVENANCE.md). */
static void deribit_timestamps_parse_and_give_deribits_time_to_maturity(void **state)
{
    (void)state;
    const double valuation = parsed("2025-12-30T17:31:15.944181+00:00");
    const double expiry = parsed("2026-06-26T08:00:00+00:00");
    double years = 0.0;
    assert_int_equal(lsd_dates_year_fraction(valuation, expiry, &years), LSD_OK);
    assert_close(years * 365.0 / 365.25, 0.4862513009803977, 1e-12, 0.0);
}

static void act365f_counts_actual_days_over_365(void **state)
{
    (void)state;
    double years = 0.0;
    /* 2024 has 366 days, 2023 has 365. */
    assert_int_equal(lsd_dates_year_fraction(parsed("2024-01-01"), parsed("2025-01-01"), &years), LSD_OK);
    assert_close(years, 366.0 / 365.0, 1e-15, 0.0);
    assert_int_equal(lsd_dates_year_fraction(parsed("2023-01-01"), parsed("2024-01-01"), &years), LSD_OK);
    assert_close(years, 1.0, 1e-15, 0.0);
    /* Twelve hours, and negative when to precedes from. */
    assert_int_equal(lsd_dates_year_fraction(parsed("2024-06-01T20:00:00Z"), parsed("2024-06-01"), &years),
                     LSD_OK);
    assert_close(years, -0.5 / 365.0, 1e-15, 0.0);
    assert_int_equal(lsd_dates_year_fraction(1e9, 1e9, &years), LSD_OK);
    assert_close(years, 0.0, 0.0, 0.0);
}

static void year_fraction_of_a_non_finite_instant_is_a_domain_error(void **state)
{
    (void)state;
    double years = 0.0;
    assert_int_equal(lsd_dates_year_fraction(NAN, 0.0, &years), LSD_EDOM);
    assert_true(isnan(years));
    years = 0.0;
    assert_int_equal(lsd_dates_year_fraction(0.0, INFINITY, &years), LSD_EDOM);
    assert_true(isnan(years));
    years = 0.0;
    assert_int_equal(lsd_dates_year_fraction(-INFINITY, 0.0, &years), LSD_EDOM);
    assert_true(isnan(years));
    assert_int_equal(lsd_dates_year_fraction(0.0, 1.0, NULL), LSD_EINVAL);
}

static void format_writes_utc_with_milliseconds_when_there_are_any(void **state)
{
    (void)state;
    static const struct {
        double seconds;
        const char *want;
    } cases[] = {
        { 0.0, "1970-01-01T00:00:00Z" },
        { -1.0, "1969-12-31T23:59:59Z" },
        { -0.5, "1969-12-31T23:59:59.500Z" },
        { 951868800.25, "2000-03-01T00:00:00.250Z" },
        { 1709210096.0, "2024-02-29T12:34:56Z" },
        { 1767115875.944181, "2025-12-30T17:31:15.944Z" },
        { 59.9996, "1970-01-01T00:01:00Z" }, /* rounds up into the next minute */
        { -62167219200.0, "0000-01-01T00:00:00Z" },
        { 253402300799.999, "9999-12-31T23:59:59.999Z" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[32];
        assert_int_equal(lsd_dates_format(cases[i].seconds, buf, sizeof buf), LSD_OK);
        assert_string_equal(buf, cases[i].want);
    }
}

static void format_and_parse_round_trip(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "1970-01-01T00:00:00Z", "2000-02-29T23:59:59.999Z", "2024-02-29T12:34:56Z",
        "1900-03-01T08:00:00Z", "2100-12-31T00:00:00.001Z", "0000-02-29T08:00:00Z",
        "9999-12-31T23:59:59Z",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char buf[32];
        assert_int_equal(lsd_dates_format(parsed(texts[i]), buf, sizeof buf), LSD_OK);
        assert_string_equal(buf, texts[i]);
    }
    /* Every day of 1999–2001 (a leap century year in the middle) at 08:00. */
    for (double t = parsed("1999-01-01"); t < parsed("2002-01-01"); t += 86400.0) {
        char buf[32];
        assert_int_equal(lsd_dates_format(t, buf, sizeof buf), LSD_OK);
        assert_close(parsed(buf), t, 0.0, 0.0);
    }
}

static void format_rejects_what_it_cannot_print(void **state)
{
    (void)state;
    char buf[32] = "untouched";
    assert_int_equal(lsd_dates_format(NAN, buf, sizeof buf), LSD_EDOM);
    assert_string_equal(buf, "");
    assert_int_equal(lsd_dates_format(INFINITY, buf, sizeof buf), LSD_EDOM);
    assert_int_equal(lsd_dates_format(-INFINITY, buf, sizeof buf), LSD_EDOM);
    assert_int_equal(lsd_dates_format(-62167219200.5, buf, sizeof buf), LSD_EDOM); /* year −1 */
    assert_int_equal(lsd_dates_format(253402300800.0, buf, sizeof buf), LSD_EDOM); /* year 10000 */
    assert_int_equal(lsd_dates_format(253402300799.9996, buf, sizeof buf), LSD_EDOM); /* rounds into 10000 */
    assert_int_equal(lsd_dates_format(0.0, NULL, 32), LSD_EINVAL);
    assert_int_equal(lsd_dates_format(0.0, buf, 31), LSD_EINVAL);
}

static void empty_and_junk_text_is_a_parse_error(void **state)
{
    (void)state;
    assert_rejected("", "empty");
    assert_rejected("   ", "empty");
    assert_rejected("junk", "expected a date");
    assert_rejected("2024-1-01", "expected a date");
    assert_rejected("20240101", "expected a date");
    assert_rejected("2024/01/01", "expected a date");
    assert_rejected("-2024-01-01", "expected a date");
}

static void out_of_range_fields_are_a_parse_error(void **state)
{
    (void)state;
    assert_rejected("2024-13-01", "month must be 01-12");
    assert_rejected("2024-00-10", "month must be 01-12");
    assert_rejected("2024-01-32", "day must be 01-31");
    assert_rejected("2024-01-00", "day must be 01-31");
    assert_rejected("2024-04-31", "day must be 01-30");
    assert_rejected("2024-01-01T25:00:00Z", "hour must be 00-23");
    assert_rejected("2024-01-01T23:60:00Z", "minute must be 00-59");
    assert_rejected("2024-01-01T23:59:61Z", "second must be 00-60");
    assert_rejected("2024-01-01T12:00:00+24:00", "offset must be within");
    assert_rejected("2024-01-01T12:00:00+05:60", "offset must be within");
}

static void malformed_times_and_trailing_junk_are_a_parse_error(void **state)
{
    (void)state;
    assert_rejected("2024-01-01x", "expected 'T' or a space");
    assert_rejected("2024-01-01T", "expected a time");
    assert_rejected("2024-01-01T12", "expected a time");
    assert_rejected("2024-01-01T1:00", "expected a time");
    assert_rejected("2024-01-01T12:00:", "expected seconds");
    assert_rejected("2024-01-01T12:00:00.", "expected digits after the decimal sign");
    assert_rejected("2024-01-01T12:00.5", "unexpected '.'");
    assert_rejected("2024-01-01T12:00:00+5", "expected a UTC offset");
    assert_rejected("2024-01-01T12:00:00+05:3", "expected offset minutes");
    assert_rejected("2024-01-01T12:00:00 Z", "unexpected ' '");
    assert_rejected("2024-01-01T12:00:00Zjunk", "trailing characters");
    assert_rejected("2024-01-01T12:00:00+05:30:00", "trailing characters");
    assert_rejected("2024-01-01 12:00:00Z junk", "trailing characters");
}

static void null_arguments_are_invalid_and_leave_nan(void **state)
{
    (void)state;
    double seconds = 0.0;
    lsd_diag diag = { "" };
    assert_int_equal(lsd_dates_parse(NULL, &seconds, &diag), LSD_EINVAL);
    assert_true(isnan(seconds));
    assert_true(strlen(diag.message) > 0);
    assert_int_equal(lsd_dates_parse("2024-01-01", NULL, NULL), LSD_EINVAL);
}

static void a_null_diag_is_allowed_and_success_leaves_diag_alone(void **state)
{
    (void)state;
    double seconds = 0.0;
    assert_int_equal(lsd_dates_parse("2024-13-01", &seconds, NULL), LSD_EPARSE);
    assert_true(isnan(seconds));
    lsd_diag diag = { "before" };
    assert_int_equal(lsd_dates_parse("2024-12-01", &seconds, &diag), LSD_OK);
    assert_string_equal(diag.message, "before");
}

/*
 * time() reads the kernel's coarse clock (seconds of the last tick), which
 * lags the fine clock lsd_dates_now reads by up to a tick (a few ms): just
 * after a second boundary time() can still give the second before. So the
 * fine instant lies in [before, after + 1 + tick); one extra second of
 * slack keeps the check exact in seconds without failing on that lag.
 */
static void now_agrees_with_the_c_library_clock(void **state)
{
    (void)state;
    const double before = (double)time(NULL);
    const double now = lsd_dates_now();
    const double after = (double)time(NULL);
    assert_true(now >= before && now < after + 2.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_epoch_is_zero),
        cmocka_unit_test(known_instants_match_python_datetime),
        cmocka_unit_test(leap_days_follow_the_gregorian_rule),
        cmocka_unit_test(a_bare_date_is_eight_oclock_utc),
        cmocka_unit_test(t_lowercase_t_and_one_space_separate_date_and_time_alike),
        cmocka_unit_test(no_offset_means_utc_and_seconds_are_optional),
        cmocka_unit_test(utc_offsets_are_subtracted),
        cmocka_unit_test(fractional_seconds_are_kept),
        cmocka_unit_test(hour_24_ends_the_day_and_second_60_is_a_leap_second),
        cmocka_unit_test(surrounding_blanks_are_ignored),
        cmocka_unit_test(deribit_timestamps_parse_and_give_deribits_time_to_maturity),
        cmocka_unit_test(act365f_counts_actual_days_over_365),
        cmocka_unit_test(year_fraction_of_a_non_finite_instant_is_a_domain_error),
        cmocka_unit_test(format_writes_utc_with_milliseconds_when_there_are_any),
        cmocka_unit_test(format_and_parse_round_trip),
        cmocka_unit_test(format_rejects_what_it_cannot_print),
        cmocka_unit_test(empty_and_junk_text_is_a_parse_error),
        cmocka_unit_test(out_of_range_fields_are_a_parse_error),
        cmocka_unit_test(malformed_times_and_trailing_junk_are_a_parse_error),
        cmocka_unit_test(null_arguments_are_invalid_and_leave_nan),
        cmocka_unit_test(a_null_diag_is_allowed_and_success_leaves_diag_alone),
        cmocka_unit_test(now_agrees_with_the_c_library_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
