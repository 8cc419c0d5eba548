/* eval_outputs.h: the evaluation's files in the run folder:
 *   metrics.json     every figure (ROI level: the hard majority vote and the
 *                    scores vote_fraction and mean_p_tumor, with bootstrap
 *                    intervals and their valid counts; patch level without),
 *                    the evaluation's identity, the inputs' digests, the config;
 *   table.md         the paper's Tables 2/3 layout: N/T recall and precision,
 *                    accuracy, "0.xxx [lo, hi]";
 *   predictions.csv  one row per evaluated ROI (roi,image_id,class,label,
 *                    votes,patches,vote_fraction,mean_p_tumor,prediction,
 *                    correct; label and correct empty when the truth is
 *                    unknown);
 *   roc.csv, pr.csv  the ROI-level curves of every score;
 *   report.html      the page for a reader (io/report_html.h).
 * Doubles as %.17g (NaN as null in JSON, "nan" in CSV), no time stamps, so
 * the bytes are a function of the inputs. All six are written under
 * temporary names and renamed only when all are complete. */
#ifndef MF_IO_EVAL_OUTPUTS_H
#define MF_IO_EVAL_OUTPUTS_H
#include <stdint.h>

#include "core/err.h"
#include "core/evaluation.h"
#include "core/identity.h"

typedef struct mf_eval_roi {
    int32_t roi, image_id;
    int cls;                 /* MF_CLASS_*, or -1 unknown (no rois.h5) */
    int32_t label;           /* 0 Normal, 1 Tumor, or -1 unknown (predict: label, correct empty) */
    int32_t votes, patches, pred;
    double vote_fraction, mean_p_tumor;
} mf_eval_roi;

typedef struct mf_eval_result {
    int nroi;
    const mf_eval_roi *rois;          /* [nroi], by ROI index */
    const mf_eval_level *roi_level;   /* scores: vote, vote_fraction, mean_p_tumor */
    const mf_eval_level *patch_level; /* score: p_tumor */
    int64_t npatches;
    const char *splits;               /* e.g. "test" or "val, test" */
    const char *model_path;           /* what was evaluated */
    const char *model_kind;           /* best | last */
    int model_epoch;                  /* its epoch (1-based) */
    const char *head;                 /* e.g. "fusion1 [1,2,3]" */
    const mf_identity *identity;      /* the evaluation's */
    const char *store_digest, *model_digest;
    const char *config;               /* mf_config_dump */
    const char *decision;             /* NULL: the majority vote; else the rule that made the ROI
                                       * predictions (evaluate.decision val_threshold), one sentence */
    double threshold;                 /* with decision: the mean P(Tumor) threshold */
} mf_eval_result;

struct mf_report_input; /* io/report_html.h */

/* Writes the files into dir (report.html only with a report input); on
 * failure none is left (old ones stay). */
int mf_eval_write(const char *dir, const mf_eval_result *r, const struct mf_report_input *report, mf_err *e);

/* Writes predictions.csv alone at path (temporary name + rename): the same
 * columns and formats as mf_eval_write's (`predict`, jobs/job_predict.c). */
int mf_eval_write_predictions(const char *path, int nroi, const mf_eval_roi *rois, mf_err *e);

#endif
