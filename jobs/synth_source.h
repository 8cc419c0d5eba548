/* synth_source.h: the embedded synthetic demo as an ROI source: Info.txt-like
 * rows and images made in memory from (seed, image id), so the demo needs
 * no data files. */
#ifndef MF_JOBS_SYNTH_SOURCE_H
#define MF_JOBS_SYNTH_SOURCE_H
#include "core/config.h"
#include "core/err.h"
#include "core/image.h"
#include "io/mias_info.h"

int mf_synth_source_rows(const mf_config *c, mf_info_row **rows, int *n, mf_err *e);
int mf_synth_source_image(const mf_config *c, int image_id, mf_img8 *img, mf_err *e);

#endif
