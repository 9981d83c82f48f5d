/*
 * paths.h — internal: exact simulation of a jump-diffusion log process at
 * discrete dates, the one path simulator of the analytics (hedge.c's
 * hedging error, collateral.c's liquidation). Not installed.
 *
 * Over a step of h years the log process moves by
 *
 *   ν·h + σ√h·Z + Σ_{k≤N} Y_k,   Z ~ N(0, 1),  N ~ Poisson(λh),
 *
 * with Y_k ~ N(μ_J, δ²) (Merton 1976 depeg jumps; their sum given N is
 * N(Nμ_J, Nδ²), drawn as Nμ_J + δ√N·Z') or Y_k = μ_J exactly (fixed jumps,
 * e.g. a slashing loss). The law of each increment is exact, so only the
 * monitoring is discrete (Glasserman, Monte Carlo Methods in Financial
 * Engineering, 2004, §3.5.1). Draws, in order per step: Z (if σ > 0), N (if
 * λ > 0), Z' (if N > 0 and the jumps are normal), by GSL's
 * gsl_ran_gaussian_ziggurat and gsl_ran_poisson on a gsl_rng_mt19937 the
 * caller seeds, so a seed fixes every number. ν includes whatever
 * compensation the caller's measure needs (−λκ for Merton).
 *
 * Layer: analytics (pricing/analytics/) — depends on core, models and curves.
 */
#ifndef LSD_PATHS_H
#define LSD_PATHS_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

/*
 * Monte Carlo control shared by the simulators: a horizon T monitored
 * every Δt has ⌈T/Δt − LSD_PATHS_STEP_SLACK⌉ steps. The slack absorbs the
 * rounding of T/Δt when T is a whole number of intervals (30/365 over
 * 1/365 is 30.000000000000004 in doubles, which would add a sliver step);
 * 1e-9 of a step is ~0.03 s for daily steps, far below any monitoring
 * interval, and far above the ~1e-15 relative error of the quotient.
 */
#define LSD_PATHS_STEP_SLACK 1e-9

/* The dynamics of the log process, per year. */
typedef struct lsd_paths_law {
    double drift;          /* ν, deterministic log drift per year */
    double vol;            /* σ ≥ 0, per √year */
    double jump_intensity; /* λ ≥ 0, jumps per year */
    double jump_mean;      /* μ_J, log size of a jump (its mean if normal) */
    double jump_vol;       /* δ ≥ 0, sd of a normal log jump */
    int normal_jumps;      /* 1: Y ~ N(μ_J, δ²), one Gaussian per step with jumps
                              (even when δ = 0); 0: Y = μ_J, nothing drawn */
} lsd_paths_law;

/* The coefficients of one step of h years (lsd_paths_step_over). */
typedef struct lsd_paths_step {
    double drift;      /* ν·h */
    double diffusion;  /* σ√h; no Gaussian drawn when 0 */
    double jump_count; /* λh, mean of N; no count drawn when 0 */
    double jump_mean;  /* μ_J */
    double jump_vol;   /* δ */
    int normal_jumps;  /* as lsd_paths_law */
} lsd_paths_step;

/* The step of h > 0 years under law. */
static inline lsd_paths_step lsd_paths_step_over(const lsd_paths_law *law, double h)
{
    const lsd_paths_step s = { law->drift * h, law->vol * sqrt(h), law->jump_intensity * h,
                               law->jump_mean, law->jump_vol, law->normal_jumps };
    return s;
}

/* x advanced by one step, the terms added in the order of the header. */
static inline double lsd_paths_advance(double x, const lsd_paths_step *s, gsl_rng *rng)
{
    x += s->drift;
    if (s->diffusion > 0.0)
        x += s->diffusion * gsl_ran_gaussian_ziggurat(rng, 1.0);
    if (s->jump_count > 0.0) {
        const unsigned int n = gsl_ran_poisson(rng, s->jump_count);
        if (n > 0)
            x += s->normal_jumps ? n * s->jump_mean + s->jump_vol * sqrt((double)n) *
                                                          gsl_ran_gaussian_ziggurat(rng, 1.0)
                                 : n * s->jump_mean;
    }
    return x;
}

/*
 * Steps covering horizon > 0 at interval > 0: ⌈horizon/interval −
 * LSD_PATHS_STEP_SLACK⌉, as a double (the caller bounds and converts it).
 */
double lsd_paths_step_count(double horizon, double interval);

/*
 * A gsl_rng_mt19937 seeded with seed (gsl_rng_set), or NULL when out of
 * memory (GSL's handler not reached: the allocation runs under the guard).
 * Free with gsl_rng_free.
 */
gsl_rng *lsd_paths_rng(unsigned long seed);

#endif /* LSD_PATHS_H */
