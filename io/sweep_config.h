/* sweep_config.h (io): the `sweep:` section of a config file -> the grid
 * (core/sweep_grid.h). The rest of the file is the base configuration
 * (io/config.h skips this section). Keys of the section:
 *   branches: all | [[3], [2, 3], ...]   model.branches
 *   heads: [fusion1, fusion2]            model.head
 *   lr: [0.0001, 0.001]                  train.lr
 *   seeds: [1, 2, 3]                     train.seed
 *   group_ranks: 1                       ranks per group (not an axis)
 *   any model.*, train.* or evaluate.* key, dotted (train.momentum: [..])
 *   or nested (train: {momentum: [..]}), as a list or a single value. */
#ifndef MF_IO_SWEEP_CONFIG_H
#define MF_IO_SWEEP_CONFIG_H
#include "core/err.h"
#include "core/sweep_grid.h"

/* Reads the section of path into g; every bad entry is one line naming the
 * file, the line and the key. A file without the section is an error. */
int mf_sweep_grid_load(mf_sweep_grid *g, const char *path, mf_err *e);

#endif
