/* rois_job.h: the rois job as a step other jobs (run) can call. */
#ifndef MF_JOBS_ROIS_JOB_H
#define MF_JOBS_ROIS_JOB_H
#include <mpi.h>

#include "core/config.h"

/* Collective: makes <out>/rois.h5 (and the preview) unless it is up to date
 * (core/identity.h); refuses one made otherwise; returns MF_EXIT_*. */
int mf_rois_make(const mf_config *c, const char *out, int preview, MPI_Comm comm);

#endif
