/* stage_files.c: see stage_files.h. */
#include "jobs/stage_files.h"

#include <stdio.h>

void mf_stage_files_shared(mf_stage_files *f, const char *run_dir, const char *out) {
    snprintf(f->store, sizeof f->store, "%s/features.h5", run_dir);
    snprintf(f->rois, sizeof f->rois, "%s/rois.h5", run_dir);
    snprintf(f->out, sizeof f->out, "%s", out);
    f->roles = NULL;
    f->cache = NULL;
}

void mf_stage_files_in(mf_stage_files *f, const char *run_dir) { mf_stage_files_shared(f, run_dir, run_dir); }
