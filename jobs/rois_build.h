/* rois_build.h: the ROI set of a config, made in parallel.
 * Sources: MIAS (Info.txt rows -> one ROI per NORM row and per abnormal row
 * with coordinates; images dealt round-robin to ranks, each image read,
 * median-filtered and CLAHE'd once), the synthetic demo (the same path with
 * generated images), or the released ROI folders (read on rank 0). */
#ifndef MF_JOBS_ROIS_BUILD_H
#define MF_JOBS_ROIS_BUILD_H
#include <mpi.h>

#include "core/config.h"
#include "core/roiset.h"

typedef struct mf_rois_summary {
    int images;           /* images read */
    int skipped_rows;     /* abnormal rows without coordinates */
} mf_rois_summary;

/* Collective. On success rank 0 holds the set (splits not yet assigned,
 * except for the released source); other ranks get an empty set. On failure
 * rank 0 has printed the one error line; returns -1 on every rank. */
int mf_rois_build(const mf_config *c, MPI_Comm comm, mf_roiset *set, mf_rois_summary *sum);

#endif
