/* test_top_sgd.c: the dense top's gradient applied while it is computed
 * (mf_head_top_sgd, what the train job runs) gives bitwise the parameters
 * and velocities of computing it (mf_head_top_grads) and then running
 * mf_sgd_step over the same range, for Model1 [1..5], Model2 [1..5] and
 * [4,5], batches of 32 and 30 samples, a non-zero starting velocity, and
 * the parameters below w1 left alone; and the same bits with the kernels
 * written by streaming stores (mf_head_top_sgd_range's stream = 1, what
 * ranks sharing a node run), in two ranges as two ranks would. */
#include <stdlib.h>
#include <string.h>

#include "core/sgd.h"
#include "tests/check.h"
#include "tests/unit/heads_fixture.h"

static void check_config(int model, int nb, const int *br, int B) {
    hfix f;
    CHECK(hfix_make(&f, model, nb, br, B, 11 + model, 0) == 0);
    const mf_head *h = &f.h;
    size_t len = 0, R = mf_head_top_floats(h);
    for (int k = 0; k < mf_head_nphases(h); k++)
        if (mf_head_phase_len(h, k) > len) len = mf_head_phase_len(h, k);
    int ns = (B + 7) / 8;
    mf_shard_ws *ws = mf_shard_ws_new(h, B);
    double *parts = malloc(sizeof(double) * len * ns), *fold = malloc(sizeof(double) * MF_HEAD_MAXPHASE * len);
    double met[2 * 4];
    float *g = malloc(sizeof(float) * h->nparams * ns), *rec = malloc(sizeof(float) * R * B);
    const double *prev = NULL;
    for (int k = 0; k < mf_head_nphases(h); k++) {
        mf_head_phase_shards(h, f.params, ws, k, &f.v, 8, prev, parts, len);
        for (int s = 0; s < ns; s++) mf_fold_d(fold + k * len, parts + s * len, mf_head_phase_len(h, k), s == 0);
        prev = fold + k * len;
    }
    mf_head_grad_shards(h, f.params, ws, &f.v, 8, prev, g, h->nparams, met);
    mf_head_top_pack(h, ws, rec);
    /* two copies of params and a non-zero velocity */
    float *p1 = malloc(sizeof(float) * h->nparams), *p2 = malloc(sizeof(float) * h->nparams);
    float *v1 = malloc(sizeof(float) * h->nparams), *v2 = malloc(sizeof(float) * h->nparams);
    float *grad = malloc(sizeof(float) * h->nparams);
    float *scratch = malloc(sizeof(float) * mf_head_top_scratch_floats(h, B));
    for (size_t i = 0; i < h->nparams; i++) v1[i] = v2[i] = (float)(1e-3 * (hfix_u(5, i) - 0.5));
    memcpy(p1, f.params, sizeof(float) * h->nparams);
    memcpy(p2, f.params, sizeof(float) * h->nparams);
    mf_head_top_grads(h, rec, B, scratch, grad);
    mf_sgd_step(p1 + h->w1, v1 + h->w1, grad + h->w1, h->nparams - h->w1, MF_SGD_LR, MF_SGD_MOMENTUM);
    mf_head_top_sgd(h, rec, B, scratch, p2, v2, MF_SGD_LR, MF_SGD_MOMENTUM);
    CHECK_MSG(memcmp(p1, p2, sizeof(float) * h->nparams) == 0, "model %d B %d: parameters differ", model, B);
    CHECK_MSG(memcmp(v1, v2, sizeof(float) * h->nparams) == 0, "model %d B %d: velocities differ", model, B);
    CHECK(memcmp(p2, f.params, sizeof(float) * h->w1) == 0); /* below w1: untouched */
    float *p3 = malloc(sizeof(float) * h->nparams), *v3 = malloc(sizeof(float) * h->nparams);
    for (size_t i = 0; i < h->nparams; i++) v3[i] = (float)(1e-3 * (hfix_u(5, i) - 0.5));
    memcpy(p3, f.params, sizeof(float) * h->nparams);
    size_t mid = mf_head_top_boundary(h, h->w1 + (h->nparams - h->w1) / 3);
    mf_head_top_sgd_range(h, rec, B, scratch, p3, v3, MF_SGD_LR, MF_SGD_MOMENTUM, h->w1, mid, 1);
    mf_head_top_sgd_range(h, rec, B, scratch, p3, v3, MF_SGD_LR, MF_SGD_MOMENTUM, mid, h->nparams, 1);
    CHECK_MSG(memcmp(p1, p3, sizeof(float) * h->nparams) == 0, "model %d B %d: streamed parameters differ", model, B);
    CHECK_MSG(memcmp(v1, v3, sizeof(float) * h->nparams) == 0, "model %d B %d: streamed velocities differ", model, B);
    free(p3), free(v3);
    CHECK(memcmp(p2 + h->w1, f.params + h->w1, sizeof(float) * (h->nparams - h->w1)) != 0); /* it moved */
    mf_shard_ws_free(ws);
    free(parts), free(fold), free(g), free(rec), free(p1), free(p2), free(v1), free(v2), free(grad), free(scratch);
    hfix_free(&f);
}

int main(void) {
    const int all[5] = {1, 2, 3, 4, 5}, top[2] = {4, 5};
    for (int B = 30; B <= 32; B += 2) {
        check_config(1, 5, all, B);
        check_config(2, 5, all, B);
        check_config(2, 2, top, B);
    }
    return check_done();
}
