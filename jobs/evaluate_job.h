/* evaluate_job.h: the evaluate job as a step other jobs (run) call. */
#ifndef MF_JOBS_EVALUATE_JOB_H
#define MF_JOBS_EVALUATE_JOB_H
#include <mpi.h>

#include "core/config.h"
#include "jobs/stage_files.h"

/* Collective over comm: evaluates f->out/model.h5 (or the last state of
 * f->out/checkpoint.h5, evaluate.model) on the evaluate.splits patches of
 * f->store (ROI images from f->rois) and writes metrics.json, table.md,
 * predictions.csv, roc.csv, pr.csv, report.html into f->out. Returns MF_EXIT_*. */
int mf_evaluate_make(const mf_config *c, const mf_stage_files *f, MPI_Comm comm);

#endif
