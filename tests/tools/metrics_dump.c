/* metrics_dump.c: every figure of metrics.h for one case, for the
 * scikit-learn oracle (tests/cli/metrics_sklearn.sh). Reads a text file of n
 * lines "label pred score" and prints, numbers with %.17g (so they read back
 * exactly; NaN as nan, infinity as inf):
 *   n <n>, npos <Tumor labels>, nneg <Normal labels> (three lines)
 *   cm <cm00> <cm01> <cm10> <cm11>
 *   accuracy <a>
 *   recall <Normal> <Tumor>      (and precision, f1 likewise)
 *   roc_auc <auc>
 *   ap <ap>
 *   roc <points>     then one line per point: <threshold> <fpr> <tpr>
 *   pr <points>      then one line per point: <precision> <recall> <threshold>
 *                    (the last point has no threshold: nan) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/metrics.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: metrics_dump CASE.txt (lines: label pred score)\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", argv[1]);
        return 1;
    }
    int cap = 1024, n = 0;
    int32_t *y = malloc(sizeof(int32_t) * (size_t)cap), *p = malloc(sizeof(int32_t) * (size_t)cap);
    double *s = malloc(sizeof(double) * (size_t)cap);
    int a, b;
    double x;
    int got;
    while ((got = fscanf(f, "%d %d %lf", &a, &b, &x)) == 3) {
        if (n == cap) {
            cap *= 2;
            y = realloc(y, sizeof(int32_t) * (size_t)cap);
            p = realloc(p, sizeof(int32_t) * (size_t)cap);
            s = realloc(s, sizeof(double) * (size_t)cap);
            if (!y || !p || !s) {
                fprintf(stderr, "%s: out of memory at line %d\n", argv[1], n + 1);
                return 1;
            }
        }
        y[n] = a, p[n] = b, s[n] = x;
        n++;
    }
    fclose(f);
    if (got != EOF) {
        fprintf(stderr, "%s: line %d: expected 'label pred score'\n", argv[1], n + 1);
        return 1;
    }
    mf_confusion c;
    mf_curves cv;
    mf_err e;
    if (mf_confusion_compute(n, y, p, &c, &e) || mf_curves_compute(n, y, s, &cv, &e)) {
        fprintf(stderr, "%s: %s\n", argv[1], e.msg);
        free(y);
        free(p);
        free(s);
        return 1;
    }
    printf("n %d\nnpos %d\nnneg %d\n", n, cv.npos, cv.nneg);
    printf("cm %lld %lld %lld %lld\n", (long long)c.cm[0][0], (long long)c.cm[0][1], (long long)c.cm[1][0],
           (long long)c.cm[1][1]);
    printf("accuracy %.17g\n", c.accuracy);
    printf("recall %.17g %.17g\n", c.recall[0], c.recall[1]);
    printf("precision %.17g %.17g\n", c.precision[0], c.precision[1]);
    printf("f1 %.17g %.17g\n", c.f1[0], c.f1[1]);
    printf("roc_auc %.17g\n", cv.roc_auc);
    printf("ap %.17g\n", cv.ap);
    printf("roc %d\n", cv.roc_n);
    for (int k = 0; k < cv.roc_n; k++) printf("%.17g %.17g %.17g\n", cv.roc_thr[k], cv.roc_fpr[k], cv.roc_tpr[k]);
    printf("pr %d\n", cv.pr_n);
    for (int k = 0; k < cv.pr_n; k++)
        printf("%.17g %.17g %.17g\n", cv.pr_precision[k], cv.pr_recall[k], k + 1 < cv.pr_n ? cv.pr_thr[k] : NAN);
    mf_curves_free(&cv);
    free(y);
    free(p);
    free(s);
    return 0;
}
