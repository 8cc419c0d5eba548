/* job_train.c: placeholder until the train job is built (see mammofuse --help). */
#include "jobs/jobs.h"

int mf_job_train(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return mf_job_not_built("train", "see the open issues");
}
