/* job_synth.c: `mammofuse synth`: writes the embedded synthetic demo data
 * set (the one `data.source: synth` makes in memory) as files in MIAS's
 * layout, RUN_DIR/mias/mdbNNN.pgm and Info.txt, so it can be looked at or
 * fed back through `data.source: mias`. */
#include <stdio.h>

#include "io/synth_write.h"
#include "jobs/args.h"
#include "jobs/jobs.h"
#include "mpi/report.h"

int mf_job_synth(int argc, char **argv) {
    mf_args a;
    if (mf_args_parse(argc, argv, NULL, &a)) return MF_EXIT_USAGE;
    if (a.help) {
        static const char *const keys[] = {"seed", "data.synth_images", NULL};
        mf_args_help("synth", "CONFIG.yaml [--set key=value]... [--out RUN_DIR]",
                     "Writes data.synth_images synthetic MIAS-like mammograms (1024x1024, a breast with\n"
                     "texture, 40% with one or two round masses) and their Info.txt into RUN_DIR/mias/.\n"
                     "Then `data.root: RUN_DIR, data.source: mias` reads them like the real database.",
                     keys);
        return MF_EXIT_OK;
    }
    mf_config c;
    if (mf_args_config(&a, &c)) return MF_EXIT_FAIL;
    int rank;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    mf_err e = {{0}};
    int failed = 0;
    if (rank == 0) {
        char dir[MF_PATH_MAX + 8];
        snprintf(dir, sizeof dir, "%s/mias", a.out);
        failed = mf_synth_write(dir, (uint64_t)c.seed, c.data.synth_images, &e);
        if (!failed) printf("synth: wrote %d images and Info.txt into %s\n", c.data.synth_images, dir);
    }
    return mf_any_failed(MPI_COMM_WORLD, failed, &e) ? MF_EXIT_FAIL : MF_EXIT_OK;
}
