/*
 * collateral.c — liquidation risk of a borrow against liquid-staking tokens
 * (collateral.h): probability of liquidation within the horizon, expected
 * loss given liquidation, and the protective put.
 *
 * Work in x_t = ln H_t, the log health factor; x_0 = ln(N·V_0·LT/D) > 0 and
 * liquidation is the first monitored t with x_t < 0.
 *
 * Market oracle: x_t = x_0 + ν t + σW_t + (compensated jumps),
 *   ν = μ − σ²/2 − λκ − r_b.
 *   Without jumps and σ > 0, continuously monitored, the first passage of a
 *   drifted Brownian motion below 0 (reflection principle + Girsanov; Shreve,
 *   Stochastic Calculus for Finance II (2004), §7.2.1; Borodin & Salminen,
 *   Handbook of Brownian Motion, 2nd ed., 1.1.4 and 2.0.2):
 *     P(τ ≤ T) = Φ((−x_0 − νT)/(σ√T)) + e^{−2νx_0/σ²}·Φ((−x_0 + νT)/(σ√T)).
 *   The second term is formed as exp(−2νx_0/σ² + ln Φ) (gsl_sf_log_erfc) so
 *   it neither overflows nor loses the tail. Monitoring every Δt years is
 *   the continuous formula with the barrier moved away by βσ√Δt,
 *   β = −ζ(1/2)/√(2π) ≈ 0.5826 (Broadie, Glasserman & Kou, Mathematical
 *   Finance 7 (1997) 325–349, Theorem 1; error o(√Δt)).
 *   σ = 0 without jumps is deterministic: t* = x_0/(−ν) when ν < 0.
 *
 * Exchange-rate oracle: x_t = x_0 + a t − c M_t, a = y − r_b,
 *   c = −ln(1 − L), M_t Poisson(η). Liquidated at t iff M_t > b(t) =
 *   (x_0 + a t)/c, i.e. M_t ≥ ⌊b(t)⌋ + 1 slashing events.
 *   No slashing (η = 0 or L = 0): deterministic, t* = x_0/(r_b − y) when
 *   r_b > y, never otherwise.
 *   a ≤ 0: b(t) falls and M_t rises, so a crossing at any t ≤ T persists to T:
 *     P(τ ≤ T) = P(M_T > b(T)) = Q_Poisson(⌊b(T)⌋; ηT)  (= 1 if b(T) < 0),
 *   the same for any monitoring that includes T.
 *   a > 0: between slashing events the health recovers, so the count needed
 *   rises by one at each s_n = (n c − x_0)/a. On [s_{n}, s_{n+1}) the process
 *   is liquidated iff M_t > n, and since M only rises that is iff M at the
 *   interval's end exceeds n. So P(no liquidation by T) is propagated
 *   exactly interval by interval: the distribution of M on {not liquidated}
 *   is convolved with the Poisson(η·length) law and the mass above n is the
 *   probability liquidated in that interval (a finite sum, continuous
 *   monitoring). States beyond the cut of Poisson(ηT) whose proven tail
 *   bound is SLASHING_TAIL (poisson.h) are dropped (their mass is below it).
 *
 * Monte Carlo: exact simulation of x at the monitoring dates (every Δt and
 * T): Gaussian increment, Poisson jump count k and a N(kμ_J, kδ²) jump sum;
 * the path simulator of paths.h (GSL mt19937 seeded by the caller).
 * Loss given liquidation at τ: the liquidator repays the debt D_τ = D·e^{r_b τ}
 * and seizes collateral worth (1 + b)·D_τ, so the borrower pays the penalty
 * b·D_τ, capped by the equity left, max(N·V_τ − D_τ, 0) (bad debt beyond it
 * is the lender's). Quote asset at τ, not discounted.
 *
 * Protective put: N puts at K = D·e^{r_b T}/(N·LT) give
 * N·max(P_T, K)·LT ≥ D·e^{r_b T} at T — at the horizon only; the path can
 * still be liquidated before T. Priced by lsd_model_price (pricing/models/model.c).
 *
 * Layer: analytics (pricing/analytics/) — depends on core, models and curves.
 */
#include "collateral.h"

#include "diag.h"
#include "gsl_guard.h"
#include "model.h"
#include "paths.h"
#include "poisson.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_zeta.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>

/*
 * The slashing recursion keeps event counts up to the cut of Poisson(ηT)
 * whose proven tail bound (poisson.h) is SLASHING_TAIL: the mass dropped,
 * which bounds the error of prob_analytic, is then below 1e-18 absolute,
 * under one ulp of any probability above 1e-2 and far below the Monte
 * Carlo standard error it is compared with (≥ 1e-6 for 1e6 paths at
 * p ≥ 1e-6).
 */
#define SLASHING_TAIL 1e-18
/* Most intervals the exact exchange-rate recursion runs through. */
#define MAX_INTERVALS 1000000

lsd_status lsd_collateral_oracle_parse(const char *text, lsd_collateral_oracle *oracle, lsd_diag *diag)
{
    if (text == NULL || oracle == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "oracle: NULL argument");
    if (strcasecmp(text, "market") == 0) {
        *oracle = LSD_COLLATERAL_ORACLE_MARKET;
        return LSD_OK;
    }
    if (strcasecmp(text, "exchange-rate") == 0) {
        *oracle = LSD_COLLATERAL_ORACLE_EXCHANGE_RATE;
        return LSD_OK;
    }
    return lsd_diag_fail(diag, LSD_EPARSE, "oracle must be market or exchange-rate (got '%.64s')",
                    text);
}

const char *lsd_collateral_oracle_name(lsd_collateral_oracle oracle)
{
    switch (oracle) {
    case LSD_COLLATERAL_ORACLE_MARKET:
        return "market";
    case LSD_COLLATERAL_ORACLE_EXCHANGE_RATE:
        return "exchange-rate";
    }
    return "unknown";
}

static void set_nan(lsd_collateral_risk *out)
{
    const double nan = NAN;
    *out = (lsd_collateral_risk){ .health = nan,
                                  .prob_analytic = nan,
                                  .prob_analytic_monitored = nan,
                                  .liquidation_time = nan,
                                  .prob_mc = nan,
                                  .prob_mc_se = nan,
                                  .paths_liquidated = 0,
                                  .loss_given_liquidation = nan,
                                  .loss_given_liquidation_se = nan,
                                  .expected_loss = nan,
                                  .put_strike = nan,
                                  .put_price = nan,
                                  .put_cost = nan,
                                  .put_model = LSD_MODEL_BSM };
}

lsd_collateral_dynamics lsd_collateral_dynamics_from_position(const lsd_collateral *pos)
{
    return (lsd_collateral_dynamics){ .drift = pos != NULL ? pos->staking_yield : NAN,
                                      .rate = pos != NULL ? pos->borrow_rate : NAN };
}

static lsd_status check(const lsd_collateral *p, const lsd_collateral_dynamics *d,
                        const lsd_collateral_mc *mc, lsd_diag *diag)
{
    if (p->oracle != LSD_COLLATERAL_ORACLE_MARKET && p->oracle != LSD_COLLATERAL_ORACLE_EXCHANGE_RATE)
        return lsd_diag_fail(diag, LSD_EINVAL, "unknown oracle %d", (int)p->oracle);
    if (!(p->tokens > 0.0) || !isfinite(p->tokens))
        return lsd_diag_fail(diag, LSD_EDOM, "tokens must be finite and > 0 (got %g)", p->tokens);
    if (!(p->debt > 0.0) || !isfinite(p->debt))
        return lsd_diag_fail(diag, LSD_EDOM, "debt must be finite and > 0 (got %g)", p->debt);
    if (!(p->spot > 0.0) || !isfinite(p->spot))
        return lsd_diag_fail(diag, LSD_EDOM, "spot must be finite and > 0 (got %g)", p->spot);
    if (!(p->liquidation_threshold > 0.0 && p->liquidation_threshold <= 1.0))
        return lsd_diag_fail(diag, LSD_EDOM, "liquidation threshold must be in (0, 1] (got %g)",
                        p->liquidation_threshold);
    if (!(p->liquidation_bonus >= 0.0) || !isfinite(p->liquidation_bonus))
        return lsd_diag_fail(diag, LSD_EDOM, "liquidation bonus must be finite and >= 0 (got %g)",
                        p->liquidation_bonus);
    if (!isfinite(p->borrow_rate) || !isfinite(p->staking_yield))
        return lsd_diag_fail(diag, LSD_EDOM, "borrow rate and staking yield must be finite");
    if (!(p->horizon > 0.0) || !isfinite(p->horizon))
        return lsd_diag_fail(diag, LSD_EDOM, "horizon must be finite and > 0 (got %g)", p->horizon);
    if (!isfinite(d->drift) || !isfinite(d->rate) || !isfinite(d->carry))
        return lsd_diag_fail(diag, LSD_EDOM, "drift, rate and carry must be finite");
    if (!(d->vol >= 0.0) || !isfinite(d->vol))
        return lsd_diag_fail(diag, LSD_EDOM, "vol must be finite and >= 0 (got %g)", d->vol);
    if (!(d->jumps.intensity >= 0.0) || !isfinite(d->jumps.intensity) ||
        !isfinite(d->jumps.mean) || !(d->jumps.vol >= 0.0) || !isfinite(d->jumps.vol))
        return lsd_diag_fail(diag, LSD_EDOM, "jump intensity and jump vol must be finite and >= 0, "
                                        "jump mean finite");
    if (!(d->slashing_intensity >= 0.0) || !isfinite(d->slashing_intensity))
        return lsd_diag_fail(diag, LSD_EDOM, "slashing intensity must be finite and >= 0 (got %g)",
                        d->slashing_intensity);
    if (!(d->slashing_loss >= 0.0 && d->slashing_loss < 1.0))
        return lsd_diag_fail(diag, LSD_EDOM, "slashing loss must be in [0, 1) (got %g)",
                        d->slashing_loss);
    if (!(mc->monitor > 0.0) || !isfinite(mc->monitor))
        return lsd_diag_fail(diag, LSD_EDOM, "monitoring interval must be finite and > 0 (got %g)",
                        mc->monitor);
    if (mc->paths < 2)
        return lsd_diag_fail(diag, LSD_EDOM, "paths must be >= 2 (got %zu)", mc->paths);
    if (p->horizon / mc->monitor > 1e8)
        return lsd_diag_fail(diag, LSD_EDOM, "more than 1e8 monitoring dates (horizon %g / "
                                        "interval %g)", p->horizon, mc->monitor);
    return LSD_OK;
}

/* ln Φ(z), accurate in the far left tail. */
static double log_ugaussian_p(double z)
{
    return gsl_sf_log_erfc(-z / M_SQRT2) - M_LN2;
}

/* P(min_{t≤T} x_0 + νt + σW_t < 0), σ > 0, x_0 > 0 (first passage, see top). */
static double drifted_bm_passage(double x0, double nu, double sigma, double t)
{
    const double s = sigma * sqrt(t);
    const double p = gsl_cdf_ugaussian_P((-x0 - nu * t) / s) +
                     exp(-2.0 * nu * x0 / (sigma * sigma) + log_ugaussian_p((-x0 + nu * t) / s));
    return fmin(p, 1.0);
}

/*
 * Exchange-rate oracle with slashing and a = y − r_b > 0: P(liquidated by T)
 * by the interval recursion at the top of this file. *prob is NaN if more
 * than MAX_INTERVALS intervals or 1e6 expected events would be needed.
 */
static lsd_status slashing_rising(double x0, double a, double c, double eta, double t_end,
                                  double *prob)
{
    const double b_end = (x0 + a * t_end) / c;
    if (!(b_end - floor(x0 / c) <= MAX_INTERVALS && b_end < 4e9 && eta * t_end < 1e6)) {
        *prob = NAN;
        return LSD_OK;
    }
    size_t n = (size_t)floor(x0 / c); /* allowed events on the current interval */
    const size_t cap = (size_t)lsd_poisson_upper_cut(eta * t_end, SLASHING_TAIL);
    double *u = calloc(2 * (cap + 1), sizeof *u);
    if (u == NULL)
        return LSD_ENOMEM;
    double *pmf = u + cap + 1;
    u[0] = 1.0;
    double t = 0.0, killed = 0.0;
    for (;;) {
        const double s_next = ((double)(n + 1) * c - x0) / a;
        const double t_to = fmin(s_next, t_end);
        const double mean = eta * (t_to - t);
        const size_t top = n < cap ? n : cap;
        for (size_t k = 0; k <= top; k++)
            pmf[k] = lsd_poisson_pmf((long)k, mean);
        /* Mass leaving {M ≤ n}: liquidated in this interval. */
        for (size_t j = 0; j <= top; j++)
            if (u[j] > 0.0)
                killed += u[j] * gsl_cdf_poisson_Q((unsigned)(n - j), mean);
        for (size_t k = top + 1; k-- > 0;) {
            double sum = 0.0;
            for (size_t j = 0; j <= k; j++)
                sum += u[j] * pmf[k - j];
            u[k] = sum;
        }
        if (!(s_next < t_end))
            break;
        t = s_next;
        n++;
    }
    free(u);
    *prob = fmin(killed, 1.0);
    return LSD_OK;
}

/* The closed forms: prob_analytic, prob_analytic_monitored, liquidation_time. */
static lsd_status analytic(const lsd_collateral *p, const lsd_collateral_dynamics *d,
                           const lsd_collateral_mc *mc, double x0, lsd_collateral_risk *out)
{
    const double t_end = p->horizon;
    if (p->oracle == LSD_COLLATERAL_ORACLE_MARKET) {
        if (d->jumps.intensity > 0.0)
            return LSD_OK; /* no closed form with jumps: Monte Carlo only */
        const double nu = d->drift - 0.5 * d->vol * d->vol - p->borrow_rate;
        if (d->vol == 0.0) {
            out->liquidation_time = nu < 0.0 ? x0 / -nu : INFINITY;
            out->prob_analytic = out->liquidation_time < t_end ? 1.0 : 0.0;
            out->prob_analytic_monitored = out->prob_analytic;
            return LSD_OK;
        }
        const double beta = -gsl_sf_zeta(0.5) / sqrt(2.0 * M_PI);
        out->prob_analytic = drifted_bm_passage(x0, nu, d->vol, t_end);
        out->prob_analytic_monitored =
            drifted_bm_passage(x0 + beta * d->vol * sqrt(fmin(mc->monitor, t_end)), nu, d->vol,
                               t_end);
        return LSD_OK;
    }
    const double a = p->staking_yield - p->borrow_rate;
    const double c = -log1p(-d->slashing_loss);
    const double eta = d->slashing_intensity;
    if (eta == 0.0 || c == 0.0) {
        out->liquidation_time = a < 0.0 ? x0 / -a : INFINITY;
        out->prob_analytic = out->liquidation_time < t_end ? 1.0 : 0.0;
        out->prob_analytic_monitored = out->prob_analytic;
        return LSD_OK;
    }
    if (a <= 0.0) {
        const double b_end = (x0 + a * t_end) / c;
        /* NaN past the range of GSL's unsigned event count. */
        out->prob_analytic =
            b_end < 0.0 ? 1.0
                        : (b_end < 4e9 ? gsl_cdf_poisson_Q((unsigned)floor(b_end), eta * t_end)
                                       : NAN);
        out->prob_analytic_monitored = out->prob_analytic;
        return LSD_OK;
    }
    return slashing_rising(x0, a, c, eta, t_end, &out->prob_analytic);
}

/* Monte Carlo over the monitoring dates; fills the prob_mc and loss fields. */
static lsd_status simulate(const lsd_collateral *p, const lsd_collateral_dynamics *d,
                           const lsd_collateral_mc *mc, double x0, lsd_collateral_risk *out)
{
    gsl_rng *rng = lsd_paths_rng(mc->seed);
    if (rng == NULL)
        return LSD_ENOMEM;
    const double t_end = p->horizon, dt = mc->monitor;
    const size_t steps = (size_t)lsd_paths_step_count(t_end, dt);
    const double c = -log1p(-d->slashing_loss);
    lsd_paths_law law;
    if (p->oracle == LSD_COLLATERAL_ORACLE_MARKET) {
        const double lam = d->jumps.intensity;
        const double kappa = expm1(d->jumps.mean + 0.5 * d->jumps.vol * d->jumps.vol);
        law = (lsd_paths_law){ d->drift - 0.5 * d->vol * d->vol - lam * kappa - p->borrow_rate,
                               d->vol, lam, d->jumps.mean, d->jumps.vol, 1 };
    } else { /* slashing: fixed log jumps −c at rate η (none when c = 0) */
        law = (lsd_paths_law){ p->staking_yield - p->borrow_rate, 0.0,
                               c > 0.0 ? d->slashing_intensity : 0.0, -c, 0.0, 0 };
    }
    size_t hit = 0;
    double loss_mean = 0.0, loss_m2 = 0.0; /* Welford's running mean and sum of squares */
    for (size_t path = 0; path < mc->paths; path++) {
        double x = x0, t = 0.0;
        for (size_t i = 1; i <= steps; i++) {
            const double t_next = i == steps ? t_end : (double)i * dt;
            const lsd_paths_step step = lsd_paths_step_over(&law, t_next - t);
            x = lsd_paths_advance(x, &step, rng);
            t = t_next;
            if (x < 0.0) {
                const double debt = p->debt * exp(p->borrow_rate * t);
                const double value = debt * exp(x) / p->liquidation_threshold;
                const double loss =
                    fmin(p->liquidation_bonus * debt, fmax(value - debt, 0.0));
                hit++;
                const double dev = loss - loss_mean;
                loss_mean += dev / (double)hit;
                loss_m2 += dev * (loss - loss_mean);
                break;
            }
        }
    }
    gsl_rng_free(rng);
    const double n = (double)mc->paths;
    out->paths_liquidated = hit;
    out->prob_mc = (double)hit / n;
    out->prob_mc_se = sqrt(out->prob_mc * (1.0 - out->prob_mc) / n);
    if (hit > 0) {
        out->loss_given_liquidation = loss_mean;
        out->loss_given_liquidation_se =
            hit > 1 ? sqrt(loss_m2 / (double)(hit - 1) / (double)hit) : NAN;
        out->expected_loss = out->prob_mc * loss_mean;
    } else {
        out->expected_loss = 0.0;
    }
    return LSD_OK;
}

lsd_status lsd_collateral_assess(const lsd_collateral *pos, const lsd_collateral_dynamics *dyn,
                                 const lsd_collateral_mc *mc, lsd_collateral_risk *out,
                                 lsd_diag *diag)
{
    if (out == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "collateral: NULL output");
    set_nan(out);
    if (pos == NULL || dyn == NULL || mc == NULL)
        return lsd_diag_fail(diag, LSD_EINVAL, "collateral: NULL argument");
    lsd_status st = check(pos, dyn, mc, diag);
    if (st != LSD_OK)
        return st;
    const double health =
        pos->tokens * pos->spot * pos->liquidation_threshold / pos->debt;
    if (!(health > 1.0))
        return lsd_diag_fail(diag, LSD_EDOM, "health factor N*spot*LT/debt = %g: already "
                                        "liquidatable (must be > 1)", health);
    const double x0 = log(health);

    lsd_collateral_risk r;
    set_nan(&r);
    r.health = health;
    /* The closed forms call GSL's special functions and Poisson CDF, which
     * raise for some extreme inputs (e.g. Q(k; μ) near the mode at μ ~ 1e7):
     * a raised error is this call's error. */
    lsd_gsl_guard guard;
    lsd_gsl_guard_enter(&guard);
    st = analytic(pos, dyn, mc, x0, &r);
    lsd_gsl_guard_leave(&guard);
    if (st == LSD_OK && guard.gsl_errno != 0)
        return lsd_diag_fail(diag, lsd_gsl_guard_status(&guard),
                             "collateral: closed form failed in GSL (%s)", guard.reason);
    if (st == LSD_OK)
        st = simulate(pos, dyn, mc, x0, &r);
    if (st != LSD_OK)
        return lsd_diag_fail(diag, st, "collateral: out of memory");

    r.put_strike = pos->debt * exp(pos->borrow_rate * pos->horizon) /
                   (pos->tokens * pos->liquidation_threshold);
    r.put_model = dyn->jumps.intensity > 0.0 ? LSD_MODEL_MERTON : LSD_MODEL_BSM;
    if (dyn->vol > 0.0) {
        const lsd_option put = { .type = LSD_PUT, .strike = r.put_strike,
                                 .expiry = pos->horizon };
        const lsd_market mkt = { .spot = pos->spot, .rate = dyn->rate, .carry = dyn->carry,
                                 .vol = dyn->vol };
        lsd_greeks g;
        const lsd_model_params params = lsd_model_params_of(r.put_model, &dyn->jumps);
        st = lsd_model_price(&put, &mkt, &params, LSD_ENGINE_AUTO, &g, diag);
        if (st != LSD_OK)
            return st;
        r.put_price = g.price;
        r.put_cost = pos->tokens * g.price;
    }
    *out = r;
    return LSD_OK;
}
