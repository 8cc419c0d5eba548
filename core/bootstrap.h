/* bootstrap.h: percentile bootstrap confidence intervals of the evaluation
 * figures (metrics.h), so the report can say how much a test set of a few
 * dozen ROIs pins them down.
 * Resampling is stratified by label: a resample draws the Normal ROIs with
 * replacement from the Normal ones and the Tumor ROIs from the Tumor ones,
 * so every resample keeps the class counts (and AUC and AP stay defined).
 * Draws are counter-based: draw j of resample b is
 *   mf_rng_below(seed, MF_STREAM_BOOTSTRAP, b * 2^32 + j, count of the class)
 * with draws j = 0 .. n0-1 the Normal ROIs and j = n0 .. n-1 the Tumor ones,
 * so the intervals are a pure function of (labels, predictions, scores, B,
 * seed, confidence), whatever the order resamples are computed in.
 * Intervals are numpy's default percentiles (np.percentile(x, [2.5, 97.5])
 * for confidence 0.95, linear interpolation) over the resamples where the
 * figure is defined: a NaN (e.g. Tumor precision of a resample with no
 * Tumor prediction) is left out and the count of valid resamples returned. */
#ifndef MF_BOOTSTRAP_H
#define MF_BOOTSTRAP_H
#include <stdint.h>

#include "core/err.h"

/* The figures, in this order; then per score k its ROC AUC and AP. */
enum {
    MF_FIG_ACCURACY,
    MF_FIG_NORMAL_RECALL,
    MF_FIG_NORMAL_PRECISION,
    MF_FIG_TUMOR_RECALL,
    MF_FIG_TUMOR_PRECISION,
    MF_FIG_NFIXED
};
#define MF_FIG_AUC(k) (MF_FIG_NFIXED + 2 * (k))
#define MF_FIG_AP(k) (MF_FIG_NFIXED + 2 * (k) + 1)
#define MF_FIG_COUNT(nscores) (MF_FIG_NFIXED + 2 * (nscores))

typedef struct mf_interval {
    double lo, hi; /* NaN if valid = 0 */
    int valid;     /* resamples where the figure is defined */
} mf_interval;

/* Resample b: idx[j] (j < n) is the item drawn by draw j (see above). */
int mf_bootstrap_draw(int n, const int32_t *label, uint64_t seed, uint32_t b, int *idx, mf_err *e);

/* values[b * MF_FIG_COUNT(nscores) + f]: figure f of resample b, b < B,
 * equal bit for bit to mf_confusion_compute / mf_curves_compute on the
 * resampled arrays. score[k][i]: score k of item i, finite. n >= 1. */
int mf_bootstrap_values(int n, const int32_t *label, const int32_t *pred, int nscores, const double *const *score,
                        int B, uint64_t seed, double *values, mf_err *e);

/* numpy's default (linear) percentile pct in [0, 100] of sorted[0..m), m >= 1,
 * computed as numpy 1.24 does it, so the values agree to the bit. */
double mf_percentile(const double *sorted, int m, double pct);

/* ci[f] for f < MF_FIG_COUNT(nscores): the percentile interval at
 * percentiles (100 - 100 c) / 2 and 100 minus that (2.5 and 97.5 exactly
 * for c = 0.95). B >= 1 resamples (2000 or more is usual), 0 < c < 1. */
int mf_bootstrap_ci(int n, const int32_t *label, const int32_t *pred, int nscores, const double *const *score,
                    int B, uint64_t seed, double confidence, mf_interval *ci, mf_err *e);

#endif
