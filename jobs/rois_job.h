/* rois_job.h: the rois job as a step other jobs (run) can call. */
#ifndef MF_JOBS_ROIS_JOB_H
#define MF_JOBS_ROIS_JOB_H
#include <mpi.h>

#include "core/config.h"

/* The keys an ROI set depends on: rois.h5 records these only, so that a
 * change of a later stage's key leaves it (and its bytes) as it is. */
#define MF_ROIS_KEYS "seed,data.,rois.,split."

/* Collective: makes <out>/rois.h5 (and the preview); returns MF_EXIT_*. */
int mf_rois_make(const mf_config *c, const char *out, int preview, MPI_Comm comm);

#endif
