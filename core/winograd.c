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
    for (int ci = 0; ci < Cin; ci++)
        for (int co = 0; co < Cout; co++) {
            double g[3][3], t[4][3];
            for (int ky = 0; ky < 3; ky++)
                for (int kx = 0; kx < 3; kx++) g[ky][kx] = kernel[((size_t)(ky * 3 + kx) * Cin + ci) * Cout + co];
            for (int i = 0; i < 4; i++)
                for (int k = 0; k < 3; k++) t[i][k] = G[i][0] * g[0][k] + G[i][1] * g[1][k] + G[i][2] * g[2][k];
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    U[(size_t)(i * 4 + j) * plane + (size_t)ci * Cout + co] =
                        (float)(t[i][0] * G[j][0] + t[i][1] * G[j][1] + t[i][2] * G[j][2]);
        }
}

size_t mf_wino_scratch_floats(int tiles, int Cin, int Cout) {
    return (size_t)16 * tiles * ((size_t)Cin + (size_t)Cout) + (size_t)Cin; /* V, M, a zero row */
}

/* 8 floats as one value (GCC/Clang vector extension): the transforms only
 * add, subtract and clear (ReLU), so every width gives the same bits; the
 * AVX2 build of the loops below is chosen at run time, else SSE pairs.
 * Loads and stores go through memcpy: no alignment is assumed. */
typedef float v8f __attribute__((vector_size(32)));
typedef int v8i __attribute__((vector_size(32)));
#define INLINE __attribute__((always_inline)) static inline

/* relu(x) as `x < 0 ? 0 : x` (keeps -0 and NaN, like the scalar tail). */
#define RELU8(x) ((v8f)((v8i)(x) & ~(v8i)((x) < (v8f){0})))

/* The 16 values B^T d B of one channel (vector or scalar T), d in x. */
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

/* V_xi[t] for tiles [t0, t0 + nt): d = the 4x4 input around the tile. */
INLINE void input_transform_body(const float *in, int relu, int H, int W, int C, int th, int tw, int t0, int nt,
                                 const float *zero, float *V) {
    size_t plane = (size_t)nt * C;
    int C8 = C & ~7;
    for (int k = 0; k < nt; k++) {
        int t = t0 + k, b = t / (th * tw), ti = t / tw % th, tj = t % tw;
        const float *d[16];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                int y = 2 * ti - 1 + i, x = 2 * tj - 1 + j;
                d[i * 4 + j] = (y < 0 || y >= H || x < 0 || x >= W) ? zero : in + (((size_t)b * H + y) * W + x) * C;
            }
        float *v = V + (size_t)k * C;
        int c = 0;
        for (; c < C8; c += 8) {
            v8f x[16], o[16];
            for (int q = 0; q < 16; q++) {
                memcpy(&x[q], d[q] + c, sizeof x[q]);
                if (relu) x[q] = RELU8(x[q]);
            }
            IN_XFORM(v8f, x, o);
            for (int q = 0; q < 16; q++) memcpy(v + (size_t)q * plane + c, &o[q], sizeof o[q]);
        }
        for (; c < C; c++) {
            float x[16], o[16];
            for (int q = 0; q < 16; q++) {
                float val = d[q][c];
                x[q] = relu && val < 0.0f ? 0.0f : val;
            }
            IN_XFORM(float, x, o);
            for (int q = 0; q < 16; q++) v[(size_t)q * plane + c] = o[q];
        }
    }
}

/* y = A^T M A + bias of one channel: the 2x2 outputs y[i][j] from a[16]. */
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

/* y = A^T M A + bias for tiles [t0, t0 + nt), cropped to H x W. */
INLINE void output_transform_body(const float *M, const float *bias, int H, int W, int C, int th, int tw, int t0,
                                  int nt, float *out) {
    size_t plane = (size_t)nt * C;
    int C8 = C & ~7;
    for (int k = 0; k < nt; k++) {
        int t = t0 + k, b = t / (th * tw), ti = t / tw % th, tj = t % tw;
        int y0 = 2 * ti, x0 = 2 * tj;
        int rows = y0 + 1 < H ? 2 : 1, cols = x0 + 1 < W ? 2 : 1;
        float *o[4];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                o[2 * i + j] = (i < rows && j < cols) ? out + (((size_t)b * H + y0 + i) * W + x0 + j) * C : NULL;
        const float *m = M + (size_t)k * C;
        int c = 0;
        for (; c < C8; c += 8) {
            v8f a[16], y[4], bv;
            for (int q = 0; q < 16; q++) memcpy(&a[q], m + (size_t)q * plane + c, sizeof a[q]);
            memcpy(&bv, bias + c, sizeof bv);
            OUT_XFORM(v8f, a, bv, y);
            for (int q = 0; q < 4; q++)
                if (o[q]) memcpy(o[q] + c, &y[q], sizeof y[q]);
        }
        for (; c < C; c++) {
            float a[16], y[4];
            for (int q = 0; q < 16; q++) a[q] = m[(size_t)q * plane + c];
            OUT_XFORM(float, a, bias[c], y);
            for (int q = 0; q < 4; q++)
                if (o[q]) o[q][c] = y[q];
        }
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define AVX2 __attribute__((target("avx2"))) static
AVX2 void input_transform_avx2(const float *in, int relu, int H, int W, int C, int th, int tw, int t0, int nt,
                               const float *zero, float *V) {
    input_transform_body(in, relu, H, W, C, th, tw, t0, nt, zero, V);
}
AVX2 void output_transform_avx2(const float *M, const float *bias, int H, int W, int C, int th, int tw, int t0, int nt,
                                float *out) {
    output_transform_body(M, bias, H, W, C, th, tw, t0, nt, out);
}
static int have_avx2(void) {
    static int have = -1;
    if (have < 0) {
        __builtin_cpu_init();
        have = __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return have;
}
#endif

static void input_transform(const float *in, int relu, int H, int W, int C, int th, int tw, int t0, int nt,
                            const float *zero, float *V) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (have_avx2()) {
        input_transform_avx2(in, relu, H, W, C, th, tw, t0, nt, zero, V);
        return;
    }
#endif
    input_transform_body(in, relu, H, W, C, th, tw, t0, nt, zero, V);
}

static void output_transform(const float *M, const float *bias, int H, int W, int C, int th, int tw, int t0, int nt,
                             float *out) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (have_avx2()) {
        output_transform_avx2(M, bias, H, W, C, th, tw, t0, nt, out);
        return;
    }
#endif
    output_transform_body(M, bias, H, W, C, th, tw, t0, nt, out);
}

void mf_wino_conv3x3(const float *in, int relu_in, int n, int H, int W, int Cin, const float *U, const float *bias,
                     int Cout, float *out, float *scratch, size_t scratch_floats, int threads) {
    int th = (H + 1) / 2, tw = (W + 1) / 2, T = n * th * tw;
    if (T < 1) return;
    if (threads < 1) threads = 1;
    int tiles = (int)((scratch_floats - (size_t)Cin) / ((size_t)16 * (Cin + Cout)));
    if (tiles < 1) tiles = 1;
    /* even chunks, as conv3x3 does, and at least 2 per thread so that the
     * threads finish together (a chunk's size never changes its bits) */
    int nchunks = (T + tiles - 1) / tiles;
    if (threads > 1 && nchunks < 2 * threads) nchunks = T < 2 * threads ? T : 2 * threads;
    tiles = (T + nchunks - 1) / nchunks;
    nchunks = (T + tiles - 1) / tiles;
#if defined(__x86_64__) && defined(__GNUC__)
    have_avx2(); /* decided once, before the threads */
#endif
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) if (threads > 1)
    for (int ch = 0; ch < nchunks; ch++) {
        int id = 0;
#ifdef _OPENMP
        id = omp_get_thread_num();
#endif
        float *V = scratch + (size_t)id * scratch_floats, *Mb = V + (size_t)16 * tiles * Cin;
        float *zero = Mb + (size_t)16 * tiles * Cout;
        memset(zero, 0, sizeof(float) * (size_t)Cin);
        int t0 = ch * tiles, nt = T - t0 < tiles ? T - t0 : tiles;
        input_transform(in, relu_in, H, W, Cin, th, tw, t0, nt, zero, V);
        for (int xi = 0; xi < 16; xi++)
            mf_gemm_nn(nt, Cout, Cin, V + (size_t)xi * nt * Cin, Cin, 1, U + (size_t)xi * Cin * Cout, Cout,
                       Mb + (size_t)xi * nt * Cout, Cout);
        output_transform(Mb, bias, H, W, Cout, th, tw, t0, nt, out);
    }
}
