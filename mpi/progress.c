/* progress.c: see progress.h. */
#include "mpi/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

double mf_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void mf_progress_start(mf_progress *p, const char *what, const char *unit, int64_t total, int64_t at_start,
                       int enabled) {
    p->what = what;
    p->unit = unit;
    p->total = total;
    p->at_start = at_start;
    p->t0 = p->last = mf_now();
    /* A bar only on a real terminal: mpirun gives every rank a pty even when
     * its own output goes to a log, so under mpirun (or with
     * MF_PROGRESS_SECONDS set) print lines, more often on a terminal. */
    p->tty = isatty(STDOUT_FILENO) && !getenv("OMPI_COMM_WORLD_SIZE") && !getenv("MF_PROGRESS_SECONDS");
    p->every = getenv("MF_PROGRESS_SECONDS") ? atof(getenv("MF_PROGRESS_SECONDS"))
               : p->tty                      ? 0.5
               : isatty(STDOUT_FILENO)       ? 2.0
                                             : 10.0;
    p->enabled = enabled;
}

static void eta_text(double s, char *buf, size_t len) {
    if (s < 0 || s > 1e8) snprintf(buf, len, "?");
    else snprintf(buf, len, "%d:%02d:%02d", (int)(s / 3600), (int)(s / 60) % 60, (int)s % 60);
}

void mf_progress_update(mf_progress *p, int64_t done) {
    if (!p->enabled) return;
    double now = mf_now();
    if (now - p->last < p->every && done < p->total) return;
    p->last = now;
    double rate = (double)(done - p->at_start) / (now - p->t0 + 1e-9);
    char eta[32];
    eta_text(rate > 0 ? (double)(p->total - done) / rate : -1, eta, sizeof eta);
    double frac = p->total ? (double)done / (double)p->total : 1.0;
    if (p->tty) {
        char bar[31];
        int fill = (int)(frac * 30);
        for (int i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
        bar[30] = 0;
        printf("\r%s [%s] %lld/%lld %s %5.1f%% %.1f %s/s ETA %s ", p->what, bar, (long long)done,
               (long long)p->total, p->unit, 100 * frac, rate, p->unit, eta);
    } else {
        printf("%s: %lld/%lld %s (%.1f%%), %.1f %s/s, ETA %s\n", p->what, (long long)done, (long long)p->total,
               p->unit, 100 * frac, rate, p->unit, eta);
    }
    fflush(stdout);
}

void mf_progress_end(mf_progress *p, int64_t done) {
    if (!p->enabled) return;
    double dt = mf_now() - p->t0;
    if (p->tty) printf("\n");
    printf("%s: %lld %s in %.1f s (%.1f %s/s)\n", p->what, (long long)(done - p->at_start), p->unit, dt,
           (double)(done - p->at_start) / (dt + 1e-9), p->unit);
    fflush(stdout);
}
