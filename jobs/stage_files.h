/* stage_files.h: where a training or an evaluation reads and writes.
 * A run keeps everything in one folder; a sweep or a CV fold reads the
 * run's shared store (read-only, never copied) and writes into a folder of
 * its own, so the two are named apart. */
#ifndef MF_JOBS_STAGE_FILES_H
#define MF_JOBS_STAGE_FILES_H
#include "core/config.h" /* MF_PATH_MAX */
#include "core/cv_folds.h"
#include "mpi/store_cache.h"

typedef struct mf_stage_files {
    char store[MF_PATH_MAX + 32]; /* features.h5, read */
    char rois[MF_PATH_MAX + 32];  /* rois.h5, read by the report if it is the store's (may be absent) */
    char out[MF_PATH_MAX];        /* the folder written: model.h5, history.csv, metrics.json, ... */
    /* NULL: rows by the store's split (train 0, validate 1, evaluate
     * evaluate.splits). A CV fold's roles instead: train on the random
     * draws of MF_ROLE_TRAIN ROIs, validate on the grid patches of
     * MF_ROLE_VAL ones, evaluate the grid patches of MF_ROLE_EVAL ones; the
     * fold (cv_folds, cv_fold, cv_roles digest) enters the identities. */
    const mf_roles *roles;
    /* NULL: a training holds the rows it reads in memory itself (on its
     * communicator, train.cache_mb); else the caller's cache, made for many
     * trainings on the store (maybe empty: then the file). */
    const mf_scache *cache;
} mf_stage_files;

/* All three in one run folder (roles NULL): RUN_DIR/features.h5, RUN_DIR/rois.h5, RUN_DIR. */
void mf_stage_files_in(mf_stage_files *f, const char *run_dir);

/* The shared store and ROIs of run_dir, outputs in out. */
void mf_stage_files_shared(mf_stage_files *f, const char *run_dir, const char *out);

#endif
