/*
 * bench_pricing.c — single-threaded cost of one option priced with all its
 * greeks by liblsdopt: lsd_bsm_price (price + 6 greeks) and lsd_merton_price
 * (price + 6 greeks + 3 jump sensitivities, default series control), in ns
 * per option over the varied book of bench_inputs.h; and lsd_implied_vol_bsm
 * (BSM with carry) per call, inverting each book option's lsd_bsm_price.
 * The implied-vol book keeps the options whose price has time value to
 * invert (a 1-day deep out-of-the-money option prices at 0, which has no
 * implied vol): the count is printed.
 *
 * Output: one line per model, "bsm_ns_per_option <ns> ...",
 * "merton_ns_per_option <ns> ..." and "iv_ns_per_call <ns> ..."
 * (bench_timing.h). Exit status 1 if any call fails: timing failed calls
 * would measure the wrong thing.
 *
 * The COS engine (issue 11 §4), on the model books of bench_inputs.h:
 *
 *   heston_*, bates_*   lsd_cos_price per option (price + 9 outputs) at the
 *       largest control tol among 1e-6 … 1e-13 whose prices are within
 *       1e-10 of the reference (COS at tol 1e-15, cross-checked against
 *       QuantLib by bench_quantlib) — the "*_cos_err" lines give each
 *       tol's measured error and "*_cos_tol" the one chosen — and at the
 *       default tol 1e-13;
 *   *_chain_ns_per_strike   lsd_cos_chain on 40-strike chains (strikes
 *       F·e^{z·sd}, z evenly spaced on [−2, 2], puts below the forward and
 *       calls above) of the book's first CHAINS cases, at the chosen tol,
 *       per strike; the same chains with 1 strike (at the forward) give
 *       the split: per-strike series = (t₄₀ − t₁)/39 and the per-expiry
 *       setup (range, terms, characteristic function) = t₁ − series;
 *       *_chain_prices_ns_per_strike: the 40-strike chains through
 *       lsd_cos_chain_prices (prices only, what calibration calls);
 *   kou_ns_per_option   lsd_cos_price at the default tol.
 *
 * The error of a price V against the reference V* is |V − V*| / max(|V*|,
 * 1e-2·S): relative, with issue 11's absolute floor 1e-12·S at 1e-10.
 *
 * Usage: bench_pricing [OPTIONS_IN_BOOK]   (default 4096)
 */
#include "bench_inputs.h"
#include "bench_timing.h"

#include <errno.h>
#include <math.h>
#include <sysexits.h>
#include <stdio.h>
#include <stdlib.h>

/* Each repetition lasts at least this long; the median of REPS is reported. */
#define MIN_REP_SECONDS 0.2
#define REPS 9

/* The accuracy the COS timings are held to, and the reference's tol. */
#define TARGET_ERR 1e-10
#define REFERENCE_TOL 1e-15

/* Chains of the chain benchmark and strikes per chain. */
#define CHAINS 256
#define CHAIN_STRIKES 40

/* The book a pass prices. */
typedef struct book {
    const lsd_bench_case *cases;
    size_t n;
} book;

/* Sum of price and the six greeks every model returns. */
static double greeks_sum(const lsd_greeks *g)
{
    return g->price + g->delta + g->gamma + g->vega + g->theta + g->rho + g->carry_rho;
}

static double bsm_pass(void *ctx, long *failures)
{
    const book *b = ctx;
    double acc = 0.0;
    for (size_t i = 0; i < b->n; ++i) {
        lsd_greeks g;
        if (lsd_bsm_price(&b->cases[i].opt, &b->cases[i].mkt, &g, NULL) != LSD_OK)
            ++*failures;
        acc += greeks_sum(&g);
    }
    return acc;
}

static double merton_pass(void *ctx, long *failures)
{
    const book *b = ctx;
    double acc = 0.0;
    for (size_t i = 0; i < b->n; ++i) {
        const lsd_bench_case *c = &b->cases[i];
        lsd_greeks g;
        if (lsd_merton_price(&c->opt, &c->mkt, &c->jumps, NULL, &g, NULL) != LSD_OK)
            ++*failures;
        acc += greeks_sum(&g) + g.jump_intensity_sens + g.jump_mean_sens + g.jump_vol_sens;
    }
    return acc;
}

/* The implied-vol book: options with their BSM prices. */
typedef struct iv_book {
    const lsd_bench_case *cases;
    const double *prices;
    size_t n;
} iv_book;

static double iv_pass(void *ctx, long *failures)
{
    const iv_book *b = ctx;
    double acc = 0.0;
    for (size_t i = 0; i < b->n; ++i) {
        double vol;
        if (lsd_implied_vol_bsm(&b->cases[i].opt, &b->cases[i].mkt, b->prices[i], &vol, NULL) !=
            LSD_OK)
            ++*failures;
        acc += vol;
    }
    return acc;
}

/* A model book priced by lsd_cos_price under one control. */
typedef struct model_book {
    const lsd_bench_model_case *cases;
    size_t n;
    lsd_cos_control ctl;
} model_book;

/* Sum of the price and the nine other outputs of lsd_cos_price. */
static double outputs_sum(const lsd_greeks *g)
{
    return greeks_sum(g) + g->jump_intensity_sens + g->jump_mean_sens + g->jump_vol_sens;
}

static double cos_pass(void *ctx, long *failures)
{
    const model_book *b = ctx;
    double acc = 0.0;
    for (size_t i = 0; i < b->n; ++i) {
        const lsd_bench_model_case *c = &b->cases[i];
        lsd_greeks g;
        if (lsd_cos_price(&c->opt, &c->mkt, &c->params, &b->ctl, &g, NULL) != LSD_OK)
            ++*failures;
        acc += outputs_sum(&g);
    }
    return acc;
}

/* Prices of the book under tol into prices[]; returns the failures. */
static long cos_prices(const lsd_bench_model_case *cases, size_t n, double tol, double *prices)
{
    lsd_cos_control ctl = lsd_cos_control_default();
    ctl.tol = tol;
    long failures = 0;
    for (size_t i = 0; i < n; ++i) {
        lsd_greeks g;
        if (lsd_cos_price(&cases[i].opt, &cases[i].mkt, &cases[i].params, &ctl, &g, NULL) !=
            LSD_OK)
            ++failures;
        prices[i] = g.price;
    }
    return failures;
}

/* Largest error of prices[] against ref[] (header comment); NaN counts as
 * infinite. */
static double max_error(const lsd_bench_model_case *cases, size_t n, const double *prices,
                        const double *ref)
{
    double worst = 0.0;
    for (size_t i = 0; i < n; ++i) {
        const double err = fabs(prices[i] - ref[i]) / fmax(fabs(ref[i]), 1e-2 * cases[i].mkt.spot);
        worst = isnan(err) ? INFINITY : fmax(worst, err);
    }
    return worst;
}

/*
 * Measure the error of each candidate tol on the book against the
 * reference, print it ("<name>_cos_err tol <tol> <err>"), and return the
 * largest tol that meets TARGET_ERR (REFERENCE_TOL if none does). prices
 * and ref are scratch of n doubles. Adds failed calls to *failures.
 */
static double choose_tol(const char *name, const lsd_bench_model_case *cases, size_t n,
                         double *prices, double *ref, long *failures)
{
    static const double candidates[] = { 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12, 1e-13 };
    *failures += cos_prices(cases, n, REFERENCE_TOL, ref);
    double chosen = REFERENCE_TOL, chosen_err = 0.0;
    for (size_t j = sizeof candidates / sizeof candidates[0]; j-- > 0;) {
        *failures += cos_prices(cases, n, candidates[j], prices);
        const double err = max_error(cases, n, prices, ref);
        printf("%s_cos_err_at_tol_%g: max error %.3g against tol %g (|V - V*| / max(V*, 1e-2 S))\n",
               name, candidates[j], err, REFERENCE_TOL);
        if (err <= TARGET_ERR) {
            chosen = candidates[j];
            chosen_err = err;
        }
    }
    printf("%s_cos_tol %g (largest tol within %g of the reference on %zu options)\n", name,
           chosen, TARGET_ERR, n);
    printf("%s_cos_tol_err %.3g (its max error)\n", name, chosen_err);
    return chosen;
}

/* Chains: each of a book case's expiry, market and model, with its strikes. */
typedef struct chain_book {
    const lsd_bench_model_case *cases; /* chain i is cases[i]'s expiry, market, model */
    size_t chains, strikes;            /* strikes per chain */
    const double *strike;              /* chains × strikes */
    const lsd_option_type *type;       /* chains × strikes */
    lsd_greeks *out;                   /* strikes */
    double *prices;                    /* strikes; if not NULL, lsd_cos_chain_prices */
    lsd_cos_control ctl;
} chain_book;

static double chain_pass(void *ctx, long *failures)
{
    const chain_book *b = ctx;
    double acc = 0.0;
    for (size_t i = 0; i < b->chains; ++i) {
        const lsd_bench_model_case *c = &b->cases[i];
        const lsd_option_type *type = b->type + i * b->strikes;
        const double *strike = b->strike + i * b->strikes;
        if (b->prices != NULL) {
            if (lsd_cos_chain_prices(type, strike, b->strikes, c->opt.expiry, &c->mkt, &c->params,
                                     &b->ctl, b->prices, NULL) != LSD_OK)
                ++*failures;
            for (size_t k = 0; k < b->strikes; ++k)
                acc += b->prices[k];
            continue;
        }
        if (lsd_cos_chain(type, strike, b->strikes, c->opt.expiry, &c->mkt, &c->params, &b->ctl,
                          b->out, NULL) != LSD_OK)
            ++*failures;
        for (size_t k = 0; k < b->strikes; ++k)
            acc += outputs_sum(&b->out[k]);
    }
    return acc;
}

/* Lay chains × strikes strikes (header comment) into strike[] and type[]. */
static void chain_fill(const lsd_bench_model_case *cases, size_t chains, size_t strikes,
                       double *strike, lsd_option_type *type)
{
    for (size_t i = 0; i < chains; ++i) {
        const lsd_bench_model_case *c = &cases[i];
        const double t = c->opt.expiry;
        const double fwd = c->mkt.spot * exp((c->mkt.rate - c->mkt.carry) * t);
        const double sd = lsd_bench_log_sd(&c->params, t);
        for (size_t k = 0; k < strikes; ++k) {
            const double z = strikes == 1 ? 0.0 : -2.0 + 4.0 * (double)k / (double)(strikes - 1);
            strike[i * strikes + k] = fwd * exp(z * sd);
            type[i * strikes + k] = z < 0.0 ? LSD_PUT : LSD_CALL;
        }
    }
}

/* Time the chains of cases at tol: per strike on CHAIN_STRIKES-strike
 * chains, and the split (header comment). Returns the failures. */
static long bench_chain(const char *name, const lsd_bench_model_case *cases, double tol)
{
    double strike[CHAINS * CHAIN_STRIKES];
    lsd_option_type type[CHAINS * CHAIN_STRIKES];
    lsd_greeks out[CHAIN_STRIKES];
    double prices[CHAIN_STRIKES];
    lsd_cos_control ctl = lsd_cos_control_default();
    ctl.tol = tol;
    lsd_bench_timing t[2];
    const size_t sizes[2] = { CHAIN_STRIKES, 1 };
    for (int j = 0; j < 2; ++j) {
        chain_fill(cases, CHAINS, sizes[j], strike, type);
        chain_book b = { cases, CHAINS, sizes[j], strike, type, out, NULL, ctl };
        t[j] = lsd_bench_time(chain_pass, &b, CHAINS * sizes[j], MIN_REP_SECONDS, REPS);
    }
    char key[64];
    snprintf(key, sizeof key, "%s_chain_ns_per_strike", name);
    lsd_bench_print(key, &t[0], CHAINS * CHAIN_STRIKES);
    /* The same 40-strike chains, prices only (what calibration calls). */
    chain_fill(cases, CHAINS, CHAIN_STRIKES, strike, type);
    chain_book pb = { cases, CHAINS, CHAIN_STRIKES, strike, type, out, prices, ctl };
    const lsd_bench_timing tp =
        lsd_bench_time(chain_pass, &pb, CHAINS * CHAIN_STRIKES, MIN_REP_SECONDS, REPS);
    snprintf(key, sizeof key, "%s_chain_prices_ns_per_strike", name);
    lsd_bench_print(key, &tp, CHAINS * CHAIN_STRIKES);
    /* Per chain of 40 and of 1, wall and CPU. */
    const double n = CHAIN_STRIKES;
    const double series = (n * t[0].median_ns - t[1].median_ns) / (n - 1.0);
    const double series_cpu = (n * t[0].cpu_ns - t[1].cpu_ns) / (n - 1.0);
    printf("%s_chain_series_ns_per_strike %.1f ns/strike, cpu %.1f ((t40 - t1)/39 from %d-strike"
           " and 1-strike chains of %d expiries)\n",
           name, series, series_cpu, CHAIN_STRIKES, CHAINS);
    printf("%s_chain_setup_ns_per_expiry %.1f ns/expiry, cpu %.1f (t1 - series; 1-strike chain"
           " %.1f ns)\n",
           name, t[1].median_ns - series, t[1].cpu_ns - series_cpu, t[1].median_ns);
    return t[0].failures + t[1].failures + tp.failures;
}

/* One model's COS benchmarks: the tol, per option at it and at the
 * default, and for Heston and Bates the chains. Returns the failures. */
static long bench_model(const char *name, lsd_model model, unsigned long seed)
{
    const size_t n = LSD_BENCH_MODEL_BOOK_SIZE;
    lsd_bench_model_case *cases = malloc(n * sizeof *cases);
    double *prices = malloc(2 * n * sizeof *prices);
    if (cases == NULL || prices == NULL ||
        lsd_bench_model_cases_fill(cases, n, model, seed) != LSD_OK) {
        fprintf(stderr, "bench_pricing: out of memory\n");
        free(cases);
        free(prices);
        return 1;
    }
    long failures = 0;
    char key[64];
    model_book b = { cases, n, lsd_cos_control_default() };
    if (model != LSD_MODEL_KOU) {
        b.ctl.tol = choose_tol(name, cases, n, prices, prices + n, &failures);
        snprintf(key, sizeof key, "%s_ns_per_option", name);
        const lsd_bench_timing at = lsd_bench_time(cos_pass, &b, n, MIN_REP_SECONDS, REPS);
        lsd_bench_print(key, &at, n);
        failures += at.failures + bench_chain(name, cases, b.ctl.tol);
        b.ctl = lsd_cos_control_default();
        snprintf(key, sizeof key, "%s_default_ns_per_option", name);
    } else {
        snprintf(key, sizeof key, "%s_ns_per_option", name);
    }
    const lsd_bench_timing dflt = lsd_bench_time(cos_pass, &b, n, MIN_REP_SECONDS, REPS);
    lsd_bench_print(key, &dflt, n);
    free(prices);
    free(cases);
    return failures + dflt.failures;
}

/* Keep the cases whose BSM price inverts (compacted to the front of cases);
 * their prices go to prices[]. Returns how many. */
static size_t iv_book_fill(lsd_bench_case *cases, double *prices, size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; ++i) {
        lsd_greeks g;
        double vol;
        if (lsd_bsm_price(&cases[i].opt, &cases[i].mkt, &g, NULL) == LSD_OK &&
            lsd_implied_vol_bsm(&cases[i].opt, &cases[i].mkt, g.price, &vol, NULL) == LSD_OK) {
            cases[kept] = cases[i];
            prices[kept++] = g.price;
        }
    }
    return kept;
}

/* Parse the optional book size: a whole number in [1, 10^7]. */
static int parse_book_size(const char *text, size_t *n)
{
    char *end;
    errno = 0;
    const long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < 1 || v > 10000000)
        return -1;
    *n = (size_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    size_t n = LSD_BENCH_BOOK_SIZE;
    if (argc > 2 || (argc == 2 && parse_book_size(argv[1], &n) != 0)) {
        fprintf(stderr, "usage: %s [OPTIONS_IN_BOOK (1..10000000, default %d)]\n", argv[0],
                LSD_BENCH_BOOK_SIZE);
        return EX_USAGE;
    }
    lsd_bench_case *cases = malloc(n * sizeof *cases);
    if (cases == NULL || lsd_bench_cases_fill(cases, n, LSD_BENCH_SEED) != LSD_OK) {
        fprintf(stderr, "bench_pricing: out of memory\n");
        free(cases);
        return EX_OSERR;
    }
    book b = { cases, n };

    const lsd_bench_timing bsm = lsd_bench_time(bsm_pass, &b, n, MIN_REP_SECONDS, REPS);
    lsd_bench_print("bsm_ns_per_option", &bsm, n);
    const lsd_bench_timing mjd = lsd_bench_time(merton_pass, &b, n, MIN_REP_SECONDS, REPS);
    lsd_bench_print("merton_ns_per_option", &mjd, n);

    double *prices = malloc(n * sizeof *prices);
    if (prices == NULL) {
        fprintf(stderr, "bench_pricing: out of memory\n");
        free(cases);
        return EX_OSERR;
    }
    const iv_book ivb = { cases, prices, iv_book_fill(cases, prices, n) };
    printf("iv_book %zu of %zu options have time value to invert\n", ivb.n, n);
    const lsd_bench_timing iv = lsd_bench_time(iv_pass, (void *)&ivb, ivb.n, MIN_REP_SECONDS,
                                               REPS);
    lsd_bench_print("iv_ns_per_call", &iv, ivb.n);

    free(prices);
    free(cases);

    const long heston = bench_model("heston", LSD_MODEL_HESTON, LSD_BENCH_SEED + 1);
    const long bates = bench_model("bates", LSD_MODEL_BATES, LSD_BENCH_SEED + 2);
    const long kou = bench_model("kou", LSD_MODEL_KOU, LSD_BENCH_SEED + 3);
    if (bsm.failures != 0 || mjd.failures != 0 || iv.failures != 0 || heston != 0 ||
        bates != 0 || kou != 0) {
        fprintf(stderr,
                "bench_pricing: %ld BSM, %ld Merton, %ld implied-vol, %ld Heston, %ld Bates and"
                " %ld Kou calls failed\n",
                bsm.failures, mjd.failures, iv.failures, heston, bates, kou);
        return 1;
    }
    return 0;
}
