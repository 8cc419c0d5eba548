/* medfilt.h: MATLAB medfilt2(I) for uint8: the 3x3 median with ZERO padding
 * (MATLAB's default 'zeros'), so bright pixels on the image border darken.
 * The first step of the authors' preprocessing; symmetric padding would lose
 * bit-exact ROIs against the released ones. */
#ifndef MF_CORE_MEDFILT_H
#define MF_CORE_MEDFILT_H
#include "core/image.h"

/* out must be allocated by the caller with in's size and not alias in. */
void mf_medfilt3(const mf_img8 *in, mf_img8 *out);

#endif
