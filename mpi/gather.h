/* gather.h: collect fixed-size records computed on many ranks into one
 * array on rank 0, each at its global index, so the result is the same
 * whatever the number of ranks. */
#ifndef MF_MPI_GATHER_H
#define MF_MPI_GATHER_H
#include <mpi.h>
#include <stddef.h>

/* Collective. Rank r holds n_mine records (rec bytes each) in mine, whose
 * global indices are idx_mine[0..n_mine). On rank 0, all (n_all records)
 * receives record i at offset i * rec. Returns 0, or -1 if an index is out
 * of range or memory ran out (on every rank). */
int mf_gather_records(MPI_Comm comm, const void *mine, const int *idx_mine, int n_mine, size_t rec, void *all,
                      int n_all);

#endif
