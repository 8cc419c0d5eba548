/* test_medfilt.c: mf_medfilt3 against a naive 3x3 median with zero padding
 * (sort the 9 values, take the 5th), on hand cases and random images of
 * awkward sizes; plus the timing of a 1024x1024 image (printed). */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "core/medfilt.h"

static uint8_t naive(const mf_img8 *in, int r, int c) {
    int v[9], n = 0;
    for (int dr = -1; dr <= 1; dr++)
        for (int dc = -1; dc <= 1; dc++) {
            int rr = r + dr, cc = c + dc;
            v[n++] = (rr < 0 || cc < 0 || rr >= in->h || cc >= in->w) ? 0 : in->px[rr * in->w + cc];
        }
    for (int i = 1; i < 9; i++) /* insertion sort */
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) { int t = v[j]; v[j] = v[j - 1]; v[j - 1] = t; }
    return (uint8_t)v[4];
}

static uint32_t lcg(uint32_t *s) { *s = *s * 1664525u + 1013904223u; return *s >> 24; }

int main(void) {
    /* Hand case: a flat 200 image. A corner sees 4 pixels and 5 zeros ->
     * median 0; an edge sees 6 pixels and 3 zeros -> 200. */
    mf_img8 a, o;
    mf_img8_alloc(&a, 4, 5);
    mf_img8_alloc(&o, 4, 5);
    memset(a.px, 200, 20);
    mf_medfilt3(&a, &o);
    CHECK_EQ_INT(o.px[0], 0);
    CHECK_EQ_INT(o.px[4], 0);
    CHECK_EQ_INT(o.px[15], 0);
    CHECK_EQ_INT(o.px[19], 0);
    CHECK_EQ_INT(o.px[2], 200);
    CHECK_EQ_INT(o.px[5], 200);
    CHECK_EQ_INT(o.px[7], 200);
    /* A lone bright pixel vanishes; a 2x2 bright square keeps... nothing
     * either (each of its pixels sees 4 bright of 9). */
    memset(a.px, 10, 20);
    a.px[1 * 5 + 2] = 250;
    mf_medfilt3(&a, &o);
    CHECK_EQ_INT(o.px[1 * 5 + 2], 10);
    a.px[1 * 5 + 3] = a.px[2 * 5 + 2] = a.px[2 * 5 + 3] = 250;
    mf_medfilt3(&a, &o);
    CHECK_EQ_INT(o.px[1 * 5 + 2], 10);
    a.px[3 * 5 + 2] = 250; /* a 3x2 block: its middle row sees 6 of 9 */
    mf_medfilt3(&a, &o);
    CHECK_EQ_INT(o.px[2 * 5 + 2], 250);
    CHECK_EQ_INT(o.px[1 * 5 + 2], 10);
    mf_img8_free(&a);
    mf_img8_free(&o);

    /* Random images against the naive median. */
    static const int sizes[][2] = {{1, 1}, {1, 7}, {6, 1}, {2, 2}, {3, 3}, {7, 13}, {64, 33}, {128, 128}};
    uint32_t seed = 12345;
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        mf_img8 in, out;
        mf_img8_alloc(&in, sizes[s][0], sizes[s][1]);
        mf_img8_alloc(&out, sizes[s][0], sizes[s][1]);
        for (int i = 0; i < in.h * in.w; i++) in.px[i] = (uint8_t)lcg(&seed);
        mf_medfilt3(&in, &out);
        int bad = 0;
        for (int r = 0; r < in.h; r++)
            for (int c = 0; c < in.w; c++) bad += out.px[r * in.w + c] != naive(&in, r, c);
        CHECK_MSG(bad == 0, "%dx%d: %d pixels differ from the naive median", in.h, in.w, bad);
        mf_img8_free(&in);
        mf_img8_free(&out);
    }

    /* 1024x1024 with few levels (many ties), checked fully, and timed. */
    mf_img8 big, bo;
    mf_img8_alloc(&big, 1024, 1024);
    mf_img8_alloc(&bo, 1024, 1024);
    for (int i = 0; i < 1024 * 1024; i++) big.px[i] = (uint8_t)(lcg(&seed) & 0x0f);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    mf_medfilt3(&big, &bo);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("medfilt3 1024x1024: %.2f ms\n", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) * 1e-6);
    int bad = 0;
    for (int r = 0; r < 1024; r++)
        for (int c = 0; c < 1024; c++) bad += bo.px[r * 1024 + c] != naive(&big, r, c);
    CHECK_EQ_INT(bad, 0);
    mf_img8_free(&big);
    mf_img8_free(&bo);
    return check_done();
}
