/* synth.h: the embedded synthetic demo data, MIAS in miniature. Pure
 * functions of (seed, image id), no files: a 1024x1024 mammogram-like image
 * (black background, a half-ellipse breast against the left or right chest
 * wall like MIAS's right (odd id) and left (even id) breasts, smooth tissue
 * texture, an optional bright pectoral wedge) and, for about 40% of the
 * images, 1-2 brighter round masses with MIAS coordinates, so the demo
 * exercises the same pipeline (Info.txt rows, ROI crops) as the real data. */
#ifndef MF_SYNTH_H
#define MF_SYNTH_H
#include <stdint.h>

#include "core/err.h"
#include "core/image.h"

enum {
    MF_SYNTH_SIDE = 1024,
    MF_SYNTH_MAX_LESIONS = 2,
    MF_SYNTH_MAX_ID = 999,  /* ids are mdbNNN */
    MF_SYNTH_ROW_MAX = 40   /* an Info.txt row, NUL included */
};

typedef struct mf_synth_lesion {
    int x;         /* MIAS X: column, 1-based (0-based column x - 1) */
    int y;         /* MIAS Y: from the bottom (0-based row 1023 - y) */
    int radius;    /* pixels, 15..60 */
    char severity; /* 'B' or 'M' */
} mf_synth_lesion;

/* Everything drawn for one image, cheap to compute without rendering. */
typedef struct mf_synth_layout {
    int image_id;
    int right;       /* 1: chest wall on the right (odd ids), 0: on the left */
    char bg;         /* background tissue F, G or D */
    double wall;     /* 0-based column of the chest wall (pixels beyond are black) */
    double cy, a, b; /* breast: centre row, vertical and horizontal semi-axes */
    double pec_w, pec_h; /* pectoral wedge along the top/chest wall; 0 when none */
    int nlesions;    /* 0 for a normal image */
    mf_synth_lesion lesions[MF_SYNTH_MAX_LESIONS];
} mf_synth_layout;

/* 1 when image_id is abnormal. Exactly 2 of every 5 consecutive ids (1-5,
 * 6-10, ...) are, so any demo of 5k images is 40% abnormal, whatever its size. */
int mf_synth_is_abnormal(uint64_t seed, int image_id);

/* abnormal[i] = mf_synth_is_abnormal(seed, i + 1) for i < n_images. */
void mf_synth_plan(uint64_t seed, int n_images, int *abnormal);

/* The layout of image_id (1..999); -1 with a message otherwise. */
int mf_synth_layout_of(uint64_t seed, int image_id, mf_synth_layout *L, mf_err *e);

/* 1 when 0-based pixel (r, c) lies in the breast of L. */
int mf_synth_in_breast(const mf_synth_layout *L, int r, int c);

/* Draws image_id into img (allocated here, 1024x1024) and its lesions into
 * lesions[MF_SYNTH_MAX_LESIONS] (may be NULL), their count into *nlesions
 * (may be NULL). Deterministic: same (seed, id), same bytes. */
int mf_synth_image(uint64_t seed, int image_id, mf_img8 *img, mf_synth_lesion *lesions,
                   int *nlesions, mf_err *e);

/* The Info.txt rows of image_id, without line ends, in MIAS's format:
 * "mdb003 G NORM " (trailing blank, as MIAS) or one "mdb002 D CIRC M 522 280 41"
 * per lesion. Returns the number of rows (1..2), or -1 with a message. */
int mf_synth_info(uint64_t seed, int image_id, char rows[][MF_SYNTH_ROW_MAX], mf_err *e);

#endif
