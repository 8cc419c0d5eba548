/* job_bench.c: `mammofuse bench extract|train [options]`. */
#include <stdio.h>
#include <string.h>

#include "jobs/bench.h"
#include "jobs/jobs.h"

int mf_job_bench(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("usage: mammofuse bench extract [--seconds S] [--batch B] [--tower vgg19|vgg16|vgg19-3] [--profile] [--no-peer]\n"
               "       mammofuse bench train [--seconds S] [--shard K] [--profile] [--no-peer]\n"
               "       mammofuse bench sweep [--seconds S] [--group-ranks R] [--no-peer]\n"
               "                             [--store FEATURES.h5 [--cache-mb N] [--profile]]\n\n"
               "extract: patches/s and GFLOP/s of the VGG19 and VGG16 towers and the VGG19 blocks 1-3\n"
               "  prefix at 72x72 (formula weights), beside the machine's sgemm GFLOP/s and the PyTorch\n"
               "  peer's patches/s measured in the same run, and each rank's peak resident memory. Each\n"
               "  rank runs OPENBLAS_NUM_THREADS threads (else OMP_NUM_THREADS, else its CPUs), as extract\n"
               "  does; --tower runs one tower only; --profile adds rank 0's time per layer.\n"
               "train: training samples/s of Fusion1 and Fusion2 (all five branches) on the ranks it is\n"
               "  started with, beside the peer's (--train-head), the median step and each rank's peak\n"
               "  resident memory; --profile adds where a step's time goes (forward, backward, exchanges).\n"
               "sweep: trainings per hour of the paper's Model1 and Model2 on the paper's plan, the ranks in\n"
               "  groups training side by side, beside the peer training one after another; --store: the\n"
               "  batches read from a real store through the node's cache (--profile: reads vs compute).\n");
        return argc < 2 ? MF_EXIT_USAGE : MF_EXIT_OK;
    }
    if (!strcmp(argv[1], "extract")) return mf_bench_extract(argc - 1, argv + 1);
    if (!strcmp(argv[1], "train")) return mf_bench_train(argc - 1, argv + 1);
    if (!strcmp(argv[1], "sweep")) return mf_bench_sweep(argc - 1, argv + 1);
    fprintf(stderr, "mammofuse bench: unknown benchmark '%s' (extract, train or sweep)\n", argv[1]);
    return MF_EXIT_USAGE;
}
