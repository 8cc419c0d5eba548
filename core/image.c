/* image.c: see image.h. */
#include "core/image.h"

#include <stdlib.h>

int mf_img8_alloc(mf_img8 *img, int h, int w) {
    img->h = h;
    img->w = w;
    img->px = calloc((size_t)h * (size_t)w > 0 ? (size_t)h * (size_t)w : 1, 1);
    return img->px ? 0 : -1;
}

void mf_img8_free(mf_img8 *img) {
    free(img->px);
    img->px = NULL;
    img->h = img->w = 0;
}
