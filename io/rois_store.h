/* rois_store.h: rois.h5, the ROI job's output and the feature job's input.
 *   images      uint8 [N,S,S]
 *   label       uint8 [N]     0 Normal, 1 Tumor
 *   class       uint8 [N]     0 normal, 1 benign, 2 malignant, 3 tumor (released ROIs)
 *   severity    char  [N]     'N', 'B', 'M'
 *   abnormality char  [N,4]   MIAS class code (CIRC, ..., NORM)
 *   image_id, woman_id, radius, info_line  int32 [N]
 *   centre      int32 [N,2]   (x, y) in MIAS coordinates, y from the bottom
 *   crop, box   int32 [N,4]   (r0, c0, h, w): the crop in the image, the box kept in the crop
 *   split       uint8 [N]     0 train, 1 val, 2 test
 * Root attributes: schema_version, config (the whole configuration that
 * made it: provenance, never compared); group identity (io/identity_h5.h:
 * the ROI keys and the digest of the inputs; what staleness is decided by).
 * Written under a temporary name and renamed when complete. */
#ifndef MF_IO_ROIS_STORE_H
#define MF_IO_ROIS_STORE_H
#include "core/err.h"
#include "core/identity.h"
#include "core/roiset.h"

#define MF_ROIS_SCHEMA 1

typedef struct mf_rois_attrs {
    const char *config;        /* canonical config text (mf_config_dump) */
    const mf_identity *identity;
} mf_rois_attrs;

int mf_rois_write(const char *path, const mf_roiset *s, const mf_rois_attrs *a, mf_err *e);

/* Reads rois.h5; *config (malloc'ed, may be NULL) receives the config text. */
int mf_rois_read(const char *path, mf_roiset *s, char **config, mf_err *e);

#endif
