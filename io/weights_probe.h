/* weights_probe.h: untrusted Keras weights files are read in a child process
 * first, so that whatever libhdf5 does on a hostile file becomes one line
 * naming the file and exit 1, never a crash, hang or huge allocation of the
 * job.
 *
 * Why: libhdf5 1.10.8 (Debian's) over-reads the heap decoding a damaged
 * attribute name, allocates gigabytes from a damaged chunk index, and can
 * stall, all inside the library before any check of ours can run (Keras's
 * files have no metadata checksums): tests/fuzz/README.md. The project
 * cannot fix the library, so it contains it.
 *
 * How: mf_weights_probe starts /proc/self/exe with the hidden first
 * argument MF_WEIGHTS_PROBE_ARG (jobs/main.c hands it to
 * mf_weights_probe_main before MPI_Init and before anything else), which
 * runs the whole mf_weights_read (names, shapes and every value) under an
 * address-space limit and reports on a pipe. Exit 0: the parent reads the
 * same bytes in-process (libhdf5 then takes the path the child survived).
 * A refusal: the child's own line. Killed by a signal, another exit, or not
 * done within the timeout (then killed): one line saying so.
 *
 * MPI: posix_spawn (glibc: clone(CLONE_VM|CLONE_VFORK) + exec) copies no
 * page of the rank, so it is safe where fork() of an MPI process is not
 * (registered memory of some interconnects); the child never calls MPI.
 * Every rank that reads the weights probes them itself (extract reads them
 * on every rank): no new collective, so the failure paths stay those of an
 * ordinary refusal (mf_any_failed). The probe is one more read of the file
 * per rank (docs/faults.md: its cost). Assumes the file does not change
 * between the probe and the read (the job's own input, not a race). */
#ifndef MF_IO_WEIGHTS_PROBE_H
#define MF_IO_WEIGHTS_PROBE_H

#include <sys/types.h>

#include "core/err.h"
#include "io/weights.h"

#define MF_WEIGHTS_PROBE_ARG "--weights-probe" /* argv[1] of the child: PATH DEPTH_HINT */
#define MF_WEIGHTS_PROBE_TIMEOUT_ENV "MF_WEIGHTS_PROBE_TIMEOUT" /* seconds, >= 0 (default 60) */
#define MF_WEIGHTS_PROBE_TIMEOUT_DEFAULT 60.0

/* The timeout: $MF_WEIGHTS_PROBE_TIMEOUT if set (a number >= 0, else -1
 * with e naming the variable), else dflt. */
int mf_weights_probe_timeout(double dflt, double *seconds, mf_err *e);

/* Reads path in a child (the product itself, see above); 0 if the child
 * read it whole, else -1 with one line naming the file. */
int mf_weights_probe(const char *path, int depth_hint, mf_err *e);

/* mf_weights_probe, then mf_weights_read in-process (same arguments). */
int mf_weights_read_probed(const char *path, int depth_hint, mf_vgg_weights *w, mf_weights_info *info, mf_err *e);

/* The child's work: limits its address space (limit_memory, and not under
 * ASan, which reserves terabytes of shadow), reads path whole, writes the
 * refusal line (if any) to out_fd; returns the exit status, 0 or 1. */
int mf_weights_probe_child(const char *path, int depth_hint, int limit_memory, int out_fd);

/* `mammofuse --weights-probe PATH DEPTH_HINT` (argv[0] is the argument):
 * the child started by mf_weights_probe; the verdict on stdout. */
int mf_weights_probe_main(int argc, char **argv);

/* The parent's side, for a child pid whose write end of the pipe rfd is
 * its only copy: collects what the child writes, waits for its end at most
 * timeout_s seconds, then sends kill_sig (SIGKILL in the product; the fuzz
 * harness sends SIGABRT to get the sanitizer's stack) and, 10 s later,
 * SIGKILL. Closes rfd. Returns 0 if the child exited 0, else -1 with one
 * line naming path in e (its own refusal if it exited 1 with one). The
 * wait status and whether it timed out go to *status, *timed_out (may be
 * NULL). */
int mf_probe_wait(pid_t pid, int rfd, const char *path, double timeout_s, int kill_sig, int *status, int *timed_out,
                  mf_err *e);

#endif
