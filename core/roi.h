/* roi.h: one ROI from a preprocessed (medfilt2 + adapthisteq) mammogram, as
 * the authors' MATLAB script cuts it (paper/FACTS.md, "Preprocessing" 3-5):
 *  1. crop: imcrop(I, [X-60, H-Y-60, 119, 119]) for the MIAS centre (X, Y),
 *     Y counted from the bottom; 1-based rows H-Y-60 .. H-Y+59 and columns
 *     X-60 .. X+59, i.e. 0-based from row H-Y-61 and column X-61 (963-Y for
 *     H = 1024); clipped to the image, never padded (mdb144: 89 x 120);
 *  2. black-part removal: fg = crop > 20, bwareaopen(fg, 1500) (8-connected),
 *     bwlabel numbering in column-major scan order, the FIRST component's
 *     regionprops BoundingBox, imcrop(crop, box): rows y0 .. y0+h and columns
 *     x0 .. x0+w (one more of each than the component spans) clipped to the
 *     crop; when no component survives the crop is kept;
 *  3. imresize(.., [120 120]) bicubic (core/imresize.h).
 * The general sizes come from mf_roi_params (crop side c: the crop starts
 * c/2 + 1 before the centre, as 60 + 1 does for 120). */
#ifndef MF_CORE_ROI_H
#define MF_CORE_ROI_H
#include <stdint.h>

#include "core/err.h"
#include "core/image.h"

typedef struct mf_roi_params {
    int size;            /* output side, 120 */
    int crop;            /* crop side, 120 */
    int black_threshold; /* fg = crop > this, 20 */
    int min_component;   /* bwareaopen size, 1500 */
} mf_roi_params;

typedef struct mf_roi_trace {
    int crop_r0, crop_c0, crop_h, crop_w; /* 0-based crop in the image after clipping */
    int box_r0, box_c0, box_h, box_w;     /* 0-based box kept inside the crop */
    int components_kept;                  /* components left by bwareaopen */
} mf_roi_trace;

void mf_roi_params_default(mf_roi_params *p);

/* out: p->size * p->size bytes, row-major. trace may be NULL. Fails when the
 * crop window misses the image entirely, on bad parameters, or out of memory. */
int mf_roi_extract(const mf_img8 *pre, int x, int y, const mf_roi_params *p, uint8_t *out,
                   mf_roi_trace *trace, mf_err *e);

/* The black-part removal alone (step 2) on a crop: finds the box (0-based,
 * inside the crop) and the number of components kept. Exposed for tests.
 * Returns 0, or -1 when out of memory. */
int mf_roi_black_box(const mf_img8 *crop, int threshold, int min_component, int *r0, int *c0,
                     int *h, int *w, int *kept, mf_err *e);

#endif
