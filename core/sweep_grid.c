/* sweep_grid.c: see sweep_grid.h. */
#include "core/sweep_grid.h"

#include <stdio.h>
#include <string.h>

#include "core/identity.h"
#include "core/vgg.h"

static int key_index(const mf_config_key *k) { return (int)(k - mf_config_keys); }

static int sweep_fail(const mf_sweep_grid *g, int line, const char *path, mf_err *e, const char *what) {
    return mf_fail(e, "%s: line %d: key 'sweep.%s': %s", g->file, line, path, what);
}

/* The value as --set would print it back (so "0.0010" and "1e-3" are one value). */
static int canonical(const mf_config_key *k, const char *text, char *out, size_t len, char *why, size_t wl) {
    mf_config scratch;
    mf_config_defaults(&scratch);
    if (mf_config_set(&scratch, k, text, why, wl)) return -1;
    const void *p = (const char *)&scratch + k->offset;
    switch (k->type) {
    case MF_KEY_INT:
        if (k->size == sizeof(int64_t)) snprintf(out, len, "%lld", (long long)*(const int64_t *)p);
        else snprintf(out, len, "%d", *(const int *)p);
        break;
    case MF_KEY_DOUBLE: snprintf(out, len, "%.17g", *(const double *)p); break;
    case MF_KEY_BOOL: snprintf(out, len, "%s", *(const int *)p ? "true" : "false"); break;
    case MF_KEY_ENUM: snprintf(out, len, "%s", k->names[*(const int *)p]); break;
    case MF_KEY_INTLIST: {
        const mf_intlist *l = p;
        size_t u = (size_t)snprintf(out, len, "[");
        for (int j = 0; j < l->n && u < len; j++) u += (size_t)snprintf(out + u, len - u, "%s%d", j ? ", " : "", l->v[j]);
        if (u < len) snprintf(out + u, len - u, "]");
        break;
    }
    default: snprintf(out, len, "%s", text);
    }
    /* The shortest text that parses back to the same double. */
    if (k->type == MF_KEY_DOUBLE) {
        double d = *(const double *)p;
        for (int prec = 1; prec <= 17; prec++) {
            char b[64];
            snprintf(b, sizeof b, "%.*g", prec, d);
            double back;
            if (sscanf(b, "%lf", &back) == 1 && back == d) {
                snprintf(out, len, "%.39s", b);
                break;
            }
        }
    }
    return 0;
}

static mf_sweep_axis *new_axis(mf_sweep_grid *g, const mf_config_key *key, const char *written, int line,
                               mf_err *e) {
    for (int a = 0; a < g->naxes; a++)
        if (g->axis[a].key == key) {
            char what[160];
            snprintf(what, sizeof what, "%s given twice (also at line %d as '%s')", key->path, g->axis[a].line,
                     g->axis[a].written);
            sweep_fail(g, line, written, e, what);
            return NULL;
        }
    if (!(key->stages & (MF_STAGE_TRAIN | MF_STAGE_EVALUATE)) || (key->stages & (MF_STAGE_ROIS | MF_STAGE_EXTRACT))) {
        sweep_fail(g, line, written, e,
                   "not a training or evaluation key (a sweep shares one store: it varies model.*, train.* and "
                   "evaluate.* keys)");
        return NULL;
    }
    if (g->naxes == MF_SWEEP_MAX_AXES) {
        sweep_fail(g, line, written, e, "too many keys in the grid (16 at most)");
        return NULL;
    }
    /* Keep the axes in schema order. */
    int at = g->naxes;
    while (at > 0 && key_index(g->axis[at - 1].key) > key_index(key)) at--;
    memmove(&g->axis[at + 1], &g->axis[at], (size_t)(g->naxes - at) * sizeof g->axis[0]);
    g->naxes++;
    mf_sweep_axis *x = &g->axis[at];
    memset(x, 0, sizeof *x);
    x->key = key;
    snprintf(x->written, sizeof x->written, "%s", written);
    x->line = line;
    return x;
}

int mf_sweep_add_axis(mf_sweep_grid *g, const mf_config_key *key, const char *written, int line,
                      const char *const *values, int n, mf_err *e) {
    if (n < 1) return sweep_fail(g, line, written, e, "expected a list of at least one value, found an empty list");
    if (n > MF_SWEEP_MAX_VALUES) {
        char what[96];
        snprintf(what, sizeof what, "expected at most %d values, found %d", MF_SWEEP_MAX_VALUES, n);
        return sweep_fail(g, line, written, e, what);
    }
    char canon[MF_SWEEP_MAX_VALUES][MF_SWEEP_VALUE];
    for (int i = 0; i < n; i++) {
        char why[256], what[400];
        if (canonical(key, values[i], canon[i], MF_SWEEP_VALUE, why, sizeof why)) {
            snprintf(what, sizeof what, "item %d: %.300s", i + 1, why);
            return sweep_fail(g, line, written, e, what);
        }
        for (int j = 0; j < i; j++)
            if (!strcmp(canon[i], canon[j])) {
                snprintf(what, sizeof what, "item %d: the value %.39s is already item %d", i + 1, canon[i], j + 1);
                return sweep_fail(g, line, written, e, what);
            }
    }
    mf_sweep_axis *x = new_axis(g, key, written, line, e);
    if (!x) return -1;
    x->n = n;
    memcpy(x->value, canon, sizeof canon);
    return 0;
}

int mf_sweep_add_all_branches(mf_sweep_grid *g, const char *written, int line, mf_err *e) {
    mf_sweep_axis *x = new_axis(g, mf_config_find("model.branches"), written, line, e);
    if (!x) return -1;
    x->all = 1;
    return 0;
}

int mf_sweep_max_block(const mf_sweep_grid *g) {
    int m = 0;
    for (int a = 0; a < g->naxes; a++) {
        const mf_sweep_axis *x = &g->axis[a];
        if (strcmp(x->key->path, "model.branches")) continue;
        if (x->all) return 5;
        for (int i = 0; i < x->n; i++) {
            mf_config s;
            char why[256];
            mf_config_defaults(&s);
            if (!mf_config_set(&s, x->key, x->value[i], why, sizeof why) && s.model.branches.v[s.model.branches.n - 1] > m)
                m = s.model.branches.v[s.model.branches.n - 1];
        }
    }
    return m;
}

int mf_sweep_resolve(mf_sweep_grid *g, int blocks, mf_err *e) {
    for (int a = 0; a < g->naxes; a++) {
        mf_sweep_axis *x = &g->axis[a];
        if (strcmp(x->key->path, "model.branches")) continue;
        if (x->all) {
            if (blocks < 1) return sweep_fail(g, x->line, x->written, e, "all: the store holds no block");
            x->n = 0;
            for (int size = 1; size <= blocks; size++)
                for (int m = 1; m < (1 << blocks); m++) {
                    if (__builtin_popcount((unsigned)m) != size) continue;
                    size_t u = (size_t)snprintf(x->value[x->n], MF_SWEEP_VALUE, "[");
                    int first = 1;
                    for (int b = 0; b < blocks; b++)
                        if (m & (1 << b)) {
                            u += (size_t)snprintf(x->value[x->n] + u, MF_SWEEP_VALUE - u, "%s%d", first ? "" : ", ", b + 1);
                            first = 0;
                        }
                    snprintf(x->value[x->n] + u, MF_SWEEP_VALUE - u, "]");
                    x->n++;
                }
            x->all = 0;
            continue;
        }
        for (int i = 0; i < x->n; i++) {
            mf_config s;
            char why[256];
            mf_config_defaults(&s);
            if (mf_config_set(&s, x->key, x->value[i], why, sizeof why)) return sweep_fail(g, x->line, x->written, e, why);
            int last = s.model.branches.v[s.model.branches.n - 1];
            if (last > blocks) {
                char what[160];
                snprintf(what, sizeof what, "%s names block %d; the store holds blocks 1-%d", x->value[i], last, blocks);
                return sweep_fail(g, x->line, x->written, e, what);
            }
        }
    }
    if (g->naxes == 0)
        return mf_fail(e, "%s: line %d: key 'sweep': expected a grid (branches, heads, lr, seeds or train.* keys), found none",
                       g->file, g->line);
    long n = 1;
    for (int a = 0; a < g->naxes; a++) {
        n *= g->axis[a].n;
        if (n > MF_SWEEP_MAX_CONFIGS)
            return mf_fail(e, "%s: line %d: key 'sweep': more than %d configurations", g->file, g->line,
                           MF_SWEEP_MAX_CONFIGS);
    }
    return 0;
}

long mf_sweep_count(const mf_sweep_grid *g) {
    long n = 1;
    for (int a = 0; a < g->naxes; a++) n *= g->axis[a].n;
    return n;
}

/* The axis's part of a configuration's name: branches b123, head as its
 * name, seeds s7, others the key's last part and the value; only
 * [A-Za-z0-9.+-] kept. */
static void name_part(const mf_sweep_axis *x, const char *v, char *out, size_t len) {
    const char *path = x->key->path;
    char raw[128];
    if (!strcmp(path, "model.branches")) {
        size_t u = (size_t)snprintf(raw, sizeof raw, "b");
        for (const char *p = v; *p && u + 1 < sizeof raw; p++)
            if (*p >= '0' && *p <= '9') raw[u++] = *p;
        raw[u] = 0;
    } else if (!strcmp(path, "model.head"))
        snprintf(raw, sizeof raw, "%s", v);
    else if (!strcmp(path, "train.seed"))
        snprintf(raw, sizeof raw, "s%s", v);
    else {
        const char *last = strrchr(path, '.');
        snprintf(raw, sizeof raw, "%s%s", last ? last + 1 : path, v);
    }
    size_t u = 0;
    for (const char *p = raw; *p && u + 1 < len; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                 ch == '+' || ch == '-';
        out[u++] = ok ? ch : '-';
    }
    out[u] = 0;
}

int mf_sweep_config(const mf_sweep_grid *g, const mf_config *base, long k, mf_config *out, char *name, size_t len,
                    mf_err *e) {
    *out = *base;
    long rest = k;
    int idx[MF_SWEEP_MAX_AXES];
    for (int a = g->naxes - 1; a >= 0; a--) {
        idx[a] = (int)(rest % g->axis[a].n);
        rest /= g->axis[a].n;
    }
    size_t u = 0;
    name[0] = 0;
    for (int a = 0; a < g->naxes; a++) {
        const mf_sweep_axis *x = &g->axis[a];
        char why[256];
        if (mf_config_set(out, x->key, x->value[idx[a]], why, sizeof why))
            return sweep_fail(g, x->line, x->written, e, why);
        char part[128];
        name_part(x, x->value[idx[a]], part, sizeof part);
        u += (size_t)snprintf(name + u, u < len ? len - u : 0, "%s%s", a ? "_" : "", part);
    }
    if (u >= len) return mf_fail(e, "%s: line %d: key 'sweep': a configuration's name is too long", g->file, g->line);
    char where[MF_PATH_MAX + 64];
    snprintf(where, sizeof where, "%s: line %d: configuration %s", g->file, g->line, name);
    return mf_config_check(out, where, e);
}

double mf_sweep_cost(const mf_config *c) {
    double width = 0;
    for (int i = 0; i < c->model.branches.n; i++) width += mf_vgg_block_width[c->model.branches.v[i] - 1];
    /* Model2 reads 6 summaries of every channel (mean, meansq, 2x2 pool) and
     * runs a 1x1 conv per branch before the dense top. */
    double head = c->model.head == MF_HEAD_FUSION2 ? 8.0 : 1.0;
    return (64.0 + width) * head * c->train.epochs;
}
