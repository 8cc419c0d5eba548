/* prof.h: an opt-in breakdown of where a training step's time goes
 * (`mammofuse bench train --profile`): each instrumented stretch adds its
 * wall time to one of a few buckets of this process. Off by default: then
 * mf_prof_t0() returns 0 without reading the clock and mf_prof_add() does
 * nothing, so the instrumented code costs two branches. One process, one
 * thread (a rank): plain static counters. */
#ifndef MF_PROF_H
#define MF_PROF_H

enum {
    MF_PROF_FWD,     /* forward: BN, dense layers, Model2's branches, loss */
    MF_PROF_BWD,     /* backward: the input-gradient chain and the per-shard sums */
    MF_PROF_WGRAD,   /* the dense top's weight gradients (batch GEMMs), with their SGD when fused */
    MF_PROF_REDUCE,  /* exchanges and fixed-order folds between ranks */
    MF_PROF_SGD,     /* the optimiser's update (of what is not fused with its gradient) */
    MF_PROF_READ,    /* reading the batch (HDF5) */
    MF_PROF_N
};

void mf_prof_enable(int on);
/* cpu = 1: the buckets count the thread's CPU time (CLOCK_THREAD_CPUTIME_ID,
 * user + system) instead of wall time, so that on a machine shared with
 * other jobs the time this rank was not running is left out of them (the
 * environment MF_PROF_CLOCK=cpu asks for it: mpi/prof_report.h). */
void mf_prof_clock(int cpu);
double mf_prof_now(void);           /* the profile's clock (seconds), enabled or not */
void mf_prof_reset(void);
double mf_prof_t0(void);            /* the clock (seconds) when enabled, else 0 */
void mf_prof_add(int bucket, double t0); /* adds now - t0 to the bucket when enabled */
double mf_prof_get(int bucket);     /* seconds accumulated */
const char *mf_prof_name(int bucket);

#endif
