/* job_run.c: `mammofuse run`: the whole pipeline from one config, each step
 * skipped when its output in the run folder was made from the same config.
 * Steps so far: rois. (extract, train and evaluate join as they are built.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/config.h"
#include "io/fsutil.h"
#include "io/rois_store.h"
#include "io/h5util.h"
#include "jobs/args.h"
#include "jobs/jobs.h"
#include "jobs/rois_job.h"
#include "mpi/report.h"

/* 1 if path is an HDF5 file whose "config" attribute equals want. */
static int made_from(const char *path, const char *want) {
    if (!mf_exists(path)) return 0;
    mf_err e;
    hid_t f = mf_h5_open_ro(path, &e);
    if (f < 0) return 0;
    char *have = mf_h5_attr_str_get(f, "config");
    H5Fclose(f);
    int same = have && !strcmp(have, want);
    free(have);
    return same;
}

int mf_job_run(int argc, char **argv) {
    static const char *const flags[] = {"--preview", NULL};
    mf_args a;
    if (mf_args_parse(argc, argv, flags, &a)) return MF_EXIT_USAGE;
    if (a.help) {
        mf_args_help("run", "CONFIG.yaml [--set key=value]... [--out RUN_DIR] [--preview]",
                     "Runs the pipeline of the config into RUN_DIR (default runs/<config name>): rois -> rois.h5\n"
                     "(extract, train and evaluate follow as they are built). A step whose output exists and\n"
                     "was made from the same configuration is skipped, so an interrupted run resumes.",
                     NULL);
        return MF_EXIT_OK;
    }
    mf_config c;
    if (mf_args_config(&a, &c)) return MF_EXIT_FAIL;
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    char path[MF_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/rois.h5", a.out);
    char *cfg = mf_config_dump(&c, NULL);
    int skip = rank == 0 ? made_from(path, cfg) : 0;
    free(cfg);
    MPI_Bcast(&skip, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (skip) {
        mf_say(MPI_COMM_WORLD, "run: rois: %s is up to date, skipped\n", path);
        return MF_EXIT_OK;
    }
    mf_say(MPI_COMM_WORLD, "run: rois -> %s\n", path);
    return mf_rois_make(&c, a.out, (int)(a.flags & 1u), MPI_COMM_WORLD);
}
