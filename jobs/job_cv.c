/* job_cv.c: placeholder until the cv job is built (see mammofuse --help). */
#include "jobs/jobs.h"

int mf_job_cv(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return mf_job_not_built("cv", "see the open issues");
}
