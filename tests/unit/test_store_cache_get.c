/* test_store_cache_get.c: the cache's lookup (mpi/store_cache.h,
 * mf_scache_get), on a cache laid out by hand (no window, no MPI call): the
 * rows asked for come back in the order asked, each the exact row held;
 * a row not held, a dataset not held, a row out of the store or no cache at
 * all make it answer 0 and leave the output untouched (the caller then reads
 * the file). */
#include <string.h>

#include "check.h"
#include "mpi/store_cache.h"

int main(void) {
    /* A store of 10 rows; rows 2..7 held (the "train and val" rows); block 2's
     * mean (width 3) held, its pool2x2 (width 12) not. */
    enum { N = 10, W = 3 };
    int32_t slot[N];
    int64_t held[6] = {2, 3, 4, 5, 6, 7};
    float x[6 * W];
    for (int i = 0; i < N; i++) slot[i] = -1;
    for (int k = 0; k < 6; k++) {
        slot[held[k]] = k;
        for (int j = 0; j < W; j++) x[k * W + j] = (float)(100 * held[k] + j);
    }
    mf_scache c;
    memset(&c, 0, sizeof c);
    c.n = N;
    c.slot = slot;
    c.nrows = 6;
    c.x[1][MF_SUM_MEAN] = x;
    c.width[1][MF_SUM_MEAN] = W;

    float out[4 * W];
    const int64_t rows[4] = {2, 4, 5, 7};
    CHECK(mf_scache_get(&c, 1, MF_SUM_MEAN, rows, 4, out) == 1);
    int exact = 1;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < W; j++) exact &= out[i * W + j] == (float)(100 * rows[i] + j);
    CHECK(exact);
    CHECK(mf_scache_get(&c, 1, MF_SUM_MEAN, rows, 0, out) == 1); /* nothing asked: nothing to read */

    for (int i = 0; i < 4 * W; i++) out[i] = -1;
    const int64_t outside[3] = {3, 8, 9}; /* 8 and 9 not held: all from the file */
    CHECK(mf_scache_get(&c, 1, MF_SUM_MEAN, outside, 3, out) == 0);
    const int64_t beyond[2] = {4, 10}; /* past the store */
    CHECK(mf_scache_get(&c, 1, MF_SUM_MEAN, beyond, 2, out) == 0);
    CHECK(mf_scache_get(&c, 1, MF_SUM_POOL, rows, 4, out) == 0); /* dataset not held */
    CHECK(mf_scache_get(&c, 0, MF_SUM_MEAN, rows, 4, out) == 0); /* block not held */
    CHECK(mf_scache_get(&c, MF_STORE_MAX_BLOCKS, MF_SUM_MEAN, rows, 4, out) == 0);
    CHECK(mf_scache_get(NULL, 1, MF_SUM_MEAN, rows, 4, out) == 0);
    int untouched = 1;
    for (int i = 0; i < 4 * W; i++) untouched &= out[i] == -1;
    CHECK(untouched);
    return check_done();
}
