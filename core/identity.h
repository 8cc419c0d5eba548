/* identity.h: what an output was made from, and the one staleness rule.
 *
 * Every output of a job (rois.h5, features.h5, model.h5 and checkpoint.h5,
 * the evaluation) records its identity: an ordered list of (key, value)
 * entries made of
 *   - the configuration keys the job depends on: the schema declares per key
 *     the stages it enters (core/config.h: mf_config_key.stages), and which
 *     keys may change without invalidating (MF_KEY_EXTENDS: train.epochs, a
 *     longer training continues from the checkpoint);
 *   - facts of its inputs that the config does not fix: the digests of the
 *     input files' contents (Info.txt and the images, the weights), the
 *     identities of the input outputs (input_rois = the SHA-256 of rois.h5's
 *     identity, input_store, input_model), counts (rows).
 * Numbers are numbers (int64 or double), enums and digests text, lists of
 * blocks int lists. The digest of an identity (SHA-256 of its canonical text,
 * "key: value" per line) is what the next stage records as its input.
 *
 * One rule decides everything: an output is up to date when its stored
 * identity equals the one the config and the inputs give now
 * (mf_identity_compare, MF_IDCMP_ALL); an input is usable when the config
 * keys it recorded equal the config's (MF_IDCMP_CONFIG). Otherwise the
 * caller refuses with the first entry that differs. Pure: io/identity_h5.c
 * stores it as attributes. */
#ifndef MF_CORE_IDENTITY_H
#define MF_CORE_IDENTITY_H
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"

/* Stages, as bits of mf_config_key.stages. */
enum {
    MF_STAGE_ROIS = 1,
    MF_STAGE_EXTRACT = 2,
    MF_STAGE_TRAIN = 4,
    MF_STAGE_EVALUATE = 8
};
const char *mf_stage_name(int stage); /* "rois", "extract", "train", "evaluate" */

enum { MF_IDV_INT, MF_IDV_DOUBLE, MF_IDV_TEXT, MF_IDV_LIST };

#define MF_IDENT_MAX 64
#define MF_IDENT_KEY 48
#define MF_IDENT_TEXT 80

typedef struct mf_ident_entry {
    char key[MF_IDENT_KEY];  /* a schema path ("patches.tumor_draws") or a fact ("weights_sha256") */
    int type;                /* MF_IDV_* */
    int64_t i;
    double d;
    char text[MF_IDENT_TEXT];
    mf_intlist list;
} mf_ident_entry;

typedef struct mf_identity {
    int stage;               /* one MF_STAGE_* */
    int n;
    mf_ident_entry e[MF_IDENT_MAX];
} mf_identity;

/* The config keys of stage, in schema order (enums as their names, bools
 * as 0/1). */
void mf_identity_from_config(mf_identity *id, int stage, const mf_config *c);
/* Facts (keys that are not schema paths). Return -1 when the list is full
 * or the text too long (a programming error the caller reports). */
int mf_identity_add_int(mf_identity *id, const char *key, int64_t v);
int mf_identity_add_double(mf_identity *id, const char *key, double v);
int mf_identity_add_text(mf_identity *id, const char *key, const char *v);
int mf_identity_add_list(mf_identity *id, const char *key, const mf_intlist *v);
/* key = the digest of another identity (an input of this one). */
int mf_identity_add_input(mf_identity *id, const char *key, const mf_identity *input);

const mf_ident_entry *mf_identity_find(const mf_identity *id, const char *key);
/* 1 if the entry is a configuration key (a schema path), 0 for a fact. */
int mf_ident_is_config(const mf_ident_entry *en);

/* The value as text, shortest exact form for doubles. */
void mf_ident_value_text(const mf_ident_entry *en, char *buf, size_t len);
/* "key: value\n" per entry; returns a malloc'ed string (NULL if out of memory). */
char *mf_identity_text(const mf_identity *id);
/* SHA-256 of the text, hex. */
void mf_identity_digest(const mf_identity *id, char hex[65]);

enum {
    MF_IDCMP_ALL = 0,   /* every entry but the MF_KEY_EXTENDS keys: is the output up to date? */
    MF_IDCMP_CONFIG = 1 /* the config keys only (not the extends ones): was the input made by this config? */
};
/* 0 if equal under mode; else 1 and why = "key 'x': <have> in the file, <want>
 * in the config" (or "... missing in the file", "... not in the config"). The
 * stages must be equal too. */
int mf_identity_compare(const mf_identity *have, const mf_identity *want, int mode, char *why, size_t len);

#endif
