/* train_data.h: what the train job reads from the feature store: the row
 * numbers of the training (split 0) and validation (split 1) patches and
 * their labels, and, batch by batch, the summaries a head needs of the rows
 * asked for (Model1: mean_b; Model2: mean_b, meansq_b, pool2x2_b), so memory
 * is bounded by the batch, never by the store. */
#ifndef MF_JOBS_TRAIN_DATA_H
#define MF_JOBS_TRAIN_DATA_H
#include <stdint.h>

#include "core/cv_folds.h"
#include "core/heads.h"
#include "core/identity.h"
#include "io/features_store.h"
#include "mpi/store_cache.h"

typedef struct mf_tdata {
    mf_fstore fs;
    int open;
    const mf_head *h;
    int64_t *train_rows, ntrain;   /* split 0 (or the roles' training draws), in store order */
    int64_t *val_rows, nval;       /* split 1 (or the roles' validation grid) */
    uint8_t *label;                /* [fs.n] */
    mf_identity identity;          /* the store's */
    const mf_scache *cache;        /* NULL, or the node's copy of (some of) the rows: read from it first */
} mf_tdata;

/* Opens path read-only (any rank, independently); fails with one line if it
 * is missing ("run `mammofuse extract` first"), unfinished, or lacks a block
 * the head needs. roles NULL: train_rows = split 0, val_rows = split 1; else
 * (a CV fold, core/cv_folds.h) train_rows = the random draws of the
 * MF_ROLE_TRAIN ROIs, val_rows = the grid patches of the MF_ROLE_VAL ROIs. */
int mf_tdata_open(mf_tdata *d, const char *path, const mf_head *h, const mf_roles *roles, mf_err *e);
void mf_tdata_close(mf_tdata *d);

/* Buffers for up to cap samples of a head's inputs. */
typedef struct mf_tbuf {
    int cap;
    float *x[MF_NBLOCK][3];   /* per chosen branch k, summary s: [cap][width] */
    int32_t *label;
} mf_tbuf;
int mf_tbuf_alloc(mf_tbuf *b, const mf_head *h, int cap);
void mf_tbuf_free(mf_tbuf *b);
/* The view of the first n samples held in b. */
mf_batch_view mf_tbuf_view(const mf_tbuf *b, const mf_head *h, int n);

/* Reads rows[0..n) (strictly increasing, n <= b->cap) into b; *v = its view.
 * Each dataset comes from d->cache when it holds all n rows, else from the
 * file (the same floats either way). */
int mf_tdata_read(mf_tdata *d, mf_tbuf *b, const int64_t *rows, int n, mf_batch_view *v, mf_err *e);

/* Marks want[b][s] for every dataset the head reads (block b, summary s);
 * leaves the other marks, so a sweep takes the union of its trainings'. */
void mf_tdata_want(const mf_head *h, unsigned char want[MF_STORE_MAX_BLOCKS][3]);

/* This process's dataset rows read so far by mf_tdata_read from the file
 * and from the cache (the profile's and the tests' evidence of where a
 * training's reads went). */
void mf_tdata_counts(int64_t *from_file, int64_t *from_cache);

#endif
