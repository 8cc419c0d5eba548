/* sgd.c: Keras's momentum SGD update (see sgd.h), in float32 as Keras's
 * TensorFlow graph computes it: two products, a difference, a sum. */
#include "core/sgd.h"

void mf_sgd_step(float *w, float *v, const float *g, size_t n, float lr, float momentum) {
    for (size_t i = 0; i < n; i++) {
        float vi = momentum * v[i] - lr * g[i];
        v[i] = vi;
        w[i] = w[i] + vi;
    }
}
