/* weights.h: VGG16/VGG19 conv-tower weights in Keras "notop" HDF5 files.
 *
 * Reading walks the root attribute `layer_names`; in each layer group the
 * attribute `weight_names` names the datasets (kernel first, bias second),
 * opened relative to the group. That reads both naming styles:
 *   Keras 2:           <layer>/<layer>/kernel:0, <layer>/<layer>/bias:0
 *   release files v0.1: <layer>/<layer>_W_1:0,    <layer>/<layer>_b_1:0
 * Layers without weights (input, pools) are skipped. The conv layers must be
 * block1_conv1, block1_conv2, block2_conv1, ... in order, forming VGG16 (13
 * convs), VGG19 (16) or a prefix of whole blocks 1..k of either; every kernel
 * must be [3,3,Cin,Cout] (HWIO) and every bias [Cout]. Any other file is
 * refused with one line naming the file, the layer and the expected shape.
 *
 * Writing produces the Keras 2 layout (root attributes layer_names with
 * input_1 and the pool layers, backend, keras_version; groups with
 * weight_names), optionally with the release files' old dataset names (for
 * tests of the reader), under a temporary name renamed when complete. The
 * bytes depend only on the weights (no time stamps). */
#ifndef MF_IO_WEIGHTS_H
#define MF_IO_WEIGHTS_H

#include "core/err.h"
#include "core/vgg.h"

typedef struct mf_weights_info {
    mf_vgg_arch arch;    /* the recognised tower: depth and n_blocks */
    int ambiguous;       /* 1: blocks 1-2 only, the same in VGG16 and VGG19 */
    char sha256[65];     /* of the whole file */
    long long bytes;     /* file size */
    char note[128];      /* root attribute `mammofuse_weights` if present ("formula", "random seed 7") */
} mf_weights_info;

/* Reads and checks a weights file. depth_hint (0, 16 or 19) decides the
 * arch name of a blocks 1-2 prefix (else 19, and info->ambiguous = 1).
 * w (may be NULL: check only) is allocated by the call; info may be NULL. */
int mf_weights_read(const char *path, int depth_hint, mf_vgg_weights *w, mf_weights_info *info, mf_err *e);

enum {
    MF_WEIGHTS_KERAS2 = 0,   /* <layer>/<layer>/kernel:0 */
    MF_WEIGHTS_OLD_NAMES = 1 /* <layer>/<layer>_W_1:0 */
};

/* Writes w (all its blocks) to path via path.tmp.<pid> + rename; on error
 * nothing is left at either name. note (may be NULL) is stored as the root
 * attribute `mammofuse_weights`. */
int mf_weights_write(const char *path, const mf_vgg_weights *w, int style, const char *note, mf_err *e);

#endif
