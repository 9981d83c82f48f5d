/*
 * paths.c — the step count and the seeded generator of the path simulator
 * (paths.h; the step itself is inline there, on the simulators' hot loop).
 *
 * Layer: analytics (pricing/analytics/) — depends on core, models and curves.
 */
#include "paths.h"

#include "gsl_guard.h"

double lsd_paths_step_count(double horizon, double interval)
{
    return ceil(horizon / interval - LSD_PATHS_STEP_SLACK);
}

gsl_rng *lsd_paths_rng(unsigned long seed)
{
    lsd_gsl_guard guard;
    lsd_gsl_guard_enter(&guard);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    lsd_gsl_guard_leave(&guard);
    if (rng != NULL)
        gsl_rng_set(rng, seed);
    return rng;
}
