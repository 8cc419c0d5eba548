/* job_evaluate.c: `mammofuse evaluate`: RUN_DIR/features.h5 + RUN_DIR/model.h5
 * (or checkpoint.h5's last state) -> metrics.json, table.md, predictions.csv,
 * roc.csv, pr.csv, report.html (io/eval_outputs.h, io/report_html.h).
 *
 * The patches of the evaluated splits (store order; of a ROI with grid
 * patches only those, evaluate.patches grid, as the paper votes over the
 * 5x5 grid) are cut into chunks of
 * evaluate.batch dealt to the ranks in contiguous ranges (core/vote.h), so a
 * patch is predicted in the same chunk, with the same bits, on any rank
 * count; each rank reads its chunks' rows (jobs/train_data.h), predicts them
 * with the BN moving statistics and keeps per (chunk, ROI) the tumor votes,
 * the patch count and the summed P(Tumor). Rank 0 gathers the tallies and
 * the per-patch results in rank order (= chunk order, mpi/eval_gather.h),
 * folds them, takes the majority vote per ROI (ties to Tumor), computes the
 * figures and bootstrap intervals (core/evaluation.h), the curves' bands
 * (core/curve_band.h) and writes the files.
 * With evaluate.decision val_threshold the validation split's patches are
 * predicted first, the same way, and a ROI is then Tumor when its mean
 * P(Tumor) reaches the threshold of highest accuracy on the validation ROIs
 * (core/threshold.h); the evaluated ROIs never choose it.
 * The store must be this config's (extract keys), the model this config's
 * training on this store (train keys + input_store), else refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/curve_band.h"
#include "core/evaluation.h"
#include "core/roiset.h"
#include "core/threshold.h"
#include "core/vote.h"
#include "io/checkpoint.h"
#include "io/eval_outputs.h"
#include "io/fsutil.h"
#include "io/h5util.h"
#include "io/report_html.h"
#include "io/identity_h5.h"
#include "io/rois_store.h"
#include "jobs/args.h"
#include "jobs/evaluate_job.h"
#include "jobs/jobs.h"
#include "jobs/train_data.h"
#include "jobs/train_job.h"
#include "mpi/eval_gather.h"
#include "mpi/report.h"
#include "mpi/run_lock.h"

static const char *const split_names[] = {"train", "val", "test"};

typedef struct evaluator {
    const mf_config *c;
    MPI_Comm comm;
    int rank, size;
    mf_head h;
    mf_tdata d;
    const mf_roles *roles;        /* a CV fold's, or NULL */
    mf_patch *plan;
    int64_t *rows, nsel;          /* the evaluated rows, store order */
    int64_t *vrows, nval;         /* evaluate.decision val_threshold: the validation rows */
    double threshold;             /* ... and the threshold they chose */
    char decision[256];           /* ... and its sentence ("" for the vote) */
    int nroi;                     /* 1 + the largest ROI index in the plan */
    float *params, *state;
    int model_epoch;
    mf_identity model_id, ident;
    char model_digest[65], store_digest[65];
    char store_path[MF_PATH_MAX + 32], model_path[MF_PATH_MAX + 32], rois_path[MF_PATH_MAX + 32];
    char splits[64], head[64];
} evaluator;

static void evaluator_free(evaluator *E) {
    mf_tdata_close(&E->d);
    free(E->plan);
    free(E->rows);
    free(E->vrows);
    free(E->params);
    free(E->state);
}

/* Rank 0: the model's weights, epoch and identity, checked against the
 * training this config and store make. */
static int load_model(evaluator *E, mf_err *e) {
    const mf_config *c = E->c;
    mf_identity want;
    if (mf_train_identity(c, &E->d.identity, E->roles, &want)) return mf_fail(e, "evaluate: internal: identity does not fit");
    if (c->evaluate.model == MF_EVAL_MODEL_BEST) {
        if (!mf_exists(E->model_path))
            return mf_fail(e, "%s: missing (run `mammofuse train` with this --out first)", E->model_path);
        int epochs = 0;
        if (mf_model_check(E->model_path, &want, &epochs, e)) return -1;
        if (epochs < c->train.epochs)
            return mf_fail(e, "%s: trained for %d epochs, train.epochs is %d: an unfinished training (run `mammofuse train` first)",
                           E->model_path, epochs, c->train.epochs);
        hid_t f = mf_h5_open_ro(E->model_path, e);
        if (f < 0) return -1;
        long long best = 0;
        int bad = mf_h5_attr_int_get(f, "epoch", &best);
        H5Fclose(f);
        if (bad) return mf_fail(e, "%s: attribute 'epoch': missing (not a mammofuse model)", E->model_path);
        E->model_epoch = (int)best;
        if (mf_model_read(E->model_path, &E->h, E->params, E->state, e)) return -1;
    } else {
        if (!mf_exists(E->model_path))
            return mf_fail(e, "%s: missing (run `mammofuse train` with this --out first)", E->model_path);
        mf_train_state t;
        if (mf_train_state_alloc(&t, E->h.nparams, E->h.nstate, c->train.epochs))
            return mf_fail(e, "evaluate: out of memory for %zu parameters", E->h.nparams);
        int rc = mf_ckpt_read(E->model_path, &t, &want, e);
        if (!rc && t.epoch < 1)
            rc = mf_fail(e, "%s: no epoch finished yet (run `mammofuse train` first)", E->model_path);
        if (!rc) {
            memcpy(E->params, t.params, E->h.nparams * sizeof(float));
            memcpy(E->state, t.state, E->h.nstate * sizeof(float));
            E->model_epoch = t.epoch + (t.step > 0);
        }
        mf_train_state_free(&t);
        if (rc) return -1;
    }
    if (mf_identity_read_file(E->model_path, "model", &E->model_id, e)) return -1;
    mf_identity_digest(&E->model_id, E->model_digest);
    return 0;
}

/* Every rank: store, identity, plan, the evaluated rows; rank 0 the model. */
static int evaluator_open(evaluator *E, const mf_stage_files *f, mf_err *e) {
    const mf_config *c = E->c;
    const char *out = f->out;
    snprintf(E->store_path, sizeof E->store_path, "%s", f->store);
    snprintf(E->model_path, sizeof E->model_path, "%s/%s", out,
             c->evaluate.model == MF_EVAL_MODEL_BEST ? "model.h5" : "checkpoint.h5");
    snprintf(E->rois_path, sizeof E->rois_path, "%s", f->rois);
    E->roles = f->roles;
    if (E->roles)
        snprintf(E->splits, sizeof E->splits, "cv fold %d of %d (grid)", E->roles->fold, E->roles->folds);
    else
        for (int k = 0; k < c->evaluate.splits.n; k++)
            snprintf(E->splits + strlen(E->splits), sizeof E->splits - strlen(E->splits), "%s%s", k ? ", " : "",
                     split_names[c->evaluate.splits.v[k]]);
    snprintf(E->head, sizeof E->head, "%s [", c->model.head ? "fusion2" : "fusion1");
    for (int k = 0; k < c->model.branches.n; k++)
        snprintf(E->head + strlen(E->head), sizeof E->head - strlen(E->head), "%s%d", k ? ", " : "", c->model.branches.v[k]);
    strcat(E->head, "]");
    if (mf_head_init(&E->h, c->model.head + 1, c->model.branches.n, c->model.branches.v, e)) return -1;
    if (mf_tdata_open(&E->d, E->store_path, &E->h, E->roles, e)) return -1;
    mf_identity want_store;
    mf_identity_from_config(&want_store, MF_STAGE_EXTRACT, c);
    if (mf_identity_refuse(E->store_path, &E->d.identity, &want_store, MF_IDCMP_CONFIG,
                           "made with another configuration", "run `mammofuse extract` with this config first", e))
        return -1;
    mf_identity_digest(&E->d.identity, E->store_digest);
    int64_t n = E->d.fs.n;
    E->plan = malloc((size_t)(n ? n : 1) * sizeof *E->plan);
    E->rows = malloc((size_t)(n ? n : 1) * sizeof *E->rows);
    E->vrows = malloc((size_t)(n ? n : 1) * sizeof *E->vrows);
    E->params = malloc(E->h.nparams * sizeof(float));
    E->state = malloc(E->h.nstate * sizeof(float));
    if (!E->plan || !E->rows || !E->vrows || !E->params || !E->state)
        return mf_fail(e, "evaluate: out of memory for the plan of %lld rows", (long long)n);
    if (mf_fstore_read_plan(&E->d.fs, E->plan, e)) return -1;
    int want[3] = {0, 0, 0};
    for (int k = 0; k < c->evaluate.splits.n; k++) want[c->evaluate.splits.v[k]] = 1;
    int thr = c->evaluate.decision == MF_DECIDE_VAL_THRESHOLD; /* val not evaluated: mf_config_check */
    for (int64_t i = 0; i < n; i++) {
        if (E->plan[i].roi < 0) return mf_fail(e, "%s: plan row %lld: negative ROI index", E->store_path, (long long)i);
        if (E->plan[i].roi + 1 > E->nroi) E->nroi = E->plan[i].roi + 1;
    }
    /* evaluate.patches grid: a ROI with grid patches votes with them alone */
    uint8_t *gridded = calloc((size_t)E->nroi + 1, 1);
    if (!gridded) return mf_fail(e, "evaluate: out of memory for %d ROIs", E->nroi);
    if (c->evaluate.patches == MF_EVAL_PATCHES_GRID)
        for (int64_t i = 0; i < n; i++)
            if (E->plan[i].kind == MF_PATCH_GRID) gridded[E->plan[i].roi] = 1;
    for (int64_t i = 0; i < n; i++) {
        if (gridded[E->plan[i].roi] && E->plan[i].kind != MF_PATCH_GRID) continue;
        if (E->roles) { /* mf_tdata_open checked the ROI indices against the roles */
            int role = E->roles->role[E->plan[i].roi];
            if (role == MF_ROLE_EVAL && E->plan[i].kind == MF_PATCH_GRID) E->rows[E->nsel++] = i;
            else if (thr && role == MF_ROLE_VAL && E->plan[i].kind == MF_PATCH_GRID) E->vrows[E->nval++] = i;
        } else if (E->plan[i].split < 3 && want[E->plan[i].split])
            E->rows[E->nsel++] = i;
        else if (thr && E->plan[i].split == 1)
            E->vrows[E->nval++] = i;
    }
    free(gridded);
    if (thr && E->nval == 0)
        return mf_fail(e, "%s: no validation patches in the plan: evaluate.decision val_threshold has nothing to "
                          "choose the threshold on",
                       E->store_path);
    if (E->nsel == 0 && E->roles)
        return mf_fail(e, "%s: no grid patches of the ROIs of cv fold %d: nothing to evaluate", E->store_path,
                       E->roles->fold);
    if (E->nsel == 0)
        return mf_fail(e, "%s: no patches of evaluate.splits [%s] in the plan (patches.grid_for and patches.draws_for "
                          "give them none): nothing to evaluate",
                       E->store_path, E->splits);
    return 0;
}

/* This rank's chunks: per-patch P(Tumor) and vote, per (chunk, ROI) tallies. */
static int predict_share(evaluator *E, const int64_t *sel, int64_t first, int64_t count, float *p, int32_t *vote,
                         mf_tally *tal, int *ntal, mf_err *e) {
    int B = E->c->evaluate.batch;
    mf_tbuf tb;
    mf_shard_ws *ws = mf_shard_ws_new(&E->h, B);
    float *probs = malloc((size_t)B * 2 * sizeof(float));
    int32_t *roi = malloc((size_t)B * sizeof(int32_t));
    int rc = 0;
    if (!ws || !probs || !roi || mf_tbuf_alloc(&tb, &E->h, B)) {
        mf_shard_ws_free(ws);
        free(probs);
        free(roi);
        return mf_fail(e, "evaluate: out of memory for a chunk of %d patches", B);
    }
    *ntal = 0;
    for (int64_t off = 0; off < count && !rc; off += B) {
        int n = (int)(count - off < B ? count - off : B);
        const int64_t *rows = sel + first + off;
        mf_batch_view v;
        rc = mf_tdata_read(&E->d, &tb, rows, n, &v, e);
        if (rc) break;
        mf_head_predict(&E->h, E->params, E->state, ws, &v, probs, NULL);
        for (int i = 0; i < n; i++) {
            p[off + i] = probs[2 * i + 1];
            vote[off + i] = mf_vote_patch(probs[2 * i], probs[2 * i + 1]);
            roi[i] = E->plan[rows[i]].roi;
        }
        *ntal += mf_tally_chunk(n, roi, vote + off, p + off, tal + *ntal);
    }
    mf_tbuf_free(&tb);
    mf_shard_ws_free(ws);
    free(probs);
    free(roi);
    return rc;
}

/* Rank 0: class and image id per ROI from rois.h5, if it is the store's;
 * then also its images (*images, malloc'ed, [*nimages][side][side]) for the
 * report's thumbnails. */
static int roi_facts(evaluator *E, int32_t *image_id, int *cls, uint8_t **images, int *nimages, int *side, mf_err *e) {
    *images = NULL;
    *nimages = 0;
    for (int r = 0; r < E->nroi; r++) {
        image_id[r] = 0;
        cls[r] = -1;
    }
    if (!mf_exists(E->rois_path)) return 0;
    mf_identity rid;
    if (mf_identity_read_file(E->rois_path, "ROI set", &rid, e)) return -1;
    const mf_ident_entry *in = mf_identity_find(&E->d.identity, "input_rois");
    char dig[65];
    mf_identity_digest(&rid, dig);
    if (!in || strcmp(in->text, dig)) return 0; /* another ROI set (remade since): the ids are not known */
    mf_roiset s;
    if (mf_rois_read(E->rois_path, &s, NULL, e)) return -1;
    if (s.n < E->nroi) {
        mf_roiset_free(&s);
        return mf_fail(e, "%s: %d ROIs, the store's plan names ROI %d", E->rois_path, s.n, E->nroi - 1);
    }
    for (int r = 0; r < E->nroi; r++) {
        image_id[r] = s.meta[r].image_id;
        cls[r] = s.meta[r].cls;
    }
    *images = s.images; /* kept: the report's thumbnails */
    *nimages = s.n;
    *side = s.size;
    s.images = NULL;
    mf_roiset_free(&s);
    return 0;
}

/* Rank 0: the grid patches of each ROI index with their votes (plan order),
 * for the report's overlays: ROI r's are grid[first[r] .. first[r+1]). */
static int grid_patches(const evaluator *E, const int32_t *vote, int64_t **first, mf_report_patch **grid) {
    int R = E->nroi;
    *first = calloc((size_t)R + 1, sizeof(int64_t));
    *grid = malloc((size_t)(E->nsel ? E->nsel : 1) * sizeof(mf_report_patch));
    if (!*first || !*grid) return -1;
    for (int64_t i = 0; i < E->nsel; i++) {
        const mf_patch *q = &E->plan[E->rows[i]];
        if (q->kind == MF_PATCH_GRID) (*first)[q->roi + 1]++;
    }
    for (int r = 0; r < R; r++) (*first)[r + 1] += (*first)[r];
    int64_t *at = malloc((size_t)R * sizeof(int64_t) + 1);
    if (!at) return -1;
    memcpy(at, *first, (size_t)R * sizeof(int64_t));
    for (int64_t i = 0; i < E->nsel; i++) {
        const mf_patch *q = &E->plan[E->rows[i]];
        if (q->kind == MF_PATCH_GRID) (*grid)[at[q->roi]++] = (mf_report_patch){q->row, q->col, vote[i]};
    }
    free(at);
    return 0;
}

/* Rank 0: the bootstrap bands of the ROI curves (the intervals' resamples). */
static int curve_bands(const mf_config *c, int m, const int32_t *lab, const double *const *rs, mf_curve_band *bands,
                       mf_err *e) {
    for (int k = 0; k < 3; k++)
        if (mf_curve_band_compute(&bands[k], m, lab, rs[k], c->evaluate.bootstrap, (uint64_t)c->evaluate.seed,
                                  c->evaluate.confidence, MF_BAND_POINTS, e)) {
            for (int j = 0; j < k; j++) mf_curve_band_free(&bands[j]);
            return -1;
        }
    return 0;
}

/* Rank 0: the vote, the figures, the files. */
static int finish(evaluator *E, const char *out, const mf_tally *tal, int64_t ntal, const float *p,
                  const int32_t *vote, mf_err *e) {
    const mf_config *c = E->c;
    int R = E->nroi, rc = 0;
    int64_t *votes = malloc((size_t)R * sizeof(int64_t)), *pat = malloc((size_t)R * sizeof(int64_t));
    double *psum = malloc((size_t)R * sizeof(double));
    int32_t *rlabel = malloc((size_t)R * sizeof(int32_t)), *image_id = malloc((size_t)R * sizeof(int32_t));
    int *cls = malloc((size_t)R * sizeof(int));
    mf_eval_roi *rois = malloc((size_t)R * sizeof *rois);
    int32_t *lab = malloc((size_t)R * sizeof(int32_t)), *pred = malloc((size_t)R * sizeof(int32_t));
    double *sc = malloc((size_t)R * 3 * sizeof(double));
    int32_t *plab = malloc((size_t)E->nsel * sizeof(int32_t));
    double *pscore = malloc((size_t)E->nsel * sizeof(double));
    char *config = mf_config_dump(c);
    mf_eval_level L, P;
    memset(&L, 0, sizeof L);
    memset(&P, 0, sizeof P);
    uint8_t *images = NULL;
    int nimages = 0, side = c->rois.size, have_bands = 0;
    int64_t *grid_first = NULL;
    mf_report_patch *grid = NULL;
    mf_curve_band bands[3];
    char hist_path[MF_PATH_MAX + 32];
    snprintf(hist_path, sizeof hist_path, "%s/history.csv", out);
    if (!votes || !pat || !psum || !rlabel || !image_id || !cls || !rois || !lab || !pred || !sc || !plab || !pscore ||
        !config) {
        rc = mf_fail(e, "evaluate: out of memory for %d ROIs", R);
        goto done;
    }
    if (mf_tally_fold(tal, ntal, R, votes, pat, psum)) {
        rc = mf_fail(e, "evaluate: internal: a tally names a ROI outside the plan");
        goto done;
    }
    for (int64_t i = 0; i < E->nsel; i++) {
        const mf_patch *q = &E->plan[E->rows[i]];
        rlabel[q->roi] = q->label;
        plab[i] = q->label;
        pscore[i] = (double)p[i];
    }
    if ((rc = roi_facts(E, image_id, cls, &images, &nimages, &side, e))) goto done;
    if (grid_patches(E, vote, &grid_first, &grid)) {
        rc = mf_fail(e, "evaluate: out of memory for the report's patches");
        goto done;
    }
    int m = 0;
    for (int r = 0; r < R; r++) {
        if (!pat[r]) continue;
        mf_eval_roi *o = &rois[m];
        o->roi = r;
        o->image_id = image_id[r];
        o->cls = cls[r];
        o->label = rlabel[r];
        o->votes = (int32_t)votes[r];
        o->patches = (int32_t)pat[r];
        o->vote_fraction = (double)votes[r] / (double)pat[r];
        o->mean_p_tumor = psum[r] / (double)pat[r];
        o->pred = E->decision[0] ? o->mean_p_tumor >= E->threshold : mf_vote_roi(votes[r], pat[r]);
        lab[m] = o->label;
        pred[m] = o->pred;
        sc[m] = o->pred;
        sc[R + m] = o->vote_fraction;
        sc[2 * R + m] = o->mean_p_tumor;
        m++;
    }
    static const char *const rnames[3] = {"vote", "vote_fraction", "mean_p_tumor"};
    static const char *const pnames[1] = {"p_tumor"};
    const double *rs[3] = {sc, sc + R, sc + 2 * R};
    const double *ps[1] = {pscore};
    if ((rc = mf_eval_level_compute(&L, m, lab, pred, 3, rnames, rs, c->evaluate.bootstrap,
                                    (uint64_t)c->evaluate.seed, c->evaluate.confidence, e)))
        goto done;
    if ((rc = mf_eval_level_compute(&P, (int)E->nsel, plab, vote, 1, pnames, ps, 0, 0, 0, e))) goto done;
    if ((rc = curve_bands(c, m, lab, rs, bands, e))) goto done;
    have_bands = 1;
    const mf_ident_entry *arch = mf_identity_find(&E->d.identity, "backbone.arch");
    mf_report_input rep = {arch ? arch->text : NULL, c->model.head, &c->model.branches, bands, hist_path, side,
                           c->patches.side, images, nimages, R, grid_first, grid};
    mf_eval_result res = {m, rois, &L, &P, E->nsel, E->splits,
                          c->evaluate.model == MF_EVAL_MODEL_BEST ? "model.h5" : "checkpoint.h5",
                          c->evaluate.model == MF_EVAL_MODEL_BEST ? "best" : "last", E->model_epoch, E->head,
                          &E->ident, E->store_digest, E->model_digest, config,
                          E->decision[0] ? E->decision : NULL, E->threshold};
    rc = mf_eval_write(out, &res, &rep, e);
    if (!rc)
        printf("evaluate: %d ROIs (%lld patches) of %s: accuracy %.4f, Tumor recall %.4f, Normal recall %.4f\n", m,
               (long long)E->nsel, E->splits, L.conf.accuracy, L.conf.recall[1], L.conf.recall[0]);
done:
    mf_eval_level_free(&L);
    mf_eval_level_free(&P);
    for (int k = 0; have_bands && k < 3; k++) mf_curve_band_free(&bands[k]);
    free(images);
    free(grid_first);
    free(grid);
    free(votes);
    free(pat);
    free(psum);
    free(rlabel);
    free(image_id);
    free(cls);
    free(rois);
    free(lab);
    free(pred);
    free(sc);
    free(plab);
    free(pscore);
    free(config);
    return rc;
}

/* Collective: the rows sel[0..n) predicted in chunks dealt to the ranks;
 * rank 0 gets every patch's P(Tumor) and vote (*p_all, *vote_all, store
 * order of sel) and the (chunk, ROI) tallies in chunk order. 0 on every rank
 * or -1 on every rank (e reported). */
static int predict_pass(evaluator *E, const int64_t *sel, int64_t n, float **p_all, int32_t **vote_all,
                        mf_tally **tal_all, int64_t *ntal_all, mf_err *e) {
    int64_t first, count;
    mf_vote_share(n, E->c->evaluate.batch, E->size, E->rank, &first, &count);
    size_t cn = (size_t)(count ? count : 1);
    float *p = malloc(cn * sizeof(float));
    int32_t *vote = malloc(cn * sizeof(int32_t));
    mf_tally *tal = malloc(cn * sizeof(mf_tally));
    if (E->rank == 0) {
        *p_all = malloc((size_t)(n ? n : 1) * sizeof(float));
        *vote_all = malloc((size_t)(n ? n : 1) * sizeof(int32_t));
    }
    int ntal = 0, failed;
    if (!p || !vote || !tal || (E->rank == 0 && (!*p_all || !*vote_all)))
        failed = mf_fail(e, "evaluate: out of memory for %lld patches", (long long)count);
    else
        failed = predict_share(E, sel, first, count, p, vote, tal, &ntal, e);
    int rc = mf_any_failed(E->comm, failed, e) ? -1 : 0;
    if (!rc && (mf_gather_tallies(E->comm, tal, ntal, tal_all, ntal_all) ||
                mf_gather_patches(E->comm, p, vote, (int)count, *p_all, *vote_all))) {
        mf_any_failed(E->comm, mf_fail(e, "evaluate: out of memory gathering the results"), e);
        rc = -1;
    }
    free(p);
    free(vote);
    free(tal);
    return rc;
}

/* Rank 0, evaluate.decision val_threshold: the threshold of highest
 * accuracy on the validation ROIs' mean P(Tumor), and its sentence. */
static int choose_threshold(evaluator *E, const mf_tally *tal, int64_t ntal, mf_err *e) {
    int R = E->nroi, m = 0, rc = 0;
    int64_t *votes = malloc((size_t)R * sizeof(int64_t)), *pat = malloc((size_t)R * sizeof(int64_t));
    double *psum = malloc((size_t)R * sizeof(double)), *score = malloc((size_t)R * sizeof(double));
    int32_t *rlabel = malloc((size_t)R * sizeof(int32_t)), *lab = malloc((size_t)R * sizeof(int32_t));
    if (!votes || !pat || !psum || !score || !rlabel || !lab) rc = mf_fail(e, "evaluate: out of memory for %d ROIs", R);
    else if (mf_tally_fold(tal, ntal, R, votes, pat, psum))
        rc = mf_fail(e, "evaluate: internal: a tally names a ROI outside the plan");
    if (!rc) {
        for (int64_t i = 0; i < E->nval; i++) rlabel[E->plan[E->vrows[i]].roi] = E->plan[E->vrows[i]].label;
        for (int r = 0; r < R; r++)
            if (pat[r]) {
                lab[m] = rlabel[r];
                score[m++] = psum[r] / (double)pat[r];
            }
        double acc = 0;
        rc = mf_threshold_best(m, lab, score, &E->threshold, &acc, e);
        if (!rc)
            snprintf(E->decision, sizeof E->decision,
                     "a ROI is Tumor if its mean P(Tumor) >= %.4f, the threshold of highest accuracy (%.4f) on the "
                     "%d validation ROIs (%lld patches).",
                     E->threshold, acc, m, (long long)E->nval);
    }
    free(votes);
    free(pat);
    free(psum);
    free(score);
    free(rlabel);
    free(lab);
    return rc;
}

int mf_evaluate_make(const mf_config *c, const mf_stage_files *f, MPI_Comm comm) {
    const char *out = f->out;
    evaluator E;
    memset(&E, 0, sizeof E);
    E.c = c;
    E.comm = comm;
    MPI_Comm_rank(comm, &E.rank);
    MPI_Comm_size(comm, &E.size);
    mf_err e = {{0}};
    int rc = MF_EXIT_FAIL;
    float *p_all = NULL;
    int32_t *vote_all = NULL;
    mf_tally *tal_all = NULL;
    int64_t ntal_all = 0;
    int failed = evaluator_open(&E, f, &e);
    if (mf_any_failed(comm, failed, &e)) goto done;
    if (E.rank == 0) failed = load_model(&E, &e);
    if (mf_any_failed(comm, failed, &e)) goto done;
    MPI_Bcast(E.params, (int)E.h.nparams, MPI_FLOAT, 0, comm);
    MPI_Bcast(E.state, (int)E.h.nstate, MPI_FLOAT, 0, comm);
    MPI_Bcast(&E.model_id, (int)sizeof E.model_id, MPI_BYTE, 0, comm);
    mf_identity_from_config(&E.ident, MF_STAGE_EVALUATE, c);
    if (mf_identity_add_input(&E.ident, "input_store", &E.d.identity) ||
        mf_identity_add_input(&E.ident, "input_model", &E.model_id)) {
        mf_any_failed(comm, mf_fail(&e, "evaluate: internal: the evaluation's identity does not fit"), &e);
        goto done;
    }
    if (c->evaluate.decision == MF_DECIDE_VAL_THRESHOLD) {
        if (predict_pass(&E, E.vrows, E.nval, &p_all, &vote_all, &tal_all, &ntal_all, &e)) goto done;
        if (E.rank == 0) failed = choose_threshold(&E, tal_all, ntal_all, &e);
        if (mf_any_failed(comm, failed, &e)) goto done;
        free(p_all);
        free(vote_all);
        free(tal_all);
        p_all = NULL, vote_all = NULL, tal_all = NULL;
    }
    if (predict_pass(&E, E.rows, E.nsel, &p_all, &vote_all, &tal_all, &ntal_all, &e)) goto done;
    if (E.rank == 0) failed = finish(&E, out, tal_all, ntal_all, p_all, vote_all, &e);
    if (mf_any_failed(comm, failed, &e)) goto done;
    mf_say(comm, "evaluate: wrote %s/metrics.json, table.md, predictions.csv, roc.csv, pr.csv and report.html\n", out);
    rc = MF_EXIT_OK;
done:
    free(p_all);
    free(vote_all);
    free(tal_all);
    evaluator_free(&E);
    return rc;
}

int mf_job_evaluate(int argc, char **argv) {
    mf_args a;
    if (mf_args_parse(argc, argv, NULL, &a)) return MF_EXIT_USAGE;
    if (a.help) {
        static const char *const keys[] = {"evaluate.", NULL};
        mf_args_help("evaluate", "CONFIG.yaml [--set key=value]... [--out RUN_DIR]",
                     "Evaluates RUN_DIR/model.h5 (evaluate.model: best; last = RUN_DIR/checkpoint.h5's latest\n"
                     "state) on the evaluate.splits patches of RUN_DIR/features.h5: every patch predicted with\n"
                     "the BN moving statistics (chunks of evaluate.batch dealt to the ranks), a patch votes\n"
                     "Tumor if P(Tumor) >= P(Normal), a ROI is Tumor if 2 votes >= patches. Writes\n"
                     "RUN_DIR/metrics.json (ROI level: the vote, vote fraction and mean P(Tumor) scores, with\n"
                     "stratified bootstrap intervals; patch level), table.md (the paper's table layout),\n"
                     "predictions.csv (one row per ROI), roc.csv and pr.csv, and report.html (one self-contained\n"
                     "page: tables, curves with bootstrap bands, training curves, every ROI with its patch votes),\n"
                     "the same bytes on any number of ranks. A store or model of another configuration is refused.",
                     keys);
        return MF_EXIT_OK;
    }
    mf_config c;
    if (mf_args_config(&a, &c)) return MF_EXIT_FAIL;
    if (mf_run_lock(MPI_COMM_WORLD, 1, (const char *const[]){a.out}, 0)) return MF_EXIT_FAIL;
    mf_stage_files f;
    mf_stage_files_in(&f, a.out);
    return mf_evaluate_make(&c, &f, MPI_COMM_WORLD);
}
