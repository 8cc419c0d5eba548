/* heads.h: the two fusion heads of the paper (Model1 = Fusion1, Model2 =
 * Fusion2) on the feature store's per-patch summaries of the frozen VGG
 * blocks, with a training step cut into fixed shards so that data-parallel
 * training gives the same bits on any number of ranks.
 *
 * Model1: x = concat_b mean_b [D = sum C_b] -> BN -> Dense 1024 ReLU ->
 *         Dense 1024 ReLU -> Dense 2 softmax.
 * Model2: per chosen branch b: BN over P_b (stats over batch x H x W from
 *         mean_b, meansq_b) -> avgpool (window 16,8,4,2,1) -> 1x1 conv + bias
 *         + ReLU (F_b = 32,32,32,64,64) -> GAP over the 2x2 positions; this is
 *         computed exactly as ReLU(conv(a*pool2x2_b + c)) averaged over 2x2
 *         (DESIGN.md); concat [D = sum F_b] -> BN -> the same dense top.
 *
 * Parameters live in ONE flat float array (params[nparams]: optimiser and
 * allreduce see one buffer), BN moving statistics in another (state[nstate]);
 * mf_head.tensor / mf_head.stensor name every block of them (Keras names).
 *
 * TRAINING STEP PROTOCOL (same code path on 1 rank and on many):
 * the global batch (n samples) is cut into shards of a FIXED size S (last one
 * shorter), shard s = samples [s*S, min(n, (s+1)*S)), S independent of the
 * rank count. Each shard has its own mf_shard_ws. With P = mf_head_nphases():
 *   prev = NULL
 *   for k = 0 .. P-1:
 *       for each shard s (any rank):  mf_head_phase(h, params, ws_s, k, shard_s, prev, part_s)
 *       fold = part_0; fold += part_1; ... in shard order   (mf_fold_d; every rank)
 *       prev = fold                                         (length mf_head_phase_len(h, k))
 *   for each shard s:  mf_head_shard_grad(h, params, ws_s, shard_s, prev, grad_s, metrics_s)
 *   grad[0, w1) = grad_0; grad += grad_1; ... in shard order (mf_fold_f; BN, conv)
 *   for each shard s:  mf_head_top_pack(h, ws_s, rec + s's first sample * top_floats)
 *   all-gather rec in shard order; every rank: mf_head_top_grads(h, rec, n, ...)
 *                      -> grad[w1, nparams): the dense top, one GEMM per layer
 *   metrics = metrics_0 + metrics_1 + ... in shard order    (mf_fold_d, 2 values)
 *   mf_head_update_moving(h, folds, state)                  (every rank; folds[k]
 *                      = the fold of phase k: the batch statistics of the whole batch)
 *   then SGD (core/sgd.h) on params with grad.
 * A rank may compute its consecutive shards together in one workspace
 * (mf_head_phase_shards / mf_head_grad_shards: the same per-shard parts,
 * gradients and metrics, bitwise), and may fuse the dense top's gradient
 * with its SGD update, by ranges of kernel rows shared among the ranks
 * (mf_head_top_sgd_range: the same bits as mf_head_top_grads + SGD).
 * An MPI trainer all-gathers the per-shard partial vectors (doubles, small)
 * into shard order and folds them on every rank; for the gradient (floats,
 * nparams per shard) any scheme reproducing the left fold in shard order
 * works (all-gather then fold, or a chain over ranks holding contiguous
 * shard ranges). mf_step_local_run() is the one-process instance of exactly
 * this protocol. Phases: Model1: 0 = input BN sums. Model2: 0 = branch BN
 * sums (of mean_b, meansq_b), 1 = top BN sums, 2 = top BN backward sums.
 * The gradient is that of the MEAN loss over the global batch (1/n inside). */
#ifndef MF_HEADS_H
#define MF_HEADS_H
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/vgg.h"

#define MF_NBLOCK 5           /* VGG blocks 1..5 */
#define MF_NCLASS 2           /* 0 Normal, 1 Tumor */
#define MF_HIDDEN 1024        /* the two dense layers */
#define MF_SHARD_DEFAULT 8    /* samples per shard: a batch of 32 is 4 shards */
#define MF_HEAD_MAXTENSOR 32
#define MF_HEAD_MAXPHASE 3    /* mf_head_nphases() is at most this */

/* Per VGG block b = 1..5 (index b-1): spatial side at 72x72 input, Model2's
 * pooling window and 1x1-conv filter count; the channels are core/vgg.h's
 * mf_vgg_block_width. */
extern const int mf_block_side[MF_NBLOCK];     /* 36, 18, 9, 4, 2 */
extern const int mf_block_window[MF_NBLOCK];   /* 16, 8, 4, 2, 1 */
extern const int mf_block_filters[MF_NBLOCK];  /* 32, 32, 32, 64, 64 */

typedef struct mf_tensor {
    char name[40];   /* e.g. "dense_1/kernel", "bn_b5/moving_variance" */
    size_t off;      /* first float in params (or state) */
    size_t count;
    int ndim, shape[2];
} mf_tensor;

typedef struct mf_head {
    int model;               /* 1 or 2 */
    int nb;                  /* number of chosen branches */
    int branch[MF_NBLOCK];   /* chosen blocks, 1..5, strictly increasing */
    int C[MF_NBLOCK];        /* per chosen branch k: channels */
    int F[MF_NBLOCK];        /* Model2: filters */
    int side[MF_NBLOCK], win[MF_NBLOCK];
    int col[MF_NBLOCK];      /* column of branch k in the concatenation */
    int D;                   /* width of the concatenation = top BN channels */
    int maxC, maxF;
    /* parameter offsets (params) */
    size_t bgamma[MF_NBLOCK], bbeta[MF_NBLOCK], ckernel[MF_NBLOCK], cbias[MF_NBLOCK];
    size_t gamma, beta, w1, b1, w2, b2, w3, b3;
    size_t nparams;
    /* state offsets: BN moving mean / variance */
    size_t bmmean[MF_NBLOCK], bmvar[MF_NBLOCK], mmean, mvar;
    size_t nstate;
    mf_tensor tensor[MF_HEAD_MAXTENSOR];
    int ntensor;
    mf_tensor stensor[MF_HEAD_MAXTENSOR];
    int nstensor;
    /* the training loss's weight per class (train.class_weight); NULL = 1
     * (set by the trainer after mf_head_init; predictions never weigh) */
    const float *class_w;
} mf_head;

/* model 1 or 2; branches: nbranch block numbers 1..5, strictly increasing. */
int mf_head_init(mf_head *h, int model, int nbranch, const int *branches, mf_err *e);

/* Keras default initialisation: Glorot-uniform kernels,
 * w = (2u - 1) sqrt(6/(fan_in + fan_out)), u = mf_rng_unit(seed,
 * MF_STREAM_INIT, i) with i the float's index in params; zero biases; BN gamma
 * 1, beta 0; moving mean 0, moving variance 1. */
void mf_head_init_params(const mf_head *h, uint64_t seed, float *params, float *state);

/* What a batch of n samples is, as the feature store gives it; pointers per
 * VGG BLOCK b in slot b-1 (only the chosen blocks are read), row-major with
 * a row stride (floats from one sample to the next; 0 = dense):
 *   mean[b-1]    [n, C_b]      spatial mean of P_b        (Model1, Model2)
 *   meansq[b-1]  [n, C_b]      spatial mean of P_b^2      (Model2)
 *   pool[b-1]    [n, 2, 2, C_b] avgpool of P_b, window 16,8,4,2,1 (Model2)
 *   label        [n]           0 Normal, 1 Tumor (training, metrics; may be NULL
 *                              for prediction)
 * Model1 on a concatenated [n, D] array x: mean[b-1] = x + col_k, ld_mean = D. */
typedef struct mf_batch_view {
    int n;
    const float *mean[MF_NBLOCK], *meansq[MF_NBLOCK], *pool[MF_NBLOCK];
    int ld_mean[MF_NBLOCK], ld_meansq[MF_NBLOCK], ld_pool[MF_NBLOCK];
    const int32_t *label;
} mf_batch_view;

/* Rows [start, start + count) of v. */
mf_batch_view mf_batch_rows(const mf_batch_view *v, int start, int count);

/* Activations and batch statistics of one shard (at most cap samples). */
typedef struct mf_shard_ws mf_shard_ws;
mf_shard_ws *mf_shard_ws_new(const mf_head *h, int cap); /* NULL when out of memory */
void mf_shard_ws_free(mf_shard_ws *ws);
/* After the loss was computed (training or prediction): probs [n, 2] of the
 * last shard/chunk; features [n, D]: the top BN's input (Model2: the
 * concatenated branch outputs; Model1: NULL). For tests and diagnostics. */
const float *mf_shard_ws_probs(const mf_shard_ws *ws);
const float *mf_shard_ws_features(const mf_shard_ws *ws);

/* ---- the training protocol (see the header comment) ---- */
int mf_head_nphases(const mf_head *h);
size_t mf_head_phase_len(const mf_head *h, int k); /* doubles per shard */
/* Phase k on one shard; prev = the fold over all shards of phase k-1 (NULL
 * for k = 0); writes part[mf_head_phase_len(h, k)]. */
void mf_head_phase(const mf_head *h, const float *params, mf_shard_ws *ws, int k,
                   const mf_batch_view *shard, const double *prev, double *part);
/* The shard's contribution grad[0 .. h->w1) (overwritten; the dense top's part
 * is made by mf_head_top_grads, below) to the gradient of the
 * global batch's mean loss, prev = the fold of the last phase; metrics[0] =
 * sum of the shard's losses, metrics[1] = number of correct argmax. */
void mf_head_shard_grad(const mf_head *h, const float *params, mf_shard_ws *ws,
                        const mf_batch_view *shard, const double *prev, float *grad,
                        double metrics[2]);
/* The same for several consecutive shards of one rank in one workspace of
 * capacity >= rows->n: rows = the shards' samples, cut into shards of
 * `shard` (the last may be shorter; rows->n == 0: one empty shard, as an
 * idle rank runs the phases). Shard s's part goes to parts + s * stride,
 * its gradient to grads + s * stride, its metrics to metrics + 2s: each
 * BITWISE what the one-shard calls above give for that shard alone in its
 * own workspace (the GEMMs run over all the rows at once, core/gemm.h; the
 * sums stay per shard). The workspace then holds all the rows (top_pack). */
void mf_head_phase_shards(const mf_head *h, const float *params, mf_shard_ws *ws, int k,
                          const mf_batch_view *rows, int shard, const double *prev, double *parts,
                          size_t stride);
void mf_head_grad_shards(const mf_head *h, const float *params, mf_shard_ws *ws, const mf_batch_view *rows,
                         int shard, const double *prev, float *grads, size_t stride, double *metrics);
/* The dense top's weight gradients grad[h->w1 .. nparams) are not per shard:
 * each shard packs its activations (mf_head_top_floats per sample: xn, a1,
 * a2, d1, d2, dlogits), and one call computes the gradients of the whole
 * global batch (n samples, records in batch order) with one sgemm per layer.
 * The same inputs give the same bits on every rank and rank count. The
 * records are read in place: scratch is unused here (mf_head_top_sgd's). */
size_t mf_head_top_floats(const mf_head *h);
void mf_head_top_pack(const mf_head *h, const mf_shard_ws *ws, float *rec);
size_t mf_head_top_scratch_floats(const mf_head *h, int n);
void mf_head_top_grads(const mf_head *h, const float *rec, int n, float *scratch, float *grad);
/* The same gradients applied at once by momentum SGD (core/sgd.h) to
 * params/velocity [w1 .. nparams), a block of kernel rows at a time while it
 * is in cache, never written out: the bits of mf_head_top_grads followed by
 * mf_sgd_step on that range, without the gradient's 10 MB round trip to
 * memory. scratch: mf_head_top_scratch_floats(h, n) floats. */
void mf_head_top_sgd(const mf_head *h, const float *rec, int n, float *scratch, float *params, float *velocity,
                     float lr, float momentum);
/* The same restricted to the parameters [lo, hi), both boundaries given by
 * mf_head_top_boundary (whole kernel rows and biases): ranks can share the
 * update, each its own range, and exchange the updated parameters.
 * stream = 1: the kernels' new values written by mf_sgd_step_stream (the
 * same bits; for parameters other cores read next, core/sgd.h). */
void mf_head_top_sgd_range(const mf_head *h, const float *rec, int n, float *scratch, float *params,
                           float *velocity, float lr, float momentum, size_t lo, size_t hi, int stream);
/* The first boundary of a kernel row or bias of the dense top at or after
 * params offset off (w1 .. nparams). */
size_t mf_head_top_boundary(const mf_head *h, size_t off);

/* The dense top cut by COLUMNS between the ranks of a node (model
 * parallel, in a training step only): instead of each rank streaming all of
 * the dense kernels for its own rows, rank `rank` of `size` computes, for
 * all `batch` rows of the global batch, its range of each dense layer's
 * output units in the forward pass and its range of the kernels' rows
 * (input units) in the input-gradient pass; the activations go through
 * `rec` and `dxn`, which every rank reads and writes in place, `sync`
 * between the layers (a barrier that makes every rank's writes visible).
 * Every element is one rank's whole product, the same chain as on one rank
 * (gemm.h), so the bits do not change. rec = the batch's records
 * (mf_head_top_pack's layout), complete after the step's backward pass:
 * the weight gradients read it as they are. Every rank of the group must
 * run the same phases and gradient calls, each with its own rows
 * [row0, row0 + n) (n >= 1). */
typedef struct mf_top_split {
    int rank, size;        /* this rank's share of the units */
    int batch, row0;       /* the global batch's rows; this rank's first */
    float *rec;            /* shared [batch][mf_head_top_floats] */
    float *dxn;            /* shared [batch][D]: the top BN output's gradient */
    float *d2;             /* this rank's [batch][1024]: dense 2's pre-activation gradient */
    void (*sync)(void *arg);
    void *arg;
} mf_top_split;
/* Training steps on ws use split (NULL: each rank its own rows, as on one
 * rank); prediction never does. split must outlive its use. */
void mf_shard_ws_split(mf_shard_ws *ws, const mf_top_split *split);

/* BN moving statistics update from the global batch statistics: folds[k] =
 * the fold over all shards of phase k (every rank has them, also one that
 * computed no shard). */
void mf_head_update_moving(const mf_head *h, const double *const *folds, float *state);

/* The fixed-order fold: first ? acc = part : acc += part (element-wise). */
void mf_fold_d(double *acc, const double *part, size_t n, int first);
void mf_fold_f(float *acc, const float *part, size_t n, int first);

/* ---- one process: the protocol above over all shards, in shard order ---- */
typedef struct mf_step_local mf_step_local;
/* For global batches of at most batch_cap samples in shards of `shard`. */
mf_step_local *mf_step_local_new(const mf_head *h, int batch_cap, int shard);
void mf_step_local_free(mf_step_local *s);
/* grad[nparams] = gradient of the mean loss; metrics = {loss sum, correct};
 * updates the moving statistics in state. */
void mf_step_local_run(mf_step_local *s, const float *params, float *state,
                       const mf_batch_view *batch, float *grad, double metrics[2]);

/* ---- inference (moving statistics) ----
 * probs[n, 2] for v's samples, computed in chunks of ws's capacity starting
 * at v's first row (a sample's bits depend on its chunk: for rank-count-
 * independent output give each rank a range starting at a multiple of the
 * capacity). If metrics != NULL and v->label != NULL, metrics = {loss sum,
 * correct} (overwritten). */
void mf_head_predict(const mf_head *h, const float *params, const float *state,
                     mf_shard_ws *ws, const mf_batch_view *v, float *probs, double metrics[2]);

#endif
