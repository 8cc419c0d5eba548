/* metrics.h: the figures of the binary classifier (label 0 Normal, 1 Tumor,
 * Tumor the positive class), as scikit-learn computes them, so that the
 * paper's table and our report mean the same numbers:
 *   - confusion matrix, accuracy, per-class recall, precision, F1 from
 *     predictions (confusion_matrix, accuracy_score,
 *     precision_recall_fscore_support);
 *   - ROC and precision-recall curves, ROC AUC and average precision from
 *     scores (roc_curve(drop_intermediate=False), roc_auc_score,
 *     precision_recall_curve, average_precision_score).
 * Conventions where scikit-learn warns or raises:
 *   - a ratio 0/0 is NaN (the report prints "n/a"): the recall of a class
 *     absent from the labels, the precision of a class never predicted, the
 *     accuracy of an empty set. scikit-learn returns 0 with a warning.
 *   - F1 is 2 tp / (2 tp + fp + fn): NaN only when the class is absent from
 *     both labels and predictions; when one of its precision or recall is
 *     NaN the other is 0 and F1 is 0, scikit-learn's value.
 *   - a class absent from the labels: ROC AUC and AP are NaN (scikit-learn
 *     raises for the AUC and returns 0 or 1 for AP, neither meaningful); the
 *     curve's rate over the absent class is NaN (roc_curve does the same;
 *     precision_recall_curve sets the recall to 1 instead).
 *   - the ROC curve's first threshold is +inf (scikit-learn >= 1.3; 1.2
 *     wrote max score + 1).
 * Scores must be finite (scikit-learn rejects NaN and inf too).
 * Cost: one sort of the scores, O(n log n); the sorted order can be kept
 * (mf_ranking) to recompute AUC and AP of reweighted samples in O(n), which
 * is what the bootstrap (bootstrap.h) does. */
#ifndef MF_METRICS_H
#define MF_METRICS_H
#include <stdint.h>

#include "core/err.h"

enum { MF_NORMAL = 0, MF_TUMOR = 1 };

typedef struct mf_confusion {
    int64_t cm[2][2];    /* cm[true][pred] */
    double accuracy;     /* (cm[0][0] + cm[1][1]) / n */
    double recall[2];    /* [class]: cm[c][c] / sum_p cm[c][p] */
    double precision[2]; /* [class]: cm[c][c] / sum_t cm[t][c] */
    double f1[2];        /* [class]: 2 tp / (2 tp + fp + fn) */
} mf_confusion;

/* label[i], pred[i] in {0, 1}; returns -1 (and says which i) otherwise. */
int mf_confusion_compute(int n, const int32_t *label, const int32_t *pred, mf_confusion *out, mf_err *e);

/* The figures of a confusion matrix already counted (out->cm is set to cm). */
void mf_confusion_from_counts(const int64_t cm[2][2], mf_confusion *out);

/* Curves, arrays malloc'ed by mf_curves_compute, freed by mf_curves_free. */
typedef struct mf_curves {
    int npos, nneg;    /* Tumor and Normal labels */
    double roc_auc;    /* trapezoids over the ROC curve; NaN if a class is absent */
    double ap;         /* sum_k (R_k - R_{k-1}) P_k over the PR points; NaN if a class is absent */
    /* ROC: roc_n = distinct scores + 1 points, thresholds decreasing. Point 0
     * is (0, 0) at +inf; point k >= 1 counts the items with score >=
     * roc_thr[k] (ties are one point). */
    int roc_n;
    double *roc_thr, *roc_fpr, *roc_tpr;
    /* PR, in precision_recall_curve's order (thresholds increasing, recall
     * decreasing): pr_n = distinct scores + 1 points; point k < pr_n - 1 is at
     * threshold pr_thr[k], the last is (precision 1, recall 0) with no
     * threshold (pr_thr has pr_n - 1 entries). */
    int pr_n;
    double *pr_thr, *pr_precision, *pr_recall;
} mf_curves;

/* label[i] in {0, 1}, score[i] finite (higher = more Tumor). n = 0 gives
 * one ROC point and one PR point. On error nothing is left allocated. */
int mf_curves_compute(int n, const int32_t *label, const double *score, mf_curves *out, mf_err *e);
void mf_curves_free(mf_curves *c);

/* The decreasing-score order of a sample, cut into groups of equal scores:
 * group g holds order[group_end[g-1] .. group_end[g]) (group_end[-1] = 0). */
typedef struct mf_ranking {
    int n, ngroups;
    int *order;         /* [n] item indices by decreasing score */
    int *group_end;     /* [ngroups] */
    double *group_score; /* [ngroups] decreasing */
} mf_ranking;

/* score[i] must be finite; returns -1 otherwise or if out of memory. */
int mf_ranking_init(mf_ranking *r, int n, const double *score, mf_err *e);
void mf_ranking_free(mf_ranking *r);

/* ROC AUC and AP of the sample where item i counts weight[i] >= 0 times
 * (weight NULL: once each), as if the items were repeated: a bootstrap
 * resample is the original items with their multiplicities. Bitwise equal to
 * mf_curves_compute on the repeated items. NaN if a class has weight 0. */
void mf_ranking_auc_ap(const mf_ranking *r, const int32_t *label, const int32_t *weight, double *auc, double *ap);

#endif
