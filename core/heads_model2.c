/* heads_model2.c: Model2 (Fusion2) on one shard or several consecutive shards
 * of one rank (row-wise steps and GEMMs over all their rows, whose bits are
 * each shard's alone; sums and the conv kernels' gradients per shard), from
 * the store's summaries.
 * Branch k (block b, C channels, F filters), per sample i:
 *   BN over P_b with batch stats: mean = avg_i mean_b, E[x^2] = avg_i meansq_b
 *   (every sample has the same H*W positions, so this is the mean over
 *   batch x H x W), var = E[x^2] - mean^2; BN is x*a + c per channel and
 *   commutes with average pooling, so
 *   u [4n, C]  = a * pool2x2_b + c            (the BN'd, pooled map)
 *   r [4n, F]  = ReLU(u K [C,F] + bias)        (1x1 conv at the 2x2 positions)
 *   feat[i, col_k + f] = mean over the 4 positions of r
 * feat [n, D] -> top BN (batch stats over the global batch) -> dense top.
 * Backward: the branch BN's statistics depend only on the frozen input, so
 * they are constants for gamma/beta: dbeta = sum dy, dgamma = sum dy*xhat
 * over batch x H x W, where dy = du/win^2 inside the pooled windows and 0 in
 * the dropped remainder, i.e. dbeta = sum du, dgamma = sum du * xhat(pool2x2)
 * over the 4n pooled positions (xhat is affine, so its window mean is xhat of
 * the window mean). No gradient flows into the features.
 * Phases: 0 part [1 + sum 2C_k] = {n, per branch: sum mean_b [C], sum meansq_b [C]};
 *         1 part [2D] = {sum feat, sum feat^2};
 *         2 part [2D] = {sum dxn, sum dxn*xhat} (top BN backward). */
#include <string.h>

#include "core/heads_internal.h"
#include "core/layers.h"
#include "core/prof.h"
#include "core/vec.h"

/* feat = the branches' outputs, with branch BN statistics bm[k], bv[k]. */
MF_VEC static void m2_branches(const mf_head *h, const float *params, mf_shard_ws *ws,
                        const mf_batch_view *v, const float *const *bm, const float *const *bv) {
    const int n = v->n, D = h->D;
    for (int k = 0; k < h->nb; k++) {
        int b = h->branch[k] - 1, C = h->C[k], F = h->F[k], ldp = mf_ld(v->ld_pool[b], 4 * C);
        /* u[4i .. 4i+3, :] = BN(pool2x2 of sample i): one call when the samples'
         * pooled maps are contiguous (the same values, row by row) */
        if (ldp == 4 * C)
            mf_bn_forward(ws->u[k], C, v->pool[b], C, bm[k], bv[k], params + h->bgamma[k], params + h->bbeta[k],
                          4 * n, C);
        else
            for (int i = 0; i < n; i++)
                mf_bn_forward(ws->u[k] + (size_t)4 * i * C, C, v->pool[b] + (size_t)i * ldp, C,
                              bm[k], bv[k], params + h->bgamma[k], params + h->bbeta[k], 4, C);
        mf_dense_forward(ws->r[k], ws->u[k], params + h->ckernel[k], params + h->cbias[k],
                         4 * n, C, F);
        mf_relu_forward(ws->r[k], ws->r[k], (size_t)4 * n * F);
        for (int i = 0; i < n; i++) {
            const float *r = ws->r[k] + (size_t)4 * i * F;
            float *g = ws->feat + (size_t)i * D + h->col[k];
            for (int f = 0; f < F; f++) g[f] = (r[f] + r[F + f] + r[2 * F + f] + r[3 * F + f]) / 4.0f;
        }
    }
}

/* Shard s of the group: rows [r0, r0 + m). */
#define SHARD_ROWS(s, n, shard, r0, m) int r0 = (s) * (shard), m = (n) - r0 < (shard) ? (n) - r0 : (shard)

void mf_m2_phase(const mf_head *h, const float *params, mf_shard_ws *ws, int k, const mf_batch_view *v,
                 int shard, const double *prev, double *part, size_t stride) {
    const int n = v->n, D = h->D, ns = mf_nshards(n, shard);
    double t0 = mf_prof_t0();
    if (k == 0) {
        for (int s = 0; s < ns; s++) {
            SHARD_ROWS(s, n, shard, r0, m);
            mf_batch_view sv = mf_batch_rows(v, r0, m);
            double *ps = part + s * stride;
            memset(ps, 0, mf_head_phase_len(h, 0) * sizeof *ps);
            ps[0] = m;
            double *p = ps + 1;
            for (int j = 0; j < h->nb; j++) {
                int b = h->branch[j] - 1, C = h->C[j];
                mf_colsum(p, sv.mean[b], mf_ld(sv.ld_mean[b], C), m, C);
                mf_colsum(p + C, sv.meansq[b], mf_ld(sv.ld_meansq[b], C), m, C);
                p += 2 * C;
            }
        }
        mf_prof_add(MF_PROF_FWD, t0);
    } else if (k == 1) {
        ws->count = prev[0];
        const double *p = prev + 1;
        for (int j = 0; j < h->nb; j++) {
            int C = h->C[j];
            mf_bn_stats(ws->bmean[j], ws->bvar[j], p, p + C, ws->count, C);
            p += 2 * C;
        }
        m2_branches(h, params, ws, v, (const float *const *)ws->bmean,
                    (const float *const *)ws->bvar);
        for (int s = 0; s < ns; s++) {
            SHARD_ROWS(s, n, shard, r0, m);
            double *ps = part + s * stride;
            memset(ps, 0, 2 * (size_t)D * sizeof *ps);
            mf_bn_sums(ps, ps + D, ws->feat + (size_t)r0 * D, D, m, D);
        }
        mf_prof_add(MF_PROF_FWD, t0);
    } else {
        mf_bn_stats(ws->mean, ws->var, prev, prev + D, ws->count, D);
        mf_bn_forward(ws->xn, D, ws->feat, D, ws->mean, ws->var, params + h->gamma,
                      params + h->beta, n, D);
        mf_prof_add(MF_PROF_FWD, t0);
        mf_top_forward(h, params, ws, v->label, n, shard, 1);
        mf_top_backward_dx(h, params, ws, v->label, n);
        t0 = mf_prof_t0();
        for (int s = 0; s < ns; s++) {
            SHARD_ROWS(s, n, shard, r0, m);
            double *own = ws->own_dsum + (size_t)s * 2 * D; /* {dsum [D], dsumxh [D]} */
            memset(own, 0, 2 * (size_t)D * sizeof(double));
            mf_bn_dsums(own, own + D, ws->dxn + (size_t)r0 * D, D, ws->feat + (size_t)r0 * D, D, ws->mean,
                        ws->var, m, D);
            memcpy(part + s * stride, own, 2 * (size_t)D * sizeof *part);
        }
        mf_prof_add(MF_PROF_BWD, t0);
    }
}

MF_VEC void mf_m2_grad(const mf_head *h, const float *params, mf_shard_ws *ws, const mf_batch_view *v, int shard,
                const double *prev, float *grad, size_t stride, double *metrics) {
    const int n = v->n, D = h->D, ns = mf_nshards(n, shard);
    double t0 = mf_prof_t0();
    /* top BN: dfeat from the global sums (row-wise); gamma/beta: each shard's sums */
    mf_bn_backward_dx(ws->dfeat, D, ws->dxn, D, ws->feat, D, ws->mean, ws->var,
                      params + h->gamma, prev, prev + D, ws->count, n, D);
    for (int s = 0; s < ns; s++) {
        const double *own = ws->own_dsum + (size_t)s * 2 * D;
        float *g = grad + s * stride;
        for (int c = 0; c < D; c++) {
            g[h->gamma + c] = (float)own[D + c];
            g[h->beta + c] = (float)own[c];
        }
        metrics[2 * s] = ws->sloss[s];
        metrics[2 * s + 1] = ws->scorrect[s];
    }
    for (int k = 0; k < h->nb; k++) {
        int b = h->branch[k] - 1, C = h->C[k], F = h->F[k], ldp = mf_ld(v->ld_pool[b], 4 * C);
        /* GAP and ReLU backward: dz [4n, F] */
        for (int i = 0; i < n; i++) {
            const float *g = ws->dfeat + (size_t)i * D + h->col[k];
            for (int p = 0; p < 4; p++) {
                const float *r = ws->r[k] + (size_t)(4 * i + p) * F;
                float *dz = ws->dz + (size_t)(4 * i + p) * F;
                for (int f = 0; f < F; f++) { /* branch-free: it vectorises */
                    float q = g[f] / 4.0f;
                    dz[f] = r[f] > 0.0f ? q : 0.0f;
                }
            }
        }
        /* 1x1 conv: du [4n, C] over all rows; dK [C,F], dbias [F] per shard */
        float *du = ws->du;
        mf_transpose(ws->wt, params + h->ckernel[k], C, F); /* k = F = 32 or 64 */
        mf_dense_backward_dx_t(du, ws->dz, ws->wt, 4 * n, C, F);
        for (int s = 0; s < ns; s++) {
            SHARD_ROWS(s, n, shard, r0, m);
            float *g = grad + s * stride;
            mf_dense_backward(NULL, g + h->ckernel[k], g + h->cbias[k], ws->dz + (size_t)4 * r0 * F,
                              ws->u[k] + (size_t)4 * r0 * C, NULL, 4 * m, C, F);
            /* branch BN gamma/beta over the shard's 4m pooled positions */
            double *ds = ws->bsum, *dsx = ws->bsum + C;
            memset(ds, 0, 2 * (size_t)C * sizeof *ds);
            if (ldp == 4 * C) /* contiguous maps: one call, the same sums in the same order */
                mf_bn_dsums(ds, dsx, du + (size_t)4 * r0 * C, C, v->pool[b] + (size_t)r0 * ldp, C, ws->bmean[k],
                            ws->bvar[k], 4 * m, C);
            else
                for (int i = r0; i < r0 + m; i++)
                    mf_bn_dsums(ds, dsx, du + (size_t)4 * i * C, C, v->pool[b] + (size_t)i * ldp, C,
                                ws->bmean[k], ws->bvar[k], 4, C);
            for (int c = 0; c < C; c++) {
                g[h->bgamma[k] + c] = (float)dsx[c];
                g[h->bbeta[k] + c] = (float)ds[c];
            }
        }
    }
    mf_prof_add(MF_PROF_BWD, t0);
}

void mf_m2_predict(const mf_head *h, const float *params, const float *state,
                   mf_shard_ws *ws, const mf_batch_view *v) {
    const float *bm[MF_NBLOCK], *bv[MF_NBLOCK];
    for (int k = 0; k < h->nb; k++) {
        bm[k] = state + h->bmmean[k];
        bv[k] = state + h->bmvar[k];
    }
    m2_branches(h, params, ws, v, bm, bv);
    mf_bn_forward(ws->xn, h->D, ws->feat, h->D, state + h->mmean, state + h->mvar,
                  params + h->gamma, params + h->beta, v->n, h->D);
    mf_top_forward(h, params, ws, v->label, v->n, v->n, 0);
}
