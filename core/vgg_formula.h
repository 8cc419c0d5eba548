/* vgg_formula.h: weights that need no download.
 * - The golden data's formula weights (data/golden/README.md): layer l
 *   (1-based), flat HWIO index i (o fastest, then ci, kx, ky):
 *     z = SplitMix64 finaliser of (l << 40 | i), u = (z >> 11) * 2^-53,
 *     w = (float)((u - 0.5) * 2 * sqrt(6 / (9 * Cin))),
 *     bias_o = (float)(0.01 * ((o % 7) - 3)).
 *   Exactly as given, so the golden test can check the forward pass.
 * - Random weights for demos and benchmarks: He-uniform kernels
 *   (limit sqrt(6 / (9 * Cin)), which keeps activations at the same size
 *   through ReLU layers), zero biases (the Keras default), from the counter
 *   RNG: value of layer l, index i = mf_rng_unit(seed, MF_STREAM_INIT,
 *   l << 40 | i). Pure. */
#ifndef MF_CORE_VGG_FORMULA_H
#define MF_CORE_VGG_FORMULA_H
#include <stdint.h>

#include "core/vgg.h"

/* One formula kernel value: layer l (1-based), flat index i, Cin of layer l. */
float mf_vgg_formula_kernel(int l, uint64_t i, int cin);
/* Formula bias of output channel o (any layer). */
float mf_vgg_formula_bias(int o);

/* Fills allocated weights (mf_vgg_weights_alloc) with the formula. */
void mf_vgg_weights_formula(mf_vgg_weights *w);
/* Fills allocated weights with seeded He-uniform kernels, zero biases. */
void mf_vgg_weights_random(mf_vgg_weights *w, uint64_t seed);

#endif
