/* test_cv_folds.c: the cross-validation folds (core/cv_folds.h) on a set
 * shaped like MIAS (207 normal, 68 benign, 51 malignant ROIs, some images
 * with two lesions, two images per woman): no woman in two folds, every
 * fold's count of each class's women within one of ideal (women / folds),
 * the same folds for the same seed and other folds for another, the limit
 * on the fold count, and the roles of a fold. */
#include <string.h>

#include "check.h"
#include "core/cv_folds.h"

#define N 326

static void make_set(mf_roi_meta *m) {
    memset(m, 0, sizeof(mf_roi_meta) * N);
    for (int i = 0; i < N; i++) {
        m[i].cls = i < 207 ? MF_CLASS_NORMAL : i < 275 ? MF_CLASS_BENIGN : MF_CLASS_MALIGNANT;
        m[i].image_id = i + 1 - (i % 7 == 3); /* some images with two ROIs */
        m[i].woman_id = (m[i].image_id + 1) / 2;
    }
}

int main(void) {
    static mf_roi_meta m[N];
    make_set(m);
    mf_err e;
    int cls = -2, most = mf_cv_max_folds(m, N, &cls, &e);
    /* women by worst class, counted independently */
    int worst[N] = {0}, maxw = 0;
    for (int w = 0; w < N; w++) worst[w] = -1;
    for (int i = 0; i < N; i++) {
        if (m[i].cls > worst[m[i].woman_id]) worst[m[i].woman_id] = m[i].cls;
        if (m[i].woman_id > maxw) maxw = m[i].woman_id;
    }
    int nw[3] = {0, 0, 0};
    for (int w = 1; w <= maxw; w++)
        if (worst[w] >= 0) nw[worst[w]]++;
    CHECK_EQ_INT(cls, MF_CLASS_MALIGNANT);
    CHECK_EQ_INT(most, nw[2]);
    static int fold[N], again[N], other[N];
    for (int K = 3; K <= 10; K++) {
        CHECK_EQ_INT(mf_cv_assign(m, N, K, 7, fold, &e), 0);
        int apart = 0;
        for (int i = 0; i < N; i++) {
            CHECK(fold[i] >= 0 && fold[i] < K);
            for (int j = i + 1; j < N; j++) apart += m[i].woman_id == m[j].woman_id && fold[i] != fold[j];
        }
        CHECK_EQ_INT(apart, 0);
        for (int c = 0; c < 3; c++)
            for (int k = 0; k < K; k++) {
                int have = 0;
                for (int w = 1; w <= maxw; w++) {
                    if (worst[w] != c) continue;
                    int i = 0;
                    while (m[i].woman_id != w) i++;
                    have += fold[i] == k;
                }
                double ideal = (double)nw[c] / K;
                CHECK_MSG(have >= ideal - 1 && have <= ideal + 1, "K %d fold %d class %d: %d women, ideal %.2f", K, k,
                          c, have, ideal);
            }
        CHECK_EQ_INT(mf_cv_assign(m, N, K, 7, again, &e), 0);
        CHECK(!memcmp(fold, again, sizeof fold));
        CHECK_EQ_INT(mf_cv_assign(m, N, K, 8, other, &e), 0);
        CHECK(memcmp(fold, other, sizeof fold) != 0);
    }
    CHECK_EQ_INT(mf_cv_assign(m, N, most + 1, 7, fold, &e), -1);
    CHECK(strstr(e.msg, "malignant") != NULL);
    CHECK_EQ_INT(mf_cv_assign(m, N, 2, 7, fold, &e), -1);
    /* roles of fold 2 of 5: eval = fold 2, val = fold 3, train the rest; every ROI evaluated once over the folds */
    CHECK_EQ_INT(mf_cv_assign(m, N, 5, 7, fold, &e), 0);
    int evaluated[N] = {0};
    char digests[5][65];
    for (int k = 0; k < 5; k++) {
        mf_roles r;
        CHECK_EQ_INT(mf_cv_roles(fold, N, 5, k, &r), 0);
        for (int i = 0; i < N; i++) {
            int want = fold[i] == k ? MF_ROLE_EVAL : fold[i] == (k + 1) % 5 ? MF_ROLE_VAL : MF_ROLE_TRAIN;
            CHECK(r.role[i] == want);
            evaluated[i] += r.role[i] == MF_ROLE_EVAL;
        }
        CHECK_EQ_INT(strlen(r.digest), 64);
        memcpy(digests[k], r.digest, 65);
        mf_roles_free(&r);
    }
    int once = 1;
    for (int i = 0; i < N; i++) once &= evaluated[i] == 1;
    CHECK(once);
    CHECK(strcmp(digests[0], digests[1]) != 0);
    /* no woman id: refused */
    m[4].woman_id = 0;
    CHECK_EQ_INT(mf_cv_max_folds(m, N, &cls, &e), -1);
    CHECK(strstr(e.msg, "woman") != NULL);
    return check_done();
}
