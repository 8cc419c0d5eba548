/* fstore_verify.c: checks a feature store against an independent recomputation:
 *  - the stored plan equals mf_plan_fill of the parameters in its identity;
 *  - 24 rows spread over the store, recomputed one patch at a time from the
 *    ROI pixels (augmented where the identity says so) with the formula weights, agree with the stored summaries
 *    within 1e-4 of max|value| per block and summary (float32) or 2e-3 (float16).
 * usage: fstore_verify RUN_DIR  (formula weights only); prints the worst errors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/augment.h"
#include "core/patch_plan.h"
#include "core/sha256.h"
#include "core/vgg.h"
#include "core/vgg_formula.h"
#include "io/features_store.h"
#include "io/rois_store.h"

static int fail(const char *msg) {
    printf("FAIL: %s\n", msg);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) return fail("usage: fstore_verify RUN_DIR");
    char p1[4096], p2[4096];
    snprintf(p1, sizeof p1, "%s/rois.h5", argv[1]);
    snprintf(p2, sizeof p2, "%s/features.h5", argv[1]);
    mf_err e;
    mf_roiset rois;
    mf_fstore fs;
    if (mf_rois_read(p1, &rois, NULL, &e) || mf_fstore_open_ro(&fs, p2, &e)) return fail(e.msg);
    mf_identity id; /* the plan's parameters, read back as numbers */
    if (mf_fstore_identity(&fs, &id, &e)) return fail(e.msg);
    const char *need[] = {"seed", "patches.side", "patches.tumor_draws", "patches.normal_draws", "patches.grid_n",
                          "patches.grid_stride", "patches.draws_for", "patches.grid_for", "backbone.arch",
                          "patches.augment", "blocks", "rows"};
    const mf_ident_entry *v[12];
    for (int i = 0; i < 12; i++)
        if (!(v[i] = mf_identity_find(&id, need[i]))) return fail("the store's identity lacks a plan key");
    int side = (int)v[1]->i, nb = (int)v[10]->i, augment = (int)v[9]->i;
    long long rows = v[11]->i;
    const char *arch = v[8]->text;
    mf_plan_params pp = {(uint64_t)v[0]->i, side, (int)v[2]->i, (int)v[3]->i, (int)v[4]->i, (int)v[5]->i, 0, 0};
    pp.draw_splits = mf_plan_split_mask(mf_config_value_of("patches.draws_for", v[6]->text));
    pp.grid_splits = mf_plan_split_mask(mf_config_value_of("patches.grid_for", v[7]->text));
    int64_t n = mf_plan_count(&pp, &rois);
    if (n != fs.n || n != rows) return fail("row count differs from the plan");
    mf_patch *want = malloc(sizeof(mf_patch) * (size_t)n), *have = malloc(sizeof(mf_patch) * (size_t)n);
    mf_plan_fill(&pp, &rois, want);
    if (mf_fstore_read_plan(&fs, have, &e)) return fail(e.msg);
    for (int64_t i = 0; i < n; i++)
        if (memcmp(&want[i], &have[i], sizeof(mf_patch))) return fail("stored plan differs from mf_plan_fill");
    mf_vgg_arch a;
    mf_vgg_weights w;
    if (mf_vgg_arch_init(&a, !strcmp(arch, "vgg16") ? 16 : 19, 5, &e) || mf_vgg_weights_alloc(&w, &a, &e)) return fail(e.msg);
    mf_vgg_weights_formula(&w);
    char sha[65], *wsha = mf_fstore_attr(&fs, "weights_sha256");
    mf_sha256_buf(w.base, w.n_params * sizeof(float), sha);
    if (!wsha || strcmp(sha, wsha)) return fail("the store was not made with the formula weights");
    mf_vgg_arch run;
    mf_vgg_workspace ws;
    if (mf_vgg_arch_init(&run, a.depth, nb, &e) || mf_vgg_workspace_init(&ws, &run, side, 1, &e)) return fail(e.msg);
    ws.algo = MF_VGG_IM2COL; /* an independent recomputation: the other algorithm (or the same, if im2col) */
    double tol = fs.dtype == MF_DTYPE_F16 ? 2e-3 : 1e-4;
    float *patch = malloc(sizeof(float) * (size_t)side * side);
    int bad = 0, augmented = 0;
    for (int b = 0; b < nb; b++)
        for (int s = 0; s < 3; s++) {
            int width = mf_sum_width(s, run.widths[b]);
            float *ref = malloc(sizeof(float) * (size_t)width), *got = malloc(sizeof(float) * (size_t)width);
            double maxref = 0, maxerr = 0;
            for (int k = 0; k < 24; k++) {
                int64_t r = (n - 1) * k / 23;
                const mf_patch *p = &have[r];
                const uint8_t *src = rois.images + ((size_t)p->roi * rois.size + p->row) * rois.size + p->col;
                if (augment && p->split == 0 && p->kind == MF_PATCH_DRAW) {
                    mf_aug a;
                    mf_aug_draw(pp.seed, p->roi, p->draw, &a);
                    mf_aug_apply(&a, src, rois.size, side, patch);
                    augmented++;
                } else
                    for (int y = 0; y < side; y++)
                        for (int q = 0; q < side; q++) patch[y * side + q] = src[(size_t)y * rois.size + q];
                mf_vgg_out o;
                memset(&o, 0, sizeof o);
                if (s == 0) o.mean[b] = ref;
                if (s == 1) o.meansq[b] = ref;
                if (s == 2) o.pool2x2[b] = ref;
                if (mf_vgg_forward_f32(&ws, &w, patch, 1, &o, &e) || mf_fstore_read_rows(&fs, b, s, r, 1, got, &e))
                    return fail(e.msg);
                for (int i = 0; i < width; i++) {
                    maxref = fmax(maxref, fabs(ref[i]));
                    maxerr = fmax(maxerr, fabs((double)got[i] - ref[i]));
                }
            }
            printf("block %d %-7s max|ref| %.4g  max err %.3g  rel %.3g\n", b + 1, s == 0 ? "mean" : s == 1 ? "meansq" : "pool2x2",
                   maxref, maxerr, maxerr / maxref);
            if (!(maxerr <= tol * maxref)) bad++;
            free(ref);
            free(got);
        }
    printf("%d of %d recomputed patches augmented\n", augmented / (nb * 3), 24);
    printf(bad ? "FAIL: %d summaries beyond tolerance %g\n" : "ok: plan and %d summaries within %g\n", bad ? bad : nb * 3, tol);
    return bad ? 1 : 0;
}
