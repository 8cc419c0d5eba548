/* job_cv.c: `mammofuse cv`: k-fold cross-validation over the run's one
 * feature store (jobs/cv_job.h). The folds (core/cv_folds.h) are tasks run
 * side by side on sub-communicators of cv.group_ranks ranks (mpi/groups.h),
 * each fold a train + evaluate into RUN_DIR/cv/fold<k>/ reading the shared
 * RUN_DIR/features.h5; then the summary (jobs/cv_summary.c). A fold's
 * result depends only on the fold and the config (training is bitwise the
 * same on any rank count), never on its group or the order folds ran in.
 * --slice I/N runs only the folds f with f % N == I (a SLURM array task; no
 * summary); --summary-only writes the summary from finished folds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/cv_folds.h"
#include "io/features_store.h"
#include "io/dir_lock.h"
#include "io/fsutil.h"
#include "io/identity_h5.h"
#include "io/checkpoint.h"
#include "io/rois_store.h"
#include "jobs/args.h"
#include "jobs/cv_job.h"
#include "jobs/evaluate_job.h"
#include "jobs/jobs.h"
#include "jobs/stage_files.h"
#include "jobs/train_data.h"
#include "jobs/train_job.h"
#include "mpi/groups.h"
#include "mpi/report.h"
#include "mpi/run_lock.h"

static const char *const class_names[3] = {"normal", "benign", "malignant"};

/* Rank-local: the store's identity (refused if not the config's) and the
 * ROI set's folds (refused if rois.h5 is not the store's ROI set). */
static int load_store_folds(const mf_config *c, const char *config_path, const char *run_dir, mf_identity *store,
                            int **fold_of, int *n, mf_err *e) {
    char spath[MF_PATH_MAX + 32], rpath[MF_PATH_MAX + 32];
    snprintf(spath, sizeof spath, "%s/features.h5", run_dir);
    snprintf(rpath, sizeof rpath, "%s/rois.h5", run_dir);
    *fold_of = NULL;
    if (!mf_exists(spath))
        return mf_fail(e, "%s: missing (run `mammofuse run CONFIG --until-extract` with this --out first)", spath);
    mf_fstore fs;
    if (mf_fstore_open_ro(&fs, spath, e)) return -1;
    int rc = mf_fstore_identity(&fs, store, e);
    mf_fstore_close_ro(&fs);
    if (rc) return -1;
    mf_identity want;
    mf_identity_from_config(&want, MF_STAGE_EXTRACT, c);
    if (mf_identity_refuse(spath, store, &want, MF_IDCMP_CONFIG, "made with another configuration",
                           "run `mammofuse run CONFIG --until-extract` with this config first", e))
        return -1;
    if (!mf_exists(rpath)) return mf_fail(e, "%s: missing: the folds are made of its women", rpath);
    mf_identity rid;
    if (mf_identity_read_file(rpath, "ROI set", &rid, e)) return -1;
    char dig[65];
    mf_identity_digest(&rid, dig);
    const mf_ident_entry *in = mf_identity_find(store, "input_rois");
    if (!in || strcmp(in->text, dig))
        return mf_fail(e, "%s: not the ROI set %s was made from (remade since?): run `mammofuse run CONFIG "
                          "--until-extract` again",
                       rpath, spath);
    mf_roiset s;
    if (mf_rois_read(rpath, &s, NULL, e)) return -1;
    int cls = 0, most = mf_cv_max_folds(s.meta, s.n, &cls, e);
    if (most >= 0 && c->cv.folds > most)
        most = mf_fail(e, "%s: key 'cv.folds': %d folds, but only %d women have %s as their worst class: expected at "
                          "most %d",
                       config_path, c->cv.folds, most, class_names[cls], most);
    if (most >= 0) {
        *fold_of = malloc(sizeof(int) * (size_t)(s.n ? s.n : 1));
        *n = s.n;
        if (!*fold_of) most = mf_fail(e, "cv: out of memory");
        else if (mf_cv_assign(s.meta, s.n, c->cv.folds, (uint64_t)c->seed, *fold_of, e)) most = -1;
    }
    mf_roiset_free(&s);
    if (most < 0) {
        free(*fold_of);
        *fold_of = NULL;
        return -1;
    }
    return 0;
}

int mf_cv_folds_of(const mf_config *c, const char *run_dir, mf_identity *store, int **fold_of, int *n, mf_err *e) {
    return load_store_folds(c, "cv", run_dir, store, fold_of, n, e);
}

/* The keys a CV store needs: every ROI's draws and grid. */
int mf_cv_check_keys(const mf_config *c, const char *config_path, mf_err *e) {
    if (c->patches.grid_for != MF_SPLITS_ALL)
        return mf_fail(e, "%s: key 'patches.grid_for': cv needs all (every ROI is evaluated or validated on its "
                          "grid in some fold), found %s",
                       config_path, mf_config_value_name("patches.grid_for", c->patches.grid_for));
    if (c->patches.draws_for != MF_SPLITS_ALL)
        return mf_fail(e, "%s: key 'patches.draws_for': cv needs all (every ROI is trained on in some fold), found %s",
                       config_path, mf_config_value_name("patches.draws_for", c->patches.draws_for));
    return 0;
}

/* Broadcasts rank 0's folds (fold_of may be NULL on the others). */
static int bcast_folds(MPI_Comm comm, int **fold_of, int *n) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    MPI_Bcast(n, 1, MPI_INT, 0, comm);
    if (rank != 0) *fold_of = malloc(sizeof(int) * (size_t)(*n ? *n : 1));
    int bad = *fold_of == NULL, any = 0;
    MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_MAX, comm);
    if (any) return -1;
    MPI_Bcast(*fold_of, *n, MPI_INT, 0, comm);
    return 0;
}

int mf_cv_check(const mf_config *c, const char *config_path, const char *run_dir, int **fold_of, int *n,
                MPI_Comm comm) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    mf_err e = {{0}};
    int *fo = NULL, nn = 0, failed = 0;
    if (rank == 0) {
        mf_identity store;
        failed = mf_cv_check_keys(c, config_path, &e) || load_store_folds(c, config_path, run_dir, &store, &fo, &nn, &e);
    }
    if (mf_any_failed(comm, failed, &e)) return MF_EXIT_FAIL;
    if (bcast_folds(comm, &fo, &nn)) {
        free(fo);
        mf_any_failed(comm, mf_fail(&e, "cv: out of memory"), &e);
        return MF_EXIT_FAIL;
    }
    if (fold_of) *fold_of = fo;
    else free(fo);
    if (n) *n = nn;
    return MF_EXIT_OK;
}

void mf_cv_fold_dir(const char *out_dir, int fold, char *buf, size_t len) {
    snprintf(buf, len, "%s/cv/fold%d", out_dir, fold);
}

int mf_cv_fold_make(const mf_config *c, const char *run_dir, const char *out_dir, int fold, const mf_scache *cache,
                    MPI_Comm comm) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    mf_err e = {{0}};
    int *fold_of = NULL, n = 0, failed = 0;
    char dir[MF_PATH_MAX];
    mf_cv_fold_dir(out_dir, fold, dir, sizeof dir);
    if (rank == 0) {
        mf_identity store;
        failed = mf_cv_check_keys(c, "cv", &e) || load_store_folds(c, "cv", run_dir, &store, &fold_of, &n, &e) ||
                 mf_mkdir_p(dir, &e);
    }
    if (mf_any_failed(comm, failed, &e)) return MF_EXIT_FAIL;
    mf_roles roles;
    if (bcast_folds(comm, &fold_of, &n) || mf_cv_roles(fold_of, n, c->cv.folds, fold, &roles)) {
        free(fold_of);
        mf_any_failed(comm, mf_fail(&e, "cv: out of memory"), &e);
        return MF_EXIT_FAIL;
    }
    free(fold_of);
    mf_stage_files f;
    mf_stage_files_shared(&f, run_dir, dir);
    f.roles = &roles;
    f.cache = cache;
    mf_say(comm, "cv: fold %d of %d -> %s\n", fold, c->cv.folds, dir);
    int rc = mf_train_make(c, &f, comm);
    if (rc == MF_EXIT_OK) rc = mf_evaluate_make(c, &f, comm);
    mf_roles_free(&roles);
    return rc;
}

static int newer_or_same(const char *a, const char *b) {
    struct stat sa, sb;
    if (stat(a, &sa) || stat(b, &sb)) return 0;
    if (sa.st_mtim.tv_sec != sb.st_mtim.tv_sec) return sa.st_mtim.tv_sec > sb.st_mtim.tv_sec;
    return sa.st_mtim.tv_nsec >= sb.st_mtim.tv_nsec;
}

int mf_cv_fold_finished(const mf_config *c, const char *run_dir, const char *out_dir, int fold) {
    mf_err e = {{0}};
    mf_identity store, want;
    int *fold_of = NULL, n = 0;
    if (load_store_folds(c, "cv", run_dir, &store, &fold_of, &n, &e)) return 0;
    mf_roles roles;
    int bad = mf_cv_roles(fold_of, n, c->cv.folds, fold, &roles);
    free(fold_of);
    if (bad) return 0;
    bad = mf_train_identity(c, &store, &roles, &want);
    mf_roles_free(&roles);
    if (bad) return 0;
    char dir[MF_PATH_MAX], model[MF_PATH_MAX + 32], pred[MF_PATH_MAX + 32];
    mf_cv_fold_dir(out_dir, fold, dir, sizeof dir);
    snprintf(model, sizeof model, "%s/model.h5", dir);
    snprintf(pred, sizeof pred, "%s/predictions.csv", dir);
    int epochs = 0;
    if (!mf_exists(model) || !mf_exists(pred) || mf_model_check(model, &want, &epochs, &e)) return 0;
    return epochs == c->train.epochs && newer_or_same(pred, model);
}

/* Collective: the folders of folds fold[0..n) locked by rank 0. */
static int lock_folds(const char *out, const int *fold, int n, MPI_Comm comm) {
    char(*dirs)[MF_PATH_MAX + 32] = malloc(sizeof *dirs * (size_t)(n ? n : 1));
    const char **ptr = malloc(sizeof *ptr * (size_t)(n ? n : 1));
    int rc;
    if (!dirs || !ptr) {
        mf_err e;
        mf_any_failed(comm, mf_fail(&e, "cv: out of memory"), &e);
        rc = -1;
    } else {
        for (int i = 0; i < n; i++) {
            mf_cv_fold_dir(out, fold[i], dirs[i], sizeof dirs[i]);
            ptr[i] = dirs[i];
        }
        rc = mf_run_lock(comm, n, ptr, MF_LOCK_CREATE | MF_LOCK_TREE);
    }
    free(dirs);
    free(ptr);
    return rc;
}

/* "--slice I/N" taken out of argv (the shared parser knows only flags). */
typedef struct cv_ctx {
    const mf_config *c;
    const char *run_dir;
    const int *fold; /* task -> fold */
    const mf_scache *cache;
} cv_ctx;

static int run_fold(int task, const mf_groups *g, void *ctx) {
    const cv_ctx *x = ctx;
    return mf_cv_fold_make(x->c, x->run_dir, x->run_dir, x->fold[task], x->cache, g->comm);
}

/* "0, 3, 7" (at most the first 20) into buf. */
static void fold_list(const int *folds, int n, char *buf, size_t len) {
    buf[0] = 0;
    for (int i = 0; i < n && i < 20; i++)
        snprintf(buf + strlen(buf), len - strlen(buf), "%s%d", i ? ", " : "", folds[i]);
    if (n > 20) snprintf(buf + strlen(buf), len - strlen(buf), ", ... (%d in all)", n);
}

int mf_job_cv(int argc, char **argv) {
    static const char *const flags[] = {"--summary-only", "--slice=", NULL};
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    mf_args a;
    if (mf_args_parse(argc, argv, flags, &a)) return MF_EXIT_USAGE;
    int si, sn, sliced = a.value[1] != NULL;
    if (!a.help && mf_args_slice("cv", a.value[1], &si, &sn)) return MF_EXIT_USAGE;
    if (a.help) {
        static const char *const keys[] = {"cv.", "evaluate.bootstrap", "evaluate.confidence", "evaluate.seed", NULL};
        mf_args_help(
            "cv", "CONFIG.yaml [--set key=value]... [--out RUN_DIR] [--slice I/N | --summary-only]",
            "k-fold cross-validation (cv.folds) over RUN_DIR/features.h5 and RUN_DIR/rois.h5, made first by\n"
            "`mammofuse run CONFIG --until-extract` with patches.draws_for: all and patches.grid_for: all.\n"
            "Folds are made of women (images 2k-1 and 2k), stratified by their worst class (normal, benign,\n"
            "malignant), seeded by `seed`. Fold k evaluates the grid patches of its ROIs; fold k+1 mod K is\n"
            "its validation part (grid patches, model selection); the other folds' random draws train.\n"
            "Each fold writes what train + evaluate write into RUN_DIR/cv/fold<k>/; folds run side by side\n"
            "on groups of cv.group_ranks ranks. Then RUN_DIR/cv.csv (per fold), cv_predictions.csv (pooled\n"
            "out-of-fold predictions), cv.md and cv.html (mean +- sd across folds, pooled figures with\n"
            "bootstrap intervals, ROC and PR with bands). Finished folds are up to date, interrupted ones\n"
            "resume (exit 75 after SIGTERM: run the same command again).\n"
            "--slice I/N: only the folds f with f % N == I, no summary (SLURM job arrays);\n"
            "--summary-only: the summary from finished folds (refused naming the unfinished ones).\n"
            "Also reads the model.*, train.* and evaluate.* keys as train and evaluate do.",
            keys);
        return MF_EXIT_OK;
    }
    if (sliced && (a.flags & 1u)) {
        if (rank == 0) fprintf(stderr, "mammofuse cv: --slice and --summary-only exclude each other\n");
        return MF_EXIT_USAGE;
    }
    mf_config c;
    if (mf_args_config(&a, &c)) return MF_EXIT_FAIL;
    MPI_Comm world = MPI_COMM_WORLD;
    int rc = mf_cv_check(&c, a.config, a.out, NULL, NULL, world);
    if (rc != MF_EXIT_OK) return rc;
    /* RUN_DIR is this job's unless it is a slice of an array (the slices
     * share it); each fold's folder is locked below (mpi/run_lock.h). */
    if (!sliced && mf_run_lock(world, 1, (const char *const[]){a.out}, MF_LOCK_CREATE)) return MF_EXIT_FAIL;
    const int K = c.cv.folds;
    int *fold = malloc(sizeof(int) * (size_t)K), *status = malloc(sizeof(int) * (size_t)K), ntask = 0;
    if (!fold || !status) {
        free(fold);
        free(status);
        mf_err e;
        mf_any_failed(world, mf_fail(&e, "cv: out of memory"), &e);
        return MF_EXIT_FAIL;
    }
    char list[256];
    if (a.flags & 1u) { /* --summary-only */
        mf_err e = {{0}};
        int failed = 0;
        if (rank == 0) {
            for (int k = 0; k < K; k++)
                if (!mf_cv_fold_finished(&c, a.out, a.out, k)) fold[ntask++] = k;
            fold_list(fold, ntask, list, sizeof list);
            if (ntask)
                failed = mf_fail(&e, "%s/cv: folds %s of %d unfinished: run `mammofuse cv` (or the --slice tasks) "
                                     "for them first",
                                 a.out, list, K);
        }
        free(fold);
        free(status);
        if (mf_any_failed(world, failed, &e)) return MF_EXIT_FAIL;
        return mf_cv_summary(&c, a.out, a.out, world);
    }
    for (int k = 0; k < K; k++)
        if (k % sn == si) fold[ntask++] = k;
    if (lock_folds(a.out, fold, ntask, world)) {
        free(fold);
        free(status);
        return MF_EXIT_FAIL;
    }
    /* Every fold reads the same store: its rows once per node for all of them. */
    mf_scache cache;
    {
        mf_err e = {{0}};
        mf_head h;
        unsigned char want[MF_STORE_MAX_BLOCKS][3] = {{0}};
        char path[MF_PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/features.h5", a.out);
        int failed = mf_head_init(&h, c.model.head + 1, c.model.branches.n, c.model.branches.v, &e);
        if (!failed) mf_tdata_want(&h, want);
        if (mf_any_failed(world, failed, &e) ||
            mf_scache_open(&cache, path, world, want, MF_SCACHE_ALL, ntask ? c.train.cache_mb : 0, "cv", &e)) {
            free(fold);
            free(status);
            return MF_EXIT_FAIL;
        }
    }
    mf_groups g;
    mf_groups_split(world, c.cv.group_ranks, &g);
    mf_say(world, "cv: %d folds%s on %d group%s of %d rank%s\n", ntask, sliced ? " (this slice)" : "", g.ngroups,
           g.ngroups == 1 ? "" : "s", c.cv.group_ranks, c.cv.group_ranks == 1 ? "" : "s");
    cv_ctx x = {&c, a.out, fold, &cache};
    mf_groups_run(&g, ntask, run_fold, &x, status);
    mf_groups_free(&g);
    mf_scache_free(&cache);
    int failed = 0, nleft = 0;
    int *left = malloc(sizeof(int) * (size_t)(ntask ? ntask : 1));
    for (int t = 0; t < ntask; t++) {
        failed |= status[t] != MF_EXIT_OK && status[t] != MF_EXIT_INTERRUPTED && status[t] >= 0;
        if (status[t] != MF_EXIT_OK && left) left[nleft++] = fold[t];
    }
    if (left) fold_list(left, nleft, list, sizeof list);
    free(left);
    free(fold);
    free(status);
    if (failed) return MF_EXIT_FAIL; /* the fold said why */
    if (nleft) { /* interrupted, or never started after a signal */
        mf_say(world, "cv: interrupted: folds %s unfinished; run the same command again to resume\n", list);
        return MF_EXIT_INTERRUPTED;
    }
    if (sliced) {
        mf_say(world, "cv: slice %d/%d done (no summary: run `mammofuse cv --summary-only` when every slice is)\n", si, sn);
        return MF_EXIT_OK;
    }
    return mf_cv_summary(&c, a.out, a.out, world);
}
