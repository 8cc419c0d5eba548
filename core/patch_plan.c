/* patch_plan.c: see patch_plan.h. */
#include "core/patch_plan.h"

#include <stdlib.h>

#include "core/rng.h"

int mf_plan_check(const mf_plan_params *p, int roi_side, mf_err *e) {
    if (p->side < 8 || p->side > roi_side)
        return mf_fail(e, "patches.side: %d, expected 8..%d (the ROI side)", p->side, roi_side);
    if (p->grid_n < 1 || (p->grid_n - 1) * p->grid_stride + p->side > roi_side)
        return mf_fail(e, "patches.grid: %d x %d with stride %d does not fit a %d-pixel ROI with %d-pixel patches",
                       p->grid_n, p->grid_n, p->grid_stride, roi_side, p->side);
    if (roi_side - p->side > 255) return mf_fail(e, "patches.side: offsets above 255 are not supported");
    return 0;
}

static int draws_of(const mf_plan_params *p, const mf_roi_meta *m) {
    if (!(p->draw_splits >> m->split & 1u)) return 0;
    return m->label ? p->tumor_draws : p->normal_draws;
}

static int grid_of(const mf_plan_params *p, const mf_roi_meta *m) {
    return (p->grid_splits >> m->split & 1u) ? p->grid_n * p->grid_n : 0;
}

int64_t mf_plan_count(const mf_plan_params *p, const mf_roiset *s) {
    int64_t n = 0;
    for (int i = 0; i < s->n; i++) n += draws_of(p, &s->meta[i]) + grid_of(p, &s->meta[i]);
    return n;
}

void mf_plan_draw_offsets(const mf_plan_params *p, int roi_side, int32_t roi, int32_t draw, int *row, int *col) {
    uint32_t range = (uint32_t)(roi_side - p->side);
    uint64_t key = ((uint64_t)(uint32_t)roi << 32 | (uint32_t)draw) << 1;
    *row = range ? (int)mf_rng_below(p->seed, MF_STREAM_PATCH, key, range) : 0;
    *col = range ? (int)mf_rng_below(p->seed, MF_STREAM_PATCH, key | 1u, range) : 0;
}

int mf_plan_segments(const mf_plan_params *p, const mf_roiset *s, mf_plan_segment *segs) {
    int nseg = 0;
    int64_t k = 0;
    for (int sp = 0; sp < 3; sp++)
        for (int i = 0; i < s->n; i++) {
            const mf_roi_meta *m = &s->meta[i];
            if (m->split != sp) continue;
            int nd = draws_of(p, m), ng = grid_of(p, m);
            if (!nd && !ng) continue;
            segs[nseg++] = (mf_plan_segment){k, i, nd, ng};
            k += nd + ng;
        }
    return nseg;
}

void mf_plan_rows(const mf_plan_params *p, const mf_roiset *s, const mf_plan_segment *segs, int nseg, int64_t first,
                  int64_t count, mf_patch *out) {
    /* the last segment starting at or before `first` */
    int lo = 0, hi = nseg - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (segs[mid].first <= first) lo = mid;
        else hi = mid - 1;
    }
    int64_t row = first;
    for (int g = lo; g < nseg && row < first + count; g++) {
        const mf_plan_segment *sg = &segs[g];
        const mf_roi_meta *m = &s->meta[sg->roi];
        for (int64_t j = row - sg->first; j < sg->n_draws + sg->n_grid && row < first + count; j++, row++) {
            mf_patch *o = &out[row - first];
            if (j < sg->n_draws) {
                int r, c;
                mf_plan_draw_offsets(p, s->size, sg->roi, (int32_t)j, &r, &c);
                *o = (mf_patch){sg->roi, (int32_t)j, (uint8_t)r, (uint8_t)c, m->split, m->label, MF_PATCH_DRAW, {0, 0, 0}};
            } else {
                int cell = (int)(j - sg->n_draws);
                *o = (mf_patch){sg->roi, cell, (uint8_t)(cell / p->grid_n * p->grid_stride),
                                (uint8_t)(cell % p->grid_n * p->grid_stride), m->split, m->label, MF_PATCH_GRID, {0, 0, 0}};
            }
        }
    }
}

void mf_plan_fill(const mf_plan_params *p, const mf_roiset *s, mf_patch *out) {
    mf_plan_segment *segs = malloc(sizeof *segs * (size_t)(s->n ? s->n : 1));
    if (!segs) return;
    int nseg = mf_plan_segments(p, s, segs);
    mf_plan_rows(p, s, segs, nseg, 0, mf_plan_count(p, s), out);
    free(segs);
}

void mf_plan_split_range(const mf_patch *plan, int64_t n, int sp, int64_t *first, int64_t *count) {
    int64_t a = 0;
    while (a < n && plan[a].split < sp) a++;
    int64_t b = a;
    while (b < n && plan[b].split == sp) b++;
    *first = a;
    *count = b - a;
}

unsigned mf_plan_split_mask(int splits) {
    static const unsigned masks[4] = {7u, 3u, 4u, 0u}; /* all, trainval, test, none */
    return splits >= 0 && splits < 4 ? masks[splits] : 0u;
}
