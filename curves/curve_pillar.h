/*
 * curve_pillar.h — internal: the domain of one curve pillar, shared by
 * lsd_curve_new (curve.c) and the curve file reader (pricing/io/curve_file.c),
 * so a pillar is refused with the same rule and words wherever it comes
 * from. Not installed.
 *
 * Layer: curves (curves/) — depends on core only.
 */
#ifndef LSD_CURVE_PILLAR_H
#define LSD_CURVE_PILLAR_H

#include "curve.h"

/*
 * Check one pillar: time t finite and > 0 years; a zero rate finite with
 * r·t finite; a discount factor finite and > 0. Returns LSD_OK, or LSD_EDOM
 * with a message that calls the pillar "<what> time" and "<what> rate" (or
 * "<what> discount"), or "tenor" and "rate" (or "discount") when what is "".
 */
lsd_status lsd_curve_pillar_check(double t, double v, lsd_curve_quote quote, const char *what,
                                  lsd_diag *diag);

#endif /* LSD_CURVE_PILLAR_H */
