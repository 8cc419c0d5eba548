/* test_vgg_threads.c: the forward pass's bits do not depend on the threads
 * of the workspace (1, 2, 3), on how the patches are split into calls, nor
 * on the GEMM kernels (AVX-512, AVX2, scalar: core/gemm.h's defined order),
 * for both convolutions (Winograd, im2col), on a small tower whose layers
 * have tile and row counts that split unevenly. This is what makes a store's
 * bytes independent of ranks, batch and threads. Values themselves are
 * checked against a double reference by test_vgg_small. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/gemm.h"
#include "core/rng.h"
#include "core/vgg.h"
#include "core/vgg_formula.h"
#include "tests/check.h"

enum { S = 20, N = 5 };

/* All summaries and pooled maps of N patches, concatenated; `split` patches
 * in a first call, the rest in a second. */
static float *run(const mf_vgg_arch *a, const mf_vgg_weights *w, const uint8_t *patches, int threads, int algo,
                  int split, size_t *len) {
    mf_err e = {{0}};
    mf_vgg_workspace ws;
    CHECK(mf_vgg_workspace_init_threads(&ws, a, S, N, threads, &e) == 0);
    ws.algo = algo;
    size_t per = 0;
    for (int b = 0; b < a->n_blocks; b++) {
        int C = a->widths[b], h = mf_vgg_pooled_side(S, b);
        per += (size_t)6 * C + (size_t)h * h * C;
    }
    *len = per * N;
    float *all = calloc(*len, sizeof(float));
    int starts[2] = {0, split}, counts[2] = {split, N - split};
    for (int k = 0; k < 2; k++) {
        if (!counts[k]) continue;
        mf_vgg_out o;
        memset(&o, 0, sizeof o);
        float *p = all;
        for (int b = 0; b < a->n_blocks; b++) { /* block-major: [block][part][patch] */
            int C = a->widths[b], h = mf_vgg_pooled_side(S, b);
            o.mean[b] = p + (size_t)starts[k] * C, p += (size_t)N * C;
            o.meansq[b] = p + (size_t)starts[k] * C, p += (size_t)N * C;
            o.pool2x2[b] = p + (size_t)starts[k] * 4 * C, p += (size_t)N * 4 * C;
            o.pooled[b] = p + (size_t)starts[k] * h * h * C, p += (size_t)N * h * h * C;
        }
        CHECK(mf_vgg_forward_u8(&ws, w, patches + (size_t)starts[k] * S * S, counts[k], &o, &e) == 0);
    }
    mf_vgg_workspace_free(&ws);
    return all;
}

int main(void) {
    mf_err e = {{0}};
    /* widths past one 16-lane vector and one 48-column panel, odd sides */
    mf_vgg_arch a = {0, 3, {2, 2, 1}, {20, 50, 9}, {4, 2, 1}};
    CHECK(mf_vgg_arch_check(&a, S, &e) == 0);
    mf_vgg_weights w;
    CHECK(mf_vgg_weights_alloc(&w, &a, &e) == 0);
    mf_vgg_weights_random(&w, 7);
    for (int l = 0; l < mf_vgg_n_layers(&a); l++) {
        int cout = 0;
        mf_vgg_layer(&a, l, NULL, NULL, NULL, &cout);
        for (int o = 0; o < cout; o++) w.bias[l][o] = (float)(mf_rng_unit(7, 99, l * 100 + o) - 0.3);
    }
    uint8_t patches[N * S * S];
    for (int i = 0; i < N * S * S; i++) patches[i] = (uint8_t)mf_rng_below(7, 98, i, 256);
    int best = mf_gemm_use(-1);
    for (int algo = 0; algo < 2; algo++) {
        size_t len = 0, len2 = 0;
        float *base = run(&a, &w, patches, 1, algo, N, &len);
        double nz = 0;
        for (size_t i = 0; i < len; i++) nz += base[i] != 0.0f;
        CHECK_MSG(nz > 0.3 * len, "algo %d: %.0f of %zu outputs non-zero: too few to test", algo, nz, len);
        for (int path = best; path >= MF_GEMM_REF; path--) {
            CHECK_EQ_INT(mf_gemm_use(path), path);
            for (int threads = 1; threads <= 3; threads++)
                for (int split = 1; split <= N; split += 2) {
                    float *x = run(&a, &w, patches, threads, algo, split, &len2);
                    CHECK_MSG(len2 == len && memcmp(x, base, len * sizeof(float)) == 0,
                              "algo %d, gemm path %d, %d threads, split %d: bits differ from 1 thread", algo, path,
                              threads, split);
                    free(x);
                }
        }
        mf_gemm_use(-1);
        free(base);
        printf("algo %d: %zu outputs, same bits for 1-3 threads, every split and GEMM path up to %d\n", algo, len,
               best);
    }
    /* a thread count out of range is refused */
    mf_vgg_workspace ws;
    CHECK(mf_vgg_workspace_init_threads(&ws, &a, S, N, 0, &e) == -1);
    CHECK(strstr(e.msg, "threads") != NULL);
    mf_vgg_weights_free(&w);
    return check_done();
}
