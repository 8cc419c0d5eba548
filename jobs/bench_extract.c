/* bench_extract.c: `mammofuse bench extract`: patches/s and GFLOP/s of the
 * frozen towers at 72x72 (formula weights, random patches) on every rank of
 * the job at once, the machine's sgemm GFLOP/s on the same ranks, and the
 * PyTorch peer's patches/s with as many threads as the job has cores, all in
 * one run, so that the ratios mean something on a shared, noisy machine. */
#include <cblas.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/vgg.h"
#include "core/vgg_formula.h"
#include "jobs/bench.h"
#include "jobs/bench_util.h"
#include "jobs/jobs.h"
#include "mpi/progress.h"

/* Patches/s of one rank for the tower (depth, blocks), or -1 on error. */
static double tower_rate(int depth, int blocks, int batch, double seconds, MPI_Comm comm) {
    mf_err e;
    mf_vgg_arch full, run;
    mf_vgg_weights w;
    mf_vgg_workspace ws;
    if (mf_vgg_arch_init(&full, depth, 5, &e) || mf_vgg_arch_init(&run, depth, blocks, &e) ||
        mf_vgg_weights_alloc(&w, &full, &e))
        return -1;
    mf_vgg_weights_formula(&w);
    if (mf_vgg_workspace_init(&ws, &run, 72, batch, &e)) {
        mf_vgg_weights_free(&w);
        return -1;
    }
    uint8_t *p = malloc((size_t)batch * 72 * 72);
    float *out[MF_VGG_MAX_BLOCKS][3] = {{0}};
    mf_vgg_out o;
    memset(&o, 0, sizeof o);
    for (int b = 0; b < blocks; b++) {
        o.mean[b] = out[b][0] = malloc(sizeof(float) * (size_t)batch * run.widths[b]);
        o.meansq[b] = out[b][1] = malloc(sizeof(float) * (size_t)batch * run.widths[b]);
        o.pool2x2[b] = out[b][2] = malloc(sizeof(float) * (size_t)batch * 4 * run.widths[b]);
    }
    for (size_t i = 0; i < (size_t)batch * 72 * 72; i++) p[i] = (uint8_t)(mf_rng_u64(5, 0, i) & 255);
    mf_vgg_forward_u8(&ws, &w, p, batch, &o, &e); /* warm-up */
    MPI_Barrier(comm);
    int reps = 0;
    double t0 = mf_now(), dt;
    do {
        mf_vgg_forward_u8(&ws, &w, p, batch, &o, &e);
        reps++;
        dt = mf_now() - t0;
    } while (dt < seconds);
    for (int b = 0; b < blocks; b++)
        for (int s = 0; s < 3; s++) free(out[b][s]);
    free(p);
    mf_vgg_workspace_free(&ws);
    mf_vgg_weights_free(&w);
    return (double)reps * batch / dt;
}

int mf_bench_extract(int argc, char **argv) {
    double seconds = 10;
    int batch = 64, peer = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc) batch = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-peer")) peer = 0;
        else {
            fprintf(stderr, "mammofuse bench extract: unknown option '%s' (see mammofuse bench --help)\n", argv[i]);
            return MF_EXIT_USAGE;
        }
    }
    if (seconds <= 0 || batch < 1 || batch > 4096) {
        fprintf(stderr, "mammofuse bench extract: expected --seconds > 0 and --batch in 1..4096\n");
        return MF_EXIT_USAGE;
    }
    MPI_Comm comm = MPI_COMM_WORLD;
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int threads = openblas_get_num_threads(), cores = size * threads;
    if (!rank)
        printf("bench extract: %d ranks x %d OpenBLAS threads, batch %d, %.0f s per figure, OPENBLAS_CORETYPE=%s\n",
               size, threads, batch, seconds, getenv("OPENBLAS_CORETYPE") ? getenv("OPENBLAS_CORETYPE") : "(unset)");
    double mine = mf_bench_sgemm_gflops(2048, seconds / 2), sgemm = 0;
    MPI_Reduce(&mine, &sgemm, 1, MPI_DOUBLE, MPI_SUM, 0, comm);
    if (!rank) printf("sgemm 2048^3: %.1f GFLOP/s\n", sgemm);
    static const struct { const char *name; int depth, blocks; } cases[3] = {
        {"vgg19", 19, 5}, {"vgg16", 16, 5}, {"vgg19 blocks 1-3", 19, 3}};
    char script[1200] = "";
    if (peer && !rank && !mf_bench_find_peer(script, sizeof script)) {
        printf("peer: ../shared/tools/peer_torch_bench.py not found (set MF_PEER)\n");
        peer = 0;
    }
    MPI_Bcast(&peer, 1, MPI_INT, 0, comm);
    /* Each tower, then the peer on the same tower right after, so that both
     * see the same load. */
    for (int k = 0; k < 3; k++) {
        double r = tower_rate(cases[k].depth, cases[k].blocks, batch, seconds, comm), ours = 0;
        MPI_Reduce(&r, &ours, 1, MPI_DOUBLE, MPI_SUM, 0, comm);
        mf_vgg_arch a;
        mf_err e;
        mf_vgg_arch_init(&a, cases[k].depth, cases[k].blocks, &e);
        double gf = ours * mf_vgg_flops(&a, 72) / 1e9;
        if (!rank)
            printf("%s 72x72: %.1f patches/s, %.1f GFLOP/s (%.0f%% of sgemm)\n", cases[k].name, ours, gf,
                   100 * gf / sgemm);
        if (!peer || k == 2) continue; /* the peer has whole towers only */
        if (!rank) {
            char args[160];
            snprintf(args, sizeof args, "--arch %s --batch %d --threads %d --seconds %g", cases[k].name, batch, cores,
                     seconds);
            double pr = mf_bench_run_peer(script, args);
            if (pr > 0)
                printf("peer %s 72x72: %.1f patches/s, %.1f GFLOP/s (torch, %d threads); mammofuse/peer: %.2f\n",
                       cases[k].name, pr, pr * mf_vgg_flops(&a, 72) / 1e9, cores, ours / pr);
        }
        mf_bench_idle_barrier(comm);
    }
    return MF_EXIT_OK;
}
