/* args.c: see args.h. */
#include "jobs/args.h"

#include <mpi.h>
#include <stdio.h>
#include <string.h>

#include "io/config.h"

static int usage_error(const char *job, const char *what) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0) fprintf(stderr, "mammofuse %s: %s (see mammofuse %s --help)\n", job, what, job);
    return -1;
}

int mf_args_parse(int argc, char **argv, const char *const *extra_flags, mf_args *a) {
    memset(a, 0, sizeof *a);
    const char *job = argv[0];
    char msg[MF_PATH_MAX + 64];
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            a->help = 1;
            return 0;
        }
        if (!strcmp(s, "--set") || !strcmp(s, "--out")) {
            if (i + 1 >= argc) {
                snprintf(msg, sizeof msg, "%s: expected a value after it", s);
                return usage_error(job, msg);
            }
            if (s[2] == 's') {
                if (a->nsets == MF_ARGS_MAX_SETS) return usage_error(job, "--set: too many (64 at most)");
                a->sets[a->nsets++] = argv[++i];
            } else {
                if (strlen(argv[i + 1]) >= sizeof a->out) return usage_error(job, "--out: path too long");
                strcpy(a->out, argv[++i]);
            }
            continue;
        }
        if (!strncmp(s, "--set=", 6) && a->nsets < MF_ARGS_MAX_SETS) {
            a->sets[a->nsets++] = argv[i] + 6;
            continue;
        }
        int known = 0;
        for (int f = 0; extra_flags && extra_flags[f] && f < 16; f++) {
            const char *name = extra_flags[f];
            size_t n = strlen(name);
            if (n > 1 && name[n - 1] == '=') { /* takes a value */
                if (!strncmp(s, name, n)) a->value[f] = s + n;
                else if (!strncmp(s, name, n - 1) && s[n - 1] == 0) {
                    if (i + 1 >= argc) {
                        snprintf(msg, sizeof msg, "%s: expected a value after it", s);
                        return usage_error(job, msg);
                    }
                    a->value[f] = argv[++i];
                } else
                    continue;
                a->flags |= 1u << f;
                known = 1;
            } else if (!strcmp(s, name)) {
                a->flags |= 1u << f;
                known = 1;
            }
        }
        if (known) continue;
        if (s[0] == '-') {
            snprintf(msg, sizeof msg, "unknown option '%s'", s);
            return usage_error(job, msg);
        }
        if (a->config) {
            snprintf(msg, sizeof msg, "unexpected argument '%s' (one CONFIG.yaml only)", s);
            return usage_error(job, msg);
        }
        a->config = s;
    }
    if (!a->config) return usage_error(job, "expected CONFIG.yaml");
    if (!a->out[0]) {
        const char *base = strrchr(a->config, '/');
        base = base ? base + 1 : a->config;
        size_t n = strcspn(base, ".");
        snprintf(a->out, sizeof a->out, "runs/%.*s", (int)n, base);
    }
    return 0;
}

static const char *type_name(const mf_config_key *k, char *buf, size_t len) {
    switch (k->type) {
    case MF_KEY_INT: snprintf(buf, len, "int %.0f..%.0f", k->min, k->max); break;
    case MF_KEY_DOUBLE: snprintf(buf, len, "number %g..%g", k->min, k->max); break;
    case MF_KEY_BOOL: snprintf(buf, len, "true|false"); break;
    case MF_KEY_STRING: snprintf(buf, len, "text"); break;
    case MF_KEY_INTLIST: snprintf(buf, len, "list of %.0f..%.0f", k->min, k->max); break;
    default:
        buf[0] = 0;
        for (int i = 0; k->names[i]; i++) {
            size_t u = strlen(buf);
            snprintf(buf + u, len - u, "%s%s", i ? "|" : "", k->names[i]);
        }
    }
    return buf;
}

void mf_args_help(const char *job, const char *synopsis, const char *description, const char *const *prefixes) {
    printf("usage: mammofuse %s %s\n\n%s\n\nconfiguration keys (YAML, or --set key=value):\n", job, synopsis,
           description);
    for (int i = 0; i < mf_config_nkeys; i++) {
        const mf_config_key *k = &mf_config_keys[i];
        int show = !prefixes;
        for (int p = 0; prefixes && prefixes[p]; p++)
            if (!strncmp(k->path, prefixes[p], strlen(prefixes[p]))) show = 1;
        if (!show) continue;
        char t[128];
        printf("  %-22s %-26s default %-8s %s\n", k->path, type_name(k, t, sizeof t), k->deflt, k->doc);
    }
}

int mf_args_config(const mf_args *a, mf_config *c) {
    mf_err e;
    int rc = mf_config_load(c, a->config, a->sets, a->nsets, &e);
    if (rc) {
        int rank = 0;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        if (rank == 0) fprintf(stderr, "%s\n", e.msg);
    }
    return rc;
}

int mf_args_slice(const char *job, const char *text, int *i, int *n) {
    *i = 0;
    *n = 1;
    if (!text) return 0;
    int a = -1, b = -1, used = 0;
    if (sscanf(text, "%d/%d%n", &a, &b, &used) != 2 || text[used] || b < 1 || b > 100000 || a < 0 || a >= b) {
        char msg[256];
        snprintf(msg, sizeof msg, "--slice: expected I/N with 0 <= I < N (e.g. 0/4), found '%.64s'", text);
        return usage_error(job, msg);
    }
    *i = a;
    *n = b;
    return 0;
}
