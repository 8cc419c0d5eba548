/* test_bootstrap.c: the stratified, counter-based bootstrap of bootstrap.h:
 * the draws are the documented pure function of (seed, b, j) and keep the
 * class counts; each resample's figures equal metrics.h on the resampled
 * arrays bit for bit; same seed gives the same bits and another seed other
 * bits; constructed cases with known intervals (all correct: accuracy [1,1];
 * right on every Normal and wrong on every Tumor: accuracy n0/n in every
 * resample, Tumor precision never defined); a typical random case's
 * intervals contain the point estimates; numpy's percentiles computed by
 * hand; input errors. Prints the time of B = 2000, n = 300, 3 scores. */
#include <math.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "core/bootstrap.h"
#include "core/metrics.h"
#include "core/rng.h"

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b)); }

/* A typical test set: n items, about 40% Tumor, a prediction right 80% of
 * the time and three scores of varying quality (the third with ties). */
static void make_case(int n, uint64_t seed, int32_t *y, int32_t *p, double *s0, double *s1, double *s2) {
    for (int i = 0; i < n; i++) {
        y[i] = mf_rng_unit(seed, 100, (uint64_t)i) < 0.4;
        p[i] = mf_rng_unit(seed, 101, (uint64_t)i) < 0.8 ? y[i] : 1 - y[i];
        s0[i] = mf_rng_unit(seed, 102, (uint64_t)i) + 0.6 * y[i];
        s1[i] = mf_rng_unit(seed, 103, (uint64_t)i) + 0.2 * y[i];
        s2[i] = round(10 * (mf_rng_unit(seed, 104, (uint64_t)i) + 0.4 * y[i])) / 10;
    }
}

static void percentiles_by_hand(void) {
    /* x = 1..10 (m = 10): virtual index (m-1) q.
     * 2.5%: 9 * 0.025 = 0.225 -> x[0] + 0.225 (x[1] - x[0]) = 1.225;
     * 97.5%: 9 * 0.975 = 8.775, fraction >= 1/2 so numpy interpolates from
     * above: x[9] - (1 - 0.775)(x[9] - x[8]) = 9.775. The constants are
     * numpy's results printed with %.17g. */
    double x[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    CHECK(mf_percentile(x, 10, 2.5) == 1.2250000000000001);
    CHECK(mf_percentile(x, 10, 97.5) == 9.7750000000000004);
    /* 0.1 0.2 0.35 0.4 0.8 (m = 5): 2.5% vi 0.1 -> 0.1 + 0.1*0.1 = 0.11;
     * 10% vi 0.4 -> 0.14; 50% vi 2 -> 0.35; 62.5% vi 2.5 -> from above
     * 0.4 - 0.5*0.05 = 0.375; 97.5% vi 3.9 -> 0.8 - 0.1*0.4 = 0.76; the ends. */
    double y[5] = {0.1, 0.2, 0.35, 0.4, 0.8};
    const double q[7] = {0, 2.5, 10, 50, 62.5, 97.5, 100};
    const double np[7] = {0.10000000000000001, 0.11000000000000001, 0.14000000000000001, 0.34999999999999998,
                          0.375, 0.76000000000000001, 0.80000000000000004};
    for (int k = 0; k < 7; k++)
        CHECK_MSG(mf_percentile(y, 5, q[k]) == np[k], "percentile %g: %.17g", q[k], mf_percentile(y, 5, q[k]));
    double one = 0.25;
    CHECK(mf_percentile(&one, 1, 2.5) == 0.25 && mf_percentile(&one, 1, 97.5) == 0.25);
}

static void draws(void) {
    enum { N = 37 };
    int32_t y[N];
    int idx[N], n0 = 0, normals[N], tumors[N], n1 = 0;
    mf_err e;
    for (int i = 0; i < N; i++) {
        y[i] = i % 3 == 1;
        if (y[i]) tumors[n1++] = i;
        else normals[n0++] = i;
    }
    for (uint32_t b = 0; b < 50; b++) {
        CHECK_EQ_INT(mf_bootstrap_draw(N, y, 7, b, idx, &e), 0);
        int ok = 1, tum = 0;
        for (int j = 0; j < N; j++) {
            ok &= idx[j] >= 0 && idx[j] < N && y[idx[j]] == (j >= n0);
            tum += y[idx[j]];
            /* the documented draw j of resample b */
            uint64_t key = ((uint64_t)b << 32) + (uint64_t)j;
            int want = j < n0 ? normals[mf_rng_below(7, MF_STREAM_BOOTSTRAP, key, (uint32_t)n0)]
                              : tumors[mf_rng_below(7, MF_STREAM_BOOTSTRAP, key, (uint32_t)n1)];
            ok &= idx[j] == want;
        }
        CHECK_MSG(ok && tum == n1, "resample %u: %d Tumor drawn, %d expected", b, tum, n1);
    }
    /* resamples differ from each other */
    int a[N];
    mf_bootstrap_draw(N, y, 7, 0, idx, &e);
    mf_bootstrap_draw(N, y, 7, 1, a, &e);
    CHECK(memcmp(a, idx, sizeof a) != 0);
}

/* Every resample's figures are those of the resampled arrays. */
static void values_are_resampled_figures(void) {
    enum { N = 120, B = 40 };
    int32_t y[N], p[N], ry[N], rp[N];
    double s0[N], s1[N], s2[N], r0[N], r1[N], r2[N];
    make_case(N, 3, y, p, s0, s1, s2);
    const double *sc[3] = {s0, s1, s2};
    double *rs[3] = {r0, r1, r2};
    double v[B * MF_FIG_COUNT(3)];
    int idx[N];
    mf_err e;
    CHECK_EQ_INT(mf_bootstrap_values(N, y, p, 3, sc, B, 11, v, &e), 0);
    int bad = 0;
    for (int b = 0; b < B; b++) {
        mf_bootstrap_draw(N, y, 11, (uint32_t)b, idx, &e);
        for (int j = 0; j < N; j++) {
            ry[j] = y[idx[j]], rp[j] = p[idx[j]];
            for (int k = 0; k < 3; k++) rs[k][j] = sc[k][idx[j]];
        }
        mf_confusion c;
        mf_confusion_compute(N, ry, rp, &c, &e);
        const double *row = v + b * MF_FIG_COUNT(3);
        bad += !same_bits(row[MF_FIG_ACCURACY], c.accuracy) || !same_bits(row[MF_FIG_NORMAL_RECALL], c.recall[0]) ||
               !same_bits(row[MF_FIG_NORMAL_PRECISION], c.precision[0]) ||
               !same_bits(row[MF_FIG_TUMOR_RECALL], c.recall[1]) || !same_bits(row[MF_FIG_TUMOR_PRECISION], c.precision[1]);
        for (int k = 0; k < 3; k++) {
            mf_curves cv;
            mf_curves_compute(N, ry, rs[k], &cv, &e);
            bad += !same_bits(row[MF_FIG_AUC(k)], cv.roc_auc) || !same_bits(row[MF_FIG_AP(k)], cv.ap);
            mf_curves_free(&cv);
        }
    }
    CHECK_EQ_INT(bad, 0);
}

static void determinism(void) {
    enum { N = 150, B = 500 };
    int32_t y[N], p[N];
    double s0[N], s1[N], s2[N];
    make_case(N, 5, y, p, s0, s1, s2);
    const double *sc[3] = {s0, s1, s2};
    mf_interval a[MF_FIG_COUNT(3)], b[MF_FIG_COUNT(3)], c[MF_FIG_COUNT(3)];
    mf_err e;
    CHECK_EQ_INT(mf_bootstrap_ci(N, y, p, 3, sc, B, 42, 0.95, a, &e), 0);
    CHECK_EQ_INT(mf_bootstrap_ci(N, y, p, 3, sc, B, 42, 0.95, b, &e), 0);
    CHECK_EQ_INT(mf_bootstrap_ci(N, y, p, 3, sc, B, 43, 0.95, c, &e), 0);
    int same = 1, differ = 0;
    for (int f = 0; f < MF_FIG_COUNT(3); f++) {
        same &= same_bits(a[f].lo, b[f].lo) && same_bits(a[f].hi, b[f].hi) && a[f].valid == b[f].valid;
        differ += !same_bits(a[f].lo, c[f].lo) || !same_bits(a[f].hi, c[f].hi);
    }
    CHECK(same);
    CHECK_MSG(differ >= 1, "seed 43 gives the intervals of seed 42");
    /* and another seed draws other resamples: the AUCs of nearly every row differ */
    enum { F = MF_FIG_COUNT(3) };
    static double va[B * F], vc[B * F];
    CHECK_EQ_INT(mf_bootstrap_values(N, y, p, 3, sc, B, 42, va, &e), 0);
    CHECK_EQ_INT(mf_bootstrap_values(N, y, p, 3, sc, B, 43, vc, &e), 0);
    int rows = 0;
    for (int r = 0; r < B; r++) rows += !same_bits(va[r * F + MF_FIG_AUC(0)], vc[r * F + MF_FIG_AUC(0)]);
    CHECK_MSG(rows > B * 95 / 100, "seeds 42 and 43: %d of %d resamples differ", rows, B);
}

static void constructed_cases(void) {
    enum { N = 30, B = 2000 };
    int32_t y[N], p[N];
    double s[N];
    for (int i = 0; i < N; i++) y[i] = i < 20 ? 0 : 1, s[i] = i;
    const double *sc[1] = {s};
    mf_interval ci[MF_FIG_COUNT(1)];
    mf_err e;
    /* all correct: every figure is 1 in every resample */
    CHECK_EQ_INT(mf_bootstrap_ci(N, y, y, 1, sc, B, 1, 0.95, ci, &e), 0);
    for (int f = 0; f < MF_FIG_COUNT(1); f++)
        CHECK_MSG(ci[f].lo == 1 && ci[f].hi == 1 && ci[f].valid == B, "figure %d: [%g, %g] valid %d", f, ci[f].lo,
                  ci[f].hi, ci[f].valid);
    /* right on every Normal, wrong on every Tumor (all predicted Normal): a
     * resample keeping 20 Normal and 10 Tumor has accuracy 20/30 exactly;
     * Tumor recall 0; Tumor precision never defined; Normal precision 20/30 */
    for (int i = 0; i < N; i++) p[i] = 0;
    CHECK_EQ_INT(mf_bootstrap_ci(N, y, p, 1, sc, B, 1, 0.95, ci, &e), 0);
    CHECK(ci[MF_FIG_ACCURACY].lo == 20.0 / 30.0 && ci[MF_FIG_ACCURACY].hi == 20.0 / 30.0);
    CHECK(ci[MF_FIG_NORMAL_PRECISION].lo == 20.0 / 30.0 && ci[MF_FIG_NORMAL_PRECISION].hi == 20.0 / 30.0);
    CHECK(ci[MF_FIG_TUMOR_RECALL].lo == 0 && ci[MF_FIG_TUMOR_RECALL].hi == 0);
    const mf_interval *tp = &ci[MF_FIG_TUMOR_PRECISION];
    CHECK(tp->valid == 0 && isnan(tp->lo) && isnan(tp->hi));
    /* wrong on exactly one Tumor: accuracy 29/30 - (k - 1)/30 where k counts
     * the copies of that Tumor among the 10 drawn; Tumor precision always 1
     * when defined; Normal recall 1 */
    for (int i = 0; i < N; i++) p[i] = y[i];
    p[25] = 0;
    CHECK_EQ_INT(mf_bootstrap_ci(N, y, p, 1, sc, B, 1, 0.95, ci, &e), 0);
    CHECK(ci[MF_FIG_NORMAL_RECALL].lo == 1 && ci[MF_FIG_NORMAL_RECALL].hi == 1);
    CHECK(ci[MF_FIG_TUMOR_PRECISION].lo == 1 && ci[MF_FIG_TUMOR_PRECISION].hi == 1 && ci[MF_FIG_TUMOR_PRECISION].valid == B);
    CHECK(ci[MF_FIG_ACCURACY].hi == 1 && ci[MF_FIG_ACCURACY].lo < 1 && ci[MF_FIG_ACCURACY].lo >= 27.0 / 30.0 - 1e-15);
    /* a class absent: AUC and AP undefined in every resample, Tumor recall too */
    int32_t z[N];
    for (int i = 0; i < N; i++) z[i] = 0;
    CHECK_EQ_INT(mf_bootstrap_ci(N, z, p, 1, sc, 200, 1, 0.95, ci, &e), 0);
    CHECK(ci[MF_FIG_AUC(0)].valid == 0 && ci[MF_FIG_AP(0)].valid == 0 && isnan(ci[MF_FIG_AUC(0)].lo));
    CHECK(ci[MF_FIG_TUMOR_RECALL].valid == 0);
}

static void contains_point_estimate(void) {
    enum { N = 300, B = 2000 };
    int32_t y[N], p[N];
    double s0[N], s1[N], s2[N];
    const double *sc[3] = {s0, s1, s2};
    mf_interval ci[MF_FIG_COUNT(3)];
    mf_err e;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        make_case(N, seed, y, p, s0, s1, s2);
        mf_confusion c;
        mf_confusion_compute(N, y, p, &c, &e);
        double point[MF_FIG_COUNT(3)] = {c.accuracy, c.recall[0], c.precision[0], c.recall[1], c.precision[1]};
        for (int k = 0; k < 3; k++) {
            mf_curves cv;
            mf_curves_compute(N, y, sc[k], &cv, &e);
            point[MF_FIG_AUC(k)] = cv.roc_auc;
            point[MF_FIG_AP(k)] = cv.ap;
            mf_curves_free(&cv);
        }
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        CHECK_EQ_INT(mf_bootstrap_ci(N, y, p, 3, sc, B, seed, 0.95, ci, &e), 0);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (seed == 1)
            printf("bootstrap B=%d n=%d scores=3: %.1f ms\n", B, N,
                   1e3 * (double)(t1.tv_sec - t0.tv_sec) + 1e-6 * (double)(t1.tv_nsec - t0.tv_nsec));
        for (int f = 0; f < MF_FIG_COUNT(3); f++) {
            CHECK_MSG(ci[f].lo <= point[f] && point[f] <= ci[f].hi && ci[f].lo < ci[f].hi,
                      "seed %d figure %d: %.4f not in [%.4f, %.4f]", (int)seed, f, point[f], ci[f].lo, ci[f].hi);
            CHECK_MSG(ci[f].hi - ci[f].lo < 0.3, "seed %d figure %d: [%.4f, %.4f] too wide", (int)seed, f, ci[f].lo,
                      ci[f].hi);
            CHECK_EQ_INT(ci[f].valid, B);
        }
    }
}

static void bad_input(void) {
    int32_t y[3] = {0, 1, 1}, p[3] = {0, 1, 3};
    double s[3] = {0.1, 0.2, 0.3};
    const double *sc[1] = {s};
    mf_interval ci[MF_FIG_COUNT(1)];
    mf_err e;
    CHECK_EQ_INT(mf_bootstrap_ci(3, y, p, 1, sc, 10, 1, 0.95, ci, &e), -1);
    CHECK_MSG(strstr(e.msg, "pred[2] = 3") != NULL, "message: %s", e.msg);
    p[2] = 1;
    CHECK_EQ_INT(mf_bootstrap_ci(3, y, p, 1, sc, 0, 1, 0.95, ci, &e), -1);
    CHECK_EQ_INT(mf_bootstrap_ci(3, y, p, 1, sc, 10, 1, 1.0, ci, &e), -1);
    CHECK_EQ_INT(mf_bootstrap_ci(0, y, p, 1, sc, 10, 1, 0.95, ci, &e), -1);
    s[1] = INFINITY;
    CHECK_EQ_INT(mf_bootstrap_ci(3, y, p, 1, sc, 10, 1, 0.95, ci, &e), -1);
    CHECK_MSG(strstr(e.msg, "score[1]") != NULL, "message: %s", e.msg);
}

int main(void) {
    percentiles_by_hand();
    draws();
    values_are_resampled_figures();
    determinism();
    constructed_cases();
    contains_point_estimate();
    bad_input();
    return check_done();
}
