/* curve_band.h: bootstrap bands of the ROC and precision-recall curves, for
 * the report's figures: on a fixed grid x_k = k / (m - 1), k < m (101
 * points), each resample's curve is read off at every x_k and the band is
 * the percentile interval per grid point:
 *   ROC: the TPR at FPR x_k, linear between the curve's points (np.interp on
 *        the points in threshold order; on a vertical run, its top);
 *   PR:  the precision at recall x_k of the step function AP integrates
 *        (metrics.h: AP = sum_k (R_k - R_{k-1}) P_k), i.e. the precision of
 *        the first point, by decreasing threshold, whose recall is >= x_k
 *        (at x = 0 the curve's end point, precision 1).
 * The resamples are core/bootstrap.h's (mf_bootstrap_draw: stratified,
 * counter-based, resample b of seed), kept as multiplicities, and the
 * percentiles numpy's (mf_percentile), so the band is a pure function of
 * (labels, scores, B, seed, confidence, m). Pure: no MPI, no files. */
#ifndef MF_CORE_CURVE_BAND_H
#define MF_CORE_CURVE_BAND_H
#include <stdint.h>

#include "core/err.h"
#include "core/metrics.h"

#define MF_BAND_POINTS 101

typedef struct mf_curve_band {
    int m;                            /* grid points, x_k = k / (m - 1) */
    double *roc_mid, *roc_lo, *roc_hi; /* TPR at FPR x_k: the sample's curve, the interval */
    double *pr_mid, *pr_lo, *pr_hi;    /* precision at recall x_k */
} mf_curve_band;

/* The curve of the sample where item i counts weight[i] >= 0 times (NULL:
 * once each) on the grid of m >= 2 points: tpr[m] and precision[m]. NaN
 * everywhere if a class has weight 0. */
void mf_curves_on_grid(const mf_ranking *r, const int32_t *label, const int32_t *weight, int m, double *tpr,
                       double *precision);

/* label[i] in {0, 1}, score[i] finite, n >= 1, B >= 1, 0 < confidence < 1,
 * m >= 2. With a class absent every value is NaN. On error nothing is left
 * allocated. */
int mf_curve_band_compute(mf_curve_band *b, int n, const int32_t *label, const double *score, int B, uint64_t seed,
                          double confidence, int m, mf_err *e);
void mf_curve_band_free(mf_curve_band *b);

#endif
