/* threshold.h: the decision threshold on a ROI score chosen on labelled
 * ROIs (evaluate.decision val_threshold: the validation split's ROIs, never
 * the evaluated ones). A ROI is Tumor when score >= t. Pure: no MPI, no files.
 *
 * The candidates are every midpoint between two consecutive distinct scores,
 * 0 (all Tumor) and the first double above the largest score (all Normal);
 * the one of highest accuracy wins, ties going to the candidate nearest 0.5
 * (the vote's own cut), then to the smaller. */
#ifndef MF_CORE_THRESHOLD_H
#define MF_CORE_THRESHOLD_H
#include <stdint.h>

#include "core/err.h"

/* label[i] in {0,1}, score[i] finite in [0, 1], n >= 1. *t the threshold,
 * *accuracy its accuracy on these n. */
int mf_threshold_best(int n, const int32_t *label, const double *score, double *t, double *accuracy, mf_err *e);

#endif
