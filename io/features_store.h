/* features_store.h: features.h5, the feature store: one row per patch.
 *   plan:      roi int32, draw int32, row uint8, col uint8, split uint8,
 *              label uint8, kind uint8   [N]        (core/patch_plan.h)
 *   per block b = 1..n_blocks of the frozen tower (C_b = 64,128,256,512,512):
 *              mean_b [N,C_b], meansq_b [N,C_b], pool2x2_b [N,2,2,C_b]
 *              float32, or IEEE half under a custom HDF5 float type (mean
 *              and pool2x2 only: meansq stays float32, see stored_half)
 *   done:      uint8 [n_chunks]: 1 once a chunk's rows are written
 * Chunked by rows (chunk = the extraction batch). Attributes: identity (the
 * canonical text of everything the features depend on: ROI set, weights'
 * SHA-256, backbone, blocks, plan, dtype, chunk), schema_version, config,
 * weights_sha256, backbone, n_blocks, chunk_rows, dtype.
 *
 * Writing is collective over an MPI communicator with parallel HDF5
 * (H5FD_MPIO, collective transfers). Every dataset is allocated when the file
 * is created and the metadata flushed, so later writes touch raw data only:
 * a job killed with -9 leaves a readable file whose done flags name exactly
 * the chunks that were on disk. The identity attribute is written last in
 * creation, so a file that has it was created whole.
 *
 * Failures: every collective function below lets all ranks agree on success
 * before each collective step (an allocation or a write failing on one rank
 * ends the call on every rank, never leaving the others waiting in the next
 * collective call), and returns -1 on every rank with e holding the message
 * of the lowest failing rank, the real cause included. */
#ifndef MF_IO_FEATURES_STORE_H
#define MF_IO_FEATURES_STORE_H
#include <hdf5.h>
#include <mpi.h>
#include <stdint.h>

#include "core/config.h"
#include "core/err.h"
#include "core/identity.h"
#include "core/patch_plan.h"

#define MF_FEATURES_SCHEMA 1
#define MF_STORE_MAX_BLOCKS 5

enum { MF_SUM_MEAN = 0, MF_SUM_MEANSQ = 1, MF_SUM_POOL = 2 };

typedef struct mf_fstore {
    hid_t file;
    MPI_Comm comm;
    int64_t n;            /* rows */
    int chunk;            /* rows per chunk */
    int64_t n_chunks;
    int n_blocks;
    int C[MF_STORE_MAX_BLOCKS];
    int dtype;            /* MF_DTYPE_* */
    hid_t ds[MF_STORE_MAX_BLOCKS][3];
    hid_t done;
    char path[MF_PATH_MAX];
} mf_fstore;

typedef struct mf_fstore_desc {
    int64_t n;
    int chunk, n_blocks, dtype;
    int C[MF_STORE_MAX_BLOCKS];
    const mf_identity *identity;            /* what the store is made from (core/identity.h) */
    const char *config, *weights_sha256, *backbone;
} mf_fstore_desc;

/* Makes rows [first, first + count) of the plan (the plan is a pure
 * function, so the store never needs it whole in memory). */
typedef void (*mf_plan_source)(void *ctx, int64_t first, int64_t count, mf_patch *out);

/* Collective: creates path with every dataset allocated, the plan written
 * (rank 0 asks `plan` for it slice by slice), no chunk done and, last, the
 * identity attribute. On failure nothing is left at path. */
int mf_fstore_create(mf_fstore *fs, const char *path, MPI_Comm comm, const mf_fstore_desc *d, mf_plan_source plan,
                     void *plan_ctx, mf_err *e);

/* Collective: opens an unfinished store to complete it; refuses it (one line
 * naming the first identity entry that differs) unless its identity equals
 * d->identity. Returns 0,
 * -1, or MF_FSTORE_UNFINISHED for an HDF5 file without the identity
 * group: a creation that never finished, not a store (no chunk of it
 * was written); it is closed, for the caller to create again in its place. */
#define MF_FSTORE_UNFINISHED 1
int mf_fstore_open_resume(mf_fstore *fs, const char *path, MPI_Comm comm, const mf_fstore_desc *d, mf_err *e);

/* Collective: the done flags [n_chunks] (on every rank). */
int mf_fstore_read_done(mf_fstore *fs, uint8_t *done, mf_err *e);

/* Collective: every rank writes at most one chunk (chunk < 0: none) from
 * float32 buffers data[b][s] laid out [rows][...] (rows = the chunk's rows),
 * then the written chunks' done flags are set and the file flushed. */
int mf_fstore_write_chunks(mf_fstore *fs, int64_t chunk, float *const data[][3], mf_err *e);

/* Collective: closes a store being written, checking the close (the last
 * metadata reaches the disk here): 0, or -1 on every rank. */
int mf_fstore_finish(mf_fstore *fs, mf_err *e);

/* Collective: closes, on the way out of a failure (-1 if the close failed). */
int mf_fstore_close(mf_fstore *fs);

/* Rows of chunk k. */
static inline int mf_fstore_chunk_rows(const mf_fstore *fs, int64_t k) {
    int64_t left = fs->n - k * fs->chunk;
    return (int)(left < fs->chunk ? left : fs->chunk);
}

/* Reading (any rank, independently), e.g. for training:
 * opens read-only with the default driver and checks it is complete. */
int mf_fstore_open_ro(mf_fstore *fs, const char *path, mf_err *e);
/* Rows [first, first+count) of block b's summary s into out (float32). */
int mf_fstore_read_rows(mf_fstore *fs, int b, int s, int64_t first, int64_t count, float *out, mf_err *e);
/* The whole plan (count = fs->n rows) into plan. */
int mf_fstore_read_plan(mf_fstore *fs, mf_patch *plan, mf_err *e);
/* A string attribute (malloc'ed) or NULL. */
char *mf_fstore_attr(mf_fstore *fs, const char *name);
/* The store's identity (group /identity). */
int mf_fstore_identity(mf_fstore *fs, mf_identity *id, mf_err *e);
void mf_fstore_close_ro(mf_fstore *fs);

/* 1 if summary s (MF_SUM_*) is stored in IEEE half in a store of dtype
 * (MF_DTYPE_*): mean and pool2x2 of a float16 store; meansq never. */
int mf_fstore_sum_is_half(int dtype, int s);

/* Floats per row of summary s of a block with C channels. */
static inline int mf_sum_width(int s, int C) { return s == MF_SUM_POOL ? 4 * C : C; }

#endif
