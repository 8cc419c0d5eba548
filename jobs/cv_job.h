/* cv_job.h: k-fold cross-validation (`mammofuse cv`) as steps other jobs
 * (sweep: a sweep of CV runs) can call.
 *
 * A CV reads the run's one store RUN_DIR/features.h5 (patches.draws_for and
 * patches.grid_for: all, so every ROI has its random draws and its 5x5 grid)
 * and RUN_DIR/rois.h5 (woman ids and classes: the folds, core/cv_folds.h),
 * both read-only, and writes into OUT_DIR (RUN_DIR itself for `mammofuse
 * cv`):
 *   OUT_DIR/cv/fold<k>/   what train + evaluate write for fold k (model.h5,
 *                         history.csv, checkpoint.h5, metrics.json, table.md,
 *                         predictions.csv, roc.csv, pr.csv, report.html);
 *   OUT_DIR/cv.csv, cv_predictions.csv, cv.md, cv.html   the summary. */
#ifndef MF_JOBS_CV_JOB_H
#define MF_JOBS_CV_JOB_H
#include <mpi.h>
#include <stddef.h>

#include "core/config.h"
#include "core/cv_folds.h"
#include "core/identity.h"
#include "mpi/store_cache.h"

/* The keys a CV store needs (patches.grid_for and draws_for: all), checked
 * before a store is made: one line naming the key, or 0. */
int mf_cv_check_keys(const mf_config *c, const char *config_path, mf_err *e);

/* Collective over comm: the refusals a CV makes before any work, each one
 * line naming the key or file: patches.grid_for / patches.draws_for not
 * all, a missing or foreign store or ROI set, cv.folds larger than the
 * women of a class. config_path names the file in the messages. On success
 * *fold_of (malloc'ed, every rank) is each ROI's fold and *n the ROI count
 * (fold_of may be NULL: not wanted). Returns MF_EXIT_*. */
int mf_cv_check(const mf_config *c, const char *config_path, const char *run_dir, int **fold_of, int *n,
                MPI_Comm comm);

/* Rank-local: the store's identity (refused if not the config's) and every
 * ROI's fold (*fold_of malloc'ed, *n ROIs) from the store's ROI set. */
int mf_cv_folds_of(const mf_config *c, const char *run_dir, mf_identity *store, int **fold_of, int *n, mf_err *e);

/* OUT_DIR/cv/fold<k>: fold k's folder. */
void mf_cv_fold_dir(const char *out_dir, int fold, char *buf, size_t len);

/* Collective over comm: fold k of c->cv.folds (cache: the rows held in
 * memory for every fold, mpi/store_cache.h, or NULL): trains on the fold's
 * training draws with its validation grid for model selection (resuming
 * OUT_DIR/cv/fold<k>/checkpoint.h5, "up to date" when finished), then
 * evaluates the fold's grid patches. Returns MF_EXIT_* (75 interrupted). */
int mf_cv_fold_make(const mf_config *c, const char *run_dir, const char *out_dir, int fold, const mf_scache *cache,
                    MPI_Comm comm);

/* 1 if fold k is finished in out_dir (its model.h5 is this fold's training
 * with every epoch, and its predictions.csv was written after it); rank-local
 * (files only), for --summary-only. run_dir: the store and ROI set. */
int mf_cv_fold_finished(const mf_config *c, const char *run_dir, const char *out_dir, int fold);

/* Collective over comm: reads every fold's predictions.csv from
 * OUT_DIR/cv/fold<k>/ and writes the summary into OUT_DIR (rank 0; temporary
 * names, renamed when all four are complete). run_dir: the ROI set (the
 * folds' training and validation ROI counts). Returns MF_EXIT_*. */
int mf_cv_summary(const mf_config *c, const char *run_dir, const char *out_dir, MPI_Comm comm);

#endif
