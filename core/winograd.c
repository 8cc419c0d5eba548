/* winograd.c: see winograd.h. Tiles are numbered t = (b * th + ti) * tw + tj
 * with th = ceil(H/2), tw = ceil(W/2); channels are the innermost (NHWC), so
 * every transform is a loop over channels the compiler vectorises. */
#include "core/winograd.h"

#include "core/gemm.h"

#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

void mf_wino_kernel(const float *kernel, int Cin, int Cout, float *U) {
    static const double G[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
    size_t plane = (size_t)Cin * Cout;
    for (int j0 = 0, nc; j0 < Cout; j0 += nc) { /* packed panels (core/gemm.h) */
        nc = mf_gemm_panel(Cout, j0);
        for (int ci = 0; ci < Cin; ci++)
            for (int co = j0; co < j0 + nc; co++) {
                double g[3][3], t[4][3];
                for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++) g[ky][kx] = kernel[((size_t)(ky * 3 + kx) * Cin + ci) * Cout + co];
                for (int i = 0; i < 4; i++)
                    for (int k = 0; k < 3; k++) t[i][k] = G[i][0] * g[0][k] + G[i][1] * g[1][k] + G[i][2] * g[2][k];
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++)
                        U[(size_t)(i * 4 + j) * plane + (size_t)j0 * Cin + (size_t)ci * nc + (co - j0)] =
                            (float)(t[i][0] * G[j][0] + t[i][1] * G[j][1] + t[i][2] * G[j][2]);
            }
    }
}

/* The transforms only add, subtract and clear (ReLU), so every vector width
 * gives the same bits: they are written once (the macros below) for L-float
 * vectors (GCC/Clang vector extension) and built for AVX-512 (L = 16: 32
 * registers hold a tile's 16 values without spilling), AVX2 (L = 8) and the
 * baseline (L = 4), chosen at run time; channels past the last whole vector
 * go through the scalar form. Vector loads and stores are unaligned types
 * read in place (a memcpy into a stack array, split into halves by GCC's
 * generic tuning, stalled store forwarding: 40% of a 64-channel layer). */
#define INLINE __attribute__((always_inline)) static inline

/* Floats between the 16 planes of V or M for nt tiles of C channels: nt*C
 * rounded up to 64 bytes, plus 64 bytes, so that the 16 planes a tile's
 * transform reads or writes never sit a multiple of 4 KB apart (the same
 * L1 sets). */
static size_t plane_floats(int nt, int C) { return (((size_t)nt * C + 15) & ~(size_t)15) + 16; }

/* The 16 values v = B^T x B of one channel (vector or scalar T). */
#define IN_XFORM(T, x, v)                                                                                    \
    do {                                                                                                     \
        T r_[16];                                                                                            \
        for (int j_ = 0; j_ < 4; j_++) { /* B^T d: rows */                                                   \
            r_[0 + j_] = x[0 + j_] - x[8 + j_];                                                              \
            r_[4 + j_] = x[4 + j_] + x[8 + j_];                                                              \
            r_[8 + j_] = x[8 + j_] - x[4 + j_];                                                              \
            r_[12 + j_] = x[4 + j_] - x[12 + j_];                                                            \
        }                                                                                                    \
        for (int i_ = 0; i_ < 4; i_++) { /* (B^T d) B: columns */                                            \
            const T *ri_ = r_ + 4 * i_;                                                                      \
            v[4 * i_ + 0] = ri_[0] - ri_[2];                                                                 \
            v[4 * i_ + 1] = ri_[1] + ri_[2];                                                                 \
            v[4 * i_ + 2] = ri_[2] - ri_[1];                                                                 \
            v[4 * i_ + 3] = ri_[1] - ri_[3];                                                                 \
        }                                                                                                    \
    } while (0)

/* y = A^T a A + bias of one channel: the 2x2 outputs y[2i + j] from a[16]. */
#define OUT_XFORM(T, a, bias, y)                                                                             \
    do {                                                                                                     \
        T s_[8];                                                                                             \
        for (int j_ = 0; j_ < 4; j_++) { /* A^T M: rows */                                                   \
            s_[j_] = a[j_] + a[4 + j_] + a[8 + j_];                                                          \
            s_[4 + j_] = a[4 + j_] - a[8 + j_] - a[12 + j_];                                                 \
        }                                                                                                    \
        for (int i_ = 0; i_ < 2; i_++) {                                                                     \
            const T *si_ = s_ + 4 * i_;                                                                      \
            y[2 * i_] = si_[0] + si_[1] + si_[2] + (bias);                                                   \
            y[2 * i_ + 1] = si_[1] - si_[2] - si_[3] + (bias);                                               \
        }                                                                                                    \
    } while (0)

/* The 16 input pointers of tile t (zero outside the image). */
INLINE void tile_inputs(const float *in, int H, int W, int C, int th, int tw, int t, const float *zero,
                        const float *d[16]) {
    int b = t / (th * tw), ti = t / tw % th, tj = t % tw;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            int y = 2 * ti - 1 + i, x = 2 * tj - 1 + j;
            d[i * 4 + j] = (y < 0 || y >= H || x < 0 || x >= W) ? zero : in + (((size_t)b * H + y) * W + x) * C;
        }
}

/* The up to 4 output pointers of tile t (NULL: cropped at an odd side). */
INLINE void tile_outputs(float *out, int H, int W, int C, int th, int tw, int t, float *o[4]) {
    int b = t / (th * tw), ti = t / tw % th, tj = t % tw, y0 = 2 * ti, x0 = 2 * tj;
    int rows = y0 + 1 < H ? 2 : 1, cols = x0 + 1 < W ? 2 : 1;
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            o[2 * i + j] = (i < rows && j < cols) ? out + (((size_t)b * H + y0 + i) * W + x0 + j) * C : NULL;
}

/* input_transform_<SFX>: V_xi[t] for tiles [t0, t0 + nt), ReLU on read if
 * relu; output_transform_<SFX>: y = A^T M A + bias, cropped to H x W. */
#define DEFINE_TRANSFORMS(SFX, L, ATTR)                                                                      \
    typedef float vf_##SFX __attribute__((vector_size(4 * L)));                                             \
    typedef float vfu_##SFX __attribute__((vector_size(4 * L), aligned(4)));                                \
    typedef int vi_##SFX __attribute__((vector_size(4 * L)));                                               \
    ATTR void input_transform_##SFX(const float *in, int relu, int H, int W, int C, int th, int tw, int t0,  \
                                    int nt, const float *zero, float *V) {                                   \
        size_t plane = plane_floats(nt, C);                                                                  \
        int CL = C - C % L;                                                                                  \
        for (int k = 0; k < nt; k++) {                                                                       \
            const float *d[16];                                                                              \
            tile_inputs(in, H, W, C, th, tw, t0 + k, zero, d);                                               \
            float *v = V + (size_t)k * C;                                                                    \
            int c = 0;                                                                                       \
            for (; c < CL; c += L) {                                                                         \
                vf_##SFX x[16], o[16];                                                                       \
                for (int q = 0; q < 16; q++) {                                                               \
                    x[q] = *(const vfu_##SFX *)(d[q] + c);                                                   \
                    if (relu) x[q] = (vf_##SFX)((vi_##SFX)x[q] & ~(vi_##SFX)(x[q] < (vf_##SFX){0}));         \
                }                                                                                            \
                IN_XFORM(vf_##SFX, x, o);                                                                    \
                for (int q = 0; q < 16; q++) *(vfu_##SFX *)(v + (size_t)q * plane + c) = o[q];               \
            }                                                                                                \
            for (; c < C; c++) {                                                                             \
                float x[16], o[16];                                                                          \
                for (int q = 0; q < 16; q++) {                                                               \
                    float val = d[q][c];                                                                     \
                    x[q] = relu && val < 0.0f ? 0.0f : val;                                                  \
                }                                                                                            \
                IN_XFORM(float, x, o);                                                                       \
                for (int q = 0; q < 16; q++) v[(size_t)q * plane + c] = o[q];                                \
            }                                                                                                \
        }                                                                                                    \
    }                                                                                                        \
    ATTR void output_transform_##SFX(const float *M, const float *bias, int H, int W, int C, int th, int tw, \
                                     int t0, int nt, float *out) {                                           \
        size_t plane = plane_floats(nt, C);                                                                  \
        int CL = C - C % L;                                                                                  \
        for (int k = 0; k < nt; k++) {                                                                       \
            float *o[4];                                                                                     \
            tile_outputs(out, H, W, C, th, tw, t0 + k, o);                                                   \
            const float *m = M + (size_t)k * C;                                                              \
            int c = 0;                                                                                       \
            for (; c < CL; c += L) {                                                                         \
                vf_##SFX a[16], y[4], bv = *(const vfu_##SFX *)(bias + c);                                   \
                for (int q = 0; q < 16; q++) a[q] = *(const vfu_##SFX *)(m + (size_t)q * plane + c);        \
                OUT_XFORM(vf_##SFX, a, bv, y);                                                               \
                for (int q = 0; q < 4; q++)                                                                  \
                    if (o[q]) *(vfu_##SFX *)(o[q] + c) = y[q];                                               \
            }                                                                                                \
            for (; c < C; c++) {                                                                             \
                float a[16], y[4];                                                                           \
                for (int q = 0; q < 16; q++) a[q] = m[(size_t)q * plane + c];                                \
                OUT_XFORM(float, a, bias[c], y);                                                             \
                for (int q = 0; q < 4; q++)                                                                  \
                    if (o[q]) o[q][c] = y[q];                                                                \
            }                                                                                                \
        }                                                                                                    \
    }

DEFINE_TRANSFORMS(base, 4, static)
#if defined(__x86_64__) && defined(__GNUC__)
DEFINE_TRANSFORMS(avx2, 8, __attribute__((target("avx2"))) static)
DEFINE_TRANSFORMS(avx512, 16, __attribute__((target("avx512f"))) static)
#endif

typedef void (*in_fn)(const float *, int, int, int, int, int, int, int, int, const float *, float *);
typedef void (*out_fn)(const float *, const float *, int, int, int, int, int, int, int, float *);

/* The transforms of the GEMM path in use (core/gemm.h: the CPU's best, or
 * fewer with MF_GEMM or mf_gemm_use, so the tests run every width). */
static void pick_transforms(in_fn *fi, out_fn *fo) {
    *fi = input_transform_base, *fo = output_transform_base;
#if defined(__x86_64__) && defined(__GNUC__)
    int path = mf_gemm_path();
    if (path == MF_GEMM_AVX512) *fi = input_transform_avx512, *fo = output_transform_avx512;
    else if (path == MF_GEMM_AVX2) *fi = input_transform_avx2, *fo = output_transform_avx2;
#endif
}

size_t mf_wino_scratch_floats(int tiles, int Cin, int Cout) {
    return 16 * (plane_floats(tiles, Cin) + plane_floats(tiles, Cout)) + (size_t)Cin; /* V, M, a zero row */
}

void mf_wino_conv3x3(const float *in, int relu_in, int n, int H, int W, int Cin, const float *U, const float *bias,
                     int Cout, float *out, float *scratch, size_t scratch_floats, int threads) {
    int th = (H + 1) / 2, tw = (W + 1) / 2, T = n * th * tw;
    if (T < 1) return;
    if (threads < 1) threads = 1;
    int tiles = (int)((scratch_floats - (size_t)Cin - 16 * 32) / ((size_t)16 * (Cin + Cout)));
    while (tiles > 1 && mf_wino_scratch_floats(tiles, Cin, Cout) > scratch_floats) tiles--;
    if (tiles < 1) tiles = 1;
    /* even chunks, as conv3x3 does, and at least 2 per thread so that the
     * threads finish together (a chunk's size never changes its bits) */
    int nchunks = (T + tiles - 1) / tiles;
    if (threads > 1 && nchunks < 2 * threads) nchunks = T < 2 * threads ? T : 2 * threads;
    tiles = (T + nchunks - 1) / nchunks;
    nchunks = (T + tiles - 1) / tiles;
    in_fn input_transform;
    out_fn output_transform;
    pick_transforms(&input_transform, &output_transform);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) if (threads > 1)
    for (int ch = 0; ch < nchunks; ch++) {
        int id = 0;
#ifdef _OPENMP
        id = omp_get_thread_num();
#endif
        float *V = scratch + (size_t)id * scratch_floats, *Mb = V + 16 * plane_floats(tiles, Cin);
        float *zero = Mb + 16 * plane_floats(tiles, Cout);
        memset(zero, 0, sizeof(float) * (size_t)Cin);
        int t0 = ch * tiles, nt = T - t0 < tiles ? T - t0 : tiles;
        input_transform(in, relu_in, H, W, Cin, th, tw, t0, nt, zero, V);
        size_t pv = plane_floats(nt, Cin), pm = plane_floats(nt, Cout);
        for (int xi = 0; xi < 16; xi++)
            mf_gemm_nn_packed(nt, Cout, Cin, V + xi * pv, Cin, 1, U + (size_t)xi * Cin * Cout, Mb + xi * pm, Cout);
        output_transform(Mb, bias, H, W, Cout, th, tw, t0, nt, out);
    }
}
