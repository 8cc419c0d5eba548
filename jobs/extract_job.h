/* extract_job.h: the extract job as a step other jobs (run) can call. */
#ifndef MF_JOBS_EXTRACT_JOB_H
#define MF_JOBS_EXTRACT_JOB_H
#include <mpi.h>

#include "core/config.h"
#include "core/patch_plan.h"

/* Collective: makes or completes <out>/features.h5; returns MF_EXIT_*. */
int mf_extract_make(const mf_config *c, const char *out, MPI_Comm comm);

/* The plan parameters of a config. */
void mf_extract_plan_params(const mf_config *c, mf_plan_params *p);

#endif
