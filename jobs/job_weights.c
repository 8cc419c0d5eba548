/* job_weights.c: placeholder until the weights job is built (see mammofuse --help). */
#include "jobs/jobs.h"

int mf_job_weights(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return mf_job_not_built("weights", "see the open issues");
}
