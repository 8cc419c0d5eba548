/* heads_step.c: the training protocol of heads.h run on one process over all
 * shards in shard order. It is the reference the MPI trainer must match: the
 * same shards, the same per-shard calls and the same left folds, so the
 * gradient is bitwise the same as on any number of ranks. */
#include <stdlib.h>

#include "core/heads.h"

struct mf_step_local {
    const mf_head *h;
    int cap, shard, nshard;
    mf_shard_ws **ws;   /* [nshard] */
    double *part;       /* [nshard][maxlen]: per-shard partials of a phase */
    double *fold[MF_HEAD_MAXPHASE]; /* [maxlen]: each phase's fold (the moving update reads them) */
    float *gpart;       /* [w1]: one shard's gradient (all but the dense top) */
    float *rec, *scratch; /* the batch's top activations, packed and unpacked */
    size_t maxlen;
};

mf_step_local *mf_step_local_new(const mf_head *h, int batch_cap, int shard) {
    if (batch_cap < 1 || shard < 1) return NULL;
    mf_step_local *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->h = h;
    s->cap = batch_cap;
    s->shard = shard;
    s->nshard = (batch_cap + shard - 1) / shard;
    for (int k = 0; k < mf_head_nphases(h); k++)
        if (mf_head_phase_len(h, k) > s->maxlen) s->maxlen = mf_head_phase_len(h, k);
    s->ws = calloc((size_t)s->nshard, sizeof *s->ws);
    s->part = malloc((size_t)s->nshard * s->maxlen * sizeof(double));
    int ok = 1;
    for (int k = 0; k < MF_HEAD_MAXPHASE; k++) ok &= (s->fold[k] = malloc(s->maxlen * sizeof(double))) != NULL;
    s->gpart = malloc(h->w1 * sizeof(float) + 1);
    s->rec = malloc(mf_head_top_floats(h) * (size_t)batch_cap * sizeof(float));
    s->scratch = malloc(mf_head_top_scratch_floats(h, batch_cap) * sizeof(float));
    ok = ok && s->ws && s->part && s->gpart && s->rec && s->scratch;
    for (int i = 0; ok && i < s->nshard; i++) ok = (s->ws[i] = mf_shard_ws_new(h, shard)) != NULL;
    if (!ok) {
        mf_step_local_free(s);
        return NULL;
    }
    return s;
}

void mf_step_local_free(mf_step_local *s) {
    if (!s) return;
    if (s->ws)
        for (int i = 0; i < s->nshard; i++) mf_shard_ws_free(s->ws[i]);
    free(s->ws);
    free(s->part);
    for (int k = 0; k < MF_HEAD_MAXPHASE; k++) free(s->fold[k]);
    free(s->gpart);
    free(s->rec);
    free(s->scratch);
    free(s);
}

void mf_step_local_run(mf_step_local *s, const float *params, float *state,
                       const mf_batch_view *batch, float *grad, double metrics[2]) {
    const mf_head *h = s->h;
    int ns = (batch->n + s->shard - 1) / s->shard;
    if (ns > s->nshard) ns = s->nshard; /* batch->n above the capacity: caller error */
    const double *prev = NULL;
    for (int k = 0; k < mf_head_nphases(h); k++) {
        size_t len = mf_head_phase_len(h, k);
        double *fold = s->fold[k];
        for (int i = 0; i < ns; i++) {
            int start = i * s->shard, m = batch->n - start < s->shard ? batch->n - start : s->shard;
            mf_batch_view v = mf_batch_rows(batch, start, m);
            double *part = s->part + (size_t)i * s->maxlen;
            mf_head_phase(h, params, s->ws[i], k, &v, prev, part);
            mf_fold_d(fold, part, len, i == 0);
        }
        prev = fold;
    }
    for (int i = 0; i < ns; i++) {
        int start = i * s->shard, m = batch->n - start < s->shard ? batch->n - start : s->shard;
        mf_batch_view v = mf_batch_rows(batch, start, m);
        double mi[2];
        mf_head_shard_grad(h, params, s->ws[i], &v, prev, i == 0 ? grad : s->gpart, mi);
        if (i > 0) mf_fold_f(grad, s->gpart, h->w1, 0);
        mf_fold_d(metrics, mi, 2, i == 0);
        mf_head_top_pack(h, s->ws[i], s->rec + (size_t)start * mf_head_top_floats(h));
    }
    if (ns > 0) mf_head_top_grads(h, s->rec, batch->n, s->scratch, grad);
    mf_head_update_moving(h, (const double *const *)s->fold, state);
}
