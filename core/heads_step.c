/* heads_step.c: the training protocol of heads.h run on one process over all
 * shards in shard order. It is the reference the MPI trainer must match: the
 * same shards, the same per-shard partials and the same left folds, so the
 * gradient is bitwise the same as on any number of ranks. All shards are
 * computed together in one workspace (mf_head_phase_shards /
 * mf_head_grad_shards: one GEMM per layer over the batch, the bits of each
 * shard alone). */
#include <stdlib.h>

#include "core/heads.h"

struct mf_step_local {
    const mf_head *h;
    int cap, shard, nshard;
    mf_shard_ws *ws;    /* all shards' rows */
    double *part;       /* [nshard][maxlen]: per-shard partials of a phase */
    double *fold[MF_HEAD_MAXPHASE]; /* [maxlen]: each phase's fold (the moving update reads them) */
    float *gpart;       /* [nshard][w1]: the shards' gradients (all but the dense top) */
    double *met;        /* [nshard][2] */
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
    s->ws = mf_shard_ws_new(h, s->nshard * shard);
    s->part = malloc((size_t)s->nshard * s->maxlen * sizeof(double));
    int ok = 1;
    for (int k = 0; k < MF_HEAD_MAXPHASE; k++) ok &= (s->fold[k] = malloc(s->maxlen * sizeof(double))) != NULL;
    s->gpart = malloc((size_t)s->nshard * h->w1 * sizeof(float) + 1);
    s->met = malloc((size_t)s->nshard * 2 * sizeof(double));
    s->rec = malloc(mf_head_top_floats(h) * (size_t)batch_cap * sizeof(float));
    s->scratch = malloc(mf_head_top_scratch_floats(h, batch_cap) * sizeof(float));
    ok = ok && s->ws && s->part && s->gpart && s->met && s->rec && s->scratch;
    if (!ok) {
        mf_step_local_free(s);
        return NULL;
    }
    return s;
}

void mf_step_local_free(mf_step_local *s) {
    if (!s) return;
    mf_shard_ws_free(s->ws);
    free(s->met);
    free(s->part);
    for (int k = 0; k < MF_HEAD_MAXPHASE; k++) free(s->fold[k]);
    free(s->gpart);
    free(s->rec);
    free(s->scratch);
    free(s);
}

void mf_step_local_run(mf_step_local *s, const float *params, float *state,
                       const mf_batch_view *batch_in, float *grad, double metrics[2]) {
    const mf_head *h = s->h;
    /* batch->n above the capacity: caller error; its first cap samples are used */
    mf_batch_view clamped = mf_batch_rows(batch_in, 0, batch_in->n < s->cap ? batch_in->n : s->cap);
    const mf_batch_view *batch = &clamped;
    int ns = (batch->n + s->shard - 1) / s->shard;
    const double *prev = NULL;
    for (int k = 0; k < mf_head_nphases(h); k++) {
        size_t len = mf_head_phase_len(h, k);
        double *fold = s->fold[k];
        mf_head_phase_shards(h, params, s->ws, k, batch, s->shard, prev, s->part, s->maxlen);
        for (int i = 0; i < ns; i++) mf_fold_d(fold, s->part + (size_t)i * s->maxlen, len, i == 0);
        prev = fold;
    }
    mf_head_grad_shards(h, params, s->ws, batch, s->shard, prev, s->gpart, h->w1, s->met);
    for (int i = 0; i < ns; i++) {
        mf_fold_f(grad, s->gpart + (size_t)i * h->w1, h->w1, i == 0);
        mf_fold_d(metrics, s->met + 2 * i, 2, i == 0);
    }
    mf_head_top_pack(h, s->ws, s->rec);
    if (ns > 0) mf_head_top_grads(h, s->rec, batch->n, s->scratch, grad);
    mf_head_update_moving(h, (const double *const *)s->fold, state);
}
