/* job_bench.c: placeholder until the bench job is built (see mammofuse --help). */
#include "jobs/jobs.h"

int mf_job_bench(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return mf_job_not_built("bench", "see the open issues");
}
