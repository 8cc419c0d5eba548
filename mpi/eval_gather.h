/* eval_gather.h: the evaluation's results to rank 0. Ranks hold contiguous
 * ranges of the evaluated patches in rank order, so a gather in rank order
 * IS row order (and chunk order): the per-patch results and the per-chunk
 * ROI tallies (core/vote.h) arrive on rank 0 in an order that does not
 * depend on the rank count. */
#ifndef MF_MPI_EVAL_GATHER_H
#define MF_MPI_EVAL_GATHER_H
#include <mpi.h>
#include <stdint.h>

#include "core/vote.h"

/* Collective. Rank 0 gets *all (malloc'ed) and *nall: every rank's tallies
 * in rank order. 0, or -1 (on every rank) if memory ran out. */
int mf_gather_tallies(MPI_Comm comm, const mf_tally *mine, int nmine, mf_tally **all, int64_t *nall);

/* Collective. Rank r holds nmine patches' p_tumor and vote; rank 0 receives
 * them in rank order into p_all[n], vote_all[n] (n = the sum). 0 or -1. */
int mf_gather_patches(MPI_Comm comm, const float *p_mine, const int32_t *vote_mine, int nmine, float *p_all,
                      int32_t *vote_all);

#endif
