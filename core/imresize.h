/* imresize.h: MATLAB imresize(A, [h w]) for uint8, default 'bicubic':
 * Keys' cubic (a = -0.5), per axis output x (1-based) sampling input
 * u = x/scale + 0.5(1 - 1/scale); when shrinking the kernel is widened by
 * 1/scale (antialiasing); weights normalised to sum 1; indices outside the
 * input mirrored (symmetric, edge repeated); the axis with the smaller scale
 * first (rows first on ties); the result rounded to uint8 after each axis.
 * The last step of the ROI chain (crop or box -> 120x120). */
#ifndef MF_CORE_IMRESIZE_H
#define MF_CORE_IMRESIZE_H
#include "core/err.h"
#include "core/image.h"

/* out is allocated by the caller with the target size (out->h, out->w >= 1).
 * Fails on empty sizes or when memory runs out. */
int mf_imresize_bicubic(const mf_img8 *in, mf_img8 *out, mf_err *e);

#endif
