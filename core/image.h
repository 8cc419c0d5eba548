/* image.h: the 8-bit gray image every stage of the ROI pipeline passes on.
 * Row-major, px[r * w + c], r = 0 at the top (MATLAB row 1). */
#ifndef MF_IMAGE_H
#define MF_IMAGE_H
#include <stdint.h>

typedef struct mf_img8 {
    int h, w;
    uint8_t *px; /* owned; free with mf_img8_free */
} mf_img8;

/* Allocates a zeroed h x w image; returns 0, or -1 when out of memory. */
int mf_img8_alloc(mf_img8 *img, int h, int w);
void mf_img8_free(mf_img8 *img);

#endif
