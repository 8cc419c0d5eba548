/* test_clahe.c: mf_clahe against hand-worked MATLAB adapthisteq values and a
 * direct, per-pixel transcription of the rules in paper/FACTS.md written
 * here (1-based loops as in adapthisteq.m, synthesis in doubles rounded with
 * round(), padding by explicit mirroring).
 * Hand cases, 1024x1024 (tiles 128x128, clip 64 + round(0.01*16320) = 227):
 *  - constant 0: h[0] = 16384, excess 16157, inc 63; the 255 other bins get 63
 *    (16065), 92 left, step 2 from bin 1: bins 3, 5, .., 185 (1-based); cumsum
 *    at level 0 = 227 -> 227*255/16384 = 3.53 -> 4 everywhere.
 *  - constant 100: cumsum at 100 = 100*63 + 50 (odd bins 1..99) + 227 = 6577
 *    -> 102.36 -> 102.
 *  - every tile holding levels 4j, 256 pixels each: excess 64*29 = 1856,
 *    inc 7; 192 empty bins get 7 (1344), 512 left; step 1 from bin 1: +1 to
 *    the 192 (320 left); from bin 2: +1 to the 192 (128 left); step 2 from
 *    bin 3: levels 4j+2 (64 left); step 4 from bin 4: levels 4j+3. So
 *    h = 227, 9, 10, 10 for levels 4j..4j+3. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "core/clahe.h"

/* ---- the transcription ---- */
static int sym(int i, int n) {
    while (i < 0 || i >= n) i = i < 0 ? -1 - i : 2 * n - 1 - i;
    return i;
}

static void ref_clahe(const mf_img8 *in, uint8_t *out) {
    /* parseInputs: tile sides even integers, symmetric padding */
    int dims[2] = {in->h, in->w}, tile[2], pre[2];
    for (int a = 0; a < 2; a++) {
        int pad = 0, t = dims[a] / 8;
        if (dims[a] % 8) { t = dims[a] / 8 + 1; pad = t * 8 - dims[a]; }
        if (t % 2) { pad += 8; t++; }
        tile[a] = t;
        pre[a] = pad / 2;
    }
    int H = tile[0] * 8, W = tile[1] * 8;
    static uint8_t I[2048 * 2048];
    for (int r = 0; r < H; r++)
        for (int c = 0; c < W; c++) I[r * W + c] = in->px[sym(r - pre[0], in->h) * in->w + sym(c - pre[1], in->w)];
    double npix = (double)tile[0] * tile[1];
    double minclip = ceil(npix / 256);
    double clip = minclip + round(0.01 * (npix - minclip));
    static double map[8][8][257]; /* 1-based levels as MATLAB */
    for (int ty = 1; ty <= 8; ty++)
        for (int tx = 1; tx <= 8; tx++) {
            double h[257] = {0};
            for (int r = (ty - 1) * tile[0]; r < ty * tile[0]; r++)
                for (int c = (tx - 1) * tile[1]; c < tx * tile[1]; c++) h[I[r * W + c] + 1] += 1;
            double excess = 0;
            for (int k = 1; k <= 256; k++) excess += fmax(h[k] - clip, 0);
            double inc = floor(excess / 256), upper = clip - inc;
            for (int k = 1; k <= 256; k++) {
                if (h[k] > clip) h[k] = clip;
                else if (h[k] > upper) { excess -= clip - h[k]; h[k] = clip; }
                else { excess -= inc; h[k] += inc; }
            }
            int k = 1;
            while (excess != 0) {
                int step = (int)fmax(floor(256 / excess), 1);
                for (int m = k; m <= 256; m += step)
                    if (h[m] < clip) { h[m] += 1; excess -= 1; if (excess == 0) break; }
                k++;
                if (k > 256) k = 1;
            }
            double cs = 0;
            for (int v = 1; v <= 256; v++) {
                cs += h[v];
                map[ty - 1][tx - 1][v] = fmin(cs * (255 / npix), 255) / 255;
            }
        }
    /* per pixel: which block, which four tiles, which weights */
    for (int y = pre[0]; y < pre[0] + in->h; y++)
        for (int x = pre[1]; x < pre[1] + in->w; x++) {
            int R, r, t0, t1, C, c, s0, s1;
            if (y < tile[0] / 2) { R = tile[0] / 2; r = y; t0 = t1 = 0; }
            else if (y >= H - tile[0] / 2) { R = tile[0] / 2; r = y - (H - tile[0] / 2); t0 = t1 = 7; }
            else { R = tile[0]; r = (y - tile[0] / 2) % tile[0]; t0 = (y - tile[0] / 2) / tile[0]; t1 = t0 + 1; }
            if (x < tile[1] / 2) { C = tile[1] / 2; c = x; s0 = s1 = 0; }
            else if (x >= W - tile[1] / 2) { C = tile[1] / 2; c = x - (W - tile[1] / 2); s0 = s1 = 7; }
            else { C = tile[1]; c = (x - tile[1] / 2) % tile[1]; s0 = (x - tile[1] / 2) / tile[1]; s1 = s0 + 1; }
            int v = I[y * W + x] + 1;
            double ul = floor(255 * map[t0][s0][v] + 0.5), ur = floor(255 * map[t0][s1][v] + 0.5);
            double bl = floor(255 * map[t1][s0][v] + 0.5), br = floor(255 * map[t1][s1][v] + 0.5);
            double val = ((R - r) * ((C - c) * ul + c * ur) + r * ((C - c) * bl + c * br)) / ((double)R * C);
            out[(y - pre[0]) * in->w + (x - pre[1])] = (uint8_t)round(val);
        }
}

static uint32_t lcg(uint32_t *s) { *s = *s * 1664525u + 1013904223u; return *s >> 24; }

static int count_diff(const mf_img8 *a, const uint8_t *b) {
    int n = 0;
    for (int i = 0; i < a->h * a->w; i++) n += a->px[i] != b[i];
    return n;
}

int main(void) {
    mf_err e;
    mf_img8 in, out;
    static uint8_t ref[2048 * 2048];
    mf_img8_alloc(&in, 1024, 1024);
    mf_img8_alloc(&out, 1024, 1024);

    /* constant images */
    memset(in.px, 0, 1024 * 1024);
    CHECK_EQ_INT(mf_clahe(&in, &out, &e), 0);
    CHECK_EQ_INT(out.px[0], 4);
    CHECK_EQ_INT(out.px[512 * 1024 + 300], 4);
    memset(in.px, 100, 1024 * 1024);
    mf_clahe(&in, &out, &e);
    CHECK_EQ_INT(out.px[0], 102);
    CHECK_EQ_INT(out.px[1024 * 1024 - 1], 102);

    /* levels 4j, 256 each per tile: the LUT from the hand-derived histogram */
    for (int r = 0; r < 1024; r++)
        for (int c = 0; c < 1024; c++) in.px[r * 1024 + c] = (uint8_t)(4 * ((((r % 128) * 128) + c % 128) / 256));
    mf_clahe(&in, &out, &e);
    {
        static const int hq[4] = {227, 9, 10, 10};
        long cs = 0;
        int bad = 0;
        for (int v = 0; v < 256; v++) {
            cs += hq[v % 4];
            if (v % 4) continue; /* only levels 4j occur in the image */
            int lut = (int)floor(255.0 * (fmin(cs * 255.0 / 16384, 255) / 255) + 0.5);
            for (int r = 0; r < 1024; r += 37)
                for (int c = 0; c < 1024; c += 41)
                    if (in.px[r * 1024 + c] == v) bad += out.px[r * 1024 + c] != lut;
        }
        CHECK_EQ_INT(bad, 0);
        /* level 4j: cumsum 256j + 227; j = 10: 2787*255/16384 = 43.38 -> 43 */
        CHECK_EQ_INT(out.px[(2560 / 128) * 1024 + 2560 % 128], 43);
    }

    /* A synthetic mammogram-like image: smooth dome + texture + a black side
     * (clipping active, tiles differ), against the transcription. */
    uint32_t seed = 99;
    for (int r = 0; r < 1024; r++)
        for (int c = 0; c < 1024; c++) {
            double d = hypot(r - 512.0, c - 200.0) / 700;
            int v = c < 150 ? 0 : (int)(220 * (1 - d * d)) + (int)(lcg(&seed) % 23) - 11;
            in.px[r * 1024 + c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    CHECK_EQ_INT(mf_clahe(&in, &out, &e), 0);
    ref_clahe(&in, ref);
    CHECK_EQ_INT(count_diff(&out, ref), 0);
    /* uniform noise: every tile near-flat, almost no clipping */
    for (int i = 0; i < 1024 * 1024; i++) in.px[i] = (uint8_t)lcg(&seed);
    mf_clahe(&in, &out, &e);
    ref_clahe(&in, ref);
    CHECK_EQ_INT(count_diff(&out, ref), 0);
    mf_img8_free(&in);
    mf_img8_free(&out);

    /* Small and padded sizes: 16x16 (2x2 tiles, clip 1), 24x24 (odd 3-pixel
     * tiles -> padded by 8), 50x70 and 5x9 (not multiples of 8). */
    static const int sizes[][2] = {{16, 16}, {24, 24}, {50, 70}, {5, 9}, {128, 96}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        mf_img8_alloc(&in, sizes[s][0], sizes[s][1]);
        mf_img8_alloc(&out, sizes[s][0], sizes[s][1]);
        for (int i = 0; i < in.h * in.w; i++) in.px[i] = (uint8_t)(lcg(&seed) % 64 + (i % in.w) * 2);
        CHECK_EQ_INT(mf_clahe(&in, &out, &e), 0);
        ref_clahe(&in, ref);
        int bad = count_diff(&out, ref);
        CHECK_MSG(bad == 0, "%dx%d: %d pixels differ from the transcription", in.h, in.w, bad);
        mf_img8_free(&in);
        mf_img8_free(&out);
    }
    mf_img8 z = {0, 0, NULL}, zo = {0, 0, NULL};
    CHECK_EQ_INT(mf_clahe(&z, &zo, &e), -1);
    return check_done();
}
