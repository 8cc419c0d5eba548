/* bench_sweep.c: `mammofuse bench sweep [--seconds S] [--group-ranks R]
 * [--no-peer]`: what a sweep buys on this machine. The ranks are cut into
 * groups of R (as `sweep` cuts them) that all train side by side, each its
 * own configuration (the paper's Model1, then Model2: all five branches,
 * batch 32, random summaries in memory, mpi/train_step.h's step); the sum of
 * the groups' samples/s, over the samples of one paper-scale training (5
 * epochs of floor(206,697 / 32) steps of 32: the paper's training patches),
 * gives trainings per hour. In the same run: the PyTorch peer with as many
 * threads as there are ranks, training one configuration after another
 * (peer_torch_bench.py --train-head), and the ratio; and the machine's sgemm
 * rate. Validation (a forward pass over 68,565 patches per epoch) is left
 * out of both sides.
 * --store PATH: the same with the batches read from a real feature store
 * (the heads on all of its blocks, the store's training rows, each group its
 * own shuffle), through the node's cache of train.cache_mb (--cache-mb N,
 * default 1024; 0: every batch from the file), as a sweep reads them; with
 * --profile the per-step split (reads included) and each rank's memory.
 * No peer in this mode (its summaries are random). */
#include <cblas.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/heads.h"
#include "jobs/bench.h"
#include "jobs/bench_util.h"
#include "core/prof.h"
#include "io/features_store.h"
#include "jobs/jobs.h"
#include "jobs/train_data.h"
#include "mpi/groups.h"
#include "mpi/prof_report.h"
#include "mpi/store_cache.h"
#include "mpi/report.h"

#define PAPER_TRAIN_PATCHES 206697
#define PAPER_EPOCHS 5
#define PAPER_BATCH 32

/* kB of a line "Name:  N kB" of /proc/self/status, as MB (0 if absent). */
static double status_mb(const char *name) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double mb = 0;
    size_t n = strlen(name);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, name, n) && line[n] == ':') mb = atof(line + n + 1) / 1024.0;
    if (f) fclose(f);
    return mb;
}

/* --store: trainings per hour of each head over the store's blocks, the
 * batches read from the store through the node's cache. */
static int bench_store(const char *path, int cache_mb, double seconds, int group_ranks, int profile, MPI_Comm comm) {
    mf_err e = {{0}};
    mf_fstore fs;
    int nb = 0, failed = mf_fstore_open_ro(&fs, path, &e);
    if (!failed) {
        nb = fs.n_blocks;
        mf_fstore_close_ro(&fs);
    }
    if (mf_any_failed(comm, failed, &e)) return MF_EXIT_FAIL;
    const int br[5] = {1, 2, 3, 4, 5};
    mf_groups g;
    mf_groups_split(comm, group_ranks, &g);
    mf_prof_start(profile);
    for (int m = 1; m <= 2; m++) {
        mf_head h;
        mf_tdata data;
        mf_scache cache;
        unsigned char want[MF_STORE_MAX_BLOCKS][3] = {{0}};
        memset(&data, 0, sizeof data);
        failed = mf_head_init(&h, m, nb, br, &e);
        if (!failed) mf_tdata_want(&h, want);
        if (mf_any_failed(comm, failed, &e)) break;
        if (mf_scache_open(&cache, path, comm, want, MF_SCACHE_SPLITS, cache_mb, "bench sweep", &e)) {
            failed = 1;
            break;
        }
        failed = mf_tdata_open(&data, path, &h, NULL, &e);
        if (!failed && data.ntrain < 32) failed = mf_fail(&e, "%s: fewer than 32 training rows", path);
        data.cache = &cache;
        double flops = 0, r = -1, cpu = 0;
        if (!mf_any_failed(comm, failed, &e))
            r = mf_bench_head_rate_store(&data, MF_SHARD_DEFAULT, seconds, g.comm, (uint64_t)g.group + 1,
                                         profile && g.group == 0, &flops, &cpu, &e); /* one group's profile lines */
        failed = r < 0;
        int64_t ntrain = data.ntrain;
        mf_tdata_close(&data);
        if (mf_any_failed(comm, failed, &e)) {
            mf_scache_free(&cache);
            break;
        }
        double mine[2] = {g.rank == 0 ? r : 0, g.rank == 0 ? cpu : 0}, all[2];
        MPI_Allreduce(mine, all, 2, MPI_DOUBLE, MPI_SUM, comm);
        double sum = all[0];
        double samples = (double)PAPER_EPOCHS * (double)(ntrain / PAPER_BATCH) * PAPER_BATCH;
        mf_say(comm,
               "sweep fusion%d [1-%d] from %s: %d group%s of %d rank%s side by side: %.1f samples/s in all = %.1f "
               "trainings/hour (%d epochs of %" PRId64 " training rows; cache %.0f MB per node, filled in %.1f s); "
               "per CPU-second of the groups' leaders: %.1f samples = %.1f trainings per core-hour\n",
               m, nb, path, g.ngroups, g.ngroups > 1 ? "s" : "", g.size, g.size > 1 ? "s" : "", sum,
               sum * 3600 / samples, PAPER_EPOCHS, ntrain, cache.mb, cache.fill_seconds, all[1] / g.ngroups,
               all[1] / g.ngroups * 3600 / samples);
        if (profile) {
            double mem[3] = {status_mb("VmHWM"), status_mb("RssAnon"), status_mb("RssShmem")}, mx[3];
            MPI_Reduce(mem, mx, 3, MPI_DOUBLE, MPI_MAX, 0, comm);
            mf_say(comm, "  memory fusion%d: largest rank: peak resident %.0f MB, of it now %.0f MB private and "
                         "%.0f MB of the node's shared cache (counted once per node)\n", m, mx[0], mx[1], mx[2]);
        }
        mf_scache_free(&cache);
    }
    mf_prof_enable(0);
    mf_groups_free(&g);
    return failed ? MF_EXIT_FAIL : MF_EXIT_OK;
}

int mf_bench_sweep(int argc, char **argv) {
    double seconds = 5;
    int peer = 1, group_ranks = 1, cache_mb = 1024, profile = 0;
    const char *store = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--store") && i + 1 < argc) store = argv[++i];
        else if (!strcmp(argv[i], "--cache-mb") && i + 1 < argc) cache_mb = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--profile")) profile = 1;
        else if (!strcmp(argv[i], "--group-ranks") && i + 1 < argc) group_ranks = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-peer")) peer = 0;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: [mpirun -n P] mammofuse bench sweep [--seconds S] [--group-ranks R] [--no-peer]\n"
                   "                                         [--store FEATURES.h5 [--cache-mb N] [--profile]]\n\n"
                   "Trainings per hour of the paper's Model1 and Model2 (all five branches, batch 32, 5 epochs\n"
                   "over the paper's 206,697 training patches) when the P ranks train side by side in groups of\n"
                   "R (default 1), as `mammofuse sweep` runs them; beside the PyTorch peer with P threads\n"
                   "training one configuration after another, measured in the same run. S: seconds per\n"
                   "figure (default 5).\n"
                   "--store: the batches read from a real store instead (the heads on all its blocks, its\n"
                   "training rows, 5 epochs of them per training, each group its own shuffle) through the\n"
                   "node's shared cache of N MB (train.cache_mb; default 1024, 0: every batch from the file);\n"
                   "no peer. --profile: ms per step (reads included) and each rank's memory.\n");
            return MF_EXIT_OK;
        } else {
            fprintf(stderr, "mammofuse bench sweep: unknown argument '%s' (see --help)\n", argv[i]);
            return MF_EXIT_USAGE;
        }
    }
    if (seconds <= 0) seconds = 5;
    if (store) return bench_store(store, cache_mb < 0 ? 0 : cache_mb, seconds, group_ranks, profile, MPI_COMM_WORLD);
    MPI_Comm comm = MPI_COMM_WORLD;
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    mf_err e = {{0}};
    double gf = mf_bench_sgemm_line(comm);
    const double samples = (double)PAPER_EPOCHS * (PAPER_TRAIN_PATCHES / PAPER_BATCH) * PAPER_BATCH;
    mf_say(comm, "a training: %d epochs x %d steps x %d = %.0f samples (the paper's Model1/Model2 schedule)\n",
           PAPER_EPOCHS, PAPER_TRAIN_PATCHES / PAPER_BATCH, PAPER_BATCH, samples);
    mf_groups g;
    mf_groups_split(comm, group_ranks, &g);
    double ours[2];
    for (int m = 1; m <= 2; m++) {
        double flops = 0;
        double r = mf_bench_head_rate(m, MF_SHARD_DEFAULT, seconds, g.comm, &flops, &e);
        int failed = r < 0;
        if (mf_any_failed(comm, failed, &e)) {
            mf_groups_free(&g);
            return MF_EXIT_FAIL;
        }
        double mine = g.rank == 0 ? r : 0, sum = 0;
        MPI_Allreduce(&mine, &sum, 1, MPI_DOUBLE, MPI_SUM, comm);
        ours[m - 1] = sum;
        double frac = gf > 0 ? sum * flops / (gf * 1e9 * size) : 0;
        mf_say(comm,
               "sweep fusion%d: %d group%s of %d rank%s side by side: %.1f samples/s in all = %.1f trainings/hour "
               "(%.0f%% of %d x the sgemm rate)\n",
               m, g.ngroups, g.ngroups > 1 ? "s" : "", g.size, g.size > 1 ? "s" : "", sum, sum * 3600 / samples,
               100 * frac, size);
    }
    mf_groups_free(&g);
    if (!peer) return MF_EXIT_OK;
    mf_bench_idle_barrier(comm);
    if (rank == 0) {
        for (int m = 1; m <= 2; m++) {
            double r = mf_bench_peer_train(m, seconds, size);
            if (r > 0)
                printf("peer sweep fusion%d: %.1f samples/s (PyTorch, %d thread%s, one training after another) = "
                       "%.1f trainings/hour; mammofuse/peer = %.2f\n",
                       m, r, size, size > 1 ? "s" : "", r * 3600 / samples, ours[m - 1] / r);
            if (r <= 0) break;
        }
        fflush(stdout);
    }
    mf_bench_idle_barrier(comm);
    return MF_EXIT_OK;
}
