/* test_imresize.c: mf_imresize_bicubic against values worked by hand from
 * MATLAB's imresize rules, and against a plain double-precision transcription
 * of contributions()/resizeAlongDim() written here, for the axis order and
 * the rounding between the two passes.
 * Hand cases (cubic(x): 1.5|x|^3 - 2.5|x|^2 + 1 on |x| <= 1, -0.5|x|^3 +
 * 2.5|x|^2 - 4|x| + 2 on 1 < |x| <= 2):
 *  [100 200] -> 4: u = 0.75, 1.25, 1.75, 2.25; output 1 = 1.09375 a -
 *    0.09375 b (mirrored indices) = 90.625 -> 91; output 2 = 0.796875 a +
 *    0.203125 b = 120.3125 -> 120; by symmetry 180, 209.
 *  [10 20 30 40] -> 2 (scale 1/2, kernel stretched to width 8): output 1 =
 *    0.546875*10 + 0.3984375*20 + 0.1015625*30 - 0.046875*40 = 14.609375 -> 15,
 *    output 2 = 35.390625 -> 35. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "core/imresize.h"

static double cubic(double x) {
    double a = fabs(x);
    if (a <= 1) return 1.5 * a * a * a - 2.5 * a * a + 1;
    if (a <= 2) return -0.5 * a * a * a + 2.5 * a * a - 4 * a + 2;
    return 0;
}

static int mirror(int j, int n) { /* 1-based j -> 0-based, symmetric */
    while (j < 1 || j > n) j = j < 1 ? 1 - j : 2 * n + 1 - j;
    return j - 1;
}

/* One axis of length n -> m over "lines" with stride: direct transcription. */
static void ref_axis(const uint8_t *in, int n, int m, int lines, int step_line, int step_el,
                     int ostep_line, int ostep_el, uint8_t *out) {
    double scale = (double)m / n, kw = scale < 1 ? 4 / scale : 4;
    for (int x = 1; x <= m; x++) {
        double u = x / scale + 0.5 * (1 - 1 / scale);
        int left = (int)floor(u - kw / 2), P = (int)ceil(kw) + 2;
        double w[64], sum = 0;
        for (int k = 0; k < P; k++) {
            double d = u - (left + k);
            w[k] = scale < 1 ? scale * cubic(scale * d) : cubic(d);
            sum += w[k];
        }
        for (int l = 0; l < lines; l++) {
            double s = 0;
            for (int k = 0; k < P; k++) s += w[k] / sum * in[l * step_line + mirror(left + k, n) * step_el];
            s = s < 0 ? 0 : s > 255 ? 255 : s;
            out[l * ostep_line + (x - 1) * ostep_el] = (uint8_t)floor(s + 0.5);
        }
    }
}

static void ref_resize(const mf_img8 *in, int nh, int nw, int cols_first, uint8_t *out) {
    static uint8_t mid[256 * 256];
    if (cols_first) {
        ref_axis(in->px, in->w, nw, in->h, in->w, 1, nw, 1, mid);     /* h x nw */
        ref_axis(mid, in->h, nh, nw, 1, nw, 1, nw, out);              /* nh x nw */
    } else {
        ref_axis(in->px, in->h, nh, in->w, 1, in->w, 1, in->w, mid);  /* nh x w */
        ref_axis(mid, in->w, nw, nh, in->w, 1, nw, 1, out);
    }
}

static uint32_t lcg(uint32_t *s) { *s = *s * 1664525u + 1013904223u; return *s >> 24; }

int main(void) {
    mf_err e;
    mf_img8 a, o;
    /* [100 200] -> 4, as a row and as a column. */
    mf_img8_alloc(&a, 1, 2);
    a.px[0] = 100; a.px[1] = 200;
    mf_img8_alloc(&o, 1, 4);
    CHECK_EQ_INT(mf_imresize_bicubic(&a, &o, &e), 0);
    CHECK_EQ_INT(o.px[0], 91); CHECK_EQ_INT(o.px[1], 120); CHECK_EQ_INT(o.px[2], 180); CHECK_EQ_INT(o.px[3], 209);
    mf_img8_free(&o);
    a.h = 2; a.w = 1;
    mf_img8_alloc(&o, 4, 1);
    CHECK_EQ_INT(mf_imresize_bicubic(&a, &o, &e), 0);
    CHECK_EQ_INT(o.px[0], 91); CHECK_EQ_INT(o.px[1], 120); CHECK_EQ_INT(o.px[2], 180); CHECK_EQ_INT(o.px[3], 209);
    mf_img8_free(&o);
    /* [0 160] -> 4: the undershoot -15 saturates to 0. */
    a.px[0] = 0; a.px[1] = 160;
    mf_img8_alloc(&o, 4, 1);
    mf_imresize_bicubic(&a, &o, &e);
    CHECK_EQ_INT(o.px[0], 0); CHECK_EQ_INT(o.px[3], 175);
    mf_img8_free(&o);
    mf_img8_free(&a);
    /* [10 20 30 40] -> 2 with antialiasing. */
    mf_img8_alloc(&a, 1, 4);
    a.px[0] = 10; a.px[1] = 20; a.px[2] = 30; a.px[3] = 40;
    mf_img8_alloc(&o, 1, 2);
    CHECK_EQ_INT(mf_imresize_bicubic(&a, &o, &e), 0);
    CHECK_EQ_INT(o.px[0], 15); CHECK_EQ_INT(o.px[1], 35);
    mf_img8_free(&o);
    mf_img8_free(&a);

    /* Same size is the identity. */
    uint32_t seed = 7;
    mf_img8_alloc(&a, 120, 120);
    mf_img8_alloc(&o, 120, 120);
    for (int i = 0; i < 120 * 120; i++) a.px[i] = (uint8_t)lcg(&seed);
    mf_imresize_bicubic(&a, &o, &e);
    CHECK(memcmp(a.px, o.px, 120 * 120) == 0);
    mf_img8_free(&a);
    mf_img8_free(&o);

    /* Against the transcription, including shapes where the axis order
     * matters (one axis shrinks, the other grows; rounding between passes). */
    static const int shapes[][4] = {{120, 62, 120, 120}, {89, 120, 120, 120}, {37, 50, 120, 120},
                                    {120, 120, 60, 90}, {50, 30, 20, 70}, {64, 64, 100, 40},
                                    {40, 40, 17, 17}, {5, 200, 30, 33}};
    int order_mattered = 0;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int h = shapes[s][0], w = shapes[s][1], nh = shapes[s][2], nw = shapes[s][3];
        mf_img8 in, out;
        mf_img8_alloc(&in, h, w);
        mf_img8_alloc(&out, nh, nw);
        /* sharp random texture, so that the passes round differently */
        for (int i = 0; i < h * w; i++) in.px[i] = (uint8_t)((lcg(&seed) & 1) ? 255 : lcg(&seed));
        static uint8_t ref[256 * 256], other[256 * 256];
        int cols_first = (double)nw / w < (double)nh / h;
        ref_resize(&in, nh, nw, cols_first, ref);
        ref_resize(&in, nh, nw, !cols_first, other);
        CHECK_EQ_INT(mf_imresize_bicubic(&in, &out, &e), 0);
        int bad = 0;
        for (int i = 0; i < nh * nw; i++) bad += out.px[i] != ref[i];
        CHECK_MSG(bad == 0, "%dx%d -> %dx%d: %d pixels differ from the transcription", h, w, nh, nw, bad);
        order_mattered += memcmp(ref, other, (size_t)nh * nw) != 0;
        mf_img8_free(&in);
        mf_img8_free(&out);
    }
    CHECK(order_mattered > 0); /* the comparison can tell the axis orders apart */

    /* Errors. */
    mf_img8 z = {0, 5, NULL}, t;
    mf_img8_alloc(&t, 3, 3);
    CHECK_EQ_INT(mf_imresize_bicubic(&z, &t, &e), -1);
    mf_img8_free(&t);
    return check_done();
}
