/*
 * numtext.cc — number <-> text for the CLI (a C shim over C++17 <charconv>
 * and Dragonbox; the rest of the CLI is C).
 *
 * Text to double: std::from_chars, correctly rounded and locale-free
 * (libstdc++ 12 implements it with the Eisel–Lemire algorithm of fast_float:
 * Lemire, "Number parsing at a gigabyte per second", Software: Practice and
 * Experience 51 (2021)), about 3x faster than glibc strtod on short decimals.
 *
 * Text from double: the text std::to_chars(first, last, x) writes (no
 * format; [charconv.to.chars]): the fewest significant digits that read back
 * to exactly x — of those, the nearest to x, ties to even — in fixed
 * notation, or in scientific (d.ddde-05, at least two exponent digits) when
 * that is strictly shorter. The digits come from Dragonbox (Jeon, "Dragonbox:
 * A New Floating-Point Binary-to-Decimal Conversion Algorithm", 2020; Debian's
 * libdragonbox-dev), which picks the same digits as libstdc++'s Ryu (Adams,
 * PLDI 2018): both return the shortest correctly rounded significand, ties to
 * even. Dragonbox (about 12 ns) and the layout here take about 30 ns a
 * number, against about 50 ns for libstdc++'s std::to_chars (7 numbers per
 * `lsdopt batch` row: a third of its time before). Zero, infinities, NaN, and
 * fixed-notation integers of 2^53 or more (printed exactly,
 * 123456789012345683968, where the shortest digits would end in zeros) still
 * go through std::to_chars.
 * When written, it was checked byte for byte against std::to_chars on 85
 * million doubles: every power of two and its neighbours, integers around
 * 2^53 and 10^15..10^22, decimals, random bit patterns, and every number
 * `lsdopt batch` writes for the benchmark book.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#include "numtext.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include <dragonbox/dragonbox.h>

namespace {

/* "00", "01", ..., "99". */
constexpr char digit_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Write n < 10^8 as exactly 8 digits (leading zeros) at out. */
inline void write_8_digits(char *out, std::uint32_t n)
{
    const std::uint32_t high = n / 10000, low = n % 10000;
    std::memcpy(out, digit_pairs + 2 * (high / 100), 2);
    std::memcpy(out + 2, digit_pairs + 2 * (high % 100), 2);
    std::memcpy(out + 4, digit_pairs + 2 * (low / 100), 2);
    std::memcpy(out + 6, digit_pairs + 2 * (low % 100), 2);
}

/* Write v < 10^17 (any double's shortest significand) as exactly 17 digits
 * (leading zeros) at out, in three independent pieces. */
inline void write_17_digits(char *out, std::uint64_t v)
{
    const std::uint64_t top = v / 100000000;
    const std::uint32_t first = static_cast<std::uint32_t>(top / 100000000);
    out[0] = static_cast<char>('0' + first);
    write_8_digits(out + 1, static_cast<std::uint32_t>(top - std::uint64_t{first} * 100000000));
    write_8_digits(out + 9, static_cast<std::uint32_t>(v - top * 100000000));
}

/* Number of decimal digits of v, 0 < v < 10^17. */
inline int decimal_length(std::uint64_t v)
{
    static constexpr std::uint64_t pow10[] = {
        1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
        10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
        1000000000000000, 10000000000000000, 100000000000000000 };
    /* 1233 / 4096 = 0.30103 (log10 2) rounded up: the digits of 2^(bits-1),
     * less one; v has that many or one more. */
    const int bits = 64 - __builtin_clzll(v);
    const int guess = (bits * 1233) >> 12;
    return guess + (v >= pow10[guess]);
}

/* x through std::to_chars (the cases the fast path leaves to it). */
std::size_t to_chars_plain(double x, char *buf)
{
    const std::to_chars_result r = std::to_chars(buf, buf + LSD_CLI_DTOA_SIZE - 1, x);
    *r.ptr = '\0';
    return static_cast<std::size_t>(r.ptr - buf);
}

} // namespace

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
    if (x == 0.0 || !std::isfinite(x))
        return to_chars_plain(x, buf);
    /* x = ±significand * 10^exponent, significand the shortest. */
    const auto decimal = jkj::dragonbox::to_decimal(x);
    const int len = decimal_length(decimal.significand);
    const int e = decimal.exponent;
    const int sci_exp = e + len - 1; /* x = ±d.ddd * 10^sci_exp */
    const int sci_len = len + (len > 1) + (sci_exp <= -100 || sci_exp >= 100 ? 5 : 4);
    const int fixed_len = e >= 0 ? len + e : len > -e ? len + 1 : 2 - e;
    const bool fixed = fixed_len <= sci_len;
    if (fixed && e >= 0 && !(std::fabs(x) < 0x1p53))
        return to_chars_plain(x, buf);

    /* The text is put together from fixed-size copies, which compile to a
     * few moves where copies of the exact lengths would call memcpy; the
     * bytes they carry past the text are scratch. digits[0, 17) holds the
     * significand, significant from `first`; text gets the output. */
    char digits[17 + 16];
    write_17_digits(digits, decimal.significand);
    std::memset(digits + 17, '0', 16);
    const char *const first = digits + 17 - len;
    char text[64];
    char *p = text;
    *p = '-';
    p += decimal.is_negative;
    if (!fixed) { /* d.ddde-05 */
        p[0] = first[0];
        p[1] = '.';
        std::memcpy(p + 2, first + 1, 16);
        p += len > 1 ? len + 1 : 1;
        const int mag = sci_exp < 0 ? -sci_exp : sci_exp;
        *p++ = 'e';
        *p++ = sci_exp < 0 ? '-' : '+';
        if (mag >= 100)
            *p++ = static_cast<char>('0' + mag / 100);
        std::memcpy(p, digit_pairs + 2 * (mag % 100), 2);
        p += 2;
    } else if (e >= 0) { /* ddd00: an integer below 2^53, exactly */
        std::memcpy(p, first, 17);
        std::memcpy(p + len, "00000", 5); /* e <= 5 */
        p += len + e;
    } else if (len <= -e) { /* 0.00ddd */
        std::memcpy(p, "0.000", 5);    /* at most 3 zeros after the point */
        p += 2 + (-e - len);
        std::memcpy(p, first, 17);
        p += len;
    } else { /* dd.ddd */
        const int whole = len + e;
        std::memcpy(p, first, 16);
        p[whole] = '.';
        std::memcpy(p + whole + 1, first + whole, 16);
        p += len + 1;
    }
    *p = '\0';
    std::memcpy(buf, text, LSD_CLI_DTOA_SIZE);
    return static_cast<std::size_t>(p - text);
}
