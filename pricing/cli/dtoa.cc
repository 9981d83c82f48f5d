/*
 * dtoa.cc — shortest round-trip decimal text of a double, for the CLI's
 * csv output (a C shim over Google's double-conversion library).
 *
 * ToShortest prints the fewest significant digits that read back (strtod,
 * Python float()) to the same double — Steele & White / Grisu3 with a bignum
 * fallback (Loitsch, "Printing floating-point numbers quickly and accurately
 * with integers", PLDI 2010). It is ~5x faster than printf("%.17g") and its
 * output is shorter. The EcmaScript converter writes decimal notation for
 * 1e-7 <= |x| < 1e21 and exponent notation ("1.5e-8", "2e+21") outside it.
 */
#include "cli.h"

#include <double-conversion/double-conversion.h>

extern "C" size_t lsd_cli_dtoa(double x, char *buf)
{
    double_conversion::StringBuilder sb(buf, LSD_CLI_DTOA_SIZE);
    double_conversion::DoubleToStringConverter::EcmaScriptConverter().ToShortest(x, &sb);
    const int n = sb.position();
    sb.Finalize();
    return static_cast<size_t>(n);
}
