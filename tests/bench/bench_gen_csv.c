/*
 * bench_gen_csv.c — writes the batch benchmark's input: a CSV book of BSM
 * rows with the header type,spot,strike,expiry,rate,carry,vol, drawn from
 * the distributions of bench_inputs.h (in chunks of CHUNK rows, chunk k
 * seeded LSD_BENCH_SEED + k).
 *
 * Numbers are written as a trading system would export them, not at full
 * precision: spot to the cent, strike to the dollar (Deribit's strikes are
 * whole dollars), expiry in years to 10 significant digits, rate, carry and
 * vol to 4 decimals. About 50 bytes a row.
 *
 * Usage: bench_gen_csv OUT.csv [ROWS]   (ROWS default 1000000)
 */
#include "bench_inputs.h"

#include <errno.h>
#include <sysexits.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_ROWS 1000000L
#define CHUNK 4096

int main(int argc, char **argv)
{
    long rows = DEFAULT_ROWS;
    if (argc == 3) {
        char *end;
        errno = 0;
        rows = strtol(argv[2], &end, 10);
        if (errno != 0 || end == argv[2] || *end != '\0' || rows < 0)
            rows = -1;
    }
    if (argc < 2 || argc > 3 || rows < 0) {
        fprintf(stderr, "usage: %s OUT.csv [ROWS (default %ld)]\n", argv[0], DEFAULT_ROWS);
        return EX_USAGE;
    }
    FILE *out = fopen(argv[1], "w");
    if (out == NULL) {
        perror(argv[1]);
        return EX_CANTCREAT;
    }
    int ok = fputs("type,spot,strike,expiry,rate,carry,vol\n", out) >= 0;
    lsd_bench_case cases[CHUNK];
    for (long done = 0, chunk = 0; ok && done < rows; done += CHUNK, ++chunk) {
        if (lsd_bench_cases_fill(cases, CHUNK, LSD_BENCH_SEED + (unsigned long)chunk) != LSD_OK) {
            fprintf(stderr, "bench_gen_csv: out of memory\n");
            fclose(out);
            return EX_OSERR;
        }
        const long n = rows - done < CHUNK ? rows - done : CHUNK;
        for (long i = 0; ok && i < n; ++i) {
            const lsd_bench_case *c = &cases[i];
            ok = fprintf(out, "%s,%.2f,%.0f,%.10g,%.4f,%.4f,%.4f\n",
                         lsd_option_type_name(c->opt.type), c->mkt.spot, c->opt.strike,
                         c->opt.expiry, c->mkt.rate, c->mkt.carry, c->mkt.vol) > 0;
        }
    }
    if (fclose(out) != 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "bench_gen_csv: write to %s failed\n", argv[1]);
        return EX_IOERR;
    }
    return 0;
}
