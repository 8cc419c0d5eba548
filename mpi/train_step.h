/* train_step.h: one synchronous data-parallel training step of a fusion head
 * (core/heads.h's shard protocol over MPI). The global batch of B samples is
 * cut into shards of S (the last may be shorter), dealt to the ranks in
 * contiguous ranges (mpi/fold.h); each rank computes its shards together (one
 * GEMM per layer over its rows, each shard's bits, core/heads.h), the BN sums
 * of every phase and the BN/conv gradients are folded in shard order, and the
 * shards' top activations are all-gathered so that the dense top's gradients
 * of the whole batch are one GEMM per layer; so every rank ends the step with
 * the same gradient (mf_dstep_run), or the same updated parameters
 * (mf_dstep_run_sgd: each rank updates a range of the dense top and the
 * ranges are all-gathered), bitwise, whatever the rank count. When the
 * ranks share a node every exchange is in place in a node-shared window
 * (the same folds in the same order, a barrier instead of an all-gather;
 * mf_dstep_share puts the parameters there too); MF_NODE_SHM=0 or ranks on
 * several nodes take the all-gathers. Sharing a node, the ranks also cut
 * the dense top between them by columns (core/heads.h mf_top_split): each
 * streams its share of the kernels for the whole batch, instead of all of
 * them for its rows. */
#ifndef MF_MPI_TRAIN_STEP_H
#define MF_MPI_TRAIN_STEP_H
#include <mpi.h>

#include "core/err.h"
#include "core/heads.h"
#include "mpi/fold.h"
#include "mpi/node_shm.h"

typedef struct mf_dstep {
    const mf_head *h;
    mf_fold_plan plan;
    int batch, shard;
    int nown;              /* shards of this rank */
    int row0, nrows;       /* this rank's samples: [row0, row0 + nrows) of the batch */
    int nws;               /* max(nown, 1): a rank without shards still runs the phases */
    mf_shard_ws *ws;       /* my shards' rows, computed together (cap nws * shard) */
    double *part;          /* [nws][maxlen] */
    double *fold[MF_HEAD_MAXPHASE]; /* [maxlen]: each phase's fold */
    double *met;           /* [nws][2] */
    float *rec;            /* [batch][top_floats]: the batch's packed top activations */
    /* ONE all-gather per step after the backward pass (under a loaded node
     * every collective waits for the last rank to be scheduled): rank q's
     * block of xbuf = its shards' gradients [count][w1] floats, their metrics
     * [count][2] doubles, its rows' records [rows][top_floats] floats */
    unsigned char *xbuf;
    int *xcount, *xdispl;  /* [size]: bytes */
    float *scratch;        /* mf_head_top_scratch_floats(h, batch) */
    int *rcount, *rdispl;  /* [size]: the all-gather of rec, in floats */
    size_t top_lo, top_hi; /* the dense top's parameters this rank updates (mf_dstep_run_sgd) */
    int *pcount, *pdispl;  /* [size]: every rank's range, floats from params + w1 */
    size_t maxlen;
    /* When the ranks share a node (mpi/node_shm.h), the exchanges are in
     * place: each rank writes its shards' parts, gradients, metrics and
     * records into x, one barrier, every rank reads all of them; and with
     * mf_dstep_share the parameters and velocities live in pv, each rank
     * updates its own rows there: no all-gather of the dense top. */
    mf_shm x;
    double *xpart[MF_HEAD_MAXPHASE]; /* in x: [nshard][phase_len(k)] */
    float *xgrad;          /* in x: [nshard][w1] */
    double *xmet;          /* in x: [nshard][2] */
    float *xrec;           /* in x: [batch][top_floats] */
    mf_shm pv;             /* mf_dstep_share: params [nparams], then velocity [nparams] */
    /* The dense top cut by columns between the ranks (core/heads.h
     * mf_top_split) when the exchanges are shared and every rank has a
     * shard (MF_TOP_SPLIT=0: each rank its own rows through all of it) */
    int split_on;
    mf_top_split split;
    float *xdxn;           /* in x: [batch][D] */
    float *d2;             /* [batch][1024] */
    int pending;           /* the last step's in-place update not yet made visible (mf_dstep_settle) */
} mf_dstep;

/* Collective over comm: for global batches of exactly `batch` samples in
 * shards of `shard`. Fails on every rank if any ran out of memory. */
int mf_dstep_init(mf_dstep *d, const mf_head *h, int batch, int shard, MPI_Comm comm, mf_err *e);
void mf_dstep_free(mf_dstep *d);

/* Collective. mine = this rank's d->nrows samples (rows row0.. of the global
 * batch). grad[nparams] = gradient of the batch's mean loss, metrics =
 * {loss sum, correct} over the batch, and the BN moving statistics in state
 * updated; identical on every rank. */
int mf_dstep_run(mf_dstep *d, const float *params, float *state, const mf_batch_view *mine, float *grad,
                 double metrics[2], mf_err *e);
/* The step and then momentum SGD (core/sgd.h) on params/velocity: the
 * same bits as mf_dstep_run followed by mf_sgd_step over all parameters,
 * but the dense top's gradient (10 MB for Model1) is applied block by block
 * while in cache and never stored (mf_head_top_sgd_range), and the ranks
 * share that update: each updates its own contiguous range of the dense
 * top's rows [top_lo, top_hi), then the updated parameters are
 * all-gathered. params ends identical on every rank; of the dense top's
 * VELOCITY each rank keeps only its range current: mf_dstep_gather_velocity
 * before the velocity is read (a checkpoint). grad[0 .. h->w1) is the rest
 * of the gradient, [w1 ..) is left undefined; with the parameters shared
 * (mf_dstep_share) only this rank's cache-line range of [0, w1), the part
 * it updates, is folded (the rest undefined: half the fold's reads). */
int mf_dstep_run_sgd(mf_dstep *d, float *params, float *velocity, float lr, float momentum, float *state,
                     const mf_batch_view *mine, float *grad, double metrics[2], mf_err *e);
/* Collective: every rank's range of the velocity to every rank (nothing to
 * do when it lives in the shared window: every rank sees every range). */
void mf_dstep_gather_velocity(mf_dstep *d, float *velocity);

/* Collective, before the first step (or right after
 * mf_dstep_gather_velocity): when the ranks share a node, copies rank 0's
 * *params and *velocity (nparams floats each, complete on rank 0) into one
 * node-shared window owned by d and points *params and *velocity at it;
 * returns 1. Otherwise (one rank, ranks on several nodes, MF_NODE_SHM=0)
 * returns 0 and changes nothing. The caller keeps its own buffers (to free
 * them) and passes exactly these pointers to mf_dstep_run_sgd, which then
 * updates each rank's rows in place: the same bits, no parameter
 * all-gather. The other ranks' rows of a step are visible after the next
 * step's first exchange or after mf_dstep_settle: call it before reading
 * the parameters between steps (validation, a copy of the best ones;
 * mf_dstep_gather_velocity does). mf_dstep_free ends the window: copy out
 * what must outlive it. */
int mf_dstep_share(mf_dstep *d, float **params, float **velocity);
/* Collective: the last step's in-place updates visible to every rank
 * (nothing to do on the message-passing path). */
void mf_dstep_settle(mf_dstep *d);

#endif
