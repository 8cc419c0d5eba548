/* test_layers_grad.c: finite-difference checks of every layer's backward
 * (dense, relu, softmax + cross-entropy including near-clipped and clipped
 * rows, BatchNorm in training mode w.r.t. input, gamma and beta), hand
 * values for the BN statistics and the moving-average update.
 * The layers compute in float; each scalar loss L = sum R*y (R fixed random)
 * is accumulated in double and differentiated by a central difference
 * (L(p+h) - L(p-h)) / 2h on one float at a time. Tolerances, from the float
 * rounding of L (about 1e-7 |L| / h): |analytic - fd| <= atol + rtol |fd|
 * with the atol, rtol stated at each check. */
#include <math.h>
#include <string.h>

#include "core/layers.h"
#include "core/rng.h"
#include "tests/check.h"

static uint64_t g_ctr;
static float urand(float lo, float hi) {
    return lo + (hi - lo) * (float)mf_rng_unit(42, 77, g_ctr++);
}

typedef double (*loss_fn)(void);

/* Central difference of loss() w.r.t. *p with step h; restores *p. */
static double fd(loss_fn loss, float *p, float h) {
    float p0 = *p;
    *p = p0 + h;
    double lp = loss();
    *p = p0 - h;
    double lm = loss();
    *p = p0;
    return (lp - lm) / (double)((p0 + h) - (p0 - h));
}

static int near(double a, double b, double atol, double rtol) {
    return fabs(a - b) <= atol + rtol * fabs(b);
}

/* Compares analytic[i] with fd over every element of p[n]; returns the worst error. */
static double check_all(const char *what, loss_fn loss, float *p, const float *analytic, int n,
                        float h, double atol, double rtol) {
    double worst = 0;
    for (int i = 0; i < n; i++) {
        double f = fd(loss, &p[i], h);
        double err = fabs(analytic[i] - f);
        if (err > worst) worst = err;
        CHECK_MSG(near(analytic[i], f, atol, rtol), "%s[%d]: analytic %.9g, fd %.9g", what, i,
                  analytic[i], f);
    }
    printf("%-24s worst |analytic - fd| = %.3g\n", what, worst);
    return worst;
}

/* ---- dense ---- */
enum { DN = 4, DIN = 5, DOUT = 3 };
static float dx_[DN * DIN], dW_[DIN * DOUT], db_[DOUT], dR[DN * DOUT];

static double dense_loss(void) {
    float y[DN * DOUT];
    mf_dense_forward(y, dx_, dW_, db_, DN, DIN, DOUT);
    double L = 0;
    for (int i = 0; i < DN * DOUT; i++) L += (double)dR[i] * y[i];
    return L;
}

static void test_dense(void) {
    for (int i = 0; i < DN * DIN; i++) dx_[i] = urand(-1, 1);
    for (int i = 0; i < DIN * DOUT; i++) dW_[i] = urand(-1, 1);
    for (int i = 0; i < DOUT; i++) db_[i] = urand(-1, 1);
    for (int i = 0; i < DN * DOUT; i++) dR[i] = urand(-1, 1);
    /* forward against a naive loop */
    float y[DN * DOUT];
    mf_dense_forward(y, dx_, dW_, db_, DN, DIN, DOUT);
    for (int i = 0; i < DN; i++)
        for (int o = 0; o < DOUT; o++) {
            double s = db_[o];
            for (int k = 0; k < DIN; k++) s += (double)dx_[i * DIN + k] * dW_[k * DOUT + o];
            CHECK_NEAR(y[i * DOUT + o], s, 1e-5);
        }
    float gx[DN * DIN], gW[DIN * DOUT], gb[DOUT];
    mf_dense_backward(gx, gW, gb, dR, dx_, dW_, DN, DIN, DOUT);
    /* L is linear in each input: only rounding, atol 2e-4 */
    check_all("dense dx", dense_loss, dx_, gx, DN * DIN, 1e-2f, 2e-4, 0);
    check_all("dense dW", dense_loss, dW_, gW, DIN * DOUT, 1e-2f, 2e-4, 0);
    check_all("dense db", dense_loss, db_, gb, DOUT, 1e-2f, 2e-4, 0);
    /* NULL outputs are skipped, n = 0 zeroes the weight gradients */
    float gW0[DIN * DOUT], gb0[DOUT];
    memset(gW0, 0xff, sizeof gW0);
    memset(gb0, 0xff, sizeof gb0);
    mf_dense_backward(NULL, gW0, gb0, dR, dx_, dW_, 0, DIN, DOUT);
    CHECK(gW0[0] == 0.0f && gW0[DIN * DOUT - 1] == 0.0f && gb0[DOUT - 1] == 0.0f);
}

/* ---- relu ---- */
enum { RN = 12 };
static float rx[RN], rR[RN];
static double relu_loss(void) {
    float y[RN];
    mf_relu_forward(y, rx, RN);
    double L = 0;
    for (int i = 0; i < RN; i++) L += (double)rR[i] * y[i];
    return L;
}

static void test_relu(void) {
    for (int i = 0; i < RN; i++) {
        float m = urand(0.1f, 1.0f);
        rx[i] = (i % 2) ? m : -m; /* away from the kink by more than h */
        rR[i] = urand(-1, 1);
    }
    float y[RN], g[RN];
    mf_relu_forward(y, rx, RN);
    mf_relu_backward(g, rR, y, RN);
    check_all("relu dx", relu_loss, rx, g, RN, 1e-3f, 1e-4, 0);
    /* in place */
    float t[RN];
    memcpy(t, rR, sizeof t);
    mf_relu_backward(t, t, y, RN);
    CHECK(memcmp(t, g, sizeof t) == 0);
}

/* ---- softmax + cross-entropy ---- */
enum { SN = 5, SK = 3 };
static float sz[SN * SK];
static int32_t slab[SN];
static int sK;
static const float *scw; /* class weights of the weighted loss (NULL: none) */
static double xent_loss(void) {
    float p[SN * SK];
    return mf_softmax_xent_forward_w(p, NULL, sz, slab, scw, SN, sK, NULL);
}

/* train.class_weight: loss_i = cw[y_i] l_i, its gradient by finite
 * differences, and cw = 1 gives the unweighted bits. */
static void test_softmax_xent_weighted(void) {
    static const float cw[3] = {0.75f, 1.5f, 2.0f}, ones[3] = {1.0f, 1.0f, 1.0f};
    for (sK = 2; sK <= 3; sK++) {
        for (int i = 0; i < SN * sK; i++) sz[i] = urand(-2, 2);
        for (int i = 0; i < SN; i++) slab[i] = (i + 1) % sK;
        float p[SN * SK], l0[SN], lw[SN], d0[SN * SK], dw[SN * SK], d1[SN * SK];
        double L0 = mf_softmax_xent_forward(p, l0, sz, slab, SN, sK, NULL);
        double Lw = mf_softmax_xent_forward_w(p, lw, sz, slab, cw, SN, sK, NULL);
        double want = 0;
        for (int i = 0; i < SN; i++) {
            CHECK(lw[i] == l0[i] * cw[slab[i]]);
            want += (double)lw[i];
        }
        CHECK_NEAR(Lw, want, 1e-12);
        CHECK(Lw != L0);
        mf_softmax_xent_backward(d0, p, slab, SN, sK, 0.25f);
        mf_softmax_xent_backward_w(d1, p, slab, ones, SN, sK, 0.25f);
        CHECK(!memcmp(d0, d1, sizeof(float) * SN * sK));
        mf_softmax_xent_backward_w(dw, p, slab, cw, SN, sK, 1.0f);
        scw = cw;
        check_all("weighted xent dlogits", xent_loss, sz, dw, SN * sK, 1e-3f, 1e-3, 1e-3);
        scw = NULL;
    }
}

static void test_softmax_xent(void) {
    for (sK = 2; sK <= 3; sK++) {
        for (int i = 0; i < SN * sK; i++) sz[i] = urand(-2, 2);
        for (int i = 0; i < SN; i++) slab[i] = i % sK;
        float p[SN * SK], loss[SN], d[SN * SK];
        double correct = 0;
        double L = mf_softmax_xent_forward(p, loss, sz, slab, SN, sK, &correct);
        double Ls = 0;
        int nc = 0;
        for (int i = 0; i < SN; i++) {
            double m = -1e30, s = 0;
            for (int k = 0; k < sK; k++) m = fmax(m, sz[i * sK + k]);
            for (int k = 0; k < sK; k++) s += exp(sz[i * sK + k] - m);
            double l = -(sz[i * sK + slab[i]] - m - log(s));
            CHECK_NEAR(loss[i], l, 1e-5);
            Ls += loss[i];
            int am = 0;
            for (int k = 1; k < sK; k++) if (p[i * sK + k] > p[i * sK + am]) am = k;
            nc += am == slab[i];
        }
        CHECK_NEAR(L, Ls, 1e-9);
        CHECK_EQ_INT((int)correct, nc);
        mf_softmax_xent_backward(d, p, slab, SN, sK, 1.0f);
        check_all(sK == 2 ? "xent dlogits K=2" : "xent dlogits K=3", xent_loss, sz, d, SN * sK,
                  1e-3f, 1e-3, 1e-3);
        /* the scale multiplies */
        float d2[SN * SK];
        mf_softmax_xent_backward(d2, p, slab, SN, sK, 0.25f);
        for (int i = 0; i < SN * sK; i++) CHECK(d2[i] == 0.25f * d[i]);
    }
    /* near and beyond the clipping bounds, K = 2 */
    sK = 2;
    struct { float z0, z1; int y; int clipped; } c[] = {
        {0.0f, -13.0f, 1, 0}, /* q_y = 2.3e-6: inside, loss 13 */
        {13.0f, 0.0f, 0, 0},  /* q_y = 1 - 2.3e-6: inside, loss 2.3e-6 */
        {0.0f, -20.0f, 1, 1}, /* q_y = 2e-9 < 1e-7: clipped low */
        {20.0f, 0.0f, 0, 1},  /* q_y rounds to 1 > 1 - 1e-7: clipped high */
    };
    for (int t = 0; t < 4; t++) {
        float z[2] = {c[t].z0, c[t].z1}, p[2], l, d[2];
        int32_t y = c[t].y;
        mf_softmax_xent_forward(p, &l, z, &y, 1, 2, NULL);
        mf_softmax_xent_backward(d, p, &y, 1, 2, 1.0f);
        double e = exp(-13.0), pm = e / (1 + e); /* the minority probability */
        if (t == 0) {
            CHECK_NEAR(l, 13.0 + log1p(e), 2e-6);
            CHECK_NEAR(d[0], 1 - pm, 1e-7);
            CHECK_NEAR(d[1], -(1 - pm), 1e-7);
            /* central difference, L ~ 13: atol 2e-3 */
            for (int i = 0; i < 2; i++) {
                float pp[2];
                float zp[2] = {z[0], z[1]}, zm[2] = {z[0], z[1]};
                zp[i] += 1e-2f, zm[i] -= 1e-2f;
                double f = (mf_softmax_xent_forward(pp, NULL, zp, &y, 1, 2, NULL) -
                            mf_softmax_xent_forward(pp, NULL, zm, &y, 1, 2, NULL)) / 2e-2;
                CHECK_NEAR(d[i], f, 2e-3);
            }
        } else if (t == 1) {
            CHECK_NEAR(l, pm, 1e-7);         /* float resolution near 1 is 6e-8 */
            CHECK_NEAR(d[0], -pm, 1e-7);
            CHECK_NEAR(d[1], pm, 1e-7);
        } else {
            float bound = t == 2 ? MF_XENT_EPS : 1.0f - MF_XENT_EPS;
            CHECK(d[0] == 0.0f && d[1] == 0.0f);
            CHECK_NEAR(l, -log((double)bound), 1e-6 * fabs(log((double)bound)) + 1e-12);
            /* and the loss is flat there: zero difference */
            float zp[2] = {z[0] + 0.5f, z[1] - 0.5f}, pp[2], lp;
            mf_softmax_xent_forward(pp, &lp, zp, &y, 1, 2, NULL);
            CHECK(lp == l);
        }
    }
}

/* ---- batchnorm, training mode ---- */
enum { BN_ = 6, BC = 3 };
static float bx[BN_ * BC], bg[BC], bb[BC], bR[BN_ * BC];

/* Training-mode forward through the split steps; also returns the stats. */
static void bn_train_forward(float *y, float *mean, float *var) {
    double s[BC] = {0}, s2[BC] = {0};
    /* two "shards" (rows 0..3, 4..5) summed into the same accumulators */
    mf_bn_sums(s, s2, bx, BC, 4, BC);
    mf_bn_sums(s, s2, bx + 4 * BC, BC, BN_ - 4, BC);
    mf_bn_stats(mean, var, s, s2, BN_, BC);
    mf_bn_forward(y, BC, bx, BC, mean, var, bg, bb, BN_, BC);
}
static double bn_loss(void) {
    float y[BN_ * BC], m[BC], v[BC];
    bn_train_forward(y, m, v);
    double L = 0;
    for (int i = 0; i < BN_ * BC; i++) L += (double)bR[i] * y[i];
    return L;
}

static void test_bn(void) {
    for (int i = 0; i < BN_; i++)
        for (int c = 0; c < BC; c++) bx[i * BC + c] = (float)(c * 3) + urand(-1, 1) * (float)(c + 1);
    for (int c = 0; c < BC; c++) bg[c] = urand(0.5f, 1.5f), bb[c] = urand(-0.5f, 0.5f);
    for (int i = 0; i < BN_ * BC; i++) bR[i] = urand(-1, 1);
    float y[BN_ * BC], mean[BC], var[BC];
    bn_train_forward(y, mean, var);
    /* stats against a two-pass double computation */
    for (int c = 0; c < BC; c++) {
        double m = 0, v = 0;
        for (int i = 0; i < BN_; i++) m += bx[i * BC + c];
        m /= BN_;
        for (int i = 0; i < BN_; i++) v += (bx[i * BC + c] - m) * (bx[i * BC + c] - m);
        v /= BN_;
        CHECK_NEAR(mean[c], m, 1e-6);
        CHECK_NEAR(var[c], v, 1e-6);
        for (int i = 0; i < BN_; i++)
            CHECK_NEAR(y[i * BC + c], bg[c] * (bx[i * BC + c] - m) / sqrt(v + 1e-3) + bb[c], 1e-5);
    }
    double ds[BC] = {0}, dsx[BC] = {0};
    mf_bn_dsums(ds, dsx, bR, BC, bx, BC, mean, var, BN_, BC);
    float gx[BN_ * BC], gg[BC], gb[BC];
    mf_bn_backward_dx(gx, BC, bR, BC, bx, BC, mean, var, bg, ds, dsx, BN_, BN_, BC);
    for (int c = 0; c < BC; c++) gg[c] = (float)dsx[c], gb[c] = (float)ds[c];
    /* L ~ 5, h = 1e-2: rounding ~ 5e-5, curvature ~ h^2: atol 1e-3, rtol 1e-2 */
    check_all("bn dx (train)", bn_loss, bx, gx, BN_ * BC, 1e-2f, 1e-3, 1e-2);
    check_all("bn dgamma (train)", bn_loss, bg, gg, BC, 1e-2f, 1e-3, 1e-2);
    check_all("bn dbeta (train)", bn_loss, bb, gb, BC, 1e-2f, 1e-3, 1e-2);
    /* sum dx = 0 per channel (the mean's gradient) */
    for (int c = 0; c < BC; c++) {
        double s = 0;
        for (int i = 0; i < BN_; i++) s += gx[i * BC + c];
        CHECK_NEAR(s, 0.0, 1e-5);
    }
    /* strided: a column block of a wider array gives the same numbers */
    float wide[BN_ * 5], wy[BN_ * 7];
    for (int i = 0; i < BN_; i++)
        for (int c = 0; c < BC; c++) wide[i * 5 + 1 + c] = bx[i * BC + c];
    mf_bn_forward(wy + 2, 7, wide + 1, 5, mean, var, bg, bb, BN_, BC);
    int same = 1;
    for (int i = 0; i < BN_; i++)
        for (int c = 0; c < BC; c++) same &= wy[i * 7 + 2 + c] == y[i * BC + c];
    CHECK(same);
}

/* ---- hand values ---- */
static void test_bn_hand(void) {
    /* x = 1, 2, 3, 4 in one channel: mean 2.5, biased var 1.25 */
    float x[4] = {1, 2, 3, 4}, mean, var;
    double s = 0, s2 = 0;
    mf_bn_sums(&s, &s2, x, 1, 4, 1);
    CHECK(s == 10.0 && s2 == 30.0);
    mf_bn_stats(&mean, &var, &s, &s2, 4, 1);
    CHECK(mean == 2.5f && var == 1.25f);
    /* moving update: m = 0.5, v = 2 with batch mean 1.5, var 4, n = 10:
     * m' = 0.99*0.5 + 0.01*1.5 = 0.51;
     * v' = 0.99*2 + 0.01 * 4*10/(10 - 1.001) = 1.98 + 0.0444493833 = 2.0244493833 */
    float mm = 0.5f, mv = 2.0f, bm = 1.5f, bv = 4.0f;
    mf_bn_update_moving(&mm, &mv, &bm, &bv, 10.0, 1);
    CHECK_NEAR(mm, 0.51, 1e-7);
    CHECK_NEAR(mv, 2.0244493833, 2e-7);
    /* a second update from there, n = 32*36*36 (a Model2 block-1 batch) */
    float bm2 = -1.0f, bv2 = 0.25f;
    double n = 32.0 * 36 * 36;
    mf_bn_update_moving(&mm, &mv, &bm2, &bv2, n, 1);
    CHECK_NEAR(mm, 0.99 * 0.51 - 0.01, 1e-7);
    CHECK_NEAR(mv, 0.99 * 2.0244493833 + 0.01 * 0.25 * n / (n - 1.001), 2e-7);
    /* inference forward with moving stats: (x - m)/sqrt(v + 1e-3) */
    float gamma = 2.0f, beta = 1.0f, mmi = 1.0f, mvi = 3.999f, yi;
    float xi = 3.0f;
    mf_bn_forward(&yi, 1, &xi, 1, &mmi, &mvi, &gamma, &beta, 1, 1);
    CHECK_NEAR(yi, 2.0 * (3.0 - 1.0) / 2.0 + 1.0, 1e-6); /* sqrt(4) = 2 */
}

int main(void) {
    test_dense();
    test_relu();
    test_softmax_xent();
    test_softmax_xent_weighted();
    test_bn();
    test_bn_hand();
    return check_done();
}
