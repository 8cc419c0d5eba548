/* svg_path.h: the geometry of the report's plots (io/report_html.c): a
 * frame mapping data to SVG pixels (y up), round tick steps, and the path
 * data ("M x y L ...") of a polyline, a PR step curve and a band between two
 * curves. Coordinates are printed with two decimals, so the text is a
 * function of the numbers (byte-deterministic). NaN points are left out (a
 * polyline breaks there). Pure: text into a core/strbuf.h buffer. */
#ifndef MF_CORE_SVG_PATH_H
#define MF_CORE_SVG_PATH_H
#include "core/strbuf.h"

typedef struct mf_frame {
    double left, top, width, height; /* the plot area in pixels */
    double xmin, xmax, ymin, ymax;   /* the data it shows */
} mf_frame;

double mf_frame_x(const mf_frame *f, double x);
double mf_frame_y(const mf_frame *f, double y);

/* A round step (1, 2 or 5 times a power of ten) giving about `target`
 * intervals over span > 0. */
double mf_tick_step(double span, int target);

/* x[i], y[i], i < n, joined by straight segments. */
void mf_path_polyline(mf_strbuf *b, const mf_frame *f, int n, const double *x, const double *y);

/* The PR step curve: points (recall[i], precision[i]) sorted by increasing
 * recall; precision p[i] holds on (r[i-1], r[i]] (what AP integrates):
 * from each point up or down to the next precision, then across. */
void mf_path_steps(mf_strbuf *b, const mf_frame *f, int n, const double *recall, const double *precision);

/* The closed region between lo and hi over x[k], k < m (points where either
 * is NaN are left out). */
void mf_path_band(mf_strbuf *b, const mf_frame *f, int m, const double *x, const double *lo, const double *hi);

#endif
