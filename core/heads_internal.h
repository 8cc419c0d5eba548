/* heads_internal.h: what the files of the heads share and nothing else sees:
 * the shard workspace and the per-model steps (heads_top.c: the dense top
 * common to both models; heads_model1.c, heads_model2.c: the models). */
#ifndef MF_HEADS_INTERNAL_H
#define MF_HEADS_INTERNAL_H
#include "core/heads.h"

/* A workspace holds the rows of one shard or of several consecutive shards
 * of the same rank (computed together: one GEMM per layer over all their
 * rows, whose bits are those of each shard alone, core/gemm.h); the sums
 * (BN partials, backward sums, loss) stay per shard. */
struct mf_shard_ws {
    int cap;                      /* samples */
    int n;                        /* samples of the shard(s)/chunk in hand */
    double count;                 /* samples of the global batch (phase 0 fold) */
    /* batch statistics (training), float as the normalisation uses them */
    float *bmean[MF_NBLOCK], *bvar[MF_NBLOCK]; /* Model2 branch BN [C_k] */
    float *mean, *var;            /* top BN (Model1: the only BN) [D] */
    double *own_dsum, *own_dsumxh; /* shard s's top-BN backward sums: own_dsum + s * 2D [D],
                                    * own_dsumxh + s * 2D [D] (Model2 keeps them from phase 2
                                    * to the gradient: one pair per shard of the group) */
    double *bsum;                 /* scratch [2 maxC]: branch BN backward sums */
    /* activations, row-major */
    float *u[MF_NBLOCK];          /* Model2 [cap*4, C_k]: BN'd pooled map */
    float *r[MF_NBLOCK];          /* Model2 [cap*4, F_k]: conv + ReLU */
    float *feat;                  /* Model2 [cap, D]: concatenated GAPs */
    float *xn;                    /* [cap, D]: top BN output */
    float *a1, *a2;               /* [cap, 1024]: dense 1, 2 after ReLU */
    float *logits, *probs, *dlogits; /* [cap, 2] */
    float *d2, *d1;               /* [cap, 1024]: grads of dense 2, 1 pre-activations */
    float *dxn;                   /* [cap, D]: grad of the top BN output */
    float *dfeat;                 /* Model2 [cap, D]: grad of feat */
    float *dz;                    /* Model2 [cap*4, maxF]: grad of a conv pre-activation */
    float *du;                    /* Model2 [cap*4, maxC]: grad of a BN'd pooled map */
    float *wt;                    /* a small kernel transposed [max(maxF*maxC, 2*1024)]: the
                                   * input gradient through it as a plain GEMM (k = 2..64
                                   * is too short for dot products) */
    double loss, correct;         /* of all rows in hand, once the loss is known */
    double *sloss, *scorrect;     /* [cap]: per shard of the group */
    float *fblock;
    double *dblock;
    const mf_top_split *split;    /* mf_shard_ws_split: the dense top cut between ranks (training) */
};

/* heads_top.c: xn [n, D] -> dense 1024 ReLU -> dense 1024 ReLU -> dense 2 -> softmax. */
/* probs of the n rows; if label: per shard of `shard` rows ws->sloss[s],
 * ws->scorrect[s], and their totals ws->loss, ws->correct (overwritten);
 * train = 1: the loss weighted by h->class_w (a training step), 0: not. */
void mf_top_forward(const mf_head *h, const float *params, mf_shard_ws *ws,
                    const int32_t *label, int n, int shard, int train);
/* dlogits (scale 1/ws->count, times h->class_w[y]), d2, d1, dxn. */
void mf_top_backward_dx(const mf_head *h, const float *params, mf_shard_ws *ws,
                        const int32_t *label, int n);

/* The group calls: v = consecutive shards of `shard` rows (the last may be
 * shorter; v->n == 0: one empty shard), parts/grads of shard s at
 * part + s * stride, metrics of shard s at metrics + 2s. */
static inline int mf_nshards(int n, int shard) { return n > 0 ? (n + shard - 1) / shard : 1; }

/* heads_model1.c */
void mf_m1_phase0(const mf_head *h, const mf_batch_view *v, int shard, double *part, size_t stride);
void mf_m1_grad(const mf_head *h, const float *params, mf_shard_ws *ws, const mf_batch_view *v, int shard,
                const double *prev, float *grad, size_t stride, double *metrics);
void mf_m1_predict(const mf_head *h, const float *params, const float *state,
                   mf_shard_ws *ws, const mf_batch_view *v);

/* heads_model2.c */
void mf_m2_phase(const mf_head *h, const float *params, mf_shard_ws *ws, int k, const mf_batch_view *v,
                 int shard, const double *prev, double *part, size_t stride);
void mf_m2_grad(const mf_head *h, const float *params, mf_shard_ws *ws, const mf_batch_view *v, int shard,
                const double *prev, float *grad, size_t stride, double *metrics);
void mf_m2_predict(const mf_head *h, const float *params, const float *state,
                   mf_shard_ws *ws, const mf_batch_view *v);

/* A view's row stride for block slot b-1 (0 means dense). */
static inline int mf_ld(int ld, int dense) { return ld ? ld : dense; }

#endif
