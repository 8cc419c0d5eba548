/* evaluation.c: see evaluation.h. */
#include "core/evaluation.h"

#include <string.h>

int mf_eval_level_compute(mf_eval_level *L, int n, const int32_t *label, const int32_t *pred, int nscores,
                          const char *const *names, const double *const *score, int B, uint64_t seed,
                          double confidence, mf_err *e) {
    memset(L, 0, sizeof *L);
    if (n < 1 || nscores < 1 || nscores > MF_EVAL_MAXSCORES) return mf_fail(e, "evaluate: internal: %d items, %d scores", n, nscores);
    L->n = n;
    L->nscores = nscores;
    for (int k = 0; k < nscores; k++) L->score_name[k] = names[k];
    if (mf_confusion_compute(n, label, pred, &L->conf, e)) return -1;
    for (int k = 0; k < nscores; k++)
        if (mf_curves_compute(n, label, score[k], &L->curves[k], e)) {
            mf_eval_level_free(L);
            return -1;
        }
    if (B > 0) {
        L->has_ci = 1;
        L->B = B;
        L->seed = seed;
        L->confidence = confidence;
        if (mf_bootstrap_ci(n, label, pred, nscores, score, B, seed, confidence, L->ci, e)) {
            mf_eval_level_free(L);
            return -1;
        }
    }
    return 0;
}

void mf_eval_level_free(mf_eval_level *L) {
    for (int k = 0; k < MF_EVAL_MAXSCORES; k++)
        if (k < L->nscores) mf_curves_free(&L->curves[k]);
    L->nscores = 0;
}

double mf_eval_figure(const mf_eval_level *L, int f) {
    switch (f) {
    case MF_FIG_ACCURACY: return L->conf.accuracy;
    case MF_FIG_NORMAL_RECALL: return L->conf.recall[0];
    case MF_FIG_NORMAL_PRECISION: return L->conf.precision[0];
    case MF_FIG_TUMOR_RECALL: return L->conf.recall[1];
    case MF_FIG_TUMOR_PRECISION: return L->conf.precision[1];
    default: {
        int k = (f - MF_FIG_NFIXED) / 2;
        return (f - MF_FIG_NFIXED) % 2 ? L->curves[k].ap : L->curves[k].roc_auc;
    }
    }
}
