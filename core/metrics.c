/* metrics.c: see metrics.h. The AUC and AP of mf_curves_compute come from
 * mf_ranking_auc_ap, the function the bootstrap calls, so a resample's
 * figures are those of the resampled arrays bit for bit. */
#include "core/metrics.h"

#include <math.h>
#include <stdlib.h>

/* a / b, NaN for b = 0 (a 0/0 figure is undefined, see metrics.h) */
static double ratio(int64_t a, int64_t b) { return b ? (double)a / (double)b : NAN; }

static int check_binary(int n, const int32_t *v, const char *what, mf_err *e) {
    for (int i = 0; i < n; i++)
        if (v[i] != 0 && v[i] != 1)
            return mf_fail(e, "metrics: %s[%d] = %d, expected 0 (Normal) or 1 (Tumor)", what, i, (int)v[i]);
    return 0;
}

void mf_confusion_from_counts(const int64_t cm[2][2], mf_confusion *out) {
    for (int t = 0; t < 2; t++)
        for (int p = 0; p < 2; p++) out->cm[t][p] = cm[t][p];
    out->accuracy = ratio(cm[0][0] + cm[1][1], cm[0][0] + cm[0][1] + cm[1][0] + cm[1][1]);
    for (int c = 0; c < 2; c++) {
        int64_t tp = cm[c][c], fn = cm[c][1 - c], fp = cm[1 - c][c];
        out->recall[c] = ratio(tp, tp + fn);
        out->precision[c] = ratio(tp, tp + fp);
        /* = 2PR/(P+R) where both are defined, and 0 where one is NaN and
         * the other 0 (the class was never found or never right) */
        out->f1[c] = ratio(2 * tp, 2 * tp + fp + fn);
    }
}

int mf_confusion_compute(int n, const int32_t *label, const int32_t *pred, mf_confusion *out, mf_err *e) {
    if (check_binary(n, label, "label", e) || check_binary(n, pred, "pred", e)) return -1;
    int64_t cm[2][2] = {{0, 0}, {0, 0}};
    for (int i = 0; i < n; i++) cm[label[i]][pred[i]]++;
    mf_confusion_from_counts(cm, out);
    return 0;
}

typedef struct {
    double s;
    int i;
} scored;

/* decreasing score; ties by index so the order is the same on every libc
 * (no output depends on it: ties form one group) */
static int cmp_scored(const void *pa, const void *pb) {
    const scored *a = pa, *b = pb;
    if (a->s > b->s) return -1;
    if (a->s < b->s) return 1;
    return (a->i > b->i) - (a->i < b->i);
}

void mf_ranking_free(mf_ranking *r) {
    free(r->order);
    free(r->group_end);
    free(r->group_score);
    r->order = r->group_end = NULL;
    r->group_score = NULL;
    r->n = r->ngroups = 0;
}

int mf_ranking_init(mf_ranking *r, int n, const double *score, mf_err *e) {
    r->n = n;
    r->ngroups = 0;
    if (n < 0) {
        r->n = 0;
        r->order = r->group_end = NULL;
        r->group_score = NULL;
        return mf_fail(e, "metrics: %d scores, expected 0 or more", n);
    }
    for (int i = 0; i < n; i++)
        if (!isfinite(score[i])) {
            r->order = r->group_end = NULL;
            r->group_score = NULL;
            return mf_fail(e, "metrics: score[%d] = %g, expected a finite number", i, score[i]);
        }
    size_t cap = (size_t)(n ? n : 1);
    scored *tmp = malloc(sizeof(scored) * cap);
    r->order = malloc(sizeof(int) * cap);
    r->group_end = malloc(sizeof(int) * cap);
    r->group_score = malloc(sizeof(double) * cap);
    if (!tmp || !r->order || !r->group_end || !r->group_score) {
        free(tmp);
        mf_ranking_free(r);
        return mf_fail(e, "metrics: out of memory ranking %d scores", n);
    }
    for (int i = 0; i < n; i++) tmp[i] = (scored){score[i], i};
    qsort(tmp, (size_t)n, sizeof(scored), cmp_scored);
    for (int k = 0; k < n; k++) {
        r->order[k] = tmp[k].i;
        /* exact equality, as np.diff(y_score) != 0 in sklearn's _binary_clf_curve */
        if (k + 1 == n || tmp[k + 1].s != tmp[k].s) {
            r->group_end[r->ngroups] = k + 1;
            r->group_score[r->ngroups] = tmp[k].s;
            r->ngroups++;
        }
    }
    free(tmp);
    return 0;
}

void mf_ranking_auc_ap(const mf_ranking *r, const int32_t *label, const int32_t *weight, double *auc, double *ap) {
    /* Integer counts, so the AUC is one correctly rounded division: twice the
     * trapezoid area in units of 1/(P N) is sum over groups of
     * dfp * (tp_before + tp_after). A weight-0 group adds a repeated point,
     * which adds nothing to either sum, so weights equal repetition. */
    int64_t tp = 0, fp = 0, area2 = 0;
    double apsum = 0; /* sum of dtp * precision; AP = apsum / P */
    int start = 0;
    for (int g = 0; g < r->ngroups; g++) {
        int64_t gtp = 0, gfp = 0;
        for (int k = start; k < r->group_end[g]; k++) {
            int i = r->order[k];
            int64_t w = weight ? weight[i] : 1;
            if (label[i]) gtp += w;
            else gfp += w;
        }
        start = r->group_end[g];
        area2 += gfp * (2 * tp + gtp);
        tp += gtp;
        fp += gfp;
        /* a group without Tumor adds nothing to AP (and may be all weight 0,
         * tp + fp = 0) */
        if (gtp) apsum += (double)gtp * ((double)tp / (double)(tp + fp));
    }
    if (tp == 0 || fp == 0) {
        *auc = *ap = NAN;
        return;
    }
    *auc = (double)area2 / (2.0 * (double)tp * (double)fp);
    *ap = apsum / (double)tp;
}

void mf_curves_free(mf_curves *c) {
    free(c->roc_thr);
    free(c->roc_fpr);
    free(c->roc_tpr);
    free(c->pr_thr);
    free(c->pr_precision);
    free(c->pr_recall);
    c->roc_thr = c->roc_fpr = c->roc_tpr = NULL;
    c->pr_thr = c->pr_precision = c->pr_recall = NULL;
    c->roc_n = c->pr_n = 0;
}

int mf_curves_compute(int n, const int32_t *label, const double *score, mf_curves *out, mf_err *e) {
    *out = (mf_curves){0};
    if (check_binary(n, label, "label", e)) return -1;
    mf_ranking r;
    if (mf_ranking_init(&r, n, score, e)) return -1;
    int G = r.ngroups;
    size_t cap = (size_t)G + 1;
    out->roc_thr = malloc(sizeof(double) * cap);
    out->roc_fpr = malloc(sizeof(double) * cap);
    out->roc_tpr = malloc(sizeof(double) * cap);
    out->pr_thr = malloc(sizeof(double) * cap);
    out->pr_precision = malloc(sizeof(double) * cap);
    out->pr_recall = malloc(sizeof(double) * cap);
    if (!out->roc_thr || !out->roc_fpr || !out->roc_tpr || !out->pr_thr || !out->pr_precision || !out->pr_recall) {
        mf_curves_free(out);
        mf_ranking_free(&r);
        return mf_fail(e, "metrics: out of memory for curves of %d scores", n);
    }
    for (int i = 0; i < n; i++) out->npos += label[i];
    out->nneg = n - out->npos;
    int64_t P = out->npos, N = out->nneg;
    out->roc_n = out->pr_n = G + 1;
    out->roc_thr[0] = INFINITY;
    out->roc_fpr[0] = ratio(0, N);
    out->roc_tpr[0] = ratio(0, P);
    int64_t tp = 0, fp = 0;
    for (int g = 0; g < G; g++) {
        for (int k = g ? r.group_end[g - 1] : 0; k < r.group_end[g]; k++) {
            if (label[r.order[k]]) tp++;
            else fp++;
        }
        out->roc_thr[g + 1] = r.group_score[g];
        out->roc_fpr[g + 1] = ratio(fp, N);
        out->roc_tpr[g + 1] = ratio(tp, P);
        /* precision_recall_curve lists the lowest threshold first */
        int k = G - 1 - g;
        out->pr_thr[k] = r.group_score[g];
        out->pr_precision[k] = ratio(tp, tp + fp);
        out->pr_recall[k] = ratio(tp, P);
    }
    out->pr_precision[G] = 1.0;
    out->pr_recall[G] = 0.0;
    mf_ranking_auc_ap(&r, label, NULL, &out->roc_auc, &out->ap);
    mf_ranking_free(&r);
    return 0;
}
