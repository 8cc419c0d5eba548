/* test_identity.c: the identity module (core/identity.h).
 *  - every schema key declares its stages, except the paths (whose contents'
 *    digests stand in the identities); seed enters rois and extract, the
 *    train keys only train, train.epochs is the one MF_KEY_EXTENDS key;
 *  - from_config takes exactly the stage's keys, in schema order, numbers
 *    as numbers, enums as names;
 *  - the canonical text and its digest (SHA-256, checked against a value
 *    computed by hand with sha256sum), doubles in their shortest exact form;
 *  - compare: equal; the first differing key named with both values; a key
 *    missing in the file, a key the file has and the config not; the stage;
 *    MF_IDCMP_CONFIG ignores facts, both modes ignore train.epochs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/identity.h"
#include "tests/check.h"

static int has(const mf_identity *id, const char *key) { return mf_identity_find(id, key) != NULL; }

int main(void) {
    /* paths (their contents' digests are recorded instead), the cv keys (a
     * fold's training records its fold as facts: cv_folds, cv_fold, cv_roles)
     * and the layout keys (train.cache_mb: where the rows are read from) */
    static const char *const paths[] = {"data.root", "data.mias", "data.info", "data.released", "backbone.weights",
                                        "backbone.blocks", "cv.folds", "cv.group_ranks", "train.cache_mb", NULL};
    int nextends = 0;
    for (int i = 0; i < mf_config_nkeys; i++) {
        const mf_config_key *k = &mf_config_keys[i];
        int is_path = 0;
        for (int j = 0; paths[j]; j++) is_path |= !strcmp(paths[j], k->path);
        CHECK_MSG(is_path ? k->stages == 0 : k->stages != 0, "key %s: stages %d", k->path, k->stages);
        if (k->flags & MF_KEY_EXTENDS) {
            nextends++;
            CHECK(!strcmp(k->path, "train.epochs"));
        }
    }
    CHECK_EQ_INT(nextends, 1);
    { /* layout keys stay out of the provenance: outputs do not depend on the grouping */
        mf_config d;
        mf_config_defaults(&d);
        char *dump = mf_config_dump(&d);
        CHECK(dump && strstr(dump, "cv.folds: 10\n") && !strstr(dump, "group_ranks") && !strstr(dump, "cache_mb"));
        free(dump);
    }
    CHECK_EQ_INT(mf_config_find("seed")->stages, MF_STAGE_ROIS | MF_STAGE_EXTRACT);
    CHECK_EQ_INT(mf_config_find("train.seed")->stages, MF_STAGE_TRAIN);

    mf_config c;
    mf_config_defaults(&c);
    mf_identity r, x, t;
    mf_identity_from_config(&r, MF_STAGE_ROIS, &c);
    mf_identity_from_config(&x, MF_STAGE_EXTRACT, &c);
    mf_identity_from_config(&t, MF_STAGE_TRAIN, &c);
    CHECK(has(&r, "seed") && has(&r, "split.mode") && has(&r, "rois.crop") && !has(&r, "patches.side"));
    CHECK(has(&x, "seed") && has(&x, "patches.tumor_draws") && has(&x, "extract.dtype") && !has(&x, "split.mode"));
    CHECK(!has(&x, "backbone.weights") && !has(&x, "data.root"));
    CHECK(has(&t, "train.seed") && has(&t, "train.epochs") && has(&t, "model.branches") && !has(&t, "seed"));
    CHECK(!strcmp(r.e[0].key, "seed")); /* schema order */
    const mf_ident_entry *td = mf_identity_find(&x, "patches.tumor_draws"), *lr = mf_identity_find(&t, "train.lr");
    CHECK(td->type == MF_IDV_INT && td->i == 2000);
    CHECK(lr->type == MF_IDV_DOUBLE && lr->d == 0.0001);
    CHECK(mf_identity_find(&t, "model.head")->type == MF_IDV_TEXT &&
          !strcmp(mf_identity_find(&t, "model.head")->text, "fusion1"));
    CHECK(mf_identity_find(&x, "patches.augment")->type == MF_IDV_INT && mf_identity_find(&x, "patches.augment")->i == 1);
    const mf_ident_entry *br = mf_identity_find(&t, "model.branches");
    CHECK(br->type == MF_IDV_LIST && br->list.n == 5 && br->list.v[4] == 5);

    /* values as text: shortest exact doubles */
    char v[64];
    mf_ident_value_text(lr, v, sizeof v);
    CHECK(!strcmp(v, "0.0001"));
    mf_ident_entry d = {"x", MF_IDV_DOUBLE, 0, 0.1 + 0.2, "", {0, {0}}};
    mf_ident_value_text(&d, v, sizeof v);
    CHECK(!strcmp(v, "0.30000000000000004"));
    mf_ident_value_text(br, v, sizeof v);
    CHECK(!strcmp(v, "[1, 2, 3, 4, 5]"));

    /* text and digest: a small identity worked by hand
     * printf 'stage: rois\na: 3\nb: 0.5\nc: xy\nd: [1, 2]\n' | sha256sum */
    mf_identity s;
    memset(&s, 0, sizeof s);
    s.stage = MF_STAGE_ROIS;
    mf_intlist l = {2, {1, 2}};
    CHECK(!mf_identity_add_int(&s, "a", 3) && !mf_identity_add_double(&s, "b", 0.5) &&
          !mf_identity_add_text(&s, "c", "xy") && !mf_identity_add_list(&s, "d", &l));
    char *text = mf_identity_text(&s), hex[65];
    CHECK(text && !strcmp(text, "stage: rois\na: 3\nb: 0.5\nc: xy\nd: [1, 2]\n"));
    free(text);
    mf_identity_digest(&s, hex);
    CHECK(!strcmp(hex, "31d1fba48fce009808493f81d61c9c0a143a7e5e86b299ba3043e5308d34eba9"));
    char hex2[65];
    s.e[0].i = 4;
    mf_identity_digest(&s, hex2);
    CHECK(strcmp(hex, hex2) != 0); /* a value changes the digest */
    char long_text[MF_IDENT_TEXT + 1];
    memset(long_text, 'a', MF_IDENT_TEXT);
    long_text[MF_IDENT_TEXT] = 0;
    CHECK(mf_identity_add_text(&s, "too_long", long_text) == -1);

    /* compare */
    char why[256];
    mf_identity a, b;
    mf_identity_from_config(&a, MF_STAGE_EXTRACT, &c);
    mf_identity_add_text(&a, "weights_sha256", "abc");
    b = a;
    CHECK_EQ_INT(mf_identity_compare(&a, &b, MF_IDCMP_ALL, why, sizeof why), 0);
    mf_config c2 = c;
    c2.patches.tumor_draws = 6;
    mf_identity_from_config(&b, MF_STAGE_EXTRACT, &c2);
    mf_identity_add_text(&b, "weights_sha256", "abc");
    CHECK_EQ_INT(mf_identity_compare(&a, &b, MF_IDCMP_ALL, why, sizeof why), 1);
    CHECK_MSG(!strcmp(why, "key 'patches.tumor_draws': 2000 in the file, 6 in the config"), "%s", why);
    b = a;
    strcpy(b.e[b.n - 1].text, "def"); /* a fact differs: ALL sees it, CONFIG does not */
    CHECK_EQ_INT(mf_identity_compare(&a, &b, MF_IDCMP_ALL, why, sizeof why), 1);
    CHECK_MSG(!strcmp(why, "key 'weights_sha256': abc in the file, def now"), "%s", why);
    CHECK_EQ_INT(mf_identity_compare(&a, &b, MF_IDCMP_CONFIG, why, sizeof why), 0);
    b = a;
    b.n--; /* the file has a key this version does not make */
    CHECK_EQ_INT(mf_identity_compare(&a, &b, MF_IDCMP_ALL, why, sizeof why), 1);
    CHECK_MSG(strstr(why, "key 'weights_sha256': in the file, not in") != NULL, "%s", why);
    CHECK_EQ_INT(mf_identity_compare(&b, &a, MF_IDCMP_ALL, why, sizeof why), 1);
    CHECK_MSG(!strcmp(why, "key 'weights_sha256': missing in the file, abc in the config"), "%s", why);
    CHECK_EQ_INT(mf_identity_compare(&r, &x, MF_IDCMP_CONFIG, why, sizeof why), 1);
    CHECK_MSG(!strcmp(why, "made by the rois job, expected the extract job's output"), "%s", why);
    /* train.epochs may grow */
    mf_identity t2;
    c2 = c;
    c2.train.epochs = 10;
    mf_identity_from_config(&t2, MF_STAGE_TRAIN, &c2);
    CHECK_EQ_INT(mf_identity_compare(&t, &t2, MF_IDCMP_ALL, why, sizeof why), 0);
    char h1[65], h2[65];
    mf_identity_digest(&t, h1);
    mf_identity_digest(&t2, h2);
    CHECK(strcmp(h1, h2) != 0); /* ... but the model it makes is another one */
    c2.train.seed = 2;
    mf_identity_from_config(&t2, MF_STAGE_TRAIN, &c2);
    CHECK_EQ_INT(mf_identity_compare(&t, &t2, MF_IDCMP_ALL, why, sizeof why), 1);
    CHECK_MSG(!strcmp(why, "key 'train.seed': 1 in the file, 2 in the config"), "%s", why);
    { /* patches.augment_for enters the extract identity only when not at its default (train), so
       * stores made before the key existed keep their identity; either way a difference is named */
        mf_config d, a;
        mf_config_defaults(&d);
        mf_config_defaults(&a);
        a.patches.augment_for = MF_AUGMENT_FOR_ALL;
        mf_identity xd, xa;
        mf_identity_from_config(&xd, MF_STAGE_EXTRACT, &d);
        mf_identity_from_config(&xa, MF_STAGE_EXTRACT, &a);
        char *td = mf_identity_text(&xd);
        CHECK(td && !strstr(td, "augment_for") && strstr(td, "patches.augment: 1\n"));
        free(td);
        CHECK_EQ_INT(xa.n, xd.n + 1);
        CHECK(has(&xa, "patches.augment_for") && !has(&xd, "patches.augment_for"));
        char why[256];
        CHECK_EQ_INT(mf_identity_compare(&xd, &xa, MF_IDCMP_CONFIG, why, sizeof why), 1);
        CHECK_MSG(!strcmp(why, "key 'patches.augment_for': train (the default) in the file, all in the config"), "%s", why);
        CHECK_EQ_INT(mf_identity_compare(&xa, &xd, MF_IDCMP_CONFIG, why, sizeof why), 1);
        CHECK_MSG(!strcmp(why, "key 'patches.augment_for': all in the file, train (the default) in the config"), "%s", why);
        CHECK_EQ_INT(mf_identity_compare(&xd, &xd, MF_IDCMP_ALL, why, sizeof why), 0);
    }
    return check_done();
}
