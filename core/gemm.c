/* gemm.c: see gemm.h. The AVX-512 and AVX2 kernels are compiled for their
 * targets only (function attributes) and chosen at run time; each output element goes
 * through the same sequence of fused multiply-adds as in the scalar
 * reference, whatever the tile it falls in, so tiling, row tails and masked
 * column tails never change a bit. */
#include "core/gemm.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the definitions ---- */

void mf_gemm_nn_ref(int m, int n, int k, const float *A, int rsa, int csa, const float *B, int ldb, float *C,
                    int ldc) {
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            float c = 0.0f;
            for (int p = 0; p < k; p++) c = fmaf(A[(size_t)i * rsa + (size_t)p * csa], B[(size_t)p * ldb + j], c);
            C[(size_t)i * ldc + j] = c;
        }
}

void mf_gemm_nt_ref(int m, int n, int k, const float *A, int lda, const float *B, int ldb, float *C, int ldc) {
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            const float *a = A + (size_t)i * lda, *b = B + (size_t)j * ldb;
            float s[16] = {0};
            for (int p0 = 0; p0 < k; p0 += 16)
                for (int l = 0; l < 16; l++) {
                    int p = p0 + l;
                    s[l] = p < k ? fmaf(a[p], b[p], s[l]) : fmaf(0.0f, 0.0f, s[l]);
                }
            for (int w = 8; w >= 2; w /= 2)
                for (int l = 0; l < w; l++) s[l] += s[l + w];
            C[(size_t)i * ldc + j] = s[0] + s[1];
        }
}

int mf_gemm_panel(int n, int j0) {
    /* 48 columns (3 AVX-512 vectors), but 64 = 32 + 32 rather than 48 + a
     * 16-column panel (8 FMAs per 9 loads); panels never change a chain */
    int rem = n - j0;
    return rem <= 48 ? rem : rem < 96 && rem % 48 <= 16 ? 32 : 48;
}

void mf_gemm_pack_b(int k, int n, const float *B, int ldb, float *Bp) {
    for (int j0 = 0, nc; j0 < n; j0 += nc) {
        nc = mf_gemm_panel(n, j0);
        for (int p = 0; p < k; p++) memcpy(Bp + (size_t)j0 * k + (size_t)p * nc, B + (size_t)p * ldb + j0, sizeof(float) * nc);
    }
}

void mf_gemm_nn_packed_ref(int m, int n, int k, const float *A, int rsa, int csa, const float *Bp, float *C, int ldc) {
    for (int j0 = 0, nc; j0 < n; j0 += nc) {
        nc = mf_gemm_panel(n, j0);
        const float *panel = Bp + (size_t)j0 * k;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < nc; j++) {
                float c = 0.0f;
                for (int p = 0; p < k; p++) c = fmaf(A[(size_t)i * rsa + (size_t)p * csa], panel[(size_t)p * nc + j], c);
                C[(size_t)i * ldc + j0 + j] = c;
            }
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define SIMD __attribute__((target("avx512f,avx512dq,fma"), always_inline)) static inline
#define SIMD_ENTRY __attribute__((target("avx512f,avx512dq,fma"))) static

/* NN tile: MR rows x NV vectors of 16 columns (the last one masked), over
 * kc values of p; acc starts at 0 (first block) or at C (a later block of p:
 * the stored float IS the running sum, so the chain goes on unchanged). */
SIMD void nn_tile(const int MR, const int NV, __mmask16 last, int kc, const float *A, long rsa, long csa,
                  const float *B, long ldb, float *C, long ldc, int first) {
    __m512 acc[8][3];
#pragma GCC unroll 8
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) {
            __mmask16 mk = v == NV - 1 ? last : 0xFFFF;
            acc[r][v] = first ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(mk, C + r * ldc + 16 * v);
        }
    for (int p = 0; p < kc; p++) {
        const float *b = B + p * ldb;
        __m512 bv[3];
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++)
            bv[v] = v == NV - 1 ? _mm512_maskz_loadu_ps(last, b + 16 * v) : _mm512_loadu_ps(b + 16 * v);
        const float *a = A + p * csa;
#pragma GCC unroll 8
        for (int r = 0; r < MR; r++) {
            __m512 av = _mm512_set1_ps(a[r * rsa]);
#pragma GCC unroll 3
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
        }
    }
#pragma GCC unroll 8
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) {
            __mmask16 mk = v == NV - 1 ? last : 0xFFFF;
            _mm512_mask_storeu_ps(C + r * ldc + 16 * v, mk, acc[r][v]);
        }
}

#define NN_KC 256 /* rows of B per panel: 256 x 48 floats = 48 KB */

/* Rows per block of A: for large m (the convolutions' tiles) the rows of a
 * block stay in L2 across every 48-column panel of B. Only the order in
 * which tiles are visited changes; each element's chain does not. */
#define NN_MC 192

/* B is row-major (ldb), or packed (mf_gemm_pack_b: panel j0 of width nc at
 * B + j0*k, row p of it at + p*nc). */
SIMD_ENTRY void nn_avx512_rows(int m, int n, int k, const float *A, long rsa, long csa, const float *B, long ldb,
                               int packed, float *C, long ldc) {
    for (int j0 = 0, nc; j0 < n; j0 += nc) {
        nc = mf_gemm_panel(n, j0);
        const float *base = packed ? B + (long)j0 * k : B + j0;
        long ld = packed ? nc : ldb;
        int nv = (nc + 15) / 16, rem = nc - 16 * (nv - 1);
        __mmask16 last = (__mmask16)(rem == 16 ? 0xFFFF : (1u << rem) - 1);
        for (int p0 = 0; p0 < k || p0 == 0; p0 += NN_KC) {
            int kc = k - p0 < NN_KC ? k - p0 : NN_KC;
            for (int i0 = 0; i0 < m; i0 += 8) {
                int mr = m - i0 < 8 ? m - i0 : 8;
                const float *a = A + i0 * rsa + p0 * csa, *b = base + p0 * ld;
                float *c = C + i0 * ldc + j0;
                switch (mr * 4 + nv) {
#define T(R, V) case R * 4 + V: nn_tile(R, V, last, kc, a, rsa, csa, b, ld, c, ldc, p0 == 0); break;
                    T(1, 1) T(1, 2) T(1, 3) T(2, 1) T(2, 2) T(2, 3) T(3, 1) T(3, 2) T(3, 3)
                    T(4, 1) T(4, 2) T(4, 3) T(5, 1) T(5, 2) T(5, 3) T(6, 1) T(6, 2) T(6, 3)
                    T(7, 1) T(7, 2) T(7, 3) T(8, 1) T(8, 2) T(8, 3)
#undef T
                }
            }
            if (k == 0) break;
        }
    }
}

SIMD_ENTRY void nn_avx512(int m, int n, int k, const float *A, long rsa, long csa, const float *B, long ldb,
                          int packed, float *C, long ldc) {
    for (int i0 = 0; i0 < m; i0 += NN_MC)
        nn_avx512_rows(m - i0 < NN_MC ? m - i0 : NN_MC, n, k, A + i0 * rsa, rsa, csa, B, ldb, packed, C + i0 * ldc,
                       ldc);
}

/* The defined lane reduction of gemm.h. */
SIMD float lane_sum(__m512 s) {
    __m256 s8 = _mm256_add_ps(_mm512_castps512_ps256(s), _mm512_extractf32x8_ps(s, 1));
    __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
    return _mm_cvtss_f32(_mm_add_ss(s2, _mm_movehdup_ps(s2)));
}

/* NT tile: MR rows of A x NJ rows of B, whole k. */
SIMD void nt_tile(const int MR, const int NJ, int k, const float *A, long lda, const float *B, long ldb,
                  float *C, long ldc) {
    __m512 acc[4][6];
#pragma GCC unroll 4
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 6
        for (int j = 0; j < NJ; j++) acc[r][j] = _mm512_setzero_ps();
    for (int p = 0; p < k; p += 16) {
        __mmask16 mk = (__mmask16)(k - p >= 16 ? 0xFFFF : (1u << (k - p)) - 1);
        /* one row of B live at a time: 24 sums + 4 rows of A + 1 = 29 of the
         * 32 registers (loading all six first made gcc spill sums to the
         * stack inside this loop: 16 stack accesses per 24 FMAs) */
        __m512 av[4];
#pragma GCC unroll 4
        for (int r = 0; r < MR; r++) av[r] = _mm512_maskz_loadu_ps(mk, A + r * lda + p);
#pragma GCC unroll 6
        for (int j = 0; j < NJ; j++) {
            __m512 bv = _mm512_maskz_loadu_ps(mk, B + j * ldb + p);
#pragma GCC unroll 4
            for (int r = 0; r < MR; r++) acc[r][j] = _mm512_fmadd_ps(av[r], bv, acc[r][j]);
        }
    }
#pragma GCC unroll 4
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 6
        for (int j = 0; j < NJ; j++) C[r * ldc + j] = lane_sum(acc[r][j]);
}

SIMD_ENTRY void nt_avx512(int m, int n, int k, const float *A, long lda, const float *B, long ldb, float *C,
                          long ldc) {
    for (int j0 = 0; j0 < n; j0 += 6) { /* 6 rows of B stay in L1 across all rows of A */
        int nj = n - j0 < 6 ? n - j0 : 6;
        for (int i0 = 0; i0 < m; i0 += 4) {
            int mr = m - i0 < 4 ? m - i0 : 4;
            const float *a = A + i0 * lda, *b = B + j0 * ldb;
            float *c = C + i0 * ldc + j0;
            switch (mr * 8 + nj) {
#define T(R, J) case R * 8 + J: nt_tile(R, J, k, a, lda, b, ldb, c, ldc); break;
                T(1, 1) T(1, 2) T(1, 3) T(1, 4) T(1, 5) T(1, 6) T(2, 1) T(2, 2) T(2, 3) T(2, 4) T(2, 5) T(2, 6)
                T(3, 1) T(3, 2) T(3, 3) T(3, 4) T(3, 5) T(3, 6) T(4, 1) T(4, 2) T(4, 3) T(4, 4) T(4, 5) T(4, 6)
#undef T
            }
        }
    }
}

/* ---- AVX2 + FMA: the same per-element order with 8-lane vectors ---- */
#define SIMD2 __attribute__((target("avx2,fma"), always_inline)) static inline
#define SIMD2_ENTRY __attribute__((target("avx2,fma"))) static

/* Lanes 0..rem-1 on (rem in 0..8). */
SIMD2 __m256i mask8(int rem) {
    static const int32_t bits[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256((const __m256i *)(bits + 8 - rem));
}

/* NN tile: MR rows x NV vectors of 8 columns (the last one masked). */
SIMD2 void nn_tile2(const int MR, const int NV, __m256i last, int kc, const float *A, long rsa, long csa,
                    const float *B, long ldb, float *C, long ldc, int first) {
    __m256 acc[6][2];
#pragma GCC unroll 6
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 2
        for (int v = 0; v < NV; v++)
            acc[r][v] = first ? _mm256_setzero_ps()
                              : v == NV - 1 ? _mm256_maskload_ps(C + r * ldc + 8 * v, last) : _mm256_loadu_ps(C + r * ldc + 8 * v);
    for (int p = 0; p < kc; p++) {
        const float *b = B + p * ldb;
        __m256 bv[2];
#pragma GCC unroll 2
        for (int v = 0; v < NV; v++) bv[v] = v == NV - 1 ? _mm256_maskload_ps(b + 8 * v, last) : _mm256_loadu_ps(b + 8 * v);
        const float *a = A + p * csa;
#pragma GCC unroll 6
        for (int r = 0; r < MR; r++) {
            __m256 av = _mm256_set1_ps(a[r * rsa]);
#pragma GCC unroll 2
            for (int v = 0; v < NV; v++) acc[r][v] = _mm256_fmadd_ps(av, bv[v], acc[r][v]);
        }
    }
#pragma GCC unroll 6
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 2
        for (int v = 0; v < NV; v++) {
            if (v == NV - 1) _mm256_maskstore_ps(C + r * ldc + 8 * v, last, acc[r][v]);
            else _mm256_storeu_ps(C + r * ldc + 8 * v, acc[r][v]);
        }
}

/* Packed B (see nn_avx512_rows): 16-column slices of each panel. */
SIMD2_ENTRY void nn_avx2_rows(int m, int n, int k, const float *A, long rsa, long csa, const float *B, long ldb,
                              int packed, float *C, long ldc) {
    for (int J0 = 0, NC; J0 < n; J0 += NC) {
      NC = packed ? mf_gemm_panel(n, J0) : n;
      const float *base = packed ? B + (long)J0 * k : B;
      long ld = packed ? NC : ldb;
      for (int s0 = 0; s0 < NC; s0 += 16) {
        int j0 = J0 + s0, nc = NC - s0 < 16 ? NC - s0 : 16, nv = (nc + 7) / 8;
        __m256i last = mask8(nc - 8 * (nv - 1));
        for (int p0 = 0; p0 < k || p0 == 0; p0 += NN_KC) {
            int kc = k - p0 < NN_KC ? k - p0 : NN_KC;
            for (int i0 = 0; i0 < m; i0 += 6) {
                int mr = m - i0 < 6 ? m - i0 : 6;
                const float *a = A + i0 * rsa + p0 * csa, *b = base + p0 * ld + s0;
                float *c = C + i0 * ldc + j0;
                switch (mr * 4 + nv) {
#define T(R, V) case R * 4 + V: nn_tile2(R, V, last, kc, a, rsa, csa, b, ld, c, ldc, p0 == 0); break;
                    T(1, 1) T(1, 2) T(2, 1) T(2, 2) T(3, 1) T(3, 2) T(4, 1) T(4, 2) T(5, 1) T(5, 2) T(6, 1) T(6, 2)
#undef T
                }
            }
            if (k == 0) break;
        }
      }
    }
}

SIMD2_ENTRY void nn_avx2(int m, int n, int k, const float *A, long rsa, long csa, const float *B, long ldb,
                         int packed, float *C, long ldc) {
    for (int i0 = 0; i0 < m; i0 += NN_MC)
        nn_avx2_rows(m - i0 < NN_MC ? m - i0 : NN_MC, n, k, A + i0 * rsa, rsa, csa, B, ldb, packed, C + i0 * ldc,
                     ldc);
}

/* The defined lane reduction of gemm.h, lanes 0-7 in lo and 8-15 in hi. */
SIMD2 float lane_sum2(__m256 lo, __m256 hi) {
    __m256 s8 = _mm256_add_ps(lo, hi);
    __m128 s4 = _mm_add_ps(_mm256_castps256_ps128(s8), _mm256_extractf128_ps(s8, 1));
    __m128 s2 = _mm_add_ps(s4, _mm_movehl_ps(s4, s4));
    return _mm_cvtss_f32(_mm_add_ss(s2, _mm_movehdup_ps(s2)));
}

/* NT tile: MR rows of A x NJ rows of B, whole k, 16 lane sums as two vectors. */
SIMD2 void nt_tile2(const int MR, const int NJ, int k, const float *A, long lda, const float *B, long ldb, float *C,
                    long ldc) {
    __m256 lo[2][3], hi[2][3];
#pragma GCC unroll 2
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 3
        for (int j = 0; j < NJ; j++) lo[r][j] = hi[r][j] = _mm256_setzero_ps();
    for (int p = 0; p < k; p += 16) {
        int left = k - p;
        __m256i ml = mask8(left >= 8 ? 8 : left), mh = mask8(left >= 16 ? 8 : left > 8 ? left - 8 : 0);
        __m256 al[2], ah[2];
#pragma GCC unroll 2
        for (int r = 0; r < MR; r++) {
            al[r] = _mm256_maskload_ps(A + r * lda + p, ml);
            ah[r] = _mm256_maskload_ps(A + r * lda + p + 8, mh);
        }
#pragma GCC unroll 3
        for (int j = 0; j < NJ; j++) {
            __m256 bl = _mm256_maskload_ps(B + j * ldb + p, ml), bh = _mm256_maskload_ps(B + j * ldb + p + 8, mh);
#pragma GCC unroll 2
            for (int r = 0; r < MR; r++) {
                lo[r][j] = _mm256_fmadd_ps(al[r], bl, lo[r][j]);
                hi[r][j] = _mm256_fmadd_ps(ah[r], bh, hi[r][j]);
            }
        }
    }
#pragma GCC unroll 2
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 3
        for (int j = 0; j < NJ; j++) C[r * ldc + j] = lane_sum2(lo[r][j], hi[r][j]);
}

SIMD2_ENTRY void nt_avx2(int m, int n, int k, const float *A, long lda, const float *B, long ldb, float *C,
                         long ldc) {
    for (int j0 = 0; j0 < n; j0 += 3) {
        int nj = n - j0 < 3 ? n - j0 : 3;
        for (int i0 = 0; i0 < m; i0 += 2) {
            int mr = m - i0 < 2 ? m - i0 : 2;
            const float *a = A + i0 * lda, *b = B + j0 * ldb;
            float *c = C + i0 * ldc + j0;
            switch (mr * 4 + nj) {
#define T(R, J) case R * 4 + J: nt_tile2(R, J, k, a, lda, b, ldb, c, ldc); break;
                T(1, 1) T(1, 2) T(1, 3) T(2, 1) T(2, 2) T(2, 3)
#undef T
            }
        }
    }
}

static int gemm_path = -1, cpu_best = -1;

static int best_path(void) {
    if (cpu_best < 0) {
        __builtin_cpu_init();
        cpu_best = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") ? MF_GEMM_AVX512
                   : __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")      ? MF_GEMM_AVX2
                                                                                          : MF_GEMM_REF;
    }
    return cpu_best;
}

int mf_gemm_use(int path) {
    int best = best_path();
    gemm_path = path < 0 || path > best ? best : path;
    return gemm_path;
}

int mf_gemm_path(void) {
    if (gemm_path < 0) {
        const char *env = getenv("MF_GEMM");
        int want = !env ? -1 : !strcmp(env, "ref") ? MF_GEMM_REF : !strcmp(env, "avx2") ? MF_GEMM_AVX2 : -1;
        mf_gemm_use(want);
    }
    return gemm_path;
}
#else
int mf_gemm_use(int path) {
    (void)path;
    return MF_GEMM_REF;
}
int mf_gemm_path(void) { return MF_GEMM_REF; }
#endif

int mf_gemm_simd(void) { return mf_gemm_path() == MF_GEMM_AVX512; }

void mf_gemm_nn(int m, int n, int k, const float *A, int rsa, int csa, const float *B, int ldb, float *C,
                int ldc) {
    if (m <= 0 || n <= 0) return;
#if defined(__x86_64__) && defined(__GNUC__)
    int path = mf_gemm_path();
    if (path == MF_GEMM_AVX512) {
        nn_avx512(m, n, k, A, rsa, csa, B, ldb, 0, C, ldc);
        return;
    }
    if (path == MF_GEMM_AVX2) {
        nn_avx2(m, n, k, A, rsa, csa, B, ldb, 0, C, ldc);
        return;
    }
#endif
    mf_gemm_nn_ref(m, n, k, A, rsa, csa, B, ldb, C, ldc);
}

void mf_gemm_nn_packed(int m, int n, int k, const float *A, int rsa, int csa, const float *Bp, float *C, int ldc) {
    if (m <= 0 || n <= 0) return;
#if defined(__x86_64__) && defined(__GNUC__)
    int path = mf_gemm_path();
    if (path == MF_GEMM_AVX512) {
        nn_avx512(m, n, k, A, rsa, csa, Bp, 0, 1, C, ldc);
        return;
    }
    if (path == MF_GEMM_AVX2) {
        nn_avx2(m, n, k, A, rsa, csa, Bp, 0, 1, C, ldc);
        return;
    }
#endif
    mf_gemm_nn_packed_ref(m, n, k, A, rsa, csa, Bp, C, ldc);
}

void mf_gemm_nt(int m, int n, int k, const float *A, int lda, const float *B, int ldb, float *C, int ldc) {
    if (m <= 0 || n <= 0) return;
#if defined(__x86_64__) && defined(__GNUC__)
    int path = mf_gemm_path();
    if (path == MF_GEMM_AVX512) {
        nt_avx512(m, n, k, A, lda, B, ldb, C, ldc);
        return;
    }
    if (path == MF_GEMM_AVX2) {
        nt_avx2(m, n, k, A, lda, B, ldb, C, ldc);
        return;
    }
#endif
    mf_gemm_nt_ref(m, n, k, A, lda, B, ldb, C, ldc);
}
