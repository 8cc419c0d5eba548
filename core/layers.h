/* layers.h: the layers of the fusion heads, each a forward/backward pair over
 * flat row-major float arrays (in the style of llm.c's train_gpt2.c), with
 * Keras 2 semantics where Keras decides a number.
 *
 * Backward functions OVERWRITE their outputs (never accumulate), so the
 * gradient of a shard is a pure function of the shard; the gradient of a
 * global batch is the fixed-order sum (mf_fold_*) of the shards' gradients.
 *
 * BatchNorm is split into steps so that its batch statistics can be formed
 * from per-shard partial sums combined in a fixed order outside the layer
 * (data parallelism with "sync BN", see DESIGN.md "train"):
 *   forward:  (a) mf_bn_sums         per shard: sum x, sum x^2 per channel (double)
 *             ... caller folds the shards' sums in shard order ...
 *             (b) mf_bn_stats        batch mean and biased variance from the folded sums
 *             (c) mf_bn_forward      y = gamma (x - mean)/sqrt(var + eps) + beta
 *   backward: (d) mf_bn_dsums        per shard: sum dy, sum dy*xhat per channel (double)
 *             ... caller folds the shards' sums in shard order ...
 *             (e) mf_bn_backward_dx  dx from dy and the folded sums
 *   the parameter gradients are dbeta = sum dy, dgamma = sum dy*xhat, i.e. (d)
 *   itself: a shard's (d) is that shard's contribution to dgamma/dbeta.
 * The row counts and strides (ld = floats between consecutive rows) let a
 * layer read or write a column block of a wider array (concatenations). */
#ifndef MF_LAYERS_H
#define MF_LAYERS_H
#include <stddef.h>
#include <stdint.h>

#define MF_BN_EPS 1e-3f      /* Keras BatchNormalization epsilon */
#define MF_BN_MOMENTUM 0.99  /* Keras BatchNormalization momentum (a double, as in Python) */
#define MF_XENT_EPS 1e-7f    /* Keras backend epsilon (probability clipping) */

/* ---- dense: y[n,out] = x[n,in] W[in,out] + b[out] (core/gemm.h: an output row's
 * bits do not depend on n, so shards computed together or alone agree) ---- */
void mf_dense_forward(float *y, const float *x, const float *W, const float *b,
                      int n, int in, int out);
/* dx[n,in] = dy[n,out] W^T; dW[in,out] = x^T dy; db[out] = sum over rows of dy.
 * Any of dx, dW, db may be NULL (not computed). */
void mf_dense_backward(float *dx, float *dW, float *db, const float *dy, const float *x,
                       const float *W, int n, int in, int out);

/* dx[n,in] = dy[n,out] WT[out,in] with WT = W^T given (mf_transpose): for
 * short out, where the dot products of mf_dense_backward are inefficient.
 * Its bits are core/gemm.h's NN order, not mf_dense_backward's. */
void mf_dense_backward_dx_t(float *dx, const float *dy, const float *WT, int n, int in, int out);
/* t[cols, rows] = a[rows, cols]^T */
void mf_transpose(float *t, const float *a, int rows, int cols);

/* ---- relu over n values: y = max(x, 0); in place allowed (y == x) ---- */
void mf_relu_forward(float *y, const float *x, size_t n);
/* dx = dy where y > 0, else 0 (y is the forward OUTPUT); in place allowed (dx == dy) */
void mf_relu_backward(float *dx, const float *dy, const float *y, size_t n);

/* ---- softmax + categorical cross-entropy, Keras 2 (TF backend) ----
 * probs[n,K] = softmax(logits[n,K]) in float; loss_i = -log(clip(q_y)) with
 * q = probs / sum(probs) and clip to [1e-7, 1 - 1e-7] (float32 bounds).
 * label[n] in 0..K-1. Writes loss[n] if loss != NULL; returns the sum of the
 * losses (double) and adds the number of rows whose argmax (first maximum)
 * equals the label to *correct if correct != NULL. */
double mf_softmax_xent_forward(float *probs, float *loss, const float *logits,
                               const int32_t *label, int n, int K, double *correct);
/* The same with the loss of a class-y row weighted by cw[y] (loss[i] and the
 * sum weighted; cw NULL: all 1, the function above). */
double mf_softmax_xent_forward_w(float *probs, float *loss, const float *logits, const int32_t *label,
                                 const float *cw, int n, int K, double *correct);
/* dlogits[n,K] = scale * d loss_i / d logits_i = scale * (probs - onehot(y)),
 * and 0 for a row whose q_y was clipped (q_y < 1e-7 or q_y > 1 - 1e-7: the
 * clip passes no gradient, as TF's clip_by_value). scale = 1/global batch
 * for the gradient of the mean loss. (The renormalisation q = p/sum p has
 * a gradient term p*(1 - sum p), zero up to float rounding: omitted.) */
void mf_softmax_xent_backward(float *dlogits, const float *probs, const int32_t *label,
                              int n, int K, float scale);
/* The same for the loss weighted by cw[y]: the row's scale is scale * cw[y]
 * (one float product, so cw[y] = 1 gives the bits above). */
void mf_softmax_xent_backward_w(float *dlogits, const float *probs, const int32_t *label, const float *cw,
                                int n, int K, float scale);

/* ---- batchnorm (Keras 2): x, y are [n, C] with row strides ldx, ldy ---- */
/* (a) ADDS to sum[C] the column sums of x and to sumsq[C] those of x^2 (double). */
void mf_bn_sums(double *sum, double *sumsq, const float *x, int ldx, int n, int C);
/* Column sums only: sum[c] += sum over rows of x (for Model2, whose per-sample
 * spatial means and mean squares come precomputed from the store). */
void mf_colsum(double *sum, const float *x, int ldx, int n, int C);
/* (b) mean = sum/count, var = sumsq/count - mean^2 (biased, clamped >= 0),
 * computed in double, stored as float. count = values per channel. */
void mf_bn_stats(float *mean, float *var, const double *sum, const double *sumsq,
                 double count, int C);
/* (c) y = x * a + (beta - mean * a), a = gamma / sqrt(var + eps), the form of
 * TF's batch_normalization. Also the inference forward with the moving stats. */
void mf_bn_forward(float *y, int ldy, const float *x, int ldx, const float *mean,
                   const float *var, const float *gamma, const float *beta, int n, int C);
/* (d) ADDS to dsum[C] the column sums of dy and to dsumxh[C] those of dy*xhat,
 * xhat = (x - mean)/sqrt(var + eps). These are dbeta and dgamma. */
void mf_bn_dsums(double *dsum, double *dsumxh, const float *dy, int lddy, const float *x,
                 int ldx, const float *mean, const float *var, int n, int C);
/* (e) dx = gamma/sqrt(var+eps) * (dy - dsum/count - xhat * dsumxh/count), with
 * dsum, dsumxh the folded sums over the whole batch (count values/channel). */
void mf_bn_backward_dx(float *dx, int lddx, const float *dy, int lddy, const float *x,
                       int ldx, const float *mean, const float *var, const float *gamma,
                       const double *dsum, const double *dsumxh, double count, int n, int C);
/* Moving statistics, TF's assign_moving_average without zero-debiasing:
 * m <- m - (m - mean) * (1 - 0.99); v <- v - (v - var * n/(n - 1 - eps)) * (1 - 0.99),
 * n = values per channel in the batch (batch x H x W). */
void mf_bn_update_moving(float *mmean, float *mvar, const float *mean, const float *var,
                         double n, int C);

#endif
