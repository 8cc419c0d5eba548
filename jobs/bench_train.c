/* bench_train.c: being written (see bench.h). */
#include "jobs/bench.h"
#include "jobs/jobs.h"

int mf_bench_train(int argc, char **argv) {
    (void)argc;
    (void)argv;
    return mf_job_not_built("bench train", "in progress");
}
