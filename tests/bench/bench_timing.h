/*
 * bench_timing.h — the timing harness of the pricing benchmarks: wall time
 * from clock_gettime(CLOCK_MONOTONIC), passes over a pre-generated book
 * repeated until one repetition lasts long enough to time, and the median
 * over repetitions reported (robust to the odd interrupt or migration).
 * The thread's CPU time (CLOCK_THREAD_CPUTIME_ID) is reported beside it: on
 * a busy machine wall time exceeds it, and the run should be repeated.
 */
#ifndef LSD_BENCH_TIMING_H
#define LSD_BENCH_TIMING_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One pass: price every option of the book once and return the sum of all
 * prices and greeks (consumed by the caller, so the work cannot be optimised
 * away). Adds the number of calls that did not succeed to *failures.
 */
typedef double (*lsd_bench_pass)(void *ctx, long *failures);

/* Timing of one benchmark, per option priced. */
typedef struct lsd_bench_timing {
    double median_ns; /* median over repetitions, ns per option */
    double min_ns;    /* fastest repetition, ns per option */
    double max_ns;    /* slowest repetition, ns per option */
    double cpu_ns;    /* median thread CPU time, ns per option */
    long passes;      /* passes over the book per repetition */
    int reps;         /* repetitions */
    double checksum;  /* sum of everything pass returned */
    long failures;    /* failed pricing calls, over all passes */
} lsd_bench_timing;

/*
 * Time pass(ctx) over a book of n options: one warm-up pass, then reps
 * repetitions (at most 63) of as many passes as make one repetition last at
 * least min_rep_seconds.
 */
lsd_bench_timing lsd_bench_time(lsd_bench_pass pass, void *ctx, size_t n,
                                double min_rep_seconds, int reps);

/*
 * Print one result line to stdout: "<key> <median> ns/option, cpu <cpu>
 * (...)", which run_bench.py reads.
 */
void lsd_bench_print(const char *key, const lsd_bench_timing *t, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* LSD_BENCH_TIMING_H */
