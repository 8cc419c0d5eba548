/* test_split.c: the split's ceil rule (FACTS.md: Benign 68 -> 41/14/13,
 * Malignant 51 -> 31/10/10, Normal 207 -> 125/41/41), its guard against
 * 0.8 * 5 = 4.000000000000001, and the woman-grouped split keeping every
 * woman on one side. */
#include "check.h"
#include "core/config.h"
#include "core/split.h"

static void counts_of(int n, int out[3]) {
    out[0] = out[1] = out[2] = 0;
    for (int k = 1; k <= n; k++) out[mf_split_of_position(k, n, 0.6, 0.2)]++;
}

int main(void) {
    int c[3];
    counts_of(68, c);
    CHECK(c[0] == 41 && c[1] == 14 && c[2] == 13);
    counts_of(51, c);
    CHECK(c[0] == 31 && c[1] == 10 && c[2] == 10);
    counts_of(207, c);
    CHECK(c[0] == 125 && c[1] == 41 && c[2] == 41);
    counts_of(5, c); /* ceil(3) = 3, ceil(4) = 4: not 5 */
    CHECK(c[0] == 3 && c[1] == 1 && c[2] == 1);
    /* a set like the paper's: 207 normal, 68 benign, 51 malignant, 2 ROIs per woman here and there */
    mf_roiset s;
    mf_roiset_alloc(&s, 326, 8);
    for (int i = 0; i < 326; i++) {
        s.meta[i].cls = i < 207 ? MF_CLASS_NORMAL : i < 275 ? MF_CLASS_BENIGN : MF_CLASS_MALIGNANT;
        s.meta[i].image_id = i + 1 - (i % 7 == 3); /* some images with two ROIs */
        s.meta[i].woman_id = (s.meta[i].image_id + 1) / 2;
    }
    mf_err e;
    CHECK_EQ_INT(mf_split_assign(&s, MF_SPLITMODE_PAPER, 0.6, 0.2, 1, &e), 0);
    int counts[3][MF_ROI_NCLASS];
    mf_roiset_counts(&s, counts);
    CHECK(counts[0][0] == 125 && counts[1][0] == 41 && counts[2][0] == 41);
    CHECK(counts[0][1] == 41 && counts[1][1] == 14 && counts[2][1] == 13);
    CHECK(counts[0][2] == 31 && counts[1][2] == 10 && counts[2][2] == 10);
    CHECK_EQ_INT(mf_split_assign(&s, MF_SPLITMODE_WOMAN, 0.6, 0.2, 1, &e), 0);
    int apart = 0, per[3] = {0, 0, 0};
    for (int i = 0; i < 326; i++) {
        per[s.meta[i].split]++;
        for (int j = i + 1; j < 326; j++)
            apart += s.meta[i].woman_id == s.meta[j].woman_id && s.meta[i].split != s.meta[j].split;
    }
    CHECK_EQ_INT(apart, 0);
    CHECK_MSG(per[0] > 180 && per[0] < 215 && per[1] > 50 && per[2] > 50, "woman split %d/%d/%d", per[0], per[1], per[2]);
    s.meta[5].woman_id = 0;
    CHECK_EQ_INT(mf_split_assign(&s, MF_SPLITMODE_WOMAN, 0.6, 0.2, 1, &e), -1);
    CHECK_EQ_INT(mf_split_assign(&s, MF_SPLITMODE_PAPER, 0.7, 0.3, 1, &e), -1);
    mf_roiset_free(&s);
    return check_done();
}
