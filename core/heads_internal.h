/* heads_internal.h: what the files of the heads share and nothing else sees:
 * the shard workspace and the per-model steps (heads_top.c: the dense top
 * common to both models; heads_model1.c, heads_model2.c: the models). */
#ifndef MF_HEADS_INTERNAL_H
#define MF_HEADS_INTERNAL_H
#include "core/heads.h"

struct mf_shard_ws {
    int cap;                      /* samples */
    int n;                        /* samples of the shard/chunk in hand */
    double count;                 /* samples of the global batch (phase 0 fold) */
    /* batch statistics (training), float as the normalisation uses them */
    float *bmean[MF_NBLOCK], *bvar[MF_NBLOCK]; /* Model2 branch BN [C_k] */
    float *mean, *var;            /* top BN (Model1: the only BN) [D] */
    double *own_dsum, *own_dsumxh; /* this shard's top-BN backward sums [D] */
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
    double loss, correct;         /* of the shard, once its loss is known */
    float *fblock;
    double *dblock;
};

/* heads_top.c: xn [n, D] -> dense 1024 ReLU -> dense 1024 ReLU -> dense 2 -> softmax. */
/* probs; if label: ws->loss, ws->correct (overwritten). */
void mf_top_forward(const mf_head *h, const float *params, mf_shard_ws *ws,
                    const int32_t *label, int n);
/* dlogits (scale 1/ws->count), d2, d1, dxn. */
void mf_top_backward_dx(const mf_head *h, const float *params, mf_shard_ws *ws,
                        const int32_t *label, int n);

/* heads_model1.c */
void mf_m1_phase0(const mf_head *h, const mf_batch_view *v, double *part);
void mf_m1_grad(const mf_head *h, const float *params, mf_shard_ws *ws,
                const mf_batch_view *v, const double *prev, float *grad);
void mf_m1_predict(const mf_head *h, const float *params, const float *state,
                   mf_shard_ws *ws, const mf_batch_view *v);

/* heads_model2.c */
void mf_m2_phase(const mf_head *h, const float *params, mf_shard_ws *ws, int k,
                 const mf_batch_view *v, const double *prev, double *part);
void mf_m2_grad(const mf_head *h, const float *params, mf_shard_ws *ws,
                const mf_batch_view *v, const double *prev, float *grad);
void mf_m2_predict(const mf_head *h, const float *params, const float *state,
                   mf_shard_ws *ws, const mf_batch_view *v);

/* A view's row stride for block slot b-1 (0 means dense). */
static inline int mf_ld(int ld, int dense) { return ld ? ld : dense; }

#endif
