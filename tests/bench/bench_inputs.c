/*
 * bench_inputs.c — draws the benchmark's option books (distributions in
 * bench_inputs.h) with GSL's MT19937 generator.
 */
#include "bench_inputs.h"

#include <gsl/gsl_rng.h>
#include <math.h>

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

double lsd_bench_log_sd(const lsd_model_params *params, double expiry)
{
    const lsd_heston *h = &params->heston;
    const double kt = h->kappa * expiry;
    double var = h->theta * expiry - (h->v0 - h->theta) * expm1(-kt) / h->kappa;
    if (params->model == LSD_MODEL_BATES) {
        const lsd_jumps *j = &params->jumps;
        var += j->intensity * (j->mean * j->mean + j->vol * j->vol) * expiry;
    }
    return sqrt(var);
}

lsd_status lsd_bench_model_cases_fill(lsd_bench_model_case *cases, size_t n, lsd_model model,
                                      unsigned long seed)
{
    if (model != LSD_MODEL_HESTON && model != LSD_MODEL_BATES && model != LSD_MODEL_KOU)
        return LSD_EINVAL;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (rng == NULL)
        return LSD_ENOMEM;
    gsl_rng_set(rng, seed);
    for (size_t i = 0; i < n; ++i) {
        lsd_bench_model_case *c = &cases[i];
        c->params = (lsd_model_params){ .model = model };
        c->opt.type = gsl_rng_uniform_int(rng, 2) == 0 ? LSD_CALL : LSD_PUT;
        c->mkt.spot = uniform(rng, 1500.0, 4500.0);
        c->mkt.rate = uniform(rng, 0.0, 0.06);
        c->mkt.carry = uniform(rng, 0.025, 0.045);
        if (model != LSD_MODEL_KOU) {
            lsd_heston *h = &c->params.heston;
            h->v0 = uniform(rng, 0.3, 0.8);
            h->kappa = uniform(rng, 1.0, 5.0);
            h->theta = uniform(rng, 0.3, 0.8);
            h->sigma = uniform(rng, 0.5, 2.0);
            h->rho = uniform(rng, -0.5, 0.3);
            if (model == LSD_MODEL_BATES) {
                c->params.jumps.intensity = uniform(rng, 0.1, 5.0);
                c->params.jumps.mean = uniform(rng, -0.2, -0.01);
                c->params.jumps.vol = uniform(rng, 0.01, 0.1);
            }
            c->mkt.vol = 0.0;
            c->expiry_days = 7 + (int)gsl_rng_uniform_int(rng, 365 - 7 + 1);
            c->opt.expiry = c->expiry_days / 365.0;
            const double fwd = c->mkt.spot * exp((c->mkt.rate - c->mkt.carry) * c->opt.expiry);
            c->opt.strike = fwd * exp(uniform(rng, -2.0, 2.0) *
                                      lsd_bench_log_sd(&c->params, c->opt.expiry));
        } else {
            lsd_kou *k = &c->params.kou;
            c->mkt.vol = uniform(rng, 0.3, 1.2);
            k->intensity = uniform(rng, 0.1, 5.0);
            k->p = uniform(rng, 0.0, 0.5);
            k->eta_up = uniform(rng, 5.0, 50.0);
            k->eta_down = uniform(rng, 3.0, 30.0);
            c->expiry_days = 1 + (int)gsl_rng_uniform_int(rng, 730);
            c->opt.expiry = c->expiry_days / 365.0;
            c->opt.strike = c->mkt.spot * uniform(rng, 0.5, 1.5);
        }
    }
    gsl_rng_free(rng);
    return LSD_OK;
}
