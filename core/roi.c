/* roi.c: see roi.h. */
#include "core/roi.h"

#include <stdlib.h>
#include <string.h>

#include "core/imresize.h"

void mf_roi_params_default(mf_roi_params *p) {
    p->size = 120;
    p->crop = 120;
    p->black_threshold = 20;
    p->min_component = 1500;
}

/* Union-find root with path halving. */
static int root(int *par, int i) {
    while (par[i] != i) {
        par[i] = par[par[i]];
        i = par[i];
    }
    return i;
}

int mf_roi_black_box(const mf_img8 *crop, int threshold, int min_component, int *r0, int *c0,
                     int *h, int *w, int *kept, mf_err *e) {
    const int H = crop->h, W = crop->w, n = H * W;
    int *par = malloc(sizeof(int) * (size_t)n * 2);
    if (!par) return mf_fail(e, "roi: out of memory labelling a %d x %d crop", H, W);
    int *cnt = par + n;
    /* 8-connected components of fg by union-find (-1: background). */
    for (int i = 0; i < n; i++) {
        par[i] = crop->px[i] > threshold ? i : -1;
        cnt[i] = 0;
    }
    for (int r = 0; r < H; r++)
        for (int c = 0; c < W; c++) {
            int i = r * W + c;
            if (par[i] < 0) continue;
            /* earlier neighbours: left, up-left, up, up-right */
            static const int dr[4] = {0, -1, -1, -1}, dc[4] = {-1, -1, 0, 1};
            for (int k = 0; k < 4; k++) {
                int rr = r + dr[k], cc = c + dc[k];
                if (rr < 0 || cc < 0 || cc >= W) continue;
                int j = rr * W + cc;
                if (par[j] < 0) continue;
                int a = root(par, i), b = root(par, j);
                if (a != b) par[a < b ? b : a] = a < b ? a : b;
            }
        }
    for (int i = 0; i < n; i++)
        if (par[i] >= 0) cnt[root(par, i)]++;
    /* bwareaopen keeps components >= min_component; bwlabel's label 1 is the
     * one met first going down the columns, left to right. */
    int first = -1, nkept = 0;
    for (int i = 0; i < n; i++)
        if (par[i] == i && cnt[i] >= min_component) nkept++;
    for (int c = 0; c < W && first < 0; c++)
        for (int r = 0; r < H; r++) {
            int i = r * W + c;
            if (par[i] >= 0 && cnt[root(par, i)] >= min_component) {
                first = root(par, i);
                break;
            }
        }
    *kept = nkept;
    if (first < 0) { /* nothing left: keep the crop */
        *r0 = 0; *c0 = 0; *h = H; *w = W;
        free(par);
        return 0;
    }
    int rmin = H, rmax = -1, cmin = W, cmax = -1;
    for (int r = 0; r < H; r++)
        for (int c = 0; c < W; c++) {
            int i = r * W + c;
            if (par[i] < 0 || root(par, i) != first) continue;
            if (r < rmin) rmin = r;
            if (r > rmax) rmax = r;
            if (c < cmin) cmin = c;
            if (c > cmax) cmax = c;
        }
    free(par);
    /* imcrop with BoundingBox [cmin+0.5, rmin+0.5, w, h] (1-based): rows
     * round(rmin+0.5) .. round(rmin+0.5+h) = rmin+1 .. rmax+2, 1-based, i.e.
     * one extra row and column, clipped to the crop. */
    int rend = rmax + 1 < H ? rmax + 1 : H - 1;
    int cend = cmax + 1 < W ? cmax + 1 : W - 1;
    *r0 = rmin;
    *c0 = cmin;
    *h = rend - rmin + 1;
    *w = cend - cmin + 1;
    return 0;
}

int mf_roi_extract(const mf_img8 *pre, int x, int y, const mf_roi_params *p, uint8_t *out,
                   mf_roi_trace *trace, mf_err *e) {
    if (p->size < 1 || p->crop < 1)
        return mf_fail(e, "roi: bad parameters (size %d, crop %d)", p->size, p->crop);
    /* imcrop(I, [X-c/2, H-Y-c/2, c-1, c-1]): 0-based first row H-Y-c/2-1. */
    int r0 = pre->h - y - p->crop / 2 - 1, c0 = x - p->crop / 2 - 1;
    int r1 = r0 + p->crop - 1, c1 = c0 + p->crop - 1;
    if (r0 < 0) r0 = 0;
    if (c0 < 0) c0 = 0;
    if (r1 >= pre->h) r1 = pre->h - 1;
    if (c1 >= pre->w) c1 = pre->w - 1;
    if (r0 > r1 || c0 > c1)
        return mf_fail(e, "roi: centre (%d, %d) puts the %d x %d crop outside the %d x %d image", x, y,
                       p->crop, p->crop, pre->h, pre->w);
    mf_img8 crop = {0}, box = {0};
    if (mf_img8_alloc(&crop, r1 - r0 + 1, c1 - c0 + 1))
        return mf_fail(e, "roi: out of memory");
    for (int r = 0; r < crop.h; r++)
        memcpy(crop.px + (size_t)r * crop.w, pre->px + (size_t)(r0 + r) * pre->w + c0, (size_t)crop.w);
    int br, bc, bh, bw, kept;
    if (mf_roi_black_box(&crop, p->black_threshold, p->min_component, &br, &bc, &bh, &bw, &kept, e)) {
        mf_img8_free(&crop);
        return -1;
    }
    if (trace) {
        trace->crop_r0 = r0; trace->crop_c0 = c0; trace->crop_h = crop.h; trace->crop_w = crop.w;
        trace->box_r0 = br; trace->box_c0 = bc; trace->box_h = bh; trace->box_w = bw;
        trace->components_kept = kept;
    }
    int rc = -1;
    if (mf_img8_alloc(&box, bh, bw)) {
        mf_fail(e, "roi: out of memory");
        goto done;
    }
    for (int r = 0; r < bh; r++)
        memcpy(box.px + (size_t)r * bw, crop.px + (size_t)(br + r) * crop.w + bc, (size_t)bw);
    mf_img8 dst = {p->size, p->size, out};
    rc = mf_imresize_bicubic(&box, &dst, e);
done:
    mf_img8_free(&box);
    mf_img8_free(&crop);
    return rc;
}
