/*
 * bench_inputs.c — draws the benchmark's option book (distributions in
 * bench_inputs.h) with GSL's MT19937 generator.
 */
#include "bench_inputs.h"

#include <gsl/gsl_rng.h>

/* A draw from U(lo, hi). */
static double uniform(gsl_rng *rng, double lo, double hi)
{
    return lo + (hi - lo) * gsl_rng_uniform(rng);
}

lsd_status lsd_bench_cases_fill(lsd_bench_case *cases, size_t n, unsigned long seed)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (rng == NULL)
        return LSD_ENOMEM;
    gsl_rng_set(rng, seed);
    for (size_t i = 0; i < n; ++i) {
        lsd_bench_case *c = &cases[i];
        c->opt.type = gsl_rng_uniform_int(rng, 2) == 0 ? LSD_CALL : LSD_PUT;
        c->mkt.spot = uniform(rng, 1500.0, 4500.0);
        c->opt.strike = c->mkt.spot * uniform(rng, 0.5, 1.5);
        c->expiry_days = 1 + (int)gsl_rng_uniform_int(rng, 730);
        c->opt.expiry = c->expiry_days / 365.0;
        c->mkt.rate = uniform(rng, 0.0, 0.06);
        c->mkt.carry = uniform(rng, 0.025, 0.045);
        c->mkt.vol = uniform(rng, 0.3, 1.2);
        c->jumps.intensity = uniform(rng, 0.1, 5.0);
        c->jumps.mean = uniform(rng, -0.2, -0.01);
        c->jumps.vol = uniform(rng, 0.01, 0.1);
    }
    gsl_rng_free(rng);
    return LSD_OK;
}
