/* sgd.h: Keras's SGD with momentum (no Nesterov, no decay) over the heads'
 * flat parameter array: v <- momentum * v - lr * g; w <- w + v.
 * The velocity v has one float per parameter (zero at the start); the BN
 * moving statistics are not parameters and never pass through here. */
#ifndef MF_SGD_H
#define MF_SGD_H
#include <stddef.h>

#define MF_SGD_LR 1e-4f      /* the paper's learning rate */
#define MF_SGD_MOMENTUM 0.9f /* and momentum */

/* w[n], v[n] updated in place from g[n]. */
void mf_sgd_step(float *w, float *v, const float *g, size_t n, float lr, float momentum);

#endif
