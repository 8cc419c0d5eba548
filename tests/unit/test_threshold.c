/* test_threshold.c: the validation threshold (core/threshold.h) on hand
 * cases, and on random score sets against a brute force over every
 * threshold that can change a prediction (each distinct score and above the
 * top): the best accuracy must be the brute force's, the chosen t must give
 * it, and t must separate the same ROIs as the brute force's best cut
 * nearest 0.5. */
#include <stdint.h>

#include "check.h"
#include "core/rng.h"
#include "core/threshold.h"

static int correct_at(int n, const int32_t *y, const double *s, double t) {
    int c = 0;
    for (int i = 0; i < n; i++) c += (s[i] >= t) == (y[i] != 0);
    return c;
}

int main(void) {
    mf_err e = {{0}};
    double t, acc;
    /* separable: the cut falls between 0.3 and 0.6 (midpoint 0.45) */
    int32_t y1[4] = {0, 0, 1, 1};
    double s1[4] = {0.1, 0.3, 0.6, 0.9};
    CHECK(!mf_threshold_best(4, y1, s1, &t, &acc, &e));
    CHECK_NEAR(t, 0.45, 1e-15);
    CHECK(acc == 1.0);
    /* all Tumor ROIs score low: the cut that keeps every ROI Tumor (t = 0)
     * ties with others only if accuracy ties; here all-Tumor is best */
    int32_t y2[3] = {1, 1, 1};
    double s2[3] = {0.2, 0.1, 0.05};
    CHECK(!mf_threshold_best(3, y2, s2, &t, &acc, &e));
    CHECK(t == 0.0 && acc == 1.0);
    /* all Normal, high scores: t above the largest */
    int32_t y3[2] = {0, 0};
    double s3[2] = {0.7, 0.9};
    CHECK(!mf_threshold_best(2, y3, s3, &t, &acc, &e));
    CHECK(t > 0.9 && t < 0.9 + 1e-15 && acc == 1.0);
    /* ties in accuracy: 0.45 (between 0.4 and 0.5) beats 0.15 and 0.75 */
    int32_t y4[4] = {1, 0, 1, 0};
    double s4[4] = {0.1, 0.2, 0.5, 0.4};
    CHECK(!mf_threshold_best(4, y4, s4, &t, &acc, &e));
    CHECK_NEAR(t, 0.45, 1e-15);
    CHECK(acc == 0.75);
    /* equal scores move together */
    int32_t y5[3] = {1, 0, 1};
    double s5[3] = {0.5, 0.5, 0.2};
    CHECK(!mf_threshold_best(3, y5, s5, &t, &acc, &e));
    CHECK_EQ_INT(correct_at(3, y5, s5, t), (int)(acc * 3 + 0.5));
    /* bad input */
    double s6[1] = {NAN};
    CHECK(mf_threshold_best(1, y5, s6, &t, &acc, &e) == -1);
    CHECK(mf_threshold_best(0, y5, s5, &t, &acc, &e) == -1);
    /* random sets against the brute force */
    for (int trial = 0; trial < 500; trial++) {
        enum { N = 40 };
        int n = 1 + trial % N;
        int32_t y[N];
        double s[N];
        for (int i = 0; i < n; i++) {
            y[i] = mf_rng_unit(7, 1, (uint64_t)(trial * N + i)) < 0.4;
            /* coarse scores: many ties */
            s[i] = (double)(int)(mf_rng_unit(7, 2, (uint64_t)(trial * N + i)) * 10) / 10.0;
        }
        CHECK(!mf_threshold_best(n, y, s, &t, &acc, &e));
        int best = -1;
        for (int i = 0; i <= n; i++) {
            double cut = i < n ? s[i] : 2.0;
            int c = correct_at(n, y, s, cut);
            if (c > best) best = c;
        }
        int got = correct_at(n, y, s, t);
        CHECK_EQ_INT(got, best);
        CHECK(acc * n > best - 0.5 && acc * n < best + 0.5);
        CHECK(t >= 0.0 && t <= 1.0 + 1e-12);
    }
    return check_done();
}
