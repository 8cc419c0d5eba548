/* report.c: see report.h. */
#include "mpi/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int mf_any_failed(MPI_Comm comm, int failed, const mf_err *e) {
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int mine = failed ? rank : size, first = size;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
    if (first == size) return 0;
    char msg[sizeof e->msg];
    if (rank == first) snprintf(msg, sizeof msg, "%s", e ? e->msg : "failed");
    if (first != 0) {
        if (rank == first) MPI_Send(msg, (int)sizeof msg, MPI_CHAR, 0, 7, comm);
        if (rank == 0) MPI_Recv(msg, (int)sizeof msg, MPI_CHAR, first, 7, comm, MPI_STATUS_IGNORE);
    }
    if (rank == 0) {
        fprintf(stderr, "%s\n", msg);
        fflush(stderr);
    }
    return 1;
}

void mf_say(MPI_Comm comm, const char *fmt, ...) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    if (rank) return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}
