/*
 * charfn.h — internal: the characteristic function of Y = ln(S_T/F) for an
 * lsd_model_params (model.h), as a product of compensated factors, and its
 * partial derivatives; the moment generating function on the real line
 * with its domain, for the COS engine's range (cos.c). Not installed.
 *
 * Every function takes w = i·u: w = iu for the characteristic function
 * φ(u) = E[e^{iuY}] at real u, w = θ real for the moment generating
 * function M(θ) = E[e^{θY}]. E[e^Y] = 1 (the forward is unchanged) except
 * under the default overlay with R = 0, whose law is defective: the mass
 * e^{−hT} survives with drift +h and the default point mass (S_T = 0) is
 * priced analytically by the caller.
 *
 * Layer: models (pricing/models/) — depends on core only.
 */
#ifndef LSD_CHARFN_H
#define LSD_CHARFN_H

#include "model.h"

#include <complex.h>
#include <stddef.h>

/* A model frozen at one expiry; filled by lsd_charfn_init. */
typedef struct lsd_charfn {
    lsd_model_params p;
    double expiry;     /* T, years */
    double vol;        /* σ of the diffusion factor; 0 for Heston and Bates */
    double merton_k;   /* κ = e^{μ_J+δ²/2} − 1 of Merton's jumps */
    double kou_zeta;   /* ζ = E[e^Y] − 1 of Kou's jumps */
    double depeg_k;    /* κ of the depeg overlay */
    double ln_recovery; /* ln R of the default overlay (R > 0) */
    int jumps_on, kou_on, heston_on, default_zero, default_jump, depeg_on;
    int kou_up, kou_down; /* Kou's sides that jump: p > 0, p < 1 */
} lsd_charfn;

/* ln φ and its partial derivatives at one w (lsd_charfn_eval). */
typedef struct lsd_charfn_value {
    double complex ln_phi;     /* ln E[e^{wY}] */
    double complex d_expiry;   /* ∂ ln φ / ∂T */
    double complex d_vol;      /* ∂/∂σ (BSM, Merton, Kou), or the parallel
                                  vol shift ∂/∂ε at √v0+ε, √θ+ε (Heston, Bates) */
    double complex d_jump_intensity; /* ∂/∂λ of Merton's or Kou's jumps */
    double complex d_jump_mean;      /* ∂/∂μ_J of Merton's jumps */
    double complex d_jump_vol;       /* ∂/∂δ of Merton's jumps */
} lsd_charfn_value;

/* Freeze params (checked by lsd_model_check) and σ at expiry T. */
void lsd_charfn_init(lsd_charfn *cf, const lsd_model_params *params, double vol, double expiry);

/* Most points lsd_charfn_eval takes at once. */
#define LSD_CHARFN_BLOCK 16

/*
 * ln φ(w[i]) and its partials for i < m ≤ LSD_CHARFN_BLOCK (the
 * transcendentals over the block at once, SIMD where the build has it:
 * vecmath.h). Without derivs only ln_phi, d_expiry and the jump partials
 * are meaningful for Heston and Bates (d_vol is left 0 there; ∂/∂T of
 * Heston's factor is added only with derivs). Heston's factor in the
 * "little trap" form of Albrecher et al. (2007), rewritten without 1/σᵥ²
 * cancellation (charfn.c).
 */
void lsd_charfn_eval(const lsd_charfn *cf, const double complex *w, size_t m, int derivs,
                     lsd_charfn_value *out);

/*
 * ln M(θ) = ln E[e^{θY}] for real θ, or +∞ where the moment is infinite or
 * within a safety margin of becoming so (Kou's poles at η₁ and −η₂;
 * Heston's moment explosion time, Andersen & Piterbarg 2007, Prop. 3.1).
 */
double lsd_charfn_log_mgf(const lsd_charfn *cf, double theta);

/* A scale for Y: the square root of (an estimate of) its variance, > 0. */
double lsd_charfn_scale(const lsd_charfn *cf);

#endif /* LSD_CHARFN_H */
