/* rois_inputs.h: the identity of an ROI set (core/identity.h): the config's
 * ROI keys plus the digest of what the ROIs are cut from, so that `rois` (and
 * `run`) can tell an up-to-date rois.h5 without cutting anything:
 *   mias:     SHA-256 over Info.txt's digest (of the very bytes parsed) and, in increasing image id,
 *             the digest of every mdbNNN.pgm a row names (within
 *             data.limit_images); the files are hashed by the ranks in turn;
 *   released: SHA-256 over every ROI read from the folders (split, label,
 *             number, pixels), on rank 0;
 *   synth:    a constant: the images are a function of the config alone. */
#ifndef MF_JOBS_ROIS_INPUTS_H
#define MF_JOBS_ROIS_INPUTS_H
#include <mpi.h>

#include "core/config.h"
#include "core/err.h"
#include "core/identity.h"

/* Collective; every rank gets the identity, or -1 on every rank after rank 0
 * printed the one error line (mpi/report.h). */
int mf_rois_identity(const mf_config *c, MPI_Comm comm, mf_identity *id, mf_err *e);

#endif
