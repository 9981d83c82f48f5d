/*
 * test_decimal.c — tests of pricing/io/decimal.c, the strict decimal parser
 * under the library's file readers (curves, token profiles, quote chains).
 *
 * The grammar [+-]? digits [. digits] [(e|E) [+-]? digits], with at least
 * one mantissa digit and nothing else, is checked form by form: every
 * accepted form gives strtod's value in the "C" locale, bit for bit; every
 * rejected form (blanks, NaN, infinities, hexadecimal, a lone sign or dot,
 * an empty exponent, trailing text, overflow or underflow) returns 0 and
 * leaves the output alone. A comma-decimal locale made current for the
 * whole process must not change what '.' means (skipped where none is
 * installed).
 *
 * Internal module: linked from the static library (hidden in the shared one).
 */
#define _POSIX_C_SOURCE 200809L

#include "decimal.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* A "C" numeric locale per test program, as the readers make one per file. */
static locale_t c_locale;

static int setup(void **state)
{
    (void)state;
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    return c_locale == (locale_t)0 ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    freelocale(c_locale);
    return 0;
}

/* text parses, to want exactly. */
static void accepts(const char *text, double want)
{
    double x = -12345.0;
    if (lsd_decimal_parse(text, strlen(text), c_locale, &x) != 1)
        fail_msg("'%s' was refused", text);
    if (memcmp(&x, &want, sizeof x) != 0)
        fail_msg("'%s' gave %.17g, want %.17g", text, x, want);
}

/* text is refused and the output is left alone. */
static void refuses(const char *text, size_t n)
{
    double x = -12345.0;
    if (lsd_decimal_parse(text, n, c_locale, &x) != 0)
        fail_msg("'%s' was accepted as %.17g", text, x);
    if (x != -12345.0)
        fail_msg("'%s' was refused but wrote %.17g", text, x);
}

static void plain_decimals_parse_to_the_nearest_double(void **state)
{
    (void)state;
    accepts("0", 0.0);
    accepts("7", 7.0);
    accepts("+7", 7.0);
    accepts("-7", -7.0);
    accepts("3200", 3200.0);
    accepts("0.031", 0.031);
    accepts("-0.08", -0.08);
    accepts("1.", 1.0);
    accepts(".5", 0.5);
    accepts("-.5", -0.5);
    accepts("007.250", 7.25);
    accepts("0.1", 0.1); /* not exact in binary: strtod's correctly rounded double */
    accepts("123456789012345678901234567890", 123456789012345678901234567890.0);
}

static void exponents_in_either_case_with_a_sign(void **state)
{
    (void)state;
    accepts("1e3", 1000.0);
    accepts("1E3", 1000.0);
    accepts("2.5e-3", 0.0025);
    accepts("2.5E+3", 2500.0);
    accepts(".5e1", 5.0);
    accepts("5.e-1", 0.5);
    accepts("1e308", 1e308);
    accepts("1.7976931348623157e308", DBL_MAX);
    accepts("2.2250738585072014e-308", DBL_MIN); /* the smallest normal double */
}

static void negative_zero_keeps_its_sign(void **state)
{
    (void)state;
    double x = 1.0;
    assert_int_equal(lsd_decimal_parse("-0.0", 4, c_locale, &x), 1);
    assert_true(x == 0.0 && signbit(x));
}

static void non_numbers_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "+", "-", ".", "+.", "-.", "e5", ".e5", "abc",
        "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "INF",
        "0x10", "0x1p3", "0X1P-2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refuses(bad[i], strlen(bad[i]));
}

static void blanks_and_trailing_text_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        " 1", "1 ", "\t1", "1\n", "1.5x", "1.5%", "1,5", "1.2.3", "1e", "1e+", "1E-",
        "1e5.5", "1e 5", "--1", "+-1", "1_000", "1'000",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refuses(bad[i], strlen(bad[i]));
}

/* strtod's ERANGE: overflow, and underflow into the subnormals or to 0
 * (a rate or a price of 1e-310 is a typo, not data). */
static void out_of_range_is_refused(void **state)
{
    (void)state;
    refuses("1e309", 5);
    refuses("-1e400", 6);
    refuses("1e-310", 6);
    refuses("4.9e-324", 8);
    refuses("1e-400", 6);
}

/* A process-wide locale that writes 1,5 must not turn '.' into junk. */
static void the_callers_locale_does_not_matter(void **state)
{
    (void)state;
    static const char *const comma_locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                                 "fr_FR.utf8", "ru_RU.UTF-8" };
    const char *set = NULL;
    for (size_t i = 0; i < sizeof comma_locales / sizeof comma_locales[0] && set == NULL; i++)
        set = setlocale(LC_NUMERIC, comma_locales[i]);
    if (set == NULL)
        skip(); /* no comma-decimal locale installed */
    accepts("1.5", 1.5);
    refuses("1,5", 3);
    setlocale(LC_NUMERIC, "C");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_decimals_parse_to_the_nearest_double),
        cmocka_unit_test(exponents_in_either_case_with_a_sign),
        cmocka_unit_test(negative_zero_keeps_its_sign),
        cmocka_unit_test(non_numbers_are_refused),
        cmocka_unit_test(blanks_and_trailing_text_are_refused),
        cmocka_unit_test(out_of_range_is_refused),
        cmocka_unit_test(the_callers_locale_does_not_matter),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
