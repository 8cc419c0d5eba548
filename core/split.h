/* split.h: train/val/test assignment of an ROI set.
 * paper: per class (benign, malignant, normal), ROIs in set order, one
 *   seeded permutation; position k (1-based) goes to train if k <= ceil(ft*n),
 *   to val if k <= ceil((ft+fv)*n), else test (main2_get_train_val_test.m,
 *   with mammofuse's counter-based permutation instead of MATLAB's randperm).
 * woman: the same rule over women instead of ROIs, women stratified by their
 *   worst class (malignant > benign > normal), so that no woman's two images
 *   (nor two lesions of one image) land on two sides. */
#ifndef MF_SPLIT_H
#define MF_SPLIT_H
#include <stdint.h>

#include "core/err.h"
#include "core/roiset.h"

/* The ceil rule for position k (1-based) of n: 0 train, 1 val, 2 test. */
int mf_split_of_position(int k, int n, double ftrain, double fval);

/* Writes meta[i].split for every ROI. mode: MF_SPLITMODE_PAPER or _WOMAN
 * (config.h). Woman mode needs woman_id > 0 everywhere. */
int mf_split_assign(mf_roiset *s, int mode, double ftrain, double fval, uint64_t seed, mf_err *e);

#endif
