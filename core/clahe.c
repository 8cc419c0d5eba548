/* clahe.c: see clahe.h. Follows MATLAB's adapthisteq.m function by function
 * (parseInputs padding, makeTileMappings, clipHistogram, makeMapping,
 * makeClaheImage); comments name the MATLAB step. */
#include "core/clahe.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NT 8     /* tiles per axis */
#define NB 256   /* histogram bins = uint8 levels */

/* parseInputs: pad so that the tile side is an even integer. */
static void pad_axis(int n, int *tile, int *pre, int *post) {
    int pad = 0, t;
    if (n % NT) {
        t = n / NT + 1;
        pad = t * NT - n;
    } else {
        t = n / NT;
    }
    if (t % 2) { /* odd tile: the half blocks of the synthesis need even */
        pad += NT;
        t += 1;
    }
    *tile = t;
    *pre = pad / 2;
    *post = pad - pad / 2;
}

/* padarray(...,'symmetric'): mirror with the edge repeated, period 2n. */
static int sym(int i, int n) {
    int p = 2 * n;
    i %= p;
    if (i < 0) i += p;
    return i < n ? i : p - 1 - i;
}

/* clipHistogram: clip at lim and redistribute the excess, MATLAB's order. */
static void clip_histogram(int32_t *h, int32_t lim) {
    int64_t excess = 0;
    for (int k = 0; k < NB; k++)
        if (h[k] > lim) excess += h[k] - lim;
    int32_t inc = (int32_t)(excess / NB);
    int32_t upper = lim - inc;
    for (int k = 0; k < NB; k++) {
        if (h[k] > lim) {
            h[k] = lim;
        } else if (h[k] > upper) { /* high bin: fill it to the limit */
            excess -= lim - h[k];
            h[k] = lim;
        } else {
            excess -= inc;
            h[k] += inc;
        }
    }
    int k = 0; /* MATLAB's k = 1 */
    while (excess != 0) {
        int step = (int)(NB / excess);
        if (step < 1) step = 1;
        for (int m = k; m < NB; m += step) {
            if (h[m] < lim) {
                h[m]++;
                if (--excess == 0) break;
            }
        }
        if (++k >= NB) k = 0; /* do not always start at bin 1 */
    }
}

/* makeMapping ('uniform', full range) then grayxform's rounding to uint8. */
static void make_lut(const int32_t *h, int npix, uint8_t *lut) {
    const double scale = 255.0 / npix;
    double sum = 0;
    for (int v = 0; v < NB; v++) {
        sum += h[v];
        double m = fmin(sum * scale, 255.0) / 255.0;
        lut[v] = (uint8_t)(255.0 * m + 0.5);
    }
}

int mf_clahe(const mf_img8 *in, mf_img8 *out, mf_err *e) {
    if (in->h < 1 || in->w < 1)
        return mf_fail(e, "clahe: empty image (%d x %d)", in->h, in->w);
    int th, tw, rpre, rpost, cpre, cpost;
    pad_axis(in->h, &th, &rpre, &rpost);
    pad_axis(in->w, &tw, &cpre, &cpost);
    const int H = in->h + rpre + rpost, W = in->w + cpre + cpost;

    /* The (possibly padded) working image. */
    const uint8_t *I = in->px;
    uint8_t *padded = NULL;
    if (H != in->h || W != in->w) {
        padded = malloc((size_t)H * W);
        if (!padded) return mf_fail(e, "clahe: out of memory padding a %d x %d image", in->h, in->w);
        for (int r = 0; r < H; r++) {
            const uint8_t *src = in->px + (size_t)sym(r - rpre, in->h) * in->w;
            for (int c = 0; c < W; c++) padded[(size_t)r * W + c] = src[sym(c - cpre, in->w)];
        }
        I = padded;
    }

    /* makeTileMappings: one LUT per tile. */
    const int npix = th * tw;
    const int minclip = (npix + NB - 1) / NB;
    const int32_t lim = minclip + (int32_t)round(0.01 * (npix - minclip));
    uint8_t (*lut)[NB] = malloc(sizeof(uint8_t[NB]) * NT * NT);
    if (!lut) {
        free(padded);
        return mf_fail(e, "clahe: out of memory for tile mappings");
    }
    for (int ty = 0; ty < NT; ty++)
        for (int tx = 0; tx < NT; tx++) {
            int32_t hist[NB] = {0};
            for (int r = ty * th; r < (ty + 1) * th; r++) {
                const uint8_t *p = I + (size_t)r * W + tx * tw;
                for (int c = 0; c < tw; c++) hist[p[c]]++;
            }
            clip_histogram(hist, lim);
            make_lut(hist, npix, lut[ty * NT + tx]);
        }

    /* makeClaheImage: (NT+1) x (NT+1) blocks; the outer ones are half tiles
     * using the edge tile twice. Weights (R-r, r) over R*C; the quotient is an
     * exact rational, rounded half up (= MATLAB's uint8 cast) in integers. */
    int r0 = 0;
    for (int by = 0; by <= NT; by++) {
        int R = (by == 0 || by == NT) ? th / 2 : th;
        int tu = by == 0 ? 0 : by - 1, tb = by == NT ? NT - 1 : by;
        int c0 = 0;
        for (int bx = 0; bx <= NT; bx++) {
            int C = (bx == 0 || bx == NT) ? tw / 2 : tw;
            int tl = bx == 0 ? 0 : bx - 1, tr = bx == NT ? NT - 1 : bx;
            const uint8_t *ul = lut[tu * NT + tl], *ur = lut[tu * NT + tr];
            const uint8_t *bl = lut[tb * NT + tl], *br = lut[tb * NT + tr];
            const int64_t norm2 = 2 * (int64_t)R * C;
            for (int r = 0; r < R; r++) {
                int orow = r0 + r - rpre;
                if (orow < 0 || orow >= in->h) continue;
                const uint8_t *p = I + (size_t)(r0 + r) * W + c0;
                uint8_t *o = out->px + (size_t)orow * in->w;
                for (int c = 0; c < C; c++) {
                    int ocol = c0 + c - cpre;
                    if (ocol < 0 || ocol >= in->w) continue;
                    int v = p[c];
                    int64_t num = (int64_t)(R - r) * ((C - c) * ul[v] + c * ur[v]) +
                                  (int64_t)r * ((C - c) * bl[v] + c * br[v]);
                    o[ocol] = (uint8_t)((2 * num + norm2 / 2) / norm2);
                }
            }
            c0 += C;
        }
        r0 += R;
    }
    free(lut);
    free(padded);
    return 0;
}
