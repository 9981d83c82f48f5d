/*
 * quotes.h — option quotes: a chain of bids and asks, from our canonical CSV
 * or from an exchange's export (Deribit book summaries), and what parity
 * says about forwards and carry.
 */
#ifndef LSD_QUOTES_H
#define LSD_QUOTES_H

#include "option.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How a premium is quoted. */
typedef enum lsd_premium_unit {
    LSD_PREMIUM_QUOTE = 0,     /* quote currency per token (USD per ETH) */
    LSD_PREMIUM_UNDERLYING = 1 /* in the underlying: inverse, coin-settled (Deribit) */
} lsd_premium_unit;

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
    lsd_quote *quotes;     /* n quotes, sorted by expiry, then strike, then type */
    size_t n;
} lsd_chain;

/* Where a quotes file comes from. */
typedef enum lsd_quote_source {
    LSD_SOURCE_CANONICAL = 0, /* our CSV: see lsd_quotes_load */
    LSD_SOURCE_DERIBIT = 1    /* Deribit book summary export (../shared/data/deribit-eth-options) */
} lsd_quote_source;

/*
 * Load a chain. Canonical CSV columns (by header name): type, strike,
 * expiry (years) or expiry_date (ISO-8601), bid, ask, optional mid,
 * optional forward (or underlying), optional premium_unit (quote|underlying,
 * default quote); valuation_time as a column or the argument (seconds; NaN:
 * from the file), optional spot and name. Deribit: option_type, strike,
 * expiry_datetime, timestamp, bid_price, ask_price, mid_price, underlying
 * (forward), index_price, instrument_name; inverse premiums; empty bid = no
 * bid; ACT/365F from timestamp to expiry_datetime. One chain, one valuation
 * time: the argument if finite, else the earliest row instant (Deribit rows
 * were collected minutes apart); chain spot: the median of the rows' spot
 * (index_price). A repeated (expiry, strike, type) is an error.
 * Errors: LSD_EIO, LSD_EPARSE (line named), LSD_EDOM (line named),
 * LSD_ENOMEM, LSD_EINVAL (NULL, unknown source, dates without a valuation
 * time). On error *out is an empty chain (n = 0, quotes NULL).
 */
LSD_EXPORT lsd_status lsd_quotes_load(const char *path, lsd_quote_source source,
                                     double valuation_time, lsd_chain *out, lsd_diag *diag);

/* Release a chain's quotes (the struct itself is the caller's). */
LSD_EXPORT void lsd_chain_free(lsd_chain *chain);

#ifdef __cplusplus
}
#endif

#endif /* LSD_QUOTES_H */
