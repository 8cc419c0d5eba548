/* main.c: the mammofuse binary: MPI start-up, job dispatch, --help. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/dir_lock.h"
#include "io/h5util.h"
#include "io/weights_probe.h"
#include "jobs/jobs.h"
#include "mpi/signals.h"

const mf_job mf_jobs[] = {
    {"rois", "MIAS mammograms (or the released ROI folders) -> rois.h5: 120x120 ROIs, labels, split", 1, mf_job_rois},
    {"extract", "rois.h5 + VGG weights -> features.h5: frozen VGG block summaries of every patch", 1, mf_job_extract},
    {"train", "features.h5 -> model.h5, history.csv: a Fusion1/Fusion2 head, data-parallel SGD", 1, mf_job_train},
    {"evaluate", "features.h5 + model.h5 -> metrics, tables, curves, report: majority vote per ROI", 1, mf_job_evaluate},
    {"predict", "model.h5 + new ROI images (PNG/PGM) or MIAS folders -> predictions.csv", 1, mf_job_predict},
    {"sweep", "many trainings (a grid of branches, heads, lr, seeds, ...) over one feature store, in MPI groups", 1, mf_job_sweep},
    {"cv", "k-fold cross-validation (folds of women) over one feature store, folds in MPI groups", 1, mf_job_cv},
    {"run", "the whole pipeline from one config, skipping steps whose outputs match", 1, mf_job_run},
    {"synth", "writes the embedded synthetic demo data (MIAS-like PGMs and Info.txt)", 1, mf_job_synth},
    {"weights", "writes random or golden-formula VGG weights in the Keras layout", 1, mf_job_weights},
    {"bench", "benchmarks against the machine's sgemm rate and the PyTorch peer", 1, mf_job_bench},
};
const int mf_njobs = (int)(sizeof mf_jobs / sizeof mf_jobs[0]);

static void usage(FILE *f) {
    fprintf(f,
            "usage: mammofuse <job> CONFIG.yaml [--set key=value]... [--out RUN_DIR]\n"
            "       mammofuse <job> --help\n\n"
            "Deep fusion learning for mammographic ROI classification (Normal vs Tumor, MIAS),\n"
            "as an MPI batch job: run it with mpirun/srun on any number of ranks.\n\njobs:\n");
    for (int i = 0; i < mf_njobs; i++)
        fprintf(f, "  %-9s %s%s\n", mf_jobs[i].name, mf_jobs[i].summary,
                mf_jobs[i].built ? "" : " [not built yet]");
    fprintf(f, "\nexit status: 0 done, 1 failed (one line on stderr says why: a bad input, a full disk,\n"
               "the output folder in use by another job, ...), 2 usage, 75 interrupted by SIGTERM/SIGUSR1\n"
               "(run the same command again to resume; also after kill -9: outputs are renamed into\n"
               "place only when complete). One job per output folder: an advisory lock (RUN_DIR/.mammofuse.lock).\n");
}

/* The jobs that save and resume on a signal (they poll mf_stop_agreed). */
static int resumable(const char *name) {
    static const char *const names[] = {"extract", "train", "sweep", "cv", "run"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i])) return 1;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return MF_EXIT_USAGE;
    }
    /* The weights reader's probe child (io/weights_probe.h): no MPI, no
     * signal handlers; _exit, so that nothing runs after its verdict. */
    if (!strcmp(argv[1], MF_WEIGHTS_PROBE_ARG)) {
        mf_h5_begin();
        fflush(stdout);
        _exit(mf_weights_probe_main(argc - 1, argv + 1));
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return MF_EXIT_OK;
    }
    const mf_job *job = NULL;
    for (int i = 0; i < mf_njobs; i++)
        if (!strcmp(argv[1], mf_jobs[i].name)) job = &mf_jobs[i];
    if (!job) {
        fprintf(stderr, "mammofuse: unknown job '%s' (see mammofuse --help)\n", argv[1]);
        return MF_EXIT_USAGE;
    }
    /* SLURM's warning (SIGTERM/SIGUSR1) may come at any moment, also before
     * a resumable job reaches its first chunk or step: they take it from the
     * start and stop at their next boundary (exit 75), never die of it. */
    if (resumable(job->name)) mf_signals_install();
    mf_h5_begin(); /* before MPI_Init: see io/h5util.h */
    /* A rank waiting in MPI yields its core (Open MPI polls without yielding
     * unless it sees more ranks than cores): on a node shared with other
     * work, a spinning rank takes the time slices its partner needs to reach
     * the collective (2-rank training: 1.3-2x the samples/s on the shared
     * 2-core machine, docs/results.md). An explicit setting wins. */
    setenv("OMPI_MCA_mpi_yield_when_idle", "1", 0);
    MPI_Init(&argc, &argv);
    int rc = job->main(argc - 1, argv + 1);
    mf_dir_unlock_all(); /* the job's output folders (mpi/run_lock.h) */
    /* One rank's failure must end all ranks: a rank that failed alone aborts. */
    int worst = 0;
    MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    mf_h5_end();
    MPI_Finalize();
    return worst;
}
