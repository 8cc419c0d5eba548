/* vote.c: see vote.h. */
#include "core/vote.h"

#include <string.h>

void mf_vote_share(int64_t n, int batch, int size, int rank, int64_t *first, int64_t *count) {
    int64_t nch = (n + batch - 1) / batch;
    int64_t c0 = nch * rank / size, c1 = nch * (rank + 1) / size;
    int64_t a = c0 * batch, b = c1 * batch;
    if (b > n) b = n;
    if (a > b) a = b;
    *first = a;
    *count = b - a;
}

int mf_tally_chunk(int n, const int32_t *roi, const int32_t *vote, const float *p_tumor, mf_tally *t) {
    int m = 0;
    for (int i = 0; i < n; i++) {
        int k = m - 1;
        /* rows of a ROI are usually consecutive: look at the last one first */
        if (k < 0 || t[k].roi != roi[i])
            for (k = 0; k < m && t[k].roi != roi[i]; k++) {}
        if (k < 0 || k == m) {
            k = m++;
            memset(&t[k], 0, sizeof t[k]);
            t[k].roi = roi[i];
        }
        t[k].votes += vote[i] != 0;
        t[k].patches++;
        t[k].psum += (double)p_tumor[i];
    }
    return m;
}

int mf_tally_fold(const mf_tally *t, int64_t nt, int nroi, int64_t *votes, int64_t *patches, double *psum) {
    memset(votes, 0, (size_t)nroi * sizeof *votes);
    memset(patches, 0, (size_t)nroi * sizeof *patches);
    memset(psum, 0, (size_t)nroi * sizeof *psum);
    for (int64_t j = 0; j < nt; j++) {
        int r = t[j].roi;
        if (r < 0 || r >= nroi) return -1;
        votes[r] += t[j].votes;
        patches[r] += t[j].patches;
        psum[r] += t[j].psum;
    }
    return 0;
}
