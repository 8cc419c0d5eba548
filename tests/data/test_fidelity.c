/* test_fidelity.c: the real-data oracle for the ROI chain. Builds the 119
 * Tumor ROIs (Info.txt rows with coordinates) from the MIAS archive with
 * mf_medfilt3 -> mf_clahe -> mf_roi_extract and compares them with the 119
 * "Tumor (k).png" the authors released (their MATLAB output). The release
 * lost the image ids, so each released ROI is paired one-to-one with a
 * computed one: GREEDY on the mean-absolute-difference (MAD) matrix, the
 * globally closest unpaired pair first (ties: lower released index, then lower
 * row). Bit-identical pairs are therefore always paired with each other.
 * Prints the MAD distribution and the worst pairs with a diagnosis; fails
 * (never skips) when the data is missing.
 * Reference (paper/FACTS.md): an independent reimplementation got 43 exact,
 * 80 <= 0.5, 90 <= 1.0, 104 <= 3.0, median 0.021. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/clahe.h"
#include "core/medfilt.h"
#include "core/roi.h"
#include "io/mias_info.h"
#include "io/pgm.h"
#include "io/roi_folder.h"

#define S 120
#define NMAX 256

/* The ROIs FACTS.md lists as explained by the input (this archive's copy of
 * the image differs from the authors'), with the lesion when an image has two. */
static int known_input_difference(const mf_info_row *row, int lesion) {
    static const int ids[] = {270, 124, 214, 175, 144, 186, 213, 223, 239};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (row->image_id == ids[i]) return 1;
    return row->image_id == 249 && lesion == 2;
}

/* The first and last CLAHE tile (8 per axis, side t, image side n) whose
 * mapping reaches pixel i: the outer half tiles use the edge tile only. */
static int tile_lo(int i, int t, int n) {
    if (i < t / 2) return 0;
    if (i >= n - t / 2) return 7;
    return (i - t / 2) / t;
}
static int tile_hi(int i, int t, int n) {
    if (i < t / 2) return 0;
    if (i >= n - t / 2) return 7;
    return (i - t / 2) / t + 1;
}

typedef struct pair { double mad; int rel, comp; } pair;

static int cmp_pair(const void *a, const void *b) {
    const pair *x = a, *y = b;
    if (x->mad != y->mad) return x->mad < y->mad ? -1 : 1;
    if (x->rel != y->rel) return x->rel - y->rel;
    return x->comp - y->comp;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void) {
    const char *data = getenv("MAMMOFUSE_DATA");
    CHECK_MSG(data != NULL, "MAMMOFUSE_DATA is not set: the real-data test cannot run");
    if (!data) return check_done();
    char path[4096];
    mf_err e = {{0}};

    mf_info_row *rows = NULL;
    int nrows = 0;
    snprintf(path, sizeof path, "%s/mias/Info.txt", data);
    int rc = mf_info_read(path, &rows, &nrows, &e);
    CHECK_MSG(rc == 0, "%s", e.msg);
    if (rc) return check_done();

    /* The computed ROIs, one per row with coordinates, in Info.txt order. */
    static uint8_t comp[NMAX][S * S];
    static mf_roi_trace tr[NMAX];
    static int row_of[NMAX], lesion_of[NMAX];
    static long zeros_crop[NMAX], zeros_tiles[NMAX];
    int nc = 0;
    mf_roi_params p;
    mf_roi_params_default(&p);
    mf_img8 raw = {0}, med = {0}, pre = {0};
    int loaded = -1;
    for (int i = 0; i < nrows && nc < NMAX; i++) {
        if (!rows[i].has_xy) continue;
        if (rows[i].image_id != loaded) {
            mf_img8_free(&raw);
            mf_img8_free(&med);
            mf_img8_free(&pre);
            snprintf(path, sizeof path, "%s/mias/%s.pgm", data, rows[i].ref);
            rc = mf_pgm_read(path, &raw, &e);
            CHECK_MSG(rc == 0, "%s", e.msg);
            if (rc) return check_done();
            if (mf_img8_alloc(&med, raw.h, raw.w) || mf_img8_alloc(&pre, raw.h, raw.w)) return 2;
            mf_medfilt3(&raw, &med);
            rc = mf_clahe(&med, &pre, &e);
            CHECK_MSG(rc == 0, "%s: %s", rows[i].ref, e.msg);
            if (rc) return check_done();
            loaded = rows[i].image_id;
        }
        int lesion = 1;
        for (int j = 0; j < nc; j++) lesion += rows[row_of[j]].image_id == rows[i].image_id;
        rc = mf_roi_extract(&pre, rows[i].x, rows[i].y, &p, comp[nc], &tr[nc], &e);
        CHECK_MSG(rc == 0, "%s (%d, %d): %s", rows[i].ref, rows[i].x, rows[i].y, e.msg);
        if (rc) continue;
        /* Diagnosis: flat black (0) in the raw crop, or elsewhere in the
         * CLAHE tiles whose mappings the crop's pixels blend (rows and columns
         * within half a tile of a tile centre line use both neighbours). */
        {
            const int th = raw.h / 8, tw = raw.w / 8;
            int ty0 = tile_lo(tr[nc].crop_r0, th, raw.h), ty1 = tile_hi(tr[nc].crop_r0 + tr[nc].crop_h - 1, th, raw.h);
            int tx0 = tile_lo(tr[nc].crop_c0, tw, raw.w), tx1 = tile_hi(tr[nc].crop_c0 + tr[nc].crop_w - 1, tw, raw.w);
            for (int r = ty0 * th; r < (ty1 + 1) * th; r++)
                for (int c = tx0 * tw; c < (tx1 + 1) * tw; c++) {
                    if (raw.px[(size_t)r * raw.w + c]) continue;
                    int inr = r >= tr[nc].crop_r0 && r < tr[nc].crop_r0 + tr[nc].crop_h;
                    int inc = c >= tr[nc].crop_c0 && c < tr[nc].crop_c0 + tr[nc].crop_w;
                    if (inr && inc) zeros_crop[nc]++;
                    else zeros_tiles[nc]++;
                }
        }
        row_of[nc] = i;
        lesion_of[nc] = lesion;
        nc++;
    }
    mf_img8_free(&raw);
    mf_img8_free(&med);
    mf_img8_free(&pre);
    CHECK_EQ_INT(nc, 119);

    mf_released_roi *rel = NULL;
    int nrel_all = 0;
    snprintf(path, sizeof path, "%s/mias-rois", data);
    rc = mf_released_read(path, &rel, &nrel_all, &e);
    CHECK_MSG(rc == 0, "%s", e.msg);
    if (rc) return check_done();
    static int relidx[NMAX];
    int nr = 0;
    for (int i = 0; i < nrel_all && nr < NMAX; i++)
        if (rel[i].label == 1 && rel[i].img.h == S && rel[i].img.w == S) relidx[nr++] = i;
    CHECK_EQ_INT(nr, 119);

    /* MAD matrix, then greedy one-to-one pairing. */
    pair *pairs = malloc(sizeof(pair) * (size_t)nr * nc);
    if (!pairs) return 2;
    for (int a = 0; a < nr; a++) {
        const uint8_t *q = rel[relidx[a]].img.px;
        for (int b = 0; b < nc; b++) {
            long s = 0;
            for (int k = 0; k < S * S; k++) s += abs((int)q[k] - (int)comp[b][k]);
            pairs[(size_t)a * nc + b] = (pair){(double)s / (S * S), a, b};
        }
    }
    qsort(pairs, (size_t)nr * nc, sizeof(pair), cmp_pair);
    static int rel_to[NMAX], comp_used[NMAX];
    static double mad[NMAX];
    for (int a = 0; a < nr; a++) rel_to[a] = -1;
    int npaired = 0;
    for (size_t k = 0; k < (size_t)nr * nc && npaired < nr && npaired < nc; k++) {
        const pair *q = &pairs[k];
        if (rel_to[q->rel] >= 0 || comp_used[q->comp]) continue;
        rel_to[q->rel] = q->comp;
        comp_used[q->comp] = 1;
        mad[q->rel] = q->mad;
        npaired++;
    }
    free(pairs);

    int exact = 0, le05 = 0, le1 = 0, le3 = 0;
    static double sorted[NMAX];
    for (int a = 0; a < npaired; a++) {
        exact += mad[a] == 0;
        le05 += mad[a] <= 0.5;
        le1 += mad[a] <= 1.0;
        le3 += mad[a] <= 3.0;
        sorted[a] = mad[a];
    }
    qsort(sorted, (size_t)npaired, sizeof(double), cmp_double);
    double median = npaired ? (npaired % 2 ? sorted[npaired / 2]
                                           : 0.5 * (sorted[npaired / 2 - 1] + sorted[npaired / 2]))
                            : 1e9;
    printf("fidelity: %d released Tumor ROIs paired with %d computed (greedy on MAD)\n", npaired, nc);
    printf("fidelity: exact %d, <=0.5 %d, <=1.0 %d, <=3.0 %d, median MAD %.4f\n", exact, le05, le1,
           le3, median);
    printf("fidelity: reference (FACTS.md): exact 43, <=0.5 80, <=1.0 90, <=3.0 104, median 0.021\n");

    /* The worst pairs, worst first, with what tells them apart. */
    static int order[NMAX];
    for (int a = 0; a < npaired; a++) order[a] = a;
    for (int a = 0; a < npaired; a++)
        for (int b = a + 1; b < npaired; b++)
            if (mad[order[b]] > mad[order[a]]) { int t = order[a]; order[a] = order[b]; order[b] = t; }
    printf("fidelity: pairs with MAD > 1.0, worst first:\n");
    for (int k = 0; k < npaired && mad[order[k]] > 1.0; k++) {
        int a = order[k], b = rel_to[a];
        const mf_info_row *r = &rows[row_of[b]];
        const mf_released_roi *q = &rel[relidx[a]];
        const char *why = known_input_difference(r, lesion_of[b])
                              ? "input: archive image differs from the authors' (FACTS.md)"
                          : zeros_crop[b] ? "hint: flat black (0) inside the crop"
                          : zeros_tiles[b] ? "hint: flat black (0) in a CLAHE tile it uses"
                                           : "unexplained: no flat black near it";
        printf("  %s lesion %d (%s %c, x %d y %d) vs %s/Tumor (%d).png: MAD %.3f; crop %dx%d, box %dx%d, "
               "%d comp.; zero px: crop %ld, its CLAHE tiles %ld -> %s\n",
               r->ref, lesion_of[b], r->cls, r->severity, r->x, r->y,
               q->split == MF_SPLIT_TRAIN ? "train" : q->split == MF_SPLIT_VAL ? "val" : "test", q->k,
               mad[a], tr[b].crop_h, tr[b].crop_w, tr[b].box_h, tr[b].box_w, tr[b].components_kept,
               zeros_crop[b], zeros_tiles[b], why);
    }

    /* Thresholds: FACTS asks median <= 1.0 and >= 100 within 3.0; the exact
     * and <= 1.0 floors are what this implementation reaches (see report). */
    CHECK_EQ_INT(npaired, 119);
    CHECK(median <= 1.0);
    CHECK(le3 >= 100);
    CHECK(exact >= 43);
    CHECK(le05 >= 80);
    CHECK(le1 >= 90);

    mf_released_free(rel, nrel_all);
    free(rows);
    return check_done();
}
