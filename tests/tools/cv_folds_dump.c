/* cv_folds_dump.c: the cross-validation folds of a rois.h5 (core/cv_folds.h)
 * for the shell tests: `cv_folds_dump ROIS.h5 FOLDS SEED` prints
 * "max_folds M CLASS" and then one line per ROI "roi woman_id class fold". */
#include <stdio.h>
#include <stdlib.h>

#include "core/cv_folds.h"
#include "io/rois_store.h"

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: cv_folds_dump ROIS.h5 FOLDS SEED\n");
        return 2;
    }
    mf_err e;
    mf_roiset s;
    if (mf_rois_read(argv[1], &s, NULL, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    int cls, most = mf_cv_max_folds(s.meta, s.n, &cls, &e);
    int *fold = malloc(sizeof(int) * (size_t)s.n);
    if (most < 0 || !fold || mf_cv_assign(s.meta, s.n, atoi(argv[2]), (uint64_t)atoll(argv[3]), fold, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    printf("max_folds %d %d\n", most, cls);
    for (int i = 0; i < s.n; i++) printf("%d %d %d %d\n", i, s.meta[i].woman_id, s.meta[i].cls, fold[i]);
    free(fold);
    mf_roiset_free(&s);
    return 0;
}
