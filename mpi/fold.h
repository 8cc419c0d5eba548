/* fold.h: fixed-order reductions over "shards" dealt to ranks in contiguous
 * ranges, so that a sum over shards has the same bits on any number of ranks.
 *
 * A reduction here is always the LEFT FOLD in shard order,
 * acc = ((p_0 + p_1) + p_2) + ..., element by element (core/heads.h's
 * mf_fold_d / mf_fold_f), never MPI_Allreduce's rank-count-dependent order.
 * Two ways to get it:
 *   - small vectors (BatchNorm sums, metrics): all-gather every shard's
 *     partial into shard order, every rank folds all of them;
 *   - big vectors (a gradient of nparams floats per shard): the vector is cut
 *     into one segment per rank; an all-to-all (of a packed copy) sends every shard's segment q
 *     to rank q, which folds it in shard order; an all-gather of the folded
 *     segments gives every rank the whole result. Element-wise folds do not
 *     care how the vector is cut, so this is the same left fold, with the
 *     traffic of a ring allreduce instead of all-gathering whole gradients. */
#ifndef MF_MPI_FOLD_H
#define MF_MPI_FOLD_H
#include <mpi.h>
#include <stddef.h>

typedef struct mf_fold_plan {
    MPI_Comm comm;
    int rank, size;
    int nshard;       /* shards in all */
    int *first;       /* [size]: first shard of each rank */
    int *count;       /* [size]: shards of each rank (contiguous; may be 0) */
    /* scratch for the segmented fold */
    size_t seg_n;     /* vector length the scratch was sized for */
    int *seg_off, *seg_len; /* [size]: element range of each rank's segment */
    float *seg_buf;   /* [nshard][seg_len[rank]] */
    float *pack;      /* [count[rank]][n]: my shards' segments grouped by destination */
    double *dbuf;     /* [nshard][dlen] for the small all-gathers */
    size_t dlen;
} mf_fold_plan;

/* Deals nshard shards to the ranks of comm: rank q gets
 * [nshard*q/size, nshard*(q+1)/size). Returns 0 or -1 (out of memory). */
int mf_fold_plan_init(mf_fold_plan *p, MPI_Comm comm, int nshard);
void mf_fold_plan_free(mf_fold_plan *p);

/* Collective. mine = this rank's shards' partials [count[rank]][len]
 * (doubles); acc[len] = their left fold over ALL shards, on every rank. */
int mf_fold_allgather_d(mf_fold_plan *p, const double *mine, size_t len, double *acc);

/* Collective. mine = this rank's shards' vectors [count[rank]][n] floats,
 * consecutive with stride n; acc[n] = their left fold over all shards, on
 * every rank. */
int mf_fold_segments_f(mf_fold_plan *p, const float *mine, size_t n, float *acc);

#endif
