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

/* The same bits, the new w written with non-temporal (streaming) stores
 * and made globally visible before it returns (sfence): for parameters in
 * a window that another core reads next (mpi/train_step.h, ranks sharing a
 * node). A plain store to a line the other core holds costs a coherence
 * round trip per line, latency-bound (issue #14: 1 ms of a 2.3 ms Fusion2
 * step on 2 ranks, for 2.3 MB a rank); a streaming store invalidates the
 * other copies without reading the line, and the other core then streams
 * it from memory with its prefetchers. Plain mf_sgd_step where the CPU has
 * no AVX-512 or MF_GEMM asks for fewer kernels (the same bits either way). */
void mf_sgd_step_stream(float *w, float *v, const float *g, size_t n, float lr, float momentum);

#endif
