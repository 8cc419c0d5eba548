/* test_sgd.c: Keras's SGD with momentum on hand values:
 * v <- momentum v - lr g; w <- w + v (no Nesterov, no decay); and the
 * streaming-store variant (mf_sgd_step_stream) bitwise equal to it on every
 * alignment and length, on each kernel path (AVX-512, and the plain loop
 * when MF_GEMM asks for fewer). */
#include <stdlib.h>
#include <string.h>

#include "core/gemm.h"

#include "core/sgd.h"
#include "tests/check.h"

int main(void) {
    /* w = 1, v = 0.5, g = 2, lr = 0.1, momentum = 0.9:
     * v = 0.45 - 0.2 = 0.25, w = 1.25; again with g = -1: v = 0.225 + 0.1 = 0.325, w = 1.575 */
    float w[3] = {1.0f, -2.0f, 0.0f}, v[3] = {0.5f, 0.0f, 0.0f};
    float g[3] = {2.0f, 4.0f, 0.0f};
    mf_sgd_step(w, v, g, 3, 0.1f, 0.9f);
    CHECK_NEAR(v[0], 0.25, 1e-7);
    CHECK_NEAR(w[0], 1.25, 1e-7);
    CHECK_NEAR(v[1], -0.4, 1e-7);
    CHECK_NEAR(w[1], -2.4, 1e-7);
    CHECK(v[2] == 0.0f && w[2] == 0.0f);
    float g2[3] = {-1.0f, 0.0f, 0.0f};
    mf_sgd_step(w, v, g2, 3, 0.1f, 0.9f);
    CHECK_NEAR(v[0], 0.325, 1e-7);
    CHECK_NEAR(w[0], 1.575, 1e-7);
    CHECK_NEAR(v[1], -0.36, 1e-7);
    CHECK_NEAR(w[1], -2.76, 1e-7);
    /* the paper's constants from zero velocity: first step w - 1e-4 g,
     * second step with the same g: v = -0.9e-4 g - 1e-4 g = -1.9e-4 g */
    float w1 = 0.5f, v1 = 0.0f, g1 = 3.0f;
    mf_sgd_step(&w1, &v1, &g1, 1, MF_SGD_LR, MF_SGD_MOMENTUM);
    CHECK_NEAR(w1, 0.5 - 3e-4, 1e-7); /* float spacing near 0.5: 6e-8 */
    mf_sgd_step(&w1, &v1, &g1, 1, MF_SGD_LR, MF_SGD_MOMENTUM);
    CHECK_NEAR(v1, -5.7e-4, 1e-9);
    CHECK_NEAR(w1, 0.5 - 3e-4 - 5.7e-4, 1e-7);
    /* float32 arithmetic exactly as written: v = m*v - lr*g; w = w + v */
    float wf = 0.3f, vf = 0.7f, gf = 0.11f, m = 0.9f, lr = 1e-4f;
    float ve = m * vf - lr * gf, we = wf + ve;
    mf_sgd_step(&wf, &vf, &gf, 1, lr, m);
    CHECK(vf == ve && wf == we);
    /* streaming stores: the same bits, whatever the offset from a cache line and the length */
    enum { N = 1008 }; /* (N + 64) floats: a whole number of cache lines (aligned_alloc) */
    float *wa = aligned_alloc(64, 4 * (N + 64)), *wb = aligned_alloc(64, 4 * (N + 64));
    float *va = malloc(4 * (N + 64)), *vb = malloc(4 * (N + 64)), *gg = malloc(4 * (N + 64));
    for (int path = mf_gemm_use(-1); path >= 0; path--) {
        mf_gemm_use(path);
        for (int off = 0; off < 17; off++)
            for (int n = 0; n < 70; n += off % 3 == 0 ? 1 : 13) {
                for (int i = 0; i < N + 64; i++) {
                    wa[i] = wb[i] = (float)((i * 37 % 101) - 50) * 0.013f;
                    va[i] = vb[i] = (float)((i * 53 % 97) - 48) * 1e-3f;
                    gg[i] = (float)((i * 71 % 89) - 44) * 0.07f;
                }
                mf_sgd_step(wa + off, va + off, gg + off, (size_t)n, MF_SGD_LR, MF_SGD_MOMENTUM);
                mf_sgd_step_stream(wb + off, vb + off, gg + off, (size_t)n, MF_SGD_LR, MF_SGD_MOMENTUM);
                CHECK_MSG(!memcmp(wa, wb, 4 * (N + 64)) && !memcmp(va, vb, 4 * (N + 64)),
                          "stream: path %d offset %d n %d differs", path, off, n);
            }
        /* a long run: the vector body */
        mf_sgd_step(wa + 3, va + 3, gg + 3, N, 0.01f, 0.9f);
        mf_sgd_step_stream(wb + 3, vb + 3, gg + 3, N, 0.01f, 0.9f);
        CHECK_MSG(!memcmp(wa, wb, 4 * (N + 64)) && !memcmp(va, vb, 4 * (N + 64)), "stream: path %d n %d", path, N);
    }
    mf_gemm_use(-1);
    free(wa), free(wb), free(va), free(vb), free(gg);
    return check_done();
}
