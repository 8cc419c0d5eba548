/* clahe.h: MATLAB adapthisteq(I) with its defaults, for uint8 images:
 * 8x8 tiles, ClipLimit 0.01, 256 bins, 'uniform' distribution, 'full' range.
 * Reproduced to the last gray level (paper/FACTS.md, "MATLAB semantics"):
 * the clip limit in counts, the clip-and-redistribute loop, the LUT rounding,
 * and MATLAB's synthesis in 9x9 blocks with its (R-r, r) weights and rounding
 * half away from zero. Second step of the authors' preprocessing.
 * Sizes that are not 8 x an even number are padded symmetrically, as MATLAB
 * does, and the result cropped back; for 1024x1024 there is no padding. */
#ifndef MF_CORE_CLAHE_H
#define MF_CORE_CLAHE_H
#include "core/err.h"
#include "core/image.h"

/* out must be allocated by the caller with in's size (may not alias in).
 * Fails only when memory runs out (padding, tile tables) or on an empty image. */
int mf_clahe(const mf_img8 *in, mf_img8 *out, mf_err *e);

#endif
