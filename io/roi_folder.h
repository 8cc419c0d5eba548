/* roi_folder.h: the authors' released ROIs: <dir>/{train,val,test}/
 * "Normal (k).png" and "Tumor (k).png", 120x120 8-bit gray. */
#ifndef MF_IO_ROI_FOLDER_H
#define MF_IO_ROI_FOLDER_H
#include "core/err.h"
#include "core/image.h"
#include "core/roiset.h" /* MF_SPLIT_* */

typedef struct mf_released_roi {
    int split;    /* MF_SPLIT_* */
    int label;    /* 0 Normal, 1 Tumor */
    int k;        /* the number in the file name */
    mf_img8 img;
} mf_released_roi;

/* Reads the three split folders; within a split, Normal then Tumor, each in
 * increasing k. A file that is not "Normal (k).png"/"Tumor (k).png" is
 * ignored; an unreadable or non-120x120 PNG is an error naming it.
 * Free with mf_released_free. */
int mf_released_read(const char *dir, mf_released_roi **rois, int *n, mf_err *e);
void mf_released_free(mf_released_roi *rois, int n);

#endif
