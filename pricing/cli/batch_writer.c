/*
 * batch_writer.c — the buffered writer of `lsdopt batch` (batch.h): output
 * rows are assembled in one buffer as their cells arrive — the input's
 * cells copied (quoted again where they must be), then the results — and go
 * out in 1 MiB writes.
 *
 * Numbers are the shortest text that reads back to the same double
 * (lsd_cli_dtoa: Dragonbox, numtext.cc). A cell needs quotes to read back
 * the same when it holds a separator, a quote or a line end, or blanks at an
 * edge (libcsv trims those from unquoted fields); csv_write quotes it.
 *
 * Layer: cli (pricing/cli/) — sees the library through the public headers
 * (<lsdopt/...>) alone.
 */
#define _POSIX_C_SOURCE 200809L

#include "batch.h"
#include "common.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* Write out what obuf holds. */
void batch_write_flush(batch *b)
{
    if (b->olen > 0 && b->fatal == EX_OK && fwrite(b->obuf, 1, b->olen, b->out) != b->olen) {
        lsd_cli_warn("write error on %s: %s", b->out_name, strerror(errno));
        b->fatal = EX_IOERR;
    }
    b->olen = 0;
}

int batch_write_make_room(batch *b, size_t n)
{
    batch_write_flush(b);
    if (b->ocap < n) {
        char *grown = realloc(b->obuf, n);
        if (grown == NULL) {
            batch_fail_nomem(b);
            return 0;
        }
        b->obuf = grown;
        b->ocap = n;
    }
    return b->fatal == EX_OK;
}

/* Bytes that make a cell need quotes to read back the same: the separator, a
 * quote, a line end. */
static const unsigned char needs_quotes[256] = { [','] = 1, ['"'] = 1, ['\n'] = 1, ['\r'] = 1 };

/* Append a text field (room reserved by the caller: 2n + 2 bytes), quoted
 * if it must be to read back the same: it holds a separator, a quote or a
 * line end, or blanks at an edge (libcsv trims those from unquoted fields).
 * The bytes are copied first and checked on the way (one table look-up per
 * byte, no branch); the rare field that needs quotes is then rewritten. */
void batch_write_field(batch *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    char *dst = b->obuf + b->olen;
    unsigned quote = s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
    for (size_t i = 0; i < n; i++) {
        dst[i] = s[i];
        quote |= needs_quotes[(unsigned char)s[i]];
    }
    b->olen += quote ? csv_write(dst, b->ocap - b->olen, s, n) : n;
}

int batch_write_header(batch *b)
{
    size_t room = 2 + 2 * b->h.len + 3 * b->ncols;
    for (int k = 0; k < N_OUTPUTS; k++)
        room += strlen(b->output_header[k]) + 1;
    if (!batch_write_reserve(b, room))
        return 0;
    for (size_t c = 0; c < b->ncols; c++) {
        if (c > 0)
            b->obuf[b->olen++] = ',';
        batch_write_field(b, b->h.text + b->h.start[c], b->h.size[c]);
    }
    for (int k = 0; k < N_OUTPUTS; k++) {
        b->obuf[b->olen++] = ',';
        batch_write_field(b, b->output_header[k], strlen(b->output_header[k]));
    }
    b->obuf[b->olen++] = '\n';
    return 1;
}

/* Append a comma and x, shortest round-trip (room reserved). */
static void output_number(batch *b, double x)
{
    b->obuf[b->olen++] = ',';
    b->olen += lsd_cli_dtoa(x, b->obuf + b->olen);
}

/* The output columns, each after a comma (room reserved). */
static void output_results(batch *b, int ok, lsd_model model, const lsd_greeks *g, double iv)
{
    if (!ok) {
        memset(b->obuf + b->olen, ',', N_OUTPUTS);
        b->olen += N_OUTPUTS;
        batch_write_field(b, b->err, strlen(b->err));
        return;
    }
    const double values[O_IMPLIED_VOL] = { g->price, g->delta, g->gamma, g->vega, g->theta,
                                           g->rho, g->carry_rho, g->jump_intensity_sens,
                                           g->jump_mean_sens, g->jump_vol_sens };
    for (int k = 0; k < O_IMPLIED_VOL; k++) {
        if (k < O_JUMP_INTENSITY_SENS ||
            lsd_cli_param_needed(model, LSD_CLI_JUMP_INTENSITY + (k - O_JUMP_INTENSITY_SENS)))
            output_number(b, values[k]);
        else
            b->obuf[b->olen++] = ',';
    }
    if (isnan(iv))
        b->obuf[b->olen++] = ',';
    else
        output_number(b, iv);
    b->obuf[b->olen++] = ','; /* no error */
}

void batch_write_row(batch *b, int ok, lsd_model model, const lsd_greeks *g, double iv)
{
    if (!batch_write_reserve(b, b->ncols + N_OUTPUTS * (LSD_CLI_DTOA_SIZE + 1) +
                               2 * sizeof b->err + 4))
        return;
    for (size_t col = b->nfields; col < b->ncols; col++)
        if (col > 0)
            b->obuf[b->olen++] = ',';
    output_results(b, ok, model, g, iv);
    b->obuf[b->olen++] = '\n';
    if (b->olen >= OUTPUT_FLUSH_SIZE)
        batch_write_flush(b);
}
