/* predictions_csv.h: reads back the predictions.csv that evaluate writes
 * (io/eval_outputs.h), so the jobs that gather many evaluations (sweep's
 * summary, CV's pooled out-of-fold figures) work from the files each
 * evaluation left, exactly: doubles are written as %.17g, which reads back
 * to the same bits. */
#ifndef MF_IO_PREDICTIONS_CSV_H
#define MF_IO_PREDICTIONS_CSV_H
#include "core/err.h"
#include "io/eval_outputs.h"

/* *rois (malloc'ed, free() it) receives the *n rows in file order. Errors
 * name the file, the line and the column expected. */
int mf_predictions_read(const char *path, mf_eval_roi **rois, int *n, mf_err *e);

/* The ROI-level figures evaluate computes from these rows (scores vote,
 * vote_fraction, mean_p_tumor; B resamples of seed at confidence; B = 0: no
 * intervals), so a summary quotes the same numbers as each metrics.json.
 * Rows with an unknown label (< 0) are refused. scores: NULL, or receives
 * the three scores as one malloc'ed array [3][n] (for curve bands). */
int mf_predictions_level(const mf_eval_roi *rois, int n, int B, unsigned long long seed, double confidence,
                         mf_eval_level *L, double **scores, mf_err *e);

#endif
