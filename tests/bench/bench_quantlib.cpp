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
 *
 * Heston and Bates (issue 11 §4), on bench_inputs.h's model books (the
 * seeds bench_pricing uses): AnalyticHestonEngine and BatesEngine at equal
 * accuracy. The reference V* is lsdopt's COS at tol 1e-15; the tightest
 * QuantLib configuration is held against it ("ql_*_reference_check"), so
 * the reference is not lsdopt's word alone. Each QuantLib configuration of
 * a ladder (QuantLib's default Gauss–Laguerre 144; adaptive Gauss–Lobatto
 * at relative tolerances 1e-8 … 1e-14; for Heston also Andersen–Piterbarg's
 * control variate with Gauss–Lobatto) is priced once over the book, its
 * error |V − V*| / max(V*, 1e-2·S) (relative, issue 11's floor 1e-12·S at
 * 1e-10) and the CPU time of that pass printed ("ql_*_ladder"); the
 * fastest configuration within 1e-10 is then timed properly:
 *
 *   ql_heston_ns_per_option          AnalyticHestonEngine, equal accuracy
 *   ql_heston_default_ns_per_option  AnalyticHestonEngine(model), 144 nodes
 *   ql_bates_ns_per_option           BatesEngine, equal accuracy
 *   ql_bates_default_ns_per_option   BatesEngine(model), 144 nodes
 *
 * with "*_err" lines giving each timed configuration's error. Per option
 * the timed work is: set spot, rate and carry quotes, set the model's
 * parameters (CalibratedModel::setParams, which rebuilds its process, as a
 * calibration does), build the VanillaOption, attach the engine, read NPV
 * (QuantLib's Heston engines give no greeks; lsdopt's timing includes its
 * nine other outputs).
 */
#include "bench_inputs.h"
#include "bench_timing.h"

#include <ql/exercise.hpp>
#include <ql/instruments/vanillaoption.hpp>
#include <ql/models/equity/batesmodel.hpp>
#include <ql/models/equity/hestonmodel.hpp>
#include <ql/pricingengines/vanilla/analyticeuropeanengine.hpp>
#include <ql/pricingengines/vanilla/analytichestonengine.hpp>
#include <ql/pricingengines/vanilla/batesengine.hpp>
#include <ql/pricingengines/vanilla/jumpdiffusionengine.hpp>
#include <ql/processes/batesprocess.hpp>
#include <ql/processes/blackscholesprocess.hpp>
#include <ql/processes/hestonprocess.hpp>
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
#include <functional>
#include <string>
#include <sysexits.h>
#include <time.h>
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

// ---- Heston and Bates ------------------------------------------------------

// The accuracy of the equal-accuracy comparison, and the reference's COS tol.
constexpr double target_err = 1e-10;
constexpr double reference_tol = 1e-15;

// A Heston or Bates model on the market's spot, rate and carry quotes; its
// parameters are set per option. Heston's arguments are (θ, κ, σ, ρ, v0),
// Bates's add (ν, δ, λ) with ν = E[ln J] = lsdopt's μ_J (DESIGN.md).
struct QlStochVol {
    ql::ext::shared_ptr<ql::HestonModel> model;
    bool bates;

    QlStochVol(const QlMarket &m, bool with_jumps) : bates(with_jumps)
    {
        const ql::Handle<ql::Quote> s0(m.spot);
        if (bates)
            model = ql::ext::make_shared<ql::BatesModel>(ql::ext::make_shared<ql::BatesProcess>(
                m.rate_ts, m.carry_ts, s0, 0.4, 2.0, 0.4, 1.0, -0.3, 1.0, -0.1, 0.05));
        else
            model = ql::ext::make_shared<ql::HestonModel>(ql::ext::make_shared<ql::HestonProcess>(
                m.rate_ts, m.carry_ts, s0, 0.4, 2.0, 0.4, 1.0, -0.3));
    }

    void set(const lsd_model_params &p) const
    {
        const lsd_heston &h = p.heston;
        ql::Array args(bates ? 8 : 5);
        args[0] = h.theta;
        args[1] = h.kappa;
        args[2] = h.sigma;
        args[3] = h.rho;
        args[4] = h.v0;
        if (bates) {
            args[5] = p.jumps.mean;
            args[6] = p.jumps.vol;
            args[7] = p.jumps.intensity;
        }
        model->setParams(args);
    }
};

// An engine on the model.
using EngineFactory =
    std::function<ql::ext::shared_ptr<ql::PricingEngine>(const ql::ext::shared_ptr<ql::HestonModel> &)>;

// One rung of the ladder: its name (as printed) and its engine.
struct Rung {
    std::string name;
    EngineFactory make;
};

struct SvPass {
    const std::vector<lsd_bench_model_case> *cases;
    const QlMarket *market;
    const QlStochVol *sv;
    ql::ext::shared_ptr<ql::PricingEngine> engine;
    std::vector<double> *prices; // if not null, receives each option's NPV
};

double sv_pass(void *ctx, long *failures)
{
    const SvPass &p = *static_cast<const SvPass *>(ctx);
    const QlMarket &m = *p.market;
    double acc = 0.0;
    for (std::size_t i = 0; i < p.cases->size(); ++i) {
        const lsd_bench_model_case &c = (*p.cases)[i];
        double npv = NAN;
        try {
            m.spot->setValue(c.mkt.spot);
            m.rate->setValue(c.mkt.rate);
            m.carry->setValue(c.mkt.carry);
            p.sv->set(c.params);
            ql::VanillaOption option(
                ql::ext::make_shared<ql::PlainVanillaPayoff>(
                    c.opt.type == LSD_CALL ? ql::Option::Call : ql::Option::Put, c.opt.strike),
                ql::ext::make_shared<ql::EuropeanExercise>(m.today + c.expiry_days));
            option.setPricingEngine(p.engine);
            npv = option.NPV();
            acc += npv;
        } catch (const std::exception &) {
            ++*failures;
        }
        if (p.prices != nullptr)
            (*p.prices)[i] = npv;
    }
    return acc;
}

// max |V − V*| / max(V*, 1e-2·S) over the book; NaN counts as infinite.
double max_error(const std::vector<lsd_bench_model_case> &cases, const std::vector<double> &v,
                 const std::vector<double> &ref)
{
    double worst = 0.0;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const double err =
            std::fabs(v[i] - ref[i]) / std::max(std::fabs(ref[i]), 1e-2 * cases[i].mkt.spot);
        worst = std::isnan(err) ? INFINITY : std::max(worst, err);
    }
    return worst;
}

// This thread's CPU time, s (the ladder's passes are compared by it: wall
// time on a shared machine would pick by the neighbours' load).
double cpu_seconds_now()
{
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

// One pass of a rung: its prices' error and CPU ns per option.
struct RungResult {
    double err, ns;
    long failures;
};

RungResult try_rung(const std::vector<lsd_bench_model_case> &cases, const QlMarket &market,
                    const QlStochVol &sv, const Rung &rung, const std::vector<double> &ref)
{
    std::vector<double> prices(cases.size());
    SvPass p{ &cases, &market, &sv, rung.make(sv.model), &prices };
    long failures = 0;
    const double start = cpu_seconds_now();
    sv_pass(&p, &failures);
    const double ns = 1e9 * (cpu_seconds_now() - start) / (double)cases.size();
    return RungResult{ max_error(cases, prices, ref), ns, failures };
}

// Time a rung properly and print "<key> ..." and "<key>_err ...".
long time_rung(const char *key, const std::vector<lsd_bench_model_case> &cases,
               const QlMarket &market, const QlStochVol &sv, const Rung &rung, double err)
{
    SvPass p{ &cases, &market, &sv, rung.make(sv.model), nullptr };
    const lsd_bench_timing t = lsd_bench_time(sv_pass, &p, cases.size(), min_rep_seconds, reps);
    std::printf("%s_err %.3g (max |V - V*| / max(V*, 1e-2 S) over %zu options)\n", key, err,
                cases.size());
    std::printf("%s_config: %s\n", key, rung.name.c_str());
    lsd_bench_print(key, &t, cases.size());
    return t.failures;
}

// The Heston or Bates benchmark: reference, its check, the ladder, the
// timed default and equal-accuracy configurations. Returns the failures.
long bench_stoch_vol(const char *name, lsd_model model, unsigned long seed,
                     const QlMarket &market, const std::vector<Rung> &ladder,
                     const Rung &tightest)
{
    std::vector<lsd_bench_model_case> cases(LSD_BENCH_MODEL_BOOK_SIZE);
    if (lsd_bench_model_cases_fill(cases.data(), cases.size(), model, seed) != LSD_OK) {
        std::fprintf(stderr, "bench_quantlib: out of memory\n");
        return 1;
    }
    long failures = 0;
    std::vector<double> ref(cases.size());
    lsd_cos_control ctl = lsd_cos_control_default();
    ctl.tol = reference_tol;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        lsd_greeks g;
        if (lsd_cos_price(&cases[i].opt, &cases[i].mkt, &cases[i].params, &ctl, &g, nullptr) !=
            LSD_OK)
            ++failures;
        ref[i] = g.price;
    }
    const QlStochVol sv(market, model == LSD_MODEL_BATES);
    const RungResult check = try_rung(cases, market, sv, tightest, ref);
    std::printf("ql_%s_reference_check %.3g (QuantLib %s against lsdopt COS tol %g: max |V_QL -"
                " V*| / max(V*, 1e-2 S))\n",
                name, check.err, tightest.name.c_str(), reference_tol);
    failures += check.failures;

    const Rung *equal = nullptr;
    double equal_ns = INFINITY, equal_err = INFINITY, default_err = INFINITY;
    for (const Rung &rung : ladder) {
        const RungResult r = try_rung(cases, market, sv, rung, ref);
        failures += r.failures;
        std::printf("ql_%s_ladder: %s: max error %.3g, %.0f ns/option (CPU, one pass)\n", name,
                    rung.name.c_str(), r.err, r.ns);
        if (&rung == &ladder.front())
            default_err = r.err;
        if (r.err <= target_err && r.ns < equal_ns) {
            equal = &rung;
            equal_ns = r.ns;
            equal_err = r.err;
        }
    }
    const std::string key = std::string("ql_") + name + "_ns_per_option";
    const std::string dkey = std::string("ql_") + name + "_default_ns_per_option";
    if (equal != nullptr)
        failures += time_rung(key.c_str(), cases, market, sv, *equal, equal_err);
    else
        std::printf("%s none (no configuration of the ladder is within %g)\n", key.c_str(),
                    target_err);
    failures += time_rung(dkey.c_str(), cases, market, sv, ladder.front(), default_err);
    return failures;
}

// The ladders, QuantLib's default first: Gauss–Laguerre of several orders
// (Gatheral's form; for Heston also with QuantLib's optimal control
// variate), adaptive Gauss–Lobatto at several tolerances.
std::vector<Rung> heston_ladder()
{
    using Engine = ql::AnalyticHestonEngine;
    std::vector<Rung> ladder{ { "Gauss-Laguerre 144 (default)", [](const auto &m) {
                                   return ql::ext::make_shared<Engine>(m, 144);
                               } } };
    char name[96];
    for (ql::Size order : { 32, 48, 64, 96, 128, 192 }) {
        std::snprintf(name, sizeof name, "Gauss-Laguerre %zu", order);
        ladder.push_back({ name, [order](const auto &m) {
                              return ql::ext::make_shared<Engine>(m, order);
                          } });
    }
    for (ql::Size order : { 32, 64, 128 }) {
        std::snprintf(name, sizeof name, "OptimalCV, Gauss-Laguerre %zu", order);
        ladder.push_back({ name, [order](const auto &m) {
                              return ql::ext::make_shared<Engine>(
                                  m, Engine::OptimalCV, Engine::Integration::gaussLaguerre(order));
                          } });
    }
    for (double tol : { 1e-10, 1e-12, 1e-14 }) {
        std::snprintf(name, sizeof name, "Gauss-Lobatto rel tol %g", tol);
        ladder.push_back({ name, [tol](const auto &m) {
                              return ql::ext::make_shared<Engine>(m, tol, 100000);
                          } });
    }
    return ladder;
}

std::vector<Rung> bates_ladder()
{
    const auto bates = [](const ql::ext::shared_ptr<ql::HestonModel> &m) {
        return ql::ext::dynamic_pointer_cast<ql::BatesModel>(m);
    };
    std::vector<Rung> ladder{ { "Gauss-Laguerre 144 (default)", [bates](const auto &m) {
                                   return ql::ext::make_shared<ql::BatesEngine>(bates(m), 144);
                               } } };
    char name[64];
    for (ql::Size order : { 32, 48, 64, 96, 128, 192 }) {
        std::snprintf(name, sizeof name, "Gauss-Laguerre %zu", order);
        ladder.push_back({ name, [bates, order](const auto &m) {
                              return ql::ext::make_shared<ql::BatesEngine>(bates(m), order);
                          } });
    }
    for (double tol : { 1e-10, 1e-12, 1e-14 }) {
        std::snprintf(name, sizeof name, "Gauss-Lobatto rel tol %g", tol);
        ladder.push_back({ name, [bates, tol](const auto &m) {
                              return ql::ext::make_shared<ql::BatesEngine>(bates(m), tol, 100000);
                          } });
    }
    return ladder;
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
    const std::vector<Rung> hl = heston_ladder(), bl = bates_ladder();
    failures += bench_stoch_vol("heston", LSD_MODEL_HESTON, LSD_BENCH_SEED + 1, market, hl,
                                hl.back());
    failures += bench_stoch_vol("bates", LSD_MODEL_BATES, LSD_BENCH_SEED + 2, market, bl,
                                bl.back());
    if (failures != 0) {
        std::fprintf(stderr, "bench_quantlib: %ld QuantLib calls threw\n", failures);
        return 1;
    }
    return 0;
}
