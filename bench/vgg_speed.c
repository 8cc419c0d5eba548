/* vgg_speed.c: timing of the VGG forward pass (not a test).
 * Prints the tower's patches/s and GFLOP/s (counted as the peer counts:
 * 2*9*Cin*Cout*H*W per conv, Cin = 3 at layer 1) and a plain cblas_sgemm
 * GFLOP/s measured in the same run, so the fraction of the machine's sgemm
 * rate is known. bench/vgg_speed.sh builds it and runs the PyTorch peer
 * beside it. Usage: vgg_speed [vgg16|vgg19] [batch] [seconds] [side]. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rng.h"
#include "core/vgg.h"
#include "core/vgg_formula.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double sgemm_rate(int n, double seconds) {
    float *A = malloc(sizeof(float) * n * n), *B = malloc(sizeof(float) * n * n), *C = malloc(sizeof(float) * n * n);
    for (int i = 0; i < n * n; i++) A[i] = (float)(i % 7) * 0.1f, B[i] = (float)(i % 5) * 0.1f;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, A, n, B, n, 0, C, n);
    int k = 0;
    double t0 = now();
    while (now() - t0 < seconds) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, A, n, B, n, 0, C, n);
        k++;
    }
    double dt = now() - t0;
    free(A), free(B), free(C);
    return 2.0 * n * n * (double)n * k / dt / 1e9;
}

int main(int argc, char **argv) {
    const char *arch = argc > 1 ? argv[1] : "vgg19";
    int batch = argc > 2 ? atoi(argv[2]) : 64;
    double seconds = argc > 3 ? atof(argv[3]) : 10;
    int side = argc > 4 ? atoi(argv[4]) : 72;
    mf_err e = {{0}};
    mf_vgg_arch a;
    mf_vgg_weights w;
    mf_vgg_workspace ws;
    if (mf_vgg_arch_parse(&a, arch, 5, &e) || mf_vgg_weights_alloc(&w, &a, &e) ||
        mf_vgg_workspace_init(&ws, &a, side, batch, &e)) {
        fprintf(stderr, "vgg_speed: %s\n", e.msg);
        return 1;
    }
    mf_vgg_weights_random(&w, 1);
    uint8_t *p = malloc((size_t)batch * side * side);
    for (size_t i = 0; i < (size_t)batch * side * side; i++) p[i] = (uint8_t)mf_rng_below(1, 98, i, 256);
    float *sum = malloc(sizeof(float) * (size_t)batch * 6 * 512 * 5);
    mf_vgg_out out;
    memset(&out, 0, sizeof out);
    float *q = sum;
    for (int b = 0; b < 5; b++) {
        int C = a.widths[b];
        out.mean[b] = q, q += (size_t)batch * C;
        out.meansq[b] = q, q += (size_t)batch * C;
        out.pool2x2[b] = q, q += (size_t)batch * 4 * C;
    }
    double g = sgemm_rate(2048, seconds / 3);
    mf_vgg_forward_u8(&ws, &w, p, batch, &out, &e); /* warm-up */
    int n = 0;
    double t0 = now();
    while (now() - t0 < seconds) {
        mf_vgg_forward_u8(&ws, &w, p, batch, &out, &e);
        n++;
    }
    double dt = now() - t0, rate = n * batch / dt;
    double gf = rate * mf_vgg_flops(&a, side) / 1e9;
    printf("sgemm 2048^3: %.1f GFLOP/s (OpenBLAS %s, %d threads)\n", g, openblas_get_corename(),
           openblas_get_num_threads());
    printf("mammofuse %s batch=%d side=%d workspace=%.0f MB: %.1f patches/s  %.1f GFLOP/s (%.0f%% of sgemm)\n", arch,
           batch, side, mf_vgg_workspace_bytes(&a, side, batch) / 1e6, rate, gf, 100 * gf / g);
    printf("ours extract-%s %.2f patches/s\n", arch, rate);
    free(p), free(sum);
    mf_vgg_workspace_free(&ws);
    mf_vgg_weights_free(&w);
    return 0;
}
