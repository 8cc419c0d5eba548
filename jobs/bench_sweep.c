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
 * out of both sides. */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/heads.h"
#include "jobs/bench.h"
#include "jobs/bench_util.h"
#include "jobs/jobs.h"
#include "mpi/groups.h"
#include "mpi/report.h"

#define PAPER_TRAIN_PATCHES 206697
#define PAPER_EPOCHS 5
#define PAPER_BATCH 32

int mf_bench_sweep(int argc, char **argv) {
    double seconds = 5;
    int peer = 1, group_ranks = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--group-ranks") && i + 1 < argc) group_ranks = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--no-peer")) peer = 0;
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: [mpirun -n P] mammofuse bench sweep [--seconds S] [--group-ranks R] [--no-peer]\n\n"
                   "Trainings per hour of the paper's Model1 and Model2 (all five branches, batch 32, 5 epochs\n"
                   "over the paper's 206,697 training patches) when the P ranks train side by side in groups of\n"
                   "R (default 1), as `mammofuse sweep` runs them; beside the PyTorch peer with P threads\n"
                   "training one configuration after another, measured in the same run. S: seconds per\n"
                   "figure (default 5).\n");
            return MF_EXIT_OK;
        } else {
            fprintf(stderr, "mammofuse bench sweep: unknown argument '%s' (see --help)\n", argv[i]);
            return MF_EXIT_USAGE;
        }
    }
    if (seconds <= 0) seconds = 5;
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
