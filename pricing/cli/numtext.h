/*
 * numtext.h — internal to the lsdopt CLI: number <-> text (numtext.cc, C++17
 * <charconv> and Dragonbox), callable from C and C++. Not installed.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#ifndef LSD_NUMTEXT_H
#define LSD_NUMTEXT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes lsd_cli_dtoa writes: the text, its NUL, and scratch after them. */
#define LSD_CLI_DTOA_SIZE 32

/*
 * Write the shortest decimal text that reads back to exactly x into buf
 * (at least LSD_CLI_DTOA_SIZE bytes, all of which may be written),
 * NUL-terminated; return its length. The text is std::to_chars's without a
 * format: finite x gives "3000", "0.045", "-1.5e-08"; non-finite "nan", "inf".
 */
size_t lsd_cli_dtoa(double x, char *buf);

/*
 * Strict number parsing: text[0..len) with leading and trailing blanks
 * removed must be exactly one finite decimal number ("-0.5", "+3e2",
 * "1.", ".5"). Empty text, NaN, infinities, hexadecimal, out-of-range
 * magnitudes and any trailing junk are rejected. Locale-independent.
 * Returns 1 and sets *x on success, 0 (x untouched) otherwise.
 */
int lsd_cli_parse_number(const char *text, size_t len, double *x);

#ifdef __cplusplus
}
#endif

#endif /* LSD_NUMTEXT_H */
