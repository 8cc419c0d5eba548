/* heads.c: the heads' layout (parameter and state offsets, Keras tensor
 * names), initialisation, shard workspaces, and the dispatch of the training
 * protocol and of prediction to the two models (see heads.h). */
#include "core/heads.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/heads_internal.h"
#include "core/vec.h"
#include "core/layers.h"
#include "core/rng.h"

const int mf_block_side[MF_NBLOCK] = {36, 18, 9, 4, 2};
const int mf_block_window[MF_NBLOCK] = {16, 8, 4, 2, 1};
const int mf_block_filters[MF_NBLOCK] = {32, 32, 32, 64, 64};

/* Appends a tensor of rows x cols (cols 0: a vector) to a list; returns its offset. */
static size_t add_tensor(mf_tensor *list, int *nt, size_t *total, const char *name,
                         int rows, int cols) {
    mf_tensor *t = &list[(*nt)++];
    snprintf(t->name, sizeof t->name, "%s", name);
    t->off = *total;
    t->ndim = cols ? 2 : 1;
    t->shape[0] = rows;
    t->shape[1] = cols;
    t->count = (size_t)rows * (size_t)(cols ? cols : 1);
    *total += t->count;
    return t->off;
}

int mf_head_init(mf_head *h, int model, int nbranch, const int *branches, mf_err *e) {
    memset(h, 0, sizeof *h);
    if (model != 1 && model != 2) return mf_fail(e, "head: model %d (expected 1 or 2)", model);
    if (nbranch < 1 || nbranch > MF_NBLOCK)
        return mf_fail(e, "head: %d branches (expected 1..5)", nbranch);
    for (int k = 0; k < nbranch; k++) {
        if (branches[k] < 1 || branches[k] > MF_NBLOCK || (k > 0 && branches[k] <= branches[k - 1]))
            return mf_fail(e, "head: branches must be block numbers 1..5 in increasing order");
    }
    h->model = model;
    h->nb = nbranch;
    for (int k = 0; k < nbranch; k++) {
        int b = branches[k] - 1;
        h->branch[k] = branches[k];
        h->C[k] = mf_vgg_block_width[b];
        h->F[k] = mf_block_filters[b];
        h->side[k] = mf_block_side[b];
        h->win[k] = mf_block_window[b];
        h->col[k] = h->D;
        h->D += model == 1 ? h->C[k] : h->F[k];
        if (h->C[k] > h->maxC) h->maxC = h->C[k];
        if (h->F[k] > h->maxF) h->maxF = h->F[k];
    }
    char name[40];
    size_t *np = &h->nparams, *ns = &h->nstate;
    if (model == 2) {
        for (int k = 0; k < nbranch; k++) {
            int b = h->branch[k];
            snprintf(name, sizeof name, "bn_b%d/gamma", b);
            h->bgamma[k] = add_tensor(h->tensor, &h->ntensor, np, name, h->C[k], 0);
            snprintf(name, sizeof name, "bn_b%d/beta", b);
            h->bbeta[k] = add_tensor(h->tensor, &h->ntensor, np, name, h->C[k], 0);
            snprintf(name, sizeof name, "conv_b%d/kernel", b);
            h->ckernel[k] = add_tensor(h->tensor, &h->ntensor, np, name, h->C[k], h->F[k]);
            snprintf(name, sizeof name, "conv_b%d/bias", b);
            h->cbias[k] = add_tensor(h->tensor, &h->ntensor, np, name, h->F[k], 0);
            snprintf(name, sizeof name, "bn_b%d/moving_mean", b);
            h->bmmean[k] = add_tensor(h->stensor, &h->nstensor, ns, name, h->C[k], 0);
            snprintf(name, sizeof name, "bn_b%d/moving_variance", b);
            h->bmvar[k] = add_tensor(h->stensor, &h->nstensor, ns, name, h->C[k], 0);
        }
    }
    h->gamma = add_tensor(h->tensor, &h->ntensor, np, "bn/gamma", h->D, 0);
    h->beta = add_tensor(h->tensor, &h->ntensor, np, "bn/beta", h->D, 0);
    h->w1 = add_tensor(h->tensor, &h->ntensor, np, "dense_1/kernel", h->D, MF_HIDDEN);
    h->b1 = add_tensor(h->tensor, &h->ntensor, np, "dense_1/bias", MF_HIDDEN, 0);
    h->w2 = add_tensor(h->tensor, &h->ntensor, np, "dense_2/kernel", MF_HIDDEN, MF_HIDDEN);
    h->b2 = add_tensor(h->tensor, &h->ntensor, np, "dense_2/bias", MF_HIDDEN, 0);
    h->w3 = add_tensor(h->tensor, &h->ntensor, np, "dense_3/kernel", MF_HIDDEN, MF_NCLASS);
    h->b3 = add_tensor(h->tensor, &h->ntensor, np, "dense_3/bias", MF_NCLASS, 0);
    h->mmean = add_tensor(h->stensor, &h->nstensor, ns, "bn/moving_mean", h->D, 0);
    h->mvar = add_tensor(h->stensor, &h->nstensor, ns, "bn/moving_variance", h->D, 0);
    return 0;
}

void mf_head_init_params(const mf_head *h, uint64_t seed, float *params, float *state) {
    for (int t = 0; t < h->ntensor; t++) {
        const mf_tensor *T = &h->tensor[t];
        const char *leaf = strrchr(T->name, '/') + 1;
        float *p = params + T->off;
        if (strcmp(leaf, "kernel") == 0) { /* [fan_in, fan_out] */
            double limit = sqrt(6.0 / (double)(T->shape[0] + T->shape[1]));
            for (size_t i = 0; i < T->count; i++) {
                double u = mf_rng_unit(seed, MF_STREAM_INIT, T->off + i);
                p[i] = (float)((2.0 * u - 1.0) * limit);
            }
        } else {
            float v = strcmp(leaf, "gamma") == 0 ? 1.0f : 0.0f; /* bias, beta: 0 */
            for (size_t i = 0; i < T->count; i++) p[i] = v;
        }
    }
    for (int t = 0; t < h->nstensor; t++) {
        const mf_tensor *T = &h->stensor[t];
        float v = strstr(T->name, "moving_variance") ? 1.0f : 0.0f;
        for (size_t i = 0; i < T->count; i++) state[T->off + i] = v;
    }
}

mf_batch_view mf_batch_rows(const mf_batch_view *v, int start, int count) {
    mf_batch_view s = *v;
    s.n = count;
    for (int b = 0; b < MF_NBLOCK; b++) {
        int C = mf_vgg_block_width[b];
        if (v->mean[b]) s.mean[b] = v->mean[b] + (size_t)start * mf_ld(v->ld_mean[b], C);
        if (v->meansq[b]) s.meansq[b] = v->meansq[b] + (size_t)start * mf_ld(v->ld_meansq[b], C);
        if (v->pool[b]) s.pool[b] = v->pool[b] + (size_t)start * mf_ld(v->ld_pool[b], 4 * C);
    }
    if (v->label) s.label = v->label + start;
    return s;
}

/* ---- workspaces ---- */

mf_shard_ws *mf_shard_ws_new(const mf_head *h, int cap) {
    mf_shard_ws *ws = calloc(1, sizeof *ws);
    if (!ws) return NULL;
    ws->cap = cap;
    size_t c = (size_t)cap, D = (size_t)h->D, H = MF_HIDDEN, K = MF_NCLASS;
    size_t nf = 2 * D + c * (D * 2 + H * 4 + K * 3);        /* mean, var, xn, dxn, a1, a2, d1, d2, logits.. */
    size_t nwt = K * H > (size_t)h->maxC * h->maxF ? K * H : (size_t)h->maxC * h->maxF;
    nf += nwt;
    if (h->model == 2) {
        for (int k = 0; k < h->nb; k++)
            nf += 2 * (size_t)h->C[k] + 4 * c * (size_t)(h->C[k] + h->F[k]);
        nf += c * D * 2 + 4 * c * (size_t)(h->maxF + h->maxC); /* feat, dfeat, dz, du */
    }
    /* top-BN backward sums (Model2: one pair per shard, up to cap shards),
     * the branch BN sums, the per-shard loss and count */
    size_t nown = 2 * D * (h->model == 2 ? c : 1);
    size_t nd = nown + 2 * (size_t)(h->maxC > h->D ? h->maxC : h->D) + 2 * c;
    ws->fblock = calloc(nf, sizeof(float));
    ws->dblock = calloc(nd, sizeof(double));
    if (!ws->fblock || !ws->dblock) {
        mf_shard_ws_free(ws);
        return NULL;
    }
    float *f = ws->fblock;
#define TAKE(ptr, count) do { (ptr) = f; f += (count); } while (0)
    TAKE(ws->mean, D);
    TAKE(ws->var, D);
    TAKE(ws->xn, c * D);
    TAKE(ws->dxn, c * D);
    TAKE(ws->a1, c * H);
    TAKE(ws->a2, c * H);
    TAKE(ws->d1, c * H);
    TAKE(ws->d2, c * H);
    TAKE(ws->logits, c * K);
    TAKE(ws->probs, c * K);
    TAKE(ws->dlogits, c * K);
    TAKE(ws->wt, nwt);
    if (h->model == 2) {
        for (int k = 0; k < h->nb; k++) {
            TAKE(ws->bmean[k], (size_t)h->C[k]);
            TAKE(ws->bvar[k], (size_t)h->C[k]);
            TAKE(ws->u[k], 4 * c * (size_t)h->C[k]);
            TAKE(ws->r[k], 4 * c * (size_t)h->F[k]);
        }
        TAKE(ws->feat, c * D);
        TAKE(ws->dfeat, c * D);
        TAKE(ws->dz, 4 * c * (size_t)h->maxF);
        TAKE(ws->du, 4 * c * (size_t)h->maxC);
    }
#undef TAKE
    ws->own_dsum = ws->dblock;
    ws->own_dsumxh = ws->dblock + D;
    ws->bsum = ws->dblock + nown;
    ws->sloss = ws->bsum + 2 * (size_t)(h->maxC > h->D ? h->maxC : h->D);
    ws->scorrect = ws->sloss + c;
    return ws;
}

void mf_shard_ws_split(mf_shard_ws *ws, const mf_top_split *split) { ws->split = split; }

void mf_shard_ws_free(mf_shard_ws *ws) {
    if (!ws) return;
    free(ws->fblock);
    free(ws->dblock);
    free(ws);
}

const float *mf_shard_ws_probs(const mf_shard_ws *ws) { return ws->probs; }
const float *mf_shard_ws_features(const mf_shard_ws *ws) { return ws->feat; }

/* ---- the training protocol ---- */

int mf_head_nphases(const mf_head *h) { return h->model == 1 ? 1 : 3; }

size_t mf_head_phase_len(const mf_head *h, int k) {
    if (h->model == 1) return 1 + 2 * (size_t)h->D;
    if (k == 0) {
        size_t n = 1;
        for (int j = 0; j < h->nb; j++) n += 2 * (size_t)h->C[j];
        return n;
    }
    return 2 * (size_t)h->D;
}

void mf_head_phase(const mf_head *h, const float *params, mf_shard_ws *ws, int k,
                   const mf_batch_view *shard, const double *prev, double *part) {
    mf_head_phase_shards(h, params, ws, k, shard, shard->n > 0 ? shard->n : 1, prev, part, 0);
}

void mf_head_shard_grad(const mf_head *h, const float *params, mf_shard_ws *ws,
                        const mf_batch_view *shard, const double *prev, float *grad,
                        double metrics[2]) {
    mf_head_grad_shards(h, params, ws, shard, shard->n > 0 ? shard->n : 1, prev, grad, 0, metrics);
}

void mf_head_phase_shards(const mf_head *h, const float *params, mf_shard_ws *ws, int k,
                          const mf_batch_view *rows, int shard, const double *prev, double *parts,
                          size_t stride) {
    ws->n = rows->n;
    if (h->model == 1)
        mf_m1_phase0(h, rows, shard, parts, stride);
    else
        mf_m2_phase(h, params, ws, k, rows, shard, prev, parts, stride);
}

void mf_head_grad_shards(const mf_head *h, const float *params, mf_shard_ws *ws, const mf_batch_view *rows,
                         int shard, const double *prev, float *grads, size_t stride, double *metrics) {
    ws->n = rows->n;
    if (h->model == 1)
        mf_m1_grad(h, params, ws, rows, shard, prev, grads, stride, metrics);
    else
        mf_m2_grad(h, params, ws, rows, shard, prev, grads, stride, metrics);
}

/* From the folds, never a shard workspace: a rank without shards holds no
 * batch statistics of its own, but every rank holds the folds. Per channel,
 * the same float rounding as the training forward (mf_bn_stats). */
static void update_from_sums(float *mmean, float *mvar, const double *sum, const double *sumsq,
                             double count, double nvalues, int C) {
    for (int c = 0; c < C; c++) {
        float m, v;
        mf_bn_stats(&m, &v, sum + c, sumsq + c, count, 1);
        mf_bn_update_moving(mmean + c, mvar + c, &m, &v, nvalues, 1);
    }
}

void mf_head_update_moving(const mf_head *h, const double *const *folds, float *state) {
    const double count = folds[0][0];
    if (h->model == 1) {
        update_from_sums(state + h->mmean, state + h->mvar, folds[0] + 1, folds[0] + 1 + h->D, count, count, h->D);
        return;
    }
    const double *p = folds[0] + 1;
    for (int k = 0; k < h->nb; k++) { /* branch BN: statistics over batch x H x W */
        int C = h->C[k];
        update_from_sums(state + h->bmmean[k], state + h->bmvar[k], p, p + C, count,
                         count * h->side[k] * h->side[k], C);
        p += 2 * C;
    }
    update_from_sums(state + h->mmean, state + h->mvar, folds[1], folds[1] + h->D, count, count, h->D);
}

MF_VEC void mf_fold_d(double *acc, const double *part, size_t n, int first) {
    if (first) {
        memcpy(acc, part, n * sizeof *acc);
        return;
    }
    for (size_t i = 0; i < n; i++) acc[i] += part[i];
}

MF_VEC void mf_fold_f(float *acc, const float *part, size_t n, int first) {
    if (first) {
        memcpy(acc, part, n * sizeof *acc);
        return;
    }
    for (size_t i = 0; i < n; i++) acc[i] += part[i];
}

/* ---- inference ---- */

void mf_head_predict(const mf_head *h, const float *params, const float *state,
                     mf_shard_ws *ws, const mf_batch_view *v, float *probs, double metrics[2]) {
    double loss = 0.0, correct = 0.0;
    for (int s = 0; s < v->n; s += ws->cap) {
        int m = v->n - s < ws->cap ? v->n - s : ws->cap;
        mf_batch_view c = mf_batch_rows(v, s, m);
        ws->n = m;
        if (h->model == 1)
            mf_m1_predict(h, params, state, ws, &c);
        else
            mf_m2_predict(h, params, state, ws, &c);
        memcpy(probs + (size_t)s * MF_NCLASS, ws->probs, (size_t)m * MF_NCLASS * sizeof(float));
        if (v->label) {
            loss += ws->loss;
            correct += ws->correct;
        }
    }
    if (metrics && v->label) {
        metrics[0] = loss;
        metrics[1] = correct;
    }
}
