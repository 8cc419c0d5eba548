/* predict_inputs.h: the ROIs `mammofuse predict` classifies, from its INPUT
 * arguments, in argument order:
 *   an image file: a PNG (8-bit gray) or a PGM (P5/P2, io/pgm.h) ROI;
 *     rois.size x rois.size is taken as it is, any other size is resized to
 *     it with the ROI job's bicubic rule (core/imresize.h); truth unknown;
 *   a folder: MIAS format (mdbNNN.pgm + Info.txt), cut by the ROI job's own
 *     code path (jobs/rois_build.h: mf_rois_build with data.root = the
 *     folder, data.mias = ".", data.info = "Info.txt"; the config's rois.*
 *     keys and seed), one ROI per Info.txt row as `rois` makes them, image id
 *     and class from Info.txt.
 * A bad input is one line naming it and what was expected. */
#ifndef MF_JOBS_PREDICT_INPUTS_H
#define MF_JOBS_PREDICT_INPUTS_H
#include <mpi.h>

#include "core/config.h"
#include "core/roiset.h"

typedef struct mf_pred_set {
    mf_roiset s;        /* the ROIs (rank 0); meta.image_id, meta.cls for MIAS ROIs */
    int *truth;         /* [s.n]: 0 Normal, 1 Tumor, -1 unknown (an image file) */
    int *input;         /* [s.n]: the INPUT argument it comes from (0-based) */
} mf_pred_set;

/* Collective over comm (MIAS folders are cut by all ranks); the set on rank
 * 0, empty elsewhere. On failure the one error line has been printed (rank
 * 0) and -1 is returned on every rank. */
int mf_predict_inputs(const mf_config *c, char *const *inputs, int n, MPI_Comm comm, mf_pred_set *p);
void mf_pred_set_free(mf_pred_set *p);

#endif
