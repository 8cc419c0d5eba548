/* heads_fixture.h: synthetic inputs for the head tests. Random raw pooled
 * maps P_b [B, H, W, C_b] (non-negative, many exact zeros, like VGG's
 * post-ReLU pooled outputs), reduced to the feature store's summaries
 * exactly as the store defines them (mean_b, meansq_b, pool2x2_b), a
 * batch view over them, labels, and initialised parameters. Header-only,
 * static functions, for tests/unit/test_heads*.c and friends. */
#ifndef MF_TEST_HEADS_FIXTURE_H
#define MF_TEST_HEADS_FIXTURE_H
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/heads.h"
#include "core/rng.h"

typedef struct hfix {
    int B;
    mf_head h;
    double *P[MF_NBLOCK];   /* raw maps [B, side, side, C] (kept if asked) */
    float *mean[MF_NBLOCK], *meansq[MF_NBLOCK], *pool[MF_NBLOCK];
    int32_t *label;
    mf_batch_view v;
    float *params, *state;
} hfix;

static inline double hfix_u(uint64_t seed, uint64_t i) { return mf_rng_unit(seed, 99, i); }

/* Returns 0, or -1 on a bad head. */
static inline int hfix_make(hfix *f, int model, int nb, const int *br, int B, uint64_t seed, int keep_maps) {
    memset(f, 0, sizeof *f);
    mf_err e;
    if (mf_head_init(&f->h, model, nb, br, &e)) return -1;
    f->B = B;
    f->v.n = B;
    uint64_t cnt = 0;
    for (int k = 0; k < nb; k++) {
        int b = br[k] - 1, C = mf_vgg_block_width[b], S = mf_block_side[b], w = mf_block_window[b];
        size_t nmap = (size_t)B * S * S * C;
        double *P = malloc(nmap * sizeof *P);
        /* per channel offset and scale, then ReLU */
        for (int i = 0; i < B; i++)
            for (int p = 0; p < S * S; p++)
                for (int c = 0; c < C; c++) {
                    double off = 2.0 * hfix_u(seed + 1, (uint64_t)b * 4096 + c) - 0.5;
                    double sc = 0.5 + 2.5 * hfix_u(seed + 2, (uint64_t)b * 4096 + c);
                    double z = off + sc * (2.0 * hfix_u(seed, cnt++) - 1.0) + 0.3 * (i % 3);
                    P[((size_t)i * S * S + p) * C + c] = z > 0 ? z : 0;
                }
        f->mean[b] = malloc((size_t)B * C * sizeof(float));
        f->meansq[b] = malloc((size_t)B * C * sizeof(float));
        f->pool[b] = malloc((size_t)B * 4 * C * sizeof(float));
        for (int i = 0; i < B; i++)
            for (int c = 0; c < C; c++) {
                double s = 0, s2 = 0;
                for (int p = 0; p < S * S; p++) {
                    double x = P[((size_t)i * S * S + p) * C + c];
                    s += x;
                    s2 += x * x;
                }
                f->mean[b][(size_t)i * C + c] = (float)(s / (S * S));
                f->meansq[b][(size_t)i * C + c] = (float)(s2 / (S * S));
                for (int pi = 0; pi < 2; pi++)
                    for (int pj = 0; pj < 2; pj++) {
                        double a = 0;
                        for (int r = pi * w; r < pi * w + w; r++)
                            for (int q = pj * w; q < pj * w + w; q++)
                                a += P[(((size_t)i * S + r) * S + q) * C + c];
                        f->pool[b][(((size_t)i * 2 + pi) * 2 + pj) * C + c] = (float)(a / (w * w));
                    }
            }
        if (keep_maps)
            f->P[b] = P;
        else
            free(P);
        f->v.mean[b] = f->mean[b];
        f->v.meansq[b] = f->meansq[b];
        f->v.pool[b] = f->pool[b];
    }
    f->label = malloc((size_t)B * sizeof *f->label);
    for (int i = 0; i < B; i++) f->label[i] = hfix_u(seed + 3, i) < 0.5 ? 1 : 0;
    f->label[0] = 0;
    if (B > 1) f->label[1] = 1;
    f->v.label = f->label;
    f->params = malloc(f->h.nparams * sizeof(float));
    f->state = malloc(f->h.nstate * sizeof(float));
    mf_head_init_params(&f->h, seed, f->params, f->state);
    return 0;
}

static inline void hfix_free(hfix *f) {
    for (int b = 0; b < MF_NBLOCK; b++) {
        free(f->P[b]);
        free(f->mean[b]);
        free(f->meansq[b]);
        free(f->pool[b]);
    }
    free(f->label);
    free(f->params);
    free(f->state);
}

/* The training protocol of heads.h driven by hand over shards of size S,
 * keeping one workspace per shard (ws[ceil(B/S)], allocated by the caller). */
static inline void hfix_step(const mf_head *h, const float *params, float *state,
                      const mf_batch_view *v, int S, mf_shard_ws **ws, float *grad,
                      double metrics[2]) {
    int ns = (v->n + S - 1) / S;
    size_t maxlen = 0;
    for (int k = 0; k < mf_head_nphases(h); k++)
        if (mf_head_phase_len(h, k) > maxlen) maxlen = mf_head_phase_len(h, k);
    double *part = malloc((size_t)ns * maxlen * sizeof(double));
    double *fold = malloc(MF_HEAD_MAXPHASE * maxlen * sizeof(double)), *prev = NULL;
    const double *folds[MF_HEAD_MAXPHASE];
    float *g = malloc(h->nparams * sizeof(float));
    for (int k = 0; k < mf_head_nphases(h); k++) {
        for (int s = 0; s < ns; s++) {
            int m = v->n - s * S < S ? v->n - s * S : S;
            mf_batch_view sv = mf_batch_rows(v, s * S, m);
            mf_head_phase(h, params, ws[s], k, &sv, prev, part + (size_t)s * maxlen);
        }
        double *fk = fold + (size_t)k * maxlen;
        for (int s = 0; s < ns; s++) mf_fold_d(fk, part + (size_t)s * maxlen, mf_head_phase_len(h, k), s == 0);
        folds[k] = prev = fk;
    }
    size_t R = mf_head_top_floats(h);
    float *rec = malloc(R * (size_t)v->n * sizeof(float));
    float *scratch = malloc(mf_head_top_scratch_floats(h, v->n) * sizeof(float));
    for (int s = 0; s < ns; s++) {
        int m = v->n - s * S < S ? v->n - s * S : S;
        mf_batch_view sv = mf_batch_rows(v, s * S, m);
        double mi[2];
        mf_head_shard_grad(h, params, ws[s], &sv, prev, g, mi);
        mf_fold_f(grad, g, h->w1, s == 0);
        mf_fold_d(metrics, mi, 2, s == 0);
        mf_head_top_pack(h, ws[s], rec + (size_t)s * S * R);
    }
    mf_head_top_grads(h, rec, v->n, scratch, grad); /* the dense top: one GEMM per layer */
    if (state) mf_head_update_moving(h, folds, state);
    free(rec);
    free(scratch);
    free(part);
    free(fold);
    free(g);
}

/* Moves every non-kernel parameter (BN gamma/beta, biases) off its initial
 * value, so that gradient checks see them matter. */
static inline void hfix_perturb(hfix *f, uint64_t seed) {
    const mf_head *h = &f->h;
    for (int t = 0; t < h->ntensor; t++) {
        const mf_tensor *T = &h->tensor[t];
        if (strstr(T->name, "kernel")) continue;
        for (size_t i = T->off; i < T->off + T->count; i++)
            f->params[i] += (float)(0.4 * (mf_rng_unit(seed, 5, i) - 0.5));
    }
}

/* The reference top of a head in double, for one sample: normalised
 * features xn [D] -> Dense 1024 ReLU -> Dense 1024 ReLU -> Dense 2 ->
 * softmax into probs; returns the cross-entropy of label with Keras's
 * clipping. p: the head's parameters as doubles. */
static inline double hfix_ref_top(const mf_head *h, const double *p, const double *xn, int D, int label,
                                  double probs[2]) {
    static double a1[MF_HIDDEN], a2[MF_HIDDEN];
    const int H = MF_HIDDEN;
    /* row-major kernels [in, out]: accumulate row by row (cache-friendly) */
    for (int j = 0; j < H; j++) a1[j] = p[h->b1 + j];
    for (int c = 0; c < D; c++)
        for (int j = 0; j < H; j++) a1[j] += xn[c] * p[h->w1 + (size_t)c * H + j];
    for (int j = 0; j < H; j++) a1[j] = a1[j] > 0 ? a1[j] : 0;
    for (int j = 0; j < H; j++) a2[j] = p[h->b2 + j];
    for (int c = 0; c < H; c++)
        for (int j = 0; j < H; j++) a2[j] += a1[c] * p[h->w2 + (size_t)c * H + j];
    for (int j = 0; j < H; j++) a2[j] = a2[j] > 0 ? a2[j] : 0;
    double lg[2];
    for (int j = 0; j < 2; j++) {
        double z = p[h->b3 + j];
        for (int c = 0; c < H; c++) z += a2[c] * p[h->w3 + (size_t)c * 2 + j];
        lg[j] = z;
    }
    double m = fmax(lg[0], lg[1]), e0 = exp(lg[0] - m), e1 = exp(lg[1] - m);
    probs[0] = e0 / (e0 + e1);
    probs[1] = e1 / (e0 + e1);
    return -log(fmin(fmax(probs[label], 1e-7), 1 - 1e-7));
}

#endif
