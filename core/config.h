/* config.h: the experiment, as one struct.
 * A YAML file (io/config.c) fills it; every key has a row in the schema
 * table of core/config_schema.c (type, range, default, meaning), which is
 * also what validates --set overrides and prints `mammofuse <job> --help`.
 * Jobs read only this struct, never the YAML. */
#ifndef MF_CONFIG_H
#define MF_CONFIG_H
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define MF_PATH_MAX 1024

enum { MF_SOURCE_MIAS = 0, MF_SOURCE_RELEASED = 1, MF_SOURCE_SYNTH = 2 };
enum { MF_SPLITMODE_PAPER = 0, MF_SPLITMODE_WOMAN = 1, MF_SPLITMODE_RELEASED = 2 };
enum { MF_ARCH_VGG16 = 0, MF_ARCH_VGG19 = 1 };
enum { MF_SPLITS_ALL = 0, MF_SPLITS_TRAINVAL = 1, MF_SPLITS_TEST = 2, MF_SPLITS_NONE = 3 };
enum { MF_DTYPE_F32 = 0, MF_DTYPE_F16 = 1 };
enum { MF_HEAD_FUSION1 = 0, MF_HEAD_FUSION2 = 1 };
enum { MF_EVAL_MODEL_BEST = 0, MF_EVAL_MODEL_LAST = 1 };
enum { MF_CLASSW_NONE = 0, MF_CLASSW_BALANCED = 1 };
enum { MF_DECIDE_VOTE = 0, MF_DECIDE_VAL_THRESHOLD = 1 };
enum { MF_EVAL_PATCHES_GRID = 0, MF_EVAL_PATCHES_ALL = 1 };
enum { MF_AUGMENT_FOR_TRAIN = 0, MF_AUGMENT_FOR_ALL = 1 };

/* A short list of integers (YAML sequence, or "1,2,3" / "[1,2,3]" in --set). */
#define MF_INTLIST_MAX 8
typedef struct mf_intlist {
    int n;
    int v[MF_INTLIST_MAX];
} mf_intlist;

typedef struct mf_config {
    int64_t seed;
    struct {
        char root[MF_PATH_MAX];     /* "" = $MAMMOFUSE_DATA, else ../shared/data */
        int source;                 /* MF_SOURCE_* */
        char mias[MF_PATH_MAX];     /* folder of mdbNNN.pgm, relative to root */
        char info[MF_PATH_MAX];     /* Info.txt, relative to root */
        char released[MF_PATH_MAX]; /* released ROI folders, relative to root */
        int synth_images;           /* images of the synthetic demo */
        int limit_images;           /* 0 = all; else only images 1..limit */
    } data;
    struct {
        int size, crop;
        int median, clahe;
        int black_threshold, min_component;
    } rois;
    struct {
        int mode;                   /* MF_SPLITMODE_* */
        double train, val;          /* fractions; test is the rest */
    } split;
    struct {
        int arch;                   /* MF_ARCH_* */
        char weights[MF_PATH_MAX];  /* "formula", or a Keras notop .h5 (relative to data.root) */
        int blocks;                 /* 0 = every block the weights provide */
    } backbone;
    struct {
        int side;
        int tumor_draws, normal_draws;
        int draws_for, grid_for;    /* MF_SPLITS_* */
        int grid_n, grid_stride;
        int augment;                /* Keras augmentation of training draws */
        int augment_for;            /* MF_AUGMENT_FOR_*: the draws of split 0, or of every ROI (cv) */
    } patches;
    struct {
        int batch;                  /* patches per forward pass = rows per store chunk */
        int dtype;                  /* MF_DTYPE_* */
        int conv;                   /* MF_VGG_WINOGRAD or MF_VGG_IM2COL (core/vgg.h) */
    } extract;
    struct {
        int head;                   /* MF_HEAD_* */
        mf_intlist branches;        /* VGG blocks fused, distinct, increasing, in 1..5 */
    } model;
    struct {
        int64_t seed;               /* initialisation and shuffles (the data's randomness is `seed`) */
        double lr, momentum;
        int batch, epochs;
        int shard;                  /* samples per shard: the unit of deterministic reduction */
        int val_batch;              /* validation samples per forward pass */
        int class_weight;           /* MF_CLASSW_*: weights of the training loss per class */
        int cache_mb;               /* node-shared memory for the summaries read (0: off); layout only */
    } train;
    struct {
        int model;                  /* MF_EVAL_MODEL_* */
        mf_intlist splits;          /* splits evaluated: 0 train, 1 val, 2 test */
        int batch;                  /* patches per forward pass (range starts are multiples of it) */
        int bootstrap;              /* resamples of the confidence intervals */
        double confidence;          /* of the intervals */
        int64_t seed;               /* of the bootstrap */
        int decision;               /* MF_DECIDE_*: how a ROI becomes Tumor */
        int patches;                /* MF_EVAL_PATCHES_*: which of a ROI's patches vote */
    } evaluate;
    struct {
        int folds;                  /* k of k-fold cross-validation (core/cv_folds.h) */
        int group_ranks;            /* ranks per group: folds run side by side on groups */
    } cv;
} mf_config;

/* Types of schema rows. */
enum { MF_KEY_INT, MF_KEY_DOUBLE, MF_KEY_BOOL, MF_KEY_STRING, MF_KEY_ENUM, MF_KEY_INTLIST };

typedef struct mf_config_key {
    const char *path;        /* dotted key path, e.g. "split.mode" */
    int type;                /* MF_KEY_* */
    size_t offset;           /* into mf_config */
    size_t size;             /* for strings: buffer size */
    double min, max;         /* inclusive range for numbers */
    const char *const *names;/* for enums: NULL-terminated value names */
    const char *deflt;       /* default, as YAML text */
    const char *doc;         /* one line */
    int stages;              /* MF_STAGE_* bits (core/identity.h): the outputs this key decides */
    int flags;               /* MF_KEY_EXTENDS */
} mf_config_key;

/* The key may grow without invalidating the output (train.epochs: a longer
 * training continues from the checkpoint). */
#define MF_KEY_EXTENDS 1
/* The key lays the work out over ranks and decides no result (cv.group_ranks:
 * results are the same on any grouping): left out of mf_config_dump, so the
 * provenance, and the outputs' bytes, do not depend on it. */
#define MF_KEY_LAYOUT 2
/* The key enters the identities only when it is not at its default, so the
 * outputs made before the key existed keep their identity (a key added to
 * a stage without this flag would make every earlier output stale). */
#define MF_KEY_OMIT_DEFAULT 4

extern const mf_config_key mf_config_keys[];
extern const int mf_config_nkeys;

/* Finds a key by path, or NULL. */
const mf_config_key *mf_config_find(const char *path);

/* The name of value v of the enum key path ("model.head", 1 -> "fusion2"), or
 * "?" (the one table of value names is the schema's). */
const char *mf_config_value_name(const char *path, int v);
/* The value of name for the enum key path, or -1. */
int mf_config_value_of(const char *path, const char *name);

/* Sets a key from text (as written in YAML or --set); on error writes
 * "<what was expected>, found '<text>'" into why (no file/line: the caller
 * knows them) and returns -1. */
int mf_config_set(mf_config *c, const mf_config_key *k, const char *text, char *why, size_t whylen);

/* Sets an int-list key from its items (YAML sequence); same contract. */
int mf_config_set_list(mf_config *c, const mf_config_key *k, const char *const *items, int n, char *why,
                       size_t whylen);

/* Fills every key with its default. */
void mf_config_defaults(mf_config *c);

/* Canonical text of the whole config ("path: value\n" in schema order, the
 * MF_KEY_LAYOUT keys and MF_KEY_OMIT_DEFAULT keys at their default left
 * out): the
 * provenance every output records (never compared: core/identity.h decides
 * staleness). Returns a malloc'ed string. */
char *mf_config_dump(const mf_config *c);
/* The same without the keys that decide only outputs of stages after
 * `stage` (an MF_STAGE_* of core/identity.h): a model records no evaluate.*
 * key, so trainings that differ only in them write the same bytes. */
char *mf_config_dump_upto(const mf_config *c, int stage);

/* The rules between keys (each key alone is checked as it is set):
 * "<where>: key 'a.b': ..." naming the first broken one. mf_config_load
 * calls it; so does a sweep for each configuration it makes. */
int mf_config_check(const mf_config *c, const char *where, mf_err *e);

#endif
