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
 * Usage: bench_pricing [OPTIONS_IN_BOOK]   (default 4096)
 */
#include "bench_inputs.h"
#include "bench_timing.h"

#include <errno.h>
#include <sysexits.h>
#include <stdio.h>
#include <stdlib.h>

/* Each repetition lasts at least this long; the median of REPS is reported. */
#define MIN_REP_SECONDS 0.2
#define REPS 9

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
    if (bsm.failures != 0 || mjd.failures != 0 || iv.failures != 0) {
        fprintf(stderr, "bench_pricing: %ld BSM, %ld Merton and %ld implied-vol calls failed\n",
                bsm.failures, mjd.failures, iv.failures);
        return 1;
    }
    return 0;
}
