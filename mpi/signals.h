/* signals.h: SLURM's warning before a time limit (SIGTERM, or SIGUSR1 with
 * --signal) asks a job to stop soon. The handler only sets a flag; jobs poll
 * mf_stop_agreed() at chunk or step boundaries, which makes every rank agree
 * (one rank signalled = all stop at the same boundary), finish the unit in
 * hand, flush, and exit with MF_EXIT_INTERRUPTED. */
#ifndef MF_MPI_SIGNALS_H
#define MF_MPI_SIGNALS_H
#include <mpi.h>

/* Installs handlers for SIGTERM and SIGUSR1 (idempotent). */
void mf_signals_install(void);

/* 1 if this process has received SIGTERM or SIGUSR1. */
int mf_stop_requested(void);

/* Collective over comm: 1 on every rank if any rank has been signalled. */
int mf_stop_agreed(MPI_Comm comm);

/* TEST ONLY: if the environment variable var holds count, the process sends
 * itself SIGTERM (through the real handler), so a test can interrupt a job
 * at an exact step instead of racing it (MF_TEST_SIGTERM_AT_STEP). */
void mf_test_signal_at(const char *var, long long count);

#endif
