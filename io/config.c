/* config.c (io): YAML -> mf_config through libyaml's document API, which keeps
 * each node's line for messages. Nested mappings become dotted key paths. */
#include "io/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct walk {
    mf_config *c;
    yaml_document_t *doc;
    const char *file;
    mf_err *e;
} walk;

static int walk_node(walk *w, yaml_node_t *node, const char *path);

static int walk_mapping(walk *w, yaml_node_t *node, const char *path) {
    for (yaml_node_pair_t *p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(w->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(w->doc, p->value);
        if (k->type != YAML_SCALAR_NODE)
            return mf_fail(w->e, "%s: line %zu: expected a key name", w->file, k->start_mark.line + 1);
        /* The sweep's grid is read by io/sweep_config.c, not here. */
        if (!path[0] && !strcmp((const char *)k->data.scalar.value, "sweep")) continue;
        char sub[256];
        snprintf(sub, sizeof sub, "%s%s%s", path, path[0] ? "." : "", (const char *)k->data.scalar.value);
        if (walk_node(w, v, sub)) return -1;
    }
    return 0;
}

static int is_section(const char *path) {
    size_t n = strlen(path);
    for (int i = 0; i < mf_config_nkeys; i++)
        if (!strncmp(mf_config_keys[i].path, path, n) && mf_config_keys[i].path[n] == '.') return 1;
    return 0;
}

static int walk_node(walk *w, yaml_node_t *node, const char *path) {
    size_t line = node->start_mark.line + 1;
    if (node->type == YAML_MAPPING_NODE) {
        if (path[0] && !is_section(path)) {
            if (mf_config_find(path))
                return mf_fail(w->e, "%s: line %zu: key '%s': expected a single value, found a mapping", w->file,
                               line, path);
            return mf_fail(w->e, "%s: line %zu: unknown section '%s'", w->file, line, path);
        }
        return walk_mapping(w, node, path);
    }
    const mf_config_key *k = mf_config_find(path);
    if (!k) {
        if (is_section(path))
            return mf_fail(w->e, "%s: line %zu: key '%s': expected a mapping of keys, found a value", w->file, line,
                           path);
        return mf_fail(w->e, "%s: line %zu: unknown key '%s'", w->file, line, path);
    }
    char why[512];
    if (k->type == MF_KEY_INTLIST && node->type == YAML_SEQUENCE_NODE) {
        const char *items[MF_INTLIST_MAX + 1];
        int n = 0;
        for (yaml_node_item_t *it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
            yaml_node_t *v = yaml_document_get_node(w->doc, *it);
            if (v->type != YAML_SCALAR_NODE)
                return mf_fail(w->e, "%s: line %zu: key '%s': expected a list of integers", w->file,
                               v->start_mark.line + 1, path);
            if (n <= MF_INTLIST_MAX) items[n] = (const char *)v->data.scalar.value;
            n++;
        }
        if (mf_config_set_list(w->c, k, items, n, why, sizeof why))
            return mf_fail(w->e, "%s: line %zu: key '%s': %s", w->file, line, path, why);
        return 0;
    }
    if (node->type != YAML_SCALAR_NODE)
        return mf_fail(w->e, "%s: line %zu: key '%s': expected a single value, found a list", w->file, line, path);
    if (mf_config_set(w->c, k, (const char *)node->data.scalar.value, why, sizeof why))
        return mf_fail(w->e, "%s: line %zu: key '%s': %s", w->file, line, path, why);
    return 0;
}

int mf_yaml_load(const char *path, yaml_document_t *doc, mf_err *e) {
    FILE *f = fopen(path, "rb");
    if (!f) return mf_fail(e, "%s: cannot open config: %s", path, strerror(errno));
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    int rc = 0;
    if (!yaml_parser_load(&parser, doc))
        rc = mf_fail(e, "%s: line %zu: invalid YAML: %s", path, parser.problem_mark.line + 1,
                     parser.problem ? parser.problem : "parse error");
    yaml_parser_delete(&parser);
    fclose(f);
    return rc;
}

static int load_file(mf_config *c, const char *path, mf_err *e) {
    yaml_document_t doc;
    if (mf_yaml_load(path, &doc, e)) return -1;
    int rc = 0;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root && !(root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
        if (root->type != YAML_MAPPING_NODE)
            rc = mf_fail(e, "%s: line %zu: expected a mapping of keys at the top level", path,
                         root->start_mark.line + 1);
        else {
            walk w = {c, &doc, path, e};
            rc = walk_mapping(&w, root, "");
        }
    }
    yaml_document_delete(&doc);
    return rc;
}

int mf_config_load(mf_config *c, const char *path, char *const *sets, int nsets, mf_err *e) {
    mf_config_defaults(c);
    if (path && load_file(c, path, e)) return -1;
    for (int i = 0; i < nsets; i++) {
        const char *eq = strchr(sets[i], '=');
        if (!eq || eq == sets[i]) return mf_fail(e, "--set %s: expected key=value", sets[i]);
        char key[256];
        size_t n = (size_t)(eq - sets[i]);
        if (n >= sizeof key) n = sizeof key - 1;
        memcpy(key, sets[i], n);
        key[n] = 0;
        const mf_config_key *k = mf_config_find(key);
        if (!k) return mf_fail(e, "--set %s: unknown key '%s'", sets[i], key);
        char why[512];
        if (mf_config_set(c, k, eq + 1, why, sizeof why)) return mf_fail(e, "--set %s: key '%s': %s", sets[i], key, why);
    }
    return mf_config_check(c, path ? path : "--set", e);
}


const char *mf_config_data_root(const mf_config *c) {
    if (c->data.root[0]) return c->data.root;
    const char *env = getenv("MAMMOFUSE_DATA");
    if (env && env[0]) return env;
    return "../shared/data";
}

void mf_config_data_path(const mf_config *c, const char *rel, char *buf, size_t len) {
    if (rel[0] == '/') snprintf(buf, len, "%s", rel);
    else snprintf(buf, len, "%s/%s", mf_config_data_root(c), rel);
}
