/* node_shm.h: one buffer that all ranks of a group read and write in place
 * when they share a node (MPI-3 shared window: MPI_Comm_split_type
 * MPI_COMM_TYPE_SHARED + MPI_Win_allocate_shared), for the training step's
 * exchanges (mpi/train_step.h): a rank writes its part where the others
 * read it, and one barrier replaces an all-gather's copies (issue #14: on 2
 * ranks half of a Model1 step was the all-gathers of the records and of the
 * 6 MB of updated dense-top parameters).
 *
 * The decision is collective and the same on every rank: shared only when
 * every rank of the group is on this node, the allocation succeeded
 * everywhere, and MF_NODE_SHM is not "0" (the switch that keeps the
 * message-passing path tested on one machine). The store cache
 * (mpi/store_cache.h) takes the same window per node (MF_SHM_NODE). */
#ifndef MF_MPI_NODE_SHM_H
#define MF_MPI_NODE_SHM_H
#include <mpi.h>
#include <stddef.h>

typedef struct mf_shm {
    MPI_Comm comm;   /* the group (not owned) */
    MPI_Comm node;   /* the group's ranks on this node (owned) */
    int node_rank, node_size;
    MPI_Win win;
    unsigned char *base; /* the whole buffer, the same bytes on every rank; NULL: not shared */
    size_t bytes;
} mf_shm;

enum {
    MF_SHM_GROUP, /* one buffer for the whole group, only if all of it is on this node */
    MF_SHM_NODE   /* one buffer per node, shared by that node's ranks of the group */
};

/* Collective over comm. MF_SHM_GROUP (size > 1): returns 1 with s->base =
 * `bytes` bytes (zeroed) shared by every rank of comm, or 0 with s->base
 * NULL (the group spans nodes, MF_NODE_SHM=0, or no memory). MF_SHM_NODE
 * (any size; MF_NODE_SHM not read: the store cache, mpi/store_cache.h):
 * each node's ranks of comm share their own `bytes` bytes (not zeroed: the
 * caller fills them), or 0 on every rank if any node could not allocate.
 * The buffer is 64-byte aligned, in the segment of the node's first rank
 * (one array at one address per rank), and stays locked for access
 * (MPI_Win_lock_all) until mf_shm_free. */
int mf_shm_alloc(mf_shm *s, MPI_Comm comm, size_t bytes, int mode);
/* Collective: every rank's writes to the buffer before it are visible to
 * every rank after it (MPI_Win_sync, barrier, MPI_Win_sync). */
void mf_shm_sync(mf_shm *s);
void mf_shm_free(mf_shm *s);

/* MF_NODE_SHM is not "0". */
int mf_shm_wanted(void);

#endif
