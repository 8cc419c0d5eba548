/* run_lock.c: see run_lock.h. */
#include "mpi/run_lock.h"

#include "io/dir_lock.h"
#include "mpi/report.h"

int mf_run_lock(MPI_Comm comm, int n, const char *const *dirs, int flags) {
    int rank, failed = 0;
    MPI_Comm_rank(comm, &rank);
    mf_err e = {{0}};
    for (int i = 0; rank == 0 && i < n && !failed; i++) failed = mf_dir_lock(dirs[i], flags, &e);
    return mf_any_failed(comm, failed, &e) ? -1 : 0;
}
