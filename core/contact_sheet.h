/* contact_sheet.h: one RGB picture of an ROI set, so a person can look at
 * what the rois job made: ROIs in a grid in set order, each framed by its
 * class (none for normal, yellow benign, red malignant, magenta tumor of
 * unknown severity) and marked by split (a dot: green train, blue val,
 * white test). */
#ifndef MF_CONTACT_SHEET_H
#define MF_CONTACT_SHEET_H
#include <stdint.h>

#include "core/roiset.h"

/* Size of the sheet for s with cols columns. */
void mf_contact_sheet_size(const mf_roiset *s, int cols, int *h, int *w);

/* Draws into rgb [h][w][3] (from mf_contact_sheet_size). */
void mf_contact_sheet_draw(const mf_roiset *s, int cols, uint8_t *rgb);

#endif
