/* store_cache.h: the summaries that a node's trainings read, held once per
 * node in memory (issue #13 item 2).
 *
 * Without it every training reads every batch from features.h5: one HDF5
 * read per run of rows per dataset per step, about 1/4 of a Model1 step and
 * more than 1/2 of a Model2 step, repeated every epoch by every training of
 * a sweep. The cache reads each row of the datasets asked for once per node
 * into an MPI-3 shared-memory window (mpi/node_shm.h, one per node):
 * every node-local rank
 * reads a contiguous slice of the rows; then a batch is a memcpy per row.
 * The values are the floats the file reads give (the same read, the same
 * half -> float conversion), so a training's bytes do not change.
 *
 * The window is sized by a budget (train.cache_mb, per node): the datasets
 * are taken greedily, every block's mean first (Model1 and Model2 read it),
 * then meansq, then pool2x2, while they fit; what does not fit is read from
 * the file as before, and a one-line note says so. Rows outside the cache
 * (or a dataset not held) fall back to the file per call, so a caller can
 * never get wrong data from a cache made for other rows. */
#ifndef MF_MPI_STORE_CACHE_H
#define MF_MPI_STORE_CACHE_H
#include <mpi.h>
#include <stdint.h>

#include "core/err.h"
#include "io/features_store.h"
#include "mpi/node_shm.h"

/* Which rows are held. */
enum {
    MF_SCACHE_SPLITS = 0, /* split 0 and 1: what train reads (training and validation rows) */
    MF_SCACHE_ALL = 1     /* every row: a CV's folds train and validate on any ROI */
};

typedef struct mf_scache {
    mf_shm shm;                                  /* the node's window (shm.base NULL: nothing held) */
    int64_t n;                                   /* the store's rows */
    int32_t *slot;                               /* [n]: the row's place in the cache, -1: not held */
    int64_t nrows;                               /* rows held */
    const float *x[MF_STORE_MAX_BLOCKS][3];      /* [nrows][width] per block, summary; NULL: not held */
    int width[MF_STORE_MAX_BLOCKS][3];
    double mb;                                   /* the window's size, MB (per node) */
    double fill_seconds;                         /* the collective fill's wall time */
    int64_t fill_rows;                           /* dataset rows this rank read from the file to fill */
} mf_scache;

/* Collective over comm: the rows (MF_SCACHE_*) of the datasets with
 * want[b][s] != 0 of the store at path, within budget_mb per node
 * (0: nothing held, silently). Prints on comm's rank 0 one line: what is
 * held, or the note that (part of) it does not fit and is read from the
 * file. who prefixes the lines ("train", "sweep"). Returns 0 (a cache,
 * maybe empty), or -1 on every rank with e set (the store unreadable). */
int mf_scache_open(mf_scache *c, const char *path, MPI_Comm comm, const unsigned char want[MF_STORE_MAX_BLOCKS][3],
                   int rows, int budget_mb, const char *who, mf_err *e);

/* Collective over the comm of mf_scache_open. */
void mf_scache_free(mf_scache *c);

/* Rows rows[0..n) of block b's summary s into out [n][width] if the cache
 * holds them all: returns 1; else 0 and out is untouched (read the file). */
int mf_scache_get(const mf_scache *c, int b, int s, const int64_t *rows, int n, float *out);

#endif
