/*
 * curve_file.h — read a rate or carry curve (curves/curve.h) from a CSV file.
 *
 * A thin reader: it turns the file's rows into pillars and hands them to
 * lsd_curve_new, which owns the curve maths. The file format is described
 * below and in the README ("Rate and carry curves"). A curve is reduced to
 * a model's flat rate or carry by lsd_market_apply_curves (market.h).
 *
 * Layer: io (pricing/io/) — depends on core and the type it fills,
 * curves/curve.h; installed as <lsdopt/curve_file.h>.
 */
#ifndef LSD_CURVE_FILE_H
#define LSD_CURVE_FILE_H

#include "curve.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Load a curve from a CSV file with a header: `tenor,rate` (tenor in years),
 * or `date,rate` (ISO-8601 instants, lsd_dates_parse: a bare date is 08:00
 * UTC; converted to years ACT/365F from valuation_time, seconds since the
 * epoch as in dates.h), or `discount` in place of `rate`. A rate is the
 * continuously compounded zero rate per year to that time, r(t) (0.03 = 3%);
 * a discount is the discount factor D(t) = e^{−r(t)·t} itself, finite and
 * > 0. Header names are matched ASCII case-insensitively, in any column
 * order; other columns (notes, sources) are ignored. Rows must be in
 * strictly increasing time: a row out of order or repeating a time is an
 * error. Blank lines are skipped. Numbers are plain decimals (no NaN, inf,
 * hexadecimal or trailing text; '.' whatever the locale). valuation_time is
 * used only by a date file; a tenor file ignores it (NaN is fine), so a
 * caller can tell the kinds apart. Each row is checked by the rule
 * lsd_curve_new applies (tenor > 0; a rate with r·t finite; a discount
 * > 0), then the pillars go to lsd_curve_new, which owns the
 * interpolation (curve.h). The caller frees *out with lsd_curve_free.
 * Messages about the file read "PATH:LINE: what" (the line the row ends on).
 * Errors: LSD_EIO (cannot open or read), LSD_EPARSE (empty file, bad
 * header, number or date, wrong field count, empty cell, no rows), LSD_EDOM
 * (pillar out of range: tenor ≤ 0, date not after valuation_time, rate
 * with r·t not finite, discount factor ≤ 0, time out of order or repeated), LSD_EINVAL (NULL path or out, or a date file with a
 * non-finite valuation_time), LSD_ENOMEM. On error *out is NULL (when out
 * is not NULL).
 * Thread-safe: no global state (a "C" numeric locale of its own per call);
 * allocates the rows while reading, freed before it returns, and the curve.
 * The curve, once built, is read-only and may be queried from any thread.
 */
LSD_EXPORT lsd_status lsd_curve_file_load(const char *path, double valuation_time,
                                     lsd_curve **out, lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_CURVE_FILE_H */
