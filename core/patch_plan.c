/* patch_plan.c: see patch_plan.h. */
#include "core/patch_plan.h"

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

void mf_plan_fill(const mf_plan_params *p, const mf_roiset *s, mf_patch *out) {
    int64_t k = 0;
    for (int sp = 0; sp < 3; sp++)
        for (int i = 0; i < s->n; i++) {
            const mf_roi_meta *m = &s->meta[i];
            if (m->split != sp) continue;
            int nd = draws_of(p, m), ng = grid_of(p, m);
            for (int d = 0; d < nd; d++, k++) {
                int r, c;
                mf_plan_draw_offsets(p, s->size, i, d, &r, &c);
                out[k] = (mf_patch){i, d, (uint8_t)r, (uint8_t)c, m->split, m->label, MF_PATCH_DRAW};
            }
            for (int g = 0; g < ng; g++, k++)
                out[k] = (mf_patch){i, g, (uint8_t)(g / p->grid_n * p->grid_stride),
                                    (uint8_t)(g % p->grid_n * p->grid_stride), m->split, m->label, MF_PATCH_GRID};
        }
}

void mf_plan_split_range(const mf_patch *plan, int64_t n, int sp, int64_t *first, int64_t *count) {
    int64_t a = 0;
    while (a < n && plan[a].split < sp) a++;
    int64_t b = a;
    while (b < n && plan[b].split == sp) b++;
    *first = a;
    *count = b - a;
}
