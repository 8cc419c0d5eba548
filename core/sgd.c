/* sgd.c: Keras's momentum SGD update (see sgd.h), in float32 as Keras's
 * TensorFlow graph computes it: two products, a difference, a sum. */
#include "core/sgd.h"

#include <stdint.h>

#include "core/gemm.h"

void mf_sgd_step(float *w, float *v, const float *g, size_t n, float lr, float momentum) {
    for (size_t i = 0; i < n; i++) {
        float vi = momentum * v[i] - lr * g[i];
        v[i] = vi;
        w[i] = w[i] + vi;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* The same operations per element (no contraction: ISO C, and the
 * intrinsics name each product, difference and sum); the head up to w's
 * first cache line and the tail element by element. */
__attribute__((target("avx512f"))) static void sgd_stream_avx512(float *w, float *v, const float *g, size_t n,
                                                                  float lr, float momentum) {
    size_t i = 0;
    for (; i < n && ((uintptr_t)(w + i) & 63); i++) {
        float vi = momentum * v[i] - lr * g[i];
        v[i] = vi;
        w[i] = w[i] + vi;
    }
    const __m512 M = _mm512_set1_ps(momentum), L = _mm512_set1_ps(lr);
    for (; i + 16 <= n; i += 16) {
        __m512 vi = _mm512_sub_ps(_mm512_mul_ps(M, _mm512_loadu_ps(v + i)), _mm512_mul_ps(L, _mm512_loadu_ps(g + i)));
        _mm512_storeu_ps(v + i, vi);
        _mm512_stream_ps(w + i, _mm512_add_ps(_mm512_load_ps(w + i), vi));
    }
    for (; i < n; i++) {
        float vi = momentum * v[i] - lr * g[i];
        v[i] = vi;
        w[i] = w[i] + vi;
    }
    _mm_sfence();
}
#endif

void mf_sgd_step_stream(float *w, float *v, const float *g, size_t n, float lr, float momentum) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (mf_gemm_simd()) { /* the AVX-512 path in use (gemm.h: MF_GEMM=avx2|ref turns it off) */
        sgd_stream_avx512(w, v, g, n, lr, momentum);
        return;
    }
#endif
    mf_sgd_step(w, v, g, n, lr, momentum);
}
