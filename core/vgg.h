/* vgg.h: the frozen VGG16/VGG19 convolution tower (Keras include_top=False)
 * and the per-block summaries of the feature store, as one batched forward
 * pass. Pure: no files, no MPI.
 *
 * Input: B gray patches [B,S,S] (S = 72 in the paper), each minus its own
 * mean, the same value in all 3 input channels. Per block b = 1..n_blocks:
 * convs_b x (3x3 'same' conv + bias + ReLU), then 2x2 max pool stride 2
 * (floor), giving P_b [B,H_b,W_b,C_b] (36,18,9,4,2 at S = 72). Summaries of
 * P_b, all computed in the same pass:
 *   mean_b    [B,C_b]      spatial mean of P_b
 *   meansq_b  [B,C_b]      spatial mean of P_b^2
 *   pool2x2_b [B,2,2,C_b]  average of P_b over window (i,j) of side s_b
 *                          (16,8,4,2,1): rows i*s..i*s+s-1, cols j*s..j*s+s-1
 * Layout: NHWC float32 throughout; a conv is Winograd F(2x2,3x3)
 * (core/winograd.h) or im2col (in chunks of image rows) + one mf_gemm_nn
 * (core/gemm.h: a defined order per output element, AVX-512/AVX2) per chunk
 * with M = rows, N = Cout, K = 9*Cin + 1
 * (the bias rides in the GEMM as a ones column); each layer's ReLU is applied
 * by its consumer (the next im2col's copy, or the max pool), so no pass over
 * the conv output is spent on bias or ReLU. */
#ifndef MF_CORE_VGG_H
#define MF_CORE_VGG_H
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Output channels of the standard VGG16/VGG19 blocks 1..5 (index b-1): the
 * one table of the architecture (heads, weights reader, store use it). */
extern const int mf_vgg_block_width[5]; /* 64, 128, 256, 512, 512 */

#define MF_VGG_MAX_BLOCKS 5
#define MF_VGG_MAX_LAYERS 16
#define MF_VGG_MAX_THREADS 256

/* A tower: the standard ones come from mf_vgg_arch_init; tests may shrink
 * widths, convs and windows (mf_vgg_arch_check validates). */
typedef struct mf_vgg_arch {
    int depth;                              /* 16 or 19 (0: custom, tests) */
    int n_blocks;                           /* 1..5: a prefix of whole blocks */
    int convs[MF_VGG_MAX_BLOCKS];           /* 2,2,3,3,3 (VGG16) or 2,2,4,4,4 (VGG19) */
    int widths[MF_VGG_MAX_BLOCKS];          /* 64,128,256,512,512 */
    int pool_window[MF_VGG_MAX_BLOCKS];     /* pool2x2 window s_b: 16,8,4,2,1 */
} mf_vgg_arch;

/* depth 16 or 19, n_blocks 1..5. */
int mf_vgg_arch_init(mf_vgg_arch *a, int depth, int n_blocks, mf_err *e);
/* name "vgg16" | "vgg19". */
int mf_vgg_arch_parse(mf_vgg_arch *a, const char *name, int n_blocks, mf_err *e);
const char *mf_vgg_arch_name(const mf_vgg_arch *a); /* "vgg16", "vgg19", "custom" */
/* Checks counts and (side > 0) that every block's 2x2 windows fit in P_b
 * at input side S. */
int mf_vgg_arch_check(const mf_vgg_arch *a, int side, mf_err *e);

int mf_vgg_n_layers(const mf_vgg_arch *a);
/* Layer l = 0..n_layers-1 in forward order: its block (0-based), index in
 * the block (0-based), Cin (3 at layer 0) and Cout. */
void mf_vgg_layer(const mf_vgg_arch *a, int l, int *block, int *k, int *cin, int *cout);
/* Keras name of layer l: "block<b+1>_conv<k+1>". */
void mf_vgg_layer_name(const mf_vgg_arch *a, int l, char *buf, size_t len);
/* Side of P_b (block b 0-based) for input side S: S >> (b+1). */
int mf_vgg_pooled_side(int side, int b);
/* Floats per patch of block b's summaries: C (mean) + C (meansq) + 4C. */
int mf_vgg_summary_floats(const mf_vgg_arch *a, int b);
/* Multiply-adds x2 of the tower at side S, counting 2*9*Cin*Cout*H*W per
 * conv with Cin = 3 at layer 1 (the usual count; VGG19 at 72: 3.95e9). */
double mf_vgg_flops(const mf_vgg_arch *a, int side);
/* The flops this implementation actually does (layer 1 with Cin = 1). */
double mf_vgg_flops_done(const mf_vgg_arch *a, int side);

/* Weights in memory: one allocation (mf_vgg_weights_alloc), per layer a
 * kernel [3,3,Cin,Cout] (HWIO, TF cross-correlation) immediately followed
 * by its bias [Cout]: the forward pass uses the two as one [9*Cin+1, Cout]
 * matrix (a column of ones in im2col adds the bias inside the GEMM). */
typedef struct mf_vgg_weights {
    mf_vgg_arch arch;
    float *kernel[MF_VGG_MAX_LAYERS];
    float *bias[MF_VGG_MAX_LAYERS];
    float *base;
    size_t n_params;
} mf_vgg_weights;

int mf_vgg_weights_alloc(mf_vgg_weights *w, const mf_vgg_arch *a, mf_err *e);
void mf_vgg_weights_free(mf_vgg_weights *w);

/* Scratch for forward passes of up to `batch` patches of side S: one
 * allocation, reused by every call. */
typedef struct mf_vgg_workspace {
    mf_vgg_arch arch;
    int side, batch;
    float *base;
    size_t n_floats;
    float *act[2];      /* ping-pong activations, each [batch, max H*W*C] */
    int threads;        /* OpenMP threads of the forward pass (1..MF_VGG_MAX_THREADS) */
    float *col;         /* per thread: an im2col or Winograd chunk of col_floats floats */
    size_t col_floats;
    float *k1;          /* layer 1 kernel summed over input channels [3,3,1,C1], bias row: [10, C1] */
    double *acc;        /* per thread: summary accumulators [6*C], acc_doubles apart */
    size_t acc_doubles;
    float *wino_u;      /* Winograd kernels of layers 2.. [16, Cin, Cout] each, in order */
    uint64_t wino_key;  /* hash of the weights wino_u was made from (0: none yet) */
    int algo;           /* MF_VGG_WINOGRAD (default) or MF_VGG_IM2COL */
    /* --profile: when profile is set, each forward pass adds its wall time
     * per conv layer and per block's pool + summaries (callers zero them). */
    int profile;
    double layer_seconds[MF_VGG_MAX_LAYERS];
    double pool_seconds[MF_VGG_MAX_BLOCKS];
} mf_vgg_workspace;

/* How layers 2.. are convolved: Winograd F(2x2,3x3) (core/winograd.h, 2.25x
 * fewer flops) or im2col + one GEMM. Layer 1 (one input channel) is always
 * im2col. Both agree with the golden reference within its tolerance. */
enum { MF_VGG_WINOGRAD = 0, MF_VGG_IM2COL = 1 };

/* Bytes mf_vgg_workspace_init allocates (for logging and planning). */
size_t mf_vgg_workspace_bytes(const mf_vgg_arch *a, int side, int batch);
size_t mf_vgg_workspace_bytes_threads(const mf_vgg_arch *a, int side, int batch, int threads);
/* One thread. */
int mf_vgg_workspace_init(mf_vgg_workspace *ws, const mf_vgg_arch *a, int side, int batch, mf_err *e);
/* Forward passes on `threads` OpenMP threads (1..MF_VGG_MAX_THREADS), each
 * with its own chunk scratch; the results' bits do not depend on threads. */
int mf_vgg_workspace_init_threads(mf_vgg_workspace *ws, const mf_vgg_arch *a, int side, int batch, int threads,
                                  mf_err *e);
void mf_vgg_workspace_free(mf_vgg_workspace *ws);

/* Where a forward pass puts its results, per block b (0-based) of the
 * workspace's arch; any pointer may be NULL (not wanted). */
typedef struct mf_vgg_out {
    float *mean[MF_VGG_MAX_BLOCKS];    /* [n, C_b] */
    float *meansq[MF_VGG_MAX_BLOCKS];  /* [n, C_b] */
    float *pool2x2[MF_VGG_MAX_BLOCKS]; /* [n, 2, 2, C_b], index [patch][i][j][c] */
    float *pooled[MF_VGG_MAX_BLOCKS];  /* [n, H_b, W_b, C_b]: P_b itself (debugging) */
} mf_vgg_out;

/* Forward pass of n <= ws->batch patches [n,S,S] through ws->arch's blocks
 * with weights w (w's arch must equal ws's, or be a deeper tower of the same
 * kind). Fails only on mismatched arguments. */
int mf_vgg_forward_u8(mf_vgg_workspace *ws, const mf_vgg_weights *w, const uint8_t *patches, int n,
                      const mf_vgg_out *out, mf_err *e);
int mf_vgg_forward_f32(mf_vgg_workspace *ws, const mf_vgg_weights *w, const float *patches, int n,
                       const mf_vgg_out *out, mf_err *e);

#endif
