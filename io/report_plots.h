/* report_plots.h: the report's figures as inline SVG elements (no xmlns:
 * inline SVG in HTML needs none, and the page names no URL): the ROC and PR
 * curves of the ROI-level scores with their bootstrap bands, and the
 * training curves of history.csv. Written by io/report_html.c. */
#ifndef MF_IO_REPORT_PLOTS_H
#define MF_IO_REPORT_PLOTS_H
#include <stdio.h>

#include "core/curve_band.h"
#include "core/evaluation.h"
#include "io/history_csv.h"

/* <svg id="roc"> / <svg id="pr">: every score of L, bands[k] (NULL: none). */
void mf_plot_roc(FILE *f, const mf_eval_level *L, const mf_curve_band *bands);
void mf_plot_pr(FILE *f, const mf_eval_level *L, const mf_curve_band *bands);

/* <svg id="training">: loss and val_loss, accuracy and val_accuracy per
 * epoch; a dashed line at mark_epoch (the evaluated model's) if in range. */
void mf_plot_training(FILE *f, const mf_history *h, int mark_epoch);

/* <svg id="folds">: value[k] of fold k (k < n; e.g. the accuracy) as a
 * point per fold, the mean across folds as a dashed line. */
void mf_plot_folds(FILE *f, int n, const double *value, double mean, const char *ylabel);

/* The display name and colour of ROI score k (vote, vote fraction, mean P(Tumor)). */
const char *mf_plot_score_label(const char *score_name);
const char *mf_plot_colour(int k);

#endif
