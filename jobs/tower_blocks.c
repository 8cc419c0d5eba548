/* tower_blocks.c: see tower_blocks.h. */
#include "jobs/tower_blocks.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "io/config.h"
#include "jobs/extract_compute.h"

int mf_tower_blocks_have(const mf_config *c, mf_err *e) {
    mf_vgg_weights w;
    char sha[65];
    memset(&w, 0, sizeof w);
    if (mf_extract_load_weights(c, &w, sha, e)) return -1;
    int have = w.arch.n_blocks;
    mf_vgg_weights_free(&w);
    return have;
}

/* The official Keras file of the arch, and its md5 (Keras's own check sum). */
static const char *official_file(int depth, const char **md5) {
    *md5 = depth == 16 ? "6d6bbae143d832006294945121d1f1fc" : "253f8cb515780f3b799900260a226db6";
    return depth == 16 ? "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5" : "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5";
}

int mf_tower_blocks_check(const mf_config *c, int with_branches, mf_err *e) {
    char path[MF_PATH_MAX];
    mf_config_data_path(c, c->backbone.weights, path, sizeof path);
    unsigned long long seed;
    if (strcmp(c->backbone.weights, "formula") && !mf_weights_is_random(c->backbone.weights, &seed) &&
        access(path, F_OK) != 0) {
        int depth = c->backbone.arch == MF_ARCH_VGG16 ? 16 : 19, want = c->backbone.blocks;
        if (with_branches)
            for (int k = 0; k < c->model.branches.n; k++)
                if (c->model.branches.v[k] > want) want = c->model.branches.v[k];
        if (!want) want = 5;
        const char *md5, *file = official_file(depth, &md5);
        return mf_fail(e,
                       "%s: missing (key 'backbone.weights'); the config needs VGG%d blocks 1-%d: get %s (Keras "
                       "applications release v0.1, fchollet/deep-learning-models; md5 %s) and put it there",
                       path, depth, want, file, md5);
    }
    int have = mf_tower_blocks_have(c, e);
    return have < 0 ? -1 : mf_tower_blocks_refuse(c, have, with_branches, e);
}

int mf_tower_blocks_refuse(const mf_config *c, int have, int with_branches, mf_err *e) {
    const char *key = "backbone.blocks";
    int want = c->backbone.blocks;
    if (with_branches)
        for (int k = 0; k < c->model.branches.n; k++)
            if (c->model.branches.v[k] > want && c->model.branches.v[k] > have) {
                want = c->model.branches.v[k];
                key = "model.branches";
            }
    if (want <= have) return 0;
    int depth = c->backbone.arch == MF_ARCH_VGG16 ? 16 : 19;
    char path[MF_PATH_MAX], missing[32];
    mf_config_data_path(c, c->backbone.weights, path, sizeof path);
    if (want == have + 1) snprintf(missing, sizeof missing, "block %d", want);
    else snprintf(missing, sizeof missing, "blocks %d-%d", have + 1, want);
    const char *md5, *file = official_file(depth, &md5);
    return mf_fail(e,
                   "%s: holds VGG%d blocks 1-%d only; %s needs %s: get %s (Keras applications release v0.1, "
                   "fchollet/deep-learning-models; md5 %s) and set backbone.weights to it",
                   path, depth, have, key, missing, file, md5);
}
