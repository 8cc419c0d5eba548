/* cv_folds.h: the folds of k-fold cross-validation (mammofuse cv), and the
 * role every ROI plays in one fold.
 *
 * Folds are made of women, never of ROIs: images 2k-1 and 2k are one woman
 * (woman_id), and two lesions of one image or the two breasts of one woman
 * are too alike to sit on both sides of a fold. Women are stratified by
 * their worst class (malignant > benign > normal), as split.mode: woman
 * does (core/split.h): normal/benign/malignant rather than Normal/Tumor
 * because benign and malignant lesions differ in how hard they are, and a
 * fold holding all the malignant women would measure something else.
 * Per class (benign, malignant, normal, in that order) the women are put in
 * a seeded order (mf_rng_permutation of MF_STREAM_CV_FOLDS keyed by the
 * class) and dealt to folds round robin, the dealing continuing from where
 * the previous class stopped, so every fold holds floor or ceil of a
 * class's women / folds women of it and the folds' sizes differ by at most
 * one woman per class. A pure function of (ROI metadata, folds, seed).
 *
 * Roles in fold k of K: the ROIs of fold k are evaluated (their grid
 * patches), those of fold (k + 1) mod K validate (their grid patches: model
 * selection by the lowest validation loss), those of the K - 2 other folds
 * train (their random draws). With K = 5 that is the paper's 60/20/20;
 * every ROI is evaluated exactly once over the K folds. Pure: no MPI, no files. */
#ifndef MF_CORE_CV_FOLDS_H
#define MF_CORE_CV_FOLDS_H
#include <stdint.h>

#include "core/err.h"
#include "core/roiset.h"

enum { MF_ROLE_UNUSED = 0, MF_ROLE_TRAIN = 1, MF_ROLE_VAL = 2, MF_ROLE_EVAL = 3 };

#define MF_CV_MIN_FOLDS 3

/* The role of every ROI in one fold, and what identifies it (the digest
 * enters the fold's training and evaluation identities). */
typedef struct mf_roles {
    int folds, fold;     /* K, k */
    int n;               /* ROIs */
    uint8_t *role;       /* [n] MF_ROLE_* */
    char digest[65];     /* SHA-256 of role[0..n) */
} mf_roles;

/* The largest fold count the ROIs allow: the fewest women of a class that
 * has any (*cls = that class, MF_CLASS_*). -1 with e if a ROI has no woman
 * id (released ROIs lost them) or a class other than normal/benign/malignant. */
int mf_cv_max_folds(const mf_roi_meta *meta, int n, int *cls, mf_err *e);

/* fold_of[i] in 0..folds-1 for every ROI. folds must be in
 * MF_CV_MIN_FOLDS..mf_cv_max_folds(), else -1 with e. */
int mf_cv_assign(const mf_roi_meta *meta, int n, int folds, uint64_t seed, int *fold_of, mf_err *e);

/* The roles of fold k (role allocated; free with mf_roles_free). 0 or -1. */
int mf_cv_roles(const int *fold_of, int n, int folds, int k, mf_roles *r);
void mf_roles_free(mf_roles *r);

/* Across folds: the mean and the sample standard deviation (n - 1) of the
 * defined (non-NaN) values of x[0..n); *m their count (mean NaN when m = 0,
 * sd NaN when m < 2). */
void mf_mean_sd(const double *x, int n, double *mean, double *sd, int *m);

#endif
