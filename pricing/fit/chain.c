/*
 * chain.c — releasing an option chain (chain.h); the chain's readers are in
 * pricing/io (quotes.c).
 *
 * Layer: fit (pricing/fit/) — depends on core, models and curves.
 */
#include "chain.h"

#include <stdlib.h>

void lsd_chain_free(lsd_chain *chain)
{
    if (chain == NULL)
        return;
    free(chain->quotes);
    chain->quotes = NULL;
    chain->n = 0;
}
