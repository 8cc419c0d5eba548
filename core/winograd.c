/* winograd.c: see winograd.h. Tiles are numbered t = (b * th + ti) * tw + tj
 * with th = ceil(H/2), tw = ceil(W/2); channels are the innermost (NHWC), so
 * every transform is a loop over channels the compiler vectorises. */
#include "core/winograd.h"

#include <cblas.h>
#include <string.h>

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

/* V_xi[t] for tiles [t0, t0 + nt): d = the 4x4 input around the tile. */
static void input_transform(const float *in, int relu, int H, int W, int C, int th, int tw, int t0, int nt,
                            const float *zero, float *V) {
    size_t plane = (size_t)nt * C;
    for (int k = 0; k < nt; k++) {
        int t = t0 + k, b = t / (th * tw), ti = t / tw % th, tj = t % tw;
        const float *d[16];
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                int y = 2 * ti - 1 + i, x = 2 * tj - 1 + j;
                d[i * 4 + j] = (y < 0 || y >= H || x < 0 || x >= W) ? zero : in + (((size_t)b * H + y) * W + x) * C;
            }
        float *v = V + (size_t)k * C;
        for (int c = 0; c < C; c++) {
            float x[16];
            for (int q = 0; q < 16; q++) {
                float val = d[q][c];
                x[q] = relu && val < 0.0f ? 0.0f : val;
            }
            float r[16]; /* B^T d: rows */
            for (int j = 0; j < 4; j++) {
                r[0 + j] = x[0 + j] - x[8 + j];
                r[4 + j] = x[4 + j] + x[8 + j];
                r[8 + j] = x[8 + j] - x[4 + j];
                r[12 + j] = x[4 + j] - x[12 + j];
            }
            for (int i = 0; i < 4; i++) { /* (B^T d) B: columns */
                const float *ri = r + 4 * i;
                v[(size_t)(4 * i + 0) * plane + c] = ri[0] - ri[2];
                v[(size_t)(4 * i + 1) * plane + c] = ri[1] + ri[2];
                v[(size_t)(4 * i + 2) * plane + c] = ri[2] - ri[1];
                v[(size_t)(4 * i + 3) * plane + c] = ri[1] - ri[3];
            }
        }
    }
}

/* y = A^T M A + bias for tiles [t0, t0 + nt), cropped to H x W. */
static void output_transform(const float *M, const float *bias, int H, int W, int C, int th, int tw, int t0, int nt,
                             float *out) {
    size_t plane = (size_t)nt * C;
    for (int k = 0; k < nt; k++) {
        int t = t0 + k, b = t / (th * tw), ti = t / tw % th, tj = t % tw;
        int y0 = 2 * ti, x0 = 2 * tj;
        int rows = y0 + 1 < H ? 2 : 1, cols = x0 + 1 < W ? 2 : 1;
        float *o[2][2];
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++)
                o[i][j] = (i < rows && j < cols) ? out + (((size_t)b * H + y0 + i) * W + x0 + j) * C : NULL;
        const float *m = M + (size_t)k * C;
        for (int c = 0; c < C; c++) {
            float a[16], s[8];
            for (int q = 0; q < 16; q++) a[q] = m[(size_t)q * plane + c];
            for (int j = 0; j < 4; j++) { /* A^T M: rows */
                s[j] = a[j] + a[4 + j] + a[8 + j];
                s[4 + j] = a[4 + j] - a[8 + j] - a[12 + j];
            }
            for (int i = 0; i < 2; i++) {
                const float *si = s + 4 * i;
                float y0v = si[0] + si[1] + si[2] + bias[c], y1v = si[1] - si[2] - si[3] + bias[c];
                if (o[i][0]) o[i][0][c] = y0v;
                if (o[i][1]) o[i][1][c] = y1v;
            }
        }
    }
}

void mf_wino_conv3x3(const float *in, int relu_in, int n, int H, int W, int Cin, const float *U, const float *bias,
                     int Cout, float *out, float *scratch, int tiles) {
    int th = (H + 1) / 2, tw = (W + 1) / 2, T = n * th * tw;
    if (tiles < 1) tiles = 1;
    /* even chunks, as conv3x3 does */
    int nchunks = (T + tiles - 1) / tiles;
    tiles = (T + nchunks - 1) / nchunks;
    float *V = scratch, *Mb = V + (size_t)16 * tiles * Cin, *zero = Mb + (size_t)16 * tiles * Cout;
    memset(zero, 0, sizeof(float) * (size_t)Cin);
    for (int t0 = 0; t0 < T; t0 += tiles) {
        int nt = T - t0 < tiles ? T - t0 : tiles;
        input_transform(in, relu_in, H, W, Cin, th, tw, t0, nt, zero, V);
        for (int xi = 0; xi < 16; xi++)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nt, Cout, Cin, 1.0f, V + (size_t)xi * nt * Cin, Cin,
                        U + (size_t)xi * Cin * Cout, Cout, 0.0f, Mb + (size_t)xi * nt * Cout, Cout);
        output_transform(Mb, bias, H, W, Cout, th, tw, t0, nt, out);
    }
}
