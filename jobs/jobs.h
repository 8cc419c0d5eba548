/* jobs.h: the subcommands of the mammofuse binary.
 * Each job lives in jobs/job_<name>.c and exports mf_job_<name>(argc, argv)
 * with argv[0] = the job name; it returns the process exit status
 * (MF_EXIT_*). main.c initialises MPI before and finalises it after. */
#ifndef MF_JOBS_H
#define MF_JOBS_H

enum {
    MF_EXIT_OK = 0,
    MF_EXIT_FAIL = 1,        /* bad input or a failed computation; message on stderr */
    MF_EXIT_USAGE = 2,       /* bad command line */
    MF_EXIT_INTERRUPTED = 75 /* SIGTERM/SIGUSR1: state flushed, run again to resume (EX_TEMPFAIL) */
};

typedef struct mf_job {
    const char *name;
    const char *summary;  /* one line for mammofuse --help */
    int built;            /* 0: listed by the design, not implemented yet */
    int (*main)(int argc, char **argv);
} mf_job;

extern const mf_job mf_jobs[];
extern const int mf_njobs;

int mf_job_rois(int argc, char **argv);
int mf_job_extract(int argc, char **argv);
int mf_job_train(int argc, char **argv);
int mf_job_evaluate(int argc, char **argv);
int mf_job_predict(int argc, char **argv);
int mf_job_sweep(int argc, char **argv);
int mf_job_cv(int argc, char **argv);
int mf_job_run(int argc, char **argv);
int mf_job_synth(int argc, char **argv);
int mf_job_weights(int argc, char **argv);
int mf_job_bench(int argc, char **argv);


#endif
