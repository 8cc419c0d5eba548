/* test_curve_band.c: core/curve_band.h: the grid readings agree with
 * metrics.h's curves (TPR interpolated between the ROC points; the PR step
 * whose area is AP); a weighted resample reads the same as the repeated
 * items; a typical case's band contains the sample's curve at every grid
 * point and is not degenerate; a perfect classifier's band collapses onto
 * its curve (TPR 1 and precision 1 everywhere); same seed, same bits;
 * input errors. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "core/curve_band.h"
#include "core/metrics.h"
#include "core/rng.h"

static void make_case(int n, uint64_t seed, int32_t *y, double *s) {
    for (int i = 0; i < n; i++) {
        y[i] = mf_rng_unit(seed, 100, (uint64_t)i) < 0.4;
        s[i] = round(20 * (mf_rng_unit(seed, 102, (uint64_t)i) + 0.3 * y[i])) / 20; /* with ties; AUC about 0.75 */
    }
}

/* np.interp(x, fpr, tpr) on the ROC points of metrics.h (first point at +inf skipped: it is (0,0) too). */
static double interp(const mf_curves *c, double x) {
    int j = 0;
    while (j + 1 < c->roc_n && c->roc_fpr[j + 1] <= x) j++;
    if (j + 1 == c->roc_n) return c->roc_tpr[j];
    return c->roc_tpr[j] + (x - c->roc_fpr[j]) / (c->roc_fpr[j + 1] - c->roc_fpr[j]) * (c->roc_tpr[j + 1] - c->roc_tpr[j]);
}

static void agrees_with_metrics(void) {
    enum { N = 50, M = MF_BAND_POINTS };
    int32_t y[N];
    double s[N], tpr[M], prec[M];
    make_case(N, 7, y, s);
    mf_ranking rk;
    mf_curves c;
    CHECK(mf_ranking_init(&rk, N, s, NULL) == 0);
    CHECK(mf_curves_compute(N, y, s, &c, NULL) == 0);
    mf_curves_on_grid(&rk, y, NULL, M, tpr, prec);
    int bad = 0;
    for (int k = 0; k < M; k++) bad += fabs(tpr[k] - interp(&c, (double)k / (M - 1))) > 1e-12;
    CHECK_EQ_INT(bad, 0);
    /* the PR step at recall x is the precision of the first point (PR order
     * reversed: threshold decreasing) with recall >= x */
    bad = 0;
    for (int k = 0; k < M; k++) {
        double x = (double)k / (M - 1), want = NAN;
        for (int j = c.pr_n - 1; j >= 0; j--)
            if (c.pr_recall[j] >= x) {
                want = c.pr_precision[j];
                break;
            }
        bad += prec[k] != want;
    }
    CHECK_EQ_INT(bad, 0);
    /* a weighted sample reads as its repeated items */
    int32_t w[N], yr[4 * N];
    double sr[4 * N], tpr2[M], prec2[M];
    int nr = 0;
    for (int i = 0; i < N; i++) {
        w[i] = (int32_t)(mf_rng_unit(3, 9, (uint64_t)i) * 4);
        for (int t = 0; t < w[i]; t++) {
            yr[nr] = y[i];
            sr[nr++] = s[i];
        }
    }
    mf_ranking rr;
    CHECK(mf_ranking_init(&rr, nr, sr, NULL) == 0);
    mf_curves_on_grid(&rk, y, w, M, tpr, prec);
    mf_curves_on_grid(&rr, yr, NULL, M, tpr2, prec2);
    CHECK(!memcmp(tpr, tpr2, sizeof tpr) && !memcmp(prec, prec2, sizeof prec));
    mf_ranking_free(&rr);
    mf_ranking_free(&rk);
    mf_curves_free(&c);
}

static void typical_band(void) {
    enum { N = 64 };
    int32_t y[N];
    double s[N];
    make_case(N, 11, y, s);
    mf_curve_band b, b2;
    CHECK(mf_curve_band_compute(&b, N, y, s, 500, 5, 0.95, MF_BAND_POINTS, NULL) == 0);
    int out = 0, wide = 0;
    for (int k = 0; k < b.m; k++) {
        out += !(b.roc_lo[k] <= b.roc_mid[k] && b.roc_mid[k] <= b.roc_hi[k]);
        out += !(b.pr_lo[k] <= b.pr_mid[k] && b.pr_mid[k] <= b.pr_hi[k]);
        wide += b.roc_hi[k] - b.roc_lo[k] > 0.05;
    }
    CHECK_EQ_INT(out, 0);
    CHECK_MSG(wide > 50, "only %d grid points with a band wider than 0.05", wide);
    CHECK(b.roc_mid[b.m - 1] == 1 && b.roc_lo[b.m - 1] == 1 && b.pr_mid[0] == 1);
    CHECK(mf_curve_band_compute(&b2, N, y, s, 500, 5, 0.95, MF_BAND_POINTS, NULL) == 0);
    CHECK(!memcmp(b.roc_mid, b2.roc_mid, 6 * (size_t)b.m * sizeof(double))); /* one block: mid, lo, hi, ... */
    mf_curve_band_free(&b2);
    CHECK(mf_curve_band_compute(&b2, N, y, s, 500, 6, 0.95, MF_BAND_POINTS, NULL) == 0);
    CHECK(memcmp(b.roc_lo, b2.roc_lo, (size_t)b.m * sizeof(double)) != 0);
    mf_curve_band_free(&b2);
    mf_curve_band_free(&b);
}

static void perfect_band(void) {
    enum { N = 30 };
    int32_t y[N];
    double s[N];
    for (int i = 0; i < N; i++) {
        y[i] = i % 3 == 0;
        s[i] = y[i] ? 0.6 + 0.01 * i : 0.01 * i;
    }
    mf_curve_band b;
    CHECK(mf_curve_band_compute(&b, N, y, s, 300, 1, 0.95, MF_BAND_POINTS, NULL) == 0);
    int bad = 0;
    for (int k = 0; k < b.m; k++)
        bad += b.roc_lo[k] != 1 || b.roc_hi[k] != 1 || b.roc_mid[k] != 1 || b.pr_lo[k] != 1 || b.pr_hi[k] != 1 ||
               b.pr_mid[k] != 1;
    CHECK_EQ_INT(bad, 0);
    mf_curve_band_free(&b);
}

static void degenerate(void) {
    int32_t y[4] = {1, 1, 1, 1};
    double s[4] = {0.1, 0.2, 0.3, 0.4};
    mf_curve_band b;
    CHECK(mf_curve_band_compute(&b, 4, y, s, 10, 1, 0.95, 11, NULL) == 0);
    CHECK(isnan(b.roc_mid[3]) && isnan(b.roc_lo[3]) && isnan(b.pr_hi[0]));
    mf_curve_band_free(&b);
    mf_err e = {{0}};
    CHECK(mf_curve_band_compute(&b, 4, y, s, 0, 1, 0.95, 11, &e) == -1 && b.roc_mid == NULL);
    CHECK(mf_curve_band_compute(&b, 4, y, s, 10, 1, 1.5, 11, &e) == -1);
    CHECK(mf_curve_band_compute(&b, 4, y, s, 10, 1, 0.95, 1, &e) == -1);
    double bad[4] = {0.1, NAN, 0.3, 0.4};
    CHECK(mf_curve_band_compute(&b, 4, y, bad, 10, 1, 0.95, 11, &e) == -1 && b.roc_mid == NULL);
}

int main(void) {
    agrees_with_metrics();
    typical_band();
    perfect_band();
    degenerate();
    return check_done();
}
