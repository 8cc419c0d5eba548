/* bench.h: the benchmarks behind `mammofuse bench <what>`; each prints one
 * line per figure and measures the machine's sgemm rate and the PyTorch peer
 * (../shared/tools/peer_torch_bench.py) in the same run. */
#ifndef MF_JOBS_BENCH_H
#define MF_JOBS_BENCH_H

/* argv[0] is the benchmark's name ("extract", "train"); returns MF_EXIT_*. */
int mf_bench_extract(int argc, char **argv);
int mf_bench_train(int argc, char **argv);

#endif
