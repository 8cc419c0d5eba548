/* winograd.h: 3x3 'same' convolution by Winograd's minimal filtering
 * F(2x2, 3x3) (Lavin & Gray, 2016): each 2x2 output tile comes from a 4x4
 * input tile with 16 multiplies per (Cin, Cout) pair instead of 36, i.e.
 * 2.25x fewer flops than im2col + GEMM, as 16 GEMMs over the tiles:
 *   V_xi [T, Cin]   = (B^T d B)_xi  for every 4x4 input tile d (ReLU on read)
 *   U_xi [Cin, Cout] = (G g G^T)_xi  for every 3x3 kernel g
 *   M_xi [T, Cout]  = V_xi U_xi     (mf_gemm_nn_packed, xi = 0..15)
 *   y = A^T M A + bias              (2x2 outputs per tile, cropped at odd sides)
 * with the standard matrices
 *   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1],
 *   G   = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1],
 *   A^T = [1 1 1 0; 0 1 -1 -1].
 * The transforms only add (and halve, exactly, in G), so the float32 result
 * stays within a few ulps of the direct sum; the golden test holds it to the
 * same 1e-4 as im2col. Pure: no files, no MPI. */
#ifndef MF_WINOGRAD_H
#define MF_WINOGRAD_H
#include <stddef.h>

/* U [16][Cin*Cout] from the HWIO kernel [3][3][Cin][Cout]: per xi the
 * [Cin, Cout] matrix packed as mf_gemm_pack_b does (core/gemm.h), so the
 * 16 GEMMs stream contiguous panels of it. */
void mf_wino_kernel(const float *kernel, int Cin, int Cout, float *U);

/* Floats of scratch mf_wino_conv3x3 needs for a chunk of `tiles` tiles. */
size_t mf_wino_scratch_floats(int tiles, int Cin, int Cout);

/* in [n,H,W,Cin] (ReLU applied on read if relu_in) -> out [n,H,W,Cout]
 * (pre-ReLU) = conv3x3(in) + bias, with U from mf_wino_kernel, in chunks of
 * tiles spread over `threads` OpenMP threads; scratch holds `threads` blocks
 * of scratch_floats floats (>= mf_wino_scratch_floats(1, ...)), one per
 * thread. Every output element goes through the same operations whatever
 * the chunks or threads (mf_gemm_nn's defined order): the bits depend on
 * neither. */
void mf_wino_conv3x3(const float *in, int relu_in, int n, int H, int W, int Cin, const float *U, const float *bias,
                     int Cout, float *out, float *scratch, size_t scratch_floats, int threads);

#endif
