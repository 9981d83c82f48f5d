/*
 * decimal.h — internal: strict, locale-free decimal numbers for the
 * library's file readers (pricing/io: curve_file, token_file, quotes).
 * Not installed.
 *
 * Layer: io (pricing/io/) — depends on nothing.
 */
#ifndef LSD_DECIMAL_H
#define LSD_DECIMAL_H

#include <locale.h>
#include <stddef.h>

/*
 * Parse s[0..n) (s NUL-terminated at n) as a plain decimal,
 * [+-]? digits [. digits] [(e|E) [+-]? digits] with at least one mantissa
 * digit and nothing else: no blanks, NaN, infinities, hexadecimal or
 * trailing text. Converted by strtod under c_locale (a "C" LC_NUMERIC
 * locale from newlocale, made current for this thread only with uselocale),
 * so the caller's locale cannot turn '.' into something else. Returns 1 and
 * sets *x for a finite, in-range value; 0 (x untouched) otherwise.
 */
int lsd_decimal_parse(const char *s, size_t n, locale_t c_locale, double *x);

#endif /* LSD_DECIMAL_H */
