/* progress.h: progress of long work, shown by rank 0: a bar redrawn in place
 * on a terminal, a line every few seconds in a batch log (SLURM output). */
#ifndef MF_MPI_PROGRESS_H
#define MF_MPI_PROGRESS_H
#include <stdint.h>

typedef struct mf_progress {
    const char *what, *unit;
    int64_t total, at_start;
    double t0, last, every;
    int tty, enabled;
} mf_progress;

/* enabled: 1 on rank 0; at_start: units already done (resumed work). */
void mf_progress_start(mf_progress *p, const char *what, const char *unit, int64_t total, int64_t at_start,
                       int enabled);
/* done: units done in all (including at_start). Prints at most every 0.5 s
 * (bar on a terminal), 2 s (lines on a terminal under mpirun) or 10 s
 * (lines into a log); MF_PROGRESS_SECONDS=s forces lines every s seconds. */
void mf_progress_update(mf_progress *p, int64_t done);
/* Final line: units done in this run and the rate. */
void mf_progress_end(mf_progress *p, int64_t done);
/* Seconds since an arbitrary start (monotonic). */
double mf_now(void);

#endif
