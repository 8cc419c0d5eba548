/* curve_band.c: see curve_band.h. One walk over the score groups per
 * resample (O(n + m)), the resample's values stored per grid point, then one
 * sort per grid point. */
#include "core/curve_band.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/bootstrap.h"

/* The curve's points in threshold order: (fpr, tpr, precision, recall);
 * point 0 is (0, 0) with precision 1 (PR's end point). Returns the count. */
static int walk(const mf_ranking *r, const int32_t *label, const int32_t *weight, double *fpr, double *tpr,
                double *prec, int *np_out) {
    double P = 0, N = 0;
    for (int i = 0; i < r->n; i++) {
        double w = weight ? weight[i] : 1;
        if (label[i]) P += w;
        else N += w;
    }
    if (P == 0 || N == 0) return *np_out = 0;
    double tp = 0, fp = 0;
    int k = 0, np = 1;
    fpr[0] = tpr[0] = 0;
    prec[0] = 1;
    for (int g = 0; g < r->ngroups; g++) {
        double dt = 0, df = 0;
        for (; k < r->group_end[g]; k++) {
            int i = r->order[k];
            double w = weight ? weight[i] : 1;
            if (label[i]) dt += w;
            else df += w;
        }
        if (dt + df == 0) continue; /* no item of this score was drawn */
        tp += dt;
        fp += df;
        fpr[np] = fp / N;
        tpr[np] = tp / P;
        prec[np] = tp / (tp + fp);
        np++;
    }
    return *np_out = np;
}

void mf_curves_on_grid(const mf_ranking *r, const int32_t *label, const int32_t *weight, int m, double *tpr_out,
                       double *prec_out) {
    size_t cap = (size_t)r->ngroups + 1;
    double *buf = malloc(3 * cap * sizeof(double));
    int np = 0;
    if (buf) walk(r, label, weight, buf, buf + cap, buf + 2 * cap, &np);
    const double *fpr = buf, *tpr = buf + cap, *prec = buf + 2 * cap;
    int j = 0, q = 0;
    for (int k = 0; k < m; k++) {
        double x = (double)k / (double)(m - 1);
        if (np == 0) {
            tpr_out[k] = prec_out[k] = NAN;
            continue;
        }
        while (j + 1 < np && fpr[j + 1] <= x) j++; /* the last point with fpr <= x (top of a vertical run) */
        tpr_out[k] = j + 1 < np ? tpr[j] + (x - fpr[j]) / (fpr[j + 1] - fpr[j]) * (tpr[j + 1] - tpr[j]) : tpr[j];
        while (q < np - 1 && tpr[q] < x) q++;   /* the first point with recall >= x */
        prec_out[k] = prec[q];
    }
    free(buf);
}

static int cmp_double(const void *pa, const void *pb) {
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* lo[k], hi[k]: the percentiles of vals[b * m + k] over b < B (NaN left out). */
static void band_of(const double *vals, int B, int m, double plo, double phi, double *col, double *lo, double *hi) {
    for (int k = 0; k < m; k++) {
        int c = 0;
        for (int b = 0; b < B; b++) {
            double v = vals[(size_t)b * (size_t)m + (size_t)k];
            if (!isnan(v)) col[c++] = v;
        }
        qsort(col, (size_t)c, sizeof(double), cmp_double);
        lo[k] = c ? mf_percentile(col, c, plo) : NAN;
        hi[k] = c ? mf_percentile(col, c, phi) : NAN;
    }
}

void mf_curve_band_free(mf_curve_band *b) {
    free(b->roc_mid);
    memset(b, 0, sizeof *b);
}

int mf_curve_band_compute(mf_curve_band *b, int n, const int32_t *label, const double *score, int B, uint64_t seed,
                          double confidence, int m, mf_err *e) {
    memset(b, 0, sizeof *b);
    if (n < 1 || B < 1 || m < 2) return mf_fail(e, "curve band: %d items, %d resamples, %d grid points", n, B, m);
    if (!(confidence > 0 && confidence < 1))
        return mf_fail(e, "curve band: confidence %g, expected between 0 and 1", confidence);
    mf_ranking rk;
    if (mf_ranking_init(&rk, n, score, e)) return -1;
    double *all = malloc(6 * (size_t)m * sizeof(double));
    double *roc = malloc((size_t)B * (size_t)m * sizeof(double)), *pr = malloc((size_t)B * (size_t)m * sizeof(double));
    double *col = malloc((size_t)B * sizeof(double));
    int *idx = malloc((size_t)n * sizeof(int));
    int32_t *w = malloc((size_t)n * sizeof(int32_t));
    int rc = 0;
    if (!all || !roc || !pr || !col || !idx || !w) rc = mf_fail(e, "curve band: out of memory for %d x %d values", B, m);
    if (!rc) {
        b->m = m;
        b->roc_mid = all;
        b->roc_lo = all + m;
        b->roc_hi = all + 2 * m;
        b->pr_mid = all + 3 * m;
        b->pr_lo = all + 4 * m;
        b->pr_hi = all + 5 * m;
        all = NULL;
        mf_curves_on_grid(&rk, label, NULL, m, b->roc_mid, b->pr_mid);
    }
    for (int r = 0; r < B && !rc; r++) {
        if (mf_bootstrap_draw(n, label, seed, (uint32_t)r, idx, e)) {
            rc = -1;
            break;
        }
        memset(w, 0, (size_t)n * sizeof(int32_t));
        for (int j = 0; j < n; j++) w[idx[j]]++;
        mf_curves_on_grid(&rk, label, w, m, roc + (size_t)r * (size_t)m, pr + (size_t)r * (size_t)m);
    }
    if (!rc) {
        double plo = (100.0 - 100.0 * confidence) / 2, phi = 100.0 - plo; /* as mf_bootstrap_ci */
        band_of(roc, B, m, plo, phi, col, b->roc_lo, b->roc_hi);
        band_of(pr, B, m, plo, phi, col, b->pr_lo, b->pr_hi);
    } else {
        mf_curve_band_free(b);
    }
    mf_ranking_free(&rk);
    free(all);
    free(roc);
    free(pr);
    free(col);
    free(idx);
    free(w);
    return rc;
}
