/*
 * bench_quantlib.cpp — the same single-threaded benchmark as bench_pricing,
 * run through QuantLib 1.29, so lsdopt's numbers stand next to QuantLib's on
 * the same machine and the same book (bench_inputs.h):
 *
 *   ql_analytic_ns_per_option        AnalyticEuropeanEngine: NPV, delta,
 *                                    gamma, vega, theta, rho, dividendRho
 *   ql_jump_diffusion_ns_per_option  JumpDiffusionEngine, the same outputs,
 *                                    relativeAccuracy 1e-12 (lsdopt's order
 *                                    of accuracy; maxIterations 1000)
 *   ql_jump_diffusion_default_ns_per_option
 *                                    JumpDiffusionEngine with QuantLib's
 *                                    defaults (relativeAccuracy 1e-4, 100)
 *
 * Per option the timed work is what a QuantLib user does: set the market
 * quotes (spot, rate, carry, vol, jumps: SimpleQuotes behind flat curves
 * built once), build the VanillaOption, attach the engine, read the results.
 * Dates: evaluation date 2 Jan 2025, expiry that plus expiry_days, ACT/365F,
 * so T is exactly lsdopt's expiry_days/365; rates continuously compounded.
 *
 * Untimed, each engine's prices are compared with lsdopt's on the whole book
 * ("ql_*_price_rel_diff", see price_diff), which checks that both programs
 * price the same options to the accuracy claimed.
 */
#include "bench_inputs.h"
#include "bench_timing.h"

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

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <sysexits.h>
#include <vector>

namespace ql = QuantLib;

namespace {

constexpr double min_rep_seconds = 0.2;
constexpr int reps = 5;

ql::ext::shared_ptr<ql::SimpleQuote> quote()
{
    return ql::ext::make_shared<ql::SimpleQuote>(0.0);
}

// Quotes, flat curves and process on them; no engine yet.
struct QlMarket {
    ql::Date today{ 2, ql::January, 2025 };
    ql::ext::shared_ptr<ql::SimpleQuote> spot = quote(), rate = quote(), carry = quote(),
                                         vol = quote(), intensity = quote(),
                                         jump_mean = quote(), jump_vol = quote();
    ql::DayCounter dc = ql::Actual365Fixed();
    ql::Handle<ql::YieldTermStructure> rate_ts{ ql::ext::make_shared<ql::FlatForward>(
        today, ql::Handle<ql::Quote>(rate), dc) };
    ql::Handle<ql::YieldTermStructure> carry_ts{ ql::ext::make_shared<ql::FlatForward>(
        today, ql::Handle<ql::Quote>(carry), dc) };
    ql::Handle<ql::BlackVolTermStructure> vol_ts{ ql::ext::make_shared<ql::BlackConstantVol>(
        today, ql::NullCalendar(), ql::Handle<ql::Quote>(vol), dc) };

    ql::ext::shared_ptr<ql::PricingEngine> analytic() const
    {
        auto process = ql::ext::make_shared<ql::BlackScholesMertonProcess>(
            ql::Handle<ql::Quote>(spot), carry_ts, rate_ts, vol_ts);
        return ql::ext::make_shared<ql::AnalyticEuropeanEngine>(process);
    }

    ql::ext::shared_ptr<ql::PricingEngine> jump_diffusion(double rel_accuracy,
                                                         ql::Size max_iterations) const
    {
        auto process = ql::ext::make_shared<ql::Merton76Process>(
            ql::Handle<ql::Quote>(spot), carry_ts, rate_ts, vol_ts,
            ql::Handle<ql::Quote>(intensity), ql::Handle<ql::Quote>(jump_mean),
            ql::Handle<ql::Quote>(jump_vol));
        return ql::ext::make_shared<ql::JumpDiffusionEngine>(process, rel_accuracy,
                                                             max_iterations);
    }
};

struct Pass {
    const std::vector<lsd_bench_case> *cases;
    const QlMarket *market;
    ql::ext::shared_ptr<ql::PricingEngine> engine;
    bool with_jumps;
    std::vector<double> *prices; // if not null, receives each option's NPV
};

// Price one option through QuantLib; returns the sum of NPV and greeks.
double price_one(const Pass &p, const lsd_bench_case &c, double *npv)
{
    const QlMarket &m = *p.market;
    m.spot->setValue(c.mkt.spot);
    m.rate->setValue(c.mkt.rate);
    m.carry->setValue(c.mkt.carry);
    m.vol->setValue(c.mkt.vol);
    if (p.with_jumps) {
        m.intensity->setValue(c.jumps.intensity);
        m.jump_mean->setValue(c.jumps.mean);
        m.jump_vol->setValue(c.jumps.vol);
    }
    ql::VanillaOption option(
        ql::ext::make_shared<ql::PlainVanillaPayoff>(
            c.opt.type == LSD_CALL ? ql::Option::Call : ql::Option::Put, c.opt.strike),
        ql::ext::make_shared<ql::EuropeanExercise>(m.today + c.expiry_days));
    option.setPricingEngine(p.engine);
    *npv = option.NPV();
    return *npv + option.delta() + option.gamma() + option.vega() + option.theta() +
           option.rho() + option.dividendRho();
}

double ql_pass(void *ctx, long *failures)
{
    const Pass &p = *static_cast<const Pass *>(ctx);
    double acc = 0.0;
    for (std::size_t i = 0; i < p.cases->size(); ++i) {
        double npv = NAN;
        try {
            acc += price_one(p, (*p.cases)[i], &npv);
        } catch (const std::exception &) {
            ++*failures;
        }
        if (p.prices != nullptr)
            (*p.prices)[i] = npv;
    }
    return acc;
}

// How far QuantLib's prices are from lsdopt's over the book: the largest
// relative difference among prices >= 1e-6·S, and the largest absolute
// difference in units of S over all. Below that size QuantLib's prices are
// rounding noise (F·N(d1) − K·N(d2) cancels) and its cumulative normal loses
// relative accuracy in the lower tail (1.3e-8 relative at z = −6).
struct PriceDiff {
    double rel, abs_per_spot;
};

PriceDiff price_diff(const std::vector<lsd_bench_case> &cases,
                     const std::vector<double> &ql_prices, bool with_jumps)
{
    PriceDiff d{ 0.0, 0.0 };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const lsd_bench_case &c = cases[i];
        lsd_greeks g;
        const lsd_status st =
            with_jumps ? lsd_merton_price(&c.opt, &c.mkt, &c.jumps, nullptr, &g, nullptr)
                       : lsd_bsm_price(&c.opt, &c.mkt, &g, nullptr);
        if (st != LSD_OK || !std::isfinite(ql_prices[i]))
            return PriceDiff{ INFINITY, INFINITY };
        const double diff = std::fabs(ql_prices[i] - g.price);
        d.abs_per_spot = std::max(d.abs_per_spot, diff / c.mkt.spot);
        if (g.price >= 1e-6 * c.mkt.spot)
            d.rel = std::max(d.rel, diff / g.price);
    }
    return d;
}

// Time one engine over the book and print its line; returns its failures.
long run(const char *key, const char *diff_key, const std::vector<lsd_bench_case> &cases,
         const QlMarket &market, ql::ext::shared_ptr<ql::PricingEngine> engine,
         bool with_jumps)
{
    std::vector<double> prices(cases.size());
    Pass p{ &cases, &market, std::move(engine), with_jumps, &prices };
    long failures = 0;
    ql_pass(&p, &failures);
    const PriceDiff d = price_diff(cases, prices, with_jumps);
    std::printf("%s %.3g (max |V_QL/V_lsd - 1| over V >= 1e-6 S; max |V_QL - V_lsd|/S over"
                " all: %.3g)\n",
                diff_key, d.rel, d.abs_per_spot);

    p.prices = nullptr;
    const lsd_bench_timing t = lsd_bench_time(ql_pass, &p, cases.size(), min_rep_seconds, reps);
    lsd_bench_print(key, &t, cases.size());
    return failures + t.failures;
}

} // namespace

int main()
{
    std::vector<lsd_bench_case> cases(LSD_BENCH_BOOK_SIZE);
    if (lsd_bench_cases_fill(cases.data(), cases.size(), LSD_BENCH_SEED) != LSD_OK) {
        std::fprintf(stderr, "bench_quantlib: out of memory\n");
        return EX_OSERR;
    }
    QlMarket market;
    ql::Settings::instance().evaluationDate() = market.today;

    long failures = 0;
    failures += run("ql_analytic_ns_per_option", "ql_analytic_price_rel_diff", cases,
                    market, market.analytic(), false);
    failures += run("ql_jump_diffusion_ns_per_option", "ql_jump_diffusion_price_rel_diff",
                    cases, market, market.jump_diffusion(1e-12, 1000), true);
    failures += run("ql_jump_diffusion_default_ns_per_option",
                    "ql_jump_diffusion_default_price_rel_diff", cases, market,
                    market.jump_diffusion(1e-4, 100), true);
    if (failures != 0) {
        std::fprintf(stderr, "bench_quantlib: %ld QuantLib calls threw\n", failures);
        return 1;
    }
    return 0;
}
