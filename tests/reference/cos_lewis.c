/*
 * cos_lewis.c — test_cos_lewis: lsd_cos_price (pricing/models/cos.c)
 * against the independent Lewis (2001) integral of lewis.c — price, delta
 * and gamma — for Kou, BSM with the depeg overlay, Merton with the default
 * overlay (R > 0), Heston with the default overlay (R = 0), Bates with the
 * depeg overlay, and plain Heston and Bates, on seeded random cases in
 * crypto ranges (lewis.c): T from 1 day to 3 years, strikes to ±6 standard
 * deviations from the forward, calls and puts.
 *
 * The reference is first held to what is known exactly: the BSM closed
 * form (erfcl in long double) to 1e-14 relative (floor 1e-16·S) from 1 day
 * to 3 years and ±8 standard deviations, and the Heston values of Fang &
 * Oosterlee (2008) tables 4–5 at T = 1 (5.78515543437619, the corrected
 * value) and T = 10 (22.3189457911545) to 1e-13.
 *
 * Requirement (issue 11, section 3): |ours − ref| ≤ max(1e-10·|ref|,
 * 1e-12·scale), scale S, 1, 1/S for price, delta, gamma. The worst error of
 * every family is printed on every run; exit 1 if any case is over.
 * LSDOPT_REFERENCE_SCALE in (0, 1] scales the case counts down (the ASan
 * build). Every case counts.
 */
#include "lewis.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#define REF_TOL 1e-19L
#define RTOL 1e-10
#define ATOL 1e-12

static long double bsm_long(const ref_case *c)
{
    const long double S = c->mkt.spot, K = c->opt.strike, T = c->opt.expiry;
    const long double r = c->mkt.rate, q = c->mkt.carry, v = c->mkt.vol;
    const long double sd = v * sqrtl(T);
    const long double d1 = (logl(S / K) + (r - q) * T) / sd + sd / 2.0L, d2 = d1 - sd;
    const long double Nc = 0.5L * erfcl(-d1 / sqrtl(2.0L)), Nk = 0.5L * erfcl(-d2 / sqrtl(2.0L));
    const long double Pc = 0.5L * erfcl(d1 / sqrtl(2.0L)), Pk = 0.5L * erfcl(d2 / sqrtl(2.0L));
    if (c->opt.type == LSD_CALL)
        return S * expl(-q * T) * Nc - K * expl(-r * T) * Nk;
    return K * expl(-r * T) * Pk - S * expl(-q * T) * Pc;
}

/* The reference against the BSM closed form and Fang–Oosterlee's Heston. */
static int check_reference(void)
{
    int bad = 0;
    double worst = 0.0;
    const double days[] = { 1, 7, 30, 365, 1095 };
    const double zs[] = { -8, -5, -2, 0, 2, 5, 8 };
    for (int t = 0; t < 2; t++)
        for (size_t i = 0; i < sizeof days / sizeof *days; i++)
            for (size_t j = 0; j < sizeof zs / sizeof *zs; j++) {
                ref_case c = { 0 };
                c.opt.type = t == 0 ? LSD_CALL : LSD_PUT;
                c.opt.expiry = days[i] / 365.0;
                c.mkt = (lsd_market){ 3000.0, 0.05, 0.03, 0.7 };
                c.opt.strike = 3000.0 * exp(0.02 * c.opt.expiry + zs[j] * 0.7 * sqrt(c.opt.expiry));
                ref_value v;
                if (lewis_value(&c, REF_TOL, &v) != 0)
                    return 1;
                const long double want = bsm_long(&c);
                const double err = (double)fabsl(v.price - want);
                const double tol = fmax(1e-14 * (double)fabsl(want), 1e-16 * 3000.0);
                worst = fmax(worst, err / tol);
                if (!(err <= tol)) {
                    bad++;
                    printf("FAIL reference vs BSM closed form: %.20Lg vs %.20Lg at ", v.price, want);
                    ref_case_print(&c);
                }
            }
    printf("reference: Lewis vs BSM closed form (long double), worst err/tol %.3g "
           "(tol max(1e-14 rel, 1e-16 S))\n", worst);
    /* Fang & Oosterlee (2008), section 5.3: S = K = 100, r = q = 0. */
    const double fo_T[2] = { 1.0, 10.0 };
    const double fo_want[2] = { 5.78515543437619, 22.3189457911545 };
    for (int i = 0; i < 2; i++) {
        ref_case c = { 0 };
        c.params.model = LSD_MODEL_HESTON;
        c.params.heston = (lsd_heston){ 0.0175, 1.5768, 0.0398, 0.5751, -0.5711 };
        c.opt = (lsd_option){ LSD_CALL, 100.0, fo_T[i] };
        c.mkt = (lsd_market){ 100.0, 0.0, 0.0, 0.0 };
        ref_value v;
        if (lewis_value(&c, REF_TOL, &v) != 0)
            return 1;
        const double err = fabs((double)v.price - fo_want[i]) / fo_want[i];
        printf("reference: Lewis Heston T=%g %.17Lg (Fang-Oosterlee %.15g, rel %.3g)\n", fo_T[i],
               v.price, fo_want[i], err);
        if (!(err <= 1e-13))
            bad++;
    }
    return bad;
}

/*
 * Far strikes (K up to 1000 forwards, where the engine prices from the
 * share measure) under Heston and Bates with ρσᵥ > κ: there the share
 * measure's β + d cancels near u = 0 (charfn.c), and a plain 1/(β + d)
 * was 0/0 at u = 0.
 */
static int check_far_strikes(void)
{
    ref_tally t = ref_tally_start("far strikes, rho*sigma_v > kappa", RTOL, ATOL);
    int errors = 0;
    const double expiries[] = { 1.0 / 365.0, 7.0 / 365.0, 0.25, 1.0 };
    const double moneyness[] = { 20.0, 50.0, 200.0, 1000.0 };
    for (int model = 0; model < 2; model++)
        for (size_t i = 0; i < sizeof expiries / sizeof *expiries; i++)
            for (size_t j = 0; j < sizeof moneyness / sizeof *moneyness; j++)
                for (int type = LSD_CALL; type <= LSD_PUT; type++) {
                    ref_case c = { 0 };
                    c.params.model = model == 0 ? LSD_MODEL_HESTON : LSD_MODEL_BATES;
                    c.params.heston = (lsd_heston){ 0.5, 0.3, 1.5, 3.0, 0.6 };
                    if (model == 1)
                        c.params.jumps = (lsd_jumps){ 1.0, -0.1, 0.2 };
                    c.mkt = (lsd_market){ 100.0, 0.03, 0.01, 0.0 };
                    const double fwd = 100.0 * exp(0.02 * expiries[i]);
                    c.opt = (lsd_option){ (lsd_option_type)type, fwd * moneyness[j], expiries[i] };
                    ref_value v;
                    lsd_greeks g;
                    lsd_diag diag = { "" };
                    if (lewis_value(&c, REF_TOL, &v) != 0 ||
                        lsd_cos_price(&c.opt, &c.mkt, &c.params, NULL, &g, &diag) != LSD_OK) {
                        printf("FAIL far strike: %s at ", diag.message);
                        ref_case_print(&c);
                        errors++;
                        continue;
                    }
                    ref_tally_add(&t, &c, &g, &v);
                }
    ref_tally_report(&t);
    return t.failures + errors;
}

/* One family: n random cases of model with flags, T up to tmax, |z| ≤ zmax. */
static int check_family(const char *family, lsd_model model, int flags, double tmax,
                        double zmax, int n, unsigned long seed)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, seed);
    ref_tally t = ref_tally_start(family, RTOL, ATOL);
    int errors = 0;
    long evals = 0;
    for (int i = 0; i < n; i++) {
        const ref_case c = ref_case_random(rng, model, flags, tmax, zmax);
        ref_value v;
        if (lewis_value(&c, REF_TOL, &v) != 0) {
            ref_case_print(&c);
            errors++;
            continue;
        }
        evals += v.evaluations;
        lsd_greeks g;
        lsd_diag diag = { "" };
        const lsd_status st = lsd_cos_price(&c.opt, &c.mkt, &c.params, NULL, &g, &diag);
        if (st != LSD_OK) {
            printf("FAIL %s: lsd_cos_price failed: %s (%s) at ", family, lsd_strerror(st),
                   diag.message);
            ref_case_print(&c);
            errors++;
            continue;
        }
        ref_tally_add(&t, &c, &g, &v);
    }
    gsl_rng_free(rng);
    ref_tally_report(&t);
    printf("  (%ld characteristic-function evaluations in the reference)\n", evals);
    return t.failures + errors;
}

int main(void)
{
    const clock_t start = clock();
    int bad = check_reference();
    static const struct {
        const char *name;
        lsd_model model;
        int flags;
    } families[] = {
        { "kou", LSD_MODEL_KOU, 0 },
        { "bsm+depeg", LSD_MODEL_BSM, REF_DEPEG },
        { "merton+default(R>0)", LSD_MODEL_MERTON, REF_DEFAULT_RECOVERY },
        { "heston+default(R=0)", LSD_MODEL_HESTON, REF_DEFAULT_ZERO },
        { "bates+depeg", LSD_MODEL_BATES, REF_DEPEG },
        { "heston", LSD_MODEL_HESTON, 0 },
        { "bates", LSD_MODEL_BATES, 0 },
    };
    const double scale = ref_scale();
    const int n_all = (int)ceil(250 * scale), n_short = (int)ceil(120 * scale);
    for (size_t i = 0; i < sizeof families / sizeof *families; i++) {
        char name[64];
        /* 1 day to 3 years, ±6 sd; then 1 day to 1 week, ±10 sd. */
        snprintf(name, sizeof name, "%s, T<=3y", families[i].name);
        bad += check_family(name, families[i].model, families[i].flags, 3.0, 6.0, n_all,
                            1101 + i);
        snprintf(name, sizeof name, "%s, T<=1w", families[i].name);
        bad += check_family(name, families[i].model, families[i].flags, 7.0 / 365.0, 10.0,
                            n_short, 1201 + i);
    }
    bad += check_far_strikes();
    printf("%s (%.1f s CPU)\n", bad == 0 ? "all agree" : "DISAGREEMENT",
           (double)(clock() - start) / CLOCKS_PER_SEC);
    return bad == 0 ? 0 : 1;
}
