/* vec.h: MF_VEC marks a loop-heavy function of the heads (BN, ReLU, folds,
 * Model2's per-position loops) to be compiled twice, for baseline x86-64
 * (SSE2: 4 floats at a time) and for AVX-512 (16), the loader picking the
 * CPU's best (gcc's target_clones, an ifunc). The bits are the same either
 * way: in ISO C (-std=c11) gcc neither contracts a*b+c into an FMA nor
 * reorders a sum, so vectorising changes only how many independent
 * elements go at once (issue #14: these loops were 13% of a Fusion2 step). */
#ifndef MF_VEC_H
#define MF_VEC_H

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define MF_VEC __attribute__((target_clones("avx512f", "default")))
#else
#define MF_VEC
#endif

#endif
