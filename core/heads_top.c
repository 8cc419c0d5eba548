/* heads_top.c: the dense top shared by Model1 and Model2, on one shard:
 * xn [n, D] -> Dense 1024 + ReLU (a1) -> Dense 1024 + ReLU (a2) -> Dense 2
 * (logits) -> softmax (probs) + cross-entropy; backward split in the
 * input-gradient chain (per shard: needed before the top BN's backward sums)
 * and the weight gradients, computed once for the whole global batch from
 * the shards' packed activations (sgemm with K = batch): one GEMM pass over
 * the 1024-wide kernels per step instead of one per shard, and no gradient
 * of the dense kernels to exchange between ranks. */
#include "core/heads_internal.h"
#include "core/layers.h"

#include <string.h>

void mf_top_forward(const mf_head *h, const float *params, mf_shard_ws *ws,
                    const int32_t *label, int n) {
    const int D = h->D, H = MF_HIDDEN, K = MF_NCLASS;
    mf_dense_forward(ws->a1, ws->xn, params + h->w1, params + h->b1, n, D, H);
    mf_relu_forward(ws->a1, ws->a1, (size_t)n * H);
    mf_dense_forward(ws->a2, ws->a1, params + h->w2, params + h->b2, n, H, H);
    mf_relu_forward(ws->a2, ws->a2, (size_t)n * H);
    mf_dense_forward(ws->logits, ws->a2, params + h->w3, params + h->b3, n, H, K);
    ws->correct = 0.0;
    ws->loss = mf_softmax_xent_forward(ws->probs, NULL, ws->logits, label, n, K,
                                       label ? &ws->correct : NULL);
}

void mf_top_backward_dx(const mf_head *h, const float *params, mf_shard_ws *ws,
                        const int32_t *label, int n) {
    const int D = h->D, H = MF_HIDDEN, K = MF_NCLASS;
    if (n <= 0) return;
    mf_softmax_xent_backward(ws->dlogits, ws->probs, label, n, K, (float)(1.0 / ws->count));
    /* d2 [n,H] = dlogits W3^T, through ReLU */
    mf_dense_backward(ws->d2, NULL, NULL, ws->dlogits, ws->a2, params + h->w3, n, H, K);
    mf_relu_backward(ws->d2, ws->d2, ws->a2, (size_t)n * H);
    /* d1 [n,H] = d2 W2^T, through ReLU */
    mf_dense_backward(ws->d1, NULL, NULL, ws->d2, ws->a1, params + h->w2, n, H, H);
    mf_relu_backward(ws->d1, ws->d1, ws->a1, (size_t)n * H);
    /* dxn [n,D] = d1 W1^T */
    mf_dense_backward(ws->dxn, NULL, NULL, ws->d1, ws->xn, params + h->w1, n, D, H);
}

/* Per sample: xn [D], a1 [H], a2 [H], d1 [H], d2 [H], dlogits [K]. */
size_t mf_head_top_floats(const mf_head *h) { return (size_t)h->D + 4 * (size_t)MF_HIDDEN + MF_NCLASS; }

void mf_head_top_pack(const mf_head *h, const mf_shard_ws *ws, float *rec) {
    const size_t D = (size_t)h->D, H = MF_HIDDEN, K = MF_NCLASS, R = mf_head_top_floats(h);
    for (int i = 0; i < ws->n; i++) {
        float *r = rec + (size_t)i * R;
        memcpy(r, ws->xn + i * D, D * sizeof(float));
        memcpy(r + D, ws->a1 + i * H, H * sizeof(float));
        memcpy(r + D + H, ws->a2 + i * H, H * sizeof(float));
        memcpy(r + D + 2 * H, ws->d1 + i * H, H * sizeof(float));
        memcpy(r + D + 3 * H, ws->d2 + i * H, H * sizeof(float));
        memcpy(r + D + 4 * H, ws->dlogits + i * K, K * sizeof(float));
    }
}

size_t mf_head_top_scratch_floats(const mf_head *h, int n) { return (size_t)n * mf_head_top_floats(h); }

void mf_head_top_grads(const mf_head *h, const float *rec, int n, float *scratch, float *grad) {
    const size_t D = (size_t)h->D, H = MF_HIDDEN, K = MF_NCLASS, R = mf_head_top_floats(h);
    /* unpack the records into one [n, width] array per quantity */
    float *xn = scratch, *a1 = xn + n * D, *a2 = a1 + n * H, *d1 = a2 + n * H, *d2 = d1 + n * H, *dl = d2 + n * H;
    for (int i = 0; i < n; i++) {
        const float *r = rec + (size_t)i * R;
        memcpy(xn + i * D, r, D * sizeof(float));
        memcpy(a1 + i * H, r + D, H * sizeof(float));
        memcpy(a2 + i * H, r + D + H, H * sizeof(float));
        memcpy(d1 + i * H, r + D + 2 * H, H * sizeof(float));
        memcpy(d2 + i * H, r + D + 3 * H, H * sizeof(float));
        memcpy(dl + i * K, r + D + 4 * H, K * sizeof(float));
    }
    mf_dense_backward(NULL, grad + h->w3, grad + h->b3, dl, a2, NULL, n, (int)H, (int)K);
    mf_dense_backward(NULL, grad + h->w2, grad + h->b2, d2, a1, NULL, n, (int)H, (int)H);
    mf_dense_backward(NULL, grad + h->w1, grad + h->b1, d1, xn, NULL, n, (int)D, (int)H);
}
