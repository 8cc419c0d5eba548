/* rng.h: counter-based random numbers.
 * Every random quantity of mammofuse is a pure function of (seed, stream,
 * index), never the state of a shared generator, so results do not depend on
 * how work is split over ranks or resumed. The mixer is SplitMix64's
 * finaliser applied in a chain (seed, then stream, then index). */
#ifndef MF_RNG_H
#define MF_RNG_H
#include <stdint.h>

/* Streams: one per use, so two uses never share numbers. */
enum {
    MF_STREAM_NORMAL_POS = 1, /* index: image id; position of a Normal ROI */
    MF_STREAM_SPLIT = 2,      /* index: class; split permutation */
    MF_STREAM_PATCH = 3,      /* index: roi * 2^20 + draw; patch offsets */
    MF_STREAM_AUGMENT = 4,    /* augmentation parameters of a draw */
    MF_STREAM_SHUFFLE = 5,    /* epoch shuffles */
    MF_STREAM_INIT = 6,       /* weight initialisation */
    MF_STREAM_SYNTH = 7,      /* synthetic demo images */
    MF_STREAM_BOOTSTRAP = 8,  /* confidence intervals */
    MF_STREAM_CV_FOLDS = 9    /* index: class; cross-validation folds of women */
};

/* The SplitMix64 finaliser (also the golden formula weights' mixer). */
static inline uint64_t mf_mix64(uint64_t z) {
    z += 0x9E3779B97F4A7C15u;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static inline uint64_t mf_rng_u64(uint64_t seed, uint64_t stream, uint64_t index) {
    return mf_mix64(mf_mix64(mf_mix64(seed) ^ stream) ^ index);
}

/* Uniform double in [0, 1) with 53 random bits. */
static inline double mf_rng_unit(uint64_t seed, uint64_t stream, uint64_t index) {
    return (double)(mf_rng_u64(seed, stream, index) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n >= 1 (bias below 2^-40 for n < 2^13). */
static inline uint32_t mf_rng_below(uint64_t seed, uint64_t stream, uint64_t index, uint32_t n) {
    return (uint32_t)(mf_rng_unit(seed, stream, index) * n);
}

/* Fisher-Yates permutation of 0..n-1 keyed by (seed, stream, key): draw j
 * uses index key * 2^32 + j. */
void mf_rng_permutation(uint64_t seed, uint64_t stream, uint64_t key, int n, int *perm);

#endif
