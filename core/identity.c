/* identity.c: see identity.h. */
#include "core/identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"

const char *mf_stage_name(int stage) {
    switch (stage) {
    case MF_STAGE_ROIS: return "rois";
    case MF_STAGE_EXTRACT: return "extract";
    case MF_STAGE_TRAIN: return "train";
    case MF_STAGE_EVALUATE: return "evaluate";
    }
    return "?";
}

static mf_ident_entry *add(mf_identity *id, const char *key, int type) {
    if (id->n >= MF_IDENT_MAX || strlen(key) >= MF_IDENT_KEY) return NULL;
    mf_ident_entry *en = &id->e[id->n++];
    memset(en, 0, sizeof *en);
    strcpy(en->key, key);
    en->type = type;
    return en;
}

void mf_identity_from_config(mf_identity *id, int stage, const mf_config *c) {
    memset(id, 0, sizeof *id);
    id->stage = stage;
    mf_config d;
    mf_config_defaults(&d);
    for (int i = 0; i < mf_config_nkeys; i++) {
        const mf_config_key *k = &mf_config_keys[i];
        if (!(k->stages & stage)) continue;
        const char *p = (const char *)c + k->offset;
        if ((k->flags & MF_KEY_OMIT_DEFAULT) && !memcmp(p, (const char *)&d + k->offset, k->size)) continue;
        mf_ident_entry *en;
        switch (k->type) {
        case MF_KEY_INT:
            en = add(id, k->path, MF_IDV_INT);
            en->i = k->size == sizeof(int64_t) ? *(const int64_t *)p : *(const int *)p;
            break;
        case MF_KEY_BOOL:
            en = add(id, k->path, MF_IDV_INT);
            en->i = *(const int *)p;
            break;
        case MF_KEY_DOUBLE:
            en = add(id, k->path, MF_IDV_DOUBLE);
            en->d = *(const double *)p;
            break;
        case MF_KEY_ENUM:
            en = add(id, k->path, MF_IDV_TEXT);
            snprintf(en->text, sizeof en->text, "%s", k->names[*(const int *)p]);
            break;
        case MF_KEY_INTLIST:
            en = add(id, k->path, MF_IDV_LIST);
            en->list = *(const mf_intlist *)p;
            break;
        default:
            en = add(id, k->path, MF_IDV_TEXT);
            snprintf(en->text, sizeof en->text, "%s", p);
            break;
        }
    }
}

int mf_identity_add_int(mf_identity *id, const char *key, int64_t v) {
    mf_ident_entry *en = add(id, key, MF_IDV_INT);
    if (!en) return -1;
    en->i = v;
    return 0;
}

int mf_identity_add_double(mf_identity *id, const char *key, double v) {
    mf_ident_entry *en = add(id, key, MF_IDV_DOUBLE);
    if (!en) return -1;
    en->d = v;
    return 0;
}

int mf_identity_add_text(mf_identity *id, const char *key, const char *v) {
    if (strlen(v) >= MF_IDENT_TEXT) return -1;
    mf_ident_entry *en = add(id, key, MF_IDV_TEXT);
    if (!en) return -1;
    strcpy(en->text, v);
    return 0;
}

int mf_identity_add_list(mf_identity *id, const char *key, const mf_intlist *v) {
    mf_ident_entry *en = add(id, key, MF_IDV_LIST);
    if (!en) return -1;
    en->list = *v;
    return 0;
}

int mf_identity_add_input(mf_identity *id, const char *key, const mf_identity *input) {
    char hex[65];
    mf_identity_digest(input, hex);
    return mf_identity_add_text(id, key, hex);
}

const mf_ident_entry *mf_identity_find(const mf_identity *id, const char *key) {
    for (int i = 0; i < id->n; i++)
        if (!strcmp(id->e[i].key, key)) return &id->e[i];
    return NULL;
}

int mf_ident_is_config(const mf_ident_entry *en) { return mf_config_find(en->key) != NULL; }

static int extends(const mf_ident_entry *en) {
    const mf_config_key *k = mf_config_find(en->key);
    return k && (k->flags & MF_KEY_EXTENDS);
}

void mf_ident_value_text(const mf_ident_entry *en, char *buf, size_t len) {
    switch (en->type) {
    case MF_IDV_INT: snprintf(buf, len, "%lld", (long long)en->i); break;
    case MF_IDV_DOUBLE: /* the shortest text that reads back as the same double */
        for (int prec = 6; prec <= 17; prec++) {
            snprintf(buf, len, "%.*g", prec, en->d);
            if (strtod(buf, NULL) == en->d) break;
        }
        break;
    case MF_IDV_LIST: {
        size_t u = (size_t)snprintf(buf, len, "[");
        for (int j = 0; j < en->list.n && u < len; j++)
            u += (size_t)snprintf(buf + u, len - u, "%s%d", j ? ", " : "", en->list.v[j]);
        if (u < len) snprintf(buf + u, len - u, "]");
        break;
    }
    default: snprintf(buf, len, "%s", en->text); break;
    }
}

char *mf_identity_text(const mf_identity *id) {
    size_t cap = 64 + (size_t)id->n * (MF_IDENT_KEY + MF_IDENT_TEXT + 8), len = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    len += (size_t)snprintf(s, cap, "stage: %s\n", mf_stage_name(id->stage));
    for (int i = 0; i < id->n; i++) {
        char v[MF_IDENT_TEXT + 8];
        mf_ident_value_text(&id->e[i], v, sizeof v);
        len += (size_t)snprintf(s + len, cap - len, "%s: %s\n", id->e[i].key, v);
    }
    return s;
}

void mf_identity_digest(const mf_identity *id, char hex[65]) {
    char *s = mf_identity_text(id);
    if (!s) { /* out of memory: a digest that matches nothing */
        memset(hex, '0', 64);
        hex[64] = 0;
        return;
    }
    mf_sha256_buf(s, strlen(s), hex);
    free(s);
}

static int same_value(const mf_ident_entry *a, const mf_ident_entry *b) {
    if (a->type != b->type) return 0;
    switch (a->type) {
    case MF_IDV_INT: return a->i == b->i;
    case MF_IDV_DOUBLE: return a->d == b->d;
    case MF_IDV_LIST:
        if (a->list.n != b->list.n) return 0;
        for (int j = 0; j < a->list.n; j++)
            if (a->list.v[j] != b->list.v[j]) return 0;
        return 1;
    default: return !strcmp(a->text, b->text);
    }
}

static int counted(const mf_ident_entry *en, int mode) {
    if (extends(en)) return 0;
    return mode == MF_IDCMP_ALL || mf_ident_is_config(en);
}

int mf_identity_compare(const mf_identity *have, const mf_identity *want, int mode, char *why, size_t len) {
    if (have->stage != want->stage) {
        snprintf(why, len, "made by the %s job, expected the %s job's output", mf_stage_name(have->stage),
                 mf_stage_name(want->stage));
        return 1;
    }
    for (int i = 0; i < want->n; i++) {
        const mf_ident_entry *w = &want->e[i];
        if (!counted(w, mode)) continue;
        const mf_ident_entry *h = mf_identity_find(have, w->key);
        char hv[MF_IDENT_TEXT + 8], wv[MF_IDENT_TEXT + 8];
        mf_ident_value_text(w, wv, sizeof wv);
        if (!h) {
            const mf_config_key *k = mf_config_find(w->key);
            if (k && (k->flags & MF_KEY_OMIT_DEFAULT))
                snprintf(why, len, "key '%s': %s (the default) in the file, %s in the config", w->key, k->deflt, wv);
            else
                snprintf(why, len, "key '%s': missing in the file, %s in the config", w->key, wv);
            return 1;
        }
        if (!same_value(h, w)) {
            mf_ident_value_text(h, hv, sizeof hv);
            snprintf(why, len, "key '%s': %s in the file, %s %s", w->key, hv, wv,
                     mf_ident_is_config(w) ? "in the config" : "now");
            return 1;
        }
    }
    for (int i = 0; i < have->n; i++) {
        const mf_ident_entry *h = &have->e[i];
        if (counted(h, mode) && !mf_identity_find(want, h->key)) {
            const mf_config_key *k = mf_config_find(h->key);
            if (k && (k->flags & MF_KEY_OMIT_DEFAULT)) {
                char hv[MF_IDENT_TEXT + 8];
                mf_ident_value_text(h, hv, sizeof hv);
                snprintf(why, len, "key '%s': %s in the file, %s (the default) in the config", h->key, hv, k->deflt);
                return 1;
            }
            snprintf(why, len, "key '%s': in the file, not in this version's %s identity", h->key,
                     mf_stage_name(want->stage));
            return 1;
        }
    }
    return 0;
}
