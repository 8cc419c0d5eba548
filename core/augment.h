/* augment.h: the training augmentation of the authors' Keras code,
 * ImageDataGenerator(rotation_range=180, zoom_range=0.2, horizontal_flip=True,
 * fill_mode='nearest'), for one gray patch:
 *   theta ~ U(-180, 180) degrees, zx, zy ~ U(0.8, 1.2) independently,
 *   flip with probability 1/2;
 *   M = offset(o) . R(theta) . Z(zx, zy) . offset(-o), o = (h/2 + 0.5, w/2 + 0.5)
 *   (Keras's transform_matrix_offset_center, half-pixel quirk included);
 *   out[r][c] = bilinear(in, M . (r, c)) with coordinates clamped to the
 *   patch ('nearest', scipy.ndimage.affine_transform order=1); then the
 *   columns are mirrored if flipped (Keras flips after the affine map).
 * Keras draws fresh parameters each time a patch is used; with precomputed
 * features mammofuse draws them once per patch draw, from the counter-based
 * generator keyed by (seed, ROI, draw): a documented departure. */
#ifndef MF_AUGMENT_H
#define MF_AUGMENT_H
#include <stdint.h>

typedef struct mf_aug {
    double theta_deg, zx, zy;
    int flip;
} mf_aug;

/* The parameters of draw `draw` of ROI `roi`. */
void mf_aug_draw(uint64_t seed, int32_t roi, int32_t draw, mf_aug *a);

/* in: side x side gray pixels (row stride in_stride); out: side x side floats. */
void mf_aug_apply(const mf_aug *a, const uint8_t *in, int in_stride, int side, float *out);

#endif
