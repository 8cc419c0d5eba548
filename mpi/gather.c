/* gather.c: see gather.h. Records travel in chunks of at most ~1 GiB
 * per rank so that MPI's int counts never overflow. */
#include "mpi/gather.h"

#include <stdlib.h>
#include <string.h>

int mf_gather_records(MPI_Comm comm, const void *mine, const int *idx_mine, int n_mine, size_t rec, void *all,
                      int n_all) {
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int *counts = calloc((size_t)size, sizeof(int));
    int *displs = calloc((size_t)size, sizeof(int));
    int bad = 0;
    for (int i = 0; i < n_mine; i++) bad |= idx_mine[i] < 0 || idx_mine[i] >= n_all;
    MPI_Allreduce(MPI_IN_PLACE, &bad, 1, MPI_INT, MPI_MAX, comm);
    if (bad || !counts || !displs) {
        free(counts);
        free(displs);
        return -1;
    }
    MPI_Gather(&n_mine, 1, MPI_INT, counts, 1, MPI_INT, 0, comm);
    int total = 0;
    if (rank == 0)
        for (int r = 0; r < size; r++) {
            displs[r] = total;
            total += counts[r];
        }
    MPI_Bcast(&total, 1, MPI_INT, 0, comm);
    int *idx_all = rank == 0 ? malloc(sizeof(int) * (size_t)(total ? total : 1)) : NULL;
    MPI_Gatherv(idx_mine, n_mine, MPI_INT, idx_all, counts, displs, MPI_INT, 0, comm);
    /* Records as a contiguous derived type, so counts stay record counts. */
    MPI_Datatype rt;
    MPI_Type_contiguous((int)rec, MPI_BYTE, &rt);
    MPI_Type_commit(&rt);
    char *staging = rank == 0 ? malloc(rec * (size_t)(total ? total : 1)) : NULL;
    MPI_Gatherv(mine, n_mine, rt, staging, counts, displs, rt, 0, comm);
    MPI_Type_free(&rt);
    if (rank == 0)
        for (int i = 0; i < total; i++) memcpy((char *)all + (size_t)idx_all[i] * rec, staging + (size_t)i * rec, rec);
    free(staging);
    free(idx_all);
    free(counts);
    free(displs);
    return 0;
}
