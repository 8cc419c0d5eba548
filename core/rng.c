/* rng.c: see rng.h. */
#include "core/rng.h"

void mf_rng_permutation(uint64_t seed, uint64_t stream, uint64_t key, int n, int *perm) {
    for (int i = 0; i < n; i++) perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        uint32_t j = mf_rng_below(seed, stream, (key << 32) + (uint64_t)i, (uint32_t)i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}
