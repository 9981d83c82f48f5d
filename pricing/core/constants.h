/*
 * constants.h — the named constants of the library's conventions, in one
 * place (DESIGN.md, Units and names).
 *
 * Time is counted ACT/365F: a year is 365 days of 86400 seconds, whatever
 * the calendar (no leap days, no leap seconds), as Deribit and QuantLib's
 * Actual365Fixed count option expiries. A bare date is the instant 08:00
 * UTC that day, when crypto options expire (Deribit, OKX, Binance). A
 * staking APR quoted without its compounding (ETH.STORE, Lido's APR) is
 * compounded once a day: stETH rebases daily.
 *
 * Sources: ISDA 2006 Definitions §4.16(d), Actual/365 (Fixed); POSIX time
 * (days of 86400 s, no leap seconds). Every constant is a macro usable in
 * constant expressions: the three counts are doubles, the hour an int.
 * No functions and no state: safe to use from any thread.
 *
 * Layer: core (pricing/core/) — depends on nothing; installed as
 * <lsdopt/constants.h>.
 */
#ifndef LSD_CONSTANTS_H
#define LSD_CONSTANTS_H

/* Days in an ACT/365F year (double); also the rebases a year of a
 * daily-rebasing token, the compounding of an APR given without a token. */
#define LSD_DAYS_PER_YEAR 365.0

/* Seconds in a day (double; UTC, no leap seconds). */
#define LSD_SECONDS_PER_DAY 86400.0

/* Seconds in an ACT/365F year (double): 31 536 000. */
#define LSD_SECONDS_PER_YEAR (LSD_DAYS_PER_YEAR * LSD_SECONDS_PER_DAY)

/* Hour (UTC, int) of the instant a bare date stands for: crypto options'
 * expiry (lsd_dates_parse). */
#define LSD_EXPIRY_HOUR_UTC 8

#endif /* LSD_CONSTANTS_H */
