/* test_patch_plan.c: the patch plan: counts of the paper's and the released
 * code's plans, offsets in range and uniform, the grid, split order, any row
 * range equal to the same rows of the whole plan, and determinism. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/patch_plan.h"

/* The released split: train 125 N + 72 T, val 41 + 24, test 41 + 23, in the
 * order the released folders are read (per split: Normal, then Tumor). */
static void released_set(mf_roiset *s) {
    static const int counts[3][2] = {{125, 72}, {41, 24}, {41, 23}};
    mf_roiset_alloc(s, 326, 120);
    int i = 0;
    for (int sp = 0; sp < 3; sp++)
        for (int l = 0; l < 2; l++)
            for (int k = 0; k < counts[sp][l]; k++, i++) {
                s->meta[i].split = (uint8_t)sp;
                s->meta[i].label = (uint8_t)l;
            }
}

int main(void) {
    mf_roiset s;
    released_set(&s);
    mf_plan_params paper = {1, 72, 2000, 500, 5, 12, 7u, 4u};
    /* 72*2000+125*500 + 24*2000+41*500 + 23*2000+41*500 + 64*25 */
    CHECK_EQ_INT(mf_plan_count(&paper, &s), 206500 + 68500 + 66500 + 1600);
    mf_plan_params code = {1, 72, 1001, 251, 5, 12, 3u, 4u};
    CHECK_EQ_INT(mf_plan_count(&code, &s), 103447 + 34315 + 1600);
    mf_err e;
    CHECK_EQ_INT(mf_plan_check(&paper, 120, &e), 0);
    mf_plan_params bad = paper;
    bad.grid_stride = 13;
    CHECK_EQ_INT(mf_plan_check(&bad, 120, &e), -1);

    int64_t n = mf_plan_count(&code, &s);
    mf_patch *plan = malloc(sizeof *plan * (size_t)n);
    mf_plan_fill(&code, &s, plan);
    long hist[48] = {0};
    int bad_offsets = 0, order = 1;
    for (int64_t i = 0; i < n; i++) {
        if (i && plan[i].split < plan[i - 1].split) order = 0;
        if (plan[i].kind == MF_PATCH_DRAW) {
            bad_offsets += plan[i].row > 47 || plan[i].col > 47;
            hist[plan[i].row]++;
        } else {
            bad_offsets += plan[i].split != 2 || plan[i].row % 12 || plan[i].col % 12 || plan[i].row > 48;
        }
    }
    CHECK_EQ_INT(bad_offsets, 0);
    CHECK(order);
    long draws = 103447 + 34315, lo = draws, hi = 0;
    for (int k = 0; k < 48; k++) {
        lo = hist[k] < lo ? hist[k] : lo;
        hi = hist[k] > hi ? hist[k] : hi;
    }
    /* each offset ~2870 times: within 5 sigma (~270) */
    CHECK_MSG(lo > 2600 && hi < 3140, "offset histogram %ld..%ld", lo, hi);
    /* the last 25 rows are the grid of the last test ROI, row-major */
    CHECK_EQ_INT(plan[n - 25].row, 0);
    CHECK_EQ_INT(plan[n - 25].col, 0);
    CHECK_EQ_INT(plan[n - 24].col, 12);
    CHECK_EQ_INT(plan[n - 1].row, 48);
    CHECK_EQ_INT(plan[n - 1].col, 48);
    CHECK_EQ_INT(plan[n - 1].roi, 325);
    int64_t first, count;
    mf_plan_split_range(plan, n, 1, &first, &count);
    CHECK_EQ_INT(first, 103447);
    CHECK_EQ_INT(count, 34315);
    /* ranges equal the whole plan's rows, including ranges across segments */
    mf_plan_segment segs[326];
    int nseg = mf_plan_segments(&code, &s, segs);
    CHECK_EQ_INT(nseg, 326);
    mf_patch part[3000];
    int diff = 0;
    int64_t starts[5] = {0, 1000, 31374, n - 3000, 103447 - 17};
    for (int k = 0; k < 5; k++) {
        mf_plan_rows(&code, &s, segs, nseg, starts[k], 3000, part);
        diff += memcmp(part, plan + starts[k], sizeof part) != 0;
    }
    CHECK_EQ_INT(diff, 0);
    /* a pure function of the seed */
    mf_patch *again = malloc(sizeof *again * (size_t)n);
    mf_plan_fill(&code, &s, again);
    CHECK(!memcmp(plan, again, sizeof *plan * (size_t)n));
    code.seed = 2;
    mf_plan_fill(&code, &s, again);
    CHECK(memcmp(plan, again, sizeof *plan * (size_t)n) != 0);
    free(plan);
    free(again);
    mf_roiset_free(&s);
    return check_done();
}
