/*
 * decimal.c — strict decimal parsing for the library's file readers
 * (pricing/io): a grammar check, then strtod in the "C" numeric locale of
 * this thread (tests/unit/test_decimal.c lists the forms).
 *
 * Layer: io (pricing/io/) — depends on nothing.
 */
#define _POSIX_C_SOURCE 200809L

#include "decimal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

/* Skip decimal digits from s[*i]; return how many. */
static size_t digits(const char *s, size_t n, size_t *i)
{
    const size_t start = *i;
    while (*i < n && s[*i] >= '0' && s[*i] <= '9')
        (*i)++;
    return *i - start;
}

int lsd_decimal_parse(const char *s, size_t n, locale_t c_locale, double *x)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    size_t mantissa = digits(s, n, &i);
    if (i < n && s[i] == '.') {
        i++;
        mantissa += digits(s, n, &i);
    }
    if (mantissa == 0)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        if (digits(s, n, &i) == 0)
            return 0;
    }
    if (i != n)
        return 0;
    const locale_t previous = uselocale(c_locale);
    errno = 0;
    char *end;
    const double v = strtod(s, &end);
    const int range_error = errno == ERANGE;
    uselocale(previous);
    if (end != s + n || range_error || !isfinite(v))
        return 0;
    *x = v;
    return 1;
}
