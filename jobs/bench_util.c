/* bench_util.c: see bench_util.h. */
#define _GNU_SOURCE /* sched_setaffinity: the peer must not inherit a rank's core binding */
#include "jobs/bench_util.h"

#include <cblas.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/rng.h"
#include "mpi/report.h"
#include "mpi/progress.h"

double mf_bench_sgemm_gflops(int n, double seconds) {
    size_t nn = (size_t)n * (size_t)n;
    float *a = malloc(sizeof(float) * nn), *b = malloc(sizeof(float) * nn), *c = malloc(sizeof(float) * nn);
    double rate = 0;
    if (a && b && c) {
        for (size_t i = 0; i < nn; i++) {
            a[i] = (float)mf_rng_unit(3, 0, i) - 0.5f;
            b[i] = (float)mf_rng_unit(4, 0, i) - 0.5f;
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.f, a, n, b, n, 0.f, c, n); /* warm-up */
        int reps = 0;
        double t0 = mf_now(), dt;
        do {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.f, a, n, b, n, 0.f, c, n);
            reps++;
            dt = mf_now() - t0;
        } while (dt < seconds);
        rate = 2.0 * (double)nn * n * reps / dt / 1e9;
    }
    free(a);
    free(b);
    free(c);
    return rate;
}

int mf_bench_find_peer(char *buf, size_t len) {
    const char *env = getenv("MF_PEER");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return access(buf, R_OK) == 0;
    }
    char exe[1024] = "";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    const char *roots[3] = {MF_SOURCE_DIR, exe, "."};
    const char *rel[3] = {"/../shared/tools/peer_torch_bench.py", "/../../shared/tools/peer_torch_bench.py",
                          "/../shared/tools/peer_torch_bench.py"};
    for (int i = 0; i < 3; i++) {
        int w = snprintf(buf, len, "%s%s", roots[i], rel[i]);
        if (w > 0 && (size_t)w < len && roots[i][0] && access(buf, R_OK) == 0) return 1;
    }
    return 0;
}

double mf_bench_run_peer(const char *script, const char *args) {
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s' %s 2>&1", script, args);
    /* mpirun binds each rank to a core; the peer, a child of rank 0, would
     * inherit that and run its threads on one core. Free it for the child. */
    cpu_set_t bound, all;
    int rebound = sched_getaffinity(0, sizeof bound, &bound) == 0;
    if (rebound) {
        CPU_ZERO(&all);
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        for (long i = 0; i < n && i < CPU_SETSIZE; i++) CPU_SET((int)i, &all);
        sched_setaffinity(0, sizeof all, &all);
    }
    FILE *f = popen(cmd, "r");
    if (rebound) sched_setaffinity(0, sizeof bound, &bound);
    if (!f) return 0;
    char line[512], last[512] = "";
    double rate = 0;
    while (fgets(line, sizeof line, f)) {
        snprintf(last, sizeof last, "%s", line);
        double r;
        if (sscanf(line, "peer %*s %lf", &r) == 1) rate = r;
    }
    int st = pclose(f);
    if (rate <= 0) printf("peer: failed (exit status %d): %s", st, last[0] ? last : "no output\n");
    return rate;
}

void mf_bench_idle_barrier(MPI_Comm comm) {
    MPI_Request r;
    int done = 0;
    MPI_Ibarrier(comm, &r);
    while (MPI_Test(&r, &done, MPI_STATUS_IGNORE), !done) nanosleep(&(struct timespec){0, 5000000}, NULL);
}

double mf_bench_peer_train(int model, double seconds, int threads) {
    char script[1200];
    fflush(stdout);
    if (!mf_bench_find_peer(script, sizeof script)) {
        printf("peer: skipped (peer_torch_bench.py not found; set MF_PEER)\n");
        return 0;
    }
    if (system("/usr/bin/python3 -c 'import torch' > /dev/null 2>&1") != 0) {
        printf("peer: skipped (python3-torch missing: apt-get install python3-torch)\n");
        return 0;
    }
    char args[128];
    snprintf(args, sizeof args, "--train-head --model %d --seconds %g --threads %d", model, seconds, threads);
    return mf_bench_run_peer(script, args);
}

double mf_bench_sgemm_line(MPI_Comm comm) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    double gf = rank == 0 ? mf_bench_sgemm_gflops(1024, 1.0) : 0;
    mf_bench_idle_barrier(comm);
    mf_say(comm, "sgemm 1024x1024x1024: %.1f GFLOP/s (rank 0, %d OpenBLAS thread%s)\n", gf,
           openblas_get_num_threads(), openblas_get_num_threads() == 1 ? "" : "s");
    return gf;
}
