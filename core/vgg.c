/* vgg.c: see vgg.h. The forward pass, per layer: Winograd F(2x2,3x3)
 * (core/winograd.h) for layers 2.., or, for layer 1 and MF_VGG_IM2COL,
 *   relu(in) [n,H,W,Cin] --im2col, a chunk of image rows--> col [rows*W, 9*Cin+1]
 *   col @ [kernel; bias] [9*Cin+1, Cout] (mf_gemm_nn)   --> out [rows*W, Cout]
 * (out stays pre-ReLU; the next consumer applies it), and after a block's
 * last conv: ReLU + 2x2 max pool, then the summaries of P_b. With
 * ws->threads > 1 every step is an OpenMP loop over chunks of rows, tiles
 * or patches, each thread writing whole output elements by the same
 * operations as one thread would: the bits do not depend on the threads. */
#include "core/vgg.h"

#include "core/winograd.h"

#include "core/gemm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* im2col chunk budget in floats (8 MB): large enough that every GEMM has
 * M >= ~450 rows even at K = 4609, small enough to stay in the L3 cache
 * (single-thread CPU time on a 2-core Zen 4: 4-8 MB a few percent better
 * than 16 MB; 4 KB, one image row, is 40% slower). The budget is per thread
 * (ws->threads chunks in flight). */
#define MF_VGG_COL_BUDGET ((size_t)2 << 20)

static const int vgg16_convs[5] = {2, 2, 3, 3, 3};
static const int vgg19_convs[5] = {2, 2, 4, 4, 4};
const int mf_vgg_block_width[5] = {64, 128, 256, 512, 512};
static const int std_windows[5] = {16, 8, 4, 2, 1};

int mf_vgg_arch_init(mf_vgg_arch *a, int depth, int n_blocks, mf_err *e) {
    if (depth != 16 && depth != 19) return mf_fail(e, "vgg: depth %d: expected 16 or 19", depth);
    if (n_blocks < 1 || n_blocks > MF_VGG_MAX_BLOCKS)
        return mf_fail(e, "vgg: blocks %d: expected 1..5", n_blocks);
    memset(a, 0, sizeof *a);
    a->depth = depth;
    a->n_blocks = n_blocks;
    for (int b = 0; b < MF_VGG_MAX_BLOCKS; b++) {
        a->convs[b] = depth == 16 ? vgg16_convs[b] : vgg19_convs[b];
        a->widths[b] = mf_vgg_block_width[b];
        a->pool_window[b] = std_windows[b];
    }
    return 0;
}

int mf_vgg_arch_parse(mf_vgg_arch *a, const char *name, int n_blocks, mf_err *e) {
    if (name && !strcmp(name, "vgg16")) return mf_vgg_arch_init(a, 16, n_blocks, e);
    if (name && !strcmp(name, "vgg19")) return mf_vgg_arch_init(a, 19, n_blocks, e);
    return mf_fail(e, "vgg: arch '%s': expected vgg16 or vgg19", name ? name : "");
}

const char *mf_vgg_arch_name(const mf_vgg_arch *a) {
    return a->depth == 16 ? "vgg16" : a->depth == 19 ? "vgg19" : "custom";
}

int mf_vgg_n_layers(const mf_vgg_arch *a) {
    int n = 0;
    for (int b = 0; b < a->n_blocks; b++) n += a->convs[b];
    return n;
}

int mf_vgg_pooled_side(int side, int b) { return side >> (b + 1); }

int mf_vgg_arch_check(const mf_vgg_arch *a, int side, mf_err *e) {
    if (a->n_blocks < 1 || a->n_blocks > MF_VGG_MAX_BLOCKS)
        return mf_fail(e, "vgg: blocks %d: expected 1..5", a->n_blocks);
    int layers = 0;
    for (int b = 0; b < a->n_blocks; b++) {
        if (a->convs[b] < 1 || a->widths[b] < 1 || a->pool_window[b] < 1)
            return mf_fail(e, "vgg: block %d: convs, width and window must be >= 1", b + 1);
        layers += a->convs[b];
        if (side <= 0) continue;
        int h = mf_vgg_pooled_side(side, b);
        if (2 * a->pool_window[b] > h)
            return mf_fail(e, "vgg: block %d: pooled side %d at input side %d is smaller than 2x2 windows of %d",
                           b + 1, h, side, a->pool_window[b]);
    }
    if (layers > MF_VGG_MAX_LAYERS) return mf_fail(e, "vgg: %d conv layers: at most %d", layers, MF_VGG_MAX_LAYERS);
    return 0;
}

void mf_vgg_layer(const mf_vgg_arch *a, int l, int *block, int *k, int *cin, int *cout) {
    int c = 3;
    for (int b = 0; b < a->n_blocks; b++)
        for (int j = 0; j < a->convs[b]; j++, l--) {
            if (l == 0) {
                if (block) *block = b;
                if (k) *k = j;
                if (cin) *cin = c;
                if (cout) *cout = a->widths[b];
                return;
            }
            c = a->widths[b];
        }
}

void mf_vgg_layer_name(const mf_vgg_arch *a, int l, char *buf, size_t len) {
    int b = 0, k = 0;
    mf_vgg_layer(a, l, &b, &k, NULL, NULL);
    snprintf(buf, len, "block%d_conv%d", b + 1, k + 1);
}

int mf_vgg_summary_floats(const mf_vgg_arch *a, int b) { return 6 * a->widths[b]; }

static double flops(const mf_vgg_arch *a, int side, int cin0) {
    double f = 0;
    int cin = cin0, s = side;
    for (int b = 0; b < a->n_blocks; b++) {
        for (int j = 0; j < a->convs[b]; j++) {
            f += 2.0 * 9 * cin * a->widths[b] * (double)s * s;
            cin = a->widths[b];
        }
        s /= 2;
    }
    return f;
}

double mf_vgg_flops(const mf_vgg_arch *a, int side) { return flops(a, side, 3); }
double mf_vgg_flops_done(const mf_vgg_arch *a, int side) { return flops(a, side, 1); }

int mf_vgg_weights_alloc(mf_vgg_weights *w, const mf_vgg_arch *a, mf_err *e) {
    memset(w, 0, sizeof *w);
    if (mf_vgg_arch_check(a, 0, e)) return -1;
    w->arch = *a;
    int nl = mf_vgg_n_layers(a);
    size_t n = 0;
    for (int l = 0; l < nl; l++) {
        int cin = 0, cout = 0;
        mf_vgg_layer(a, l, NULL, NULL, &cin, &cout);
        n += (size_t)9 * cin * cout + (size_t)cout;
    }
    w->base = malloc(n * sizeof(float));
    if (!w->base) return mf_fail(e, "vgg: out of memory for %zu weights", n);
    w->n_params = n;
    float *p = w->base; /* per layer: kernel, then bias (conv3x3 uses them as one matrix) */
    for (int l = 0; l < nl; l++) {
        int cin = 0, cout = 0;
        mf_vgg_layer(a, l, NULL, NULL, &cin, &cout);
        w->kernel[l] = p;
        p += (size_t)9 * cin * cout;
        w->bias[l] = p;
        p += cout;
    }
    return 0;
}

void mf_vgg_weights_free(mf_vgg_weights *w) {
    free(w->base);
    memset(w, 0, sizeof *w);
}

/* Rounds a float count up to 64 bytes so every part stays aligned. */
static size_t up16(size_t n) { return (n + 15) & ~(size_t)15; }

/* Sizes of the workspace's parts, in floats. */
typedef struct ws_sizes {
    size_t act, col, k1, acc, wino_u;
} ws_sizes;

static ws_sizes sizes(const mf_vgg_arch *a, int side, int batch) {
    ws_sizes z = {(size_t)side * side, 0, (size_t)10 * a->widths[0], 0, 0};
    int cin = 1, s = side; /* layer 1 runs with its channel-summed kernel: Cin = 1 */
    for (int b = 0; b < a->n_blocks; b++) {
        for (int j = 0; j < a->convs[b]; j++) {
            size_t out = (size_t)s * s * a->widths[b];
            if (out > z.act) z.act = out;
            size_t row = (size_t)s * (9 * cin + 1), total = row * s * batch;
            size_t want = total < MF_VGG_COL_BUDGET ? total : (row > MF_VGG_COL_BUDGET ? row : MF_VGG_COL_BUDGET);
            if (want > z.col) z.col = want;
            if (cin > 1) { /* Winograd: a one-tile chunk at least, and the layer's transformed kernel */
                size_t one = mf_wino_scratch_floats(1, cin, a->widths[b]), u = up16((size_t)16 * cin * a->widths[b]);
                if (one > z.col) z.col = one;
                z.wino_u += u;
            }
            cin = a->widths[b];
        }
        if ((size_t)6 * a->widths[b] > z.acc) z.acc = (size_t)6 * a->widths[b];
        s /= 2;
    }
    z.act *= (size_t)batch;
    return z;
}

size_t mf_vgg_workspace_bytes_threads(const mf_vgg_arch *a, int side, int batch, int threads) {
    ws_sizes z = sizes(a, side, batch);
    size_t t = threads < 1 ? 1 : (size_t)threads;
    return (2 * up16(z.act) + t * up16(z.col) + up16(z.k1) + up16(z.wino_u)) * sizeof(float) +
           t * z.acc * sizeof(double);
}

size_t mf_vgg_workspace_bytes(const mf_vgg_arch *a, int side, int batch) {
    return mf_vgg_workspace_bytes_threads(a, side, batch, 1);
}

int mf_vgg_workspace_init(mf_vgg_workspace *ws, const mf_vgg_arch *a, int side, int batch, mf_err *e) {
    return mf_vgg_workspace_init_threads(ws, a, side, batch, 1, e);
}

int mf_vgg_workspace_init_threads(mf_vgg_workspace *ws, const mf_vgg_arch *a, int side, int batch, int threads,
                                  mf_err *e) {
    memset(ws, 0, sizeof *ws);
    if (batch < 1) return mf_fail(e, "vgg: batch %d: expected >= 1", batch);
    if (threads < 1 || threads > MF_VGG_MAX_THREADS)
        return mf_fail(e, "vgg: %d threads: expected 1..%d", threads, MF_VGG_MAX_THREADS);
    if (mf_vgg_arch_check(a, side, e)) return -1;
    ws_sizes z = sizes(a, side, batch);
    size_t bytes = mf_vgg_workspace_bytes_threads(a, side, batch, threads);
    void *p = NULL;
    if (posix_memalign(&p, 64, bytes)) return mf_fail(e, "vgg: out of memory for a %zu-byte workspace", bytes);
    ws->arch = *a;
    ws->side = side;
    ws->batch = batch;
    ws->base = p;
    ws->n_floats = bytes / sizeof(float);
    ws->act[0] = ws->base;
    ws->act[1] = ws->act[0] + up16(z.act);
    ws->threads = threads;
    ws->col = ws->act[1] + up16(z.act);
    ws->col_floats = up16(z.col);
    ws->k1 = ws->col + (size_t)threads * up16(z.col);
    ws->wino_u = ws->k1 + up16(z.k1);
    ws->acc = (double *)(ws->wino_u + up16(z.wino_u));
    ws->acc_doubles = z.acc;
    ws->algo = MF_VGG_WINOGRAD;
    ws->wino_key = 0;
    return 0;
}

void mf_vgg_workspace_free(mf_vgg_workspace *ws) {
    free(ws->base);
    memset(ws, 0, sizeof *ws);
}

/* 4 floats as one value (GCC/Clang vector extension; one SSE register on the
 * baseline x86-64 target, whose compares are native at this width). Loads
 * and stores go through memcpy, so no alignment is assumed. */
typedef float v4f __attribute__((vector_size(16)));
typedef int v4i __attribute__((vector_size(16)));

/* d[i] = max(s[i], 0): the ReLU of the layer before, applied while copying. */
static void relu_copy(float *restrict d, const float *restrict s, size_t n) {
    const v4f zero = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        v4f x, y;
        memcpy(&x, s + i, sizeof x);
        memcpy(&y, s + i + 4, sizeof y);
        x = (v4f)((v4i)x & (x > zero));
        y = (v4f)((v4i)y & (y > zero));
        memcpy(d + i, &x, sizeof x);
        memcpy(d + i + 4, &y, sizeof y);
    }
    for (; i < n; i++) d[i] = s[i] > 0.0f ? s[i] : 0.0f;
}

/* im2col of image rows r0..r1-1 (row r = patch r/H, y = r%H), applying the
 * previous layer's ReLU (relu = 1; not for the input layer):
 *   in [n,H,W,C] -> col [(r1-r0)*W, 9*C + 1]
 * column (ky*3 + kx)*C + ci, the HWIO kernel's row order, then a column of
 * ones that multiplies the bias row stored right after the kernel: the GEMM
 * adds the bias. Zeros outside the image ('same' padding). In NHWC the three
 * kx taps of an inner pixel are adjacent: one copy of 3*C floats. */
static void im2col(const float *in, int H, int W, int C, int r0, int r1, int relu, float *col) {
    const size_t K = (size_t)9 * C + 1, C3 = (size_t)3 * C;
    for (int r = r0; r < r1; r++) {
        int b = r / H, y = r % H;
        float *rowcol = col + (size_t)(r - r0) * W * K;
        for (int x = 0; x < W; x++) rowcol[x * K + K - 1] = 1.0f;
        for (int ky = 0; ky < 3; ky++) {
            int yy = y + ky - 1;
            float *dst = rowcol + ky * C3;
            if (yy < 0 || yy >= H) {
                for (int x = 0; x < W; x++) memset(dst + x * K, 0, C3 * sizeof(float));
                continue;
            }
            const float *src = in + ((size_t)b * H + yy) * W * C;
            for (int x = 0; x < W; x++) {
                float *d = dst + x * K;
                for (int kx = 0; kx < 3;) {
                    int xx = x + kx - 1;
                    if (xx < 0 || xx >= W) {
                        memset(d + kx * C, 0, C * sizeof(float));
                        kx++;
                        continue;
                    }
                    int run = 1; /* taps kx.. that are inside: one copy */
                    while (kx + run < 3 && xx + run < W) run++;
                    if (relu) relu_copy(d + kx * C, src + (size_t)xx * C, (size_t)run * C);
                    else memcpy(d + kx * C, src + (size_t)xx * C, (size_t)run * C * sizeof(float));
                    kx += run;
                }
            }
        }
    }
}

/* The OpenMP thread running this (0 outside parallel regions). */
static int thread_id(void) {
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

/* 3x3 same conv + bias (ReLU left to the consumer):
 *   in [n,H,W,Cin] (pre-ReLU if relu_in) -> out [n,H,W,Cout] (pre-ReLU)
 * kb [9*Cin + 1, Cout]: the HWIO kernel flattened, then the bias row. */
static void conv3x3(mf_vgg_workspace *ws, const float *in, int relu_in, int n, int H, int W, int Cin,
                    const float *kb, int Cout, float *out) {
    size_t K = (size_t)9 * Cin + 1, row = (size_t)W * K;
    if (n < 1) return;
    int rows = n * H, chunk = (int)(ws->col_floats / row);
    if (chunk < 1) chunk = 1;
    /* Even chunks: 5 rows of 900 beat 4 of 1024 and one of 400. */
    int nchunks = (rows + chunk - 1) / chunk;
    chunk = (rows + nchunks - 1) / nchunks;
    int threads = ws->threads;
    if (threads > 1 && nchunks < 2 * threads) { /* at least 2 chunks per thread, so they finish together */
        nchunks = rows < 2 * threads ? rows : 2 * threads;
        chunk = (rows + nchunks - 1) / nchunks;
    }
    nchunks = (rows + chunk - 1) / chunk;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1) if (threads > 1)
    for (int ch = 0; ch < nchunks; ch++) {
        int r0 = ch * chunk, r1 = r0 + chunk < rows ? r0 + chunk : rows;
        float *col = ws->col + (size_t)thread_id() * ws->col_floats;
        im2col(in, H, W, Cin, r0, r1, relu_in, col);
        mf_gemm_nn((r1 - r0) * W, Cout, (int)K, col, (int)K, 1, kb, Cout, out + (size_t)r0 * W * Cout, Cout);
    }
}

/* ReLU + 2x2 max pool, stride 2, floor (max(relu(.)) = max(., 0)):
 * in [n,H,W,C] (pre-ReLU) -> out [n,H/2,W/2,C]. */
static void maxpool(const float *in, int n, int H, int W, int C, float *out, int threads) {
    int Ho = H / 2, Wo = W / 2, C4 = C & ~3;
    const v4f zero = {0};
#pragma omp parallel for num_threads(threads) if (threads > 1)
    for (int b = 0; b < n; b++)
        for (int y = 0; y < Ho; y++) {
            const float *r0 = in + (((size_t)b * H + 2 * y) * W) * C;
            const float *r1 = r0 + (size_t)W * C;
            float *o = out + (((size_t)b * Ho + y) * Wo) * C;
            for (int x = 0; x < Wo; x++, o += C) {
                const float *a = r0 + (size_t)2 * x * C, *c = r1 + (size_t)2 * x * C;
                int ch = 0;
                for (; ch < C4; ch += 4) {
                    v4f p, q, u, v;
                    memcpy(&p, a + ch, 16), memcpy(&q, a + ch + C, 16);
                    memcpy(&u, c + ch, 16), memcpy(&v, c + ch + C, 16);
                    /* max(p, q) as a select: (p > q) & p | ~(p > q) & q */
                    v4i m = p > q;
                    p = (v4f)(((v4i)p & m) | ((v4i)q & ~m));
                    m = u > v;
                    u = (v4f)(((v4i)u & m) | ((v4i)v & ~m));
                    m = p > u;
                    p = (v4f)(((v4i)p & m) | ((v4i)u & ~m));
                    p = (v4f)((v4i)p & (p > zero));
                    memcpy(o + ch, &p, 16);
                }
                for (; ch < C; ch++) {
                    float m = a[ch] > a[ch + C] ? a[ch] : a[ch + C];
                    float m2 = c[ch] > c[ch + C] ? c[ch] : c[ch + C];
                    m = m > m2 ? m : m2;
                    o[ch] = m > 0.0f ? m : 0.0f;
                }
            }
        }
}

/* Summaries of P [n,H,W,C] (double accumulation), window s:
 * mean, meansq [n,C]; pool2x2 [n,2,2,C]; accumulators [6C] per thread,
 * acc_stride doubles apart. */
static void summarise(const float *P, int n, int H, int W, int C, int s, double *accs, size_t acc_stride,
                      float *mean, float *meansq, float *pool2x2, int threads) {
#pragma omp parallel for num_threads(threads) if (threads > 1)
    for (int b = 0; b < n; b++) {
        double *acc = accs + (size_t)thread_id() * acc_stride;
        double *sum = acc, *sq = acc + C, *win = acc + 2 * C; /* win [2,2,C] */
        memset(acc, 0, sizeof(double) * 6 * C);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                const float *p = P + (((size_t)b * H + y) * W + x) * C;
                double *w = (y < 2 * s && x < 2 * s) ? win + ((y / s) * 2 + x / s) * C : NULL;
                for (int c = 0; c < C; c++) {
                    double v = p[c];
                    sum[c] += v;
                    sq[c] += v * v;
                }
                if (w)
                    for (int c = 0; c < C; c++) w[c] += p[c];
            }
        double inv = 1.0 / ((double)H * W), invw = 1.0 / ((double)s * s);
        for (int c = 0; c < C; c++) {
            if (mean) mean[(size_t)b * C + c] = (float)(sum[c] * inv);
            if (meansq) meansq[(size_t)b * C + c] = (float)(sq[c] * inv);
        }
        if (pool2x2)
            for (int k = 0; k < 4 * C; k++) pool2x2[(size_t)b * 4 * C + k] = (float)(win[k] * invw);
    }
}

static int compatible(const mf_vgg_workspace *ws, const mf_vgg_weights *w, int n, mf_err *e) {
    if (!ws->base) return mf_fail(e, "vgg: workspace not initialised");
    if (n < 0 || n > ws->batch) return mf_fail(e, "vgg: %d patches: the workspace holds at most %d", n, ws->batch);
    if (w->arch.n_blocks < ws->arch.n_blocks)
        return mf_fail(e, "vgg: the weights have %d blocks, the tower needs %d", w->arch.n_blocks, ws->arch.n_blocks);
    for (int l = 0; l < mf_vgg_n_layers(&ws->arch); l++) {
        int cin = 0, cout = 0;
        mf_vgg_layer(&ws->arch, l, NULL, NULL, &cin, &cout);
        if (w->bias[l] != w->kernel[l] + (size_t)9 * cin * cout)
            return mf_fail(e, "vgg: layer %d: bias not stored right after the kernel (use mf_vgg_weights_alloc)", l + 1);
    }
    for (int b = 0; b < ws->arch.n_blocks; b++)
        if (w->arch.convs[b] != ws->arch.convs[b] || w->arch.widths[b] != ws->arch.widths[b])
            return mf_fail(e, "vgg: block %d: the weights have %d convs of width %d, the tower %d of %d", b + 1,
                           w->arch.convs[b], w->arch.widths[b], ws->arch.convs[b], ws->arch.widths[b]);
    return 0;
}

/* A 64-bit hash of the weights' bits (FNV-1a over 64-bit words): the
 * Winograd kernels are remade only when the weights change (~10 ms for
 * VGG19, against ~25 ms per 512x512 layer to transform). Never 0. */
static uint64_t weights_key(const mf_vgg_weights *w) {
    const unsigned char *p = (const unsigned char *)w->base;
    size_t n = w->n_params * sizeof(float);
    uint64_t h = 0xcbf29ce484222325u ^ (uint64_t)n, x;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        memcpy(&x, p + i, 8);
        h = (h ^ x) * 0x100000001b3u;
    }
    for (; i < n; i++) h = (h ^ p[i]) * 0x100000001b3u;
    return h ? h : 1;
}

/* Makes the Winograd kernels of layers 2.. unless they are from these weights. */
static void winograd_kernels(mf_vgg_workspace *ws, const mf_vgg_weights *w) {
    uint64_t key = weights_key(w);
    if (key == ws->wino_key) return;
    float *u = ws->wino_u;
    for (int l = 1; l < mf_vgg_n_layers(&ws->arch); l++) {
        int b = 0, k = 0, cin = 0, cout = 0;
        mf_vgg_layer(&ws->arch, l, &b, &k, &cin, &cout);
        mf_wino_kernel(w->kernel[l], cin, cout, u);
        u += up16((size_t)16 * cin * cout);
    }
    ws->wino_key = key;
}

/* Wall-clock seconds (the --profile breakdown). */
static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The tower on act[0] = centred input [n,S,S,1]. */
static void tower(mf_vgg_workspace *ws, const mf_vgg_weights *w, int n, const mf_vgg_out *out) {
    const mf_vgg_arch *a = &ws->arch;
    /* Layer 1: all 3 input channels hold the same x, so
     *   sum_ci W[ky,kx,ci,o] * x = (sum_ci W[ky,kx,ci,o]) * x:
     * the same math with a [3,3,1,C1] kernel and 3x fewer flops. (The sum
     * is rounded once to float; the golden test checks the result.) */
    int C1 = a->widths[0];
    for (int t = 0; t < 9; t++)
        for (int o = 0; o < C1; o++) {
            const float *k = w->kernel[0] + (size_t)t * 3 * C1 + o;
            ws->k1[t * C1 + o] = (float)((double)k[0] + (double)k[C1] + (double)k[2 * C1]);
        }
    memcpy(ws->k1 + 9 * C1, w->bias[0], sizeof(float) * C1); /* k1 [10, C1]: kernel rows, bias row */
    if (ws->algo == MF_VGG_WINOGRAD) winograd_kernels(ws, w);
    const float *u = ws->wino_u;
    float *cur = ws->act[0], *nxt = ws->act[1], *tmp;
    int H = ws->side, W = ws->side, C = 1, l = 0;
    for (int b = 0; b < a->n_blocks; b++) {
        for (int j = 0; j < a->convs[b]; j++, l++) {
            /* kernel [9*Cin, Cout] with the bias row right after it (weights alloc) */
            const float *kb = l == 0 ? ws->k1 : w->kernel[l];
            double t0 = ws->profile ? seconds_now() : 0;
            if (l == 0 || ws->algo == MF_VGG_IM2COL) conv3x3(ws, cur, j > 0, n, H, W, C, kb, a->widths[b], nxt);
            else
                mf_wino_conv3x3(cur, j > 0, n, H, W, C, u, w->bias[l], a->widths[b], nxt, ws->col, ws->col_floats,
                                ws->threads);
            if (ws->profile) ws->layer_seconds[l] += seconds_now() - t0;
            if (l > 0) u += up16((size_t)16 * C * a->widths[b]);
            C = a->widths[b];
            tmp = cur, cur = nxt, nxt = tmp;
        }
        double t0 = ws->profile ? seconds_now() : 0;
        maxpool(cur, n, H, W, C, nxt, ws->threads);
        H /= 2, W /= 2;
        tmp = cur, cur = nxt, nxt = tmp;
        summarise(cur, n, H, W, C, a->pool_window[b], ws->acc, ws->acc_doubles, out->mean[b], out->meansq[b],
                  out->pool2x2[b], ws->threads);
        if (out->pooled[b]) memcpy(out->pooled[b], cur, sizeof(float) * (size_t)n * H * W * C);
        if (ws->profile) ws->pool_seconds[b] += seconds_now() - t0;
    }
}

/* x [px] minus its own mean (in double, rounded once), in place. */
static void centre(float *x, size_t px) {
    double sum = 0;
    for (size_t i = 0; i < px; i++) sum += x[i];
    double mean = sum / (double)px;
    for (size_t i = 0; i < px; i++) x[i] = (float)((double)x[i] - mean);
}

int mf_vgg_forward_u8(mf_vgg_workspace *ws, const mf_vgg_weights *w, const uint8_t *patches, int n,
                      const mf_vgg_out *out, mf_err *e) {
    if (compatible(ws, w, n, e)) return -1;
    size_t px = (size_t)ws->side * ws->side;
    for (size_t i = 0; i < (size_t)n * px; i++) ws->act[0][i] = patches[i]; /* exact */
    for (int b = 0; b < n; b++) centre(ws->act[0] + b * px, px);
    tower(ws, w, n, out);
    return 0;
}

int mf_vgg_forward_f32(mf_vgg_workspace *ws, const mf_vgg_weights *w, const float *patches, int n,
                       const mf_vgg_out *out, mf_err *e) {
    if (compatible(ws, w, n, e)) return -1;
    size_t px = (size_t)ws->side * ws->side;
    memcpy(ws->act[0], patches, sizeof(float) * (size_t)n * px);
    for (int b = 0; b < n; b++) centre(ws->act[0] + b * px, px);
    tower(ws, w, n, out);
    return 0;
}
