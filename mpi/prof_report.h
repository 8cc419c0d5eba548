/* prof_report.h: the --profile lines of `bench train` and `train`: where a
 * training step's time went (core/prof.h's buckets: forward, backward, the
 * dense top's weight gradients with their SGD, reductions, the rest of the
 * SGD, HDF5 reads; "other" is the step's wall time not in a bucket), in ms
 * per step on rank 0 and on the slowest rank. */
#ifndef MF_MPI_PROF_REPORT_H
#define MF_MPI_PROF_REPORT_H
#include <mpi.h>

/* Collective over comm: one line per bucket, "  profile LABEL NAME x ms/step
 * (rank 0), y (slowest rank)", then "other" and "total", for `steps` steps
 * that took `seconds` of wall time on this rank. */
void mf_prof_report(MPI_Comm comm, const char *label, long steps, double seconds);

/* mf_prof_enable(on), with the CPU-time clock when the environment has
 * MF_PROF_CLOCK=cpu (core/prof.h; `seconds` above is then CPU time too:
 * take it with mf_prof_now()). */
void mf_prof_start(int on);

#endif
