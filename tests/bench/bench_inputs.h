/*
 * bench_inputs.h — the benchmark's input set: a reproducible, varied book of
 * stETH-like options, shared by bench_pricing (lsdopt), bench_quantlib
 * (QuantLib 1.29) and bench_gen_csv (the batch CSV), so every number in the
 * summary prices the same kind of inputs.
 *
 * Each case is drawn independently (GSL's MT19937 generator, fixed seed):
 *
 *   type     call or put, 1/2 each
 *   spot     U(1500, 4500) USD, the stETH price range of 2022–2025
 *   strike   spot·U(0.5, 1.5)
 *   expiry   U{1, …, 730} days, ACT/365F (1 day to 2 years); whole days so
 *            that QuantLib's date arithmetic gives the same T exactly
 *   rate     U(0, 0.06), USD rates
 *   carry    U(0.025, 0.045), Lido's staking yield net of fee
 *   vol      U(0.3, 1.2)
 *   jumps    λ U(0.1, 5) per year, μ_J U(−0.2, −0.01), δ U(0.01, 0.1):
 *            depegs from rare and deep to frequent and shallow
 *
 * The characteristic-function models (issue 11 §4) have their own books,
 * lsd_bench_model_cases_fill, with the same spot, rate, carry and jump
 * draws and, per model:
 *
 *   heston, bates  crypto-like variance: v0 U(0.3, 0.8), κ U(1, 5),
 *            θ U(0.3, 0.8), σᵥ U(0.5, 2), ρ U(−0.5, 0.3); expiry
 *            U{7, …, 365} days; strike F·e^{z·sd}, z U(−2, 2), sd² the
 *            expected variance of ln S_T (Heston's integrated variance
 *            plus, for Bates, λ(μ_J² + δ²)T); Bates adds Merton's jumps
 *   kou      vol U(0.3, 1.2), λ U(0.1, 5), p U(0, 0.5), η₁ U(5, 50),
 *            η₂ U(3, 30) (mean down jump 3%–33%); expiry and strike as
 *            the BSM book
 */
#ifndef LSD_BENCH_INPUTS_H
#define LSD_BENCH_INPUTS_H

#include <lsdopt/lsdopt.h>

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One benchmark option with its market and depeg jumps. */
typedef struct lsd_bench_case {
    lsd_option opt;  /* type, strike, expiry = expiry_days/365 */
    lsd_market mkt;  /* spot, rate, carry, vol */
    lsd_jumps jumps; /* used by the Merton benchmarks only */
    int expiry_days; /* expiry in whole days (for QuantLib's dates) */
} lsd_bench_case;

/* Options in the pricing benchmarks' book: a few thousand, varied enough
 * to defeat branch prediction, small enough (~350 KB) to stay in L2. */
#define LSD_BENCH_BOOK_SIZE 4096

/* Seed of every benchmark input set, so runs are comparable. */
#define LSD_BENCH_SEED 20240915UL

/*
 * Fill cases[0..n) with draws from the distributions above, starting the
 * generator at seed. Returns LSD_ENOMEM if GSL cannot allocate the
 * generator (cases is then untouched), else LSD_OK.
 */
lsd_status lsd_bench_cases_fill(lsd_bench_case *cases, size_t n, unsigned long seed);

/* One benchmark option under a characteristic-function model (model.h). */
typedef struct lsd_bench_model_case {
    lsd_option opt;          /* type, strike, expiry = expiry_days/365 */
    lsd_market mkt;          /* spot, rate, carry; vol (0 for Heston and Bates) */
    lsd_model_params params; /* heston, bates or kou; no overlay */
    int expiry_days;         /* expiry in whole days (for QuantLib's dates) */
} lsd_bench_model_case;

/* Options in the Heston and Bates books: QuantLib's adaptive engines take
 * tens of microseconds an option, so a smaller book keeps the run short. */
#define LSD_BENCH_MODEL_BOOK_SIZE 1024

/*
 * Fill cases[0..n) with draws for model (LSD_MODEL_HESTON, LSD_MODEL_BATES
 * or LSD_MODEL_KOU) from the distributions above, starting the generator at
 * seed. Returns LSD_EINVAL for another model, LSD_ENOMEM if GSL cannot
 * allocate the generator (cases is then untouched), else LSD_OK.
 */
lsd_status lsd_bench_model_cases_fill(lsd_bench_model_case *cases, size_t n, lsd_model model,
                                      unsigned long seed);

/*
 * The sd of ln S_T that places the Heston and Bates books' strikes (table
 * above) for params (Heston or Bates) at expiry years; the chain benchmark
 * lays its strikes with it too.
 */
double lsd_bench_log_sd(const lsd_model_params *params, double expiry);

#ifdef __cplusplus
}
#endif

#endif /* LSD_BENCH_INPUTS_H */
