/* sweep_config.c (io): see sweep_config.h. libyaml's document API, as
 * io/config.c, for the lines of the messages. */
#include "io/sweep_config.h"

#include "io/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct sweep_walk {
    mf_sweep_grid *g;
    yaml_document_t *doc;
    mf_err *e;
} sweep_walk;

static int line_of(const yaml_node_t *n) { return (int)n->start_mark.line + 1; }

static const char *scalar(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

/* The short names of the grid. */
static const char *alias(const char *name) {
    if (!strcmp(name, "branches")) return "model.branches";
    if (!strcmp(name, "heads")) return "model.head";
    if (!strcmp(name, "lr")) return "train.lr";
    if (!strcmp(name, "seeds")) return "train.seed";
    return name;
}

static int fail_at(sweep_walk *w, const yaml_node_t *n, const char *path, const char *what) {
    return mf_fail(w->e, "%s: line %d: key 'sweep.%s': %s", w->g->file, line_of(n), path, what);
}

/* One list item of model.branches: [1, 2] or "1,2". */
static int branch_text(sweep_walk *w, yaml_node_t *item, char *out, size_t len) {
    if (item->type == YAML_SCALAR_NODE) {
        snprintf(out, len, "%s", scalar(item));
        return 0;
    }
    if (item->type != YAML_SEQUENCE_NODE)
        return fail_at(w, item, "branches", "expected all or a list of block lists, e.g. [[3], [2, 3]]");
    size_t u = (size_t)snprintf(out, len, "[");
    int j = 0;
    for (yaml_node_item_t *it = item->data.sequence.items.start; it < item->data.sequence.items.top; it++, j++) {
        yaml_node_t *v = yaml_document_get_node(w->doc, *it);
        if (v->type != YAML_SCALAR_NODE)
            return fail_at(w, v, "branches", "expected a list of block numbers in each item");
        u += (size_t)snprintf(out + u, u < len ? len - u : 0, "%s%s", j ? ", " : "", scalar(v));
    }
    if (u + 2 > len) return fail_at(w, item, "branches", "a block list is too long");
    snprintf(out + u, len - u, "]");
    return 0;
}

static int add_key(sweep_walk *w, const char *path, yaml_node_t *v) {
    mf_sweep_grid *g = w->g;
    const char *full = alias(path);
    if (!strcmp(path, "group_ranks")) {
        char *end = NULL;
        long r = v->type == YAML_SCALAR_NODE ? strtol(scalar(v), &end, 10) : 0;
        if (v->type != YAML_SCALAR_NODE || !end || *end || end == scalar(v) || r < 1 || r > 65536)
            return fail_at(w, v, path, "expected an integer in 1..65536 (ranks per group)");
        g->group_ranks = (int)r;
        return 0;
    }
    if (!strcmp(path, "cv")) {
        if (v->type != YAML_SCALAR_NODE || (strcmp(scalar(v), "true") && strcmp(scalar(v), "false")))
            return fail_at(w, v, path, "expected true or false (each configuration a k-fold cross-validation)");
        g->cv = !strcmp(scalar(v), "true");
        return 0;
    }
    const mf_config_key *k = mf_config_find(full);
    if (!k)
        return fail_at(w, v, path,
                       "unknown key (expected branches, heads, lr, seeds, group_ranks, cv, or a model.*, train.* or "
                       "evaluate.* key)");
    int is_branches = !strcmp(full, "model.branches");
    if (is_branches && v->type == YAML_SCALAR_NODE && !strcmp(scalar(v), "all"))
        return mf_sweep_add_all_branches(g, path, line_of(v), w->e);
    static char texts[MF_SWEEP_MAX_VALUES][MF_SWEEP_VALUE];
    const char *items[MF_SWEEP_MAX_VALUES];
    int n = 0;
    if (v->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++, n++) {
            yaml_node_t *item = yaml_document_get_node(w->doc, *it);
            if (n >= MF_SWEEP_MAX_VALUES) {
                char what[80];
                snprintf(what, sizeof what, "expected at most %d values", MF_SWEEP_MAX_VALUES);
                return fail_at(w, v, path, what);
            }
            if (is_branches) {
                if (branch_text(w, item, texts[n], MF_SWEEP_VALUE)) return -1;
            } else if (item->type != YAML_SCALAR_NODE)
                return fail_at(w, item, path, "expected a list of single values");
            else
                snprintf(texts[n], MF_SWEEP_VALUE, "%s", scalar(item));
            items[n] = texts[n];
        }
    } else if (v->type == YAML_SCALAR_NODE && !is_branches) {
        snprintf(texts[0], MF_SWEEP_VALUE, "%s", scalar(v));
        items[0] = texts[0];
        n = 1;
    } else
        return fail_at(w, v, path, is_branches ? "expected all or a list of block lists, e.g. [[3], [2, 3]]"
                                               : "expected a list of values");
    return mf_sweep_add_axis(g, k, path, line_of(v), items, n, w->e);
}

static int walk(sweep_walk *w, yaml_node_t *node, const char *path) {
    if (node->type == YAML_MAPPING_NODE) {
        for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
            yaml_node_t *v = yaml_document_get_node(w->doc, p->value);
            if (k->type != YAML_SCALAR_NODE)
                return mf_fail(w->e, "%s: line %d: expected a key name", w->g->file, line_of(k));
            char sub[256];
            snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", scalar(k));
            if (walk(w, v, sub)) return -1;
        }
        return 0;
    }
    return add_key(w, path, node);
}

int mf_sweep_grid_load(mf_sweep_grid *g, const char *path, mf_err *e) {
    memset(g, 0, sizeof *g);
    snprintf(g->file, sizeof g->file, "%s", path);
    g->group_ranks = 1;
    yaml_document_t doc;
    if (mf_yaml_load(path, &doc, e)) return -1;
    int rc = 0;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    yaml_node_t *section = NULL;
    if (root && root->type == YAML_MAPPING_NODE)
        for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
            yaml_node_t *k = yaml_document_get_node(&doc, p->key);
            if (k->type == YAML_SCALAR_NODE && !strcmp(scalar(k), "sweep"))
                section = yaml_document_get_node(&doc, p->value);
        }
    sweep_walk w = {g, &doc, e};
    if (!section)
        rc = mf_fail(e, "%s: no 'sweep:' section (expected a grid: branches, heads, lr, seeds or train.* keys)", path);
    else {
        g->line = line_of(section);
        if (section->type != YAML_MAPPING_NODE)
            rc = mf_fail(e, "%s: line %d: key 'sweep': expected a mapping (branches, heads, lr, seeds, ...)", path,
                         g->line);
        else
            rc = walk(&w, section, "");
    }
    yaml_document_delete(&doc);
    return rc;
}
