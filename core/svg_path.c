/* svg_path.c: see svg_path.h. */
#include "core/svg_path.h"

#include <math.h>

double mf_frame_x(const mf_frame *f, double x) { return f->left + (x - f->xmin) / (f->xmax - f->xmin) * f->width; }

double mf_frame_y(const mf_frame *f, double y) {
    return f->top + f->height - (y - f->ymin) / (f->ymax - f->ymin) * f->height;
}

double mf_tick_step(double span, int target) {
    double raw = span / (target > 0 ? target : 1);
    double p = pow(10, floor(log10(raw)));
    double m = raw / p;
    return (m <= 1.5 ? 1 : m <= 3.5 ? 2 : m <= 7.5 ? 5 : 10) * p;
}

static void point(mf_strbuf *b, const mf_frame *f, char op, double x, double y) {
    mf_sb_printf(b, "%c%.2f %.2f", op, mf_frame_x(f, x), mf_frame_y(f, y));
}

void mf_path_polyline(mf_strbuf *b, const mf_frame *f, int n, const double *x, const double *y) {
    int pen = 0;
    for (int i = 0; i < n; i++) {
        if (isnan(x[i]) || isnan(y[i])) {
            pen = 0;
            continue;
        }
        point(b, f, pen ? 'L' : 'M', x[i], y[i]);
        pen = 1;
    }
}

void mf_path_steps(mf_strbuf *b, const mf_frame *f, int n, const double *recall, const double *precision) {
    int pen = 0;
    double prev_r = 0;
    for (int i = 0; i < n; i++) {
        if (isnan(recall[i]) || isnan(precision[i])) {
            pen = 0;
            continue;
        }
        if (pen) point(b, f, 'L', prev_r, precision[i]);
        point(b, f, pen ? 'L' : 'M', recall[i], precision[i]);
        prev_r = recall[i];
        pen = 1;
    }
}

void mf_path_band(mf_strbuf *b, const mf_frame *f, int m, const double *x, const double *lo, const double *hi) {
    int first = 1, any = 0;
    for (int k = 0; k < m; k++) {
        if (isnan(lo[k]) || isnan(hi[k])) continue;
        point(b, f, first ? 'M' : 'L', x[k], hi[k]);
        first = 0;
        any = 1;
    }
    for (int k = m - 1; k >= 0; k--)
        if (!isnan(lo[k]) && !isnan(hi[k])) point(b, f, 'L', x[k], lo[k]);
    if (any) mf_sb_printf(b, "Z");
}
