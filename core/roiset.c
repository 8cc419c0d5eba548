/* roiset.c: see roiset.h. */
#include "core/roiset.h"

#include <stdlib.h>
#include <string.h>

int mf_roiset_alloc(mf_roiset *s, int n, int size) {
    s->n = n;
    s->size = size;
    s->images = calloc((size_t)(n > 0 ? n : 1) * (size_t)size * (size_t)size, 1);
    s->meta = calloc((size_t)(n > 0 ? n : 1), sizeof *s->meta);
    if (!s->images || !s->meta) {
        mf_roiset_free(s);
        return -1;
    }
    return 0;
}

void mf_roiset_free(mf_roiset *s) {
    free(s->images);
    free(s->meta);
    memset(s, 0, sizeof *s);
}

void mf_roiset_counts(const mf_roiset *s, int counts[3][MF_ROI_NCLASS]) {
    memset(counts, 0, sizeof(int[3][MF_ROI_NCLASS]));
    for (int i = 0; i < s->n; i++)
        if (s->meta[i].split < 3 && s->meta[i].cls < MF_ROI_NCLASS) counts[s->meta[i].split][s->meta[i].cls]++;
}
