/* report_plots.c: see report_plots.h. Each plot is a frame (core/svg_path.h)
 * with grid lines, tick labels and axis titles, the curves as paths and the
 * legend below the frame, so legends never cover a curve. */
#include "io/report_plots.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/bootstrap.h"
#include "core/strbuf.h"
#include "core/svg_path.h"

static const char *const colours[] = {"#1f77b4", "#e6550d", "#7b3294", "#2ca02c"};

const char *mf_plot_colour(int k) { return colours[k & 3]; }

const char *mf_plot_score_label(const char *score_name) {
    if (!strcmp(score_name, "vote")) return "hard vote";
    if (!strcmp(score_name, "vote_fraction")) return "vote fraction";
    if (!strcmp(score_name, "mean_p_tumor")) return "mean P(Tumor)";
    return score_name;
}

/* Decimals that show a tick step exactly (0.2 -> 1, 0.05 -> 2, 5 -> 0). */
static int step_digits(double step) {
    int d = (int)-floor(log10(step) + 1e-9);
    return d < 0 ? 0 : d;
}

static void axis_ticks(FILE *f, const mf_frame *fr, int vertical, double step) {
    double lo = vertical ? fr->ymin : fr->xmin, hi = vertical ? fr->ymax : fr->xmax;
    int d = step_digits(step);
    long k0 = (long)ceil(lo / step - 1e-9), k1 = (long)floor(hi / step + 1e-9);
    for (long k = k0; k <= k1; k++) {
        double v = (double)k * step;
        if (k == 0) v = 0; /* never "-0.0" */
        if (vertical) {
            double y = mf_frame_y(fr, v);
            fprintf(f, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>", fr->left, y,
                    fr->left + fr->width, y);
            fprintf(f, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\" dy=\"0.32em\">%.*f</text>\n",
                    fr->left - 6, y, d, v);
        } else {
            double x = mf_frame_x(fr, v);
            fprintf(f, "<line class=\"grid\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>", x, fr->top, x,
                    fr->top + fr->height);
            fprintf(f, "<text class=\"tick\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%.*f</text>\n", x,
                    fr->top + fr->height + 16, d, v);
        }
    }
}

/* Frame, grid, ticks and the axis titles. */
static void axes(FILE *f, const mf_frame *fr, double xstep, double ystep, const char *xlabel, const char *ylabel) {
    fprintf(f, "<rect class=\"plot\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>\n", fr->left, fr->top,
            fr->width, fr->height);
    axis_ticks(f, fr, 0, xstep);
    axis_ticks(f, fr, 1, ystep);
    fprintf(f, "<text class=\"axis\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">%s</text>\n",
            fr->left + fr->width / 2, fr->top + fr->height + 36, xlabel);
    fprintf(f, "<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(%.2f %.2f) rotate(-90)\">%s</text>\n",
            fr->left - 40, fr->top + fr->height / 2, ylabel);
}

static void path(FILE *f, const mf_strbuf *b, const char *cls, const char *colour) {
    if (!b->len) return;
    fprintf(f, "<path class=\"%s\" style=\"%s:%s\" d=\"%s\"/>\n", cls, strcmp(cls, "band") ? "stroke" : "fill", colour,
            mf_sb_str(b));
}

/* Score k's curve: drawn in score order, each thinner than the one before,
 * so a curve that coincides with an earlier one (e.g. two perfect scores)
 * leaves the earlier colour visible at its sides. */
static void score_path(FILE *f, const mf_strbuf *b, int k) {
    if (!b->len) return;
    fprintf(f, "<path class=\"curve\" style=\"stroke:%s;stroke-width:%.1f\" d=\"%s\"/>\n", mf_plot_colour(k),
            4.0 - 1.1 * k, mf_sb_str(b));
}

/* One legend line at row i below the frame: a swatch and the text. */
static void legend_line(FILE *f, const mf_frame *fr, int i, const char *colour, const char *dash, const char *text) {
    double y = fr->top + fr->height + 56 + 17 * i;
    fprintf(f, "<line class=\"curve\" style=\"stroke:%s%s\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>", colour,
            dash, fr->left, y, fr->left + 22, y);
    fprintf(f, "<text class=\"legend\" x=\"%.2f\" y=\"%.2f\" dy=\"0.32em\">%s</text>\n", fr->left + 28, y, text);
}

/* "AUC 0.912 [0.850, 0.970]" (no interval without a bootstrap). */
static void fig_text(char *buf, size_t len, const char *what, const mf_eval_level *L, int fig) {
    double v = mf_eval_figure(L, fig);
    int n = isnan(v) ? snprintf(buf, len, "%s n/a", what) : snprintf(buf, len, "%s %.3f", what, v);
    if (L->has_ci && !isnan(L->ci[fig].lo) && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " [%.3f, %.3f]", L->ci[fig].lo, L->ci[fig].hi);
}

static void band_note(FILE *f, const mf_frame *fr, int row, const mf_eval_level *L, const mf_curve_band *bands) {
    if (!bands || !L->has_ci) return;
    char t[200];
    snprintf(t, sizeof t, "shaded: %g%% bootstrap band (%d stratified resamples)", 100 * L->confidence, L->B);
    fprintf(f, "<text class=\"legend note\" x=\"%.2f\" y=\"%.2f\" dy=\"0.32em\">%s</text>\n", fr->left,
            fr->top + fr->height + 56 + 17 * row, t);
}

/* The PR step curve of c (metrics.h's order is recall decreasing: reversed). */
static void pr_curve(FILE *f, const mf_frame *fr, const mf_curves *c, int k) {
    double *r = malloc((size_t)(c->pr_n ? c->pr_n : 1) * sizeof(double));
    double *p = malloc((size_t)(c->pr_n ? c->pr_n : 1) * sizeof(double));
    if (r && p) {
        for (int i = 0; i < c->pr_n; i++) {
            r[i] = c->pr_recall[c->pr_n - 1 - i];
            p[i] = c->pr_precision[c->pr_n - 1 - i];
        }
        mf_strbuf b = {0};
        mf_path_steps(&b, fr, c->pr_n, r, p);
        score_path(f, &b, k);
        mf_sb_free(&b);
    }
    free(r);
    free(p);
}

static const mf_frame curve_frame = {64, 16, 320, 320, 0, 1, 0, 1};

static void open_svg(FILE *f, const char *id, double w, double h, const char *title) {
    fprintf(f, "<svg id=\"%s\" class=\"chart\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">"
               "<title>%s</title>\n",
            id, w, h, w, h, title);
}

static void grid_x(int m, double *x) {
    for (int k = 0; k < m; k++) x[k] = (double)k / (double)(m - 1);
}

/* The shaded bootstrap band of every score: ROC (pr 0) or PR (pr 1). */
static void draw_bands(FILE *f, const mf_frame *fr, int nscores, const mf_curve_band *bands, int pr) {
    double x[MF_BAND_POINTS];
    mf_strbuf b = {0};
    for (int k = 0; bands && k < nscores; k++) {
        if (bands[k].m > MF_BAND_POINTS) continue;
        grid_x(bands[k].m, x);
        mf_path_band(&b, fr, bands[k].m, x, pr ? bands[k].pr_lo : bands[k].roc_lo,
                     pr ? bands[k].pr_hi : bands[k].roc_hi);
        path(f, &b, "band", mf_plot_colour(k));
        mf_sb_free(&b);
    }
}

void mf_plot_roc(FILE *f, const mf_eval_level *L, const mf_curve_band *bands) {
    const mf_frame *fr = &curve_frame;
    open_svg(f, "roc", 430, fr->top + fr->height + 56 + 17 * (L->nscores + 1) + 8, "ROC curves, ROI level");
    axes(f, fr, 0.2, 0.2, "false positive rate (1 - Normal recall)", "true positive rate (Tumor recall)");
    double dx[2] = {0, 1};
    mf_strbuf b = {0};
    mf_path_polyline(&b, fr, 2, dx, dx);
    fprintf(f, "<path class=\"chance\" d=\"%s\"/>\n", mf_sb_str(&b));
    mf_sb_free(&b);
    draw_bands(f, fr, L->nscores, bands, 0);
    for (int k = 0; k < L->nscores; k++) {
        const mf_curves *c = &L->curves[k];
        mf_path_polyline(&b, fr, c->roc_n, c->roc_fpr, c->roc_tpr);
        score_path(f, &b, k);
        mf_sb_free(&b);
        char t[160], a[96];
        fig_text(a, sizeof a, "AUC", L, MF_FIG_AUC(k));
        snprintf(t, sizeof t, "%s: %s", mf_plot_score_label(L->score_name[k]), a);
        legend_line(f, fr, k, mf_plot_colour(k), "", t);
    }
    band_note(f, fr, L->nscores, L, bands);
    fputs("</svg>\n", f);
}

void mf_plot_pr(FILE *f, const mf_eval_level *L, const mf_curve_band *bands) {
    const mf_frame *fr = &curve_frame;
    open_svg(f, "pr", 430, fr->top + fr->height + 56 + 17 * (L->nscores + 2) + 8, "Precision-recall curves, ROI level");
    axes(f, fr, 0.2, 0.2, "recall (Tumor)", "precision (Tumor)");
    mf_strbuf b = {0};
    int P = L->curves[0].npos, N = L->curves[0].nneg;
    if (P + N > 0) {
        double px[2] = {0, 1}, py[2] = {(double)P / (P + N), (double)P / (P + N)};
        mf_path_polyline(&b, fr, 2, px, py);
        fprintf(f, "<path class=\"chance\" d=\"%s\"/>\n", mf_sb_str(&b));
        mf_sb_free(&b);
    }
    draw_bands(f, fr, L->nscores, bands, 1);
    for (int k = 0; k < L->nscores; k++) {
        const mf_curves *c = &L->curves[k];
        pr_curve(f, fr, c, k);
        char t[160], a[96];
        fig_text(a, sizeof a, "AP", L, MF_FIG_AP(k));
        snprintf(t, sizeof t, "%s: %s", mf_plot_score_label(L->score_name[k]), a);
        legend_line(f, fr, k, mf_plot_colour(k), "", t);
    }
    char t[96];
    snprintf(t, sizeof t, "dashed: Tumor prevalence %d/%d", P, P + N);
    legend_line(f, fr, L->nscores, "#888", ";stroke-dasharray:4 3", t);
    band_note(f, fr, L->nscores + 1, L, bands);
    fputs("</svg>\n", f);
}

/* Training curves: one panel per figure pair. */
typedef struct panel {
    const char *title, *ylabel;
    int col_a, col_b; /* mf_history_row fields by index: 0 loss, 1 accuracy, 2 val_loss, 3 val_accuracy */
} panel;

static double hval(const mf_history_row *r, int c) {
    return c == 0 ? r->loss : c == 1 ? r->accuracy : c == 2 ? r->val_loss : r->val_accuracy;
}

static void training_panel(FILE *f, const mf_history *h, const panel *p, double left, int mark_epoch) {
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < h->n; i++)
        for (int j = 0; j < 2; j++) {
            double v = hval(&h->rows[i], j ? p->col_b : p->col_a);
            if (isfinite(v)) {
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
        }
    if (!(lo <= hi)) lo = 0, hi = 1;
    double pad = hi > lo ? 0.08 * (hi - lo) : 0.05;
    mf_frame fr = {left, 30, 320, 220, h->n > 1 ? 1 : 0.5, h->n > 1 ? h->n : 1.5, lo - pad, hi + pad};
    double xstep = h->n > 1 ? mf_tick_step(h->n - 1, 6) : 1;
    if (xstep < 1) xstep = 1;
    fprintf(f, "<text class=\"ptitle\" x=\"%.2f\" y=\"18\">%s</text>\n", left, p->title);
    axes(f, &fr, xstep, mf_tick_step(fr.ymax - fr.ymin, 5), "epoch", p->ylabel);
    if (mark_epoch >= 1 && mark_epoch <= h->n) {
        double x = mf_frame_x(&fr, mark_epoch);
        fprintf(f, "<line class=\"mark\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", x, fr.top, x,
                fr.top + fr.height);
    }
    double *x = malloc((size_t)h->n * sizeof(double)), *y = malloc((size_t)h->n * sizeof(double));
    for (int j = 0; x && y && j < 2; j++) {
        int col = j ? p->col_b : p->col_a;
        for (int i = 0; i < h->n; i++) {
            x[i] = h->rows[i].epoch;
            y[i] = hval(&h->rows[i], col);
        }
        mf_strbuf b = {0};
        mf_path_polyline(&b, &fr, h->n, x, y);
        fprintf(f, "<path class=\"curve%s\" style=\"stroke:%s\" d=\"%s\"/>\n", j ? " val" : "", mf_plot_colour(j ? 1 : 0),
                mf_sb_str(&b));
        mf_sb_free(&b);
        for (int i = 0; i < h->n; i++)
            if (isfinite(y[i]))
                fprintf(f, "<circle r=\"2.5\" style=\"fill:%s\" cx=\"%.2f\" cy=\"%.2f\"/>", mf_plot_colour(j ? 1 : 0),
                        mf_frame_x(&fr, x[i]), mf_frame_y(&fr, y[i]));
        fputc('\n', f);
    }
    free(x);
    free(y);
    static const char *const names[] = {"loss", "accuracy", "val_loss", "val_accuracy"};
    legend_line(f, &fr, 0, mf_plot_colour(0), "", names[p->col_a]);
    legend_line(f, &fr, 1, mf_plot_colour(1), ";stroke-dasharray:6 3", names[p->col_b]);
    if (mark_epoch >= 1 && mark_epoch <= h->n) {
        char t[64];
        snprintf(t, sizeof t, "dotted: the evaluated model (epoch %d)", mark_epoch);
        legend_line(f, &fr, 2, "#555", ";stroke-dasharray:2 3", t);
    }
}

void mf_plot_training(FILE *f, const mf_history *h, int mark_epoch) {
    static const panel panels[2] = {{"Loss (categorical cross-entropy)", "loss", 0, 2},
                                    {"Patch accuracy", "accuracy", 1, 3}};
    open_svg(f, "training", 860, 30 + 220 + 56 + 17 * 3 + 4, "Training curves");
    training_panel(f, h, &panels[0], 70, mark_epoch);
    training_panel(f, h, &panels[1], 500, mark_epoch);
    fputs("</svg>\n", f);
}

void mf_plot_folds(FILE *f, int n, const double *value, double mean, const char *ylabel) {
    mf_frame fr = {64, 16, 24.0 * (n < 10 ? 10 : n), 220, -0.5, n - 0.5, 0, 1};
    open_svg(f, "folds", fr.left + fr.width + 20, fr.top + fr.height + 56 + 17 + 8, "Per-fold figure");
    axes(f, &fr, n <= 20 ? 1.0 : mf_tick_step(n, 10), 0.2, "fold", ylabel);
    for (int k = 0; k < n; k++)
        if (!isnan(value[k]))
            fprintf(f, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4\" style=\"fill:%s\"/>\n", mf_frame_x(&fr, k),
                    mf_frame_y(&fr, value[k]), mf_plot_colour(0));
    if (!isnan(mean)) {
        fprintf(f, "<line class=\"mark\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\"/>\n", fr.left,
                mf_frame_y(&fr, mean), fr.left + fr.width, mf_frame_y(&fr, mean));
        char t[96];
        snprintf(t, sizeof t, "dotted: the mean across folds, %.3f", mean);
        legend_line(f, &fr, 0, "#555", ";stroke-dasharray:2 3", t);
    }
    fputs("</svg>\n", f);
}
