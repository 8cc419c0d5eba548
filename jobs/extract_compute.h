/* extract_compute.h: the one code path that turns patches of ROIs into the
 * feature store's summaries, shared by `extract` (every patch of the plan)
 * and `predict` (the grid of new ROIs): the weights of the config (a Keras
 * file or the golden formula), per patch the gray pixels (augmented only for
 * the training split's random draws) through the frozen tower (the patch
 * minus its own mean, core/vgg.h), and per block mean, meansq, pool2x2. */
#ifndef MF_JOBS_EXTRACT_COMPUTE_H
#define MF_JOBS_EXTRACT_COMPUTE_H
#include "core/config.h"
#include "core/err.h"
#include "core/patch_plan.h"
#include "core/roiset.h"
#include "core/vgg.h"
#include "io/features_store.h"

/* The weights backbone.weights names (relative to the data folder, or
 * "formula", or "random[:SEED]": He-uniform kernels and zero biases from the
 * counter RNG keyed by SEED, default 1, as `mammofuse weights random` writes
 * them: the control without ImageNet pretraining) for backbone.arch; sha =
 * the file's SHA-256 (formula, random: of the parameters in memory). */
int mf_extract_load_weights(const mf_config *c, mf_vgg_weights *w, char sha[65], mf_err *e);

/* 1 if name is "random" or "random:SEED" (*seed = SEED, default 1), 0 if
 * not random, -1 if "random..." is malformed. */
int mf_weights_is_random(const char *name, unsigned long long *seed);

/* Per-rank compute buffers for one batch. */
typedef struct mf_extract_bufs {
    mf_vgg_workspace ws;
    mf_patch *rows;                             /* [batch]: the caller fills them */
    float *patches;                             /* [batch, side, side] */
    float *data[MF_STORE_MAX_BLOCKS][3];        /* [block][MF_SUM_*]: [batch][width] */
} mf_extract_bufs;

/* Threads of a rank's forward pass: OpenBLAS's own count, i.e.
 * OPENBLAS_NUM_THREADS, else OMP_NUM_THREADS, else the CPUs the process may
 * use (so `mammofuse extract` without mpirun uses every core, and
 * OPENBLAS_NUM_THREADS=1 mpirun -n <cores> one thread per rank). Not part of
 * any identity: the features' bits do not depend on it. */
int mf_extract_threads(void);

/* The workspace runs on mf_extract_threads() threads. */
int mf_extract_bufs_init(mf_extract_bufs *b, const mf_vgg_arch *a, int side, int batch, int conv, mf_err *e);
void mf_extract_bufs_free(mf_extract_bufs *b);

/* The summaries of b->rows[0..n) (n <= batch) of the ROIs in rois into
 * b->data, with the config's seed, patches.side and patches.augment, through
 * the blocks of the workspace's arch. */
int mf_extract_compute(const mf_config *c, const mf_roiset *rois, const mf_vgg_weights *w, mf_extract_bufs *b, int n,
                       mf_err *e);

/* Rounds the summaries of n rows in b->data as a store of dtype keeps them
 * (MF_DTYPE_F16: mean and pool2x2 through IEEE half, as written and read
 * back; float32: unchanged), so features computed now equal the stored ones. */
void mf_extract_round_as_stored(mf_extract_bufs *b, int dtype, int n);

#endif
