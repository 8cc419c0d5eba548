/* bench.h: the benchmarks behind `mammofuse bench <what>`; each prints one
 * line per figure and measures the machine's sgemm rate and the PyTorch peer
 * (../shared/tools/peer_torch_bench.py) in the same run. */
#ifndef MF_JOBS_BENCH_H
#define MF_JOBS_BENCH_H
#include <mpi.h>

#include "core/err.h"
#include "jobs/train_data.h"

/* argv[0] is the benchmark's name ("extract", "train"); returns MF_EXIT_*. */
int mf_bench_extract(int argc, char **argv);
int mf_bench_train(int argc, char **argv);
int mf_bench_sweep(int argc, char **argv);

/* Collective over comm: training samples/s of head `model` (1 or 2, all
 * five branches, global batch 32 in shards of `shard`) for about `seconds`,
 * SGD steps on random summaries in memory; *flops = FLOPs per sample in the
 * heads' products; -1 with e set on failure. */
double mf_bench_head_rate(int model, int shard, double seconds, MPI_Comm comm, double *flops, mf_err *e);

/* The same over a real store: the head data was opened for (its branches),
 * every step first reading its batch from the store, or from data->cache
 * (a permutation of the training rows keyed by seed, sorted batches, as
 * `train` reads them); profile: the per-step breakdown (reads included).
 * *cpu_rate: samples per second of this process's CPU time (user + system),
 * the rate a core of its own would give on a machine shared with others. */
double mf_bench_head_rate_store(mf_tdata *data, int shard, double seconds, MPI_Comm comm, uint64_t seed, int profile,
                                double *flops, double *cpu_rate, mf_err *e);

#endif
