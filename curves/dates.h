/*
 * dates.h — instants and year fractions: ISO-8601 parsing and formatting
 * (lsd_dates_parse, lsd_dates_format), ACT/365F year fractions
 * (lsd_dates_year_fraction) and the current instant (lsd_dates_now).
 * Grammar, algorithms and sources in dates.c.
 *
 * Instants are seconds since 1970-01-01T00:00:00Z (UTC, no leap seconds,
 * proleptic Gregorian calendar), as doubles so fractional seconds survive.
 * A bare date means 08:00 UTC that day: the expiry time of crypto options
 * (Deribit, OKX, Binance all expire at 08:00 UTC).
 * Every function here is thread-safe: no global state, no time zone or
 * locale of the process, no allocation.
 *
 * Layer: curves (curves/) — depends on core only; installed as
 * <lsdopt/dates.h>.
 */
#ifndef LSD_DATES_H
#define LSD_DATES_H

#include "constants.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Parse an ISO-8601 instant into seconds since the Unix epoch (UTC).
 *
 * Accepted: YYYY-MM-DD (08:00 UTC that day), and YYYY-MM-DDThh:mm[:ss[.fff…]]
 * with 'T' or one space between date and time, followed by 'Z', '+hh:mm',
 * '-hh:mm', '+hhmm', '+hh' or nothing (nothing means UTC). Leading and
 * trailing spaces are ignored. Fields are range-checked (month 1–12, day
 * valid for the month and leap year, hour 0–23 or 24:00:00, minute 0–59,
 * second 0–60).
 *
 * Source: ISO 8601-1:2019 §5.4 (extended format); RFC 3339 §5.6.
 * Errors: LSD_EINVAL for NULL; LSD_EPARSE for anything else, with the text
 *         and the reason in diag (may be NULL). On error *seconds is NaN.
 */
LSD_EXPORT lsd_status lsd_dates_parse(const char *text, double *seconds, lsd_diag *diag);

/*
 * Format seconds since the epoch as ISO-8601 UTC, "YYYY-MM-DDThh:mm:ssZ"
 * (fractional seconds, if any, to the millisecond). buf must hold at least
 * 32 bytes. Errors: LSD_EINVAL for NULL or size < 32; LSD_EDOM for a
 * non-finite instant or a year outside 0000–9999.
 */
LSD_EXPORT lsd_status lsd_dates_format(double seconds, char *buf, unsigned long size);

/*
 * ACT/365F year fraction from instant `from` to instant `to`
 * ((to − from)/(365·86400)); negative when to < from.
 * Source: ISDA 2006 Definitions §4.16(d) (Actual/365 (Fixed)).
 * Errors: LSD_EDOM if either instant is not finite; *years is then NaN.
 */
LSD_EXPORT lsd_status lsd_dates_year_fraction(double from, double to, double *years);

/* Current instant (seconds since the epoch, UTC) from the system clock
 * (clock_gettime, CLOCK_REALTIME); NaN if the clock cannot be read, the one
 * failure, so no status. Thread-safe. */
LSD_EXPORT double lsd_dates_now(void);

#ifdef __cplusplus
}
#endif

#endif /* LSD_DATES_H */
