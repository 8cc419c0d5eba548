/* heads_model1.c: Model1 (Fusion1) on one shard. Input: the block means
 * mean_b [n, C_b] of the chosen blocks, read in place as the column blocks
 * of x [n, D]. x -> BN -> dense top. The BN's input is a frozen feature, so
 * its dx is never formed; its gamma/beta gradients are the shard's
 * backward sums (layers.h step d).
 * Phase 0 part [1 + 2D] = {n, sum x [D], sum x^2 [D]}. */
#include <string.h>

#include "core/heads_internal.h"
#include "core/layers.h"

void mf_m1_phase0(const mf_head *h, const mf_batch_view *v, double *part) {
    const int D = h->D;
    memset(part, 0, (1 + 2 * (size_t)D) * sizeof *part);
    part[0] = v->n;
    for (int k = 0; k < h->nb; k++) {
        int b = h->branch[k] - 1, C = h->C[k];
        mf_bn_sums(part + 1 + h->col[k], part + 1 + D + h->col[k], v->mean[b],
                   mf_ld(v->ld_mean[b], C), v->n, C);
    }
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

void mf_m1_grad(const mf_head *h, const float *params, mf_shard_ws *ws,
                const mf_batch_view *v, const double *prev, float *grad) {
    const int D = h->D, n = v->n;
    ws->count = prev[0];
    mf_bn_stats(ws->mean, ws->var, prev + 1, prev + 1 + D, ws->count, D);
    m1_normalise(h, params, ws, v, ws->mean, ws->var);
    mf_top_forward(h, params, ws, v->label, n);
    mf_top_backward_dx(h, params, ws, v->label, n);
    memset(ws->own_dsum, 0, 2 * (size_t)D * sizeof(double));
    for (int k = 0; k < h->nb; k++) {
        int b = h->branch[k] - 1, C = h->C[k], c0 = h->col[k];
        mf_bn_dsums(ws->own_dsum + c0, ws->own_dsumxh + c0, ws->dxn + c0, D, v->mean[b],
                    mf_ld(v->ld_mean[b], C), ws->mean + c0, ws->var + c0, n, C);
    }
    for (int c = 0; c < D; c++) {
        grad[h->gamma + c] = (float)ws->own_dsumxh[c];
        grad[h->beta + c] = (float)ws->own_dsum[c];
    }
}

void mf_m1_predict(const mf_head *h, const float *params, const float *state,
                   mf_shard_ws *ws, const mf_batch_view *v) {
    m1_normalise(h, params, ws, v, state + h->mmean, state + h->mvar);
    mf_top_forward(h, params, ws, v->label, v->n);
}
