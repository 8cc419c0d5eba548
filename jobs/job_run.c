/* job_run.c: `mammofuse run`: the whole pipeline from one config, each step
 * skipped when its output in the run folder is up to date:
 *   rois    -> rois.h5       (up to date when its identity matches: the same
 *                             ROI keys and the same input files)
 *   extract -> features.h5   (up to date when its identity matches; an
 *                             unfinished store is completed)
 *   train   -> model.h5      (a finished training is up to date; an
 *                             interrupted one resumes from checkpoint.h5)
 *   evaluate -> metrics.json (recomputed: cheap), table.md, curves, predictions
 * so an interrupted run resumes where it stopped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/dir_lock.h"
#include "io/fsutil.h"
#include "io/h5util.h"
#include "jobs/args.h"
#include "jobs/evaluate_job.h"
#include "jobs/extract_job.h"
#include "jobs/jobs.h"
#include "jobs/tower_blocks.h"
#include "jobs/rois_job.h"
#include "jobs/train_job.h"
#include "mpi/report.h"
#include "mpi/run_lock.h"

/* The end of a run: the table, and where the report is. */
static void print_result(const char *out) {
    char path[MF_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/table.md", out);
    FILE *f = fopen(path, "r");
    if (f) {
        char line[1024];
        printf("\n");
        while (fgets(line, sizeof line, f)) fputs(line, stdout);
        fclose(f);
    }
    printf("\nrun: the report: %s/report.html\n", out);
    fflush(stdout);
}

int mf_job_run(int argc, char **argv) {
    static const char *const flags[] = {"--preview", "--until-rois", "--until-extract", NULL};
    mf_args a;
    if (mf_args_parse(argc, argv, flags, &a)) return MF_EXIT_USAGE;
    if (a.help) {
        mf_args_help("run", "CONFIG.yaml [--set key=value]... [--out RUN_DIR] [--preview] [--until-rois|--until-extract]",
                     "Runs the pipeline of the config into RUN_DIR (default runs/<config name>):\n"
                     "rois -> rois.h5, extract -> features.h5, train -> model.h5 + history.csv, evaluate ->\n"
                     "metrics.json, table.md, predictions.csv, roc.csv, pr.csv. A step whose\n"
                     "output is up to date is skipped, an unfinished one resumes, so after SIGTERM (exit 75)\n"
                     "the same command continues. --until-rois / --until-extract stop after that step.",
                     NULL);
        return MF_EXIT_OK;
    }
    mf_config c;
    if (mf_args_config(&a, &c)) return MF_EXIT_FAIL;
    if (mf_run_lock(MPI_COMM_WORLD, 1, (const char *const[]){a.out}, MF_LOCK_CREATE)) return MF_EXIT_FAIL;
    MPI_Comm comm = MPI_COMM_WORLD;
    int rank;
    MPI_Comm_rank(comm, &rank);
    /* The whole chain's blocks, before any work: a config of blocks 4-5 on
     * weights of blocks 1-3 is refused now, not after the extraction. */
    mf_err e = {{0}};
    int needs_tower = !(a.flags & 2u); /* --until-rois needs no weights */
    if (needs_tower && mf_any_failed(comm, rank == 0 ? mf_tower_blocks_check(&c, !(a.flags & 4u), &e) : 0, &e))
        return MF_EXIT_FAIL;
    mf_say(comm, "run: rois -> %s/rois.h5\n", a.out);
    int rc = mf_rois_make(&c, a.out, (int)(a.flags & 1u), comm);
    if (rc != MF_EXIT_OK || (a.flags & 2u)) return rc;
    mf_say(comm, "run: extract -> %s/features.h5\n", a.out);
    rc = mf_extract_make(&c, a.out, comm);
    if (rc != MF_EXIT_OK || (a.flags & 4u)) return rc;
    mf_say(comm, "run: train -> %s/model.h5\n", a.out);
    mf_stage_files f;
    mf_stage_files_in(&f, a.out);
    rc = mf_train_make(&c, &f, comm);
    if (rc != MF_EXIT_OK) return rc;
    mf_say(comm, "run: evaluate -> %s/metrics.json\n", a.out);
    rc = mf_evaluate_make(&c, &f, comm);
    if (rc == MF_EXIT_OK && rank == 0) print_result(a.out);
    return rc;
}
