/* bench_train.c: `mammofuse bench train [--seconds S] [--shard K] [--profile]
 * [--no-peer]`: training
 * samples/s of Fusion1 and Fusion2 (all five branches, batch 32, the default
 * shard) on the ranks it is started with, through the same data-parallel
 * step as the train job (mpi/train_step.h) on random block summaries held in
 * memory (no store: this measures the step, not the disk). In the same run:
 * the machine's sgemm rate (1024^3 cblas_sgemm on rank 0) and the PyTorch
 * peer (../shared/tools/peer_torch_bench.py --train-head) with as many
 * threads as there are ranks, and the ratio; the fraction of the sgemm
 * rate each head reaches (FLOPs of its GEMMs per sample); each rank's peak
 * resident memory. --profile: where a step's time goes (core/prof.h
 * buckets, ms per step, rank 0 and the slowest rank). */
#include <cblas.h>
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>

#include "core/heads.h"
#include "core/prof.h"
#include "core/rng.h"
#include "core/sgd.h"
#include "io/features_store.h"
#include "jobs/bench.h"
#include "jobs/bench_util.h"
#include "jobs/jobs.h"
#include "jobs/train_data.h"
#include "mpi/prof_report.h"
#include "mpi/progress.h"
#include "mpi/report.h"
#include "mpi/train_step.h"

#define BENCH_BATCH 32

/* Random summaries with a valid variance (meansq >= mean^2). */
static void fill_random(mf_tbuf *b, const mf_head *h, int n, int rank) {
    uint64_t idx = (uint64_t)rank << 40;
    for (int k = 0; k < h->nb; k++) {
        int C = h->C[k];
        for (size_t i = 0; i < (size_t)n * C; i++) {
            float m = (float)mf_rng_unit(7, MF_STREAM_SYNTH, idx++);
            b->x[k][MF_SUM_MEAN][i] = m;
            if (h->model == 2) b->x[k][MF_SUM_MEANSQ][i] = m * m + 0.1f;
        }
        if (h->model == 2)
            for (size_t i = 0; i < (size_t)n * 4 * C; i++)
                b->x[k][MF_SUM_POOL][i] = (float)mf_rng_unit(7, MF_STREAM_SYNTH, idx++);
    }
    for (int i = 0; i < n; i++) b->label[i] = (int32_t)(mf_rng_u64(7, MF_STREAM_SYNTH, idx++) & 1);
}

/* FLOPs of one sample's training step in the heads' GEMMs: forward, input
 * gradients (down to the top BN's output, whose gradient the BN's gamma and
 * beta need) and weight gradients, 3 x 2 x the multiply-adds; Model2 adds
 * its 1x1 convolutions at the 4 pooled positions. Model1 [1..5]: 15.3 M. */
static double step_flops(const mf_head *h) {
    double mac = (double)h->D * MF_HIDDEN + (double)MF_HIDDEN * MF_HIDDEN + (double)MF_HIDDEN * MF_NCLASS;
    if (h->model == 2)
        for (int k = 0; k < h->nb; k++) mac += 4.0 * h->C[k] * h->F[k];
    return 6 * mac;
}

/* Peak resident memory of this process, MB (Linux: ru_maxrss in KB). */
static double peak_rss_mb(void) {
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? (double)ru.ru_maxrss / 1024.0 : 0.0;
}

static int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* This rank's rows of batch s of the shuffled training rows of data, read
 * into b (as the train job reads them: the batch sorted, the rank's shards). */
static int store_batch(mf_tdata *data, const int *perm, long s, int64_t *rows, const mf_dstep *d, mf_tbuf *b,
                       mf_err *e) {
    for (int j = 0; j < BENCH_BATCH; j++) rows[j] = data->train_rows[perm[s * BENCH_BATCH + j]];
    qsort(rows, BENCH_BATCH, sizeof(int64_t), cmp_i64);
    mf_batch_view v;
    double t0 = mf_prof_t0();
    int rc = mf_tdata_read(data, b, rows + d->row0, d->nrows, &v, e);
    mf_prof_add(MF_PROF_READ, t0);
    return rc;
}

/* This process's CPU time (user + system), seconds. */
static double cpu_seconds(void) {
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru)) return 0;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + 1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/* Samples/s of SGD steps of one head for about `seconds`; -1 on failure.
 * *flops = FLOPs per sample; profile: ms per step per bucket. data NULL:
 * the head on all five branches, random summaries in memory; else the
 * head on data's (opened for it), each step reading its batch from the
 * store (or data->cache), batches of a permutation keyed by seed. */
#define MAX_TIMED 65536 /* steps whose times are kept for the median */

static double bench_head(int model, int shard, double seconds, MPI_Comm comm, double *flops, int profile,
                         mf_tdata *data, uint64_t seed, double *cpu_rate, double *median_rate, mf_err *e) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    const int all[5] = {1, 2, 3, 4, 5};
    mf_head h;
    mf_dstep d;
    mf_tbuf b;
    memset(&d, 0, sizeof d);
    memset(&b, 0, sizeof b);
    if (data) h = *data->h;
    else if (mf_head_init(&h, model, 5, all, e)) return -1;
    float *p = malloc(h.nparams * sizeof(float)), *v = calloc(h.nparams, sizeof(float));
    float *st = malloc(h.nstate * sizeof(float)), *g = malloc(h.nparams * sizeof(float));
    int *perm = data ? malloc((size_t)data->ntrain * sizeof(int)) : NULL;
    double *times = median_rate ? malloc(MAX_TIMED * sizeof(double)) : NULL;
    int64_t rows[BENCH_BATCH];
    long nsteps = data ? (long)(data->ntrain / BENCH_BATCH) : 0;
    int failed = !p || !v || !st || !g || (data && !perm) || (median_rate && !times);
    if (failed) mf_fail(e, "bench train: out of memory");
    if (mf_any_failed(comm, failed, e)) return -1;
    double rate = -1;
    if (mf_dstep_init(&d, &h, BENCH_BATCH, shard, comm, e)) goto out;
    failed = mf_tbuf_alloc(&b, &h, d.nrows) ? mf_fail(e, "bench train: out of memory") : 0;
    if (mf_any_failed(comm, failed, e)) goto out;
    mf_head_init_params(&h, 1, p, st);
    if (data) {
        mf_rng_permutation(seed, MF_STREAM_SHUFFLE, 0, (int)data->ntrain, perm);
        failed = store_batch(data, perm, 0, rows, &d, &b, e);
        if (mf_any_failed(comm, failed, e)) goto out;
    } else
        fill_random(&b, &h, d.nrows, rank);
    mf_batch_view view = mf_tbuf_view(&b, &h, d.nrows);
    /* as the train job: the parameters in the node's shared window when the ranks share a node */
    float *sp = p, *sv = v;
    mf_dstep_share(&d, &sp, &sv);
    *flops = step_flops(&h);
    double m[2];
    long steps = 0;
    for (int w = 0; w < 2; w++) /* warm-up */
        if (mf_dstep_run_sgd(&d, sp, sv, MF_SGD_LR, MF_SGD_MOMENTUM, st, &view, g, m, e)) goto out;
    MPI_Barrier(comm);
    mf_prof_reset();
    double t0 = mf_now(), dt = 0, p0 = mf_prof_now(), c0 = cpu_seconds();
    for (int go = 1; go;) {
        if (data && store_batch(data, perm, (steps + 1) % nsteps, rows, &d, &b, e)) goto out;
        /* as the train job: the step with its SGD update */
        if (mf_dstep_run_sgd(&d, sp, sv, MF_SGD_LR, MF_SGD_MOMENTUM, st, &view, g, m, e)) goto out;
        double now = mf_now() - t0;
        if (times && steps < MAX_TIMED) times[steps] = now - dt; /* this step, with the agreement below */
        steps++;
        dt = now;
        go = dt < seconds; /* rank 0's clock decides for all */
        MPI_Bcast(&go, 1, MPI_INT, 0, comm);
    }
    rate = (double)steps * BENCH_BATCH / dt;
    if (times) { /* the median step: what a step costs when nothing else takes the core meanwhile */
        long n = steps < MAX_TIMED ? steps : MAX_TIMED;
        qsort(times, (size_t)n, sizeof(double), cmp_d);
        *median_rate = BENCH_BATCH / times[n / 2];
    }
    if (cpu_rate) *cpu_rate = (double)steps * BENCH_BATCH / (cpu_seconds() - c0);
    if (profile) {
        char label[16];
        snprintf(label, sizeof label, "fusion%d", model);
        mf_prof_report(comm, label, steps, mf_prof_now() - p0);
    }
out:
    mf_tbuf_free(&b);
    mf_dstep_free(&d);
    free(p), free(v), free(st), free(g), free(perm), free(times);
    return rate;
}

double mf_bench_head_rate(int model, int shard, double seconds, MPI_Comm comm, double *flops, mf_err *e) {
    return bench_head(model, shard, seconds, comm, flops, 0, NULL, 0, NULL, NULL, e);
}

double mf_bench_head_rate_store(mf_tdata *data, int shard, double seconds, MPI_Comm comm, uint64_t seed, int profile,
                                double *flops, double *cpu_rate, mf_err *e) {
    return bench_head(data->h->model, shard, seconds, comm, flops, profile, data, seed, cpu_rate, NULL, e);
}

int mf_bench_train(int argc, char **argv) {
    double seconds = 5;
    int peer = 1, shard = MF_SHARD_DEFAULT, profile = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--shard") && i + 1 < argc) shard = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-peer")) peer = 0;
        else if (!strcmp(argv[i], "--profile")) profile = 1;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: [mpirun -n P] mammofuse bench train [--seconds S] [--shard K] [--profile] [--no-peer]\n\n"
                   "Training samples/s of Fusion1 and Fusion2 (all five branches, global batch %d, shards of %d)\n"
                   "on the P ranks it is started with (run it with mpirun -n 1 and -n 2 for the 1- and 2-rank\n"
                   "figures), on random summaries in memory; the machine's sgemm GFLOP/s; and the PyTorch\n"
                   "peer (../shared/tools/peer_torch_bench.py --train-head, or $MF_PEER) with P threads, run\n"
                   "on rank 0 in the same job, and the ratio; the fraction of the sgemm rate each head reaches\n"
                   "(its GEMMs' FLOPs per sample: Model1 15.3 M) and each rank's peak resident memory; the\n"
                   "median step (rank 0's clock) beside the mean: on a machine shared with other work it\n"
                   "shows what a step costs when nothing else took the core meanwhile.\n"
                   "S: seconds per figure (default 5); K: shard size (train.shard, default %d).\n"
                   "--profile: where a step's time goes, in ms per step (forward, backward, the dense top's\n"
                   "weight gradients with their SGD update, reductions between ranks (and waiting for them),\n"
                   "the rest of the SGD, HDF5 reads: none here, the summaries are in memory; other = the rest),\n"
                   "on rank 0 and the slowest rank.\n",
                   BENCH_BATCH, MF_SHARD_DEFAULT, MF_SHARD_DEFAULT);
            return MF_EXIT_OK;
        } else {
            fprintf(stderr, "mammofuse bench train: unknown argument '%s' (see --help)\n", argv[i]);
            return MF_EXIT_USAGE;
        }
    }
    if (seconds <= 0) seconds = 5;
    if (shard < 1 || shard > BENCH_BATCH) shard = MF_SHARD_DEFAULT;
    MPI_Comm comm = MPI_COMM_WORLD;
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    mf_err e = {{0}};
    double gf = mf_bench_sgemm_line(comm);
    double ours[2];
    mf_prof_start(profile);
    for (int m = 1; m <= 2; m++) {
        double flops = 0, med = 0;
        ours[m - 1] = bench_head(m, shard, seconds, comm, &flops, profile, NULL, 0, NULL, &med, &e); /* the profile lines first */
        if (ours[m - 1] < 0) return MF_EXIT_FAIL;
        double rate = ours[m - 1] * flops / 1e9;
        mf_say(comm, "fusion%d train: %.1f samples/s (%d rank%s, batch %d, shard %d): %.1f GFLOP/s, %.0f%% of %s sgemm; "
                     "median step %.3f ms = %.0f samples/s\n",
               m, ours[m - 1], size, size > 1 ? "s" : "", BENCH_BATCH, shard, rate,
               gf > 0 ? 100 * rate / (gf * size) : 0.0, size > 1 ? "the ranks'" : "the", 1e3 * BENCH_BATCH / med, med);
    }
    mf_prof_enable(0);
    double rss = peak_rss_mb(), rmax = 0;
    MPI_Reduce(&rss, &rmax, 1, MPI_DOUBLE, MPI_MAX, 0, comm);
    mf_say(comm, "peak resident memory: %.0f MB (rank 0), %.0f MB (largest rank)\n", rss, rmax);
    if (!peer) return MF_EXIT_OK;
    if (rank == 0) {
        for (int m = 1; m <= 2; m++) {
            double r = mf_bench_peer_train(m, seconds, size);
            if (r > 0)
                printf("peer fusion%d train: %.1f samples/s (PyTorch, %d thread%s); mammofuse/peer = %.2f\n", m, r,
                       size, size > 1 ? "s" : "", ours[m - 1] / r);
            if (r <= 0) break;
        }
        fflush(stdout);
    }
    mf_bench_idle_barrier(comm);
    return MF_EXIT_OK;
}
