/* signals.c: see signals.h. */
#include "mpi/signals.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig) {
    (void)sig;
    stop_flag = 1;
}

void mf_signals_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
}

int mf_stop_requested(void) { return stop_flag != 0; }

void mf_test_signal_at(const char *var, long long count) {
    const char *v = getenv(var);
    if (v && *v && atoll(v) == count) raise(SIGTERM);
}

int mf_stop_agreed(MPI_Comm comm) {
    int mine = stop_flag != 0, any = 0;
    MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, comm);
    return any;
}
