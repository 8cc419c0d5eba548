/* cv_outputs.c: see cv_outputs.h. */
#include "io/cv_outputs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cv_folds.h"
#include "core/roiset.h"
#include "io/file_set.h"
#include "io/report_html.h"
#include "io/report_plots.h"

enum { F_CSV, F_PRED, F_MD, F_HTML, F_COUNT };
static const char *const file_names[F_COUNT] = {"cv.csv", "cv_predictions.csv", "cv.md", "cv.html"};
static const char *const class_names[] = {"normal", "benign", "malignant", "tumor"};
static const char *const fig_names[MF_CVF_COUNT] = {"accuracy",        "normal_recall",          "normal_precision",
                                                    "tumor_recall",    "tumor_precision",        "auc_vote_fraction",
                                                    "auc_mean_p_tumor"};
static const char *const fig_titles[MF_CVF_COUNT] = {"accuracy",    "N recall",          "N precision",
                                                     "T recall",    "T precision",       "AUC vote fraction",
                                                     "AUC mean P(Tumor)"};
/* The pooled figures shown, as core/bootstrap.h's figures. */
static const int pooled_figs[5] = {MF_FIG_NORMAL_RECALL, MF_FIG_NORMAL_PRECISION, MF_FIG_TUMOR_RECALL,
                                   MF_FIG_TUMOR_PRECISION, MF_FIG_ACCURACY};
static const char *const pooled_titles[5] = {"N recall", "N precision", "T recall", "T precision", "accuracy"};

static void cnum(FILE *f, double v) {
    if (isnan(v)) fputs("nan", f);
    else fprintf(f, "%.17g", v);
}

static void write_csv(FILE *f, const mf_cv_result *r) {
    fputs("fold,rois,normal,tumor,train_rois,val_rois", f);
    for (int k = 0; k < MF_CVF_COUNT; k++) fprintf(f, ",%s", fig_names[k]);
    fputc('\n', f);
    for (int i = 0; i < r->folds; i++) {
        const mf_cv_fold_sum *s = &r->fold[i];
        fprintf(f, "%d,%d,%d,%d,%d,%d", s->fold, s->nroi, s->nnormal, s->ntumor, s->ntrain, s->nval);
        for (int k = 0; k < MF_CVF_COUNT; k++) {
            fputc(',', f);
            cnum(f, s->fig[k]);
        }
        fputc('\n', f);
    }
}

static void write_pred(FILE *f, const mf_cv_result *r) {
    fputs("roi,image_id,class,label,votes,patches,vote_fraction,mean_p_tumor,prediction,correct,fold\n", f);
    for (int i = 0; i < r->nroi; i++) {
        const mf_eval_roi *q = &r->rois[i];
        fprintf(f, "%d,", q->roi);
        if (q->image_id > 0) fprintf(f, "mdb%03d", q->image_id);
        fprintf(f, ",%s,%d,%d,%d,", q->cls >= 0 && q->cls < 4 ? class_names[q->cls] : "", q->label, q->votes,
                q->patches);
        cnum(f, q->vote_fraction);
        fputc(',', f);
        cnum(f, q->mean_p_tumor);
        fprintf(f, ",%d,%d,%d\n", q->pred, q->pred == q->label, r->roi_fold[i]);
    }
}

static void fold_column(const mf_cv_result *r, int k, double *x) {
    for (int i = 0; i < r->folds; i++) x[i] = r->fold[i].fig[k];
}

/* "0.912 ± 0.041" (n/a when undefined) into buf. */
static void mean_sd_text(const mf_cv_result *r, int k, char *buf, size_t len) {
    double *x = malloc(sizeof(double) * (size_t)r->folds), mean = NAN, sd = NAN;
    int m = 0;
    if (x) {
        fold_column(r, k, x);
        mf_mean_sd(x, r->folds, &mean, &sd, &m);
    }
    free(x);
    if (isnan(mean)) snprintf(buf, len, "n/a");
    else if (isnan(sd)) snprintf(buf, len, "%.3f", mean);
    else snprintf(buf, len, "%.3f \xc2\xb1 %.3f", mean, sd);
    if (m < r->folds && m > 0) {
        size_t u = strlen(buf);
        snprintf(buf + u, len - u, " (%d folds)", m);
    }
}

static void fig3(char *buf, size_t len, double v) {
    if (isnan(v)) snprintf(buf, len, "n/a");
    else snprintf(buf, len, "%.3f", v);
}

/* "0.912 [0.850, 0.970]" of a pooled figure. */
static void pooled_text(const mf_eval_level *L, int fig, char *buf, size_t len) {
    double v = mf_eval_figure(L, fig);
    fig3(buf, len, v);
    if (L->has_ci) {
        size_t u = strlen(buf);
        if (isnan(L->ci[fig].lo)) snprintf(buf + u, len - u, " [n/a]");
        else snprintf(buf + u, len - u, " [%.3f, %.3f]", L->ci[fig].lo, L->ci[fig].hi);
    }
}

static void write_md(FILE *f, const mf_cv_result *r) {
    const mf_eval_level *L = r->pooled;
    char t[96];
    fprintf(f, "# Cross-validation: %d folds, %s, %d ROIs\n\n", r->folds, r->head, r->nroi);
    fputs("## Per fold (ROI level, majority vote)\n\n| fold | ROIs (N/T) | train/val ROIs |", f);
    for (int k = 0; k < MF_CVF_COUNT; k++) fprintf(f, " %s |", fig_titles[k]);
    fputs("\n| --- | --- | --- |", f);
    for (int k = 0; k < MF_CVF_COUNT; k++) fputs(" --- |", f);
    fputc('\n', f);
    for (int i = 0; i < r->folds; i++) {
        const mf_cv_fold_sum *s = &r->fold[i];
        fprintf(f, "| %d | %d (%d/%d) | %d/%d |", s->fold, s->nroi, s->nnormal, s->ntumor, s->ntrain, s->nval);
        for (int k = 0; k < MF_CVF_COUNT; k++) {
            fig3(t, sizeof t, s->fig[k]);
            fprintf(f, " %s |", t);
        }
        fputc('\n', f);
    }
    fputs("| mean \xc2\xb1 sd | | |", f);
    for (int k = 0; k < MF_CVF_COUNT; k++) {
        mean_sd_text(r, k, t, sizeof t);
        fprintf(f, " %s |", t);
    }
    fprintf(f, "\n\nsd: the sample standard deviation across folds (n - 1).\n\n## Pooled out-of-fold predictions "
               "(%d ROIs)\n\n| N recall | N precision | T recall | T precision | accuracy |\n| --- | --- | --- | --- | --- |\n|",
            L->n);
    for (int i = 0; i < 5; i++) {
        pooled_text(L, pooled_figs[i], t, sizeof t);
        fprintf(f, " %s |", t);
    }
    fputs("\n\n| ROI score | ROC AUC | AP |\n| --- | --- | --- |\n", f);
    for (int k = 0; k < L->nscores; k++) {
        char a[96], p[96];
        pooled_text(L, MF_FIG_AUC(k), a, sizeof a);
        pooled_text(L, MF_FIG_AP(k), p, sizeof p);
        fprintf(f, "| %s | %s | %s |\n", L->score_name[k], a, p);
    }
    if (L->has_ci)
        fprintf(f, "\n[lo, hi]: %g%% percentile interval over %d stratified bootstrap resamples of the pooled ROIs.\n",
                100 * L->confidence, L->B);
}

static void html_cell(FILE *f, const char *text) {
    fputs("<td>", f);
    mf_html_esc(f, text);
    fputs("</td>", f);
}

static void write_html(FILE *f, const mf_cv_result *r) {
    const mf_eval_level *L = r->pooled;
    char t[128];
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>mammofuse cross-validation: ",
          f);
    mf_html_esc(f, r->head);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", mf_report_css());
    fprintf(f, "<header><h1>Cross-validation: %d folds of women</h1>\n<table class=\"facts\">\n", r->folds);
    fputs("<tr><td><b>backbone</b></td><td>", f);
    mf_html_esc(f, r->arch ? r->arch : "?");
    fputs("</td></tr>\n<tr><td><b>head</b></td><td>", f);
    mf_html_esc(f, r->head);
    fprintf(f, "</td></tr>\n<tr><td><b>ROIs</b></td><td>%d (Normal %lld, Tumor %lld), each evaluated once, on its "
               "5x5 grid</td></tr>\n</table></header>\n",
            r->nroi, (long long)(L->conf.cm[0][0] + L->conf.cm[0][1]), (long long)(L->conf.cm[1][0] + L->conf.cm[1][1]));
    fputs("<section id=\"folds-table\"><h2>Per fold (ROI level, majority vote)</h2>\n<table id=\"per-fold\"><tr>"
          "<th class=\"k\">fold</th><th>ROIs (N/T)</th><th>train/val ROIs</th>",
          f);
    for (int k = 0; k < MF_CVF_COUNT; k++) fprintf(f, "<th>%s</th>", fig_titles[k]);
    fputs("</tr>\n", f);
    for (int i = 0; i < r->folds; i++) {
        const mf_cv_fold_sum *s = &r->fold[i];
        fprintf(f, "<tr><td class=\"k\">%d</td><td>%d (%d/%d)</td><td>%d/%d</td>", s->fold, s->nroi, s->nnormal,
                s->ntumor, s->ntrain, s->nval);
        for (int k = 0; k < MF_CVF_COUNT; k++) {
            fig3(t, sizeof t, s->fig[k]);
            html_cell(f, t);
        }
        fputs("</tr>\n", f);
    }
    fputs("<tr><th class=\"k\">mean &plusmn; sd</th><td></td><td></td>", f);
    for (int k = 0; k < MF_CVF_COUNT; k++) {
        mean_sd_text(r, k, t, sizeof t);
        html_cell(f, t);
    }
    fputs("</tr></table>\n<p class=\"note\">sd: the sample standard deviation across folds (n - 1).</p>\n", f);
    double *acc = malloc(sizeof(double) * (size_t)r->folds), mean = NAN, sd;
    int m;
    if (acc) {
        fold_column(r, MF_CVF_ACCURACY, acc);
        mf_mean_sd(acc, r->folds, &mean, &sd, &m);
        mf_plot_folds(f, r->folds, acc, mean, "accuracy (ROI level)");
    }
    free(acc);
    fputs("</section>\n<section id=\"pooled\"><h2>Pooled out-of-fold predictions</h2>\n<div class=\"row\">\n"
          "<table id=\"pooled-metrics\"><tr>",
          f);
    for (int i = 0; i < 5; i++) fprintf(f, "<th>%s</th>", pooled_titles[i]);
    fputs("</tr>\n<tr>", f);
    for (int i = 0; i < 5; i++) {
        pooled_text(L, pooled_figs[i], t, sizeof t);
        html_cell(f, t);
    }
    fputs("</tr></table>\n<table id=\"pooled-auc\"><tr><th class=\"k\">ROI score</th><th>ROC AUC</th><th>AP</th></tr>\n",
          f);
    for (int k = 0; k < L->nscores; k++) {
        fputs("<tr><td class=\"k\">", f);
        mf_html_esc(f, mf_plot_score_label(L->score_name[k]));
        fputs("</td>", f);
        pooled_text(L, MF_FIG_AUC(k), t, sizeof t);
        html_cell(f, t);
        pooled_text(L, MF_FIG_AP(k), t, sizeof t);
        html_cell(f, t);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n</div>\n", f);
    if (L->has_ci)
        fprintf(f, "<p class=\"note\">[lo, hi]: %g%% percentile interval over %d stratified bootstrap resamples of the "
                   "pooled ROIs (they ignore the spread between folds' models: see the per-fold sd).</p>\n",
                100 * L->confidence, L->B);
    fputs("<div class=\"row\">\n", f);
    mf_plot_roc(f, L, r->bands);
    mf_plot_pr(f, L, r->bands);
    fputs("</div>\n</section>\n<section><h2>Configuration</h2>\n<details><summary>the whole configuration</summary>\n<pre>",
          f);
    mf_html_esc(f, r->config ? r->config : "");
    fputs("</pre></details>\n</section>\n</body>\n</html>\n", f);
}

static int write_file(FILE *f, int i, const void *ctx, mf_err *e) {
    (void)e;
    const mf_cv_result *r = ctx;
    if (i == F_CSV) write_csv(f, r);
    else if (i == F_PRED) write_pred(f, r);
    else if (i == F_MD) write_md(f, r);
    else write_html(f, r);
    return 0;
}

int mf_cv_write(const char *dir, const mf_cv_result *r, mf_err *e) {
    return mf_file_set_write(dir, file_names, F_COUNT, write_file, r, e);
}
