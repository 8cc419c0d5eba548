/* config.h (io): reading an experiment's YAML file and --set overrides into
 * an mf_config, with every key validated against the schema table. */
#ifndef MF_IO_CONFIG_H
#define MF_IO_CONFIG_H
#include <yaml.h>

#include "core/config.h"
#include "core/err.h"

/* Defaults, then the YAML file (if path != NULL), then each "key=value" of
 * sets[0..nsets). Errors: "<file>: line N: key 'a.b': expected ..., found ...",
 * "<file>: line N: unknown key 'a.x'", "--set a.b=v: ...". */
int mf_config_load(mf_config *c, const char *path, char *const *sets, int nsets, mf_err *e);

/* Parses the YAML file into doc (yaml_document_delete it); one line naming
 * the file and the line on a syntax error. */
int mf_yaml_load(const char *path, yaml_document_t *doc, mf_err *e);

/* data.root resolved: the key, else $MAMMOFUSE_DATA, else ../shared/data. */
const char *mf_config_data_root(const mf_config *c);

/* root/rel (rel kept as is when absolute) into buf. */
void mf_config_data_path(const mf_config *c, const char *rel, char *buf, size_t len);

#endif
