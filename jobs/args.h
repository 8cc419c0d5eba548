/* args.h: the command line every pipeline job shares:
 *   mammofuse <job> CONFIG.yaml [--set key=value]... [--out RUN_DIR] [flags]
 * plus `--help`, which prints the job's usage and its configuration keys. */
#ifndef MF_JOBS_ARGS_H
#define MF_JOBS_ARGS_H
#include "core/config.h"

#define MF_ARGS_MAX_SETS 64

typedef struct mf_args {
    const char *config;                 /* CONFIG.yaml */
    char *sets[MF_ARGS_MAX_SETS];       /* "key=value" */
    int nsets;
    char out[MF_PATH_MAX];              /* run folder; default runs/<config stem> */
    int help;
    unsigned flags;                     /* bit i: extra flag i given */
    const char *value[16];              /* extra flag i's value, for flags listed as "--name=" */
} mf_args;

/* Parses argv (argv[0] = job name). extra_flags: NULL-terminated list of
 * the flags the job accepts, e.g. {"--preview", "--slice=", NULL}: a flag
 * listed with a trailing '=' takes a value ("--slice 0/4" or "--slice=0/4"),
 * kept in value[i]. On a usage error prints one line and returns -1. */
int mf_args_parse(int argc, char **argv, const char *const *extra_flags, mf_args *a);

/* Prints the job's usage line, description and the keys under the given
 * prefixes (NULL-terminated), with type, default and meaning. */
void mf_args_help(const char *job, const char *synopsis, const char *description, const char *const *prefixes);

/* Loads the config named by the arguments (defaults + file + --set);
 * on error prints the one line on rank 0 and returns -1 on all ranks. */
int mf_args_config(const mf_args *a, mf_config *c);

/* "--slice I/N" (job arrays: this task runs items k with k % N == I):
 * text NULL gives 0/1; else 0 <= I < N <= 100000, or one usage line and -1. */
int mf_args_slice(const char *job, const char *text, int *i, int *n);

#endif
