/* fault.h: TEST ONLY: named points on the write paths where the kill -9
 * campaign (tests/faults/kill9.sh) freezes a job, so that a kill lands for
 * sure during store creation, a collective chunk write, a checkpoint write
 * or just before a rename into place, not only at random moments.
 *
 * MF_FAULT_AT=<point>:<n> makes the process stop itself with SIGSTOP at the
 * n-th pass (1-based, counted per process) of the named point; the test
 * then kills the whole job (mpirun and every rank) with SIGKILL. A stop
 * rather than a SIGKILL of the rank alone: mpirun would otherwise see one
 * rank die and send SIGTERM to the others, which would save their state
 * (exit 75) instead of dying mid-write. Outside the tests the variable is
 * never set; the environment is read once, and a pass costs a load and a
 * compare. Points: "store.create" (features.h5.partial allocated, before its
 * identity), "chunk.write" (inside a chunk's collective write: its
 * first summary dataset written, the others and its done flag not),
 * "ckpt.write" (checkpoint.h5 or model.h5 half written under its temporary
 * name), "rename" (a complete temporary, just before its rename into place; also
 * the new features.h5.partial, and the finished one onto features.h5). */
#ifndef MF_IO_FAULT_H
#define MF_IO_FAULT_H

void mf_fault_point(const char *point);

#endif
