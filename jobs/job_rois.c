/* job_rois.c: `mammofuse rois`: MIAS mammograms (or the released ROI
 * folders, or the synthetic demo) -> rois.h5 in the run folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/contact_sheet.h"
#include "core/split.h"
#include "io/dir_lock.h"
#include "io/fsutil.h"
#include "io/identity_h5.h"
#include "io/png_io.h"
#include "io/rois_store.h"
#include "jobs/args.h"
#include "jobs/jobs.h"
#include "jobs/rois_build.h"
#include "jobs/rois_inputs.h"
#include "jobs/rois_job.h"
#include "mpi/report.h"
#include "mpi/run_lock.h"

static void print_counts(const mf_roiset *s, const mf_rois_summary *sum) {
    int counts[3][MF_ROI_NCLASS];
    mf_roiset_counts(s, counts);
    int tumors = 0;
    for (int i = 0; i < s->n; i++) tumors += s->meta[i].label;
    printf("rois: %d ROIs (%d Normal, %d Tumor) from %d images", s->n, s->n - tumors, tumors, sum->images);
    if (sum->skipped_rows) printf(" (%d abnormal rows without coordinates skipped)", sum->skipped_rows);
    printf("\n         normal  benign  malignant  tumor    all\n");
    static const char *const names[3] = {"train", "val", "test"};
    int col[MF_ROI_NCLASS] = {0}, all = 0;
    for (int sp = 0; sp < 3; sp++) {
        int row = 0;
        printf("%-8s", names[sp]);
        for (int k = 0; k < MF_ROI_NCLASS; k++) {
            printf(" %7d%s", counts[sp][k], k == 2 ? "   " : "");
            row += counts[sp][k];
            col[k] += counts[sp][k];
        }
        printf(" %6d\n", row);
        all += row;
    }
    printf("%-8s", "all");
    for (int k = 0; k < MF_ROI_NCLASS; k++) printf(" %7d%s", col[k], k == 2 ? "   " : "");
    printf(" %6d\n", all);
}

static int write_preview(const char *path, const mf_roiset *s, mf_err *e) {
    int h, w;
    mf_contact_sheet_size(s, 20, &h, &w);
    uint8_t *rgb = malloc((size_t)h * (size_t)w * 3);
    if (!rgb) return mf_fail(e, "%s: out of memory", path);
    mf_contact_sheet_draw(s, 20, rgb);
    int rc = mf_png_write_rgb(path, h, w, rgb, e);
    free(rgb);
    return rc;
}

/* Rank 0: 1 if path holds the ROI set of want, 0 if there is none; -1 (and
 * e) if it holds another one: refused, never overwritten. */
static int up_to_date(const char *path, const mf_identity *want, mf_err *e) {
    if (!mf_exists(path)) return 0;
    mf_identity have;
    if (mf_identity_read_file(path, "ROI set", &have, e) ||
        mf_identity_refuse(path, &have, want, MF_IDCMP_ALL, "made from other inputs or another configuration",
                           "remove it or use another --out", e))
        return -1;
    return 1;
}

int mf_rois_make(const mf_config *c, const char *out, int preview, MPI_Comm comm) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    mf_err e = {{0}};
    char path[MF_PATH_MAX + 32], png[MF_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/rois.h5", out);
    snprintf(png, sizeof png, "%s/rois_preview.png", out);
    mf_identity want;
    if (mf_rois_identity(c, comm, &want, &e)) return MF_EXIT_FAIL; /* reported */
    int failed = 0, state = 0;
    if (rank == 0) {
        state = up_to_date(path, &want, &e);
        failed = state < 0 || (state == 0 && mf_mkdir_p(out, &e));
    }
    MPI_Bcast(&state, 1, MPI_INT, 0, comm);
    if (mf_any_failed(comm, failed, &e)) return MF_EXIT_FAIL;
    if (state == 1 && (!preview || mf_exists(png))) {
        mf_say(comm, "rois: %s is up to date\n", path);
        return MF_EXIT_OK;
    }
    mf_roiset set;
    mf_rois_summary sum;
    if (mf_rois_build(c, comm, &set, &sum)) return MF_EXIT_FAIL;
    if (rank == 0) {
        if (c->data.source != MF_SOURCE_RELEASED) {
            if (c->split.mode == MF_SPLITMODE_RELEASED)
                failed = mf_fail(&e, "split.mode: released needs data.source: released (the split comes from its folders)");
            else
                failed = mf_split_assign(&set, c->split.mode, c->split.train, c->split.val, (uint64_t)c->seed, &e);
        } else if (c->split.mode != MF_SPLITMODE_RELEASED) {
            failed = mf_fail(&e, "split.mode: data.source released comes with its own split; expected split.mode: released");
        }
        char *cfg = failed ? NULL : mf_config_dump_upto(c, MF_STAGE_ROIS);
        mf_rois_attrs a = {cfg, &want};
        if (!failed && !cfg) failed = mf_fail(&e, "rois: out of memory");
        if (!failed) failed = mf_rois_write(path, &set, &a, &e);
        if (!failed && preview && (failed = write_preview(png, &set, &e))) remove(path);
        if (!failed) {
            print_counts(&set, &sum);
            printf("rois: wrote %s%s%s\n", path, preview ? " and " : "", preview ? png : "");
        }
        free(cfg);
    }
    mf_roiset_free(&set);
    return mf_any_failed(comm, failed, &e) ? MF_EXIT_FAIL : MF_EXIT_OK;
}

int mf_job_rois(int argc, char **argv) {
    static const char *const flags[] = {"--preview", NULL};
    mf_args a;
    if (mf_args_parse(argc, argv, flags, &a)) return MF_EXIT_USAGE;
    if (a.help) {
        static const char *const keys[] = {"seed", "data.", "rois.", "split.", NULL};
        mf_args_help("rois", "CONFIG.yaml [--set key=value]... [--out RUN_DIR] [--preview]",
                     "Cuts the 120x120 ROIs of the method from the MIAS mammograms with MATLAB's semantics\n"
                     "(3x3 median, CLAHE, crop at the lesion centre, black-part removal, bicubic resize),\n"
                     "one per abnormality with coordinates and one per normal image at a random place in\n"
                     "the breast; assigns the split; writes RUN_DIR/rois.h5 (default RUN_DIR:\n"
                     "runs/<config name>). --preview also writes RUN_DIR/rois_preview.png, a contact sheet.\n"
                     "Images are spread over the MPI ranks; the output does not depend on their number.\n"
                     "An up-to-date rois.h5 (same ROI keys, same input files) is kept; one made from other\n"
                     "inputs or keys is refused.",
                     keys);
        return MF_EXIT_OK;
    }
    mf_config c;
    if (mf_args_config(&a, &c)) return MF_EXIT_FAIL;
    if (mf_run_lock(MPI_COMM_WORLD, 1, (const char *const[]){a.out}, MF_LOCK_CREATE)) return MF_EXIT_FAIL;
    return mf_rois_make(&c, a.out, (int)(a.flags & 1u), MPI_COMM_WORLD);
}
