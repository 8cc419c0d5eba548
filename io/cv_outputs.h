/* cv_outputs.h: the files of a cross-validation (mammofuse cv) summary:
 *   cv.csv              one row per fold: its ROI counts (evaluated, Normal,
 *                       Tumor; training and validation ROIs) and figures
 *                       (accuracy, N/T recall and precision of the majority
 *                       vote, ROC AUC of the vote fraction and of the mean
 *                       P(Tumor), the soft scores);
 *   cv_predictions.csv  the pooled out-of-fold predictions: evaluate's
 *                       predictions.csv columns and the fold, by ROI index;
 *   cv.md               the per-fold table, mean +- sd across folds, the
 *                       pooled figures with bootstrap intervals;
 *   cv.html             the same as one self-contained page (no script, no
 *                       network): the tables, the pooled ROC and PR curves
 *                       with bootstrap bands, the per-fold accuracy.
 * Doubles in CSV as %.17g, no time stamps: the bytes are a function of the
 * inputs. Written under temporary names, renamed when all four are complete.
 * (A fold's predictions.csv is read back by io/predictions_csv.h.) */
#ifndef MF_IO_CV_OUTPUTS_H
#define MF_IO_CV_OUTPUTS_H
#include "core/curve_band.h"
#include "core/err.h"
#include "core/evaluation.h"
#include "io/eval_outputs.h"

/* The per-fold figures, in cv.csv's order. */
enum {
    MF_CVF_ACCURACY,
    MF_CVF_NORMAL_RECALL,
    MF_CVF_NORMAL_PRECISION,
    MF_CVF_TUMOR_RECALL,
    MF_CVF_TUMOR_PRECISION,
    MF_CVF_AUC_VOTE_FRACTION,
    MF_CVF_AUC_MEAN_P_TUMOR,
    MF_CVF_COUNT
};

typedef struct mf_cv_fold_sum {
    int fold;
    int nroi, nnormal, ntumor; /* evaluated */
    int ntrain, nval;          /* ROIs trained on, validated on */
    double fig[MF_CVF_COUNT];  /* NaN when undefined (e.g. no Tumor prediction) */
} mf_cv_fold_sum;

typedef struct mf_cv_result {
    int folds;
    const mf_cv_fold_sum *fold;       /* [folds] */
    int nroi;
    const mf_eval_roi *rois;          /* pooled, by ROI index */
    const int *roi_fold;              /* [nroi] */
    const mf_eval_level *pooled;      /* ROI level, scores vote, vote_fraction, mean_p_tumor, with intervals */
    const mf_curve_band *bands;       /* [pooled->nscores] */
    const char *head;                 /* e.g. "fusion1 [1, 2]" */
    const char *arch;                 /* the store's backbone.arch, or NULL */
    const char *config;               /* mf_config_dump */
} mf_cv_result;

/* Writes the four files into dir; on failure none is left. */
int mf_cv_write(const char *dir, const mf_cv_result *r, mf_err *e);

#endif
