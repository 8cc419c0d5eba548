/* rois_dump.c: prints what a rois.h5 holds, for the shell tests:
 *   n <N> size <S>
 *   class <normal> <benign> <malignant> <tumor>
 *   split <train> <val> <test>
 *   split_class <train: n b m t> <val: ...> <test: ...>
 * and with -v one line per ROI: index image_id woman_id x y label class split severity sum_of_pixels */
#include <stdio.h>
#include <string.h>

#include "io/rois_store.h"

int main(int argc, char **argv) {
    int verbose = argc > 2 && !strcmp(argv[1], "-v");
    const char *path = argv[argc - 1];
    if (argc < 2) {
        fprintf(stderr, "usage: rois_dump [-v] rois.h5\n");
        return 2;
    }
    mf_roiset s;
    mf_err e;
    if (mf_rois_read(path, &s, NULL, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    int counts[3][MF_ROI_NCLASS];
    mf_roiset_counts(&s, counts);
    printf("n %d size %d\nclass", s.n, s.size);
    for (int k = 0; k < MF_ROI_NCLASS; k++) printf(" %d", counts[0][k] + counts[1][k] + counts[2][k]);
    printf("\nsplit");
    for (int sp = 0; sp < 3; sp++) {
        int t = 0;
        for (int k = 0; k < MF_ROI_NCLASS; k++) t += counts[sp][k];
        printf(" %d", t);
    }
    printf("\nsplit_class");
    for (int sp = 0; sp < 3; sp++)
        for (int k = 0; k < MF_ROI_NCLASS; k++) printf(" %d", counts[sp][k]);
    printf("\n");
    for (int i = 0; verbose && i < s.n; i++) {
        const mf_roi_meta *m = &s.meta[i];
        long sum = 0;
        for (int p = 0; p < s.size * s.size; p++) sum += s.images[(size_t)i * s.size * s.size + p];
        printf("%d %d %d %d %d %d %d %d %c %ld\n", i, m->image_id, m->woman_id, m->x, m->y, m->label, m->cls,
               m->split, m->severity, sum);
    }
    mf_roiset_free(&s);
    return 0;
}
