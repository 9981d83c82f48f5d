/*
 * lsdopt.h — the whole public API of liblsdopt in one include.
 *
 * liblsdopt prices European options on liquid-staking tokens: generalized
 * BSM with the staking yield as carry, and Merton (1976) jump-diffusion for
 * depegs. Conventions (units, names) are in DESIGN.md; every function
 * returns an lsd_status and writes results through out-pointers.
 *
 * By layer: core (status, option), models (bsm, merton, model), curves
 * (dates, curve, token, market: the adapters that reduce curves, tokens,
 * APRs and premium units to a model's numbers; staking_yield), fit
 * (implied_vol, estimate, chain, forwards, calibrate), io (the file
 * readers: quotes, curve_file, token_file) and analytics (covered_call,
 * hedge, collateral).
 */
#ifndef LSDOPT_H
#define LSDOPT_H

#include "lsdopt_export.h"
#include "status.h"
#include "constants.h"
#include "option.h"
#include "bsm.h"
#include "merton.h"
#include "model.h"
#include "terminal_law.h"
#include "implied_vol.h"
#include "dates.h"
#include "curve.h"
#include "token.h"
#include "market.h"
#include "staking_yield.h"
#include "estimate.h"
#include "chain.h"
#include "quotes.h"
#include "curve_file.h"
#include "token_file.h"
#include "forwards.h"
#include "calibrate.h"
#include "covered_call.h"
#include "hedge.h"
#include "collateral.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library version, "MAJOR.MINOR.PATCH". */
LSD_EXPORT const char *lsd_version(void);

#ifdef __cplusplus
}
#endif

#endif /* LSDOPT_H */
