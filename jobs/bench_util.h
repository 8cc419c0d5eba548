/* bench_util.h: what every benchmark measures beside its own figure, in the
 * same run: the machine's sgemm rate and the PyTorch peer. */
#ifndef MF_JOBS_BENCH_UTIL_H
#define MF_JOBS_BENCH_UTIL_H
#include <mpi.h>
#include <stddef.h>

/* GFLOP/s of an n x n x n cblas_sgemm, repeated for at least `seconds`
 * (OpenBLAS's thread settings as they are). 0 when out of memory. */
double mf_bench_sgemm_gflops(int n, double seconds);

/* The peer script: $MF_PEER, else ../shared/tools/peer_torch_bench.py beside
 * the source tree, the binary's build folder or the working folder. */
int mf_bench_find_peer(char *buf, size_t len);

/* Runs `/usr/bin/python3 <script> <args>` and returns the number of its
 * machine-readable last line "peer <what> <number> <unit>", or 0 after
 * printing why it failed (e.g. python3-torch missing). */
double mf_bench_run_peer(const char *script, const char *args);

/* Collective: rank 0 measures the 1024^3 sgemm rate (the others wait idle)
 * and prints its line; returns it on rank 0 (0 elsewhere). */
double mf_bench_sgemm_line(MPI_Comm comm);

/* Rank 0: the peer's training samples/s for head model (1 or 2) with
 * `threads` threads for about `seconds` (peer_torch_bench.py --train-head);
 * 0 after printing why the peer could not run (script or torch missing). */
double mf_bench_peer_train(int model, double seconds, int threads);

/* A barrier that sleeps instead of spinning, so that the peer running on
 * rank 0 meanwhile gets every core. */
void mf_bench_idle_barrier(MPI_Comm comm);

#endif
