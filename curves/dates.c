/*
 * dates.c — ISO-8601 instants to seconds since the Unix epoch and back
 * (dates.h), ACT/365F year fractions, and the current instant.
 *
 * Calendar arithmetic is the proleptic Gregorian calendar with no leap
 * seconds (POSIX time), done in integers by Howard Hinnant's algorithms
 * days_from_civil and civil_from_days: H. Hinnant, "chrono-Compatible
 * Low-Level Date Algorithms" (2013–2021),
 * https://howardhinnant.github.io/date_algorithms.html. They shift the year
 * to start on 1 March, so the leap day is the last day of the shifted year,
 * and count 400-year eras of 146097 days. timegm/mktime are not used: they
 * depend on the process time zone and its global state.
 *
 * Grammar accepted by lsd_dates_parse (ISO 8601-1:2019 §5.4 extended format,
 * RFC 3339 §5.6):
 *
 *   [spaces] YYYY-MM-DD [ ('T' | 't' | ' ') hh:mm [:ss [('.' | ',') d+]]
 *            [ 'Z' | 'z' | ('+' | '-') hh [[:]mm] ] ] [spaces]
 *
 * Every numeric field has exactly two digits (four for the year). A bare date
 * is 08:00 UTC (see dates.h). "spaces" are blanks and tabs. The decimal sign
 * may be a full stop or a comma (ISO 8601-1:2019 §3.2.6); any number of
 * fraction digits is read, the first 18 exactly, the rest are checked to be
 * digits and ignored (they are below 1e-18 s). A time of 24:00:00 is the end
 * of the day, i.e. 00:00 of the next; second 60 (a leap second) counts as
 * the first second of the next minute, as POSIX time has no leap seconds.
 * "-00:00" (RFC 3339 "offset unknown") is read as UTC.
 *
 * Parsing is done by hand on ASCII digits: no strtod, so no locale.
 * Thread-safe; no allocation; no global state.
 *
 * Layer: curves (curves/) — depends on core only.
 */
#define _POSIX_C_SOURCE 200809L

#include "dates.h"

#include "diag.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SECONDS_PER_DAY ((int64_t)LSD_SECONDS_PER_DAY) /* integer, for day arithmetic */

/* Instants lsd_dates_format can print: 0000-01-01T00:00:00Z up to, not
 * including, 10000-01-01T00:00:00Z (days_from_civil gives −719528 and
 * 2932897 days). */
#define FIRST_PRINTABLE (-719528.0 * SECONDS_PER_DAY)
#define END_PRINTABLE (2932897.0 * SECONDS_PER_DAY)

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian); Hinnant's
 * days_from_civil. Valid for every year representable in int64_t / 366. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    /* Shifted year: March is month 0, so February (and its leap day) ends it. */
    if (m <= 2)
        y -= 1;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t year_of_era = y - era * 400;                  /* [0, 399] */
    const int month_from_march = m > 2 ? m - 3 : m + 9;          /* [0, 11] */
    /* (153·mp + 2)/5 is the day of the shifted year on which month mp
     * starts: month lengths 31,30,31,30,31 repeat with period 153 days. */
    const int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1; /* [0, 365] */
    const int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year; /* [0, 146096] */
    /* 719468 = days from 0000-03-01 to 1970-01-01. */
    return era * 146097 + day_of_era - 719468;
}

/* Inverse of days_from_civil; Hinnant's civil_from_days. */
static void civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const int64_t day_of_era = days - era * 146097;             /* [0, 146096] */
    /* Remove the 1-day shortfalls of the 4-, 100- and 400-year cycles. */
    const int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); /* [0, 365] */
    const int64_t month_from_march = (5 * day_of_year + 2) / 153;          /* [0, 11] */
    *d = (int)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    *m = (int)(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
    *y = year_of_era + era * 400 + (*m <= 2);
}

static int is_leap_year(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(int64_t y, int m)
{
    static const int length[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap_year(y) ? 29 : length[m - 1];
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Read exactly n ASCII digits from [*p, end) into *value; advance *p. */
static int read_digits(const char **p, const char *end, int n, int *value)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (*p + i >= end || !is_digit((*p)[i]))
            return 0;
        v = 10 * v + ((*p)[i] - '0');
    }
    *p += n;
    *value = v;
    return 1;
}

/* The text as the error message quotes it: at most 64 characters. */
#define QUOTE "'%.64s'"

lsd_status lsd_dates_parse(const char *text, double *seconds, lsd_diag *diag)
{
    if (seconds != NULL)
        *seconds = NAN;
    if (text == NULL || seconds == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "time: NULL argument");

    const char *p = text;
    const char *end = text + strlen(text);
    while (p < end && is_blank(*p))
        p++;
    while (end > p && is_blank(end[-1]))
        end--;
    if (p == end)
        return lsd_diag_fail(diag, LSD_EPARSE, "time " QUOTE ": empty, expected an ISO-8601 date", text);

    int year, month, day;
    if (!read_digits(&p, end, 4, &year) || p >= end || *p++ != '-'
        || !read_digits(&p, end, 2, &month) || p >= end || *p++ != '-'
        || !read_digits(&p, end, 2, &day))
        return lsd_diag_fail(diag, LSD_EPARSE, "time " QUOTE ": expected a date YYYY-MM-DD", text);
    if (month < 1 || month > 12)
        return lsd_diag_fail(diag, LSD_EPARSE, "time " QUOTE ": month must be 01-12", text);
    if (day < 1 || day > days_in_month(year, month))
        return lsd_diag_fail(diag, LSD_EPARSE, "time " QUOTE ": day must be 01-%02d in %04d-%02d",
                        text, days_in_month(year, month), year, month);

    const int64_t days = days_from_civil(year, month, day);
    if (p == end) {
        *seconds = (double)(days * SECONDS_PER_DAY + LSD_EXPIRY_HOUR_UTC * 3600);
        return LSD_OK;
    }

    if (*p != 'T' && *p != 't' && *p != ' ')
        return lsd_diag_fail(diag, LSD_EPARSE,
                        "time " QUOTE ": expected 'T' or a space after the date", text);
    p++;

    int hour, minute, second = 0;
    if (!read_digits(&p, end, 2, &hour) || p >= end || *p++ != ':'
        || !read_digits(&p, end, 2, &minute))
        return lsd_diag_fail(diag, LSD_EPARSE, "time " QUOTE ": expected a time hh:mm[:ss]", text);
    /* Fraction of a second (only after ss): the first 18 digits exactly,
     * as an integer over 10^n. */
    uint64_t fraction_digits = 0, fraction_scale = 1;
    if (p < end && *p == ':') {
        p++;
        if (!read_digits(&p, end, 2, &second))
            return lsd_diag_fail(diag, LSD_EPARSE, "time " QUOTE ": expected seconds ss after hh:mm:",
                            text);
        if (p < end && (*p == '.' || *p == ',')) {
            p++;
            if (p >= end || !is_digit(*p))
                return lsd_diag_fail(diag, LSD_EPARSE,
                                "time " QUOTE ": expected digits after the decimal sign", text);
            for (int n = 0; p < end && is_digit(*p); p++, n++) {
                if (n < 18) {
                    fraction_digits = 10 * fraction_digits + (uint64_t)(*p - '0');
                    fraction_scale *= 10;
                }
            }
        }
    }
    const double fraction = (double)fraction_digits / (double)fraction_scale;

    if (minute > 59)
        return lsd_diag_fail(diag, LSD_EPARSE, "time " QUOTE ": minute must be 00-59", text);
    if (second > 60)
        return lsd_diag_fail(diag, LSD_EPARSE, "time " QUOTE ": second must be 00-60", text);
    if (hour > 24 || (hour == 24 && (minute != 0 || second != 0 || fraction_digits != 0)))
        return lsd_diag_fail(diag, LSD_EPARSE,
                        "time " QUOTE ": hour must be 00-23 (or 24:00:00, end of day)", text);

    int offset = 0; /* seconds east of UTC */
    if (p < end) {
        const char sign = *p++;
        if (sign == 'Z' || sign == 'z') {
            offset = 0;
        } else if (sign == '+' || sign == '-') {
            int offset_hour, offset_minute = 0;
            if (!read_digits(&p, end, 2, &offset_hour))
                return lsd_diag_fail(diag, LSD_EPARSE,
                                "time " QUOTE ": expected a UTC offset +hh[:mm] or Z", text);
            if (p < end) {
                if (*p == ':')
                    p++;
                if (!read_digits(&p, end, 2, &offset_minute))
                    return lsd_diag_fail(diag, LSD_EPARSE,
                                    "time " QUOTE ": expected offset minutes after +hh", text);
            }
            if (offset_hour > 23 || offset_minute > 59)
                return lsd_diag_fail(diag, LSD_EPARSE,
                                "time " QUOTE ": UTC offset must be within ±23:59", text);
            offset = (sign == '+' ? 1 : -1) * (offset_hour * 3600 + offset_minute * 60);
        } else {
            return lsd_diag_fail(diag, LSD_EPARSE,
                            "time " QUOTE ": unexpected '%c' after the time", text, sign);
        }
    }
    if (p != end)
        return lsd_diag_fail(diag, LSD_EPARSE, "time " QUOTE ": trailing characters", text);

    const int64_t whole =
        days * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset;
    *seconds = (double)whole + fraction;
    return LSD_OK;
}

lsd_status lsd_dates_format(double seconds, char *buf, unsigned long size)
{
    if (buf == NULL || size < 32)
        return LSD_EINVAL;
    buf[0] = '\0';
    if (!(seconds >= FIRST_PRINTABLE && seconds < END_PRINTABLE))
        return LSD_EDOM;

    /* Whole seconds and milliseconds, rounding half away from zero; a
     * rounded-up 1000 ms carries into the seconds. */
    double whole_seconds = floor(seconds);
    int64_t millis = (int64_t)llround((seconds - whole_seconds) * 1000.0);
    int64_t whole = (int64_t)whole_seconds;
    if (millis == 1000) {
        whole += 1;
        millis = 0;
    }

    /* Floor division: instants before 1970 have a negative day count. */
    int64_t days = whole / SECONDS_PER_DAY;
    int64_t second_of_day = whole % SECONDS_PER_DAY;
    if (second_of_day < 0) {
        second_of_day += SECONDS_PER_DAY;
        days -= 1;
    }
    int64_t year;
    int month, day;
    civil_from_days(days, &year, &month, &day);
    if (year > 9999)
        return LSD_EDOM;

    const int hour = (int)(second_of_day / 3600);
    const int minute = (int)(second_of_day / 60 % 60);
    const int second = (int)(second_of_day % 60);
    /* At most 24 characters ("9999-12-31T23:59:59.999Z"): size >= 32 holds them. */
    if (millis != 0)
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)year, month, day, hour,
                 minute, second, (int)millis);
    else
        snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)year, month, day, hour,
                 minute, second);
    return LSD_OK;
}

lsd_status lsd_dates_year_fraction(double from, double to, double *years)
{
    if (years == NULL)
        return LSD_EINVAL;
    if (!isfinite(from) || !isfinite(to)) {
        *years = NAN;
        return LSD_EDOM;
    }
    *years = (to - from) / LSD_SECONDS_PER_YEAR;
    return LSD_OK;
}

/* NaN if the system clock cannot be read (clock_gettime fails only for an
 * unsupported clock, and CLOCK_REALTIME is mandatory in POSIX). */
double lsd_dates_now(void)
{
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0)
        return NAN;
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}
