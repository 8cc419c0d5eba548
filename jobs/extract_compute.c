/* extract_compute.c: see extract_compute.h. */
#include "jobs/extract_compute.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "core/augment.h"
#include "core/half.h"
#include "core/sha256.h"
#include "core/vgg_formula.h"
#include "io/config.h"
#include "io/weights.h"
#include "io/weights_probe.h"

int mf_weights_is_random(const char *name, unsigned long long *seed) {
    *seed = 1;
    if (strncmp(name, "random", 6)) return 0;
    if (!name[6]) return 1;
    if (name[6] != ':' || name[7] < '0' || name[7] > '9') return -1;
    char *end;
    *seed = strtoull(name + 7, &end, 10);
    return *end ? -1 : 1;
}

int mf_extract_load_weights(const mf_config *c, mf_vgg_weights *w, char sha[65], mf_err *e) {
    int depth = c->backbone.arch == MF_ARCH_VGG16 ? 16 : 19;
    unsigned long long seed = 0;
    int random = mf_weights_is_random(c->backbone.weights, &seed);
    if (random < 0)
        return mf_fail(e, "key 'backbone.weights': expected random or random:SEED (SEED a non-negative integer), found '%s'",
                       c->backbone.weights);
    if (random || !strcmp(c->backbone.weights, "formula")) {
        mf_vgg_arch a;
        if (mf_vgg_arch_init(&a, depth, 5, e) || mf_vgg_weights_alloc(w, &a, e)) return -1;
        if (random) mf_vgg_weights_random(w, seed);
        else mf_vgg_weights_formula(w);
        mf_sha256_buf(w->base, w->n_params * sizeof(float), sha);
        return 0;
    }
    char path[MF_PATH_MAX];
    mf_config_data_path(c, c->backbone.weights, path, sizeof path);
    mf_weights_info info;
    if (mf_weights_read_probed(path, depth, w, &info, e)) return -1; /* a hostile file: see io/weights_probe.h */
    if (info.arch.depth != depth && !info.ambiguous)
        return mf_fail(e, "%s: holds VGG%d weights, but backbone.arch is vgg%d", path, info.arch.depth, depth);
    w->arch.depth = depth;
    memcpy(sha, info.sha256, 65);
    return 0;
}

int mf_extract_threads(void) {
    int t = openblas_get_num_threads();
    return t < 1 ? 1 : t > MF_VGG_MAX_THREADS ? MF_VGG_MAX_THREADS : t;
}

int mf_extract_bufs_init(mf_extract_bufs *b, const mf_vgg_arch *a, int side, int batch, int conv, mf_err *e) {
    memset(b, 0, sizeof *b);
    if (mf_vgg_workspace_init_threads(&b->ws, a, side, batch, mf_extract_threads(), e)) return -1;
    b->ws.algo = conv;
    b->patches = malloc(sizeof(float) * (size_t)batch * (size_t)side * (size_t)side);
    b->rows = malloc(sizeof(mf_patch) * (size_t)batch);
    int ok = b->patches && b->rows;
    for (int k = 0; k < a->n_blocks; k++)
        for (int s = 0; s < 3; s++) {
            b->data[k][s] = malloc(sizeof(float) * (size_t)batch * (size_t)mf_sum_width(s, a->widths[k]));
            ok &= b->data[k][s] != NULL;
        }
    return ok ? 0 : mf_fail(e, "extract: out of memory for a batch of %d", batch);
}

void mf_extract_bufs_free(mf_extract_bufs *b) {
    mf_vgg_workspace_free(&b->ws);
    free(b->patches);
    free(b->rows);
    for (int k = 0; k < MF_STORE_MAX_BLOCKS; k++)
        for (int s = 0; s < 3; s++) free(b->data[k][s]);
    memset(b, 0, sizeof *b);
}

int mf_extract_compute(const mf_config *c, const mf_roiset *rois, const mf_vgg_weights *w, mf_extract_bufs *b, int n,
                       mf_err *e) {
    int S = rois->size, side = c->patches.side;
    for (int i = 0; i < n; i++) {
        const mf_patch *p = &b->rows[i];
        const uint8_t *src = rois->images + ((size_t)p->roi * S + p->row) * S + p->col;
        float *dst = b->patches + (size_t)i * side * side;
        if (c->patches.augment && p->kind == MF_PATCH_DRAW &&
            (p->split == MF_SPLIT_TRAIN || c->patches.augment_for == MF_AUGMENT_FOR_ALL)) {
            mf_aug a;
            mf_aug_draw((uint64_t)c->seed, p->roi, p->draw, &a);
            mf_aug_apply(&a, src, S, side, dst);
        } else
            for (int r = 0; r < side; r++)
                for (int q = 0; q < side; q++) dst[r * side + q] = src[(size_t)r * S + q];
    }
    mf_vgg_out o;
    memset(&o, 0, sizeof o);
    for (int k = 0; k < b->ws.arch.n_blocks; k++) {
        o.mean[k] = b->data[k][MF_SUM_MEAN];
        o.meansq[k] = b->data[k][MF_SUM_MEANSQ];
        o.pool2x2[k] = b->data[k][MF_SUM_POOL];
    }
    return mf_vgg_forward_f32(&b->ws, w, b->patches, n, &o, e);
}

void mf_extract_round_as_stored(mf_extract_bufs *b, int dtype, int n) {
    for (int k = 0; k < b->ws.arch.n_blocks; k++)
        for (int s = 0; s < 3; s++) {
            if (!mf_fstore_sum_is_half(dtype, s)) continue;
            float *v = b->data[k][s];
            size_t m = (size_t)n * (size_t)mf_sum_width(s, b->ws.arch.widths[k]);
            for (size_t i = 0; i < m; i++) v[i] = mf_f16_to_f32(mf_f32_to_f16(v[i]));
        }
}
