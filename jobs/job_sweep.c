/* job_sweep.c: `mammofuse sweep`: many trainings over one feature store.
 *
 * The config's `sweep:` section names a grid (core/sweep_grid.h); the rest
 * is the base configuration. The job makes rois.h5 and features.h5 as `run`
 * does (skipped when up to date), then cuts the world into groups of
 * sweep.group_ranks ranks (mpi/groups.h) that take configurations one at a
 * time, costliest first, from a shared counter. Each configuration trains
 * and evaluates with the same code as `train` + `evaluate`
 * (jobs/train_job.h, jobs/evaluate_job.h) from the shared store (read-only,
 * never copied) into RUN_DIR/sweep/<name>/, so its files are the bytes a
 * stand-alone train + evaluate with the same keys writes; result.csv, written
 * last, marks it finished (io/sweep_summary.h). A rerun skips finished
 * configurations and resumes unfinished ones from their checkpoints; after
 * SIGTERM/SIGUSR1 the trainings in hand checkpoint and the job exits 75.
 * At the end RUN_DIR/sweep.csv, sweep.md and sweep.html.
 * Configurations that differ only in evaluate.* keys share one training
 * (for a CV, one training per fold): the first of them in grid order (the
 * leader) trains, and each of the others gets a copy of its model.h5,
 * checkpoint.h5 and history.csv (the bytes its own training would write)
 * and is evaluated; one task runs the whole chain (for a CV, the chain's
 * fold k).
 * --slice I/N runs only the chains whose leader k has k % N == I (a SLURM
 * array task) and writes no summary; --summary-only writes the summary of a
 * finished grid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"
#include "core/sweep_grid.h"
#include "io/config.h"
#include "io/dir_lock.h"
#include "io/features_store.h"
#include "io/fsutil.h"
#include "io/identity_h5.h"
#include "io/predictions_csv.h"
#include "io/sweep_config.h"
#include "io/sweep_summary.h"
#include "jobs/args.h"
#include "jobs/cv_job.h"
#include "jobs/evaluate_job.h"
#include "jobs/extract_job.h"
#include "jobs/jobs.h"
#include "jobs/rois_job.h"
#include "jobs/tower_blocks.h"
#include "jobs/train_data.h"
#include "jobs/train_job.h"
#include "mpi/groups.h"
#include "mpi/report.h"
#include "mpi/run_lock.h"

typedef struct sweep {
    const mf_config *base;
    mf_sweep_grid grid;
    const char *run_dir;
    mf_identity store_id;
    int cv;      /* each configuration is a k-fold CV (cv.folds of the base) */
    long *tasks; /* per task: configuration index * folds + fold (fold 0 without cv), costliest first;
                  * without cv the index of a chain's leader */
    int ntasks;
    long nconfigs, nmine; /* configurations of the grid, of this slice */
    long *next;  /* per configuration: the next one sharing its training (-1: none) */
    long *lead;  /* per configuration: the first one sharing its training (itself if none) */
    mf_scache cache; /* the rows the trainings read, once per node (train.cache_mb of the base) */
} sweep;

static int folds_of(const sweep *S) { return S->cv ? S->base->cv.folds : 1; }

/* The digest of what makes configuration c's results: its training's
 * identity (train keys, the store), its evaluation's keys, and for a CV
 * the number of folds. */
static void result_digest(const mf_config *c, const mf_identity *store, int cv, char hex[65]) {
    mf_identity t, v;
    mf_train_identity(c, store, NULL, &t);
    mf_identity_from_config(&v, MF_STAGE_EVALUATE, c);
    mf_identity_add_input(&v, "input_training", &t);
    if (cv) mf_identity_add_int(&v, "cv_folds", c->cv.folds);
    mf_identity_digest(&v, hex);
}

static int by_roi(const void *a, const void *b) {
    int x = ((const mf_eval_roi *)a)->roi, y = ((const mf_eval_roi *)b)->roi;
    return (x > y) - (x < y);
}

static void config_dir(const sweep *S, const char *name, char *out, size_t len) {
    snprintf(out, len, "%s/sweep/%s", S->run_dir, name);
}

/* Group rank 0: 1 if dir/result.csv is there with this digest. */
static int finished(const char *dir, const char *digest) {
    char path[MF_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/result.csv", dir);
    mf_sweep_row r;
    mf_err e;
    return mf_exists(path) && !mf_sweep_row_read(path, &r, &e) && !strcmp(r.digest, digest);
}

/* The ROI predictions of a configuration: its evaluation's predictions.csv,
 * or for a CV the folds' pooled by ROI index (each ROI is evaluated by one
 * fold), as the CV summary pools them. */
static int read_predictions(const char *dir, int folds, mf_eval_roi **rois, int *n, mf_err *e) {
    char path[MF_PATH_MAX + 64];
    if (!folds) {
        snprintf(path, sizeof path, "%s/predictions.csv", dir);
        return mf_predictions_read(path, rois, n, e);
    }
    *rois = NULL;
    *n = 0;
    for (int k = 0; k < folds; k++) {
        mf_eval_roi *q;
        int nq;
        snprintf(path, sizeof path, "%s/cv/fold%d/predictions.csv", dir, k);
        if (mf_predictions_read(path, &q, &nq, e)) break;
        mf_eval_roi *all = realloc(*rois, (size_t)(*n + nq) * sizeof *all);
        if (!all) {
            free(q);
            mf_fail(e, "sweep: out of memory for the pooled predictions");
            break;
        }
        memcpy(all + *n, q, (size_t)nq * sizeof *q);
        free(q);
        *rois = all;
        *n += nq;
        if (k == folds - 1) {
            qsort(*rois, (size_t)*n, sizeof **rois, by_roi);
            return 0;
        }
    }
    free(*rois);
    *rois = NULL;
    return -1;
}

/* Group rank 0: result.csv from the predictions (folds = 0: no CV). */
static int write_result(const mf_config *c, const char *name, const char *dir, int folds, const char *digest,
                        mf_err *e) {
    mf_eval_roi *rois = NULL;
    int n = 0;
    if (read_predictions(dir, folds, &rois, &n, e)) return -1;
    mf_eval_level L;
    memset(&L, 0, sizeof L);
    int rc = mf_predictions_level(rois, n, c->evaluate.bootstrap, (unsigned long long)c->evaluate.seed,
                                  c->evaluate.confidence, &L, NULL, e);
    free(rois);
    if (rc) return -1;
    mf_sweep_row row;
    mf_sweep_row_fill(&row, c, name, &L, digest);
    mf_eval_level_free(&L);
    char path[MF_PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/result.csv", dir);
    return mf_sweep_row_write(path, &row, e);
}

/* Configuration k, its folder and its digest. */
static int config_of(const sweep *S, long k, mf_config *c, char *name, char *dir, char digest[65], mf_err *e) {
    if (mf_sweep_config(&S->grid, S->base, k, c, name, MF_SWEEP_NAME, e)) return -1;
    config_dir(S, name, dir, MF_PATH_MAX);
    result_digest(c, &S->store_id, S->cv, digest);
    return 0;
}

/* Group rank 0: the training outputs of leader folder src copied into dst. */
static int copy_training(const char *src, const char *dst, mf_err *e) {
    static const char *const files[] = {"model.h5", "checkpoint.h5", "history.csv"};
    for (int i = 0; i < 3; i++) {
        char a[MF_PATH_MAX + 64], b[MF_PATH_MAX + 64];
        snprintf(a, sizeof a, "%s/%s", src, files[i]);
        snprintf(b, sizeof b, "%s/%s", dst, files[i]);
        if (mf_copy_file(a, b, e)) return -1;
    }
    return 0;
}

/* Collective over the group: configuration k, its folder and digest, and
 * *done = 1 if its result.csv is already there (said when say). 0, or -1
 * on every rank with the message printed. */
static int open_config(const sweep *S, long k, const mf_groups *g, int say, mf_config *c, char *name, char *dir,
                       char digest[65], int *done) {
    mf_err e = {{0}};
    if (mf_any_failed(g->comm, config_of(S, k, c, name, dir, digest, &e), &e)) return -1;
    *done = g->rank == 0 ? finished(dir, digest) : 0;
    MPI_Bcast(done, 1, MPI_INT, 0, g->comm);
    if (*done && say) mf_say(g->comm, "sweep: %s: up to date\n", name);
    return 0;
}

/* Configuration k trained, or its training copied from the leader's
 * training folder lead (NULL for the leader itself), and evaluated: the
 * whole of it with result.csv last (fold < 0), or its CV's fold `fold` in
 * dir/cv/fold<k>/ (result.csv after every fold, finish_cv). train_dir
 * receives the folder its training is in, for the chain's followers. */
static int run_config(const sweep *S, long k, int fold, const char *lead, const mf_groups *g,
                      char train_dir[MF_PATH_MAX + 32]) {
    mf_config c;
    char name[MF_SWEEP_NAME], dir[MF_PATH_MAX], digest[65], at[48] = "";
    mf_err e = {{0}};
    int done, failed = 0;
    if (open_config(S, k, g, fold <= 0, &c, name, dir, digest, &done)) return MF_EXIT_FAIL;
    if (fold < 0) snprintf(train_dir, MF_PATH_MAX + 32, "%s", dir);
    else mf_cv_fold_dir(dir, fold, train_dir, MF_PATH_MAX + 32);
    if (done) return MF_EXIT_OK;
    if (fold >= 0) snprintf(at, sizeof at, "fold %d of %d", fold + 1, folds_of(S));
    if (lead)
        mf_say(g->comm, "sweep: %s: %s%sthe training of %s (the same train keys), evaluating on group %d of %d\n", name,
               at, *at ? ", " : "", lead, g->group + 1, g->ngroups);
    else
        mf_say(g->comm, "sweep: %s: %s on group %d of %d (%d rank%s)\n", name, *at ? at : "training", g->group + 1,
               g->ngroups, g->size, g->size > 1 ? "s" : "");
    if (g->rank == 0)
        failed = mf_mkdir_p(dir, &e) || (lead && (mf_mkdir_p(train_dir, &e) || copy_training(lead, train_dir, &e)));
    if (mf_any_failed(g->comm, failed, &e)) return MF_EXIT_FAIL;
    if (fold >= 0) return mf_cv_fold_make(&c, S->run_dir, dir, fold, &S->cache, g->comm); /* a copy: up to date */
    mf_stage_files f;
    mf_stage_files_shared(&f, S->run_dir, dir);
    f.cache = &S->cache;
    int rc = mf_train_make(&c, &f, g->comm); /* a copied training: up to date */
    if (rc != MF_EXIT_OK) return rc;
    rc = mf_evaluate_make(&c, &f, g->comm);
    if (rc != MF_EXIT_OK) return rc;
    if (g->rank == 0) failed = write_result(&c, name, dir, 0, digest, &e);
    if (mf_any_failed(g->comm, failed, &e)) return MF_EXIT_FAIL;
    mf_say(g->comm, "sweep: %s: done\n", name);
    return MF_EXIT_OK;
}

/* Task t: a chain of configurations sharing one training (the leader
 * trains, the others copy its training and evaluate it their way), or fold
 * f of such a chain's CV. */
static int run_task(int t, const mf_groups *g, void *ctx) {
    sweep *S = ctx;
    int K = folds_of(S);
    long k = S->tasks[t] / K;
    int fold = S->cv ? (int)(S->tasks[t] % K) : -1;
    char lead[MF_PATH_MAX + 32], mine[MF_PATH_MAX + 32];
    for (long m = k; m >= 0; m = S->next[m]) {
        int rc = run_config(S, m, fold, m == k ? NULL : lead, g, m == k ? lead : mine);
        if (rc != MF_EXIT_OK) return rc;
    }
    return MF_EXIT_OK;
}

/* Collective over comm, after every fold of the slice's configurations
 * ran: each unfinished configuration's CV summary (cv.csv, cv.md, ...) and
 * its result.csv from the pooled out-of-fold predictions. */
static int finish_cv(const sweep *S, MPI_Comm comm) {
    int rank, K = S->base->cv.folds;
    MPI_Comm_rank(comm, &rank);
    for (int t = 0; t < S->ntasks; t++) {
        if (S->tasks[t] % K) continue; /* fold 0's task: one per chain */
        for (long k = S->tasks[t] / K; k >= 0; k = S->next[k]) {
            mf_config c;
            char name[MF_SWEEP_NAME], dir[MF_PATH_MAX], digest[65];
            mf_err e = {{0}};
            int failed = config_of(S, k, &c, name, dir, digest, &e);
            if (mf_any_failed(comm, failed, &e)) return MF_EXIT_FAIL;
            int done = rank == 0 ? finished(dir, digest) : 0;
            MPI_Bcast(&done, 1, MPI_INT, 0, comm);
            if (done) continue;
            int rc = mf_cv_summary(&c, S->run_dir, dir, comm);
            if (rc != MF_EXIT_OK) return rc;
            if (rank == 0) failed = write_result(&c, name, dir, c.cv.folds, digest, &e);
            if (mf_any_failed(comm, failed, &e)) return MF_EXIT_FAIL;
            mf_say(comm, "sweep: %s: done (%d folds)\n", name, c.cv.folds);
        }
    }
    return MF_EXIT_OK;
}

/* Rank 0 of comm: the store's blocks and identity, checked against the
 * config; broadcast. */
static int read_store(sweep *S, int *blocks, MPI_Comm comm) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    mf_err e = {{0}};
    int failed = 0;
    *blocks = 0;
    if (rank == 0) {
        char path[MF_PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/features.h5", S->run_dir);
        mf_fstore fs;
        if (!mf_exists(path))
            failed = mf_fail(&e, "%s: missing (run `mammofuse sweep` without --slice, or `mammofuse run "
                                 "--until-extract`, with this config first)",
                             path);
        else if (!(failed = mf_fstore_open_ro(&fs, path, &e))) {
            *blocks = fs.n_blocks;
            failed = mf_fstore_identity(&fs, &S->store_id, &e);
            mf_fstore_close_ro(&fs);
            mf_identity want;
            mf_identity_from_config(&want, MF_STAGE_EXTRACT, S->base);
            if (!failed)
                failed = mf_identity_refuse(path, &S->store_id, &want, MF_IDCMP_CONFIG, "made with another configuration",
                                            "run `mammofuse sweep` with this config into another --out", &e);
        }
    }
    if (mf_any_failed(comm, failed, &e)) return -1;
    MPI_Bcast(blocks, 1, MPI_INT, 0, comm);
    MPI_Bcast(&S->store_id, (int)sizeof S->store_id, MPI_BYTE, 0, comm);
    return 0;
}

/* Every configuration's result.csv, in grid order; with all = 1 a missing
 * one is an error naming it. */
static int summary(sweep *S, mf_err *e) {
    mf_sweep_row *rows = malloc((size_t)S->nconfigs * sizeof *rows);
    if (!rows) return mf_fail(e, "sweep: out of memory for %ld results", S->nconfigs);
    int rc = 0, missing = 0;
    char first_missing[MF_SWEEP_NAME] = "";
    for (long k = 0; k < S->nconfigs && !rc; k++) {
        mf_config c;
        char name[MF_SWEEP_NAME], dir[MF_PATH_MAX], path[MF_PATH_MAX + 64], digest[65];
        if ((rc = config_of(S, k, &c, name, dir, digest, e))) break;
        snprintf(path, sizeof path, "%s/result.csv", dir);
        if (!finished(dir, digest)) {
            if (!missing++) snprintf(first_missing, sizeof first_missing, "%s", name);
            continue;
        }
        rc = mf_sweep_row_read(path, &rows[k], e);
    }
    if (!rc && missing)
        rc = mf_fail(e, "%s/sweep: %d of %ld configurations unfinished (first: %s): run the sweep (or its --slice "
                        "tasks) to the end first",
                     S->run_dir, missing, S->nconfigs, first_missing);
    const char *title = strrchr(S->grid.file, '/');
    if (!rc) rc = mf_sweep_summary_write(S->run_dir, title ? title + 1 : S->grid.file, rows, (int)S->nconfigs, e);
    free(rows);
    return rc;
}

/* Without a branches axis every configuration fuses the base's
 * model.branches: they must be blocks the store holds. */
static int check_base_branches(const sweep *S, int blocks, mf_err *e) {
    for (int a = 0; a < S->grid.naxes; a++)
        if (!strcmp(S->grid.axis[a].key->path, "model.branches")) return 0;
    const mf_intlist *b = &S->base->model.branches;
    if (b->v[b->n - 1] <= blocks) return 0;
    return mf_fail(e, "%s: key 'model.branches': block %d is not in the store (blocks 1-%d): set model.branches or "
                      "sweep.branches",
                   S->grid.file, b->v[b->n - 1], blocks);
}

typedef struct costed {
    long k;
    double cost;
} costed;

/* Collective: every configuration folder of this job's tasks locked by
 * rank 0 for the whole job (mpi/run_lock.h), before any is written. */
static int lock_configs(const sweep *S, MPI_Comm comm) {
    int K = folds_of(S), n = 0, failed = 0;
    char(*dirs)[MF_PATH_MAX] = malloc(sizeof *dirs * (size_t)(S->nmine + 1));
    const char **ptr = malloc(sizeof *ptr * (size_t)(S->nmine + 1));
    mf_err e = {{0}};
    if (!dirs || !ptr) failed = mf_fail(&e, "sweep: out of memory");
    for (int t = 0; t < S->ntasks && !failed; t++) {
        if (S->tasks[t] % K) continue; /* one task per configuration (or chain) */
        for (long m = S->tasks[t] / K; m >= 0 && !failed && n < S->nmine; m = S->next[m]) {
            mf_config c;
            char name[MF_SWEEP_NAME], digest[65];
            failed = config_of(S, m, &c, name, dirs[n], digest, &e);
            ptr[n] = dirs[n];
            n++;
        }
    }
    if (!mf_any_failed(comm, failed, &e)) failed = mf_run_lock(comm, n, ptr, MF_LOCK_CREATE | MF_LOCK_TREE);
    else failed = -1;
    free(dirs);
    free(ptr);
    return failed;
}

/* Costliest first (the greedy hand-out is then the LPT schedule), ties in grid order. */
static int by_cost(const void *pa, const void *pb) {
    const costed *a = pa, *b = pb;
    if (a->cost != b->cost) return a->cost > b->cost ? -1 : 1;
    return (a->k > b->k) - (a->k < b->k);
}

/* Which configurations share a training (for a CV, each fold's training):
 * equal training identities over the store, i.e. they differ only in
 * evaluate.* keys. Fills S->lead and S->next (chains in grid order). */
static int share_trainings(sweep *S, mf_err *e) {
    long n = S->nconfigs;
    char(*dig)[65] = malloc((size_t)(n > 0 ? n : 1) * sizeof *dig);
    S->lead = malloc((size_t)(n > 0 ? n : 1) * sizeof(long));
    S->next = malloc((size_t)(n > 0 ? n : 1) * sizeof(long));
    if (!dig || !S->lead || !S->next) {
        free(dig);
        return mf_fail(e, "sweep: out of memory for %ld configurations", n);
    }
    for (long k = 0; k < n; k++) {
        mf_config c;
        char name[MF_SWEEP_NAME];
        if (mf_sweep_config(&S->grid, S->base, k, &c, name, sizeof name, e)) {
            free(dig);
            return -1;
        }
        mf_identity t;
        mf_train_identity(&c, &S->store_id, NULL, &t);
        mf_identity_digest(&t, dig[k]);
        S->lead[k] = k;
        S->next[k] = -1;
        for (long j = k - 1; j >= 0; j--)
            if (!strcmp(dig[j], dig[k])) { /* j is the chain's last so far */
                S->lead[k] = S->lead[j];
                S->next[j] = k;
                break;
            }
    }
    free(dig);
    return 0;
}

/* The tasks of this slice (the chains whose leader is in it; for a CV each
 * such chain's every fold), costliest first. */
static int order_tasks(sweep *S, int slice_i, int slice_n, mf_err *e) {
    int K = folds_of(S);
    if (share_trainings(S, e)) return -1;
    long n = (S->nconfigs - slice_i + slice_n - 1) / slice_n * K;
    costed *cs = malloc((size_t)(n > 0 ? n : 1) * sizeof *cs);
    S->tasks = malloc((size_t)(n > 0 ? n : 1) * sizeof(long));
    if (!cs || !S->tasks) {
        free(cs);
        return mf_fail(e, "sweep: out of memory for %ld configurations", S->nconfigs);
    }
    S->ntasks = 0;
    S->nmine = 0;
    for (long k = 0; k < S->nconfigs; k++) {
        if (S->lead[k] % slice_n != slice_i) continue;
        S->nmine++;
        if (S->lead[k] != k) continue; /* in its leader's task */
        mf_config c;
        char name[MF_SWEEP_NAME];
        if (mf_sweep_config(&S->grid, S->base, k, &c, name, sizeof name, e)) {
            free(cs);
            return -1;
        }
        for (int f = 0; f < K; f++) {
            cs[S->ntasks].k = k * K + f;
            cs[S->ntasks++].cost = mf_sweep_cost(&c);
        }
    }
    qsort(cs, (size_t)S->ntasks, sizeof *cs, by_cost);
    for (int t = 0; t < S->ntasks; t++) S->tasks[t] = cs[t].k;
    free(cs);
    return 0;
}

/* Collective over comm: the cache of the datasets the unfinished
 * configurations of the slice read (rank 0 looks which are finished). */
static int open_cache(sweep *S, MPI_Comm comm, mf_err *e) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    unsigned char want[MF_STORE_MAX_BLOCKS][3] = {{0}};
    int failed = 0, K = folds_of(S);
    for (int t = 0; rank == 0 && t < S->ntasks && !failed; t++) {
        if (S->tasks[t] % K) continue;
        mf_config c;
        mf_head h;
        char name[MF_SWEEP_NAME], dir[MF_PATH_MAX], digest[65];
        failed = config_of(S, S->tasks[t] / K, &c, name, dir, digest, e);
        if (failed || finished(dir, digest)) continue;
        failed = mf_head_init(&h, c.model.head + 1, c.model.branches.n, c.model.branches.v, e);
        if (!failed) mf_tdata_want(&h, want);
    }
    if (mf_any_failed(comm, failed, e)) return -1;
    MPI_Bcast(want, (int)sizeof want, MPI_BYTE, 0, comm);
    char path[MF_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/features.h5", S->run_dir);
    return mf_scache_open(&S->cache, path, comm, want, S->cv ? MF_SCACHE_ALL : MF_SCACHE_SPLITS,
                          S->base->train.cache_mb, "sweep", e);
}

/* --profile: where the trainings' reads went, summed over the ranks. */
static void say_reads(const sweep *S, MPI_Comm comm) {
    int64_t file, cache;
    mf_tdata_counts(&file, &cache);
    long long rows[3] = {file, cache, S->cache.fill_rows}, all[3];
    MPI_Allreduce(rows, all, 3, MPI_LONG_LONG, MPI_SUM, comm);
    mf_say(comm, "sweep: profile: store rows: %lld read from the file by the trainings and evaluations, %lld from "
                 "the cache (filled with %lld)\n", all[0], all[1], all[2]);
}

int mf_job_sweep(int argc, char **argv) {
    static const char *const flags[] = {"--slice=", "--summary-only", "--group-ranks=", "--cv", "--profile", NULL};
    mf_args a;
    if (mf_args_parse(argc, argv, flags, &a)) return MF_EXIT_USAGE;
    if (a.help) {
        mf_args_help("sweep", "CONFIG.yaml [--set key=value]... [--out RUN_DIR] [--group-ranks R] [--cv] [--slice I/N] [--summary-only] [--profile]",
                     "Trains and evaluates every configuration of the config's `sweep:` grid over one feature\n"
                     "store. The grid (any key as a list; the rest of the file is the base config):\n"
                     "  sweep:\n"
                     "    branches: all            # or [[3], [2, 3], [1, 2, 3]]: model.branches\n"
                     "    heads: [fusion1, fusion2] # model.head\n"
                     "    lr: [0.0001, 0.001]      # train.lr\n"
                     "    seeds: [1, 2, 3]         # train.seed (the store is shared: its `seed` stays)\n"
                     "    train.momentum: [0.9]    # any model.*, train.* or evaluate.* key\n"
                     "    group_ranks: 1           # ranks per group (--group-ranks R overrides); groups take\n"
                     "                             # configurations in turn, costliest first\n"
                     "Makes RUN_DIR/rois.h5 and features.h5 first (skipped when up to date), then writes each\n"
                     "configuration into RUN_DIR/sweep/<name>/ (model.h5, history.csv, metrics.json, ...,\n"
                     "result.csv) and RUN_DIR/sweep.csv, sweep.md, sweep.html. A rerun skips finished\n"
                     "configurations and resumes the others; after SIGTERM/SIGUSR1 it exits 75.\n"
                     "--cv (or cv: true in the section): each configuration is a k-fold cross-validation\n"
                     "(cv.folds; the store needs patches.draws_for and grid_for all): its folds are tasks of\n"
                     "their own, its figures the pooled out-of-fold ones, and its folder holds cv/fold<k>/ and\n"
                     "cv.csv, cv.md, cv.html as `mammofuse cv` writes them.\n"
                     "Configurations that differ only in evaluate.* keys (e.g. evaluate.decision: [vote,\n"
                     "val_threshold]) share one training: the first trains, the others get its files.\n"
                     "--slice I/N: only configurations k with k % N == I, a configuration sharing a training\n"
                     "going with the first of its kind (job arrays; the store must exist; no summary).\n"
                     "--summary-only: the summary of a finished grid.\n"
                     "The rows the trainings read are held once per node in shared memory (train.cache_mb of\n"
                     "the base, 0: off; what does not fit is read from the file, with a note); --profile: the\n"
                     "rows read from the file, from that cache and by its fill, summed over the ranks.",
                     (const char *const[]){"model.", "train.", "evaluate.", "cv.", NULL});
        return MF_EXIT_OK;
    }
    mf_config c;
    if (mf_args_config(&a, &c)) return MF_EXIT_FAIL;
    int slice_i, slice_n;
    if (mf_args_slice("sweep", a.value[0], &slice_i, &slice_n)) return MF_EXIT_USAGE;
    int summary_only = (a.flags & 2u) != 0, sliced = a.value[0] != NULL;
    MPI_Comm comm = MPI_COMM_WORLD;
    int rank;
    MPI_Comm_rank(comm, &rank);
    sweep *S = calloc(1, sizeof *S);
    if (!S) return MF_EXIT_FAIL;
    S->base = &c;
    S->run_dir = a.out;
    mf_err e = {{0}};
    int rc = MF_EXIT_FAIL;
    int failed = mf_sweep_grid_load(&S->grid, a.config, &e);
    if (mf_any_failed(comm, failed, &e)) goto done;
    if (a.value[2]) {
        char *end;
        long r = strtol(a.value[2], &end, 10);
        if (*end || end == a.value[2] || r < 1 || r > 65536) {
            if (rank == 0) fprintf(stderr, "mammofuse sweep: --group-ranks: expected an integer in 1..65536, found '%s'\n", a.value[2]);
            rc = MF_EXIT_USAGE;
            goto done;
        }
        S->grid.group_ranks = (int)r;
    }
    /* Before any work: the weights hold the blocks, the grid names only them. */
    if (!sliced && !summary_only) {
        int have = 0;
        if (rank == 0) {
            /* A missing weights file is named with the blocks of the widest
             * configuration (all: every block); the blocks of a file that is
             * there are checked against the grid by mf_sweep_resolve below. */
            mf_config widest = c;
            int top = mf_sweep_max_block(&S->grid);
            char wpath[MF_PATH_MAX];
            mf_config_data_path(&c, c.backbone.weights, wpath, sizeof wpath);
            if (top) widest.model.branches = (mf_intlist){1, {top}};
            failed = mf_tower_blocks_check(&widest, top > 0 && !mf_exists(wpath), &e);
            if (!failed) failed = (have = mf_tower_blocks_have(&c, &e)) < 0;
            if (!failed && c.backbone.blocks && c.backbone.blocks < have) have = c.backbone.blocks;
            if (!failed) {
                mf_sweep_grid probe = S->grid;
                failed = mf_sweep_resolve(&probe, have, &e) || check_base_branches(S, have, &e);
            }
            if (!failed && (S->grid.cv || (a.flags & 8u))) failed = mf_cv_check_keys(&c, a.config, &e);
        }
        if (mf_any_failed(comm, failed, &e)) goto done;
        /* RUN_DIR is this job's when it writes there (rois.h5, features.h5,
         * the summary); the slices of an array share it and lock only their
         * configurations' folders (lock_configs). */
        if (mf_run_lock(comm, 1, (const char *const[]){a.out}, MF_LOCK_CREATE)) goto done;
        mf_say(comm, "sweep: rois -> %s/rois.h5\n", a.out);
        if ((rc = mf_rois_make(&c, a.out, 0, comm)) != MF_EXIT_OK) goto done;
        mf_say(comm, "sweep: extract -> %s/features.h5\n", a.out);
        if ((rc = mf_extract_make(&c, a.out, comm)) != MF_EXIT_OK) goto done;
        rc = MF_EXIT_FAIL;
    }
    int blocks;
    if (read_store(S, &blocks, comm)) goto done;
    failed = mf_sweep_resolve(&S->grid, blocks, &e) || check_base_branches(S, blocks, &e);
    if (mf_any_failed(comm, failed, &e)) goto done;
    S->cv = S->grid.cv || (a.flags & 8u);
    if (S->cv) {
        int nroi;
        if ((rc = mf_cv_check(&c, a.config, a.out, NULL, &nroi, comm)) != MF_EXIT_OK) goto done;
        rc = MF_EXIT_FAIL;
    }
    S->nconfigs = mf_sweep_count(&S->grid);
    if (summary_only) {
        if (mf_run_lock(comm, 1, (const char *const[]){a.out}, 0)) goto done;
        if (rank == 0) failed = summary(S, &e);
        if (mf_any_failed(comm, failed, &e)) goto done;
        mf_say(comm, "sweep: wrote %s/sweep.csv, sweep.md and sweep.html (%ld configurations)\n", a.out, S->nconfigs);
        rc = MF_EXIT_OK;
        goto done;
    }
    failed = order_tasks(S, slice_i, slice_n, &e);
    if (mf_any_failed(comm, failed, &e)) goto done;
    if (lock_configs(S, comm)) goto done;
    if (open_cache(S, comm, &e)) goto done;
    mf_groups g;
    mf_groups_split(comm, S->grid.group_ranks, &g);
    char what[64] = "";
    if (S->cv) snprintf(what, sizeof what, " x %d folds", c.cv.folds);
    mf_say(comm, "sweep: %ld of %ld configurations%s%s on %d group%s of %d rank%s\n", S->nmine, S->nconfigs, what, sliced ? " (this slice)" : "", g.ngroups, g.ngroups > 1 ? "s" : "", g.size,
           g.size > 1 ? "s" : "");
    int *status = malloc((size_t)(S->ntasks ? S->ntasks : 1) * sizeof(int));
    if (!status) {
        mf_groups_free(&g);
        mf_scache_free(&S->cache);
        goto done;
    }
    mf_groups_run(&g, S->ntasks, run_task, S, status);
    mf_groups_free(&g);
    if (a.flags & 16u) say_reads(S, comm);
    mf_scache_free(&S->cache);
    int nfail = 0, nint = 0, nleft = 0;
    for (int t = 0; t < S->ntasks; t++) {
        nfail += status[t] == MF_EXIT_FAIL;
        nint += status[t] == MF_EXIT_INTERRUPTED;
        nleft += status[t] < 0;
    }
    free(status);
    if (nint || nleft) {
        mf_say(comm, "sweep: interrupted: %d %s%s not finished%s; run the same command again to resume\n",
               nint + nleft, S->cv ? "fold" : "configuration", nint + nleft > 1 ? "s" : "",
               nfail ? " (and some failed: see above)" : "");
        rc = MF_EXIT_INTERRUPTED;
        goto done;
    }
    if (nfail) {
        if (rank == 0)
            fprintf(stderr, "sweep: %d of %d %s failed (their messages are above); the others are finished\n", nfail,
                    S->ntasks, S->cv ? "folds" : "configurations");
        goto done;
    }
    if (S->cv && (rc = finish_cv(S, comm)) != MF_EXIT_OK) goto done;
    rc = MF_EXIT_FAIL;
    if (sliced) {
        mf_say(comm, "sweep: slice %d/%d done (%ld configurations); `mammofuse sweep --summary-only` writes the summary\n",
               slice_i, slice_n, S->nmine);
        rc = MF_EXIT_OK;
        goto done;
    }
    if (rank == 0) failed = summary(S, &e);
    if (mf_any_failed(comm, failed, &e)) goto done;
    mf_say(comm, "sweep: wrote %s/sweep.csv, sweep.md and sweep.html (%ld configurations)\n", a.out, S->nconfigs);
    rc = MF_EXIT_OK;
done:
    free(S->tasks);
    free(S->lead);
    free(S->next);
    free(S);
    return rc;
}
