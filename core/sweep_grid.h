/* sweep_grid.h: a sweep's grid of training configurations over one store.
 *
 * A grid is a list of axes, each a schema key that a training or an
 * evaluation reads (model.*, train.*, evaluate.*: never a key that decides
 * the store, which every configuration shares) with the values it takes, as
 * the text --set would take. Configuration k of the grid is the base config
 * with one value of every axis: the axes in schema order, the last one
 * varying fastest. Its name (the folder RUN_DIR/sweep/<name>) is made of
 * every axis's value, so it does not depend on k, on the order of the YAML
 * keys, or on which other values the grid holds (a grid that grows keeps
 * the folders of the configurations it had). `model.branches` may be `all`:
 * every non-empty subset of the blocks the store holds, resolved when the
 * store is known. Pure: io/sweep_config.c reads the grid from YAML. */
#ifndef MF_CORE_SWEEP_GRID_H
#define MF_CORE_SWEEP_GRID_H
#include <stddef.h>

#include "core/config.h"
#include "core/err.h"

#define MF_SWEEP_MAX_AXES 16
#define MF_SWEEP_MAX_VALUES 64
#define MF_SWEEP_VALUE 40
#define MF_SWEEP_MAX_CONFIGS 100000
#define MF_SWEEP_NAME 256

typedef struct mf_sweep_axis {
    const mf_config_key *key;
    char written[64];                             /* the key as the file wrote it ("lr"), for messages */
    int line;                                     /* in the config file, for messages */
    int all;                                      /* model.branches: all (values resolved later) */
    int n;
    char value[MF_SWEEP_MAX_VALUES][MF_SWEEP_VALUE]; /* as --set text, e.g. "[1, 2]", "fusion2", "0.001" */
} mf_sweep_axis;

typedef struct mf_sweep_grid {
    char file[MF_PATH_MAX];  /* the config file, for messages */
    int line;                /* of the sweep: section */
    int naxes;
    mf_sweep_axis axis[MF_SWEEP_MAX_AXES]; /* in schema order */
    int group_ranks;         /* ranks per group (sweep.group_ranks, default 1) */
    int cv;                  /* sweep.cv: each configuration is a k-fold CV (not an axis) */
} mf_sweep_grid;

/* Adds an axis for key (a train-, evaluate- or model key), written so in
 * the file, with n values, each checked by setting it on a scratch config;
 * duplicates are refused. Messages: "<file>: line L: key 'sweep.<written>':
 * <what was expected>". */
int mf_sweep_add_axis(mf_sweep_grid *g, const mf_config_key *key, const char *written, int line,
                      const char *const *values, int n, mf_err *e);

/* model.branches: all. */
int mf_sweep_add_all_branches(mf_sweep_grid *g, const char *written, int line, mf_err *e);

/* Resolves `all` to the non-empty subsets of blocks 1..blocks (by size,
 * then in order) and checks that every branch list names blocks <= blocks
 * (the store's), else "<file>: line L: key 'sweep.branches': [1, 4] names
 * block 4; the store holds blocks 1-3". Also checks the grid is not empty
 * and not larger than MF_SWEEP_MAX_CONFIGS. */
int mf_sweep_resolve(mf_sweep_grid *g, int blocks, mf_err *e);

/* The highest block any configuration fuses (5 for `all`). */
int mf_sweep_max_block(const mf_sweep_grid *g);

/* Number of configurations (after mf_sweep_resolve). */
long mf_sweep_count(const mf_sweep_grid *g);

/* Configuration k: base with the axes' values set; its name into name. */
int mf_sweep_config(const mf_sweep_grid *g, const mf_config *base, long k, mf_config *out, char *name,
                    size_t len, mf_err *e);

/* A relative cost of training c (for the costliest-first order of the
 * scheduler): the head's input width times the epochs. */
double mf_sweep_cost(const mf_config *c);

#endif
