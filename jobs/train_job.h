/* train_job.h: the train job as a step other jobs (run, sweep, cv) call. */
#ifndef MF_JOBS_TRAIN_JOB_H
#define MF_JOBS_TRAIN_JOB_H
#include <mpi.h>

#include "core/config.h"
#include "jobs/stage_files.h"
#include "core/identity.h"

/* Collective over comm: trains the head of c on f->store into
 * f->out/model.h5 and history.csv, resuming f->out/checkpoint.h5 if
 * there is one; "up to date" when model.h5 was made by the same training.
 * Returns MF_EXIT_* (MF_EXIT_INTERRUPTED after SIGTERM/SIGUSR1). */
int mf_train_make(const mf_config *c, const mf_stage_files *f, MPI_Comm comm);

/* The training's identity: the train keys (train.epochs among them, which
 * may grow on a rerun) and input_store, the digest of the store's identity;
 * for a CV fold (roles not NULL) also the facts cv_folds, cv_fold and
 * cv_roles (the digest of the role map), so one fold's model is never
 * taken for another's. 0, or -1 if it does not fit (a programming error). */
int mf_train_identity(const mf_config *c, const mf_identity *store, const mf_roles *roles, mf_identity *id);

/* The fold's facts (nothing for roles NULL): cv_folds, cv_fold, cv_roles. */
int mf_identity_add_roles(mf_identity *id, const mf_roles *roles);

#endif
