/* breast.h: where a Normal ROI may be cut. The authors clicked a point by
 * hand (ginput) and the paper says "randomly extracted"; mammofuse draws the
 * centre uniformly among all positions whose whole crop window lies inside
 * the breast, so a Normal ROI is tissue, not background, and the draw is a
 * pure function of (seed, image id) (core/rng.h, MF_STREAM_NORMAL_POS).
 *
 * The breast mask, exactly:
 *  1. m = medfilt3(img) > black_threshold (20, the ROI chain's own
 *     foreground rule); the median removes isolated noise pixels that would
 *     otherwise bridge the breast and background artefacts;
 *  2. keep the largest 8-connected component of m (ties: the one met first
 *     in row-major order): MIAS films carry labels and markers that are bright
 *     but are not breast;
 *  3. fill its holes: background pixels not 4-connected to the image border
 *     become breast (MATLAB imfill 'holes'), since dark fat inside the breast
 *     is still breast.
 * img is the image the ROI is cut from (the median+CLAHE one) or the raw one;
 * both work since CLAHE keeps dark background dark. */
#ifndef MF_CORE_BREAST_H
#define MF_CORE_BREAST_H
#include <stdint.h>

#include "core/err.h"
#include "core/image.h"
#include "core/roi.h"

/* mask: img->h * img->w bytes, set to 1 (breast) or 0. Returns 0, or -1 when
 * out of memory. */
int mf_breast_mask(const mf_img8 *img, int black_threshold, uint8_t *mask, mf_err *e);

/* MIAS-style centre (x, y; y counted from the bottom) such that
 * mf_roi_extract(pre, x, y, p, ...) crops a p->crop square fully inside the
 * mask: the candidate windows (top-left corners inside the image, row-major)
 * are counted with an integral image and number k = mf_rng_below(seed,
 * MF_STREAM_NORMAL_POS, image_id, count) is taken.
 * Fallback when no window fits (a breast narrower than the crop): among the
 * windows inside the image, those with the largest breast pixel count, again
 * the k-th drawn the same way. Fails (never silently) when the image is
 * smaller than the crop or has no breast pixel at all.
 * candidates (may be NULL) receives the number of windows fully inside the
 * breast: 0 means the fallback was used. */
int mf_normal_centre_info(const mf_img8 *img, const mf_roi_params *p, uint64_t seed, int image_id,
                          int *x, int *y, long *candidates, mf_err *e);

/* The same without the count. */
int mf_normal_centre(const mf_img8 *img, const mf_roi_params *p, uint64_t seed, int image_id, int *x,
                     int *y, mf_err *e);

#endif
