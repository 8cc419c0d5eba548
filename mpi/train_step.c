/* train_step.c: see train_step.h; the per-rank half of mf_step_local_run
 * (core/heads_step.c), with the folds done by mpi/fold.c. */
#include "mpi/train_step.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/prof.h"
#include "core/sgd.h"

/* Rounds a byte count up to whole cache lines. */
static size_t line_up(size_t b) { return (b + 63) / 64 * 64; }

/* Collective: the exchange buffers in a node-shared window when the ranks
 * share a node (else x.base stays NULL: the all-gathers). */
static void shared_exchanges(mf_dstep *d) {
    const mf_head *h = d->h;
    const size_t S = (size_t)d->plan.nshard;
    size_t off[MF_HEAD_MAXPHASE + 4], at = 0;
    int np = mf_head_nphases(h);
    for (int k = 0; k < np; k++) off[k] = at, at += line_up(S * mf_head_phase_len(h, k) * sizeof(double));
    off[np] = at, at += line_up(S * h->w1 * sizeof(float));
    off[np + 1] = at, at += line_up(S * 2 * sizeof(double));
    off[np + 2] = at, at += line_up((size_t)d->batch * mf_head_top_floats(h) * sizeof(float));
    off[np + 3] = at, at += line_up((size_t)d->batch * h->D * sizeof(float));
    if (!mf_shm_alloc(&d->x, d->plan.comm, at, MF_SHM_GROUP)) return;
    for (int k = 0; k < np; k++) d->xpart[k] = (double *)(d->x.base + off[k]);
    d->xgrad = (float *)(d->x.base + off[np]);
    d->xmet = (double *)(d->x.base + off[np + 1]);
    d->xrec = (float *)(d->x.base + off[np + 2]);
    d->xdxn = (float *)(d->x.base + off[np + 3]);
    /* the dense top by columns: every rank has rows (the same decision on
     * every rank: the plan and the environment are the same) */
    const char *env = getenv("MF_TOP_SPLIT");
    int every = !(env && !strcmp(env, "0")) && d->d2;
    for (int q = 0; q < d->plan.size; q++) every &= d->plan.count[q] > 0;
    d->split_on = every;
}

int mf_dstep_init(mf_dstep *d, const mf_head *h, int batch, int shard, MPI_Comm comm, mf_err *e) {
    memset(d, 0, sizeof *d);
    d->h = h;
    d->batch = batch;
    d->shard = shard;
    int nshard = (batch + shard - 1) / shard, ok = 1;
    if (mf_fold_plan_init(&d->plan, comm, nshard)) ok = 0;
    if (ok) {
        int me = d->plan.rank, f = d->plan.first[me];
        d->nown = d->plan.count[me];
        d->row0 = f * shard;
        int end = (f + d->nown) * shard;
        d->nrows = (end < batch ? end : batch) - d->row0;
        if (d->nrows < 0) d->nrows = 0;
        d->nws = d->nown > 0 ? d->nown : 1;
        for (int k = 0; k < mf_head_nphases(h); k++)
            if (mf_head_phase_len(h, k) > d->maxlen) d->maxlen = mf_head_phase_len(h, k);
        d->ws = mf_shard_ws_new(h, d->nws * shard);
        d->part = malloc(sizeof(double) * (size_t)d->nws * d->maxlen);
        for (int k = 0; k < MF_HEAD_MAXPHASE; k++) ok &= (d->fold[k] = malloc(sizeof(double) * d->maxlen)) != NULL;
        d->met = malloc(sizeof(double) * 2 * (size_t)d->nws);
        d->rec = malloc(sizeof(float) * mf_head_top_floats(h) * (size_t)batch);
        d->scratch = malloc(sizeof(float) * mf_head_top_scratch_floats(h, batch));
        d->d2 = malloc(sizeof(float) * MF_HIDDEN * (size_t)batch);
        d->rcount = malloc(sizeof(int) * 6 * (size_t)d->plan.size);
        ok = ok && d->ws && d->part && d->met && d->rec && d->scratch && d->rcount;
        if (ok) { /* rank q's samples, in floats of packed records: its shards are contiguous */
            d->rdispl = d->rcount + d->plan.size;
            d->pcount = d->rcount + 2 * d->plan.size;
            d->pdispl = d->rcount + 3 * d->plan.size;
            /* the dense top's rows dealt in contiguous ranges of about equal size */
            size_t top = h->nparams - h->w1, P = (size_t)d->plan.size;
            for (int q = 0; q < d->plan.size; q++) {
                size_t lo = mf_head_top_boundary(h, h->w1 + top * (size_t)q / P);
                size_t hi = mf_head_top_boundary(h, h->w1 + top * (size_t)(q + 1) / P);
                d->pdispl[q] = (int)(lo - h->w1);
                d->pcount[q] = (int)(hi - lo);
                if (q == d->plan.rank) d->top_lo = lo, d->top_hi = hi;
            }
            for (int q = 0; q < d->plan.size; q++) {
                int lo = d->plan.first[q] * shard, hi = (d->plan.first[q] + d->plan.count[q]) * shard;
                if (hi > batch) hi = batch;
                if (lo > batch) lo = batch;
                d->rdispl[q] = lo * (int)mf_head_top_floats(h);
                d->rcount[q] = (hi - lo) * (int)mf_head_top_floats(h);
            }
            d->xcount = d->rcount + 4 * d->plan.size;
            d->xdispl = d->rcount + 5 * d->plan.size;
            size_t total = 0;
            for (int q = 0; q < d->plan.size; q++) {
                size_t b = (size_t)d->plan.count[q] * (h->w1 * sizeof(float) + 2 * sizeof(double)) +
                           (size_t)d->rcount[q] * sizeof(float);
                ok = ok && total + b <= (size_t)INT_MAX;
                d->xdispl[q] = (int)total;
                d->xcount[q] = (int)b;
                total += b;
            }
            ok = ok && (d->xbuf = malloc(total + 1)) != NULL;
        }
    }
    ok = ok && d->d2;
    int all = 0, bad = !ok;
    MPI_Allreduce(&bad, &all, 1, MPI_INT, MPI_MAX, comm);
    if (!all && d->plan.size > 1) shared_exchanges(d);
    if (all) {
        mf_dstep_free(d);
        return mf_fail(e, "train: out of memory for the shards of a batch of %d (shard %d)", batch, shard);
    }
    return 0;
}

void mf_dstep_free(mf_dstep *d) {
    mf_dstep_settle(d);
    mf_shm_free(&d->pv);
    mf_shm_free(&d->x);
    mf_shard_ws_free(d->ws);
    free(d->part);
    for (int k = 0; k < MF_HEAD_MAXPHASE; k++) free(d->fold[k]);
    free(d->met);
    free(d->xbuf);
    free(d->rec);
    free(d->scratch);
    free(d->d2);
    free(d->rcount);
    mf_fold_plan_free(&d->plan);
    memset(d, 0, sizeof *d);
}

/* The barrier of the shared exchanges; it also ends the previous step's
 * in-place update (pending: its writes to pv are made visible here, before
 * anything reads the parameters: phase 0 reads only the batch). */
static void sync_x(mf_dstep *d) {
    if (d->pending) MPI_Win_sync(d->pv.win);
    mf_shm_sync(&d->x);
    if (d->pending) MPI_Win_sync(d->pv.win);
    d->pending = 0;
}

/* mf_top_split's barrier: the shared exchange's, its wait with the exchanges. */
static void split_sync(void *arg) {
    double t0 = mf_prof_t0();
    sync_x((mf_dstep *)arg);
    mf_prof_add(MF_PROF_REDUCE, t0);
}

/* In place (mf_dstep_share): the BN/conv parameters [lo, hi) this rank
 * updates, whole cache lines (the update is element by element: any cut
 * gives the same bits). */
static void sgd_rest_range(const mf_dstep *d, size_t *lo, size_t *hi) {
    size_t w1 = d->h->w1, P = (size_t)d->plan.size, q = (size_t)d->plan.rank;
    *lo = w1 * q / P / 16 * 16;
    *hi = q + 1 == P ? w1 : w1 * (q + 1) / P / 16 * 16;
}

/* The exchange after the backward pass through the node-shared window: my
 * shards' gradients, metrics and records written in place, one barrier,
 * the folds in shard order read from every rank's slots. Returns the
 * batch's records. */
static const float *exchange_shared(mf_dstep *d, const float *params, const mf_batch_view *rows,
                                    const double *prev, float *grad, double metrics[2], int inplace) {
    const mf_head *h = d->h;
    const size_t w1 = h->w1;
    const int f = d->plan.first[d->plan.rank];
    if (d->nown) {
        mf_head_grad_shards(h, params, d->ws, rows, d->shard, prev, d->xgrad + (size_t)f * w1, w1,
                            d->xmet + 2 * (size_t)f);
        if (!d->split_on) /* split: the records are already complete in place */
            mf_head_top_pack(h, d->ws, d->xrec + (size_t)d->row0 * mf_head_top_floats(h));
    }
    double t0 = mf_prof_t0();
    sync_x(d);
    /* in place: only my range of the BN/conv gradient is read (my rows of
     * their SGD, below): half the folds' reads, half of them from the
     * other core's cache (element-wise: the same bits) */
    size_t lo = 0, hi = w1;
    if (inplace) sgd_rest_range(d, &lo, &hi);
    for (int s = 0; s < d->plan.nshard; s++) {
        if (hi > lo) mf_fold_f(grad + lo, d->xgrad + (size_t)s * w1 + lo, hi - lo, s == 0);
        mf_fold_d(metrics, d->xmet + 2 * (size_t)s, 2, s == 0);
    }
    mf_prof_add(MF_PROF_REDUCE, t0);
    return d->xrec;
}

/* The same by one all-gather of every rank's block of xbuf. */
static const float *exchange_msg(mf_dstep *d, const float *params, const mf_batch_view *rows, const double *prev,
                                 float *grad, double metrics[2]) {
    const mf_head *h = d->h;
    const size_t GB = h->w1 * sizeof(float), MB = 2 * sizeof(double);
    const int me = d->plan.rank, P = d->plan.size;
    if (d->nown) { /* my block: gradients, metrics, records */
        unsigned char *b = d->xbuf + d->xdispl[me];
        mf_head_grad_shards(h, params, d->ws, rows, d->shard, prev, (float *)b, h->w1, d->met);
        for (int i = 0; i < d->nown; i++) memcpy(b + d->nown * GB + i * MB, d->met + 2 * i, MB);
        mf_head_top_pack(h, d->ws, (float *)(b + d->nown * (GB + MB)));
    }
    double t0 = mf_prof_t0();
    if (P > 1) /* bytes: the doubles and floats travel as they are */
        MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_BYTE, d->xbuf, d->xcount, d->xdispl, MPI_BYTE, d->plan.comm);
    /* the left folds in shard order (ranks hold contiguous shard ranges), and
     * the batch's records in batch order */
    for (int q = 0, s = 0; q < P; q++) {
        const unsigned char *b = d->xbuf + d->xdispl[q];
        int cnt = d->plan.count[q];
        for (int i = 0; i < cnt; i++, s++) {
            double m[2];
            memcpy(m, b + cnt * GB + i * MB, MB);
            mf_fold_f(grad, (const float *)(b + i * GB), h->w1, s == 0);
            mf_fold_d(metrics, m, 2, s == 0);
        }
        if (P > 1) memcpy(d->rec + d->rdispl[q], b + cnt * (GB + MB), (size_t)d->rcount[q] * sizeof(float));
    }
    mf_prof_add(MF_PROF_REDUCE, t0);
    /* one rank: its block's records are the batch's */
    return P > 1 ? d->rec : (const float *)(d->xbuf + d->nown * (GB + MB));
}

/* The step; with velocity != NULL the SGD update too (the dense top's fused
 * with its gradient, mf_head_top_sgd; grad then holds only [0, w1)). */
static int dstep(mf_dstep *d, float *params, float *velocity, float lr, float mom, float *state,
                 const mf_batch_view *mine, float *grad, double metrics[2], mf_err *e) {
    const mf_head *h = d->h;
    const double *prev = NULL;
    const int shared = d->x.base != NULL, f = d->plan.first[d->plan.rank];
    int rc = 0;
    /* all my shards in one workspace: one GEMM per layer over my rows, the
     * bits of each shard alone (a rank without shards: one empty view) */
    mf_batch_view rows = mf_batch_rows(mine, 0, d->nown ? mine->n : 0);
    if (d->split_on) { /* set here: d may have moved since mf_dstep_init */
        d->split = (mf_top_split){.rank = d->plan.rank, .size = d->plan.size, .batch = d->batch, .row0 = d->row0,
                                  .rec = d->xrec, .dxn = d->xdxn, .d2 = d->d2, .sync = split_sync, .arg = d};
        mf_shard_ws_split(d->ws, &d->split);
    }
    for (int k = 0; k < mf_head_nphases(h); k++) {
        size_t len = mf_head_phase_len(h, k);
        /* shared: my shards' parts straight into their slots (a rank
         * without shards computes its empty part aside: it has no slot) */
        double *part = shared && d->nown ? d->xpart[k] + (size_t)f * len : d->part;
        mf_head_phase_shards(h, params, d->ws, k, &rows, d->shard, prev, part, len);
        double t0 = mf_prof_t0();
        if (shared) {
            sync_x(d);
            for (int s = 0; s < d->plan.nshard; s++) mf_fold_d(d->fold[k], d->xpart[k] + (size_t)s * len, len, s == 0);
        } else /* a rank without shards contributes nothing (count 0) */
            rc |= mf_fold_allgather_d(&d->plan, d->part, len, d->fold[k]);
        mf_prof_add(MF_PROF_REDUCE, t0);
        prev = d->fold[k];
    }
    /* in place: params and velocity in the node-shared window (mf_dstep_share) */
    const int inplace =
        velocity && d->pv.base && params == (float *)d->pv.base && velocity == params + h->nparams;
    const float *rec = shared ? exchange_shared(d, params, &rows, prev, grad, metrics, inplace)
                              : exchange_msg(d, params, &rows, prev, grad, metrics);
    if (velocity) {
        /* in place: the other ranks read these kernels next (streaming stores, core/sgd.h) */
        mf_head_top_sgd_range(h, rec, d->batch, d->scratch, params, velocity, lr, mom, d->top_lo, d->top_hi,
                              inplace);
        double ts = mf_prof_t0();
        if (!inplace) /* small: every rank on its own copy */
            mf_sgd_step(params, velocity, grad, h->w1, lr, mom);
        else { /* in place: each rank its range (folded only there) */
            size_t lo, hi;
            sgd_rest_range(d, &lo, &hi);
            if (hi > lo) mf_sgd_step(params + lo, velocity + lo, grad + lo, hi - lo, lr, mom);
        }
        mf_prof_add(MF_PROF_SGD, ts);
        ts = mf_prof_t0();
        /* in place: every rank's rows are visible to all after the next
         * step's first barrier (sync_x) or mf_dstep_settle, one barrier
         * per step fewer */
        if (inplace) d->pending = 1;
        else if (d->plan.size > 1)
            MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_FLOAT, params + h->w1, d->pcount, d->pdispl, MPI_FLOAT,
                           d->plan.comm);
        mf_prof_add(MF_PROF_REDUCE, ts);
    } else {
        mf_head_top_grads(h, rec, d->batch, d->scratch, grad);
    }
    mf_head_update_moving(h, (const double *const *)d->fold, state);
    return rc ? mf_fail(e, "train: out of memory in the exchange of the BN sums") : 0;
}

int mf_dstep_run(mf_dstep *d, const float *params, float *state, const mf_batch_view *mine, float *grad,
                 double metrics[2], mf_err *e) {
    return dstep(d, (float *)params, NULL, 0, 0, state, mine, grad, metrics, e);
}

int mf_dstep_run_sgd(mf_dstep *d, float *params, float *velocity, float lr, float momentum, float *state,
                     const mf_batch_view *mine, float *grad, double metrics[2], mf_err *e) {
    return dstep(d, params, velocity, lr, momentum, state, mine, grad, metrics, e);
}

void mf_dstep_settle(mf_dstep *d) {
    if (d->pending) { /* the same on every rank: the same steps ran everywhere */
        mf_shm_sync(&d->pv);
        d->pending = 0;
    }
}

void mf_dstep_gather_velocity(mf_dstep *d, float *velocity) {
    mf_dstep_settle(d);
    if (d->pv.base && velocity == (float *)d->pv.base + d->h->nparams) return; /* shared: nothing to gather */
    if (d->plan.size > 1)
        MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_FLOAT, velocity + d->h->w1, d->pcount, d->pdispl, MPI_FLOAT,
                       d->plan.comm);
}

int mf_dstep_share(mf_dstep *d, float **params, float **velocity) {
    const size_t n = d->h->nparams;
    if (!d->x.base || !mf_shm_alloc(&d->pv, d->plan.comm, 2 * n * sizeof(float), MF_SHM_GROUP)) return 0;
    float *p = (float *)d->pv.base;
    if (d->plan.rank == 0) {
        memcpy(p, *params, n * sizeof(float));
        memcpy(p + n, *velocity, n * sizeof(float));
    }
    mf_shm_sync(&d->pv);
    *params = p;
    *velocity = p + n;
    return 1;
}
