/* test_breast.c: the breast mask and the Normal ROI centre on synthetic
 * images with known answers:
 *  - mask: a bright half-disc "breast" with a dark hole (filled), a separate
 *    bright "label" (not the largest component: dropped), isolated noise
 *    pixels (removed by the median), background 0;
 *  - centres: the window of the returned (x, y), cut by mf_roi_extract's
 *    formula, lies fully inside the mask; the number of candidates equals a
 *    brute-force count; the choice is the k-th candidate in row-major order
 *    with k = mf_rng_below(seed, MF_STREAM_NORMAL_POS, id, count); the same
 *    (seed, id) gives the same centre, other seeds or ids move it;
 *  - fallback: a breast narrower than the crop -> the window holding all of it;
 *  - errors: no breast at all, image smaller than the crop. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/breast.h"
#include "core/rng.h"

static void make_breast(mf_img8 *img) {
    const int h = img->h, w = img->w;
    memset(img->px, 0, (size_t)h * w);
    for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++) {
            long dr = r - h / 2, dc = c;
            if (dr * dr + dc * dc < 200L * 200) img->px[r * w + c] = (uint8_t)(120 + (r + c) % 50);
        }
    for (int r = 140; r < 160; r++) /* a dark hole inside */
        for (int c = 60; c < 80; c++) img->px[r * w + c] = 3;
    for (int r = 10; r < 30; r++) /* a label, 400 px */
        for (int c = 250; c < 270; c++) img->px[r * w + c] = 250;
    img->px[5 * w + 200] = 255; /* lone noise pixels */
    img->px[290 * w + 280] = 200;
}

int main(void) {
    mf_err e;
    mf_img8 img;
    mf_img8_alloc(&img, 300, 300);
    make_breast(&img);
    uint8_t *mask = malloc(300 * 300);
    CHECK_EQ_INT(mf_breast_mask(&img, 20, mask, &e), 0);
    CHECK_EQ_INT(mask[150 * 300 + 10], 1);  /* tissue */
    CHECK_EQ_INT(mask[150 * 300 + 70], 1);  /* the hole, filled */
    CHECK_EQ_INT(mask[20 * 300 + 260], 0);  /* the label */
    CHECK_EQ_INT(mask[5 * 300 + 200], 0);   /* noise */
    CHECK_EQ_INT(mask[150 * 300 + 250], 0); /* background */
    /* the mask is exactly the disc, away from its rim, except the two image
     * corners it covers: the zero-padded median sees 4 tissue pixels of 9 there */
    CHECK_EQ_INT(mask[0], 0);
    CHECK_EQ_INT(mask[299 * 300], 0);
    CHECK_EQ_INT(mask[1], 1);
    mask[0] = mask[299 * 300] = 1;
    int bad = 0;
    for (int r = 0; r < 300; r++)
        for (int c = 0; c < 300; c++) {
            long d2 = (long)(r - 150) * (r - 150) + (long)c * c;
            if (d2 < 197L * 197) bad += mask[r * 300 + c] != 1;
            else if (d2 > 203L * 203) bad += mask[r * 300 + c] != 0;
        }
    CHECK_EQ_INT(bad, 0);
    mask[0] = mask[299 * 300] = 0;

    /* brute-force candidates for a 60 crop on this mask */
    mf_roi_params p;
    mf_roi_params_default(&p);
    p.crop = 60;
    long brute = 0;
    static int cand_r[300 * 300], cand_c[300 * 300];
    for (int r0 = 0; r0 + 60 <= 300; r0++)
        for (int c0 = 0; c0 + 60 <= 300; c0++) {
            int ok = 1;
            for (int r = r0; r < r0 + 60 && ok; r++)
                for (int c = c0; c < c0 + 60; c++)
                    if (!mask[r * 300 + c]) { ok = 0; break; }
            if (ok) { cand_r[brute] = r0; cand_c[brute] = c0; brute++; }
        }
    CHECK(brute > 1000);
    int moved = 0, x0 = 0, y0 = 0;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        int x, y;
        long n;
        CHECK_EQ_INT(mf_normal_centre_info(&img, &p, seed, 7, &x, &y, &n, &e), 0);
        CHECK_EQ_INT(n, brute);
        long k = mf_rng_below(seed, MF_STREAM_NORMAL_POS, 7, (uint32_t)brute);
        int r0 = 300 - y - 31, c0 = x - 31; /* mf_roi_extract's crop for 60 */
        CHECK_EQ_INT(r0, cand_r[k]);
        CHECK_EQ_INT(c0, cand_c[k]);
        int inside = 1;
        for (int r = r0; r < r0 + 60; r++)
            for (int c = c0; c < c0 + 60; c++) inside &= r >= 0 && c >= 0 && r < 300 && c < 300 && mask[r * 300 + c];
        CHECK(inside);
        if (seed == 1) { x0 = x; y0 = y; }
        else moved += x != x0 || y != y0;
    }
    CHECK(moved >= 15);
    int xa, ya, xb, yb;
    mf_normal_centre(&img, &p, 5, 7, &xa, &ya, &e);
    mf_normal_centre(&img, &p, 5, 7, &xb, &yb, &e);
    CHECK(xa == xb && ya == yb);
    mf_normal_centre(&img, &p, 5, 8, &xb, &yb, &e);
    CHECK(xa != xb || ya != yb);
    /* with the default 120 crop the windows still fit in this disc */
    mf_roi_params_default(&p);
    long n120;
    CHECK_EQ_INT(mf_normal_centre_info(&img, &p, 3, 1, &xa, &ya, &n120, &e), 0);
    CHECK(n120 > 0 && n120 < brute);

    /* Fallback: a 40x40 breast in a 200x200 image, 60 crop: no window fits;
     * the chosen one holds the whole square (1600 breast pixels). */
    mf_img8 small;
    mf_img8_alloc(&small, 200, 200);
    for (int r = 80; r < 120; r++)
        for (int c = 100; c < 140; c++) small.px[r * 200 + c] = 100;
    p.crop = 60;
    long n;
    int x, y;
    CHECK_EQ_INT(mf_normal_centre_info(&small, &p, 11, 3, &x, &y, &n, &e), 0);
    CHECK_EQ_INT(n, 0);
    int r0 = 200 - y - 31, c0 = x - 31;
    CHECK(r0 >= 60 && r0 <= 80 && c0 >= 80 && c0 <= 100);
    CHECK(r0 + 60 <= 200 && c0 + 60 <= 200);

    /* Errors: nothing above the threshold; image smaller than the crop. */
    memset(small.px, 20, 200 * 200);
    CHECK_EQ_INT(mf_normal_centre(&small, &p, 1, 1, &x, &y, &e), -1);
    p.crop = 250;
    CHECK_EQ_INT(mf_normal_centre(&small, &p, 1, 1, &x, &y, &e), -1);

    free(mask);
    mf_img8_free(&small);
    mf_img8_free(&img);
    return check_done();
}
