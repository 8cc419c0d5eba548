/* test_metrics.c: the figures of metrics.h on hand-worked cases (the
 * arithmetic is in the comments; exact comparisons where the computation is
 * one division of integers), the edge cases where a figure is undefined
 * (NaN), input errors, and the weighted walk of mf_ranking_auc_ap equal bit
 * for bit to the curves of the repeated items. scikit-learn itself is the
 * oracle of tests/cli/metrics_sklearn.sh. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "core/metrics.h"
#include "core/rng.h"

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

static void confusion_by_hand(void) {
    /* 6 Normal, 4 Tumor:
     *   label 0 0 0 0 0 0 1 1 1 1
     *   pred  0 0 0 0 1 1 1 1 1 0
     * cm = [[4, 2], [1, 3]] (cm[true][pred]); accuracy (4 + 3) / 10.
     * Normal: recall 4/6, precision 4/(4+1), F1 2*4/(8+2+1) = 8/11
     *   (= 2PR/(P+R) = (16/15)/(22/15)).
     * Tumor: recall 3/4, precision 3/(3+2), F1 6/(6+2+1) = 2/3
     *   (= (18/20)/(27/20)). */
    int32_t y[10] = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
    int32_t p[10] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 0};
    mf_confusion c;
    mf_err e;
    CHECK_EQ_INT(mf_confusion_compute(10, y, p, &c, &e), 0);
    CHECK(c.cm[0][0] == 4 && c.cm[0][1] == 2 && c.cm[1][0] == 1 && c.cm[1][1] == 3);
    CHECK(c.accuracy == 7.0 / 10.0);
    CHECK(c.recall[MF_NORMAL] == 4.0 / 6.0);
    CHECK(c.precision[MF_NORMAL] == 4.0 / 5.0);
    CHECK(c.f1[MF_NORMAL] == 8.0 / 11.0);
    CHECK(c.recall[MF_TUMOR] == 3.0 / 4.0);
    CHECK(c.precision[MF_TUMOR] == 3.0 / 5.0);
    CHECK(c.f1[MF_TUMOR] == 6.0 / 9.0);
    CHECK_NEAR(c.f1[MF_TUMOR], 2 * 0.75 * 0.6 / (0.75 + 0.6), 1e-15);
}

static void one_class_predicted(void) {
    /* labels 0 0 0 1 1, every prediction Normal: cm = [[3, 0], [2, 0]].
     * Tumor: recall 0/2 = 0, precision 0/0 = NaN, F1 0/(0+0+2) = 0.
     * Normal: recall 3/3 = 1, precision 3/5, F1 6/(6+2) = 3/4. */
    int32_t y[5] = {0, 0, 0, 1, 1}, p[5] = {0, 0, 0, 0, 0};
    mf_confusion c;
    mf_err e;
    CHECK_EQ_INT(mf_confusion_compute(5, y, p, &c, &e), 0);
    CHECK(c.recall[MF_TUMOR] == 0.0);
    CHECK(isnan(c.precision[MF_TUMOR]));
    CHECK(c.f1[MF_TUMOR] == 0.0);
    CHECK(c.recall[MF_NORMAL] == 1.0);
    CHECK(c.precision[MF_NORMAL] == 3.0 / 5.0);
    CHECK(c.f1[MF_NORMAL] == 0.75);
    CHECK(c.accuracy == 3.0 / 5.0);
    /* every prediction Tumor: Normal precision NaN, Normal recall 0 */
    int32_t q[5] = {1, 1, 1, 1, 1};
    CHECK_EQ_INT(mf_confusion_compute(5, y, q, &c, &e), 0);
    CHECK(isnan(c.precision[MF_NORMAL]) && c.recall[MF_NORMAL] == 0.0 && c.f1[MF_NORMAL] == 0.0);
    CHECK(c.recall[MF_TUMOR] == 1.0 && c.precision[MF_TUMOR] == 2.0 / 5.0);
    /* no Tumor label and none predicted: every Tumor figure is 0/0 */
    int32_t z[3] = {0, 0, 0};
    CHECK_EQ_INT(mf_confusion_compute(3, z, z, &c, &e), 0);
    CHECK(isnan(c.recall[MF_TUMOR]) && isnan(c.precision[MF_TUMOR]) && isnan(c.f1[MF_TUMOR]));
    CHECK(c.accuracy == 1.0 && c.recall[MF_NORMAL] == 1.0 && c.f1[MF_NORMAL] == 1.0);
    /* no item at all */
    CHECK_EQ_INT(mf_confusion_compute(0, z, z, &c, &e), 0);
    CHECK(isnan(c.accuracy) && isnan(c.recall[0]) && isnan(c.f1[1]));
}

static void roc_pr_with_ties(void) {
    /* score 0.9 0.8 0.8 0.5 0.5 0.5 0.2
     * label  T   N   T   T   N   N   N      P = 3 Tumor, N = 4 Normal
     * Cumulative (tp, fp) at each distinct threshold: 0.9 (1,0), 0.8 (2,1),
     * 0.5 (3,3), 0.2 (3,4). ROC: (0,0)@inf, (0,1/3), (1/4,2/3), (3/4,1), (1,1).
     * AUC by pairs, a tie counting 1/2: T@0.9 beats 4 N: 4; T@0.8 ties N@0.8,
     * beats 3: 3.5; T@0.5 ties two N@0.5, beats N@0.2: 2. (4+3.5+2)/12 = 19/24.
     * Trapezoids: 1/4*(1/3+2/3)/2 + 1/2*(2/3+1)/2 + 1/4*(1+1)/2
     *   = 3/24 + 10/24 + 6/24 = 19/24, one division of integers: exact.
     * PR: P = 1, 2/3, 3/6, 3/7 at R = 1/3, 2/3, 1, 1;
     * AP = 1/3*1 + 1/3*2/3 + 1/3*1/2 + 0*3/7 = (6 + 4 + 3)/18 = 13/18. */
    int32_t y[7] = {1, 0, 1, 1, 0, 0, 0};
    double s[7] = {0.9, 0.8, 0.8, 0.5, 0.5, 0.5, 0.2};
    mf_curves c;
    mf_err e;
    CHECK_EQ_INT(mf_curves_compute(7, y, s, &c, &e), 0);
    CHECK(c.npos == 3 && c.nneg == 4);
    CHECK(c.roc_auc == 19.0 / 24.0);
    CHECK_NEAR(c.ap, 13.0 / 18.0, 1e-15);
    CHECK_EQ_INT(c.roc_n, 5);
    const double thr[5] = {INFINITY, 0.9, 0.8, 0.5, 0.2};
    const double fpr[5] = {0, 0, 1.0 / 4, 3.0 / 4, 1}, tpr[5] = {0, 1.0 / 3, 2.0 / 3, 1, 1};
    for (int k = 0; k < 5 && c.roc_n == 5; k++)
        CHECK_MSG(c.roc_thr[k] == thr[k] && c.roc_fpr[k] == fpr[k] && c.roc_tpr[k] == tpr[k],
                  "roc point %d: %g %g %g", k, c.roc_thr[k], c.roc_fpr[k], c.roc_tpr[k]);
    /* precision_recall_curve's order: lowest threshold first, then (1, 0) */
    CHECK_EQ_INT(c.pr_n, 5);
    const double pthr[4] = {0.2, 0.5, 0.8, 0.9};
    const double prec[5] = {3.0 / 7, 3.0 / 6, 2.0 / 3, 1, 1}, rec[5] = {1, 1, 2.0 / 3, 1.0 / 3, 0};
    for (int k = 0; k < 5 && c.pr_n == 5; k++)
        CHECK_MSG(c.pr_precision[k] == prec[k] && c.pr_recall[k] == rec[k] && (k == 4 || c.pr_thr[k] == pthr[k]),
                  "pr point %d: %g %g", k, c.pr_precision[k], c.pr_recall[k]);
    mf_curves_free(&c);
    /* perfect ranking: AUC 1, AP 1; reversed: AUC 0, AP = 1/2*1/3 + 1/2*2/4 = 5/12 */
    int32_t y2[4] = {1, 1, 0, 0};
    double s2[4] = {4, 3, 2, 1}, s3[4] = {1, 2, 3, 4};
    CHECK_EQ_INT(mf_curves_compute(4, y2, s2, &c, &e), 0);
    CHECK(c.roc_auc == 1.0 && c.ap == 1.0);
    mf_curves_free(&c);
    CHECK_EQ_INT(mf_curves_compute(4, y2, s3, &c, &e), 0);
    CHECK(c.roc_auc == 0.0);
    CHECK_NEAR(c.ap, 5.0 / 12.0, 1e-15);
    mf_curves_free(&c);
}

static void all_scores_equal(void) {
    /* one group: ROC (0,0) -> (1,1), one trapezoid of area 1/2;
     * PR one point P = 3/8 at R = 1: AP = 1 * 3/8, the prevalence. */
    int32_t y[8] = {0, 1, 0, 0, 1, 0, 1, 0};
    double s[8] = {0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3};
    mf_curves c;
    mf_err e;
    CHECK_EQ_INT(mf_curves_compute(8, y, s, &c, &e), 0);
    CHECK(c.roc_auc == 0.5);
    CHECK(c.ap == 3.0 / 8.0);
    CHECK(c.roc_n == 2 && c.roc_fpr[1] == 1.0 && c.roc_tpr[1] == 1.0 && c.roc_thr[1] == 0.3);
    CHECK(c.pr_n == 2 && c.pr_precision[0] == 3.0 / 8.0 && c.pr_recall[0] == 1.0 && c.pr_thr[0] == 0.3);
    CHECK(c.pr_precision[1] == 1.0 && c.pr_recall[1] == 0.0);
    mf_curves_free(&c);
}

static void class_absent(void) {
    /* no Tumor: AUC, AP NaN; the true-positive rate 0/0 everywhere, the
     * recall too; the false-positive rate and the precision (0) defined */
    int32_t y[4] = {0, 0, 0, 0}, p[4] = {0, 1, 0, 1};
    double s[4] = {0.1, 0.7, 0.4, 0.7};
    mf_curves c;
    mf_confusion m;
    mf_err e;
    CHECK_EQ_INT(mf_curves_compute(4, y, s, &c, &e), 0);
    CHECK(isnan(c.roc_auc) && isnan(c.ap));
    CHECK_EQ_INT(c.roc_n, 4);
    for (int k = 0; k < c.roc_n; k++) CHECK(isnan(c.roc_tpr[k]));
    CHECK(c.roc_fpr[0] == 0 && c.roc_fpr[1] == 0.5 && c.roc_fpr[3] == 1);
    for (int k = 0; k + 1 < c.pr_n; k++) CHECK(isnan(c.pr_recall[k]) && c.pr_precision[k] == 0);
    mf_curves_free(&c);
    CHECK_EQ_INT(mf_confusion_compute(4, y, p, &m, &e), 0);
    CHECK(isnan(m.recall[MF_TUMOR]) && m.precision[MF_TUMOR] == 0 && m.f1[MF_TUMOR] == 0);
    CHECK(m.recall[MF_NORMAL] == 0.5);
    /* no Normal: the false-positive rate is NaN, precision is 1 */
    int32_t t[4] = {1, 1, 1, 1};
    CHECK_EQ_INT(mf_curves_compute(4, t, s, &c, &e), 0);
    CHECK(isnan(c.roc_auc) && isnan(c.ap));
    for (int k = 0; k < c.roc_n; k++) CHECK(isnan(c.roc_fpr[k]));
    CHECK(c.roc_tpr[0] == 0 && c.roc_tpr[1] == 0.5 && c.roc_tpr[3] == 1);
    for (int k = 0; k < c.pr_n; k++) CHECK(c.pr_precision[k] == 1);
    mf_curves_free(&c);
    CHECK_EQ_INT(mf_confusion_compute(4, t, p, &m, &e), 0);
    CHECK(isnan(m.recall[MF_NORMAL]) && m.recall[MF_TUMOR] == 0.5 && m.precision[MF_TUMOR] == 1);
    /* no item: one point each way */
    CHECK_EQ_INT(mf_curves_compute(0, t, s, &c, &e), 0);
    CHECK(c.roc_n == 1 && c.pr_n == 1 && isnan(c.roc_auc) && isinf(c.roc_thr[0]));
    mf_curves_free(&c);
}

static void bad_input(void) {
    int32_t y[3] = {0, 2, 1}, p[3] = {0, 1, 1};
    double s[3] = {0.1, 0.2, 0.3};
    mf_confusion m;
    mf_curves c;
    mf_err e;
    CHECK_EQ_INT(mf_confusion_compute(3, y, p, &m, &e), -1);
    CHECK_MSG(strstr(e.msg, "label[1] = 2") != NULL, "message: %s", e.msg);
    CHECK_EQ_INT(mf_confusion_compute(3, p, y, &m, &e), -1);
    CHECK_MSG(strstr(e.msg, "pred[1] = 2") != NULL, "message: %s", e.msg);
    CHECK_EQ_INT(mf_curves_compute(3, y, s, &c, &e), -1);
    CHECK(c.roc_thr == NULL && c.pr_recall == NULL);
    s[2] = NAN;
    CHECK_EQ_INT(mf_curves_compute(3, p, s, &c, &e), -1);
    CHECK_MSG(strstr(e.msg, "score[2]") != NULL, "message: %s", e.msg);
    s[2] = -INFINITY;
    CHECK_EQ_INT(mf_curves_compute(3, p, s, &c, &e), -1);
}

/* Random items with weights 0..3 give the AUC and AP of the items repeated
 * that many times, bit for bit (the bootstrap relies on it). */
static void weights_are_repetition(void) {
    enum { N = 200 };
    int32_t y[N], w[N], ry[4 * N];
    double s[N], rs[4 * N];
    mf_err e;
    for (int trial = 0; trial < 20; trial++) {
        int m = 0;
        for (int i = 0; i < N; i++) {
            y[i] = mf_rng_unit(trial, 99, 3 * i) < 0.3;
            s[i] = round(10 * mf_rng_unit(trial, 99, 3 * i + 1) + 3 * y[i]) / 10; /* many ties */
            w[i] = (int32_t)mf_rng_below(trial, 99, 3 * i + 2, 4);
            for (int r = 0; r < w[i]; r++) ry[m] = y[i], rs[m++] = s[i];
        }
        mf_ranking rk;
        CHECK_EQ_INT(mf_ranking_init(&rk, N, s, &e), 0);
        double auc, ap;
        mf_ranking_auc_ap(&rk, y, w, &auc, &ap);
        mf_curves c;
        CHECK_EQ_INT(mf_curves_compute(m, ry, rs, &c, &e), 0);
        CHECK_MSG(same_bits(auc, c.roc_auc) && same_bits(ap, c.ap), "trial %d: weighted %.17g %.17g, repeated %.17g %.17g",
                  trial, auc, ap, c.roc_auc, c.ap);
        CHECK(rk.ngroups >= c.roc_n - 1);
        mf_curves_free(&c);
        mf_ranking_free(&rk);
    }
}

int main(void) {
    confusion_by_hand();
    one_class_predicted();
    roc_pr_with_ties();
    all_scores_equal();
    class_absent();
    bad_input();
    weights_are_repetition();
    return check_done();
}
