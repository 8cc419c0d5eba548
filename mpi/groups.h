/* groups.h: many independent tasks (sweep configurations, CV folds) on
 * sub-communicators of the world.
 *
 * The world is cut (MPI_Comm_split) into groups of group_ranks consecutive
 * ranks (the last group takes what is left). Tasks cost different amounts
 * (Model2 [1..5] is ~10x Model1 [5]), so nothing is assigned statically: each
 * group's leader takes the next task index from one shared counter (an MPI
 * one-sided fetch-and-add on world rank 0) whenever its group is free, and
 * broadcasts it to its group. Callers list their tasks costliest first, which
 * makes this greedy order the LPT schedule. A task's result depends only on
 * the task and the group's size, never on which group ran it or when. */
#ifndef MF_MPI_GROUPS_H
#define MF_MPI_GROUPS_H
#include <mpi.h>

typedef struct mf_groups {
    MPI_Comm world;
    MPI_Comm comm; /* this rank's group */
    int group, ngroups;
    int rank, size; /* within the group */
} mf_groups;

/* Collective over world. group_ranks >= 1; more than the world's size is
 * cut to it. */
void mf_groups_split(MPI_Comm world, int group_ranks, mf_groups *g);
void mf_groups_free(mf_groups *g);

/* One task, run collectively by the group; returns MF_EXIT_*. */
typedef int (*mf_task_fn)(int task, const mf_groups *g, void *ctx);

/* Collective over world: runs tasks 0..ntasks-1, each by one group. A group
 * stops taking tasks once a signal asked the job to stop (mf_stop_agreed on
 * the group) or a task of it returned MF_EXIT_INTERRUPTED. On return, every
 * rank's status[t] is task t's exit status, or -1 for a task never started.
 * Returns the number of tasks started. */
int mf_groups_run(const mf_groups *g, int ntasks, mf_task_fn fn, void *ctx, int *status);

#endif
