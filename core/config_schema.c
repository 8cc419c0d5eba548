/* config_schema.c: every configuration key, its type, range, default and
 * meaning, in one table; setting a key from text and the canonical dump. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/identity.h"

static const char *const source_names[] = {"mias", "released", "synth", NULL};
static const char *const splitmode_names[] = {"paper", "woman", "released", NULL};
static const char *const arch_names[] = {"vgg16", "vgg19", NULL};
static const char *const splits_names[] = {"all", "trainval", "test", "none", NULL};
static const char *const dtype_names[] = {"float32", "float16", NULL};
static const char *const head_names[] = {"fusion1", "fusion2", NULL};
static const char *const conv_names[] = {"winograd", "im2col", NULL};
static const char *const evalmodel_names[] = {"best", "last", NULL};
static const char *const augfor_names[] = {"train", "all", NULL};
static const char *const classw_names[] = {"none", "balanced", NULL};
static const char *const decision_names[] = {"vote", "val_threshold", NULL};
static const char *const evalpatches_names[] = {"grid", "all", NULL};

#define OFF(f) offsetof(mf_config, f)
#define STR(f) MF_KEY_STRING, OFF(f), sizeof(((mf_config *)0)->f)
#define NUM(t, f) t, OFF(f), sizeof(((mf_config *)0)->f)
/* The stages whose outputs a key decides (core/identity.h): R rois.h5,
 * E features.h5, T model.h5; 0 = none (paths: the contents' digests are in
 * the identities instead). */
#define R MF_STAGE_ROIS
#define E MF_STAGE_EXTRACT
#define T MF_STAGE_TRAIN
#define V MF_STAGE_EVALUATE

const mf_config_key mf_config_keys[] = {
    {"seed", NUM(MF_KEY_INT, seed), 0, 2147483647.0, NULL, "1",
     "seed of the data's random choices (Normal ROI positions, split, patch plan, augmentation)", R | E, 0},
    {"data.root", STR(data.root), 0, 0, NULL, "\"\"",
     "data folder; empty = $MAMMOFUSE_DATA, else ../shared/data", 0, 0},
    {"data.source", NUM(MF_KEY_ENUM, data.source), 0, 0, source_names, "mias",
     "mias: mammograms + Info.txt; released: the authors' ROI folders; synth: the embedded demo", R, 0},
    {"data.mias", STR(data.mias), 0, 0, NULL, "mias", "folder of mdbNNN.pgm, relative to data.root", 0, 0},
    {"data.info", STR(data.info), 0, 0, NULL, "mias/Info.txt", "MIAS annotations, relative to data.root", 0, 0},
    {"data.released", STR(data.released), 0, 0, NULL, "mias-rois",
     "released ROI folders (train/ val/ test/), relative to data.root", 0, 0},
    {"data.synth_images", NUM(MF_KEY_INT, data.synth_images), 2, 1000, NULL, "24",
     "number of synthetic mammograms (data.source: synth)", R, 0},
    {"data.limit_images", NUM(MF_KEY_INT, data.limit_images), 0, 1000, NULL, "0",
     "0 = every image; N = only images 1..N (quick runs)", R, 0},
    {"rois.size", NUM(MF_KEY_INT, rois.size), 8, 1024, NULL, "120", "side of the output ROIs (bicubic resize)", R, 0},
    {"rois.crop", NUM(MF_KEY_INT, rois.crop), 8, 1024, NULL, "120", "side of the crop around the lesion centre", R, 0},
    {"rois.median", NUM(MF_KEY_BOOL, rois.median), 0, 1, NULL, "true", "3x3 median filter (medfilt2) first", R, 0},
    {"rois.clahe", NUM(MF_KEY_BOOL, rois.clahe), 0, 1, NULL, "true", "CLAHE (adapthisteq defaults) second", R, 0},
    {"rois.black_threshold", NUM(MF_KEY_INT, rois.black_threshold), 0, 254, NULL, "20",
     "black-part removal: foreground is gray > this", R, 0},
    {"rois.min_component", NUM(MF_KEY_INT, rois.min_component), 0, 1048576, NULL, "1500",
     "black-part removal: bwareaopen size (pixels, 8-connected)", R, 0},
    {"split.mode", NUM(MF_KEY_ENUM, split.mode), 0, 0, splitmode_names, "paper",
     "paper: per class 60/20/20 of ROIs; woman: grouped by woman; released: the ROI folders' split", R, 0},
    {"split.train", NUM(MF_KEY_DOUBLE, split.train), 0.01, 0.98, NULL, "0.6", "fraction for training (ceil rule)", R, 0},
    {"split.val", NUM(MF_KEY_DOUBLE, split.val), 0.01, 0.98, NULL, "0.2", "fraction for validation (ceil rule)", R, 0},
    {"backbone.arch", NUM(MF_KEY_ENUM, backbone.arch), 0, 0, arch_names, "vgg19", "the frozen tower: vgg16 or vgg19", E, 0},
    {"backbone.weights", STR(backbone.weights), 0, 0, NULL, "weights/vgg19_imagenet_blocks1-3.h5",
     "Keras notop weights .h5 (relative to data.root), formula (the golden formula weights), or random[:SEED] (He-uniform, no file)", 0, 0},
    {"backbone.blocks", NUM(MF_KEY_INT, backbone.blocks), 0, 5, NULL, "0",
     "blocks of the tower to run; 0 = every block the weights provide", 0, 0},
    {"patches.side", NUM(MF_KEY_INT, patches.side), 8, 1024, NULL, "72", "patch side", E, 0},
    {"patches.tumor_draws", NUM(MF_KEY_INT, patches.tumor_draws), 0, 100000, NULL, "2000",
     "random patches per Tumor ROI (paper 2000; released code 1001)", E, 0},
    {"patches.normal_draws", NUM(MF_KEY_INT, patches.normal_draws), 0, 100000, NULL, "500",
     "random patches per Normal ROI (paper 500; released code 251)", E, 0},
    {"patches.draws_for", NUM(MF_KEY_ENUM, patches.draws_for), 0, 0, splits_names, "all",
     "ROIs that get random patches (the paper drew them for all three splits)", E, 0},
    {"patches.grid_for", NUM(MF_KEY_ENUM, patches.grid_for), 0, 0, splits_names, "test",
     "ROIs that get the fixed grid (test; all for cross-validation)", E, 0},
    {"patches.grid_n", NUM(MF_KEY_INT, patches.grid_n), 1, 64, NULL, "5", "the grid is grid_n x grid_n patches", E, 0},
    {"patches.grid_stride", NUM(MF_KEY_INT, patches.grid_stride), 1, 1024, NULL, "12", "grid stride in pixels", E, 0},
    {"patches.augment", NUM(MF_KEY_BOOL, patches.augment), 0, 1, NULL, "true",
     "rotate/zoom/flip the training split's random patches as the authors' Keras generator (drawn once per patch)", E, 0},
    {"patches.augment_for", NUM(MF_KEY_ENUM, patches.augment_for), 0, 0, augfor_names, "train",
     "whose random draws patches.augment changes: train (split 0, the paper) or all (cross-validation: every ROI "
     "is trained on in some fold)", E, MF_KEY_OMIT_DEFAULT},
    {"extract.batch", NUM(MF_KEY_INT, extract.batch), 1, 4096, NULL, "64",
     "patches per forward pass, and rows per store chunk (memory per rank grows with it)", E, 0},
    {"extract.dtype", NUM(MF_KEY_ENUM, extract.dtype), 0, 0, dtype_names, "float32",
     "feature store precision (float16 halves the store; meansq stays float32)", E, 0},
    {"extract.conv", NUM(MF_KEY_ENUM, extract.conv), 0, 0, conv_names, "winograd",
     "3x3 convolutions after the first: winograd F(2x2,3x3) (2.25x fewer flops) or im2col + GEMM", E, 0},
    {"model.head", NUM(MF_KEY_ENUM, model.head), 0, 0, head_names, "fusion1",
     "fusion1: BN + dense head on the block means; fusion2: per-branch BN, avgpool, 1x1 conv, GAP first", T, 0},
    {"model.branches", NUM(MF_KEY_INTLIST, model.branches), 1, 5, NULL, "[1, 2, 3, 4, 5]",
     "VGG blocks fused (distinct, increasing, 1..5)", T, 0},
    {"train.seed", NUM(MF_KEY_INT, train.seed), 0, 2147483647.0, NULL, "1",
     "seed of the training's randomness (initialisation, shuffles): a sweep over it reuses one store", T, 0},
    {"train.lr", NUM(MF_KEY_DOUBLE, train.lr), 1e-9, 10, NULL, "0.0001", "SGD learning rate", T, 0},
    {"train.momentum", NUM(MF_KEY_DOUBLE, train.momentum), 0, 0.999, NULL, "0.9", "SGD momentum (Keras rule)", T, 0},
    {"train.batch", NUM(MF_KEY_INT, train.batch), 1, 65536, NULL, "32", "global batch (all ranks together)", T, 0},
    {"train.epochs", NUM(MF_KEY_INT, train.epochs), 1, 1000, NULL, "5", "epochs", T, MF_KEY_EXTENDS},
    {"train.shard", NUM(MF_KEY_INT, train.shard), 1, 65536, NULL, "8",
     "samples per shard: ranks share a batch shard by shard; results do not depend on the rank count", T, 0},
    {"train.val_batch", NUM(MF_KEY_INT, train.val_batch), 1, 65536, NULL, "256",
     "validation samples per forward pass (ranks take whole chunks of it; memory per rank grows with it)", T, 0},
    {"train.class_weight", NUM(MF_KEY_ENUM, train.class_weight), 0, 0, classw_names, "none",
     "none (the paper): every training patch weighs 1; balanced: the loss of a class-c patch weighs "
     "n_train / (2 n_train_c), so both classes weigh the same (validation loss unweighted)", T, MF_KEY_OMIT_DEFAULT},
    {"train.cache_mb", NUM(MF_KEY_INT, train.cache_mb), 0, 1048576, NULL, "1024",
     "MB per node for the summaries the trainings read, held once in shared memory (0: read the file every batch; "
     "results do not depend on it)", 0, MF_KEY_LAYOUT},
    {"evaluate.model", NUM(MF_KEY_ENUM, evaluate.model), 0, 0, evalmodel_names, "best",
     "best: model.h5 (lowest validation loss); last: the latest state in checkpoint.h5", V, 0},
    {"evaluate.splits", NUM(MF_KEY_INTLIST, evaluate.splits), 0, 2, NULL, "[2]",
     "splits evaluated (0 train, 1 val, 2 test; distinct, increasing)", V, 0},
    {"evaluate.batch", NUM(MF_KEY_INT, evaluate.batch), 1, 65536, NULL, "256",
     "patches per forward pass (ranks take whole chunks of it; memory per rank grows with it)", V, 0},
    {"evaluate.bootstrap", NUM(MF_KEY_INT, evaluate.bootstrap), 100, 1000000, NULL, "2000",
     "bootstrap resamples of the ROI-level confidence intervals (stratified by label)", V, 0},
    {"evaluate.confidence", NUM(MF_KEY_DOUBLE, evaluate.confidence), 0.5, 0.999, NULL, "0.95",
     "confidence of the percentile intervals", V, 0},
    {"evaluate.seed", NUM(MF_KEY_INT, evaluate.seed), 0, 2147483647.0, NULL, "1", "seed of the bootstrap resamples", V, 0},
    {"evaluate.patches", NUM(MF_KEY_ENUM, evaluate.patches), 0, 0, evalpatches_names, "grid",
     "the patches of an evaluated ROI that vote: grid (the paper: its 5x5 grid; its random draws only when the plan "
     "gives it no grid) or all (grid and draws)", V, 0},
    {"evaluate.decision", NUM(MF_KEY_ENUM, evaluate.decision), 0, 0, decision_names, "vote",
     "vote (the paper): a ROI is Tumor when 2 patch votes >= patches; val_threshold: when its mean P(Tumor) >= t, "
     "t chosen on the validation split's ROIs (highest accuracy; never on the evaluated ROIs)", V, MF_KEY_OMIT_DEFAULT},
    /* cv.*: a fold's identity records the fold as facts (cv_folds, cv_fold, cv_roles), so no stage bit */
    {"cv.folds", NUM(MF_KEY_INT, cv.folds), 3, 1000, NULL, "10",
     "folds of women (stratified by worst class); at most the women of the rarest class", 0, 0},
    {"cv.group_ranks", NUM(MF_KEY_INT, cv.group_ranks), 1, 65536, NULL, "1",
     "ranks per group: the folds run side by side, one per group (results do not depend on it)", 0, MF_KEY_LAYOUT},
};
#undef R
#undef E
#undef T
#undef V
const int mf_config_nkeys = (int)(sizeof mf_config_keys / sizeof mf_config_keys[0]);

const mf_config_key *mf_config_find(const char *path) {
    for (int i = 0; i < mf_config_nkeys; i++)
        if (!strcmp(mf_config_keys[i].path, path)) return &mf_config_keys[i];
    return NULL;
}

const char *mf_config_value_name(const char *path, int v) {
    const mf_config_key *k = mf_config_find(path);
    if (!k || k->type != MF_KEY_ENUM || v < 0) return "?";
    for (int i = 0; k->names[i]; i++)
        if (i == v) return k->names[i];
    return "?";
}

int mf_config_value_of(const char *path, const char *name) {
    const mf_config_key *k = mf_config_find(path);
    if (!k || k->type != MF_KEY_ENUM) return -1;
    for (int i = 0; k->names[i]; i++)
        if (!strcmp(k->names[i], name)) return i;
    return -1;
}

static int set_list_text(mf_config *c, const mf_config_key *k, const char *text, char *why, size_t whylen);

static void enum_list(const mf_config_key *k, char *buf, size_t len) {
    buf[0] = 0;
    for (int i = 0; k->names[i]; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", i ? "|" : "", k->names[i]);
    }
}

/* Strips one pair of matching quotes, as a YAML scalar written by hand may carry. */
static void unquote(const char *in, char *out, size_t len) {
    size_t n = strlen(in);
    if (n >= 2 && (in[0] == '"' || in[0] == '\'') && in[n - 1] == in[0]) {
        in++;
        n -= 2;
    }
    if (n >= len) n = len - 1;
    memcpy(out, in, n);
    out[n] = 0;
}

int mf_config_set(mf_config *c, const mf_config_key *k, const char *text, char *why, size_t whylen) {
    char *p = (char *)c + k->offset;
    char buf[MF_PATH_MAX];
    unquote(text, buf, sizeof buf);
    switch (k->type) {
    case MF_KEY_INT: {
        char *end;
        errno = 0;
        long long v = strtoll(buf, &end, 10);
        if (!buf[0] || *end || errno || v < k->min || v > k->max) {
            snprintf(why, whylen, "expected an integer in %.0f..%.0f, found '%s'", k->min, k->max, buf);
            return -1;
        }
        if (k->size == sizeof(int64_t)) *(int64_t *)p = v;
        else *(int *)p = (int)v;
        return 0;
    }
    case MF_KEY_DOUBLE: {
        char *end;
        errno = 0;
        double v = strtod(buf, &end);
        if (!buf[0] || *end || errno || !isfinite(v) || v < k->min || v > k->max) {
            snprintf(why, whylen, "expected a number in %g..%g, found '%s'", k->min, k->max, buf);
            return -1;
        }
        *(double *)p = v;
        return 0;
    }
    case MF_KEY_BOOL:
        if (!strcmp(buf, "true")) *(int *)p = 1;
        else if (!strcmp(buf, "false")) *(int *)p = 0;
        else {
            snprintf(why, whylen, "expected true or false, found '%s'", buf);
            return -1;
        }
        return 0;
    case MF_KEY_STRING:
        if (strlen(buf) >= k->size) {
            snprintf(why, whylen, "expected a string shorter than %zu bytes", k->size);
            return -1;
        }
        strcpy(p, buf);
        return 0;
    case MF_KEY_INTLIST:
        return set_list_text(c, k, buf, why, whylen);
    case MF_KEY_ENUM:
        for (int i = 0; k->names[i]; i++)
            if (!strcmp(buf, k->names[i])) {
                *(int *)p = i;
                return 0;
            }
        char list[256];
        enum_list(k, list, sizeof list);
        snprintf(why, whylen, "expected one of %s, found '%s'", list, buf);
        return -1;
    }
    snprintf(why, whylen, "internal: unknown key type");
    return -1;
}

int mf_config_set_list(mf_config *c, const mf_config_key *k, const char *const *items, int n, char *why,
                       size_t whylen) {
    mf_intlist l = {0, {0}};
    if (n < 1 || n > MF_INTLIST_MAX) {
        snprintf(why, whylen, "expected a list of 1..%d integers, found %d items", MF_INTLIST_MAX, n);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        char *end;
        long v = strtol(items[i], &end, 10);
        if (!items[i][0] || *end || v < k->min || v > k->max || (i && v <= l.v[i - 1])) {
            snprintf(why, whylen, "expected distinct increasing integers in %.0f..%.0f, found '%s' at item %d",
                     k->min, k->max, items[i], i + 1);
            return -1;
        }
        l.v[l.n++] = (int)v;
    }
    *(mf_intlist *)((char *)c + k->offset) = l;
    return 0;
}

/* "[1, 2, 3]" or "1,2,3" -> items */
static int set_list_text(mf_config *c, const mf_config_key *k, const char *text, char *why, size_t whylen) {
    char buf[MF_PATH_MAX], *items[MF_INTLIST_MAX + 1];
    snprintf(buf, sizeof buf, "%s", text);
    char *p = buf;
    while (*p == ' ' || *p == '[') p++;
    char *end = p + strlen(p);
    while (end > p && (end[-1] == ' ' || end[-1] == ']')) *--end = 0;
    int n = 0;
    for (char *tok = strtok(p, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ') tok++;
        char *t = tok + strlen(tok);
        while (t > tok && t[-1] == ' ') *--t = 0;
        if (n == MF_INTLIST_MAX + 1) break;
        items[n++] = tok;
    }
    return mf_config_set_list(c, k, (const char *const *)items, n, why, whylen);
}

void mf_config_defaults(mf_config *c) {
    memset(c, 0, sizeof *c);
    char why[256];
    for (int i = 0; i < mf_config_nkeys; i++)
        if (mf_config_set(c, &mf_config_keys[i], mf_config_keys[i].deflt, why, sizeof why)) abort();
}

char *mf_config_dump(const mf_config *c) { return mf_config_dump_upto(c, MF_STAGE_EVALUATE); }

char *mf_config_dump_upto(const mf_config *c, int stage) {
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    if (!out) return NULL;
    out[0] = 0;
    mf_config d;
    mf_config_defaults(&d);
    for (int i = 0; i < mf_config_nkeys; i++) {
        const mf_config_key *k = &mf_config_keys[i];
        if (k->flags & MF_KEY_LAYOUT) continue;
        if (k->stages && !(k->stages & (2 * stage - 1))) continue; /* decides only later outputs */
        const char *p = (const char *)c + k->offset;
        /* a key added later, at its default: the text an older version wrote */
        if ((k->flags & MF_KEY_OMIT_DEFAULT) && !memcmp(p, (const char *)&d + k->offset, k->size)) continue;
        char val[MF_PATH_MAX + 8];
        switch (k->type) {
        case MF_KEY_INT:
            snprintf(val, sizeof val, "%lld", k->size == sizeof(int64_t) ? (long long)*(const int64_t *)p
                                                                          : (long long)*(const int *)p);
            break;
        case MF_KEY_DOUBLE: snprintf(val, sizeof val, "%.17g", *(const double *)p); break;
        case MF_KEY_BOOL: snprintf(val, sizeof val, "%s", *(const int *)p ? "true" : "false"); break;
        case MF_KEY_STRING: snprintf(val, sizeof val, "\"%s\"", p); break;
        case MF_KEY_INTLIST: {
            const mf_intlist *l = (const mf_intlist *)p;
            size_t u = (size_t)snprintf(val, sizeof val, "[");
            for (int j = 0; j < l->n; j++) u += (size_t)snprintf(val + u, sizeof val - u, "%s%d", j ? ", " : "", l->v[j]);
            snprintf(val + u, sizeof val - u, "]");
            break;
        }
        default: snprintf(val, sizeof val, "%s", k->names[*(const int *)p]); break;
        }
        size_t need = strlen(k->path) + strlen(val) + 4;
        if (len + need >= cap) {
            cap = 2 * (len + need);
            char *grown = realloc(out, cap);
            if (!grown) {
                free(out);
                return NULL;
            }
            out = grown;
        }
        len += (size_t)sprintf(out + len, "%s: %s\n", k->path, val);
    }
    return out;
}

int mf_config_check(const mf_config *c, const char *where, mf_err *e) {
    for (int k = 0; k < c->evaluate.splits.n; k++)
        if (c->evaluate.decision == MF_DECIDE_VAL_THRESHOLD && c->evaluate.splits.v[k] == 1)
            return mf_fail(e, "%s: key 'evaluate.decision': val_threshold chooses its threshold on the val split, "
                              "which evaluate.splits also evaluates (expected evaluate.splits without 1)", where);
    return 0;
}
