/* vgg_speed.c: timing of the VGG forward pass (not a test).
 * Prints the tower's patches/s and GFLOP/s (counted as the peer counts:
 * 2*9*Cin*Cout*H*W per conv, Cin = 3 at layer 1) and a plain cblas_sgemm
 * GFLOP/s measured in the same run, so the fraction of the machine's sgemm
 * rate is known. bench/vgg_speed.sh builds it and runs the PyTorch peer
 * beside it, and runs it as 2 processes x 1 OpenBLAS thread too (the
 * design's one rank per core).
 * Usage: vgg_speed [--arch vgg19] [--batch 64] [--seconds 10] [--side 72] [--no-sgemm]
 * Threads: the tower runs on OpenBLAS's thread count (OPENBLAS_NUM_THREADS).
 * Build: gcc -O2 -std=c11 -I. bench/vgg_speed.c build/libmfcore.a -lopenblas -fopenmp -lm */
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
    const char *arch = "vgg19";
    int batch = 64, side = 72, do_sgemm = 1;
    double seconds = 10;
    for (int i = 1; i < argc; i++) {
        int more = i + 1 < argc;
        if (!strcmp(argv[i], "--arch") && more) arch = argv[++i];
        else if (!strcmp(argv[i], "--batch") && more) batch = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && more) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--side") && more) side = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-sgemm")) do_sgemm = 0;
        else {
            fprintf(stderr, "usage: vgg_speed [--arch vgg19] [--batch 64] [--seconds 10] [--side 72] [--no-sgemm]\n");
            return 2;
        }
    }
    mf_err e = {{0}};
    mf_vgg_arch a;
    mf_vgg_weights w;
    mf_vgg_workspace ws;
    if (mf_vgg_arch_parse(&a, arch, 5, &e) || mf_vgg_weights_alloc(&w, &a, &e) ||
        mf_vgg_workspace_init_threads(&ws, &a, side, batch, openblas_get_num_threads(), &e)) {
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
    double g = do_sgemm ? sgemm_rate(2048, seconds / 3) : 0;
    mf_vgg_forward_u8(&ws, &w, p, batch, &out, &e); /* warm-up */
    int n = 0;
    struct timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    double t0 = now();
    while (now() - t0 < seconds) {
        mf_vgg_forward_u8(&ws, &w, p, batch, &out, &e);
        n++;
    }
    double dt = now() - t0, rate = n * batch / dt;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double cpu = (double)(c1.tv_sec - c0.tv_sec) + 1e-9 * (double)(c1.tv_nsec - c0.tv_nsec);
    double gf = rate * mf_vgg_flops(&a, side) / 1e9;
    if (do_sgemm)
        printf("sgemm 2048^3: %.1f GFLOP/s (OpenBLAS %s, %d threads)\n", g, openblas_get_corename(),
               openblas_get_num_threads());
    printf("mammofuse %s batch=%d side=%d threads=%d workspace=%.0f MB: %.1f patches/s  %.1f GFLOP/s", arch, batch,
           side, openblas_get_num_threads(), mf_vgg_workspace_bytes(&a, side, batch) / 1e6, rate, gf);
    if (do_sgemm) printf(" (%.0f%% of sgemm)", 100 * gf / g);
    printf("; %.1f patches per CPU-second\n", n * batch / cpu);
    printf("ours extract-%s %.2f patches/s\n", arch, rate);
    free(p), free(sum);
    mf_vgg_workspace_free(&ws);
    mf_vgg_weights_free(&w);
    return 0;
}
