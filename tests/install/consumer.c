/*
 * consumer.c — a program outside the lsdopt build that uses the installed
 * library, to prove the install works: headers under include/lsdopt/, the
 * shared or static library, found through pkg-config or find_package(lsdopt).
 *
 * It prices a 3-month stETH call and put with BSM and checks put–call parity
 * for an asset paying a continuous yield, C − P = S·e^{−qT} − K·e^{−rT}
 * (Hull, Options, Futures and Other Derivatives, 10th ed., ch. 17), computed
 * here independently; that Merton with λ = 0 gives the BSM price
 * (DESIGN.md); that the expiry date (08:00 UTC) lies 87 days less 9.5
 * hours after the valuation time, in ACT/365F years; that a two-pillar
 * zero curve discounts its pillars at e^{−r·t}; and that loading a missing
 * quotes file is LSD_EIO (the quotes reader, pricing/io/quotes.c, is built on
 * libcsv, so a static link proves -lcsv is declared). Exit 0 when all hold.
 */
#include <lsdopt/lsdopt.h>

#include <math.h>
#include <stdio.h>

static int close_to(const char *what, double got, double want, double rtol)
{
    if (fabs(got - want) <= rtol * fabs(want))
        return 1;
    fprintf(stderr, "consumer: %s = %.17g, want %.17g\n", what, got, want);
    return 0;
}

int main(void)
{
    lsd_diag diag = { "" };
    double valuation, expiry_date, years;
    if (lsd_dates_parse("2025-12-30T17:30:00Z", &valuation, &diag) != LSD_OK
        || lsd_dates_parse("2026-03-27", &expiry_date, &diag) != LSD_OK
        || lsd_dates_year_fraction(valuation, expiry_date, &years) != LSD_OK) {
        fprintf(stderr, "consumer: dates: %s\n", diag.message);
        return 1;
    }

    lsd_option call = { .type = LSD_CALL, .strike = 2500.0, .expiry = years };
    lsd_option put = call;
    put.type = LSD_PUT;
    const lsd_market mkt = { .spot = 2977.0, .rate = 0.0364, .carry = 0.0244, .vol = 0.60 };
    const lsd_jumps none = { .intensity = 0.0, .mean = -0.10, .vol = 0.05 };
    lsd_greeks c, p, m;
    if (lsd_bsm_price(&call, &mkt, &c, &diag) != LSD_OK
        || lsd_bsm_price(&put, &mkt, &p, &diag) != LSD_OK
        || lsd_model_price(&call, &mkt, &(lsd_model_params){ .model = LSD_MODEL_MERTON, .jumps = none },
                           LSD_ENGINE_AUTO, &m, &diag) != LSD_OK) {
        fprintf(stderr, "consumer: pricing: %s\n", diag.message);
        return 1;
    }

    const double times[] = { 0.25, 1.0 }, zeros[] = { 0.0364, 0.0350 };
    lsd_curve *curve = NULL;
    double df = NAN;
    if (lsd_curve_new(times, zeros, 2, LSD_CURVE_ZERO_RATE, &curve, &diag) != LSD_OK
        || lsd_curve_discount(curve, 1.0, &df, &diag) != LSD_OK) {
        fprintf(stderr, "consumer: curve: %s\n", diag.message);
        lsd_curve_free(curve);
        return 1;
    }
    lsd_curve_free(curve);

    lsd_chain chain;
    if (lsd_quotes_load("/nonexistent/quotes.csv", LSD_QUOTES_SOURCE_CANONICAL, NAN, &chain, &diag)
        != LSD_EIO) {
        fprintf(stderr, "consumer: a missing quotes file is not LSD_EIO (%s)\n", diag.message);
        return 1;
    }

    const double parity = mkt.spot * exp(-mkt.carry * years)
                          - call.strike * exp(-mkt.rate * years);
    const int ok = close_to("expiry in years", years, (87.0 * 24.0 - 9.5) / 8760.0, 1e-14)
                   && close_to("call - put", c.price - p.price, parity, 1e-12)
                   && close_to("merton(lambda=0) call", m.price, c.price, 1e-14)
                   && close_to("curve D(1)", df, exp(-0.0350), 1e-15);
    printf("lsdopt %s: call %.6f, put %.6f, parity %s\n", lsd_version(), c.price, p.price,
           ok ? "holds" : "FAILS");
    return ok ? 0 : 1;
}
