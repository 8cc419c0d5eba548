/* predict_job.h: the predict job as a step other jobs can call. */
#ifndef MF_JOBS_PREDICT_JOB_H
#define MF_JOBS_PREDICT_JOB_H
#include <mpi.h>

#include "core/config.h"

/* Collective over comm: classifies the ROIs of inputs[0..ninputs) (image
 * files or MIAS folders, jobs/predict_inputs.h) with the model at `model`
 * and writes <out>/predictions.csv. Returns MF_EXIT_*. */
int mf_predict_make(const mf_config *c, const char *model, char *const *inputs, int ninputs, const char *out,
                    MPI_Comm comm);

#endif
