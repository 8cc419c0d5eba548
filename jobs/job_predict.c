/* job_predict.c: `mammofuse predict CONFIG --model MODEL.h5 [--out DIR] INPUT...`:
 * classifies ROIs that are in no store (jobs/predict_inputs.h: PNG/PGM ROI
 * files or MIAS folders) with a trained model, exactly as extract + evaluate
 * would have: the tower the model's store recorded (group store_identity of
 * model.h5: backbone.arch, weights_sha256, blocks, patches.side/grid_n/
 * grid_stride, extract.conv/dtype/batch) with the config's backbone.weights
 * (their SHA-256 must be the recorded one), the fixed grid of every ROI, the
 * summaries through the extract job's own code path (jobs/extract_compute.h,
 * rounded through half for a float16 store), the head with the BN moving
 * statistics in chunks of evaluate.batch, the per-chunk tallies and the vote
 * of core/vote.h. Writes DIR/predictions.csv (io/eval_outputs.h's columns;
 * label and correct empty when the truth is unknown). Parallel as evaluate:
 * the patches cut into chunks of evaluate.batch dealt to the ranks in
 * contiguous ranges (core/vote.h), the tallies gathered in chunk order, so
 * the output is the same on any number of ranks; a MIAS folder is cut by all
 * ranks (jobs/rois_build.h); rank 0 reads the model and writes the file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vote.h"
#include "io/checkpoint.h"
#include "io/dir_lock.h"
#include "io/eval_outputs.h"
#include "io/fsutil.h"
#include "io/h5util.h"
#include "io/identity_h5.h"
#include "jobs/args.h"
#include "jobs/extract_compute.h"
#include "jobs/jobs.h"
#include "jobs/predict_inputs.h"
#include "jobs/predict_job.h"
#include "jobs/train_data.h"
#include "mpi/eval_gather.h"
#include "mpi/report.h"
#include "mpi/run_lock.h"

typedef struct predictor {
    const char *model_path;
    mf_config cc;                 /* the config with the tower keys the model's store recorded */
    int blocks;                   /* blocks the store ran */
    mf_head h;
    float *params, *state;
    mf_vgg_weights w;
    mf_vgg_arch arch;
} predictor;

static void predictor_free(predictor *P) {
    free(P->params);
    free(P->state);
    mf_vgg_weights_free(&P->w);
}

/* Entry key of the identity id (read from group `group` of path), of type. */
static const mf_ident_entry *entry(const mf_identity *id, const char *key, int type, const char *path,
                                   const char *group, mf_err *e) {
    const mf_ident_entry *en = mf_identity_find(id, key);
    if (!en || en->type != type) {
        static const char *const tn[] = {"an integer", "a number", "a text", "a list"};
        mf_fail(e, "%s: group '%s': key '%s': %s (expected %s)", path, group, key, en ? "of another type" : "missing",
                tn[type]);
        return NULL;
    }
    return en;
}

/* An enum entry (its value name) as the enum's number. */
static int entry_enum(const mf_identity *id, const char *key, const char *path, const char *group, int *v,
                      mf_err *e) {
    const mf_ident_entry *en = entry(id, key, MF_IDV_TEXT, path, group, e);
    if (!en) return -1;
    *v = mf_config_value_of(key, en->text);
    return *v < 0 ? mf_fail(e, "%s: group '%s': key '%s': unknown value '%s'", path, group, key, en->text) : 0;
}

static int entry_int(const mf_identity *id, const char *key, const char *path, const char *group, int *v,
                     mf_err *e) {
    const mf_ident_entry *en = entry(id, key, MF_IDV_INT, path, group, e);
    if (!en) return -1;
    *v = (int)en->i;
    return 0;
}

/* Rank 0: the head and its weights (model.h5's train identity), the tower
 * keys (its store_identity), the weights of backbone.weights checked against
 * the recorded SHA-256. */
static int load(predictor *P, const mf_config *c, mf_err *e) {
    const char *path = P->model_path, *S = MF_STORE_IDENTITY_GROUP;
    if (!mf_exists(path)) return mf_fail(e, "%s: missing (expected a model.h5 made by `mammofuse train`)", path);
    int epochs = 0;
    if (mf_model_check(path, NULL, &epochs, e)) return -1;
    mf_identity tid, sid;
    if (mf_identity_read_file(path, "model", &tid, e)) return -1;
    if (tid.stage != MF_STAGE_TRAIN)
        return mf_fail(e, "%s: group 'identity': stage '%s', expected 'train' (not a model)", path,
                       mf_stage_name(tid.stage));
    hid_t f = mf_h5_open_ro(path, e);
    if (f < 0) return -1;
    int rc = mf_identity_read_group(f, S, path, "model", &sid, e);
    H5Fclose(f);
    if (rc) return -1;
    int head = 0;
    const mf_ident_entry *br = entry(&tid, "model.branches", MF_IDV_LIST, path, "identity", e);
    if (!br || entry_enum(&tid, "model.head", path, "identity", &head, e)) return -1;
    if (mf_head_init(&P->h, head + 1, br->list.n, br->list.v, e)) return -1;
    P->params = malloc(P->h.nparams * sizeof(float));
    P->state = malloc(P->h.nstate * sizeof(float));
    if (!P->params || !P->state) return mf_fail(e, "predict: out of memory for %zu parameters", P->h.nparams);
    if (mf_model_read(path, &P->h, P->params, P->state, e)) return -1;
    /* the tower as the store ran it */
    mf_config *cc = &P->cc;
    *cc = *c;
    const mf_ident_entry *sha = entry(&sid, "weights_sha256", MF_IDV_TEXT, path, S, e);
    if (!sha || entry_enum(&sid, "backbone.arch", path, S, &cc->backbone.arch, e) ||
        entry_int(&sid, "blocks", path, S, &P->blocks, e) || entry_int(&sid, "patches.side", path, S, &cc->patches.side, e) ||
        entry_int(&sid, "patches.grid_n", path, S, &cc->patches.grid_n, e) ||
        entry_int(&sid, "patches.grid_stride", path, S, &cc->patches.grid_stride, e) ||
        entry_enum(&sid, "extract.conv", path, S, &cc->extract.conv, e) ||
        entry_enum(&sid, "extract.dtype", path, S, &cc->extract.dtype, e) ||
        entry_int(&sid, "extract.batch", path, S, &cc->extract.batch, e))
        return -1;
    if (P->h.branch[P->h.nb - 1] > P->blocks)
        return mf_fail(e, "%s: the head reads block %d, its store holds blocks 1-%d", path, P->h.branch[P->h.nb - 1],
                       P->blocks);
    char have[65];
    if (mf_extract_load_weights(cc, &P->w, have, e)) return -1;
    if (strcmp(have, sha->text))
        return mf_fail(e, "%s: refused: its features were made with weights of SHA-256 %s, backbone.weights '%s' has "
                          "SHA-256 %s; set backbone.weights to the weights the model's store was extracted with",
                       path, sha->text, c->backbone.weights, have);
    if (P->blocks > P->w.arch.n_blocks)
        return mf_fail(e, "backbone.weights '%s': blocks 1-%d only, the model's store ran %d", c->backbone.weights,
                       P->w.arch.n_blocks, P->blocks);
    return mf_vgg_arch_init(&P->arch, P->w.arch.depth, P->blocks, e) ||
                   mf_vgg_arch_check(&P->arch, cc->patches.side, e)
               ? -1
               : 0;
}

/* The grid of every ROI of s (its splits set to test: grid patches are
 * never augmented): *plan (malloc'ed), *n rows, in the store's order. */
static int grid_plan(const predictor *P, mf_roiset *s, mf_plan_params *pp, mf_patch **plan, int64_t *n, mf_err *e) {
    memset(pp, 0, sizeof *pp);
    pp->seed = (uint64_t)P->cc.seed;
    pp->side = P->cc.patches.side;
    pp->grid_n = P->cc.patches.grid_n;
    pp->grid_stride = P->cc.patches.grid_stride;
    pp->grid_splits = mf_plan_split_mask(MF_SPLITS_ALL);
    for (int r = 0; r < s->n; r++) s->meta[r].split = MF_SPLIT_TEST;
    if (mf_plan_check(pp, s->size, e)) return -1;
    *n = mf_plan_count(pp, s);
    *plan = malloc((size_t)(*n ? *n : 1) * sizeof **plan);
    if (!*plan) return mf_fail(e, "predict: out of memory for the plan of %lld patches", (long long)*n);
    mf_plan_fill(pp, s, *plan);
    return 0;
}

/* This rank's rows [first, first + count) (first a multiple of B =
 * evaluate.batch): each chunk of B through the tower (sub-batches of
 * extract.batch from the chunk's start) and the head; the per-(chunk, ROI)
 * tallies into tal (room for count), *ntal of them. */
static int predict_share(predictor *P, const mf_config *c, const mf_roiset *s, const mf_patch *plan, int64_t first,
                         int64_t count, mf_tally *tal, int *ntal, mf_err *e) {
    const mf_config *cc = &P->cc;
    int B = c->evaluate.batch, T = cc->extract.batch < B ? cc->extract.batch : B, rc = 0;
    float *p = malloc((size_t)B * sizeof(float)), *probs = malloc((size_t)B * 2 * sizeof(float));
    int32_t *vote = malloc((size_t)B * sizeof(int32_t)), *roi = malloc((size_t)B * sizeof(int32_t));
    mf_shard_ws *ws = mf_shard_ws_new(&P->h, B);
    mf_tbuf tb;
    mf_extract_bufs xb;
    int have_tb = 0, have_xb = 0;
    *ntal = 0;
    if (!p || !probs || !vote || !roi || !ws || !(have_tb = !mf_tbuf_alloc(&tb, &P->h, B))) {
        rc = mf_fail(e, "predict: out of memory for a chunk of %d patches", B);
        goto done;
    }
    if ((rc = mf_extract_bufs_init(&xb, &P->arch, cc->patches.side, cc->extract.batch, cc->extract.conv, e))) goto done;
    have_xb = 1;
    int ns = P->h.model == 1 ? 1 : 3;
    for (int64_t off = first; off < first + count && !rc; off += B) {
        int cn = (int)(first + count - off < B ? first + count - off : B);
        for (int sub = 0; sub < cn && !rc; sub += T) {
            int m = cn - sub < T ? cn - sub : T;
            memcpy(xb.rows, plan + off + sub, (size_t)m * sizeof *plan);
            if ((rc = mf_extract_compute(cc, s, &P->w, &xb, m, e))) break;
            mf_extract_round_as_stored(&xb, cc->extract.dtype, m);
            for (int k = 0; k < P->h.nb; k++)
                for (int q = 0; q < ns; q++) {
                    size_t wd = (size_t)mf_sum_width(q, P->h.C[k]);
                    memcpy(tb.x[k][q] + (size_t)sub * wd, xb.data[P->h.branch[k] - 1][q], (size_t)m * wd * sizeof(float));
                }
        }
        if (rc) break;
        mf_batch_view v = mf_tbuf_view(&tb, &P->h, cn);
        v.label = NULL;
        mf_head_predict(&P->h, P->params, P->state, ws, &v, probs, NULL);
        for (int i = 0; i < cn; i++) {
            p[i] = probs[2 * i + 1];
            vote[i] = mf_vote_patch(probs[2 * i], probs[2 * i + 1]);
            roi[i] = plan[off + i].roi;
        }
        *ntal += mf_tally_chunk(cn, roi, vote, p, tal + *ntal);
    }
done:
    if (have_xb) mf_extract_bufs_free(&xb);
    if (have_tb) mf_tbuf_free(&tb);
    mf_shard_ws_free(ws);
    free(p);
    free(probs);
    free(vote);
    free(roi);
    return rc;
}

/* Rank 0: the tallies (chunk order) folded per ROI, the vote, the file, and
 * what was done on stdout. */
static int finish(const mf_pred_set *in, char *const *inputs, const mf_tally *tal, int64_t ntal, int64_t npatch,
                  const char *out, mf_err *e) {
    int R = in->s.n, rc = 0;
    mf_eval_roi *rows = calloc((size_t)R, sizeof *rows);
    int64_t *votes = malloc((size_t)R * sizeof(int64_t)), *pat = malloc((size_t)R * sizeof(int64_t));
    double *psum = malloc((size_t)R * sizeof(double));
    char path[MF_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/predictions.csv", out);
    if (!rows || !votes || !pat || !psum) rc = mf_fail(e, "predict: out of memory for %d ROIs", R);
    else if (mf_tally_fold(tal, ntal, R, votes, pat, psum)) rc = mf_fail(e, "predict: internal: a tally names no ROI");
    for (int r = 0; !rc && r < R; r++) {
        mf_eval_roi *o = &rows[r];
        o->roi = r;
        o->image_id = in->truth[r] < 0 ? 0 : in->s.meta[r].image_id;
        o->cls = in->truth[r] < 0 ? -1 : in->s.meta[r].cls;
        o->label = in->truth[r];
        o->votes = (int32_t)votes[r];
        o->patches = (int32_t)pat[r];
        o->pred = mf_vote_roi(votes[r], pat[r]);
        o->vote_fraction = (double)votes[r] / (double)pat[r];
        o->mean_p_tumor = psum[r] / (double)pat[r];
    }
    if (!rc) rc = mf_mkdir_p(out, e);
    if (!rc) rc = mf_eval_write_predictions(path, R, rows, e);
    if (!rc) {
        int tumor = 0, known = 0, correct = 0;
        for (int r = 0; r < R; r++) {
            tumor += rows[r].pred;
            if (rows[r].label >= 0) known++, correct += rows[r].pred == rows[r].label;
        }
        for (int r = 0; r < R;) {
            int q = r;
            while (q + 1 < R && in->input[q + 1] == in->input[r]) q++;
            if (q == r) printf("predict: roi %d = %s\n", r, inputs[in->input[r]]);
            else printf("predict: rois %d-%d = %s\n", r, q, inputs[in->input[r]]);
            r = q + 1;
        }
        printf("predict: %d ROIs (%lld patches): %d Tumor, %d Normal", R, (long long)npatch, tumor, R - tumor);
        if (known) printf("; %d of %d with a known class correct", correct, known);
        printf("\npredict: wrote %s\n", path);
    }
    free(rows);
    free(votes);
    free(pat);
    free(psum);
    return rc;
}

/* Rank 0's model, tower keys and weights to every rank (the weights are
 * loaded again from backbone.weights, already checked by rank 0). */
static int share_model(predictor *P, MPI_Comm comm, int rank, mf_err *e) {
    MPI_Bcast(&P->h, (int)sizeof P->h, MPI_BYTE, 0, comm);
    MPI_Bcast(&P->cc, (int)sizeof P->cc, MPI_BYTE, 0, comm);
    MPI_Bcast(&P->arch, (int)sizeof P->arch, MPI_BYTE, 0, comm);
    MPI_Bcast(&P->blocks, 1, MPI_INT, 0, comm);
    int failed = 0;
    if (rank) {
        P->params = malloc(P->h.nparams * sizeof(float));
        P->state = malloc(P->h.nstate * sizeof(float));
        char sha[65];
        if (!P->params || !P->state) failed = mf_fail(e, "predict: out of memory for %zu parameters", P->h.nparams);
        else failed = mf_extract_load_weights(&P->cc, &P->w, sha, e);
    }
    if (mf_any_failed(comm, failed, e)) return -1;
    MPI_Bcast(P->params, (int)P->h.nparams, MPI_FLOAT, 0, comm);
    MPI_Bcast(P->state, (int)P->h.nstate, MPI_FLOAT, 0, comm);
    return 0;
}

/* Rank 0's ROI pixels to every rank. */
static int share_rois(mf_pred_set *in, MPI_Comm comm, int rank, mf_err *e) {
    int dims[2] = {in->s.n, in->s.size}, failed = 0;
    MPI_Bcast(dims, 2, MPI_INT, 0, comm);
    if (rank && mf_roiset_alloc(&in->s, dims[0], dims[1])) failed = mf_fail(e, "predict: out of memory for %d ROIs", dims[0]);
    if (mf_any_failed(comm, failed, e)) return -1;
    size_t px = (size_t)dims[1] * (size_t)dims[1];
    for (int r = 0; r < dims[0]; r += 100000) { /* counts stay within int */
        int k = dims[0] - r < 100000 ? dims[0] - r : 100000;
        MPI_Bcast(in->s.images + (size_t)r * px, (int)((size_t)k * px), MPI_BYTE, 0, comm);
    }
    return 0;
}

int mf_predict_make(const mf_config *c, const char *model, char *const *inputs, int ninputs, const char *out,
                    MPI_Comm comm) {
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    predictor P;
    memset(&P, 0, sizeof P);
    P.model_path = model;
    mf_err e = {{0}};
    mf_pred_set in;
    memset(&in, 0, sizeof in);
    mf_patch *plan = NULL;
    mf_tally *tal = NULL, *tal_all = NULL;
    int rc = MF_EXIT_FAIL;
    int failed = rank == 0 ? load(&P, c, &e) : 0;
    if (mf_any_failed(comm, failed, &e) || share_model(&P, comm, rank, &e)) goto done;
    if (mf_predict_inputs(c, inputs, ninputs, comm, &in)) goto done; /* reported */
    if (share_rois(&in, comm, rank, &e)) goto done;
    mf_plan_params pp;
    int64_t n = 0, first = 0, count = 0, ntal_all = 0;
    failed = grid_plan(&P, &in.s, &pp, &plan, &n, &e);
    if (mf_any_failed(comm, failed, &e)) goto done;
    mf_vote_share(n, c->evaluate.batch, size, rank, &first, &count);
    tal = malloc((size_t)(count ? count : 1) * sizeof *tal);
    int ntal = 0;
    failed = tal ? predict_share(&P, c, &in.s, plan, first, count, tal, &ntal, &e)
                 : mf_fail(&e, "predict: out of memory for %lld patches", (long long)count);
    if (mf_any_failed(comm, failed, &e)) goto done;
    if (mf_gather_tallies(comm, tal, ntal, &tal_all, &ntal_all)) {
        mf_any_failed(comm, mf_fail(&e, "predict: out of memory gathering the results"), &e);
        goto done;
    }
    if (rank == 0) failed = finish(&in, inputs, tal_all, ntal_all, n, out, &e);
    if (!mf_any_failed(comm, failed, &e)) rc = MF_EXIT_OK;
done:
    free(plan);
    free(tal);
    free(tal_all);
    mf_pred_set_free(&in);
    predictor_free(&P);
    return rc;
}

/* Takes --model FILE and the INPUTs out of argv; the rest is the shared
 * command line (jobs/args.h). */
int mf_job_predict(int argc, char **argv) {
    char **rest = malloc(sizeof(char *) * (size_t)(argc + 1)), **inputs = malloc(sizeof(char *) * (size_t)(argc + 1));
    const char *model = NULL;
    int nrest = 0, ninputs = 0, seen_config = 0, rank = 0, rc = MF_EXIT_USAGE;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (!rest || !inputs) goto done;
    rest[nrest++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--model")) {
            if (i + 1 >= argc) {
                if (rank == 0) fprintf(stderr, "mammofuse predict: --model: expected a value after it (see mammofuse predict --help)\n");
                goto done;
            }
            model = argv[++i];
        } else if (!strcmp(s, "--set") || !strcmp(s, "--out")) {
            rest[nrest++] = argv[i];
            if (i + 1 < argc) rest[nrest++] = argv[++i];
        } else if (s[0] == '-' || !seen_config) {
            seen_config |= s[0] != '-';
            rest[nrest++] = argv[i];
        } else
            inputs[ninputs++] = argv[i];
    }
    mf_args a;
    if (mf_args_parse(nrest, rest, NULL, &a)) goto done;
    if (a.help) {
        static const char *const keys[] = {"seed", "data.root", "rois.", "backbone.weights", "evaluate.batch", NULL};
        mf_args_help("predict", "CONFIG.yaml --model MODEL.h5 [--set key=value]... [--out DIR] INPUT...",
                     "Classifies ROIs that are in no store with MODEL.h5 (made by `mammofuse train`). INPUT: a\n"
                     "PNG (8-bit gray) or PGM ROI (rois.size square, any other size resized to it with the ROI\n"
                     "job's bicubic rule), or a MIAS folder (mdbNNN.pgm + Info.txt; its ROIs are cut as the\n"
                     "rois job cuts them: rois.*, seed). The fixed grid of every ROI goes through the tower the\n"
                     "model's store recorded (backbone.arch, blocks, patches.side/grid_n/grid_stride,\n"
                     "extract.conv/dtype/batch from model.h5's store_identity) with the weights of\n"
                     "backbone.weights, whose SHA-256 must be the recorded one; the head (BN moving\n"
                     "statistics, chunks of evaluate.batch) and evaluate's vote. Writes DIR/predictions.csv\n"
                     "(default DIR: runs/<config name>) with evaluate's columns; label and correct are empty\n"
                     "when the truth is unknown (image files).",
                     keys);
        rc = MF_EXIT_OK;
        goto done;
    }
    if (!model) {
        if (rank == 0) fprintf(stderr, "mammofuse predict: expected --model MODEL.h5 (see mammofuse predict --help)\n");
        goto done;
    }
    if (!ninputs) {
        if (rank == 0) fprintf(stderr, "mammofuse predict: expected at least one INPUT (see mammofuse predict --help)\n");
        goto done;
    }
    mf_config c;
    rc = MF_EXIT_FAIL;
    if (mf_args_config(&a, &c)) goto done;
    if (mf_run_lock(MPI_COMM_WORLD, 1, (const char *const[]){a.out}, MF_LOCK_CREATE)) goto done;
    rc = mf_predict_make(&c, model, inputs, ninputs, a.out, MPI_COMM_WORLD);
done:
    free(rest);
    free(inputs);
    return rc;
}
