/* job_train.c: `mammofuse train`: RUN_DIR/features.h5 -> RUN_DIR/model.h5
 * (the epoch with the lowest validation loss), RUN_DIR/history.csv and
 * RUN_DIR/checkpoint.h5 (the latest state, kept so that a rerun with more
 * epochs continues).
 *
 * Keras semantics: SGD with momentum; steps per epoch = floor(N/batch) over
 * the training rows (split 0) reshuffled every epoch (a permutation keyed by
 * (seed, epoch)), the remainder dropped; after each epoch the validation
 * rows (split 1) are predicted with the moving BN statistics.
 * Data parallel (mpi/train_step.h): each rank reads only its shards' rows of
 * every global batch; every reduction is a fixed-order fold, so the weights
 * are bitwise the same on any number of ranks. Validation: chunks of
 * train.val_batch rows dealt to ranks whole, metrics folded in chunk order.
 * SIGTERM/SIGUSR1: the step in hand is finished, the state checkpointed,
 * exit 75; the same command resumes and ends with the same bits. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/prof.h"
#include "core/rng.h"
#include "core/sgd.h"
#include "io/checkpoint.h"
#include "io/config.h"
#include "io/file_set.h"
#include "io/fsutil.h"
#include "io/identity_h5.h"
#include "jobs/args.h"
#include "jobs/jobs.h"
#include "jobs/train_data.h"
#include "jobs/train_job.h"
#include "mpi/fold.h"
#include "mpi/prof_report.h"
#include "mpi/progress.h"
#include "mpi/report.h"
#include "mpi/run_lock.h"
#include "mpi/signals.h"
#include "mpi/train_step.h"

int mf_identity_add_roles(mf_identity *id, const mf_roles *roles) {
    if (!roles) return 0;
    return mf_identity_add_int(id, "cv_folds", roles->folds) || mf_identity_add_int(id, "cv_fold", roles->fold) ||
                   mf_identity_add_text(id, "cv_roles", roles->digest)
               ? -1
               : 0;
}

int mf_train_identity(const mf_config *c, const mf_identity *store, const mf_roles *roles, mf_identity *id) {
    mf_identity_from_config(id, MF_STAGE_TRAIN, c);
    if (mf_identity_add_input(id, "input_store", store)) return -1;
    return mf_identity_add_roles(id, roles);
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Everything one training holds. */
typedef struct trainer {
    const mf_config *c;
    MPI_Comm comm;
    int rank, size;
    mf_head h;
    mf_tdata data;
    mf_dstep step;
    mf_train_state t;
    float *own_params, *own_velocity; /* t's own buffers while t points into the step's shared window */
    mf_tbuf tb, vb;                /* this rank's batch rows; one validation chunk */
    mf_shard_ws *vws;
    float *grad, *probs;
    int *perm;
    int64_t *batch_rows;           /* [batch] */
    mf_identity ident;             /* the training's (core/identity.h) */
    float class_w[MF_NCLASS];      /* train.class_weight balanced: h.class_w points here */
    char *config;                  /* the whole configuration: provenance in model.h5, checkpoint.h5 */
    char store_path[MF_PATH_MAX + 32], model_path[MF_PATH_MAX + 32], ckpt_path[MF_PATH_MAX + 32],
        hist_path[MF_PATH_MAX + 32];
} trainer;

static void trainer_free(trainer *T) {
    if (T->own_params) { /* the shared window ends with the step: t's own buffers back */
        T->t.params = T->own_params;
        T->t.velocity = T->own_velocity;
    }
    mf_dstep_free(&T->step);
    mf_tdata_close(&T->data);
    mf_train_state_free(&T->t);
    mf_tbuf_free(&T->tb);
    mf_tbuf_free(&T->vb);
    mf_shard_ws_free(T->vws);
    free(T->grad);
    free(T->probs);
    free(T->perm);
    free(T->batch_rows);
    free(T->config);
}

/* train.class_weight balanced: w_c = n / (2 n_c) over the training rows
 * (Keras's class_weight "balanced"), so each class weighs half the loss. */
static int class_weights(trainer *T, const char *tr, mf_err *e) {
    int64_t n[MF_NCLASS] = {0, 0};
    for (int64_t i = 0; i < T->data.ntrain; i++) n[T->data.label[T->data.train_rows[i]] ? 1 : 0]++;
    for (int k = 0; k < MF_NCLASS; k++) {
        if (!n[k])
            return mf_fail(e, "%s: no %s rows among the training rows (%s): train.class_weight balanced needs both classes",
                           T->store_path, k ? "Tumor" : "Normal", tr);
        T->class_w[k] = (float)((double)T->data.ntrain / (2.0 * (double)n[k]));
    }
    T->h.class_w = T->class_w;
    mf_say(T->comm, "train: class weights Normal %.4f, Tumor %.4f (%lld and %lld training rows)\n", T->class_w[0],
           T->class_w[1], (long long)n[0], (long long)n[1]);
    return 0;
}

/* The store, the head and the buffers (every rank). */
static int trainer_open(trainer *T, const mf_stage_files *f, mf_err *e) {
    const mf_config *c = T->c;
    const char *out = f->out;
    snprintf(T->store_path, sizeof T->store_path, "%s", f->store);
    snprintf(T->model_path, sizeof T->model_path, "%s/model.h5", out);
    snprintf(T->ckpt_path, sizeof T->ckpt_path, "%s/checkpoint.h5", out);
    snprintf(T->hist_path, sizeof T->hist_path, "%s/history.csv", out);
    if (mf_head_init(&T->h, c->model.head + 1, c->model.branches.n, c->model.branches.v, e)) return -1;
    if (mf_tdata_open(&T->data, T->store_path, &T->h, f->roles, e)) return -1;
    const char *tr = f->roles ? "random draws of the fold's training ROIs" : "split 0";
    const char *va = f->roles ? "grid patches of the fold's validation ROIs" : "split 1";
    if (T->data.ntrain < c->train.batch)
        return mf_fail(e, "%s: %lld training rows (%s), fewer than train.batch %d", T->store_path,
                       (long long)T->data.ntrain, tr, c->train.batch);
    if (T->data.nval < 1) return mf_fail(e, "%s: no validation rows (%s): nothing to select the model by", T->store_path, va);
    if (c->train.class_weight == MF_CLASSW_BALANCED && class_weights(T, tr, e)) return -1;
    mf_identity want_store;
    mf_identity_from_config(&want_store, MF_STAGE_EXTRACT, c);
    if (mf_identity_refuse(T->store_path, &T->data.identity, &want_store, MF_IDCMP_CONFIG,
                           "made with another configuration", "run `mammofuse extract` with this config first", e))
        return -1;
    if (mf_train_identity(c, &T->data.identity, f->roles, &T->ident))
        return mf_fail(e, "train: internal: the training's identity does not fit");
    T->config = mf_config_dump_upto(c, MF_STAGE_TRAIN);
    if (!T->config || mf_train_state_alloc(&T->t, T->h.nparams, T->h.nstate, c->train.epochs))
        return mf_fail(e, "train: out of memory for %zu parameters", T->h.nparams);
    return 0;
}

static int trainer_buffers(trainer *T, mf_err *e) {
    const mf_config *c = T->c;
    if (mf_dstep_init(&T->step, &T->h, c->train.batch, c->train.shard, T->comm, e)) return -1;
    /* the parameters and velocities (initialised or resumed, the same on
     * every rank) into the node's shared window when the ranks share a node:
     * each rank updates its rows in place (mpi/train_step.h) */
    float *p = T->t.params, *v = T->t.velocity;
    if (mf_dstep_share(&T->step, &T->t.params, &T->t.velocity)) T->own_params = p, T->own_velocity = v;
    int vcap = c->train.val_batch;
    T->vws = mf_shard_ws_new(&T->h, vcap);
    T->grad = malloc(T->h.nparams * sizeof(float));
    T->probs = malloc((size_t)vcap * 2 * sizeof(float) /* probs [n, 2] */);
    T->perm = malloc((size_t)T->data.ntrain * sizeof(int));
    T->batch_rows = malloc((size_t)c->train.batch * sizeof(int64_t));
    int ok = T->vws && T->grad && T->probs && T->perm && T->batch_rows &&
             !mf_tbuf_alloc(&T->tb, &T->h, T->step.nrows) && !mf_tbuf_alloc(&T->vb, &T->h, vcap);
    return ok ? 0 : mf_fail(e, "train: out of memory for a batch of %d and a validation chunk of %d", c->train.batch, vcap);
}

/* Validation loss and accuracy (sums) over split 1, the same on every rank. */
static int validate(trainer *T, double metrics[2], mf_err *e) {
    mf_dstep_settle(&T->step); /* every rank's rows of the last step's update */
    int V = T->c->train.val_batch;
    int nch = (int)((T->data.nval + V - 1) / V);
    mf_fold_plan fp;
    if (mf_fold_plan_init(&fp, T->comm, nch)) return mf_fail(e, "train: out of memory");
    int mine = fp.count[T->rank], failed = 0;
    double *m = calloc(2 * (size_t)(mine ? mine : 1), sizeof(double));
    if (!m) failed = mf_fail(e, "train: out of memory");
    for (int i = 0; i < mine && !failed; i++) {
        int64_t first = (int64_t)(fp.first[T->rank] + i) * V;
        int n = (int)(T->data.nval - first < V ? T->data.nval - first : V);
        mf_batch_view v;
        failed = mf_tdata_read(&T->data, &T->vb, T->data.val_rows + first, n, &v, e);
        if (!failed) mf_head_predict(&T->h, T->t.params, T->t.state, T->vws, &v, T->probs, m + 2 * i);
    }
    if (!mf_any_failed(T->comm, failed, e) && mf_fold_allgather_d(&fp, m, 2, metrics))
        failed = mf_fail(e, "train: out of memory");
    free(m);
    mf_fold_plan_free(&fp);
    return failed ? -1 : 0;
}

/* This rank's rows of step s of the epoch whose permutation is in T->perm,
 * read into T->tb. The batch is sorted by row (locality); shards follow. */
static int read_batch(trainer *T, int64_t s, mf_batch_view *v, mf_err *e) {
    int B = T->c->train.batch;
    for (int j = 0; j < B; j++) T->batch_rows[j] = T->data.train_rows[T->perm[s * B + j]];
    qsort(T->batch_rows, (size_t)B, sizeof(int64_t), cmp_i64);
    double t0 = mf_prof_t0();
    int rc = mf_tdata_read(&T->data, &T->tb, T->batch_rows + T->step.row0, T->step.nrows, v, e);
    mf_prof_add(MF_PROF_READ, t0);
    return rc;
}

static int write_history_rows(FILE *f, int i, const void *ctx, mf_err *e) {
    (void)i, (void)e;
    const mf_train_state *t = ctx;
    fprintf(f, "epoch,loss,accuracy,val_loss,val_accuracy\n");
    for (int k = 0; k < t->epoch; k++) {
        const double *r = t->hist + (size_t)k * MF_HIST_COLS;
        fprintf(f, "%d,%.9g,%.9g,%.9g,%.9g\n", k + 1, r[0], r[1], r[2], r[3]);
    }
    return 0;
}

static int write_history(const char *path, const mf_train_state *t, mf_err *e) {
    return mf_file_set_write(NULL, &path, 1, write_history_rows, t, e);
}

/* Rank 0 writes the checkpoint (and history); all ranks learn the outcome. */
static int save(trainer *T, mf_err *e) {
    int failed = 0;
    /* each rank kept its own range of the dense top's velocity current */
    mf_dstep_gather_velocity(&T->step, T->t.velocity);
    if (T->rank == 0) {
        failed = mf_ckpt_write(T->ckpt_path, &T->t, &T->h, &T->ident, &T->data.identity, T->config, e);
        if (!failed) failed = write_history(T->hist_path, &T->t, e);
    }
    return mf_any_failed(T->comm, failed, e);
}

static void bcast_state(trainer *T) {
    mf_train_state *t = &T->t;
    MPI_Bcast(t->params, (int)t->nparams, MPI_FLOAT, 0, T->comm);
    MPI_Bcast(t->velocity, (int)t->nparams, MPI_FLOAT, 0, T->comm);
    MPI_Bcast(t->best_params, (int)t->nparams, MPI_FLOAT, 0, T->comm);
    MPI_Bcast(t->state, (int)t->nstate, MPI_FLOAT, 0, T->comm);
    MPI_Bcast(t->best_state, (int)t->nstate, MPI_FLOAT, 0, T->comm);
    MPI_Bcast(t->hist, t->hist_cap * MF_HIST_COLS, MPI_DOUBLE, 0, T->comm);
    long long iv[4] = {t->epoch, t->step, t->global_step, t->best_epoch};
    double dv[3] = {t->run_loss, t->run_correct, t->best_val_loss};
    MPI_Bcast(iv, 4, MPI_LONG_LONG, 0, T->comm);
    MPI_Bcast(dv, 3, MPI_DOUBLE, 0, T->comm);
    t->epoch = (int)iv[0];
    t->step = iv[1];
    t->global_step = iv[2];
    t->best_epoch = (int)iv[3];
    t->run_loss = dv[0];
    t->run_correct = dv[1];
    t->best_val_loss = dv[2];
}

/* Rank 0 decides: 0 start, 1 resume the checkpoint, 2 up to date. */
static int decide(trainer *T, int *status, mf_err *e) {
    int failed = 0;
    *status = 0;
    if (T->rank == 0) {
        int E = T->c->train.epochs;
        if (mf_exists(T->ckpt_path)) {
            failed = mf_ckpt_read(T->ckpt_path, &T->t, &T->ident, e);
            if (!failed) *status = 1;
        }
        if (!failed && mf_exists(T->model_path)) {
            int done = 0;
            failed = mf_model_check(T->model_path, &T->ident, &done, e);
            if (!failed && done == E) *status = 2;
            else if (!failed && done > E)
                failed = mf_fail(e, "%s: refused: trained for %d epochs, train.epochs is %d; remove it or use another --out",
                                 T->model_path, done, E);
        }
    }
    MPI_Bcast(status, 1, MPI_INT, 0, T->comm);
    return mf_any_failed(T->comm, failed, e);
}

/* The epochs still to do. Returns MF_EXIT_*. */
static int run_epochs(trainer *T, mf_err *e) {
    const mf_config *c = T->c;
    mf_train_state *t = &T->t;
    const int B = c->train.batch, E = c->train.epochs;
    const int64_t steps = T->data.ntrain / B;
    const float lr = (float)c->train.lr, mom = (float)c->train.momentum;
    mf_progress prog;
    int64_t total = (int64_t)E * steps * B, done = ((int64_t)t->epoch * steps + t->step) * B;
    mf_progress_start(&prog, "train", "samples", total, done, T->rank == 0);
    while (t->epoch < E) {
        double t0 = mf_now();
        mf_rng_permutation((uint64_t)c->train.seed, MF_STREAM_SHUFFLE, (uint64_t)t->epoch, (int)T->data.ntrain, T->perm);
        while (t->step < steps) {
            mf_batch_view v;
            double m[2];
            int failed = read_batch(T, t->step, &v, e);
            if (mf_any_failed(T->comm, failed, e)) return MF_EXIT_FAIL;
            /* the step and its SGD update in one (the dense top's gradient never stored) */
            if (mf_dstep_run_sgd(&T->step, t->params, t->velocity, lr, mom, t->state, &v, T->grad, m, e))
                failed = 1;
            if (mf_any_failed(T->comm, failed, e)) return MF_EXIT_FAIL;
            t->run_loss += m[0];
            t->run_correct += m[1];
            t->step++;
            t->global_step++;
            done += B;
            mf_progress_update(&prog, done);
            mf_test_signal_at("MF_TEST_SIGTERM_AT_STEP", t->global_step);
            if (t->step < steps && mf_stop_agreed(T->comm)) {
                if (save(T, e)) return MF_EXIT_FAIL;
                mf_say(T->comm, "train: interrupted in epoch %d at step %lld of %lld; state in %s; run the same command again to resume\n",
                       t->epoch + 1, (long long)t->step, (long long)steps, T->ckpt_path);
                return MF_EXIT_INTERRUPTED;
            }
        }
        double vm[2];
        if (validate(T, vm, e)) return MF_EXIT_FAIL;
        double *r = t->hist + (size_t)t->epoch * MF_HIST_COLS, ns = (double)(steps * B);
        r[MF_HIST_LOSS] = t->run_loss / ns;
        r[MF_HIST_ACC] = t->run_correct / ns;
        r[MF_HIST_VAL_LOSS] = vm[0] / (double)T->data.nval;
        r[MF_HIST_VAL_ACC] = vm[1] / (double)T->data.nval;
        /* ModelCheckpoint(save_best_only): strictly better than the best so far */
        if (t->best_epoch == 0 ? isfinite(r[MF_HIST_VAL_LOSS]) : r[MF_HIST_VAL_LOSS] < t->best_val_loss) {
            t->best_epoch = t->epoch + 1;
            t->best_val_loss = r[MF_HIST_VAL_LOSS];
            memcpy(t->best_params, t->params, t->nparams * sizeof(float));
            memcpy(t->best_state, t->state, t->nstate * sizeof(float));
        }
        t->epoch++;
        t->step = 0;
        t->run_loss = t->run_correct = 0;
        if (save(T, e)) return MF_EXIT_FAIL;
        mf_say(T->comm, "train: epoch %d/%d: loss %.4f acc %.4f, val_loss %.4f val_acc %.4f%s, %.1f s\n", t->epoch, E,
               r[0], r[1], r[2], r[3], t->best_epoch == t->epoch ? " (best)" : "", mf_now() - t0);
        if (t->epoch < E && mf_stop_agreed(T->comm)) {
            mf_say(T->comm, "train: interrupted after epoch %d of %d; state in %s; run the same command again to resume\n",
                   t->epoch, E, T->ckpt_path);
            return MF_EXIT_INTERRUPTED;
        }
    }
    mf_progress_end(&prog, done);
    return MF_EXIT_OK;
}

int mf_train_make(const mf_config *c, const mf_stage_files *f, MPI_Comm comm) {
    trainer T;
    memset(&T, 0, sizeof T);
    T.c = c;
    T.comm = comm;
    MPI_Comm_rank(comm, &T.rank);
    MPI_Comm_size(comm, &T.size);
    mf_signals_install();
    mf_err e = {{0}};
    int status = 0, rc = MF_EXIT_FAIL, own_open = 0;
    mf_scache own;
    int failed = trainer_open(&T, f, &e);
    if (mf_any_failed(comm, failed, &e) || decide(&T, &status, &e)) goto done;
    if (status == 2) {
        mf_say(comm, "train: %s is up to date (%d epochs)\n", T.model_path, c->train.epochs);
        rc = MF_EXIT_OK;
        goto done;
    }
    if (status == 1) {
        bcast_state(&T);
        mf_say(comm, "train: resuming %s: epoch %d, step %lld\n", T.ckpt_path, T.t.epoch + 1, (long long)T.t.step);
    } else
        mf_head_init_params(&T.h, (uint64_t)c->train.seed, T.t.params, T.t.state);
    /* The rows it reads, once into memory (not per epoch), unless the caller holds them for many trainings. */
    if (f->cache) T.data.cache = f->cache;
    else if (c->train.cache_mb > 0) {
        unsigned char want[MF_STORE_MAX_BLOCKS][3] = {{0}};
        mf_tdata_want(&T.h, want);
        if (mf_scache_open(&own, T.store_path, comm, want, f->roles ? MF_SCACHE_ALL : MF_SCACHE_SPLITS,
                           c->train.cache_mb, "train", &e))
            goto done;
        own_open = 1;
        T.data.cache = &own;
    }
    failed = trainer_buffers(&T, &e);
    if (mf_any_failed(comm, failed, &e)) goto done;
    char br[32] = "";
    for (int k = 0; k < T.h.nb; k++) snprintf(br + strlen(br), sizeof br - strlen(br), "%s%d", k ? "," : "", T.h.branch[k]);
    mf_say(comm,
           "train: %s [%s] on %lld training / %lld validation patches, %zu parameters, batch %d in shards of %d on %d "
           "ranks%s, %lld steps per epoch\n",
           mf_config_value_name("model.head", c->model.head), br, (long long)T.data.ntrain, (long long)T.data.nval,
           T.h.nparams, c->train.batch, c->train.shard, T.size,
           T.size == 1        ? ""
           : !T.own_params    ? " (exchanging by messages)"
           : T.step.split_on  ? " (exchanging through node-shared memory, the dense top cut by columns)"
                              : " (exchanging through node-shared memory)",
           (long long)(T.data.ntrain / c->train.batch));
    mf_prof_reset();
    int64_t steps0 = T.t.global_step, file0, cache0;
    mf_tdata_counts(&file0, &cache0);
    double t0 = mf_prof_now();
    rc = run_epochs(&T, &e);
    if (mf_prof_t0() > 0) { /* --profile: the steps of this run (validation and saves are in "other") */
        mf_prof_report(comm, "train", (long)(T.t.global_step - steps0), mf_prof_now() - t0);
        int64_t file1, cache1;
        mf_tdata_counts(&file1, &cache1);
        long long rows[3] = {file1 - file0, cache1 - cache0, own_open ? own.fill_rows : 0}, all[3];
        MPI_Reduce(rows, all, 3, MPI_LONG_LONG, MPI_SUM, 0, comm);
        mf_say(comm, "  profile train store rows: %lld read from the file, %lld from the cache (filled with %lld)\n",
               all[0], all[1], all[2]);
    }
    if (rc != MF_EXIT_OK) goto done;
    if (T.t.best_epoch == 0) {
        failed = mf_fail(&e, "train: no epoch had a finite validation loss (diverged?); nothing to write");
    } else if (T.rank == 0) {
        const double *r = T.t.hist + (size_t)(T.t.best_epoch - 1) * MF_HIST_COLS;
        failed = mf_model_write(T.model_path, &T.h, T.t.best_params, T.t.best_state, &T.ident, &T.data.identity, T.config,
                                T.t.best_epoch, T.t.epoch, r[MF_HIST_VAL_LOSS], &e) ||
                 write_history(T.hist_path, &T.t, &e);
    }
    if (mf_any_failed(comm, failed, &e)) {
        rc = MF_EXIT_FAIL;
        goto done;
    }
    mf_say(comm, "train: wrote %s (epoch %d of %d, val_loss %.4f) and %s\n", T.model_path, T.t.best_epoch, T.t.epoch,
           T.t.best_val_loss, T.hist_path);
done:
    trainer_free(&T);
    if (own_open) mf_scache_free(&own);
    return rc;
}

int mf_job_train(int argc, char **argv) {
    static const char *const flags[] = {"--profile", NULL};
    mf_args a;
    if (mf_args_parse(argc, argv, flags, &a)) return MF_EXIT_USAGE;
    mf_prof_start(a.flags & 1u);
    if (a.help) {
        static const char *const keys[] = {"model.", "train.", NULL};
        mf_args_help("train", "CONFIG.yaml [--set key=value]... [--out RUN_DIR] [--profile]",
                     "Trains the fusion head (model.head, model.branches) on RUN_DIR/features.h5 with SGD and\n"
                     "momentum (Keras rule): train.epochs epochs of floor(N/train.batch) steps over the\n"
                     "training patches, reshuffled every epoch; after each epoch the validation loss; the\n"
                     "epoch with the lowest one is RUN_DIR/model.h5, the per-epoch figures RUN_DIR/history.csv.\n"
                     "train.batch is the GLOBAL batch: it is cut into train.shard-sized shards dealt to the\n"
                     "ranks, and every sum is folded in shard order, so the weights are bitwise the same on\n"
                     "any number of ranks (ranks beyond batch/shard idle). RUN_DIR/checkpoint.h5 is written\n"
                     "every epoch and on SIGTERM/SIGUSR1 (exit 75); the same command resumes, and a rerun\n"
                     "with a larger train.epochs continues. Outputs from another configuration or store are\n"
                     "refused. --profile: where the steps' time went (ms per step: forward, backward, weight\n"
                     "gradients, reductions, SGD, reads of the batches; validation and saves in 'other') and\n"
                     "the rows read from the file, from the cache and by its fill. The rows the training reads\n"
                     "are read once into memory shared by the node's ranks (train.cache_mb, 0: every batch from\n"
                     "the file; the same bytes either way).",
                     keys);
        return MF_EXIT_OK;
    }
    mf_config c;
    if (mf_args_config(&a, &c)) return MF_EXIT_FAIL;
    if (mf_run_lock(MPI_COMM_WORLD, 1, (const char *const[]){a.out}, 0)) return MF_EXIT_FAIL;
    mf_stage_files f;
    mf_stage_files_in(&f, a.out);
    return mf_train_make(&c, &f, MPI_COMM_WORLD);
}
