/* job_evaluate.c: placeholder until the evaluate job is built (see mammofuse --help). */
#include "jobs/jobs.h"

int mf_job_evaluate(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return mf_job_not_built("evaluate", "see the open issues");
}
