/* heads_model1.c: Model1 (Fusion1) on one shard or several consecutive
 * shards of one rank (the dense top in one GEMM per layer over all their
 * rows; the sums per shard). Input: the block means
 * mean_b [n, C_b] of the chosen blocks, read in place as the column blocks
 * of x [n, D]. x -> BN -> dense top. The BN's input is a frozen feature, so
 * its dx is never formed; its gamma/beta gradients are the shard's
 * backward sums (layers.h step d).
 * Phase 0 part [1 + 2D] = {n, sum x [D], sum x^2 [D]}. */
#include <string.h>

#include "core/heads_internal.h"
#include "core/layers.h"
#include "core/prof.h"

static void m1_phase0_one(const mf_head *h, const mf_batch_view *v, double *part) {
    const int D = h->D;
    memset(part, 0, (1 + 2 * (size_t)D) * sizeof *part);
    part[0] = v->n;
    for (int k = 0; k < h->nb; k++) {
        int b = h->branch[k] - 1, C = h->C[k];
        mf_bn_sums(part + 1 + h->col[k], part + 1 + D + h->col[k], v->mean[b],
                   mf_ld(v->ld_mean[b], C), v->n, C);
    }
}

void mf_m1_phase0(const mf_head *h, const mf_batch_view *v, int shard, double *part, size_t stride) {
    double t0 = mf_prof_t0();
    for (int s = 0; s < mf_nshards(v->n, shard); s++) {
        int r0 = s * shard;
        mf_batch_view sv = mf_batch_rows(v, r0, v->n - r0 < shard ? v->n - r0 : shard);
        m1_phase0_one(h, &sv, part + s * stride);
    }
    mf_prof_add(MF_PROF_FWD, t0);
}

/* xn = BN(x) with the given statistics (batch or moving). */
static void m1_normalise(const mf_head *h, const float *params, mf_shard_ws *ws,
                         const mf_batch_view *v, const float *mean, const float *var) {
    for (int k = 0; k < h->nb; k++) {
        int b = h->branch[k] - 1, C = h->C[k], c0 = h->col[k];
        mf_bn_forward(ws->xn + c0, h->D, v->mean[b], mf_ld(v->ld_mean[b], C), mean + c0,
                      var + c0, params + h->gamma + c0, params + h->beta + c0, v->n, C);
    }
}

void mf_m1_grad(const mf_head *h, const float *params, mf_shard_ws *ws, const mf_batch_view *v, int shard,
                const double *prev, float *grad, size_t stride, double *metrics) {
    const int D = h->D, n = v->n;
    double t0 = mf_prof_t0();
    ws->count = prev[0];
    mf_bn_stats(ws->mean, ws->var, prev + 1, prev + 1 + D, ws->count, D);
    m1_normalise(h, params, ws, v, ws->mean, ws->var);
    mf_prof_add(MF_PROF_FWD, t0);
    mf_top_forward(h, params, ws, v->label, n, shard, 1);
    mf_top_backward_dx(h, params, ws, v->label, n);
    t0 = mf_prof_t0();
    for (int s = 0; s < mf_nshards(n, shard); s++) {
        int r0 = s * shard, m = n - r0 < shard ? n - r0 : shard;
        mf_batch_view sv = mf_batch_rows(v, r0, m);
        float *g = grad + s * stride;
        memset(ws->own_dsum, 0, 2 * (size_t)D * sizeof(double));
        for (int k = 0; k < h->nb; k++) {
            int b = h->branch[k] - 1, C = h->C[k], c0 = h->col[k];
            mf_bn_dsums(ws->own_dsum + c0, ws->own_dsumxh + c0, ws->dxn + (size_t)r0 * D + c0, D, sv.mean[b],
                        mf_ld(sv.ld_mean[b], C), ws->mean + c0, ws->var + c0, m, C);
        }
        for (int c = 0; c < D; c++) {
            g[h->gamma + c] = (float)ws->own_dsumxh[c];
            g[h->beta + c] = (float)ws->own_dsum[c];
        }
        metrics[2 * s] = ws->sloss[s];
        metrics[2 * s + 1] = ws->scorrect[s];
    }
    mf_prof_add(MF_PROF_BWD, t0);
}

void mf_m1_predict(const mf_head *h, const float *params, const float *state,
                   mf_shard_ws *ws, const mf_batch_view *v) {
    m1_normalise(h, params, ws, v, state + h->mmean, state + h->mvar);
    mf_top_forward(h, params, ws, v->label, v->n, v->n, 0);
}
