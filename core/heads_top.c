/* heads_top.c: the dense top shared by Model1 and Model2, on one shard:
 * xn [n, D] -> Dense 1024 + ReLU (a1) -> Dense 1024 + ReLU (a2) -> Dense 2
 * (logits) -> softmax (probs) + cross-entropy; backward split in the
 * input-gradient chain (needed before the top BN's backward sums) and the
 * weight gradients (sgemm with K = n, per shard). */
#include "core/heads_internal.h"
#include "core/layers.h"

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

void mf_top_grads(const mf_head *h, mf_shard_ws *ws, float *grad, int n) {
    const int D = h->D, H = MF_HIDDEN, K = MF_NCLASS;
    mf_dense_backward(NULL, grad + h->w3, grad + h->b3, ws->dlogits, ws->a2, NULL, n, H, K);
    mf_dense_backward(NULL, grad + h->w2, grad + h->b2, ws->d2, ws->a1, NULL, n, H, H);
    mf_dense_backward(NULL, grad + h->w1, grad + h->b1, ws->d1, ws->xn, NULL, n, D, H);
}
