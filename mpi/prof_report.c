/* prof_report.c: see prof_report.h. */
#include "mpi/prof_report.h"

#include <stdlib.h>
#include <string.h>

#include "core/prof.h"
#include "mpi/report.h"

void mf_prof_start(int on) {
    const char *clk = getenv("MF_PROF_CLOCK");
    mf_prof_clock(clk && !strcmp(clk, "cpu"));
    mf_prof_enable(on);
}

void mf_prof_report(MPI_Comm comm, const char *label, long steps, double seconds) {
    double prof[MF_PROF_N + 2], pmax[MF_PROF_N + 2], sum = 0, ns = steps > 0 ? (double)steps : 1.0;
    for (int i = 0; i < MF_PROF_N; i++) sum += prof[i] = 1e3 * mf_prof_get(i) / ns;
    prof[MF_PROF_N] = 1e3 * seconds / ns - sum; /* the rest: copies, packing, waiting */
    prof[MF_PROF_N + 1] = 1e3 * seconds / ns;
    MPI_Reduce(prof, pmax, MF_PROF_N + 2, MPI_DOUBLE, MPI_MAX, 0, comm);
    for (int i = 0; i < MF_PROF_N + 2; i++)
        mf_say(comm, "  profile %s %-12s %7.3f ms/step (rank 0), %7.3f (slowest rank)\n", label,
               i < MF_PROF_N ? mf_prof_name(i) : i == MF_PROF_N ? "other" : "total", prof[i], pmax[i]);
}
