/* bench_extract.c: `mammofuse bench extract`: patches/s and GFLOP/s of the
 * frozen towers at 72x72 (formula weights, random patches) on every rank of
 * the job at once, the machine's sgemm GFLOP/s on the same ranks, and the
 * PyTorch peer's patches/s with as many threads as the job has cores, all in
 * one run, so that the ratios mean something on a shared, noisy machine.
 * Each rank's forward pass runs on mf_extract_threads() threads, as the
 * extract job's does. --profile: the per-layer time of rank 0. */
#include <cblas.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "core/gemm.h"
#include "core/rng.h"
#include "core/vgg.h"
#include "core/vgg_formula.h"
#include "jobs/bench.h"
#include "jobs/bench_util.h"
#include "jobs/extract_compute.h"
#include "jobs/jobs.h"
#include "mpi/progress.h"

/* Peak resident memory of this process, MB (Linux: ru_maxrss in KB). */
static double peak_rss_mb(void) {
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024.0 : 0.0;
}

/* Rank 0's time per layer (ms per patch, share, nominal GFLOP/s). */
static void print_profile(const mf_vgg_workspace *ws, double patches) {
    const mf_vgg_arch *a = &ws->arch;
    double total = 0;
    int nl = mf_vgg_n_layers(a);
    for (int l = 0; l < nl; l++) total += ws->layer_seconds[l];
    for (int b = 0; b < a->n_blocks; b++) total += ws->pool_seconds[b];
    printf("  profile (rank 0, %d thread%s): layer, ms per patch, share, GFLOP/s (nominal)\n", ws->threads,
           ws->threads == 1 ? "" : "s");
    int l = 0, s = ws->side;
    for (int b = 0; b < a->n_blocks; b++, s /= 2) {
        for (int j = 0; j < a->convs[b]; j++, l++) {
            char name[32];
            int cin = 0, cout = 0;
            mf_vgg_layer_name(a, l, name, sizeof name);
            mf_vgg_layer(a, l, NULL, NULL, &cin, &cout);
            double t = ws->layer_seconds[l], f = 2.0 * 9 * cin * cout * (double)s * s * patches;
            printf("  %-14s %7.3f ms %5.1f%% %7.1f%s\n", name, 1e3 * t / patches, 100 * t / total, f / t / 1e9,
                   l == 0 ? " (im2col)" : ws->algo == MF_VGG_WINOGRAD ? "" : " (im2col)");
        }
        printf("  block%d_pool   %7.3f ms %5.1f%%        (ReLU, max pool, summaries)\n", b + 1,
               1e3 * ws->pool_seconds[b] / patches, 100 * ws->pool_seconds[b] / total);
    }
}

/* CPU seconds (user + system) of this process so far. */
static double cpu_seconds(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru)) return 0;
    return (double)ru.ru_utime.tv_sec + 1e-6 * ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_sec +
           1e-6 * ru.ru_stime.tv_usec;
}

/* Patches/s of one rank for the tower (depth, blocks), or -1 on error;
 * *cpu = the CPU seconds it used meanwhile (a rate per CPU-second does not
 * fall when other programs share the cores). */
static double tower_rate(int depth, int blocks, int batch, double seconds, int profile, MPI_Comm comm,
                         double *patches, double *cpu) {
    mf_err e;
    mf_vgg_arch full, run;
    mf_vgg_weights w;
    mf_vgg_workspace ws;
    if (mf_vgg_arch_init(&full, depth, 5, &e) || mf_vgg_arch_init(&run, depth, blocks, &e) ||
        mf_vgg_weights_alloc(&w, &full, &e))
        return -1;
    mf_vgg_weights_formula(&w);
    if (mf_vgg_workspace_init_threads(&ws, &run, 72, batch, mf_extract_threads(), &e)) {
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
    ws.profile = profile;
    int reps = 0;
    double c0 = cpu_seconds(), t0 = mf_now(), dt;
    do {
        mf_vgg_forward_u8(&ws, &w, p, batch, &o, &e);
        reps++;
        dt = mf_now() - t0;
    } while (dt < seconds);
    *cpu = cpu_seconds() - c0;
    *patches = (double)reps * batch;
    int rank;
    MPI_Comm_rank(comm, &rank);
    if (profile && !rank) print_profile(&ws, (double)reps * batch);
    for (int b = 0; b < blocks; b++)
        for (int s = 0; s < 3; s++) free(out[b][s]);
    free(p);
    mf_vgg_workspace_free(&ws);
    mf_vgg_weights_free(&w);
    return (double)reps * batch / dt;
}

int mf_bench_extract(int argc, char **argv) {
    double seconds = 10;
    int batch = 64, peer = 1, profile = 0, only = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc) batch = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-peer")) peer = 0;
        else if (!strcmp(argv[i], "--profile")) profile = 1;
        else if (!strcmp(argv[i], "--tower") && i + 1 < argc) {
            i++;
            only = !strcmp(argv[i], "vgg19") ? 0 : !strcmp(argv[i], "vgg16") ? 1 : !strcmp(argv[i], "vgg19-3") ? 2 : -2;
            if (only == -2) {
                fprintf(stderr, "mammofuse bench extract: --tower '%s': expected vgg19, vgg16 or vgg19-3\n", argv[i]);
                return MF_EXIT_USAGE;
            }
        }
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
    int threads = mf_extract_threads(), cores = size * threads;
    if (!rank)
        printf("bench extract: %d ranks x %d threads (OpenBLAS and the towers), batch %d, %.0f s per figure, "
               "OPENBLAS_CORETYPE=%s, GEMM kernels %s\n",
               size, threads, batch, seconds, getenv("OPENBLAS_CORETYPE") ? getenv("OPENBLAS_CORETYPE") : "(unset)",
               mf_gemm_path() == MF_GEMM_AVX512 ? "avx512" : mf_gemm_path() == MF_GEMM_AVX2 ? "avx2" : "ref");
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
        if (only >= 0 && k != only) continue;
        double pc[2] = {0, 0}, pcsum[2] = {0, 0}, ours = 0;
        double r = tower_rate(cases[k].depth, cases[k].blocks, batch, seconds, profile, comm, &pc[0], &pc[1]);
        MPI_Reduce(&r, &ours, 1, MPI_DOUBLE, MPI_SUM, 0, comm);
        MPI_Reduce(pc, pcsum, 2, MPI_DOUBLE, MPI_SUM, 0, comm);
        mf_vgg_arch a;
        mf_err e;
        mf_vgg_arch_init(&a, cases[k].depth, cases[k].blocks, &e);
        double gf = ours * mf_vgg_flops(&a, 72) / 1e9;
        if (!rank)
            printf("%s 72x72: %.1f patches/s, %.1f GFLOP/s (%.0f%% of sgemm); %.1f patches per CPU-second\n",
                   cases[k].name, ours, gf, 100 * gf / sgemm, pcsum[1] > 0 ? pcsum[0] / pcsum[1] : 0.0);
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
    double rss = peak_rss_mb(), rmax = 0;
    MPI_Reduce(&rss, &rmax, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
    if (!rank) printf("peak resident memory: %.0f MB (rank 0), %.0f MB (largest rank)\n", rss, rmax);
    return MF_EXIT_OK;
}
