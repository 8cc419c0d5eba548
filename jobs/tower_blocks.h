/* tower_blocks.h: does the weights file hold the VGG blocks the config asks
 * for? Checked before any work starts, so that a config of the paper's rows
 * with blocks 4-5 is refused at once on a machine that has only blocks 1-3,
 * with the file to get, instead of after an hour of extraction. */
#ifndef MF_JOBS_TOWER_BLOCKS_H
#define MF_JOBS_TOWER_BLOCKS_H
#include "core/config.h"
#include "core/err.h"

/* 0 if the weights provide backbone.blocks (0 = all they have) and, with
 * with_branches, every block of model.branches; else -1 with one line naming
 * the weights file, the key, the missing blocks and the official file. */
int mf_tower_blocks_check(const mf_config *c, int with_branches, mf_err *e);

/* The same check for weights known to hold blocks 1-have. */
int mf_tower_blocks_refuse(const mf_config *c, int have, int with_branches, mf_err *e);

/* The blocks the weights provide (5 for formula weights); -1 on error. */
int mf_tower_blocks_have(const mf_config *c, mf_err *e);

#endif
