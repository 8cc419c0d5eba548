/* run_lock.h: the output folders of a job, locked for the whole job
 * (io/dir_lock.h) by rank 0, with the outcome shared so that every rank
 * goes on or fails together (one line on stderr, from rank 0).
 * Which folders: `--out` for rois, extract, train, evaluate, predict and
 * run; for sweep and cv each configuration's (fold's) own folder, so the
 * slices of a job array share one RUN_DIR, plus RUN_DIR itself when the job
 * writes there (not --slice). Released by main.c when the job ends. */
#ifndef MF_MPI_RUN_LOCK_H
#define MF_MPI_RUN_LOCK_H
#include <mpi.h>

/* Collective over comm: rank 0 locks dirs[0..n) with flags (MF_LOCK_*).
 * 0, or -1 on every rank (the message printed once). */
int mf_run_lock(MPI_Comm comm, int n, const char *const *dirs, int flags);

#endif
