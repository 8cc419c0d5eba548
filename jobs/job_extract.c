/* job_extract.c: placeholder until the extract job is built (see mammofuse --help). */
#include "jobs/jobs.h"

int mf_job_extract(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return mf_job_not_built("extract", "see the open issues");
}
