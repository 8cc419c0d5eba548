/* roiset.h: the ROI set that the rois job makes and rois.h5 holds:
 * N images of size x size gray pixels and, per ROI, where it came from. */
#ifndef MF_ROISET_H
#define MF_ROISET_H
#include <stdint.h>

/* Released ROIs say only Tumor, not benign or malignant: class 3. */
enum { MF_CLASS_NORMAL = 0, MF_CLASS_BENIGN = 1, MF_CLASS_MALIGNANT = 2, MF_CLASS_TUMOR = 3 };
#define MF_ROI_NCLASS 4
enum { MF_SPLIT_TRAIN = 0, MF_SPLIT_VAL = 1, MF_SPLIT_TEST = 2 };

typedef struct mf_roi_meta {
    int32_t image_id;    /* MIAS number (mdb001 = 1); 0 for released ROIs (ids were lost) */
    int32_t woman_id;    /* (image_id + 1) / 2: images 2k-1 and 2k are one woman; 0 if unknown */
    int32_t x, y;        /* centre in MIAS coordinates (y from the bottom); 0 if unknown */
    int32_t radius;      /* MIAS radius; 0 for Normal ROIs */
    int32_t info_line;   /* line of Info.txt; for released ROIs the k of "Tumor (k).png" */
    int32_t crop[4];     /* r0, c0, h, w of the crop in the image (0-based, clipped) */
    int32_t box[4];      /* r0, c0, h, w kept by black-part removal, inside the crop */
    uint8_t label;       /* 0 Normal, 1 Tumor */
    uint8_t cls;         /* MF_CLASS_* */
    uint8_t split;       /* 0 train, 1 val, 2 test */
    char severity;       /* 'N', 'B', 'M', or 'T' (released Tumor, severity unknown) */
    char abnormality[5]; /* MIAS class: CALC CIRC SPIC MISC ARCH ASYM NORM */
} mf_roi_meta;

typedef struct mf_roiset {
    int n, size;
    uint8_t *images;     /* [n][size][size] */
    mf_roi_meta *meta;   /* [n] */
} mf_roiset;

/* Allocates room for n ROIs (zeroed); 0 or -1. */
int mf_roiset_alloc(mf_roiset *s, int n, int size);
void mf_roiset_free(mf_roiset *s);

/* Counts per split (3) x class into counts[split][cls]. */
void mf_roiset_counts(const mf_roiset *s, int counts[3][MF_ROI_NCLASS]);

#endif
