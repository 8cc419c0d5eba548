/* imresize.c: see imresize.h. Mirrors imresize.m's contributions() and
 * resizeAlongDim(): weights and indices per output position, then one
 * weighted sum per output sample, in the same order MATLAB adds them. */
#include "core/imresize.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static double cubic(double x) {
    double a = fabs(x), a2 = a * a, a3 = a2 * a;
    return (1.5 * a3 - 2.5 * a2 + 1) * (a <= 1) +
           (-0.5 * a3 + 2.5 * a2 - 4 * a + 2) * ((1 < a) && (a <= 2));
}

/* One axis: for each of nout outputs, P weights and 0-based input indices. */
typedef struct axis_plan {
    int P;
    double *wt; /* [nout][P] */
    int *idx;   /* [nout][P] */
} axis_plan;

static int plan_axis(int nin, int nout, axis_plan *ap) {
    const double scale = (double)nout / nin;
    const int aa = scale < 1;
    const double kw = aa ? 4.0 / scale : 4.0;
    ap->P = (int)ceil(kw) + 2;
    ap->wt = malloc(sizeof(double) * (size_t)nout * ap->P);
    ap->idx = malloc(sizeof(int) * (size_t)nout * ap->P);
    if (!ap->wt || !ap->idx) return -1;
    for (int x = 1; x <= nout; x++) {
        double u = x / scale + 0.5 * (1 - 1 / scale);
        double left = floor(u - kw / 2);
        double *w = ap->wt + (size_t)(x - 1) * ap->P;
        int *id = ap->idx + (size_t)(x - 1) * ap->P;
        double sum = 0;
        for (int k = 0; k < ap->P; k++) {
            double j = left + k; /* 1-based input position */
            double d = u - j;
            w[k] = aa ? scale * cubic(scale * d) : cubic(d);
            sum += w[k];
            /* aux = [1:n, n:-1:1], indexed cyclically: symmetric mirroring */
            long p = 2L * nin, m = ((long)j - 1) % p;
            if (m < 0) m += p;
            id[k] = (int)(m < nin ? m : p - 1 - m);
        }
        for (int k = 0; k < ap->P; k++) w[k] /= sum;
    }
    return 0;
}

static void free_plan(axis_plan *ap) {
    free(ap->wt);
    free(ap->idx);
}

static uint8_t to_u8(double s) {
    if (!(s > 0)) return 0;
    if (s >= 255) return 255;
    return (uint8_t)round(s); /* MATLAB's cast: half away from zero */
}

/* Resizes along rows (dim 1: h -> nh) or columns (dim 2: w -> nw). */
static void apply_rows(const uint8_t *in, int h, int w, const axis_plan *ap, int nh, uint8_t *out) {
    for (int y = 0; y < nh; y++) {
        const double *wt = ap->wt + (size_t)y * ap->P;
        const int *id = ap->idx + (size_t)y * ap->P;
        for (int c = 0; c < w; c++) {
            double s = 0;
            for (int k = 0; k < ap->P; k++) s += wt[k] * in[(size_t)id[k] * w + c];
            out[(size_t)y * w + c] = to_u8(s);
        }
    }
    (void)h;
}

static void apply_cols(const uint8_t *in, int h, int w, const axis_plan *ap, int nw, uint8_t *out) {
    for (int r = 0; r < h; r++) {
        const uint8_t *row = in + (size_t)r * w;
        for (int x = 0; x < nw; x++) {
            const double *wt = ap->wt + (size_t)x * ap->P;
            const int *id = ap->idx + (size_t)x * ap->P;
            double s = 0;
            for (int k = 0; k < ap->P; k++) s += wt[k] * row[id[k]];
            out[(size_t)r * nw + x] = to_u8(s);
        }
    }
}

int mf_imresize_bicubic(const mf_img8 *in, mf_img8 *out, mf_err *e) {
    const int h = in->h, w = in->w, nh = out->h, nw = out->w;
    if (h < 1 || w < 1 || nh < 1 || nw < 1)
        return mf_fail(e, "imresize: empty size (%d x %d -> %d x %d)", h, w, nh, nw);
    axis_plan pr = {0}, pc = {0};
    uint8_t *mid = NULL;
    int rc = -1;
    /* sort(scale) is stable: rows first unless columns shrink more */
    const int cols_first = (double)nw / w < (double)nh / h;
    if (plan_axis(h, nh, &pr) || plan_axis(w, nw, &pc)) goto done;
    if (cols_first) {
        if (!(mid = malloc((size_t)h * nw))) goto done;
        apply_cols(in->px, h, w, &pc, nw, mid);
        apply_rows(mid, h, nw, &pr, nh, out->px);
    } else {
        if (!(mid = malloc((size_t)nh * w))) goto done;
        apply_rows(in->px, h, w, &pr, nh, mid);
        apply_cols(mid, nh, w, &pc, nw, out->px);
    }
    rc = 0;
done:
    free(mid);
    free_plan(&pr);
    free_plan(&pc);
    if (rc) return mf_fail(e, "imresize: out of memory (%d x %d -> %d x %d)", h, w, nh, nw);
    return 0;
}
