/*
 * chain.h — an option chain: quoted bids and asks at one valuation time,
 * the plain types the fitting layer consumes (parity forwards, forwards.h;
 * calibration, calibrate.h).
 *
 * Why here: fit is the lowest layer that uses a chain, and a quote's premium
 * unit is the market adapters' lsd_premium_unit (curves/market.h), so the
 * types cannot live in core (which depends on nothing). Readers fill them
 * from files (pricing/io/quotes.h, lsd_quotes_load) without fit depending on
 * io; a program can as well fill them itself.
 *
 * Layer: fit (pricing/fit/) — depends on core, models and curves; installed as
 * <lsdopt/chain.h>.
 */
#ifndef LSD_CHAIN_H
#define LSD_CHAIN_H

#include "market.h"
#include "option.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One quoted option. Premiums are as quoted (see unit); NaN = no quote. */
typedef struct lsd_quote {
    lsd_option_type type;  /* call or put */
    double strike;         /* K, quote currency per token */
    double expiry_time;    /* expiry instant, seconds since the epoch (UTC) */
    double expiry;         /* T, years ACT/365F from the chain's valuation time */
    double bid, ask, mid;  /* premiums; NaN when absent (mid: given, else NaN) */
    double forward;        /* the venue's forward for this expiry, NaN if none */
    lsd_premium_unit unit; /* how bid/ask/mid are quoted */
    char name[48];         /* instrument name, or "" */
} lsd_quote;

/* A chain: quotes at one valuation time (owned; lsd_chain_free releases). */
typedef struct lsd_chain {
    double valuation_time; /* seconds since the epoch (UTC) */
    double spot;           /* index/spot at valuation if the source gives one, else NaN */
    lsd_quote *quotes;     /* n quotes, sorted by expiry, then strike, then type
                              (malloc'ed: lsd_chain_free calls free on it) */
    size_t n;
} lsd_chain;

/* Release a chain's quotes (the struct itself is the caller's); NULL is fine.
 * Leaves quotes NULL and n 0. */
LSD_EXPORT void lsd_chain_free(lsd_chain *chain);

#ifdef __cplusplus
}
#endif

#endif /* LSD_CHAIN_H */
