/* prof.c: see prof.h. */
#include "core/prof.h"

#include <time.h>

static int prof_on, prof_cpu;
static double prof_acc[MF_PROF_N];

static double now(void) {
    struct timespec t;
    clock_gettime(prof_cpu ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

void mf_prof_enable(int on) { prof_on = on; }

void mf_prof_clock(int cpu) { prof_cpu = cpu; }

double mf_prof_now(void) { return now(); }

void mf_prof_reset(void) {
    for (int i = 0; i < MF_PROF_N; i++) prof_acc[i] = 0;
}

double mf_prof_t0(void) { return prof_on ? now() : 0.0; }

void mf_prof_add(int bucket, double t0) {
    if (prof_on && bucket >= 0 && bucket < MF_PROF_N) prof_acc[bucket] += now() - t0;
}

double mf_prof_get(int bucket) { return bucket >= 0 && bucket < MF_PROF_N ? prof_acc[bucket] : 0.0; }

const char *mf_prof_name(int bucket) {
    static const char *names[MF_PROF_N] = {"forward", "backward", "wgrad+sgd", "reductions", "sgd-rest",
                                           "hdf5-reads"};
    return bucket >= 0 && bucket < MF_PROF_N ? names[bucket] : "?";
}
