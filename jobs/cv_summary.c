/* cv_summary.c: the summary of a cross-validation (jobs/cv_job.h): every
 * fold's predictions.csv (evaluate's, exact: doubles as %.17g) read back,
 * the per-fold figures (core/evaluation.h without intervals), the pooled
 * out-of-fold predictions (each ROI evaluated by exactly one fold) with
 * bootstrap intervals and curve bands (core/bootstrap.h, core/curve_band.h:
 * evaluate.bootstrap, evaluate.seed, evaluate.confidence), written by
 * io/cv_outputs.h. Rank 0 computes and writes; the bytes depend only on the
 * folds' files, so on nothing about ranks or groups. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/curve_band.h"
#include "core/evaluation.h"
#include "io/cv_outputs.h"
#include "io/predictions_csv.h"
#include "jobs/cv_job.h"
#include "jobs/jobs.h"
#include "mpi/report.h"


/* The figures of n ROIs q[0..n): L (B = 0 without intervals, else with) */
static int summarise(const mf_config *c, const char *run_dir, const char *out_dir, mf_err *e) {
    const int K = c->cv.folds;
    mf_identity store;
    int *fold_of = NULL, n = 0, rc = 0;
    if (mf_cv_folds_of(c, run_dir, &store, &fold_of, &n, e)) return -1;
    mf_cv_fold_sum *fs = calloc((size_t)K, sizeof *fs);
    mf_eval_roi *pooled = calloc((size_t)(n ? n : 1), sizeof *pooled);
    int *pfold = malloc(sizeof(int) * (size_t)(n ? n : 1)), *seen = malloc(sizeof(int) * (size_t)(n ? n : 1));
    int32_t *plab = malloc(sizeof(int32_t) * (size_t)(n ? n : 1));
    double *psc = NULL;
    char *config = mf_config_dump(c);
    mf_eval_level P;
    memset(&P, 0, sizeof P);
    mf_curve_band bands[3];
    int nbands = 0, m = 0;
    if (!fs || !pooled || !pfold || !seen || !plab || !config) {
        rc = mf_fail(e, "cv: out of memory");
        goto done;
    }
    for (int i = 0; i < n; i++) seen[i] = -1;
    for (int k = 0; k < K && !rc; k++) {
        char path[MF_PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/cv/fold%d/predictions.csv", out_dir, k);
        mf_eval_roi *q = NULL;
        int nq = 0;
        if (mf_predictions_read(path, &q, &nq, e)) {
            rc = -1;
            break;
        }
        mf_cv_fold_sum *s = &fs[k];
        s->fold = k;
        for (int i = 0; i < n; i++) {
            s->ntrain += fold_of[i] != k && fold_of[i] != (k + 1) % K;
            s->nval += fold_of[i] == (k + 1) % K;
        }
        for (int i = 0; i < nq && !rc; i++) {
            int r = q[i].roi;
            if (r < 0 || r >= n || fold_of[r] != k)
                rc = mf_fail(e, "%s: line %d: ROI %d is not in fold %d (a fold of another config?)", path, i + 2, r, k);
            else if (seen[r] >= 0)
                rc = mf_fail(e, "%s: line %d: ROI %d twice", path, i + 2, r);
            else {
                seen[r] = k;
                pooled[r] = q[i];
                pfold[r] = k;
                s->nroi++;
                s->ntumor += q[i].label == 1;
                s->nnormal += q[i].label == 0;
            }
        }
        if (!rc && nq == 0) rc = mf_fail(e, "%s: no ROI", path);
        if (!rc) {
            mf_eval_level L;
            if (mf_predictions_level(q, nq, 0, 0, 0, &L, NULL, e)) rc = -1;
            else {
                s->fig[MF_CVF_ACCURACY] = mf_eval_figure(&L, MF_FIG_ACCURACY);
                s->fig[MF_CVF_NORMAL_RECALL] = mf_eval_figure(&L, MF_FIG_NORMAL_RECALL);
                s->fig[MF_CVF_NORMAL_PRECISION] = mf_eval_figure(&L, MF_FIG_NORMAL_PRECISION);
                s->fig[MF_CVF_TUMOR_RECALL] = mf_eval_figure(&L, MF_FIG_TUMOR_RECALL);
                s->fig[MF_CVF_TUMOR_PRECISION] = mf_eval_figure(&L, MF_FIG_TUMOR_PRECISION);
                s->fig[MF_CVF_AUC_VOTE_FRACTION] = mf_eval_figure(&L, MF_FIG_AUC(1));
                s->fig[MF_CVF_AUC_MEAN_P_TUMOR] = mf_eval_figure(&L, MF_FIG_AUC(2));
                mf_eval_level_free(&L);
            }
        }
        free(q);
    }
    if (rc) goto done;
    /* every ROI evaluated once: compact by ROI index */
    for (int r = 0; r < n; r++) {
        if (seen[r] < 0) {
            rc = mf_fail(e, "%s/cv/fold%d/predictions.csv: ROI %d missing", out_dir, fold_of[r], r);
            goto done;
        }
        pooled[m] = pooled[r];
        pfold[m] = pfold[r];
        plab[m] = pooled[r].label;
        m++;
    }
    if (mf_predictions_level(pooled, m, c->evaluate.bootstrap, (unsigned long long)c->evaluate.seed, c->evaluate.confidence, &P, &psc, e)) {
        rc = -1;
        goto done;
    }
    for (; nbands < 3 && !rc; nbands++)
        if (mf_curve_band_compute(&bands[nbands], m, plab, psc + (size_t)nbands * m, c->evaluate.bootstrap,
                                  (uint64_t)c->evaluate.seed, c->evaluate.confidence, MF_BAND_POINTS, e)) {
            rc = -1;
            break;
        }
    if (rc) goto done;
    char head[64];
    snprintf(head, sizeof head, "%s [", mf_config_value_name("model.head", c->model.head));
    for (int k = 0; k < c->model.branches.n; k++)
        snprintf(head + strlen(head), sizeof head - strlen(head), "%s%d", k ? ", " : "", c->model.branches.v[k]);
    strcat(head, "]");
    const mf_ident_entry *arch = mf_identity_find(&store, "backbone.arch");
    mf_cv_result res = {K, fs, m, pooled, pfold, &P, bands, head, arch ? arch->text : NULL, config};
    rc = mf_cv_write(out_dir, &res, e);
    if (!rc) {
        double acc[1024], mean, sd;
        int nd, nk = K < 1024 ? K : 1024;
        for (int k = 0; k < nk; k++) acc[k] = fs[k].fig[MF_CVF_ACCURACY];
        mf_mean_sd(acc, nk, &mean, &sd, &nd);
        printf("cv: %d folds, %d ROIs: accuracy %.4f +- %.4f across folds; pooled accuracy %.4f, AUC (mean P(Tumor)) "
               "%.4f\ncv: wrote %s/cv.csv, cv_predictions.csv, cv.md and cv.html\n",
               K, m, mean, sd, P.conf.accuracy, mf_eval_figure(&P, MF_FIG_AUC(2)), out_dir);
        fflush(stdout);
    }
done:
    for (int k = 0; k < nbands; k++) mf_curve_band_free(&bands[k]);
    mf_eval_level_free(&P);
    free(fold_of);
    free(fs);
    free(pooled);
    free(pfold);
    free(seen);
    free(plab);
    free(psc);
    free(config);
    return rc;
}

int mf_cv_summary(const mf_config *c, const char *run_dir, const char *out_dir, MPI_Comm comm) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    mf_err e = {{0}};
    int failed = rank == 0 ? summarise(c, run_dir, out_dir, &e) : 0;
    return mf_any_failed(comm, failed, &e) ? MF_EXIT_FAIL : MF_EXIT_OK;
}
