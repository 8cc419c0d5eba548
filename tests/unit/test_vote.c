/* test_vote.c: the vote rules (ties to Tumor at patch and ROI level), the
 * deal of chunks to ranks (range starts at multiples of the batch, every
 * item exactly once), and that per-(chunk, ROI) tallies folded in chunk
 * order do not depend on how the chunks are dealt. */
#include <string.h>

#include "check.h"
#include "core/vote.h"

int main(void) {
    CHECK(mf_vote_patch(0.5f, 0.5f) == 1);
    CHECK(mf_vote_patch(0.6f, 0.4f) == 0);
    CHECK(mf_vote_patch(0.4f, 0.6f) == 1);
    CHECK(mf_vote_roi(5, 10) == 1);
    CHECK(mf_vote_roi(4, 10) == 0);
    CHECK(mf_vote_roi(3, 5) == 1);
    CHECK(mf_vote_roi(2, 5) == 0);
    for (int n = 0; n < 40; n++)
        for (int B = 1; B < 9; B++)
            for (int P = 1; P <= 5; P++) {
                int64_t next = 0;
                for (int r = 0; r < P; r++) {
                    int64_t f, c;
                    mf_vote_share(n, B, P, r, &f, &c);
                    CHECK(f == next && (c == 0 || f % B == 0));
                    next = f + c;
                }
                CHECK(next == n);
            }
    /* 23 patches of 4 ROIs, chunks of 5, dealt to 1..4 ranks: same totals, same bits */
    enum { N = 23, B = 5, R = 4 };
    int32_t roi[N], vote[N];
    float p[N];
    for (int i = 0; i < N; i++) {
        roi[i] = i < 7 ? 0 : i < 8 ? 2 : i < 17 ? 1 : 3;
        p[i] = 0.1f + 0.037f * (float)i;
        vote[i] = mf_vote_patch(1 - p[i], p[i]);
    }
    double ref[R];
    for (int P = 1; P <= 4; P++) {
        mf_tally t[N];
        int nt = 0;
        for (int r = 0; r < P; r++) {
            int64_t f, c;
            mf_vote_share(N, B, P, r, &f, &c);
            for (int64_t o = 0; o < c; o += B) {
                int n = (int)(c - o < B ? c - o : B);
                nt += mf_tally_chunk(n, roi + f + o, vote + f + o, p + f + o, t + nt);
            }
        }
        int64_t v[R], k[R];
        double s[R];
        CHECK(mf_tally_fold(t, nt, R, v, k, s) == 0);
        CHECK(k[0] == 7 && k[1] == 9 && k[2] == 1 && k[3] == 6);
        if (P == 1) memcpy(ref, s, sizeof ref);
        CHECK(memcmp(ref, s, sizeof ref) == 0);
    }
    mf_tally bad = {7, 0, 1, 0, 0.5};
    int64_t v[R], k[R];
    double s[R];
    CHECK(mf_tally_fold(&bad, 1, R, v, k, s) == -1);
    return check_done();
}
