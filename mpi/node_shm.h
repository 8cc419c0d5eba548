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
 * message-passing path tested on one machine). */
#ifndef MF_MPI_NODE_SHM_H
#define MF_MPI_NODE_SHM_H
#include <mpi.h>
#include <stddef.h>

typedef struct mf_shm {
    MPI_Comm comm;   /* the group (not owned) */
    MPI_Comm node;   /* the group's ranks on this node (owned) */
    MPI_Win win;
    unsigned char *base; /* the whole buffer, the same bytes on every rank; NULL: not shared */
    size_t bytes;
} mf_shm;

/* Collective over comm (size > 1). Returns 1 with s->base = `bytes` bytes
 * (zeroed, 64-byte aligned) shared by every rank of comm, or 0 with
 * s->base NULL (the group spans nodes, MF_NODE_SHM=0, or no memory). */
int mf_shm_alloc(mf_shm *s, MPI_Comm comm, size_t bytes);
/* Collective: every rank's writes to the buffer before it are visible to
 * every rank after it (MPI_Win_sync, barrier, MPI_Win_sync). */
void mf_shm_sync(mf_shm *s);
void mf_shm_free(mf_shm *s);

/* MF_NODE_SHM is not "0". */
int mf_shm_wanted(void);

#endif
