/* evaluation.h: every figure of one evaluation level (ROIs or patches):
 * for the hard predictions the confusion matrix and its ratios, for each
 * score the ROC and PR curves with AUC and AP, and (optionally) the
 * bootstrap percentile intervals of core/bootstrap.h. One struct, so the
 * writers (io/eval_outputs.h) print what was computed here and nothing
 * else. Pure: no MPI, no files. */
#ifndef MF_CORE_EVALUATION_H
#define MF_CORE_EVALUATION_H
#include <stdint.h>

#include "core/bootstrap.h"
#include "core/metrics.h"

#define MF_EVAL_MAXSCORES 3

typedef struct mf_eval_level {
    int n;                                  /* items (ROIs or patches) */
    int nscores;
    const char *score_name[MF_EVAL_MAXSCORES];
    mf_confusion conf;                      /* of the hard predictions */
    mf_curves curves[MF_EVAL_MAXSCORES];
    int has_ci;                             /* bootstrap done */
    int B;                                  /* resamples */
    double confidence;
    uint64_t seed;
    mf_interval ci[MF_FIG_COUNT(MF_EVAL_MAXSCORES)]; /* bootstrap.h's figure order */
} mf_eval_level;

/* label[i], pred[i] in {0,1}; score[k][i] finite for k < nscores. B = 0: no
 * intervals. n >= 1. On error nothing is left allocated. */
int mf_eval_level_compute(mf_eval_level *L, int n, const int32_t *label, const int32_t *pred, int nscores,
                          const char *const *names, const double *const *score, int B, uint64_t seed,
                          double confidence, mf_err *e);
void mf_eval_level_free(mf_eval_level *L);

/* The point estimate of bootstrap figure f (MF_FIG_*, MF_FIG_AUC(k), ...). */
double mf_eval_figure(const mf_eval_level *L, int f);

#endif
