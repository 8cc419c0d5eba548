/* predict_inputs.c: see predict_inputs.h. */
#include "jobs/predict_inputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/imresize.h"
#include "io/pgm.h"
#include "io/png_io.h"
#include "jobs/rois_build.h"
#include "mpi/report.h"

enum { IN_FILE = 0, IN_FOLDER = 1 };

/* An image file as an 8-bit gray ROI of side size; the kind is told by the
 * first bytes (PNG signature, or P5/P2), never by the name. */
static int read_roi_file(const char *path, int size, mf_img8 *out, mf_err *e) {
    unsigned char head[26] = {0};
    FILE *f = fopen(path, "rb");
    if (!f) return mf_fail(e, "%s: cannot open (expected a PNG or PGM ROI image, or a MIAS folder)", path);
    size_t got = fread(head, 1, sizeof head, f);
    fclose(f);
    mf_img8 img = {0};
    static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (got >= 8 && !memcmp(head, png_sig, 8)) {
        /* IHDR: bit depth at byte 24, colour type at byte 25 (0 = gray) */
        if (got < 26 || head[24] != 8 || head[25] != 0)
            return mf_fail(e, "%s: expected an 8-bit gray PNG, found bit depth %d, colour type %d", path,
                           got < 26 ? -1 : head[24], got < 26 ? -1 : head[25]);
        if (mf_png_read_gray(path, &img, e)) return -1;
    } else if (got >= 2 && head[0] == 'P' && (head[1] == '5' || head[1] == '2')) {
        if (mf_pgm_read(path, &img, e)) return -1;
    } else
        return mf_fail(e, "%s: not an image: expected a PNG (8-bit gray) or PGM (P5/P2) ROI, or a MIAS folder", path);
    if (img.h == size && img.w == size) {
        *out = img;
        return 0;
    }
    int rc = mf_img8_alloc(out, size, size) ? mf_fail(e, "%s: out of memory", path) : mf_imresize_bicubic(&img, out, e);
    mf_img8_free(&img);
    if (rc) mf_img8_free(out);
    return rc;
}

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The config that makes `rois` cut the MIAS folder dir. */
static int folder_config(const mf_config *c, const char *dir, mf_config *fc, mf_err *e) {
    *fc = *c;
    fc->data.source = MF_SOURCE_MIAS;
    fc->data.limit_images = 0;
    if (strlen(dir) >= sizeof fc->data.root) return mf_fail(e, "%s: path too long", dir);
    strcpy(fc->data.root, dir);
    strcpy(fc->data.mias, ".");
    strcpy(fc->data.info, "Info.txt");
    return 0;
}

/* Appends the n ROIs of src (truth from their labels, or -1) to p. */
static int append(mf_pred_set *p, const mf_roiset *src, int known, int input) {
    int n0 = p->s.n, n = n0 + src->n, S = p->s.size;
    uint8_t *img = realloc(p->s.images, (size_t)(n ? n : 1) * (size_t)S * (size_t)S);
    if (img) p->s.images = img;
    mf_roi_meta *meta = realloc(p->s.meta, (size_t)(n ? n : 1) * sizeof *meta);
    if (meta) p->s.meta = meta;
    int *truth = realloc(p->truth, (size_t)(n ? n : 1) * sizeof(int));
    if (truth) p->truth = truth;
    int *in = realloc(p->input, (size_t)(n ? n : 1) * sizeof(int));
    if (in) p->input = in;
    if (!img || !meta || !truth || !in) return -1;
    memcpy(p->s.images + (size_t)n0 * S * S, src->images, (size_t)src->n * S * S);
    memcpy(p->s.meta + n0, src->meta, (size_t)src->n * sizeof *meta);
    for (int i = 0; i < src->n; i++) {
        p->truth[n0 + i] = known ? src->meta[i].label : -1;
        p->input[n0 + i] = input;
    }
    p->s.n = n;
    return 0;
}

void mf_pred_set_free(mf_pred_set *p) {
    mf_roiset_free(&p->s);
    free(p->truth);
    free(p->input);
    memset(p, 0, sizeof *p);
}

int mf_predict_inputs(const mf_config *c, char *const *inputs, int n, MPI_Comm comm, mf_pred_set *p) {
    int rank;
    MPI_Comm_rank(comm, &rank);
    memset(p, 0, sizeof *p);
    p->s.size = c->rois.size;
    mf_err e = {{0}};
    int failed = 0;
    int *kind = calloc((size_t)(n ? n : 1), sizeof(int));
    mf_img8 *imgs = calloc((size_t)(n ? n : 1), sizeof *imgs);
    if (!kind || !imgs) failed = mf_fail(&e, "predict: out of memory for %d inputs", n);
    /* Rank 0 checks every input before anything is cut: a bad one fails alone. */
    for (int i = 0; rank == 0 && !failed && i < n; i++) {
        if (is_dir(inputs[i])) {
            char info[MF_PATH_MAX + 16];
            snprintf(info, sizeof info, "%s/Info.txt", inputs[i]);
            kind[i] = IN_FOLDER;
            if (!is_file(info))
                failed = mf_fail(&e, "%s: a folder without Info.txt: expected a MIAS folder (mdbNNN.pgm and Info.txt)",
                                 inputs[i]);
        } else
            failed = read_roi_file(inputs[i], c->rois.size, &imgs[i], &e);
    }
    MPI_Bcast(kind, n, MPI_INT, 0, comm);
    int rc = mf_any_failed(comm, failed, &e) ? -1 : 0;
    for (int i = 0; !rc && i < n; i++) {
        if (kind[i] == IN_FOLDER) {
            mf_config fc;
            if (folder_config(c, inputs[i], &fc, &e)) failed = 1;
            if (mf_any_failed(comm, failed, &e)) {
                rc = -1;
                break;
            }
            mf_roiset s;
            mf_rois_summary sum;
            if (mf_rois_build(&fc, comm, &s, &sum)) {
                rc = -1; /* reported */
                break;
            }
            if (rank == 0 && append(p, &s, 1, i)) failed = mf_fail(&e, "predict: out of memory for the ROIs of %s", inputs[i]);
            mf_roiset_free(&s);
        } else if (rank == 0) {
            mf_roiset one = {1, c->rois.size, imgs[i].px, &(mf_roi_meta){0}};
            if (append(p, &one, 0, i)) failed = mf_fail(&e, "predict: out of memory for %s", inputs[i]);
        }
        if (mf_any_failed(comm, failed, &e)) rc = -1;
    }
    if (!rc && rank == 0 && p->s.n == 0) failed = mf_fail(&e, "predict: the inputs hold no ROI");
    if (!rc && mf_any_failed(comm, failed, &e)) rc = -1;
    for (int i = 0; imgs && i < n; i++) mf_img8_free(&imgs[i]);
    free(imgs);
    free(kind);
    if (rc) mf_pred_set_free(p);
    return rc;
}
