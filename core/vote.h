/* vote.h: the patch-to-ROI majority vote of the evaluation, and how the
 * evaluated patches are cut into chunks so that every patch is predicted in
 * the same chunk (hence with the same bits) on any number of ranks.
 *
 * A patch votes Tumor when P(Tumor) >= P(Normal) (ties to Tumor); a ROI is
 * Tumor when 2 votes >= patches (ties to Tumor). Per ROI the sums over its
 * patches are kept per chunk ("tallies", one per (chunk, ROI) pair, each a
 * left fold in row order) and folded in chunk order: the chunks do not
 * depend on the rank count, so neither do the sums. Pure: no MPI, no files. */
#ifndef MF_CORE_VOTE_H
#define MF_CORE_VOTE_H
#include <stdint.h>

/* 1 (Tumor) if p_tumor >= p_normal, else 0. */
static inline int mf_vote_patch(float p_normal, float p_tumor) { return p_tumor >= p_normal; }
/* 1 (Tumor) if 2 votes >= patches, else 0 (patches >= 1). */
static inline int mf_vote_roi(int64_t votes, int64_t patches) { return 2 * votes >= patches; }

/* The n items cut into chunks of `batch` (the last shorter), chunks dealt
 * to `size` ranks in contiguous ranges (rank q: chunks
 * [nch q / size, nch (q+1) / size)): rank's items [*first, *first + *count),
 * *first a multiple of batch. */
void mf_vote_share(int64_t n, int batch, int size, int rank, int64_t *first, int64_t *count);

/* The sums of one ROI over the patches of one chunk. */
typedef struct mf_tally {
    int32_t roi;
    int32_t votes, patches;
    int32_t pad;       /* 0: no hidden padding (records are sent as bytes) */
    double psum;       /* sum of P(Tumor), left fold in row order */
} mf_tally;

/* Appends to t the tallies of one chunk of n patches (roi[i], vote[i],
 * p_tumor[i] in row order), one per distinct ROI in order of first
 * appearance; returns how many were appended (<= n). */
int mf_tally_chunk(int n, const int32_t *roi, const int32_t *vote, const float *p_tumor, mf_tally *t);

/* Folds tallies (in the order given: chunk order) into per-ROI totals
 * votes[nroi], patches[nroi], psum[nroi] (zeroed first). Returns -1 if a
 * tally names a ROI outside 0..nroi-1. */
int mf_tally_fold(const mf_tally *t, int64_t nt, int nroi, int64_t *votes, int64_t *patches, double *psum);

#endif
