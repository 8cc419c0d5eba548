/* groups.c: see groups.h. */
#include "mpi/groups.h"

#include <stdlib.h>
#include <string.h>

#include "jobs/jobs.h"
#include "mpi/signals.h"

void mf_groups_split(MPI_Comm world, int group_ranks, mf_groups *g) {
    int wr, ws;
    MPI_Comm_rank(world, &wr);
    MPI_Comm_size(world, &ws);
    if (group_ranks < 1) group_ranks = 1;
    if (group_ranks > ws) group_ranks = ws;
    memset(g, 0, sizeof *g);
    g->world = world;
    g->group = wr / group_ranks;
    g->ngroups = (ws + group_ranks - 1) / group_ranks;
    MPI_Comm_split(world, g->group, wr, &g->comm);
    MPI_Comm_rank(g->comm, &g->rank);
    MPI_Comm_size(g->comm, &g->size);
}

void mf_groups_free(mf_groups *g) {
    if (g->comm != MPI_COMM_NULL && g->comm != 0) MPI_Comm_free(&g->comm);
    g->comm = MPI_COMM_NULL;
}

/* The group leader's fetch-and-add on the counter at world rank 0. */
static int next_task(MPI_Win win) {
    int one = 1, got = 0;
    MPI_Win_lock(MPI_LOCK_SHARED, 0, 0, win);
    MPI_Fetch_and_op(&one, &got, MPI_INT, 0, 0, MPI_SUM, win);
    MPI_Win_unlock(0, win);
    return got;
}

int mf_groups_run(const mf_groups *g, int ntasks, mf_task_fn fn, void *ctx, int *status) {
    int wr;
    MPI_Comm_rank(g->world, &wr);
    int *counter = NULL;
    MPI_Win win;
    MPI_Win_allocate(wr == 0 ? (MPI_Aint)sizeof(int) : 0, sizeof(int), MPI_INFO_NULL, g->world, &counter, &win);
    if (wr == 0) {
        MPI_Win_lock(MPI_LOCK_EXCLUSIVE, 0, 0, win);
        *counter = 0;
        MPI_Win_unlock(0, win);
    }
    MPI_Barrier(g->world); /* the counter is 0 before anyone takes from it */
    int *mine = malloc((size_t)(ntasks > 0 ? ntasks : 1) * sizeof(int));
    for (int t = 0; t < ntasks; t++) mine[t] = -1;
    for (;;) {
        if (mf_stop_agreed(g->comm)) break;
        int t = g->rank == 0 ? next_task(win) : 0;
        MPI_Bcast(&t, 1, MPI_INT, 0, g->comm);
        if (t >= ntasks) break;
        int rc = fn(t, g, ctx);
        if (g->rank == 0) mine[t] = rc;
        if (rc == MF_EXIT_INTERRUPTED) break;
    }
    MPI_Win_free(&win);
    /* Every task was run by exactly one group; its leader holds the status. */
    MPI_Allreduce(mine, status, ntasks, MPI_INT, MPI_MAX, g->world);
    free(mine);
    int started = 0;
    for (int t = 0; t < ntasks; t++) started += status[t] >= 0;
    return started;
}
