/* layers.c: dense, relu, softmax + cross-entropy and the split BatchNorm of
 * the fusion heads (see layers.h for the shapes and the Keras semantics). */
#include "core/layers.h"

#include <math.h>
#include <string.h>

#include "core/gemm.h"
#include "core/vec.h"

/* ---- dense ---- */

void mf_dense_forward(float *y, const float *x, const float *W, const float *b,
                      int n, int in, int out) {
    if (n <= 0) return;
    /* y[n,out] = x[n,in] W[in,out]: a row's bits do not depend on n (gemm.h) */
    mf_gemm_nn(n, out, in, x, in, 1, W, out, y, out);
    for (int i = 0; i < n; i++) {
        float *yi = y + (size_t)i * out;
        for (int o = 0; o < out; o++) yi[o] += b[o];
    }
}

void mf_dense_backward(float *dx, float *dW, float *db, const float *dy, const float *x,
                       const float *W, int n, int in, int out) {
    if (n <= 0) {
        if (dW) memset(dW, 0, (size_t)in * out * sizeof(float));
        if (db) memset(db, 0, (size_t)out * sizeof(float));
        return;
    }
    if (dx) /* dx[n,in] = dy[n,out] W[in,out]^T: a row's bits do not depend on n */
        mf_gemm_nt(n, in, out, dy, out, W, out, dx, in);
    if (dW) /* dW[in,out] = x[n,in]^T dy[n,out] */
        mf_gemm_nn(in, out, n, x, 1, in, dy, out, dW, out);
    if (db) {
        memcpy(db, dy, (size_t)out * sizeof(float));
        for (int i = 1; i < n; i++) {
            const float *dyi = dy + (size_t)i * out;
            for (int o = 0; o < out; o++) db[o] += dyi[o];
        }
    }
}

void mf_dense_backward_dx_t(float *dx, const float *dy, const float *WT, int n, int in, int out) {
    if (n <= 0) return;
    mf_gemm_nn(n, in, out, dy, out, 1, WT, in, dx, in);
}

MF_VEC void mf_transpose(float *t, const float *a, int rows, int cols) {
    /* 16 rows at a time: each output row gets 16 contiguous floats per pass
     * (writing a whole column of a tall array thrashes the cache) */
    for (int i0 = 0; i0 < rows; i0 += 16) {
        int i1 = rows - i0 < 16 ? rows : i0 + 16;
        for (int j = 0; j < cols; j++)
            for (int i = i0; i < i1; i++) t[(size_t)j * rows + i] = a[(size_t)i * cols + j];
    }
}

/* ---- relu ---- */

MF_VEC void mf_relu_forward(float *y, const float *x, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

MF_VEC void mf_relu_backward(float *dx, const float *dy, const float *y, size_t n) {
    for (size_t i = 0; i < n; i++) { /* dy read unconditionally: the loop vectorises */
        float d = dy[i];
        dx[i] = y[i] > 0.0f ? d : 0.0f;
    }
}

/* ---- softmax + categorical cross-entropy ---- */

static const float XENT_LO = MF_XENT_EPS;
static const float XENT_HI = 1.0f - MF_XENT_EPS; /* float32 0.99999988 */

double mf_softmax_xent_forward(float *probs, float *loss, const float *logits,
                               const int32_t *label, int n, int K, double *correct) {
    return mf_softmax_xent_forward_w(probs, loss, logits, label, NULL, n, K, correct);
}

double mf_softmax_xent_forward_w(float *probs, float *loss, const float *logits, const int32_t *label,
                                 const float *cw, int n, int K, double *correct) {
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        const float *z = logits + (size_t)i * K;
        float *p = probs + (size_t)i * K;
        float m = z[0];
        for (int k = 1; k < K; k++) if (z[k] > m) m = z[k];
        float s = 0.0f;
        for (int k = 0; k < K; k++) { p[k] = expf(z[k] - m); s += p[k]; }
        for (int k = 0; k < K; k++) p[k] /= s;
        if (!label) continue;
        int y = label[i];
        float ps = 0.0f;
        for (int k = 0; k < K; k++) ps += p[k];
        float q = p[y] / ps;
        if (q < XENT_LO) q = XENT_LO;
        if (q > XENT_HI) q = XENT_HI;
        float l = -logf(q);
        if (cw) l *= cw[y];
        if (loss) loss[i] = l;
        total += l;
        if (correct) {
            int am = 0;
            for (int k = 1; k < K; k++) if (p[k] > p[am]) am = k;
            if (am == y) *correct += 1.0;
        }
    }
    return total;
}

void mf_softmax_xent_backward(float *dlogits, const float *probs, const int32_t *label,
                              int n, int K, float scale) {
    mf_softmax_xent_backward_w(dlogits, probs, label, NULL, n, K, scale);
}

void mf_softmax_xent_backward_w(float *dlogits, const float *probs, const int32_t *label, const float *cw,
                                int n, int K, float scale) {
    for (int i = 0; i < n; i++) {
        const float *p = probs + (size_t)i * K;
        float *d = dlogits + (size_t)i * K;
        int y = label[i];
        float ps = 0.0f;
        for (int k = 0; k < K; k++) ps += p[k];
        float q = p[y] / ps;
        if (q < XENT_LO || q > XENT_HI) {
            for (int k = 0; k < K; k++) d[k] = 0.0f;
            continue;
        }
        float s = cw ? scale * cw[y] : scale;
        for (int k = 0; k < K; k++) d[k] = s * (p[k] - (k == y ? 1.0f : 0.0f));
    }
}

/* ---- batchnorm ---- */

/* Per-channel coefficients are computed in blocks of this many channels so
 * that no layer allocates. */
#define BN_BLOCK 256

MF_VEC void mf_bn_sums(double *sum, double *sumsq, const float *x, int ldx, int n, int C) {
    for (int i = 0; i < n; i++) {
        const float *xi = x + (size_t)i * ldx;
        for (int c = 0; c < C; c++) {
            double v = xi[c];
            sum[c] += v;
            sumsq[c] += v * v;
        }
    }
}

MF_VEC void mf_colsum(double *sum, const float *x, int ldx, int n, int C) {
    for (int i = 0; i < n; i++) {
        const float *xi = x + (size_t)i * ldx;
        for (int c = 0; c < C; c++) sum[c] += xi[c];
    }
}

void mf_bn_stats(float *mean, float *var, const double *sum, const double *sumsq,
                 double count, int C) {
    for (int c = 0; c < C; c++) {
        double m = sum[c] / count;
        double v = sumsq[c] / count - m * m;
        mean[c] = (float)m;
        var[c] = (float)(v > 0.0 ? v : 0.0);
    }
}

MF_VEC void mf_bn_forward(float *y, int ldy, const float *x, int ldx, const float *mean,
                   const float *var, const float *gamma, const float *beta, int n, int C) {
    float a[BN_BLOCK], s[BN_BLOCK];
    for (int c0 = 0; c0 < C; c0 += BN_BLOCK) {
        int nc = C - c0 < BN_BLOCK ? C - c0 : BN_BLOCK;
        for (int c = 0; c < nc; c++) {
            float inv = 1.0f / sqrtf(var[c0 + c] + MF_BN_EPS);
            a[c] = inv * gamma[c0 + c];
            s[c] = beta[c0 + c] - mean[c0 + c] * a[c];
        }
        for (int i = 0; i < n; i++) {
            const float *xi = x + (size_t)i * ldx + c0;
            float *yi = y + (size_t)i * ldy + c0;
            for (int c = 0; c < nc; c++) yi[c] = xi[c] * a[c] + s[c];
        }
    }
}

MF_VEC void mf_bn_dsums(double *dsum, double *dsumxh, const float *dy, int lddy, const float *x,
                 int ldx, const float *mean, const float *var, int n, int C) {
    float inv[BN_BLOCK];
    for (int c0 = 0; c0 < C; c0 += BN_BLOCK) {
        int nc = C - c0 < BN_BLOCK ? C - c0 : BN_BLOCK;
        for (int c = 0; c < nc; c++) inv[c] = 1.0f / sqrtf(var[c0 + c] + MF_BN_EPS);
        for (int i = 0; i < n; i++) {
            const float *xi = x + (size_t)i * ldx + c0;
            const float *dyi = dy + (size_t)i * lddy + c0;
            for (int c = 0; c < nc; c++) {
                float xh = (xi[c] - mean[c0 + c]) * inv[c];
                dsum[c0 + c] += dyi[c];
                dsumxh[c0 + c] += (double)dyi[c] * xh;
            }
        }
    }
}

MF_VEC void mf_bn_backward_dx(float *dx, int lddx, const float *dy, int lddy, const float *x,
                       int ldx, const float *mean, const float *var, const float *gamma,
                       const double *dsum, const double *dsumxh, double count, int n, int C) {
    float inv[BN_BLOCK], k1[BN_BLOCK], m1[BN_BLOCK], m2[BN_BLOCK];
    for (int c0 = 0; c0 < C; c0 += BN_BLOCK) {
        int nc = C - c0 < BN_BLOCK ? C - c0 : BN_BLOCK;
        for (int c = 0; c < nc; c++) {
            inv[c] = 1.0f / sqrtf(var[c0 + c] + MF_BN_EPS);
            k1[c] = gamma[c0 + c] * inv[c];
            m1[c] = (float)(dsum[c0 + c] / count);
            m2[c] = (float)(dsumxh[c0 + c] / count);
        }
        for (int i = 0; i < n; i++) {
            const float *xi = x + (size_t)i * ldx + c0;
            const float *dyi = dy + (size_t)i * lddy + c0;
            float *dxi = dx + (size_t)i * lddx + c0;
            for (int c = 0; c < nc; c++) {
                float xh = (xi[c] - mean[c0 + c]) * inv[c];
                dxi[c] = k1[c] * (dyi[c] - m1[c] - xh * m2[c]);
            }
        }
    }
}

void mf_bn_update_moving(float *mmean, float *mvar, const float *mean, const float *var,
                         double n, int C) {
    /* TF: decay = float32(1.0 - momentum), computed in double as Python does */
    const float decay = (float)(1.0 - MF_BN_MOMENTUM);
    double corr = n / (n - (1.0 + (double)MF_BN_EPS));
    for (int c = 0; c < C; c++) {
        float uv = (float)((double)var[c] * corr);
        mmean[c] -= (mmean[c] - mean[c]) * decay;
        mvar[c] -= (mvar[c] - uv) * decay;
    }
}
