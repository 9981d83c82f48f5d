/*
 * numtext_crosscheck.cpp — test_numtext: the CLI's number text
 * (pricing/cli/numtext.cc) against the C++ standard library.
 *
 * lsd_cli_dtoa lays out Dragonbox's shortest digits itself and promises the
 * bytes std::to_chars(first, last, x) writes ([charconv.to.chars]: shortest
 * round trip, fixed unless scientific is strictly shorter). Checked byte for
 * byte on every power of two and its neighbours, integers around 2^53 and
 * powers of ten 1e15..1e22 and their neighbours (where fixed and scientific
 * trade places and where fixed integers stop being exact), short decimals
 * such as the CLI reads and writes (k/10^j), two million seeded random bit
 * patterns, and the signed zeros, infinities and NaN. Every finite text must
 * also read back to exactly x through lsd_cli_parse_number.
 */
#include "numtext.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

extern "C" { /* cmocka 1.1 declares its C functions without linkage */
#include <cmocka.h>
}

namespace {

/* lsd_cli_dtoa(x) equals std::to_chars(x) and reads back to x. */
void check(double x)
{
    char want[LSD_CLI_DTOA_SIZE];
    const std::to_chars_result r = std::to_chars(want, want + sizeof want - 1, x);
    assert_true(r.ec == std::errc());
    *r.ptr = '\0';
    char got[LSD_CLI_DTOA_SIZE];
    const size_t len = lsd_cli_dtoa(x, got);
    if (std::strcmp(got, want) != 0 || len != std::strlen(want))
        fail_msg("lsd_cli_dtoa(%a) = \"%s\" (length %zu), std::to_chars \"%s\"", x, got, len,
                 want);
    if (std::isfinite(x)) {
        double back = std::nan("");
        assert_true(lsd_cli_parse_number(got, len, &back));
        if (std::memcmp(&back, &x, sizeof x) != 0 && !(back == 0.0 && x == 0.0))
            fail_msg("\"%s\" reads back as %a, not %a", got, back, x);
    }
}

/* x, its neighbours either side, and the same for −x. */
void check_around(double x)
{
    for (double v : { x, std::nextafter(x, 0.0), std::nextafter(x, HUGE_VAL) }) {
        check(v);
        check(-v);
    }
}

void powers_of_two(void **state)
{
    (void)state;
    for (int e = -1074; e <= 1023; ++e)
        check_around(std::ldexp(1.0, e));
}

void integers_and_powers_of_ten(void **state)
{
    (void)state;
    const double two53 = 9007199254740992.0;
    for (int k = -2000; k <= 2000; ++k)
        check_around(two53 + 2.0 * k);
    for (double p = 1.0; p <= 1e23; p *= 10.0) {
        check_around(p);
        for (int k = 1; k <= 9; ++k)
            check_around(p * k + 1.0);
    }
}

void short_decimals(void **state)
{
    (void)state;
    for (int j = 0; j <= 24; ++j)
        for (int k = 1; k <= 20000; k += 7)
            check_around(k / std::pow(10.0, j));
}

void random_bit_patterns(void **state)
{
    (void)state;
    std::mt19937_64 rng(20261121);
    for (int i = 0; i < 2000000; ++i) {
        const std::uint64_t bits = rng();
        double x;
        std::memcpy(&x, &bits, sizeof x);
        check(x);
    }
}

void special_values(void **state)
{
    (void)state;
    for (double x : { 0.0, -0.0, HUGE_VAL, -HUGE_VAL, std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::max(), std::numeric_limits<double>::min(),
                      std::numeric_limits<double>::denorm_min() })
        check(x);
}

} // namespace

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(powers_of_two),
        cmocka_unit_test(integers_and_powers_of_ten),
        cmocka_unit_test(short_decimals),
        cmocka_unit_test(random_bit_patterns),
        cmocka_unit_test(special_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
