/*
 * quotes.h — read an option chain (pricing/fit/chain.h: lsd_quote,
 * lsd_chain, lsd_chain_free) from our canonical CSV or from an exchange's
 * export (Deribit book summaries). What parity then says about forwards and
 * carry is pricing/fit/forwards.h.
 *
 * Layer: io (pricing/io/) — depends on core and the types it fills,
 * pricing/fit/chain.h; installed as <lsdopt/quotes.h>.
 */
#ifndef LSD_QUOTES_H
#define LSD_QUOTES_H

#include "chain.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a quotes file comes from. */
typedef enum lsd_quotes_source {
    LSD_QUOTES_SOURCE_CANONICAL = 0, /* our CSV: see lsd_quotes_load */
    LSD_QUOTES_SOURCE_DERIBIT = 1    /* Deribit book summary export (../shared/data/deribit-eth-options) */
} lsd_quotes_source;

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
LSD_EXPORT lsd_status lsd_quotes_load(const char *path, lsd_quotes_source source,
                                     double valuation_time, lsd_chain *out, lsd_diag *diag);

#ifdef __cplusplus
}
#endif

#endif /* LSD_QUOTES_H */
