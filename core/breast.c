/* breast.c: see breast.h. */
#include "core/breast.h"

#include <stdlib.h>
#include <string.h>

#include "core/medfilt.h"
#include "core/rng.h"

int mf_breast_mask(const mf_img8 *img, int black_threshold, uint8_t *mask, mf_err *e) {
    const int h = img->h, w = img->w;
    const size_t n = (size_t)h * w;
    if (n == 0) return mf_fail(e, "breast mask: empty image");
    mf_img8 med = {0};
    int32_t *lab = malloc(sizeof(int32_t) * n), *queue = malloc(sizeof(int32_t) * n);
    if (!lab || !queue || mf_img8_alloc(&med, h, w)) {
        free(lab);
        free(queue);
        mf_img8_free(&med);
        return mf_fail(e, "breast mask: out of memory for a %d x %d image", h, w);
    }
    mf_medfilt3(img, &med);
    for (size_t i = 0; i < n; i++) lab[i] = med.px[i] > black_threshold ? 0 : -1;
    mf_img8_free(&med);

    /* 8-connected components by breadth-first search; keep the largest. */
    int32_t next = 0, best = -1;
    size_t best_size = 0;
    for (size_t s = 0; s < n; s++) {
        if (lab[s] != 0) continue;
        int32_t id = ++next;
        size_t head = 0, tail = 0;
        lab[s] = id;
        queue[tail++] = (int32_t)s;
        while (head < tail) {
            int32_t i = queue[head++];
            int r = i / w, c = i % w;
            for (int dr = -1; dr <= 1; dr++)
                for (int dc = -1; dc <= 1; dc++) {
                    int rr = r + dr, cc = c + dc;
                    if (rr < 0 || cc < 0 || rr >= h || cc >= w) continue;
                    int32_t j = rr * w + cc;
                    if (lab[j] == 0) {
                        lab[j] = id;
                        queue[tail++] = j;
                    }
                }
        }
        if (tail > best_size) { /* strict: the first of equal sizes wins */
            best_size = tail;
            best = id;
        }
    }
    /* Holes: flood the non-breast from the border, 4-connected. */
    for (size_t i = 0; i < n; i++) mask[i] = lab[i] == best && best > 0;
    size_t head = 0, tail = 0;
    for (int r = 0; r < h; r++)
        for (int c = 0; c < w; c++) {
            if (r != 0 && r != h - 1 && c != 0 && c != w - 1) continue;
            int32_t i = r * w + c;
            if (mask[i] == 0) {
                mask[i] = 2; /* 2: outside, reached from the border */
                queue[tail++] = i;
            }
        }
    while (head < tail) {
        int32_t i = queue[head++];
        int r = i / w, c = i % w;
        static const int dr[4] = {-1, 1, 0, 0}, dc[4] = {0, 0, -1, 1};
        for (int k = 0; k < 4; k++) {
            int rr = r + dr[k], cc = c + dc[k];
            if (rr < 0 || cc < 0 || rr >= h || cc >= w) continue;
            int32_t j = rr * w + cc;
            if (mask[j] == 0) {
                mask[j] = 2;
                queue[tail++] = j;
            }
        }
    }
    for (size_t i = 0; i < n; i++) mask[i] = mask[i] != 2;
    free(lab);
    free(queue);
    return 0;
}

int mf_normal_centre_info(const mf_img8 *img, const mf_roi_params *p, uint64_t seed, int image_id,
                          int *x, int *y, long *candidates, mf_err *e) {
    const int h = img->h, w = img->w, s = p->crop;
    if (s < 1 || h < s || w < s)
        return mf_fail(e, "normal ROI: image %d is %d x %d, smaller than the %d x %d crop", image_id, h,
                       w, s, s);
    uint8_t *mask = malloc((size_t)h * w);
    /* integral image, (h+1) x (w+1); counts fit in int32 up to 2^31 pixels */
    int32_t *I = malloc(sizeof(int32_t) * (size_t)(h + 1) * (w + 1));
    if (!mask || !I) {
        free(mask);
        free(I);
        return mf_fail(e, "normal ROI: out of memory for image %d", image_id);
    }
    if (mf_breast_mask(img, p->black_threshold, mask, e)) {
        free(mask);
        free(I);
        return -1;
    }
    const int W1 = w + 1;
    memset(I, 0, sizeof(int32_t) * (size_t)W1);
    for (int r = 0; r < h; r++) {
        int32_t row = 0;
        I[(size_t)(r + 1) * W1] = 0;
        for (int c = 0; c < w; c++) {
            row += mask[(size_t)r * w + c];
            I[(size_t)(r + 1) * W1 + c + 1] = I[(size_t)r * W1 + c + 1] + row;
        }
    }
    free(mask);
    const int nr = h - s + 1, nc = w - s + 1;
#define WIN(r, c) (I[(size_t)((r) + s) * W1 + (c) + s] - I[(size_t)(r) * W1 + (c) + s] - \
                   I[(size_t)((r) + s) * W1 + (c)] + I[(size_t)(r) * W1 + (c)])
    /* target: a full window, or (fallback) the largest breast count */
    int32_t target = s * s, best = 0;
    long count = 0;
    for (int r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++) {
            int32_t v = WIN(r, c);
            if (v > best) best = v;
            count += v == target;
        }
    if (candidates) *candidates = count;
    if (best == 0) {
        free(I);
        return mf_fail(e, "normal ROI: image %d has no breast pixel (none above %d)", image_id,
                       p->black_threshold);
    }
    if (count == 0) { /* fallback: the windows with the most breast */
        target = best;
        for (int r = 0; r < nr; r++)
            for (int c = 0; c < nc; c++) count += WIN(r, c) == target;
    }
    long k = (long)mf_rng_below(seed, MF_STREAM_NORMAL_POS, (uint64_t)image_id, (uint32_t)count);
    int r0 = -1, c0 = -1;
    for (int r = 0; r < nr && r0 < 0; r++)
        for (int c = 0; c < nc; c++)
            if (WIN(r, c) == target && k-- == 0) {
                r0 = r;
                c0 = c;
                break;
            }
#undef WIN
    free(I);
    /* invert mf_roi_extract's crop: c0 = x - s/2 - 1, r0 = h - y - s/2 - 1 */
    *x = c0 + s / 2 + 1;
    *y = h - r0 - s / 2 - 1;
    return 0;
}

int mf_normal_centre(const mf_img8 *img, const mf_roi_params *p, uint64_t seed, int image_id, int *x,
                     int *y, mf_err *e) {
    return mf_normal_centre_info(img, p, seed, image_id, x, y, NULL, e);
}
