/* heads_top.c: the dense top shared by Model1 and Model2, on the rows of
 * one or several consecutive shards (one GEMM per layer for all of them):
 * xn [n, D] -> Dense 1024 + ReLU (a1) -> Dense 1024 + ReLU (a2) -> Dense 2
 * (logits) -> softmax (probs) + cross-entropy; backward split in the
 * input-gradient chain (per shard: needed before the top BN's backward sums)
 * and the weight gradients, computed once for the whole global batch from
 * the shards' packed activations (a GEMM with K = batch): one GEMM pass over
 * the 1024-wide kernels per step instead of one per shard, and no gradient
 * of the dense kernels to exchange between ranks. */
#include "core/gemm.h"
#include "core/heads_internal.h"
#include "core/layers.h"
#include "core/prof.h"
#include "core/sgd.h"

#include <string.h>

/* The loss and its count per shard of the n rows: the shard is the unit of the sums. */
static void top_loss(const mf_head *h, mf_shard_ws *ws, const int32_t *label, int n, int shard, int train) {
    const int K = MF_NCLASS;
    ws->loss = ws->correct = 0.0;
    int ns = n > 0 ? (n + shard - 1) / shard : 1;
    for (int s = 0; s < ns; s++) {
        int r0 = s * shard, m = n - r0 < shard ? n - r0 : shard;
        double c = 0.0;
        ws->sloss[s] = mf_softmax_xent_forward_w(ws->probs + (size_t)r0 * K, NULL, ws->logits + (size_t)r0 * K,
                                                 label ? label + r0 : NULL, train ? h->class_w : NULL, m, K,
                                                 label ? &c : NULL);
        ws->scorrect[s] = c;
        ws->loss += ws->sloss[s];
        ws->correct += c;
    }
}

/* Units [lo, hi) of `total` that rank q of P computes (whole cache lines of
 * a row where the total allows: the ranks' writes rarely share a line). */
static void unit_range(int total, int q, int P, int *lo, int *hi) {
    int g = total % 16 == 0 ? 16 : 1;
    *lo = (int)((long)total / g * q / P) * g;
    *hi = (int)((long)total / g * (q + 1) / P) * g;
}

/* The split's barrier, its wait counted with the exchanges (the caller's
 * bucket gets the time up to it; returns the new start). */
static double split_sync(const mf_top_split *sp, int bucket, double t0) {
    mf_prof_add(bucket, t0);
    sp->sync(sp->arg);
    return mf_prof_t0();
}

/* y[:, lo:hi) = ReLU(x W[:, lo:hi) + b[lo:hi)) for the B rows, x and y at
 * row stride R: the products, bias and ReLU of mf_dense_forward and
 * mf_relu_forward element by element. */
static void dense_cols(float *y, const float *x, size_t R, const float *W, const float *b, int B, int in, int out,
                       int lo, int hi) {
    if (hi <= lo) return;
    mf_gemm_nn(B, hi - lo, in, x, (int)R, 1, W + lo, out, y + lo, (int)R);
    for (int i = 0; i < B; i++) {
        float *yi = y + (size_t)i * R;
        for (int o = lo; o < hi; o++) yi[o] += b[o];
        for (int o = lo; o < hi; o++) yi[o] = yi[o] > 0.0f ? yi[o] : 0.0f;
    }
}

/* mf_top_forward cut by columns between the ranks (heads.h mf_top_split). */
static void top_forward_split(const mf_head *h, const float *params, mf_shard_ws *ws, const int32_t *label, int n,
                              int shard) {
    const mf_top_split *sp = ws->split;
    const int D = h->D, H = MF_HIDDEN, K = MF_NCLASS, B = sp->batch;
    const size_t R = mf_head_top_floats(h);
    float *xn = sp->rec, *a1 = xn + D, *a2 = a1 + H;
    double t0 = mf_prof_t0();
    for (int i = 0; i < n; i++) memcpy(xn + (size_t)(sp->row0 + i) * R, ws->xn + (size_t)i * D, D * sizeof(float));
    t0 = split_sync(sp, MF_PROF_FWD, t0);
    int lo, hi;
    unit_range(H, sp->rank, sp->size, &lo, &hi);
    dense_cols(a1, xn, R, params + h->w1, params + h->b1, B, D, H, lo, hi);
    t0 = split_sync(sp, MF_PROF_FWD, t0);
    dense_cols(a2, a1, R, params + h->w2, params + h->b2, B, H, H, lo, hi);
    t0 = split_sync(sp, MF_PROF_FWD, t0);
    /* my rows' logits (k = 1024, n = 2: as mf_dense_forward) and loss */
    if (n > 0) {
        mf_gemm_nn(n, K, H, a2 + (size_t)sp->row0 * R, (int)R, 1, params + h->w3, K, ws->logits, K);
        for (int i = 0; i < n; i++)
            for (int o = 0; o < K; o++) ws->logits[(size_t)i * K + o] += params[h->b3 + o];
    }
    top_loss(h, ws, label, n, shard, 1);
    mf_prof_add(MF_PROF_FWD, t0);
}

void mf_top_forward(const mf_head *h, const float *params, mf_shard_ws *ws,
                    const int32_t *label, int n, int shard, int train) {
    const int D = h->D, H = MF_HIDDEN, K = MF_NCLASS;
    if (ws->split && train) {
        top_forward_split(h, params, ws, label, n, shard);
        return;
    }
    double t0 = mf_prof_t0();
    /* all rows at once: the kernels give each row the bits it has alone */
    mf_dense_forward(ws->a1, ws->xn, params + h->w1, params + h->b1, n, D, H);
    mf_relu_forward(ws->a1, ws->a1, (size_t)n * H);
    mf_dense_forward(ws->a2, ws->a1, params + h->w2, params + h->b2, n, H, H);
    mf_relu_forward(ws->a2, ws->a2, (size_t)n * H);
    mf_dense_forward(ws->logits, ws->a2, params + h->w3, params + h->b3, n, H, K);
    top_loss(h, ws, label, n, shard, train);
    mf_prof_add(MF_PROF_FWD, t0);
}

/* mf_top_backward_dx cut between the ranks: dlogits of my rows; d2 of all
 * rows on every rank (k = 2); d1 of my kernel rows of dense 2, dxn of my
 * kernel rows of dense 1, for all rows; my rows' dxn back into ws. The
 * same operations per element as below. */
static void top_backward_split(const mf_head *h, const float *params, mf_shard_ws *ws, const int32_t *label,
                               int n) {
    const mf_top_split *sp = ws->split;
    const int D = h->D, H = MF_HIDDEN, K = MF_NCLASS, B = sp->batch;
    const size_t R = mf_head_top_floats(h);
    float *xn = sp->rec, *a1 = xn + D, *a2 = a1 + H, *d1 = a2 + H, *d2 = d1 + H, *dl = d2 + H;
    double t0 = mf_prof_t0();
    if (n > 0) {
        mf_softmax_xent_backward_w(ws->dlogits, ws->probs, label, h->class_w, n, K, (float)(1.0 / ws->count));
        for (int i = 0; i < n; i++)
            memcpy(dl + (size_t)(sp->row0 + i) * R, ws->dlogits + (size_t)i * K, K * sizeof(float));
    }
    t0 = split_sync(sp, MF_PROF_BWD, t0);
    mf_transpose(ws->wt, params + h->w3, H, K);
    mf_gemm_nn(B, H, K, dl, (int)R, 1, ws->wt, H, sp->d2, H);
    for (int i = 0; i < B; i++) mf_relu_backward(sp->d2 + (size_t)i * H, sp->d2 + (size_t)i * H, a2 + (size_t)i * R, H);
    for (int i = 0; i < n; i++)
        memcpy(d2 + (size_t)(sp->row0 + i) * R, sp->d2 + (size_t)(sp->row0 + i) * H, H * sizeof(float));
    int lo, hi;
    unit_range(H, sp->rank, sp->size, &lo, &hi);
    if (hi > lo) {
        mf_gemm_nt(B, hi - lo, H, sp->d2, H, params + h->w2 + (size_t)lo * H, H, d1 + lo, (int)R);
        for (int i = 0; i < B; i++)
            mf_relu_backward(d1 + (size_t)i * R + lo, d1 + (size_t)i * R + lo, a1 + (size_t)i * R + lo,
                             (size_t)(hi - lo));
    }
    t0 = split_sync(sp, MF_PROF_BWD, t0);
    unit_range(D, sp->rank, sp->size, &lo, &hi);
    if (hi > lo) mf_gemm_nt(B, hi - lo, H, d1, (int)R, params + h->w1 + (size_t)lo * H, H, sp->dxn + lo, D);
    t0 = split_sync(sp, MF_PROF_BWD, t0);
    if (n > 0) memcpy(ws->dxn, sp->dxn + (size_t)sp->row0 * D, (size_t)n * D * sizeof(float));
    mf_prof_add(MF_PROF_BWD, t0);
}

void mf_top_backward_dx(const mf_head *h, const float *params, mf_shard_ws *ws,
                        const int32_t *label, int n) {
    const int D = h->D, H = MF_HIDDEN, K = MF_NCLASS;
    if (ws->split) {
        top_backward_split(h, params, ws, label, n);
        return;
    }
    if (n <= 0) return;
    double t0 = mf_prof_t0();
    mf_softmax_xent_backward_w(ws->dlogits, ws->probs, label, h->class_w, n, K, (float)(1.0 / ws->count));
    /* d2 [n,H] = dlogits W3^T, through ReLU (W3 [H,2] transposed: k = 2) */
    mf_transpose(ws->wt, params + h->w3, H, K);
    mf_dense_backward_dx_t(ws->d2, ws->dlogits, ws->wt, n, H, K);
    mf_relu_backward(ws->d2, ws->d2, ws->a2, (size_t)n * H);
    /* d1 [n,H] = d2 W2^T, through ReLU */
    mf_dense_backward(ws->d1, NULL, NULL, ws->d2, ws->a1, params + h->w2, n, H, H);
    mf_relu_backward(ws->d1, ws->d1, ws->a1, (size_t)n * H);
    /* dxn [n,D] = d1 W1^T */
    mf_dense_backward(ws->dxn, NULL, NULL, ws->d1, ws->xn, params + h->w1, n, D, H);
    mf_prof_add(MF_PROF_BWD, t0);
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

/* Rows of a dense kernel whose gradient mf_head_top_sgd holds at a time
 * (64 KB, in L2): 16 rather than 8 halves the passes over the output
 * gradients and doubles each stream of W and V (issue #14: the update with
 * its GEMMs 0.85-0.99 -> 0.78-0.92 ms per Fusion2 step on 1 rank; the same
 * bits, any row blocks give them). */
#define SGD_ROWS 16

/* mf_head_top_grads reads the records in place and needs none; this is
 * mf_head_top_sgd's block of gradient rows. */
size_t mf_head_top_scratch_floats(const mf_head *h, int n) {
    (void)h, (void)n;
    return SGD_ROWS * MF_HIDDEN;
}

/* db[out] = sum over the n records of dy (stride R), in record order. */
static void bias_grad(float *db, const float *dy, size_t R, int n, int out) {
    memcpy(db, dy, (size_t)out * sizeof(float));
    for (int i = 1; i < n; i++) {
        const float *d = dy + (size_t)i * R;
        for (int o = 0; o < out; o++) db[o] += d[o];
    }
}

void mf_head_top_grads(const mf_head *h, const float *rec, int n, float *scratch, float *grad) {
    const int D = h->D, H = MF_HIDDEN, K = MF_NCLASS, R = (int)mf_head_top_floats(h);
    (void)scratch;
    const float *xn = rec, *a1 = rec + D, *a2 = a1 + H, *d1 = a2 + H, *d2 = d1 + H, *dl = d2 + H;
    if (n <= 0) {
        memset(grad + h->w1, 0, (h->nparams - h->w1) * sizeof(float));
        return;
    }
    /* dW[in,out] = x^T dy with x, dy read in place from the records (x^T:
     * row stride 1, column stride R) */
    double t0 = mf_prof_t0();
    mf_gemm_nn(H, K, n, a2, 1, R, dl, R, grad + h->w3, K);
    mf_gemm_nn(H, H, n, a1, 1, R, d2, R, grad + h->w2, H);
    mf_gemm_nn(D, H, n, xn, 1, R, d1, R, grad + h->w1, H);
    bias_grad(grad + h->b3, dl, (size_t)R, n, K);
    bias_grad(grad + h->b2, d2, (size_t)R, n, H);
    bias_grad(grad + h->b1, d1, (size_t)R, n, H);
    mf_prof_add(MF_PROF_WGRAD, t0);
}

/* One dense layer's kernel W[in,out] (at params offset w) and bias (at b):
 * the gradient of its kernel rows that lie in [lo, hi) in blocks of
 * SGD_ROWS (each block's GEMM gives the bits of the whole product, gemm.h),
 * each block applied to the parameters while it is in cache; the bias if
 * it lies in [lo, hi). */
static void layer_sgd(float *params, float *velocity, size_t w, size_t b, const float *x, const float *dy, int R,
                      int n, int in, int out, float lr, float mom, float *g, size_t lo, size_t hi, int stream) {
    long r0 = lo > w ? (long)((lo - w) / (size_t)out) : 0, r1 = hi > w ? (long)((hi - w) / (size_t)out) : 0;
    if (r0 > in) r0 = in;
    if (r1 > in) r1 = in;
    for (long i0 = r0; i0 < r1; i0 += SGD_ROWS) {
        int r = r1 - i0 < SGD_ROWS ? (int)(r1 - i0) : SGD_ROWS;
        size_t o = w + (size_t)i0 * out;
        if (n > 0)
            mf_gemm_nn(r, out, n, x + i0, 1, R, dy, R, g, out);
        else
            memset(g, 0, (size_t)r * out * sizeof(float));
        if (stream)
            mf_sgd_step_stream(params + o, velocity + o, g, (size_t)r * out, lr, mom);
        else
            mf_sgd_step(params + o, velocity + o, g, (size_t)r * out, lr, mom);
    }
    if (b >= lo && b < hi) {
        if (n > 0)
            bias_grad(g, dy, (size_t)R, n, out);
        else
            memset(g, 0, (size_t)out * sizeof(float));
        mf_sgd_step(params + b, velocity + b, g, (size_t)out, lr, mom);
    }
}

void mf_head_top_sgd_range(const mf_head *h, const float *rec, int n, float *scratch, float *params,
                           float *velocity, float lr, float momentum, size_t lo, size_t hi, int stream) {
    const int D = h->D, H = MF_HIDDEN, K = MF_NCLASS, R = (int)mf_head_top_floats(h);
    const float *xn = rec, *a1 = rec + D, *a2 = a1 + H, *d1 = a2 + H, *d2 = d1 + H, *dl = d2 + H;
    double t0 = mf_prof_t0();
    layer_sgd(params, velocity, h->w3, h->b3, a2, dl, R, n, H, K, lr, momentum, scratch, lo, hi, stream);
    layer_sgd(params, velocity, h->w2, h->b2, a1, d2, R, n, H, H, lr, momentum, scratch, lo, hi, stream);
    layer_sgd(params, velocity, h->w1, h->b1, xn, d1, R, n, D, H, lr, momentum, scratch, lo, hi, stream);
    mf_prof_add(MF_PROF_WGRAD, t0);
}

void mf_head_top_sgd(const mf_head *h, const float *rec, int n, float *scratch, float *params, float *velocity,
                     float lr, float momentum) {
    mf_head_top_sgd_range(h, rec, n, scratch, params, velocity, lr, momentum, h->w1, h->nparams, 0);
}

size_t mf_head_top_boundary(const mf_head *h, size_t off) {
    /* [w1, w3): kernel rows and biases of H floats; [w3, nparams): of K */
    const size_t H = MF_HIDDEN, K = MF_NCLASS;
    if (off <= h->w1) return h->w1;
    if (off <= h->w3) return h->w1 + (off - h->w1 + H - 1) / H * H;
    if (off >= h->nparams) return h->nparams;
    return h->w3 + (off - h->w3 + K - 1) / K * K;
}
