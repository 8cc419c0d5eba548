/* gemm.h: the fusion heads' matrix products with a DEFINED order of
 * operations per output element, so that an output row's bits never depend
 * on how many rows are computed together (a rank's shards of 8 samples go
 * through one product of 8, 16 or 32 rows and must give the bits of 8) nor
 * on the instruction set: the AVX-512 and AVX2 kernels (chosen at run time)
 * and the scalar references below give identical bits, which tests/unit/test_gemm.c
 * checks. OpenBLAS promises neither (its small-matrix and edge kernels vary
 * with the shape), and at 8-32 rows its Haswell kernels reach a fraction of
 * the machine's rate; these kernels keep the weights' panel in L1 across all
 * rows (see docs/results.md "Training speed"). The VGG convolutions' GEMMs
 * (core/winograd.c, core/vgg.c: thousands of rows, N = 64..512) run on them
 * too, in blocks of 192 rows, at about twice OpenBLAS's Haswell rate, so a
 * patch's features do not depend on its batch or the threads either.
 *
 * All arrays are row-major floats; ld* = floats between consecutive rows.
 *
 * mf_gemm_nn: C[m,n] = A[m,k] B[k,n], A(i,p) = A[i*rsa + p*csa] (so A may be
 *   a transposed view: rsa = 1, csa = ld), B(p,j) = B[p*ldb + j]. Element
 *   order: c = 0; for p = 0..k-1: c = fmaf(A(i,p), B(p,j), c).
 * mf_gemm_nt: C[m,n] = A[m,k] B[n,k]^T (dot products of rows). Element
 *   order: 16 lane sums s[l] = fmaf chain over p = l, l+16, l+32, ... (p >= k
 *   contributes fmaf(0, 0, s[l])), then s[l] += s[l+8] (l < 8),
 *   s[l] += s[l+4] (l < 4), s[l] += s[l+2] (l < 2), c = s[0] + s[1]. */
#ifndef MF_GEMM_H
#define MF_GEMM_H

void mf_gemm_nn(int m, int n, int k, const float *A, int rsa, int csa, const float *B, int ldb, float *C,
                int ldc);
void mf_gemm_nt(int m, int n, int k, const float *A, int lda, const float *B, int ldb, float *C, int ldc);

/* B packed once for many products (the convolutions' kernels): column
 * panels of mf_gemm_panel(n, j0) columns, panel j0 at Bp + j0*k, its row p
 * at + p*width (k*n floats in all), so each panel the kernels stream is
 * contiguous. mf_gemm_nn_packed(.., Bp, ..) = mf_gemm_nn(.., B, ldb, ..),
 * bit for bit: the same chain per element. */
int mf_gemm_panel(int n, int j0);
void mf_gemm_pack_b(int k, int n, const float *B, int ldb, float *Bp);
void mf_gemm_nn_packed(int m, int n, int k, const float *A, int rsa, int csa, const float *Bp, float *C, int ldc);
void mf_gemm_nn_packed_ref(int m, int n, int k, const float *A, int rsa, int csa, const float *Bp, float *C, int ldc);

/* The scalar definitions (tests; machines without AVX-512F). */
void mf_gemm_nn_ref(int m, int n, int k, const float *A, int rsa, int csa, const float *B, int ldb, float *C,
                    int ldc);
void mf_gemm_nt_ref(int m, int n, int k, const float *A, int lda, const float *B, int ldb, float *C, int ldc);

/* The kernels in use: the best the CPU has (AVX-512F+DQ, else AVX2+FMA,
 * else the scalar definitions), or fewer with MF_GEMM=avx2|ref. All give
 * the same bits. */
enum { MF_GEMM_REF = 0, MF_GEMM_AVX2 = 1, MF_GEMM_AVX512 = 2 };
int mf_gemm_path(void);
/* Tests: use path (at most the CPU's best; -1 = the best); returns the path in use. */
int mf_gemm_use(int path);
/* 1 when the AVX-512 kernels run. */
int mf_gemm_simd(void);

#endif
