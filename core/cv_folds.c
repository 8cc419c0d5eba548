/* cv_folds.c: see cv_folds.h. */
#include "core/cv_folds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/sha256.h"

static const int class_order[3] = {MF_CLASS_BENIGN, MF_CLASS_MALIGNANT, MF_CLASS_NORMAL};
static const char *const class_names[3] = {"normal", "benign", "malignant"};

/* worst[w] for w in 0..*maxw: the worst class of woman w, -1 if she has no ROI. */
static int *worst_classes(const mf_roi_meta *meta, int n, int *maxw, mf_err *e) {
    *maxw = 0;
    for (int i = 0; i < n; i++) {
        if (meta[i].woman_id <= 0) {
            mf_fail(e, "cv: ROI %d has no woman id (released ROIs lost it): folds cannot be grouped by woman", i);
            return NULL;
        }
        if (meta[i].cls > MF_CLASS_MALIGNANT) {
            mf_fail(e, "cv: ROI %d is of class tumor (released ROIs): folds are stratified by normal/benign/malignant", i);
            return NULL;
        }
        if (meta[i].woman_id > *maxw) *maxw = meta[i].woman_id;
    }
    int *worst = malloc(sizeof(int) * (size_t)(*maxw + 1));
    if (!worst) {
        mf_fail(e, "cv: out of memory");
        return NULL;
    }
    for (int w = 0; w <= *maxw; w++) worst[w] = -1;
    for (int i = 0; i < n; i++) /* normal 0 < benign 1 < malignant 2 */
        if (meta[i].cls > worst[meta[i].woman_id]) worst[meta[i].woman_id] = meta[i].cls;
    return worst;
}

int mf_cv_max_folds(const mf_roi_meta *meta, int n, int *cls, mf_err *e) {
    int maxw;
    int *worst = worst_classes(meta, n, &maxw, e);
    if (!worst) return -1;
    int count[3] = {0, 0, 0};
    for (int w = 1; w <= maxw; w++)
        if (worst[w] >= 0) count[worst[w]]++;
    free(worst);
    int best = -1;
    *cls = -1;
    for (int c = 0; c < 3; c++)
        if (count[c] > 0 && (best < 0 || count[c] < best)) {
            best = count[c];
            *cls = c;
        }
    if (best < 0) return mf_fail(e, "cv: no ROIs");
    return best;
}

int mf_cv_assign(const mf_roi_meta *meta, int n, int folds, uint64_t seed, int *fold_of, mf_err *e) {
    int cls, most = mf_cv_max_folds(meta, n, &cls, e);
    if (most < 0) return -1;
    if (folds < MF_CV_MIN_FOLDS || folds > most)
        return mf_fail(e, "cv: %d folds: expected %d..%d (%d women have %s as their worst class)", folds,
                       MF_CV_MIN_FOLDS, most, most, class_names[cls]);
    int maxw;
    int *worst = worst_classes(meta, n, &maxw, e);
    if (!worst) return -1;
    int *women = malloc(sizeof(int) * (size_t)(maxw + 1)), *perm = malloc(sizeof(int) * (size_t)(maxw + 1));
    int *wfold = malloc(sizeof(int) * (size_t)(maxw + 1));
    if (!women || !perm || !wfold) {
        free(worst);
        free(women);
        free(perm);
        free(wfold);
        return mf_fail(e, "cv: out of memory");
    }
    int next = 0; /* the dealing goes on across classes */
    for (int c = 0; c < 3; c++) {
        int m = 0;
        for (int w = 1; w <= maxw; w++)
            if (worst[w] == class_order[c]) women[m++] = w;
        mf_rng_permutation(seed, MF_STREAM_CV_FOLDS, (uint64_t)class_order[c], m, perm);
        for (int k = 0; k < m; k++) {
            wfold[women[perm[k]]] = next;
            next = (next + 1) % folds;
        }
    }
    for (int i = 0; i < n; i++) fold_of[i] = wfold[meta[i].woman_id];
    free(worst);
    free(women);
    free(perm);
    free(wfold);
    return 0;
}

int mf_cv_roles(const int *fold_of, int n, int folds, int k, mf_roles *r) {
    memset(r, 0, sizeof *r);
    r->folds = folds;
    r->fold = k;
    r->n = n;
    r->role = malloc((size_t)(n > 0 ? n : 1));
    if (!r->role) return -1;
    for (int i = 0; i < n; i++)
        r->role[i] = fold_of[i] == k                   ? MF_ROLE_EVAL
                     : fold_of[i] == (k + 1) % folds ? MF_ROLE_VAL
                                                     : MF_ROLE_TRAIN;
    mf_sha256_buf(r->role, (size_t)n, r->digest);
    return 0;
}

void mf_roles_free(mf_roles *r) {
    free(r->role);
    r->role = NULL;
}

void mf_mean_sd(const double *x, int n, double *mean, double *sd, int *m) {
    double s = 0;
    *m = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i])) {
            s += x[i];
            (*m)++;
        }
    *mean = *m ? s / *m : NAN;
    double q = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(x[i])) q += (x[i] - *mean) * (x[i] - *mean);
    *sd = *m >= 2 ? sqrt(q / (*m - 1)) : NAN;
}
