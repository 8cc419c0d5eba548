/* report.h: one error line for the whole job.
 * A failure may happen on any rank (the image it read was truncated); the
 * user must see exactly one line, and every rank must leave together. */
#ifndef MF_MPI_REPORT_H
#define MF_MPI_REPORT_H
#include <mpi.h>

#include "core/err.h"

/* Collective over comm. If any rank has failed != 0, rank 0 prints the
 * message of the lowest failing rank (e->msg) on stderr, and every rank
 * gets 1; else 0. */
int mf_any_failed(MPI_Comm comm, int failed, const mf_err *e);

/* Rank 0 prints a progress or summary line on stdout (others stay quiet). */
void mf_say(MPI_Comm comm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
