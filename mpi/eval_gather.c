/* eval_gather.c: see eval_gather.h. */
#include "mpi/eval_gather.h"

#include <stdlib.h>

/* counts and displacements of a Gatherv of nmine items per rank (rank 0). */
static int plan(MPI_Comm comm, int nmine, int **cnt, int **dsp, int64_t *total) {
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    *cnt = *dsp = NULL;
    *total = 0;
    int ok = 1;
    if (rank == 0) {
        *cnt = malloc((size_t)size * sizeof(int));
        *dsp = malloc((size_t)size * sizeof(int));
        ok = *cnt && *dsp;
    }
    int okall;
    MPI_Allreduce(&ok, &okall, 1, MPI_INT, MPI_MIN, comm);
    if (!okall) {
        free(*cnt);
        free(*dsp);
        return -1;
    }
    MPI_Gather(&nmine, 1, MPI_INT, *cnt, 1, MPI_INT, 0, comm);
    if (rank == 0)
        for (int q = 0; q < size; q++) {
            (*dsp)[q] = (int)*total;
            *total += (*cnt)[q];
        }
    return 0;
}

int mf_gather_tallies(MPI_Comm comm, const mf_tally *mine, int nmine, mf_tally **all, int64_t *nall) {
    int rank, size, *cnt, *dsp;
    int64_t total;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    *all = NULL;
    *nall = 0;
    if (plan(comm, nmine, &cnt, &dsp, &total)) return -1;
    int ok = 1;
    if (rank == 0) {
        *all = malloc((size_t)(total ? total : 1) * sizeof(mf_tally));
        ok = *all != NULL;
        for (int q = 0; q < size; q++) {
            cnt[q] *= (int)sizeof(mf_tally);
            dsp[q] *= (int)sizeof(mf_tally);
        }
    }
    int okall;
    MPI_Allreduce(&ok, &okall, 1, MPI_INT, MPI_MIN, comm);
    if (okall)
        MPI_Gatherv(mine, nmine * (int)sizeof(mf_tally), MPI_BYTE, *all, cnt, dsp, MPI_BYTE, 0, comm);
    free(cnt);
    free(dsp);
    if (!okall) {
        free(*all);
        *all = NULL;
        return -1;
    }
    *nall = total;
    return 0;
}

int mf_gather_patches(MPI_Comm comm, const float *p_mine, const int32_t *vote_mine, int nmine, float *p_all,
                      int32_t *vote_all) {
    int *cnt, *dsp;
    int64_t total;
    if (plan(comm, nmine, &cnt, &dsp, &total)) return -1;
    MPI_Gatherv(p_mine, nmine, MPI_FLOAT, p_all, cnt, dsp, MPI_FLOAT, 0, comm);
    MPI_Gatherv(vote_mine, nmine, MPI_INT32_T, vote_all, cnt, dsp, MPI_INT32_T, 0, comm);
    free(cnt);
    free(dsp);
    return 0;
}
