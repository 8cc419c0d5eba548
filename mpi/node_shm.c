/* node_shm.c: see node_shm.h. */
#include "mpi/node_shm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int mf_shm_wanted(void) {
    const char *v = getenv("MF_NODE_SHM");
    return !(v && !strcmp(v, "0"));
}

static void not_shared(mf_shm *s) {
    if (s->node != MPI_COMM_NULL) MPI_Comm_free(&s->node);
    s->node = MPI_COMM_NULL;
    s->win = MPI_WIN_NULL;
}

int mf_shm_alloc(mf_shm *s, MPI_Comm comm, size_t bytes, int mode) {
    memset(s, 0, sizeof *s);
    s->comm = comm;
    s->node = MPI_COMM_NULL;
    s->win = MPI_WIN_NULL;
    int size;
    MPI_Comm_size(comm, &size);
    if (mode == MF_SHM_GROUP && size < 2) return 0;
    MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &s->node);
    MPI_Comm_rank(s->node, &s->node_rank);
    MPI_Comm_size(s->node, &s->node_size);
    if (mode == MF_SHM_GROUP) {
        /* agreed: an environment that differs between ranks must not split the decision */
        int all = s->node_size == size && mf_shm_wanted(), every = 0;
        MPI_Allreduce(&all, &every, 1, MPI_INT, MPI_MIN, comm);
        if (!every) { /* the group spans nodes (or MF_NODE_SHM=0): message passing */
            not_shared(s);
            return 0;
        }
    }
    MPI_Comm_set_errhandler(s->node, MPI_ERRORS_RETURN);
    /* all of it in node rank 0's segment: one array at one address per rank;
     * 64 bytes more to align it to a cache line */
    unsigned char *mine = NULL;
    MPI_Aint want = s->node_rank == 0 ? (MPI_Aint)(bytes + 64) : 0;
    int bad = MPI_Win_allocate_shared(want, 1, MPI_INFO_NULL, s->node, &mine, &s->win) != MPI_SUCCESS, anybad = 0;
    MPI_Allreduce(&bad, &anybad, 1, MPI_INT, MPI_MAX, comm);
    if (anybad) {
        if (!bad) MPI_Win_free(&s->win);
        not_shared(s);
        return 0;
    }
    MPI_Aint qsize;
    int disp;
    unsigned char *base = NULL;
    MPI_Win_shared_query(s->win, 0, &qsize, &disp, &base);
    s->base = base + (64 - (uintptr_t)base % 64) % 64;
    s->bytes = bytes;
    MPI_Win_lock_all(MPI_MODE_NOCHECK, s->win);
    if (mode == MF_SHM_GROUP) {
        if (s->node_rank == 0) memset(s->base, 0, bytes);
        mf_shm_sync(s);
    }
    return 1;
}

void mf_shm_sync(mf_shm *s) {
    MPI_Win_sync(s->win);
    MPI_Barrier(s->node);
    MPI_Win_sync(s->win);
}

void mf_shm_free(mf_shm *s) {
    /* a window and a node communicator exist only while base is set (a
     * zeroed struct is "not shared": MPI_COMM_NULL is not 0 in Open MPI) */
    if (s->base) {
        MPI_Win_unlock_all(s->win);
        MPI_Win_free(&s->win);
        MPI_Comm_free(&s->node);
    }
    memset(s, 0, sizeof *s);
}
