/*
 * quantlib_crosscheck.cpp — test_quantlib_crosscheck: lsd_bsm_price and
 * lsd_merton_price (pricing/models/bsm.c, pricing/models/merton.c) against
 * QuantLib 1.29 (Debian libquantlib0-dev), an independent implementation,
 * where QuantLib is right.
 *
 * BSM: AnalyticEuropeanEngine on a BlackScholesMertonProcess with flat
 * continuously compounded r and q (our carry) and a flat vol, Actual/365F, so
 * T = days/365 exactly as in our ACT/365F. Its greeks are in our units:
 * delta, gamma, vega (per 1.00 of vol), theta (per year of calendar time),
 * rho and dividendRho (= our carry_rho), per 1.00 of rate.
 *
 * Merton: JumpDiffusionEngine on a Merton76Process (jump intensity, mean log
 * jump μ_J, log-jump vol δ — our parameters, same compensation), with its
 * relative accuracy tightened from 1e-4 to 1e-17 and up to 10000 terms. It
 * sums Haug's form of the series (Poisson(λ(1+κ)T) weights, per-term rates)
 * term by term, so its greeks are the same derivatives as ours. It is only
 * compared where it is right: moderate λT and values well above
 * QL_EPSILON. It is wrong (1) for deep out-of-the-money, short-dated,
 * jump-dominated options, because it stops the series after the first
 * contribution that is small relative to a partial sum and treats partial
 * sums below QL_EPSILON as 1, so a vanishing no-jump term ends the sum
 * (QuantLib 1.29 jumpdiffusionengine.cpp, the lastContribution loop); and
 * (2) at large λT, where it loses ~1e-10. Both are printed for information,
 * never matched.
 *
 * Tolerances (|ours − QuantLib| ≤ max(rtol·|QuantLib|, atol·scale), scale =
 * spot for price, vega, theta, rho, carry_rho; 1 for delta; 1/spot for
 * gamma): rtol 1e-12 and atol 1e-13, issue 2's requirement — both codes
 * evaluate the same closed forms in double, so they agree to a few hundred
 * ulps where the inputs are well conditioned (measured worst errors are
 * printed on every run) — except QuantLib's theta at short expiries, whose
 * own rounding is bounded in theta_tol below. Exit status 0 on agreement, 1
 * otherwise.
 */
#include <lsdopt/lsdopt.h>

#include <ql/exercise.hpp>
#include <ql/instruments/vanillaoption.hpp>
#include <ql/pricingengines/vanilla/analyticeuropeanengine.hpp>
#include <ql/pricingengines/vanilla/jumpdiffusionengine.hpp>
#include <ql/processes/blackscholesprocess.hpp>
#include <ql/processes/merton76process.hpp>
#include <ql/quotes/simplequote.hpp>
#include <ql/settings.hpp>
#include <ql/termstructures/volatility/equityfx/blackconstantvol.hpp>
#include <ql/termstructures/yield/flatforward.hpp>
#include <ql/time/calendars/nullcalendar.hpp>
#include <ql/time/daycounters/actual365fixed.hpp>
#include <ql/version.hpp>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

namespace ql = QuantLib;

namespace {

const double rtol = 1e-12;
const double atol = 1e-13;

/* One valuation's inputs; T = days/365. */
struct inputs {
    lsd_option_type type;
    double spot, strike;
    int days;
    double rate, carry, vol;
    double intensity, mean, jump_vol; /* Merton only */
};

/* The greeks QuantLib reports, in our units. */
struct ql_greeks {
    double price, delta, gamma, vega, theta, rho, carry_rho;
};

/* QuantLib's market objects for one set of inputs. */
struct ql_market {
    ql::Date today;
    ql::ext::shared_ptr<ql::SimpleQuote> spot, rate, carry, vol;
    ql::Handle<ql::YieldTermStructure> rate_ts, carry_ts;
    ql::Handle<ql::BlackVolTermStructure> vol_ts;

    explicit ql_market(const inputs &in)
        : today(15, ql::May, 2023), spot(ql::ext::make_shared<ql::SimpleQuote>(in.spot)),
          rate(ql::ext::make_shared<ql::SimpleQuote>(in.rate)),
          carry(ql::ext::make_shared<ql::SimpleQuote>(in.carry)),
          vol(ql::ext::make_shared<ql::SimpleQuote>(in.vol))
    {
        ql::Settings::instance().evaluationDate() = today;
        const ql::DayCounter dc = ql::Actual365Fixed();
        rate_ts = ql::Handle<ql::YieldTermStructure>(
            ql::ext::make_shared<ql::FlatForward>(today, ql::Handle<ql::Quote>(rate), dc));
        carry_ts = ql::Handle<ql::YieldTermStructure>(
            ql::ext::make_shared<ql::FlatForward>(today, ql::Handle<ql::Quote>(carry), dc));
        vol_ts = ql::Handle<ql::BlackVolTermStructure>(ql::ext::make_shared<ql::BlackConstantVol>(
            today, ql::NullCalendar(), ql::Handle<ql::Quote>(vol), dc));
    }
};

ql_greeks run(const inputs &in, const ql::ext::shared_ptr<ql::PricingEngine> &engine,
              const ql::Date &today)
{
    const ql::Option::Type type = in.type == LSD_CALL ? ql::Option::Call : ql::Option::Put;
    ql::VanillaOption option(ql::ext::make_shared<ql::PlainVanillaPayoff>(type, in.strike),
                             ql::ext::make_shared<ql::EuropeanExercise>(today + in.days));
    option.setPricingEngine(engine);
    return { option.NPV(), option.delta(), option.gamma(), option.vega(),
             option.theta(), option.rho(), option.dividendRho() };
}

ql_greeks quantlib_bsm(const inputs &in)
{
    const ql_market m(in);
    const auto process = ql::ext::make_shared<ql::BlackScholesMertonProcess>(
        ql::Handle<ql::Quote>(m.spot), m.carry_ts, m.rate_ts, m.vol_ts);
    return run(in, ql::ext::make_shared<ql::AnalyticEuropeanEngine>(process), m.today);
}

ql_greeks quantlib_merton(const inputs &in)
{
    const ql_market m(in);
    const auto process = ql::ext::make_shared<ql::Merton76Process>(
        ql::Handle<ql::Quote>(m.spot), m.carry_ts, m.rate_ts, m.vol_ts,
        ql::Handle<ql::Quote>(ql::ext::make_shared<ql::SimpleQuote>(in.intensity)),
        ql::Handle<ql::Quote>(ql::ext::make_shared<ql::SimpleQuote>(in.mean)),
        ql::Handle<ql::Quote>(ql::ext::make_shared<ql::SimpleQuote>(in.jump_vol)));
    return run(in, ql::ext::make_shared<ql::JumpDiffusionEngine>(process, 1e-17, 10000), m.today);
}

lsd_greeks ours(const inputs &in, bool merton)
{
    const lsd_option opt = { in.type, in.strike, in.days / 365.0 };
    const lsd_market mkt = { in.spot, in.rate, in.carry, in.vol };
    const lsd_jumps jumps = { in.intensity, in.mean, in.jump_vol };
    lsd_greeks g;
    lsd_diag diag = { "" };
    const lsd_status st = merton ? lsd_merton_price(&opt, &mkt, &jumps, nullptr, &g, &diag)
                                 : lsd_bsm_price(&opt, &mkt, &g, &diag);
    if (st != LSD_OK)
        std::printf("lsdopt failed: %s (%s)\n", lsd_strerror(st), diag.message);
    return g;
}

const char *const names[7] = { "price", "delta", "gamma", "vega", "theta", "rho", "carry_rho" };

/*
 * QuantLib's theta is BlackCalculator::theta, −(ln D·V + ln(F/S)·S·Δ +
 * ½σ²T·S²Γ)/T: ln D = −rT and ln(F/S) = (r − q)T are recovered from the
 * rounded discount factors with absolute errors ~ε, which the division by T
 * turns into ~ε(|V| + S|Δ|)/T — 1e-12 relative at one day. Its theta is
 * trusted only to that.
 */
double theta_tol(const inputs &in, const ql_greeks &q)
{
    const double T = in.days / 365.0;
    return 2.0 * DBL_EPSILON * (std::fabs(q.price) + in.spot * std::fabs(q.delta)) / T;
}

/* Worst error/tolerance ratio per output, with where it happened. */
struct tally {
    const char *model;
    double worst_ratio[7] = {};
    double worst_rel[7] = {};
    inputs worst_at[7] = {};
    int cases = 0, failures = 0;

    void compare(const inputs &in, const lsd_greeks &g, const ql_greeks &q)
    {
        const double got[7] = { g.price, g.delta, g.gamma, g.vega, g.theta, g.rho, g.carry_rho };
        const double want[7] = { q.price, q.delta, q.gamma, q.vega, q.theta, q.rho, q.carry_rho };
        const double scale[7] = { in.spot, 1.0, 1.0 / in.spot, in.spot, in.spot, in.spot, in.spot };
        cases++;
        for (int i = 0; i < 7; i++) {
            const double err = std::fabs(got[i] - want[i]);
            double tol = std::fmax(rtol * std::fabs(want[i]), atol * scale[i]);
            if (i == 4)
                tol = std::fmax(tol, theta_tol(in, q));
            const double ratio = err / tol;
            if (!(ratio <= worst_ratio[i])) {
                worst_ratio[i] = ratio;
                worst_rel[i] = want[i] != 0.0 ? err / std::fabs(want[i]) : err;
                worst_at[i] = in;
            }
            if (!(ratio <= 1.0)) {
                failures++;
                std::printf("FAIL %s %s: lsdopt %.17g, QuantLib %.17g (err/tol %.3g) at ",
                            model, names[i], got[i], want[i], ratio);
                describe(in);
            }
        }
    }

    static void describe(const inputs &in)
    {
        std::printf("%s S=%.17g K=%.17g T=%d/365 r=%g q=%g vol=%g lambda=%g mu_J=%g "
                    "delta=%g\n",
                    in.type == LSD_CALL ? "call" : "put", in.spot, in.strike, in.days,
                    in.rate, in.carry, in.vol, in.intensity, in.mean, in.jump_vol);
    }

    void report() const
    {
        std::printf("%s: %d cases vs QuantLib %s; worst per output "
                    "(tol = max(%g |QuantLib|, %g scale)):\n",
                    model, cases, QL_VERSION, rtol, atol);
        for (int i = 0; i < 7; i++) {
            std::printf("  %-10s err/tol %.3g  rel %.3g  at ", names[i], worst_ratio[i],
                        worst_rel[i]);
            describe(worst_at[i]);
        }
    }
};

/* BSM over moneyness × expiry × vol × (r, q), calls and puts. */
int check_bsm()
{
    tally t{ "bsm" };
    const double moneyness[] = { 0.5, 0.8, 0.95, 1.0, 1.05, 1.25, 2.0 };
    const int days[] = { 1, 7, 30, 182, 365, 1825, 3650 };
    const double vols[] = { 0.05, 0.3, 0.8, 2.0 };
    const double rq[][2] = { { 0.045, 0.031 }, { 0.0, 0.0 }, { -0.01, 0.05 } };
    for (lsd_option_type type : { LSD_CALL, LSD_PUT })
        for (double k : moneyness)
            for (int d : days)
                for (double v : vols)
                    for (const auto &p : rq) {
                        const inputs in = { type, 3000.0, 3000.0 * k, d, p[0], p[1], v,
                                            0.0, 0.0, 0.0 };
                        t.compare(in, ours(in, false), quantlib_bsm(in));
                    }
    t.report();
    return t.failures;
}

/* Merton where QuantLib is right: λT ≤ 10, values far above QL_EPSILON. */
int check_merton()
{
    tally t{ "merton" };
    const double moneyness[] = { 0.8, 0.95, 1.0, 1.05, 1.25 };
    const int days[] = { 30, 182, 365, 1825 };
    const double vols[] = { 0.2, 0.6 };
    const double jumps[][3] = { { 0.5, -0.1, 0.15 }, { 2.0, -0.3, 0.2 }, { 1.0, 0.05, 0.1 },
                                { 5.0, -0.02, 0.05 } };
    for (lsd_option_type type : { LSD_CALL, LSD_PUT })
        for (double k : moneyness)
            for (int d : days)
                for (double v : vols)
                    for (const auto &j : jumps) {
                        const inputs in = { type, 100.0, 100.0 * k, d, 0.045, 0.031, v,
                                            j[0], j[1], j[2] };
                        if (in.intensity * d / 365.0 > 10.0)
                            continue;
                        t.compare(in, ours(in, true), quantlib_merton(in));
                    }
    t.report();
    return t.failures;
}

/* Where QuantLib 1.29 is wrong: print, never compare. */
void show_quantlib_failures()
{
    const inputs cases[] = {
        /* 10%-OTM one-week call, large jumps: the no-jump term is ~1e-44. */
        { LSD_CALL, 100.0, 110.0, 7, 0.0, 0.0, 0.05, 1.0, -0.125, 0.5 },
        /* λT = 200. */
        { LSD_CALL, 100.0, 100.0, 365, 0.05, 0.02, 0.2, 200.0, -0.01, 0.02 },
    };
    for (const inputs &in : cases) {
        const lsd_greeks g = ours(in, true);
        double q = NAN;
        try {
            q = quantlib_merton(in).price;
        } catch (const std::exception &e) {
            std::printf("QuantLib threw: %s\n", e.what());
        }
        std::printf("for information (QuantLib wrong here): lsdopt %.17g, QuantLib %.17g, at ",
                    g.price, q);
        tally::describe(in);
    }
}

} // namespace

int main()
{
    int failures = 0;
    try {
        failures += check_bsm();
        failures += check_merton();
        show_quantlib_failures();
    } catch (const std::exception &e) {
        std::printf("QuantLib error: %s\n", e.what());
        return 1;
    }
    std::printf("%s\n", failures == 0 ? "all agree" : "DISAGREEMENT");
    return failures == 0 ? 0 : 1;
}
