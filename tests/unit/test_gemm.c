/* test_gemm.c: core/gemm.h's products. (1) Values: against a double
 * reference within float accumulation error (|err| <= k * 2^-23 * sum|a*b|
 * bound, loosely). (2) The kernels in use (AVX-512 where the CPU has it)
 * give the scalar definitions' bits exactly. (3) Row independence: every
 * row block of 8 computed alone gives the bits of the same rows computed in
 * one call of 32 (the shard guarantee the trainer relies on). Shapes: the
 * heads' (8-32 rows by 1472/1024/224 x 1024 x 2, Model2's convolutions) and
 * odd ones that hit every row and column tail and the k blocking. (2) and
 * (3) run for every path the CPU has (AVX-512, AVX2, scalar). (4)
 * layers.h's transposed-kernel input gradient (Model2's convolutions, the
 * last dense layer) equals the dot-product one within rounding, and
 * mf_transpose transposes. */
#include <string.h>

#include "core/gemm.h"
#include "core/layers.h"
#include "core/rng.h"
#include "tests/check.h"

static void fill(float *x, size_t n, uint64_t seed) {
    for (size_t i = 0; i < n; i++) x[i] = (float)(2.0 * mf_rng_unit(seed, 0, i) - 1.0);
}

/* max over elements of |C - exact| / (sum |a b| + tiny) */
static double rel_err_nn(int m, int n, int k, const float *A, int rsa, int csa, const float *B, int ldb,
                         const float *C, int ldc) {
    double worst = 0;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double s = 0, sa = 1e-30;
            for (int p = 0; p < k; p++) {
                double t = (double)A[(size_t)i * rsa + (size_t)p * csa] * B[(size_t)p * ldb + j];
                s += t;
                sa += fabs(t);
            }
            double e = fabs(C[(size_t)i * ldc + j] - s) / sa;
            if (e > worst) worst = e;
        }
    return worst;
}

static void check_nn(int m, int n, int k, int transposed) {
    /* A: [m,k] row-major, or (transposed) stored as [k,m] and read with rsa 1 */
    int rsa = transposed ? 1 : k, csa = transposed ? m : 1;
    float *A = malloc(sizeof(float) * (size_t)m * k + 4), *B = malloc(sizeof(float) * (size_t)k * n + 4);
    float *C = malloc(sizeof(float) * (size_t)m * n + 4), *R = malloc(sizeof(float) * (size_t)m * n + 4);
    fill(A, (size_t)m * k, 1 + m), fill(B, (size_t)k * n, 2 + n);
    mf_gemm_nn(m, n, k, A, rsa, csa, B, n, C, n);
    mf_gemm_nn_ref(m, n, k, A, rsa, csa, B, n, R, n);
    CHECK_MSG(memcmp(C, R, sizeof(float) * (size_t)m * n) == 0, "nn %dx%dx%d (T %d): kernel != definition", m, n, k,
              transposed);
    double e = rel_err_nn(m, n, k, A, rsa, csa, B, n, C, n);
    CHECK_MSG(e <= k * 6e-8 + 1e-7, "nn %dx%dx%d: relative error %g", m, n, k, e);
    if (!transposed) { /* B packed once (the convolutions' kernels): the same bits */
        float *Bp = malloc(sizeof(float) * (size_t)k * n + 4), *P = malloc(sizeof(float) * (size_t)m * n + 4);
        mf_gemm_pack_b(k, n, B, n, Bp);
        mf_gemm_nn_packed(m, n, k, A, rsa, csa, Bp, P, n);
        CHECK_MSG(memcmp(C, P, sizeof(float) * (size_t)m * n) == 0, "nn %dx%dx%d: packed B != B", m, n, k);
        mf_gemm_nn_packed_ref(m, n, k, A, rsa, csa, Bp, P, n);
        CHECK_MSG(memcmp(R, P, sizeof(float) * (size_t)m * n) == 0, "nn %dx%dx%d: packed definition != B's", m, n, k);
        free(Bp), free(P);
    }
    if (!transposed && m > 8) /* row blocks of 8 alone = the same rows together */
        for (int i0 = 0; i0 < m; i0 += 8) {
            int r = m - i0 < 8 ? m - i0 : 8;
            mf_gemm_nn(r, n, k, A + (size_t)i0 * k, k, 1, B, n, R, n);
            CHECK_MSG(memcmp(R, C + (size_t)i0 * n, sizeof(float) * (size_t)r * n) == 0,
                      "nn %dx%dx%d: rows %d.. alone differ", m, n, k, i0);
        }
    free(A), free(B), free(C), free(R);
}

static void check_nt(int m, int n, int k) {
    float *A = malloc(sizeof(float) * (size_t)m * k + 4), *B = malloc(sizeof(float) * (size_t)n * k + 4);
    float *C = malloc(sizeof(float) * (size_t)m * n + 4), *R = malloc(sizeof(float) * (size_t)m * n + 4);
    fill(A, (size_t)m * k, 3 + m), fill(B, (size_t)n * k, 4 + n);
    mf_gemm_nt(m, n, k, A, k, B, k, C, n);
    mf_gemm_nt_ref(m, n, k, A, k, B, k, R, n);
    CHECK_MSG(memcmp(C, R, sizeof(float) * (size_t)m * n) == 0, "nt %dx%dx%d: kernel != definition", m, n, k);
    /* B^T as an explicit [k, n] array: the same values by the nn reference */
    float *BT = malloc(sizeof(float) * (size_t)n * k + 4);
    for (int j = 0; j < n; j++)
        for (int p = 0; p < k; p++) BT[(size_t)p * n + j] = B[(size_t)j * k + p];
    double e = rel_err_nn(m, n, k, A, k, 1, BT, n, C, n);
    CHECK_MSG(e <= k * 6e-8 + 1e-7, "nt %dx%dx%d: relative error %g", m, n, k, e);
    if (m > 8)
        for (int i0 = 0; i0 < m; i0 += 8) {
            int r = m - i0 < 8 ? m - i0 : 8;
            mf_gemm_nt(r, n, k, A + (size_t)i0 * k, k, B, k, R, n);
            CHECK_MSG(memcmp(R, C + (size_t)i0 * n, sizeof(float) * (size_t)r * n) == 0,
                      "nt %dx%dx%d: rows %d.. alone differ", m, n, k, i0);
        }
    free(A), free(B), free(C), free(R), free(BT);
}

/* (2) and (3) for the kernels of one path. */
static void check_kernels(void) {
    /* the dense top: forward [n, in] x [in, out] */
    const int rows[3] = {8, 16, 32};
    for (int r = 0; r < 3; r++) {
        check_nn(rows[r], 1024, 1472, 0);
        check_nn(rows[r], 1024, 1024, 0);
        check_nn(rows[r], 2, 1024, 0);
        check_nt(rows[r], 1472, 1024); /* dx = dy W^T */
        check_nt(rows[r], 1024, 2);
    }
    check_nn(1472, 1024, 32, 1); /* dW = x^T dy over the batch */
    check_nn(128, 64, 512, 0);   /* Model2's conv, 4 x 32 rows */
    /* The VGG convolutions' GEMMs (core/winograd.c, core/vgg.c): many rows,
     * past the 192-row blocks with a row tail; the row-block check above
     * shows a row's bits do not depend on the rows around it. */
    check_nn(450, 64, 10, 0);   /* layer 1: im2col of a 1-channel input + the bias row */
    check_nn(203, 128, 64, 0);  /* Winograd, block 2 */
    check_nn(197, 256, 260, 0); /* block 3's width, K past one 256-row panel of B */
    check_nn(200, 512, 40, 0);  /* block 4's width: ten 48-column panels and a 32 */
    check_nt(128, 512, 64);
    check_nt(32, 64, 32);
    /* every tail: rows 1..9, columns 1..50, k across the panel boundary */
    const int odd[][3] = {{1, 1, 1}, {3, 17, 5}, {7, 33, 257}, {9, 49, 300}, {13, 50, 513}, {2, 5, 0}};
    for (int t = 0; t < 6; t++) {
        check_nn(odd[t][0], odd[t][1], odd[t][2], 0);
        check_nn(odd[t][0], odd[t][1], odd[t][2], 1);
        check_nt(odd[t][0], odd[t][1], odd[t][2]);
    }
    check_nt(11, 7, 15);
    check_nt(5, 13, 31);
}

int main(void) {
    /* every path this CPU has: AVX-512, AVX2, the scalar definitions */
    static const char *const names[3] = {"scalar definitions", "AVX2", "AVX-512"};
    int best = mf_gemm_use(-1), paths = 0;
    for (int path = best; path >= 0; path--) {
        CHECK_EQ_INT(mf_gemm_use(path), path);
        printf("kernels: %s\n", names[path]);
        check_kernels();
        paths++;
    }
    CHECK(paths >= 1);
    mf_gemm_use(-1);
    /* (4) dx = dy W^T both ways, W [in, out] for out = 2, 32, 64 */
    const int outs[3] = {2, 32, 64}, ins[3] = {1024, 256, 512};
    for (int t = 0; t < 3; t++) {
        int n = 37, in = ins[t], out = outs[t];
        float *W = malloc(sizeof(float) * in * out), *WT = malloc(sizeof(float) * in * out);
        float *dy = malloc(sizeof(float) * n * out), *a = malloc(sizeof(float) * n * in), *b = malloc(sizeof(float) * n * in);
        fill(W, (size_t)in * out, 7), fill(dy, (size_t)n * out, 8);
        mf_transpose(WT, W, in, out);
        int ok = 1;
        for (int i = 0; i < in; i++)
            for (int o = 0; o < out; o++) ok &= WT[(size_t)o * in + i] == W[(size_t)i * out + o];
        CHECK_MSG(ok, "mf_transpose %dx%d", in, out);
        mf_dense_backward(a, NULL, NULL, dy, NULL, W, n, in, out);
        mf_dense_backward_dx_t(b, dy, WT, n, in, out);
        double worst = 0;
        for (int i = 0; i < n * in; i++) worst = fmax(worst, fabs((double)a[i] - b[i]));
        CHECK_MSG(worst <= out * 2.4e-7, "dx_t out %d: max difference %g", out, worst);
        free(W), free(WT), free(dy), free(a), free(b);
    }
    return check_done();
}
