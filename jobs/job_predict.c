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
 * label and correct empty when the truth is unknown). The ROIs of a MIAS
 * folder are cut by all ranks; the rest runs on rank 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vote.h"
#include "io/checkpoint.h"
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
#include "mpi/report.h"

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

/* Rank 0: the grid of every ROI through the tower (batches of extract.batch)
 * and the head (chunks of evaluate.batch, as evaluate cuts its rows), the
 * tallies folded per ROI; *out = one row per ROI. */
static int classify(predictor *P, const mf_config *c, mf_pred_set *in, mf_eval_roi *out, int64_t *npatch, mf_err *e) {
    const mf_config *cc = &P->cc;
    mf_plan_params pp;
    memset(&pp, 0, sizeof pp);
    pp.seed = (uint64_t)cc->seed;
    pp.side = cc->patches.side;
    pp.grid_n = cc->patches.grid_n;
    pp.grid_stride = cc->patches.grid_stride;
    pp.grid_splits = mf_plan_split_mask(MF_SPLITS_ALL);
    for (int r = 0; r < in->s.n; r++) in->s.meta[r].split = MF_SPLIT_TEST; /* grid patches, never augmented */
    if (mf_plan_check(&pp, in->s.size, e)) return -1;
    int64_t n = mf_plan_count(&pp, &in->s);
    *npatch = n;
    int B = c->evaluate.batch, T = cc->extract.batch < B ? cc->extract.batch : B, R = in->s.n, rc = 0;
    mf_patch *plan = malloc((size_t)n * sizeof *plan);
    float *p = malloc((size_t)n * sizeof(float)), *probs = malloc((size_t)B * 2 * sizeof(float));
    int32_t *vote = malloc((size_t)n * sizeof(int32_t)), *roi = malloc((size_t)B * sizeof(int32_t));
    mf_tally *tal = malloc((size_t)n * sizeof *tal);
    int64_t *votes = malloc((size_t)R * sizeof(int64_t)), *pat = malloc((size_t)R * sizeof(int64_t));
    double *psum = malloc((size_t)R * sizeof(double));
    mf_shard_ws *ws = mf_shard_ws_new(&P->h, B);
    mf_tbuf tb;
    int have_tb = 0;
    mf_extract_bufs xb;
    int have_xb = 0;
    if (!plan || !p || !probs || !vote || !roi || !tal || !votes || !pat || !psum || !ws ||
        !(have_tb = !mf_tbuf_alloc(&tb, &P->h, B))) {
        rc = mf_fail(e, "predict: out of memory for %lld patches", (long long)n);
        goto done;
    }
    if ((rc = mf_extract_bufs_init(&xb, &P->arch, cc->patches.side, cc->extract.batch, cc->extract.conv, e))) goto done;
    have_xb = 1;
    mf_plan_fill(&pp, &in->s, plan);
    int ns = P->h.model == 1 ? 1 : 3;
    int64_t ntal = 0;
    for (int64_t off = 0; off < n && !rc; off += B) {
        int cn = (int)(n - off < B ? n - off : B);
        for (int sub = 0; sub < cn && !rc; sub += T) {
            int m = cn - sub < T ? cn - sub : T;
            memcpy(xb.rows, plan + off + sub, (size_t)m * sizeof *plan);
            if ((rc = mf_extract_compute(cc, &in->s, &P->w, &xb, m, e))) break;
            mf_extract_round_as_stored(&xb, cc->extract.dtype, m);
            for (int k = 0; k < P->h.nb; k++)
                for (int s = 0; s < ns; s++) {
                    size_t wd = (size_t)mf_sum_width(s, P->h.C[k]);
                    memcpy(tb.x[k][s] + (size_t)sub * wd, xb.data[P->h.branch[k] - 1][s], (size_t)m * wd * sizeof(float));
                }
        }
        if (rc) break;
        mf_batch_view v = mf_tbuf_view(&tb, &P->h, cn);
        v.label = NULL;
        mf_head_predict(&P->h, P->params, P->state, ws, &v, probs, NULL);
        for (int i = 0; i < cn; i++) {
            p[off + i] = probs[2 * i + 1];
            vote[off + i] = mf_vote_patch(probs[2 * i], probs[2 * i + 1]);
            roi[i] = plan[off + i].roi;
        }
        ntal += mf_tally_chunk(cn, roi, vote + off, p + off, tal + ntal);
    }
    if (!rc && mf_tally_fold(tal, ntal, R, votes, pat, psum)) rc = mf_fail(e, "predict: internal: a tally names no ROI");
    for (int r = 0; !rc && r < R; r++) {
        mf_eval_roi *o = &out[r];
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
done:
    if (have_xb) mf_extract_bufs_free(&xb);
    if (have_tb) mf_tbuf_free(&tb);
    mf_shard_ws_free(ws);
    free(plan);
    free(p);
    free(probs);
    free(vote);
    free(roi);
    free(tal);
    free(votes);
    free(pat);
    free(psum);
    return rc;
}

/* Rank 0: classify, write DIR/predictions.csv, say what was done. */
static int run(predictor *P, const mf_config *c, mf_pred_set *in, char *const *inputs, const char *out, mf_err *e) {
    mf_eval_roi *rows = calloc((size_t)in->s.n, sizeof *rows);
    int64_t npatch = 0;
    if (!rows) return mf_fail(e, "predict: out of memory for %d ROIs", in->s.n);
    char path[MF_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/predictions.csv", out);
    int rc = classify(P, c, in, rows, &npatch, e);
    if (!rc) rc = mf_mkdir_p(out, e);
    if (!rc) rc = mf_eval_write_predictions(path, in->s.n, rows, e);
    if (!rc) {
        int tumor = 0, known = 0, correct = 0;
        for (int r = 0; r < in->s.n; r++) {
            tumor += rows[r].pred;
            if (rows[r].label >= 0) known++, correct += rows[r].pred == rows[r].label;
        }
        for (int r = 0; r < in->s.n;) {
            int q = r;
            while (q + 1 < in->s.n && in->input[q + 1] == in->input[r]) q++;
            if (q == r) printf("predict: roi %d = %s\n", r, inputs[in->input[r]]);
            else printf("predict: rois %d-%d = %s\n", r, q, inputs[in->input[r]]);
            r = q + 1;
        }
        printf("predict: %d ROIs (%lld patches): %d Tumor, %d Normal", in->s.n, (long long)npatch, tumor,
               in->s.n - tumor);
        if (known) printf("; %d of %d with a known class correct", correct, known);
        printf("\npredict: wrote %s\n", path);
    }
    free(rows);
    return rc;
}

int mf_predict_make(const mf_config *c, const char *model, char *const *inputs, int ninputs, const char *out,
                    MPI_Comm comm) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    predictor P;
    memset(&P, 0, sizeof P);
    P.model_path = model;
    mf_err e = {{0}};
    int failed = rank == 0 ? load(&P, c, &e) : 0;
    if (mf_any_failed(comm, failed, &e)) {
        predictor_free(&P);
        return MF_EXIT_FAIL;
    }
    mf_pred_set in;
    if (mf_predict_inputs(c, inputs, ninputs, comm, &in)) {
        predictor_free(&P);
        return MF_EXIT_FAIL; /* reported */
    }
    if (rank == 0) failed = run(&P, c, &in, inputs, out, &e);
    mf_pred_set_free(&in);
    predictor_free(&P);
    return mf_any_failed(comm, failed, &e) ? MF_EXIT_FAIL : MF_EXIT_OK;
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
                     "when the truth is unknown (image files). Keys read:",
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
    rc = mf_predict_make(&c, model, inputs, ninputs, a.out, MPI_COMM_WORLD);
done:
    free(rest);
    free(inputs);
    return rc;
}
