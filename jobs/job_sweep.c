/* job_sweep.c: placeholder until the sweep job is built (see mammofuse --help). */
#include "jobs/jobs.h"

int mf_job_sweep(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return mf_job_not_built("sweep", "see the open issues");
}
