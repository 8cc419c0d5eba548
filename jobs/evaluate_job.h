/* evaluate_job.h: the evaluate job as a step other jobs (run) call. */
#ifndef MF_JOBS_EVALUATE_JOB_H
#define MF_JOBS_EVALUATE_JOB_H
#include <mpi.h>

#include "core/config.h"

/* Collective over comm: evaluates <out>/model.h5 (or the last state of
 * <out>/checkpoint.h5, evaluate.model) on the evaluate.splits patches of
 * <out>/features.h5 and writes metrics.json, table.md, predictions.csv,
 * roc.csv, pr.csv, report.html into out. Returns MF_EXIT_*. */
int mf_evaluate_make(const mf_config *c, const char *out, MPI_Comm comm);

#endif
