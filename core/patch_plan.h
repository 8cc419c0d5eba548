/* patch_plan.h: which 72x72 patches of which ROIs the feature store holds.
 * A pure function of (seed, ROI set, parameters): every patch's offsets come
 * from the counter-based generator keyed by (seed, ROI, draw index), so the
 * plan never depends on ranks, batches or resumption.
 *   draws: offsets uniform in 0..(roi_side - side - 1) on each axis, with
 *          replacement (randperm(48,1) in the authors' code: 0..47), tumor_draws
 *          per Tumor ROI and normal_draws per Normal ROI, for the ROIs of the
 *          splits in draw_splits;
 *   grid:  the fixed 5x5 grid, offsets 0, 12, 24, 36, 48, for the ROIs of the
 *          splits in grid_splits (the test split by default; all of them for
 *          cross-validation).
 * Order: split (train, val, test), then ROI, then its draws, then its grid,
 * so each split is one contiguous range of rows. */
#ifndef MF_PATCH_PLAN_H
#define MF_PATCH_PLAN_H
#include <stdint.h>

#include "core/err.h"
#include "core/roiset.h"

enum { MF_PATCH_DRAW = 0, MF_PATCH_GRID = 1 };

typedef struct mf_plan_params {
    uint64_t seed;
    int side;          /* patch side, 72 */
    int tumor_draws;   /* 2000 (paper), 1001 (released code) */
    int normal_draws;  /* 500, 251 */
    int grid_n;        /* 5: a grid_n x grid_n grid */
    int grid_stride;   /* 12 */
    unsigned draw_splits; /* bit s: draws for split s */
    unsigned grid_splits; /* bit s: grid for split s */
} mf_plan_params;

/* The split bits of a patches.draws_for / grid_for value (MF_SPLITS_*:
 * all, trainval, test, none). */
unsigned mf_plan_split_mask(int splits);

typedef struct mf_patch {
    int32_t roi;   /* index in the ROI set */
    int32_t draw;  /* draw index, or grid cell index for grid patches */
    uint8_t row, col; /* top-left offset in the ROI */
    uint8_t split, label, kind; /* kind: MF_PATCH_* */
    uint8_t reserved[3];          /* always 0: no hidden padding, so plans compare with memcmp */
} mf_patch;

/* Checks the parameters against the ROI side. */
int mf_plan_check(const mf_plan_params *p, int roi_side, mf_err *e);

/* Number of patches of the plan. */
int64_t mf_plan_count(const mf_plan_params *p, const mf_roiset *s);

/* The plan as segments, one per ROI that has patches, in plan order: what
 * rows [first, first + n_draws + n_grid) hold. Lets a rank make any range of
 * rows without holding the whole plan (memory by ROI count, not patches). */
typedef struct mf_plan_segment {
    int64_t first;
    int32_t roi;
    int32_t n_draws, n_grid;
} mf_plan_segment;

/* segs: room for s->n entries; returns how many were written. */
int mf_plan_segments(const mf_plan_params *p, const mf_roiset *s, mf_plan_segment *segs);

/* Rows [first, first + count) of the plan into out. */
void mf_plan_rows(const mf_plan_params *p, const mf_roiset *s, const mf_plan_segment *segs, int nseg, int64_t first,
                  int64_t count, mf_patch *out);

/* Writes all mf_plan_count() patches into out. */
void mf_plan_fill(const mf_plan_params *p, const mf_roiset *s, mf_patch *out);

/* The offsets of draw d of ROI r (what mf_plan_fill uses). */
void mf_plan_draw_offsets(const mf_plan_params *p, int roi_side, int32_t roi, int32_t draw, int *row, int *col);

/* First row and row count of split sp in a plan made by mf_plan_fill. */
void mf_plan_split_range(const mf_patch *plan, int64_t n, int sp, int64_t *first, int64_t *count);

#endif
