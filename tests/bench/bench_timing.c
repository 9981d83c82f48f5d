/*
 * bench_timing.c — the timing harness of bench_timing.h.
 */
#define _POSIX_C_SOURCE 200809L

#include "bench_timing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Most repetitions lsd_bench_time runs. */
#define LSD_BENCH_MAX_REPS 63

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The given clock in seconds. */
static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Median of x[0..n), n ≥ 1; sorts x. */
static double median(double *x, int n)
{
    qsort(x, (size_t)n, sizeof x[0], compare_doubles);
    return n % 2 == 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

lsd_bench_timing lsd_bench_time(lsd_bench_pass pass, void *ctx, size_t n,
                                double min_rep_seconds, int reps)
{
    lsd_bench_timing t = { 0.0, 0.0, 0.0, 0.0, 1, reps, 0.0, 0 };
    if (t.reps < 1)
        t.reps = 1;
    if (t.reps > LSD_BENCH_MAX_REPS)
        t.reps = LSD_BENCH_MAX_REPS;

    /* Warm-up pass (caches, branch predictors, lazy binding), timed to size
     * the repetitions. */
    const double warm_start = seconds(CLOCK_MONOTONIC);
    t.checksum += pass(ctx, &t.failures);
    const double one_pass = seconds(CLOCK_MONOTONIC) - warm_start;
    if (one_pass > 0.0 && one_pass < min_rep_seconds)
        t.passes = (long)ceil(min_rep_seconds / one_pass);

    const double options = (double)t.passes * (double)n;
    double wall_ns[LSD_BENCH_MAX_REPS], cpu_ns[LSD_BENCH_MAX_REPS];
    for (int r = 0; r < t.reps; ++r) {
        const double wall = seconds(CLOCK_MONOTONIC);
        const double cpu = seconds(CLOCK_THREAD_CPUTIME_ID);
        for (long p = 0; p < t.passes; ++p)
            t.checksum += pass(ctx, &t.failures);
        cpu_ns[r] = 1e9 * (seconds(CLOCK_THREAD_CPUTIME_ID) - cpu) / options;
        wall_ns[r] = 1e9 * (seconds(CLOCK_MONOTONIC) - wall) / options;
    }
    t.median_ns = median(wall_ns, t.reps);
    t.min_ns = wall_ns[0];
    t.max_ns = wall_ns[t.reps - 1];
    t.cpu_ns = median(cpu_ns, t.reps);
    return t;
}

void lsd_bench_print(const char *key, const lsd_bench_timing *t, size_t n)
{
    printf("%s %.1f ns/option, cpu %.1f (median of %d reps x %ld passes x %zu options;"
           " wall min %.1f, max %.1f; checksum %.6g)\n",
           key, t->median_ns, t->cpu_ns, t->reps, t->passes, n, t->min_ns, t->max_ns,
           t->checksum);
    fflush(stdout);
}
