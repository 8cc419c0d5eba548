/* predictions_csv.c: see predictions_csv.h. */
#include "io/predictions_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/readall.h"

static const char *const header = "roi,image_id,class,label,votes,patches,vote_fraction,mean_p_tumor,prediction,correct";
static const char *const class_names[] = {"normal", "benign", "malignant", "tumor"};

/* The next comma-separated field of *p (up to ',' or the end of the line). */
static void field(char **p, char *out, size_t len) {
    size_t u = 0;
    while (**p && **p != ',' && **p != '\n' && **p != '\r') {
        if (u + 1 < len) out[u++] = **p;
        (*p)++;
    }
    out[u] = 0;
    if (**p == ',') (*p)++;
}

static int to_long(const char *s, long *v) {
    char *end;
    *v = strtol(s, &end, 10);
    return s[0] && !*end ? 0 : -1;
}

static int to_double(const char *s, double *v) {
    char *end;
    *v = strtod(s, &end);
    return s[0] && !*end ? 0 : -1;
}

static int parse_row(char **p, mf_eval_roi *q) {
    char f[10][64];
    for (int i = 0; i < 10; i++) field(p, f[i], sizeof f[i]);
    long roi, label = -1, votes, patches, pred, img = 0;
    if (to_long(f[0], &roi) || roi < 0) return 1;
    if (f[1][0] && (strncmp(f[1], "mdb", 3) || to_long(f[1] + 3, &img))) return 2;
    q->cls = -1;
    for (int c = 0; c < 4; c++)
        if (!strcmp(f[2], class_names[c])) q->cls = c;
    if (f[2][0] && q->cls < 0) return 3;
    if (f[3][0] && (to_long(f[3], &label) || label < 0 || label > 1)) return 4;
    if (to_long(f[4], &votes) || votes < 0) return 5;
    if (to_long(f[5], &patches) || patches < 1 || votes > patches) return 6;
    if (to_double(f[6], &q->vote_fraction)) return 7;
    if (to_double(f[7], &q->mean_p_tumor)) return 8;
    if (to_long(f[8], &pred) || pred < 0 || pred > 1) return 9;
    q->roi = (int32_t)roi;
    q->image_id = (int32_t)img;
    q->label = (int32_t)label;
    q->votes = (int32_t)votes;
    q->patches = (int32_t)patches;
    q->pred = (int32_t)pred;
    return 0;
}

int mf_predictions_read(const char *path, mf_eval_roi **rois, int *n, mf_err *e) {
    *rois = NULL;
    *n = 0;
    unsigned char *buf;
    size_t len;
    if (mf_read_all(path, &buf, &len, e)) return -1;
    char *p = (char *)buf;
    size_t hl = strlen(header);
    if (strncmp(p, header, hl) || (p[hl] != '\n' && p[hl] != '\r')) {
        free(buf);
        return mf_fail(e, "%s: line 1: expected the header '%s'", path, header);
    }
    int lines = 0;
    for (char *s = p; *s; s++) lines += *s == '\n';
    mf_eval_roi *out = calloc((size_t)(lines > 0 ? lines : 1), sizeof *out);
    if (!out) {
        free(buf);
        return mf_fail(e, "%s: out of memory for %d rows", path, lines);
    }
    p = strchr(p, '\n') + 1;
    int m = 0, line = 1;
    static const char *const cols[] = {"", "roi", "image_id", "class", "label", "votes", "patches", "vote_fraction",
                                       "mean_p_tumor", "prediction"};
    while (*p) {
        line++;
        if (*p == '\n') {
            p++;
            continue;
        }
        int bad = parse_row(&p, &out[m]);
        if (bad) {
            free(out);
            free(buf);
            return mf_fail(e, "%s: line %d: column '%s': expected a valid value", path, line, cols[bad]);
        }
        m++;
        char *nl = strchr(p, '\n');
        p = nl ? nl + 1 : p + strlen(p);
    }
    free(buf);
    *rois = out;
    *n = m;
    return 0;
}

int mf_predictions_level(const mf_eval_roi *rois, int n, int B, unsigned long long seed, double confidence,
                         mf_eval_level *L, double **scores, mf_err *e) {
    if (n < 1) return mf_fail(e, "no ROI predictions");
    int32_t *lab = malloc((size_t)n * sizeof(int32_t)), *pred = malloc((size_t)n * sizeof(int32_t));
    double *sc = malloc((size_t)n * 3 * sizeof(double));
    int rc = 0;
    if (!lab || !pred || !sc) rc = mf_fail(e, "out of memory for %d ROI predictions", n);
    for (int i = 0; !rc && i < n; i++) {
        if (rois[i].label < 0) rc = mf_fail(e, "ROI %d: no label: figures need the truth", rois[i].roi);
        lab[i] = rois[i].label;
        pred[i] = rois[i].pred;
        sc[i] = rois[i].pred;
        sc[n + i] = rois[i].vote_fraction;
        sc[2 * n + i] = rois[i].mean_p_tumor;
    }
    static const char *const names[3] = {"vote", "vote_fraction", "mean_p_tumor"};
    const double *rs[3] = {sc, sc + n, sc + 2 * n};
    if (!rc) rc = mf_eval_level_compute(L, n, lab, pred, 3, names, rs, B, (uint64_t)seed, confidence, e);
    free(lab);
    free(pred);
    if (scores && !rc) *scores = sc;
    else free(sc);
    return rc;
}
