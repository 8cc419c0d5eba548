/* threshold.c: see threshold.h. One sort, then a sweep over the distinct
 * scores from the top: lowering t past a score group turns its ROIs Tumor. */
#include "core/threshold.h"

#include <math.h>
#include <stdlib.h>

typedef struct scored {
    double s;
    int32_t y;
} scored;

static int by_score_desc(const void *pa, const void *pb) {
    const scored *a = pa, *b = pb;
    return (a->s < b->s) - (a->s > b->s);
}

/* 1 if candidate (t, correct) beats the best so far. */
static int better(double t, int64_t correct, double bt, int64_t bc) {
    if (correct != bc) return correct > bc;
    double d = fabs(t - 0.5), bd = fabs(bt - 0.5);
    if (d != bd) return d < bd;
    return t < bt;
}

int mf_threshold_best(int n, const int32_t *label, const double *score, double *t, double *accuracy, mf_err *e) {
    if (n < 1) return mf_fail(e, "threshold: no ROIs to choose it on");
    scored *v = malloc((size_t)n * sizeof *v);
    if (!v) return mf_fail(e, "threshold: out of memory for %d ROIs", n);
    int64_t tumors = 0;
    for (int i = 0; i < n; i++) {
        if (!isfinite(score[i])) {
            free(v);
            return mf_fail(e, "threshold: ROI %d: score is not finite", i);
        }
        v[i] = (scored){score[i], label[i] ? 1 : 0};
        tumors += v[i].y;
    }
    qsort(v, (size_t)n, sizeof *v, by_score_desc);
    /* t above every score: all Normal, the Normal ROIs correct */
    double bt = nextafter(v[0].s, INFINITY);
    int64_t correct = n - tumors, bc = correct;
    for (int i = 0; i < n;) {
        int j = i;
        while (j < n && v[j].s == v[i].s) {      /* this group turns Tumor */
            correct += v[j].y ? 1 : -1;
            j++;
        }
        double c = j < n ? v[i].s / 2 + v[j].s / 2 : 0.0; /* below the group, above the next */
        if (c > v[i].s) c = v[i].s;               /* rounding of the midpoint: keep the group Tumor */
        if (j < n && c <= v[j].s) c = v[i].s;     /* adjacent doubles: cut at the group itself */
        if (better(c, correct, bt, bc)) {
            bt = c;
            bc = correct;
        }
        i = j;
    }
    free(v);
    *t = bt;
    *accuracy = (double)bc / n;
    return 0;
}
