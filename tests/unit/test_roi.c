/* test_roi.c: the ROI chain's geometry with exact expectations:
 *  - the crop: 0-based rows from H-Y-61, columns from X-61 (963-Y for H=1024);
 *  - clipping at the border, mdb144-style (233, 994): rows -31..88 -> 89x120;
 *  - bwlabel's column-major numbering (the FIRST component is the one met
 *    first going down the columns, not along the rows);
 *  - bwareaopen: 8-connectivity, components below the size dropped;
 *  - imcrop of the BoundingBox: one extra row and column, clipped;
 *  - none left: the crop is kept. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "core/imresize.h"
#include "core/roi.h"

static void rect(mf_img8 *m, int r0, int c0, int h, int w, uint8_t v) {
    for (int r = r0; r < r0 + h; r++)
        for (int c = c0; c < c0 + w; c++) m->px[r * m->w + c] = v;
}

int main(void) {
    mf_err e;
    mf_roi_params p;
    mf_roi_params_default(&p);
    CHECK_EQ_INT(p.size, 120);
    CHECK_EQ_INT(p.crop, 120);
    CHECK_EQ_INT(p.black_threshold, 20);
    CHECK_EQ_INT(p.min_component, 1500);

    /* A bright 1024x1024 image whose pixels encode their position: the whole
     * crop is one component, the box is the crop, the resize the identity. */
    mf_img8 img;
    mf_img8_alloc(&img, 1024, 1024);
    for (int r = 0; r < 1024; r++)
        for (int c = 0; c < 1024; c++) img.px[r * 1024 + c] = (uint8_t)(30 + (r * 7 + c * 13) % 200);
    static uint8_t out[120 * 120];
    mf_roi_trace t;
    CHECK_EQ_INT(mf_roi_extract(&img, 535, 425, &p, out, &t, &e), 0);
    CHECK_EQ_INT(t.crop_r0, 963 - 425);
    CHECK_EQ_INT(t.crop_c0, 535 - 61);
    CHECK_EQ_INT(t.crop_h, 120);
    CHECK_EQ_INT(t.crop_w, 120);
    CHECK_EQ_INT(t.box_r0, 0); CHECK_EQ_INT(t.box_c0, 0);
    CHECK_EQ_INT(t.box_h, 120); CHECK_EQ_INT(t.box_w, 120);
    CHECK_EQ_INT(t.components_kept, 1);
    int bad = 0;
    for (int r = 0; r < 120; r++)
        for (int c = 0; c < 120; c++) bad += out[r * 120 + c] != img.px[(538 + r) * 1024 + 474 + c];
    CHECK_EQ_INT(bad, 0);

    /* mdb144-style: (233, 994) -> 1-based rows -30..89 clipped to 1..89. */
    CHECK_EQ_INT(mf_roi_extract(&img, 233, 994, &p, out, &t, &e), 0);
    CHECK_EQ_INT(t.crop_r0, 0); CHECK_EQ_INT(t.crop_h, 89);
    CHECK_EQ_INT(t.crop_c0, 172); CHECK_EQ_INT(t.crop_w, 120);
    /* right/bottom border: (1000, 20) -> rows 943..1023 (81), cols 939..1023 (85) */
    CHECK_EQ_INT(mf_roi_extract(&img, 1000, 20, &p, out, &t, &e), 0);
    CHECK_EQ_INT(t.crop_r0, 943); CHECK_EQ_INT(t.crop_h, 81);
    CHECK_EQ_INT(t.crop_c0, 939); CHECK_EQ_INT(t.crop_w, 85);
    /* fully outside: an error */
    CHECK_EQ_INT(mf_roi_extract(&img, 3000, 500, &p, out, &t, &e), -1);
    mf_img8_free(&img);
    /* general height: 500 rows, Y = 100 -> first row 500 - 100 - 61 = 339 */
    mf_img8_alloc(&img, 500, 600);
    memset(img.px, 90, 500 * 600);
    CHECK_EQ_INT(mf_roi_extract(&img, 300, 100, &p, out, &t, &e), 0);
    CHECK_EQ_INT(t.crop_r0, 339); CHECK_EQ_INT(t.crop_c0, 239);
    mf_img8_free(&img);

    /* Black-part removal on a 20x20 crop, min component 10, threshold 20.
     * A: rows 0..3, cols 12..15 (first in ROW-major order);
     * B: rows 15..18, cols 2..5 (first in COLUMN-major order) -> B's box,
     * rows 15..19, cols 2..6 with imcrop's extra row and column. */
    mf_img8 cr;
    mf_img8_alloc(&cr, 20, 20);
    rect(&cr, 0, 12, 4, 4, 200);
    rect(&cr, 15, 2, 4, 4, 200);
    int r0, c0, h, w, kept;
    CHECK_EQ_INT(mf_roi_black_box(&cr, 20, 10, &r0, &c0, &h, &w, &kept, &e), 0);
    CHECK_EQ_INT(kept, 2);
    CHECK_EQ_INT(r0, 15); CHECK_EQ_INT(c0, 2); CHECK_EQ_INT(h, 5); CHECK_EQ_INT(w, 5);
    /* a 3x3 (9 px) blob further left is below the size: dropped */
    rect(&cr, 8, 0, 3, 3, 200);
    mf_roi_black_box(&cr, 20, 10, &r0, &c0, &h, &w, &kept, &e);
    CHECK_EQ_INT(kept, 2);
    CHECK_EQ_INT(r0, 15); CHECK_EQ_INT(c0, 2);
    /* the threshold is strict: 20 is background, 21 foreground */
    memset(cr.px, 20, 400);
    rect(&cr, 16, 16, 4, 4, 21);
    mf_roi_black_box(&cr, 20, 10, &r0, &c0, &h, &w, &kept, &e);
    CHECK_EQ_INT(kept, 1);
    /* touching the bottom-right corner: the extra row/column is clipped */
    CHECK_EQ_INT(r0, 16); CHECK_EQ_INT(c0, 16); CHECK_EQ_INT(h, 4); CHECK_EQ_INT(w, 4);
    /* 8-connectivity: two 3x3 blocks meeting at one corner are one 18-pixel
     * component (4-connected they would be two of 9) */
    memset(cr.px, 0, 400);
    rect(&cr, 2, 2, 3, 3, 100);
    rect(&cr, 5, 5, 3, 3, 100);
    mf_roi_black_box(&cr, 20, 18, &r0, &c0, &h, &w, &kept, &e);
    CHECK_EQ_INT(kept, 1);
    CHECK_EQ_INT(r0, 2); CHECK_EQ_INT(c0, 2); CHECK_EQ_INT(h, 7); CHECK_EQ_INT(w, 7);
    /* a U shape whose arms join only at the bottom: one component, found from
     * its left arm; an arm merging late must not split it */
    memset(cr.px, 0, 400);
    rect(&cr, 0, 1, 10, 2, 100);
    rect(&cr, 0, 8, 10, 2, 100);
    rect(&cr, 10, 1, 2, 9, 100);
    mf_roi_black_box(&cr, 20, 30, &r0, &c0, &h, &w, &kept, &e);
    CHECK_EQ_INT(kept, 1);
    CHECK_EQ_INT(r0, 0); CHECK_EQ_INT(c0, 1); CHECK_EQ_INT(h, 13); CHECK_EQ_INT(w, 10);
    /* nothing large enough: the whole crop */
    mf_roi_black_box(&cr, 20, 1000, &r0, &c0, &h, &w, &kept, &e);
    CHECK_EQ_INT(kept, 0);
    CHECK_EQ_INT(r0, 0); CHECK_EQ_INT(c0, 0); CHECK_EQ_INT(h, 20); CHECK_EQ_INT(w, 20);
    mf_img8_free(&cr);

    /* The whole chain with a narrower box: black left and right, tissue in
     * columns 30..89 of the crop -> box columns 30..90 (61, the extra column
     * is black), resized 120x61 -> 120x120. */
    mf_img8_alloc(&img, 1024, 1024);
    int x = 500, y = 500, cr0 = 963 - y, cc0 = x - 61;
    for (int r = 0; r < 1024; r++)
        for (int c = 0; c < 1024; c++) {
            int inside = c >= cc0 + 30 && c <= cc0 + 89;
            img.px[r * 1024 + c] = inside ? (uint8_t)(60 + (r * 3 + c * 5) % 150) : 0;
        }
    CHECK_EQ_INT(mf_roi_extract(&img, x, y, &p, out, &t, &e), 0);
    CHECK_EQ_INT(t.box_r0, 0); CHECK_EQ_INT(t.box_h, 120);
    CHECK_EQ_INT(t.box_c0, 30); CHECK_EQ_INT(t.box_w, 61);
    mf_img8 box, exp;
    mf_img8_alloc(&box, 120, 61);
    mf_img8_alloc(&exp, 120, 120);
    for (int r = 0; r < 120; r++)
        for (int c = 0; c < 61; c++) box.px[r * 61 + c] = img.px[(cr0 + r) * 1024 + cc0 + 30 + c];
    CHECK_EQ_INT(box.px[60], 0); /* the extra column really is the black one */
    mf_imresize_bicubic(&box, &exp, &e);
    CHECK(memcmp(exp.px, out, sizeof out) == 0);
    /* all black: no component, the crop itself (120x120) is the ROI */
    memset(img.px, 0, 1024 * 1024);
    img.px[cr0 * 1024 + cc0 + 5] = 200;
    CHECK_EQ_INT(mf_roi_extract(&img, x, y, &p, out, &t, &e), 0);
    CHECK_EQ_INT(t.components_kept, 0);
    CHECK_EQ_INT(t.box_w, 120); CHECK_EQ_INT(t.box_h, 120);
    CHECK_EQ_INT(out[5], 200);
    mf_img8_free(&box);
    mf_img8_free(&exp);
    mf_img8_free(&img);
    return check_done();
}
