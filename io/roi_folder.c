/* roi_folder.c: see roi_folder.h. File names are matched exactly
 * ("Normal (12).png": one blank, k >= 1 without leading zeros) so that stray
 * files (Thumbs.db, copies such as "Normal (1) - Copy.png") are ignored
 * rather than misread, and the order is numeric (k = 2 before k = 10), not
 * the directory's. */
#include "io/roi_folder.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/png_io.h"

enum { ROI_SIDE = 120 };

static const char *const split_names[3] = {"train", "val", "test"};
static const char *const label_names[2] = {"Normal", "Tumor"};

/* Label (0/1) and k of "Normal (k).png" / "Tumor (k).png", or -1. */
static int parse_name(const char *name, int *k) {
    for (int label = 0; label < 2; label++) {
        size_t pl = strlen(label_names[label]);
        if (strncmp(name, label_names[label], pl) || strncmp(name + pl, " (", 2)) continue;
        const char *d = name + pl + 2;
        if (*d < '1' || *d > '9') return -1;
        long v = 0;
        while (*d >= '0' && *d <= '9' && v < 100000000) v = v * 10 + (*d++ - '0');
        if (strcmp(d, ").png")) return -1;
        *k = (int)v;
        return label;
    }
    return -1;
}

static int cmp_roi(const void *a, const void *b) {
    const mf_released_roi *x = a, *y = b;
    if (x->split != y->split) return x->split - y->split;
    if (x->label != y->label) return x->label - y->label;
    return (x->k > y->k) - (x->k < y->k);
}

/* Appends the matching names of dir/<split> (pixels not read yet). */
static int list_split(const char *dir, int split, mf_released_roi **v, int *n, int *cap, mf_err *e) {
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", dir, split_names[split]);
    DIR *d = opendir(sub);
    if (!d) return mf_fail(e, "%s: cannot open the %s folder: %s", sub, split_names[split], strerror(errno));
    int found = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        int k, label = parse_name(de->d_name, &k);
        if (label < 0) continue;
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 256;
            mf_released_roi *nv = realloc(*v, sizeof **v * (size_t)*cap);
            if (!nv) {
                closedir(d);
                return mf_fail(e, "%s: out of memory", sub);
            }
            *v = nv;
        }
        mf_released_roi *r = &(*v)[(*n)++];
        memset(r, 0, sizeof *r);
        r->split = split;
        r->label = label;
        r->k = k;
        found++;
    }
    closedir(d);
    if (!found)
        return mf_fail(e, "%s: expected files \"Normal (k).png\" or \"Tumor (k).png\", found none", sub);
    return 0;
}

int mf_released_read(const char *dir, mf_released_roi **rois, int *n, mf_err *e) {
    *rois = NULL;
    *n = 0;
    mf_released_roi *v = NULL;
    int cnt = 0, cap = 0;
    for (int s = 0; s < 3; s++)
        if (list_split(dir, s, &v, &cnt, &cap, e)) {
            free(v);
            return -1;
        }
    qsort(v, (size_t)cnt, sizeof *v, cmp_roi);
    for (int i = 0; i < cnt; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s/%s (%d).png", dir, split_names[v[i].split],
                 label_names[v[i].label], v[i].k);
        int bad = mf_png_read_gray(path, &v[i].img, e);
        if (!bad && (v[i].img.h != ROI_SIDE || v[i].img.w != ROI_SIDE)) {
            bad = mf_fail(e, "%s: expected %dx%d pixels, found %dx%d (width x height)", path, ROI_SIDE,
                          ROI_SIDE, v[i].img.w, v[i].img.h);
            mf_img8_free(&v[i].img);
        }
        if (bad) {
            mf_released_free(v, i); /* ROIs 0..i-1 and the array; ROI i freed above */
            return -1;
        }
    }
    *rois = v;
    *n = cnt;
    return 0;
}

void mf_released_free(mf_released_roi *rois, int n) {
    if (!rois) return;
    for (int i = 0; i < n; i++) mf_img8_free(&rois[i].img);
    free(rois);
}
