/* rois_build.c: see rois_build.h. */
#include "jobs/rois_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/breast.h"
#include "core/clahe.h"
#include "core/medfilt.h"
#include "core/roi.h"
#include "io/config.h"
#include "io/fsutil.h"
#include "io/mias_info.h"
#include "io/pgm.h"
#include "io/roi_folder.h"
#include "jobs/synth_source.h"
#include "mpi/gather.h"
#include "mpi/report.h"

/* What one ROI is cut from: an Info.txt row. */
typedef struct roi_task {
    const mf_info_row *row;
    int image_slot; /* index into the image list */
} roi_task;

static void meta_from_row(mf_roi_meta *m, const mf_info_row *r) {
    memset(m, 0, sizeof *m);
    m->image_id = r->image_id;
    m->woman_id = (r->image_id + 1) / 2;
    m->info_line = r->line;
    m->radius = r->has_xy ? r->radius : 0;
    m->label = r->severity != 'N';
    m->cls = r->severity == 'B' ? MF_CLASS_BENIGN : r->severity == 'M' ? MF_CLASS_MALIGNANT : MF_CLASS_NORMAL;
    m->severity = r->severity;
    memcpy(m->abnormality, r->cls, 4);
}

/* Loads image image_id: the PGM from data.mias, or the synthetic one. */
static int load_image(const mf_config *c, int image_id, mf_img8 *img, mf_err *e) {
    if (c->data.source == MF_SOURCE_SYNTH) return mf_synth_source_image(c, image_id, img, e);
    char dir[MF_PATH_MAX], path[MF_PATH_MAX + 32];
    mf_config_data_path(c, c->data.mias, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/mdb%03d.pgm", dir, image_id);
    if (mf_pgm_read(path, img, e)) {
        char tar[MF_PATH_MAX + 32];
        snprintf(tar, sizeof tar, "%s/all-mias.tar.xz", dir);
        size_t used = strlen(e->msg);
        if (!mf_exists(path) && mf_exists(tar))
            snprintf(e->msg + used, sizeof e->msg - used, " (the folder holds the packed archive: unpack it with scripts/unpack-mias.sh)");
        return -1;
    }
    return 0;
}

/* Median and CLAHE as the config says: med = after the median, pre = after both. */
static int preprocess(const mf_config *c, const mf_img8 *raw, mf_img8 *med, mf_img8 *pre, mf_err *e) {
    if (mf_img8_alloc(med, raw->h, raw->w) || mf_img8_alloc(pre, raw->h, raw->w))
        return mf_fail(e, "out of memory");
    if (c->rois.median) mf_medfilt3(raw, med);
    else memcpy(med->px, raw->px, (size_t)raw->h * (size_t)raw->w);
    if (c->rois.clahe) return mf_clahe(med, pre, e);
    memcpy(pre->px, med->px, (size_t)raw->h * (size_t)raw->w);
    return 0;
}

static void roi_params(const mf_config *c, mf_roi_params *p) {
    mf_roi_params_default(p);
    p->size = c->rois.size;
    p->crop = c->rois.crop;
    p->black_threshold = c->rois.black_threshold;
    p->min_component = c->rois.min_component;
}

/* Cuts every ROI of one image into its record (meta + pixels). */
static int cut_image(const mf_config *c, const char *imgname, const mf_img8 *raw, const mf_img8 *pre,
                     const roi_task *tasks, const int *which, int nwhich, char *recs, size_t rec, mf_err *e) {
    mf_roi_params p;
    roi_params(c, &p);
    for (int j = 0; j < nwhich; j++) {
        const mf_info_row *r = tasks[which[j]].row;
        mf_roi_meta *m = (mf_roi_meta *)(recs + (size_t)j * rec);
        uint8_t *px = (uint8_t *)(recs + (size_t)j * rec + sizeof(mf_roi_meta));
        meta_from_row(m, r);
        int x = r->x, y = r->y;
        if (!r->has_xy) {
            if (mf_normal_centre(raw, &p, (uint64_t)c->seed, r->image_id, &x, &y, e)) return -1;
        } else if (x < 1 || x > pre->w || y < 1 || y > pre->h) {
            return mf_fail(e, "%s: line %d: centre (%d, %d) lies outside %s (%dx%d)", c->data.info, r->line, x, y,
                           imgname, pre->w, pre->h);
        }
        mf_roi_trace t;
        mf_err sub;
        if (mf_roi_extract(pre, x, y, &p, px, &t, &sub))
            return mf_fail(e, "%s: line %d: ROI at (%d, %d): %s", c->data.info, r->line, x, y, sub.msg);
        m->x = x;
        m->y = y;
        int32_t crop[4] = {t.crop_r0, t.crop_c0, t.crop_h, t.crop_w}, box[4] = {t.box_r0, t.box_c0, t.box_h, t.box_w};
        memcpy(m->crop, crop, sizeof crop);
        memcpy(m->box, box, sizeof box);
    }
    return 0;
}

/* Rows of the config's source: Info.txt, or the synthetic plan. */
static int source_rows(const mf_config *c, mf_info_row **rows, int *n, mf_err *e) {
    if (c->data.source == MF_SOURCE_SYNTH) return mf_synth_source_rows(c, rows, n, e);
    char path[MF_PATH_MAX];
    mf_config_data_path(c, c->data.info, path, sizeof path);
    return mf_info_read(path, rows, n, e);
}

static int build_from_images(const mf_config *c, MPI_Comm comm, mf_roiset *set, mf_rois_summary *sum) {
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    mf_err e = {{0}};
    mf_info_row *rows = NULL;
    int nrows = 0;
    int failed = source_rows(c, &rows, &nrows, &e);
    if (mf_any_failed(comm, failed, &e)) {
        free(rows);
        return -1;
    }
    /* Tasks in row order; images in order of first appearance. */
    roi_task *tasks = malloc(sizeof *tasks * (size_t)(nrows ? nrows : 1));
    int *image_ids = malloc(sizeof(int) * (size_t)(nrows ? nrows : 1));
    int ntasks = 0, nimages = 0;
    sum->skipped_rows = 0;
    if (!tasks || !image_ids) failed = mf_fail(&e, "rois: out of memory for %d rows", nrows);
    for (int i = 0; i < nrows && !failed; i++) {
        const mf_info_row *r = &rows[i];
        if (c->data.limit_images && r->image_id > c->data.limit_images) continue;
        if (r->severity != 'N' && !r->has_xy) {
            sum->skipped_rows++;
            continue;
        }
        int slot = 0;
        while (slot < nimages && image_ids[slot] != r->image_id) slot++;
        if (slot == nimages) image_ids[nimages++] = r->image_id;
        tasks[ntasks].row = r;
        tasks[ntasks].image_slot = slot;
        ntasks++;
    }
    sum->images = nimages;
    size_t rec = sizeof(mf_roi_meta) + (size_t)c->rois.size * (size_t)c->rois.size;
    /* This rank's tasks: those of images slot % size == rank. */
    int nmine = 0;
    for (int t = 0; t < ntasks; t++) nmine += tasks[t].image_slot % size == rank;
    char *recs = calloc((size_t)(nmine ? nmine : 1), rec);
    int *idx = malloc(sizeof(int) * (size_t)(nmine ? nmine : 1));
    int *which = malloc(sizeof(int) * (size_t)(ntasks ? ntasks : 1));
    if (!failed && (!recs || !idx || !which)) failed = mf_fail(&e, "rois: out of memory for %d ROIs", nmine);
    /* (a failure skips the loop; the ranks agree right after it) */
    int done = 0;
    time_t last = time(NULL);
    for (int s = rank; s < nimages && !failed; s += size) {
        int nwhich = 0;
        for (int t = 0; t < ntasks; t++)
            if (tasks[t].image_slot == s) which[nwhich++] = t;
        mf_img8 raw = {0}, med = {0}, pre = {0};
        char name[32];
        snprintf(name, sizeof name, "mdb%03d", image_ids[s]);
        failed = load_image(c, image_ids[s], &raw, &e);
        if (!failed) failed = preprocess(c, &raw, &med, &pre, &e);
        if (!failed) failed = cut_image(c, name, &raw, &pre, tasks, which, nwhich, recs + (size_t)done * rec, rec, &e);
        for (int j = 0; j < nwhich && !failed; j++) idx[done + j] = which[j];
        done += nwhich;
        mf_img8_free(&raw);
        mf_img8_free(&med);
        mf_img8_free(&pre);
        if (rank == 0 && time(NULL) - last >= 2) {
            last = time(NULL);
            printf("rois: rank 0 at image %d of %d\n", s + 1, nimages);
            fflush(stdout);
        }
    }
    int rc = 0;
    if (mf_any_failed(comm, failed, &e)) rc = -1;
    char *all = NULL;
    if (!rc && rank == 0) {
        all = malloc(rec * (size_t)(ntasks ? ntasks : 1));
        if (!all || mf_roiset_alloc(set, ntasks, c->rois.size)) failed = 1;
    }
    if (!rc && mf_any_failed(comm, failed, &(mf_err){"rois: out of memory"})) rc = -1;
    if (!rc && mf_gather_records(comm, recs, idx, done, rec, all, ntasks)) rc = -1;
    if (!rc && rank == 0)
        for (int t = 0; t < ntasks; t++) {
            memcpy(&set->meta[t], all + (size_t)t * rec, sizeof(mf_roi_meta));
            memcpy(set->images + (size_t)t * (size_t)set->size * (size_t)set->size,
                   all + (size_t)t * rec + sizeof(mf_roi_meta), (size_t)set->size * (size_t)set->size);
        }
    free(all);
    free(recs);
    free(idx);
    free(which);
    free(tasks);
    free(image_ids);
    free(rows);
    return rc;
}

/* The released folders: read on rank 0, Normal then Tumor per split. */
static int build_from_released(const mf_config *c, MPI_Comm comm, mf_roiset *set, mf_rois_summary *sum) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    mf_err e = {{0}};
    int failed = 0;
    if (rank == 0) {
        char dir[MF_PATH_MAX];
        mf_config_data_path(c, c->data.released, dir, sizeof dir);
        mf_released_roi *r = NULL;
        int n = 0;
        failed = mf_released_read(dir, &r, &n, &e);
        if (!failed && c->rois.size != 120)
            failed = mf_fail(&e, "%s: the released ROIs are 120x120; rois.size is %d", dir, c->rois.size);
        if (!failed && mf_roiset_alloc(set, n, 120)) failed = mf_fail(&e, "out of memory");
        for (int i = 0; !failed && i < n; i++) {
            mf_roi_meta *m = &set->meta[i];
            m->label = (uint8_t)r[i].label;
            m->cls = r[i].label ? MF_CLASS_TUMOR : MF_CLASS_NORMAL;
            m->severity = r[i].label ? 'T' : 'N';
            memcpy(m->abnormality, r[i].label ? "TUMR" : "NORM", 4);
            m->split = (uint8_t)r[i].split;
            m->info_line = r[i].k;
            memcpy(set->images + (size_t)i * 14400, r[i].img.px, 14400);
        }
        sum->images = n;
        sum->skipped_rows = 0;
        mf_released_free(r, n);
    }
    return mf_any_failed(comm, failed, &e) ? -1 : 0;
}

int mf_rois_build(const mf_config *c, MPI_Comm comm, mf_roiset *set, mf_rois_summary *sum) {
    memset(set, 0, sizeof *set);
    memset(sum, 0, sizeof *sum);
    if (c->data.source == MF_SOURCE_RELEASED) return build_from_released(c, comm, set, sum);
    return build_from_images(c, comm, set, sum);
}
