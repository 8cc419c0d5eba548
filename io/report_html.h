/* report_html.h: RUN_DIR/report.html, the evaluation as one self-contained
 * page for a reader (no script, no network: inline CSS, inline SVG, the ROI
 * thumbnails as PNG data: URIs):
 *   - what was evaluated (model, backbone, head and branches, splits, ROI
 *     and patch counts, short digests of the store, model and evaluation);
 *   - the paper's Tables 2/3 columns with our 95% intervals, the paper's
 *     published row for the same backbone, head and branches when it has
 *     one (core/paper_table.h), the patch level, ROC AUC and AP per score;
 *   - ROC and PR curves of the three ROI scores with bootstrap bands
 *     (core/curve_band.h), the confusion matrix, the training curves from
 *     history.csv (a note if missing), and every evaluated ROI as a
 *     thumbnail with its grid patches' votes drawn over it, misclassified
 *     first.
 * The bytes are a function of the inputs (no time stamps; numbers printed
 * with fixed decimals). io/eval_outputs.c writes it beside the other files,
 * under a temporary name, renamed with them. */
#ifndef MF_IO_REPORT_HTML_H
#define MF_IO_REPORT_HTML_H
#include <stdint.h>
#include <stdio.h>

#include "core/config.h"
#include "core/curve_band.h"
#include "core/err.h"
#include "io/eval_outputs.h"

typedef struct mf_report_patch {
    int32_t row, col; /* top-left offset in the ROI */
    int32_t vote;     /* 1 Tumor, 0 Normal */
} mf_report_patch;

typedef struct mf_report_input {
    const char *arch;             /* the store's backbone.arch ("vgg16", "vgg19"), or NULL */
    int head;                     /* MF_HEAD_* */
    const mf_intlist *branches;
    const mf_curve_band *bands;   /* [roi_level->nscores], or NULL: no bands */
    const char *history_path;     /* RUN_DIR/history.csv (may be missing) */
    int roi_side, patch_side;     /* 120, 72 */
    const uint8_t *images;        /* [nimages][roi_side][roi_side] by ROI index, or NULL (no rois.h5 of the store) */
    int nimages;
    int nroi_index;               /* ROI indices covered by grid_first */
    const int64_t *grid_first;    /* [nroi_index + 1]: ROI r's grid patches are grid[grid_first[r] .. grid_first[r+1]) */
    const mf_report_patch *grid;
} mf_report_input;

/* The pieces other pages (cv.html) share: the style sheet, and text
 * escaped for HTML. */
const char *mf_report_css(void);
void mf_html_esc(FILE *f, const char *s);

/* Writes the page to f; -1 (with e) if an image cannot be encoded. */
int mf_report_html_write(FILE *f, const mf_eval_result *r, const mf_report_input *in, mf_err *e);

#endif
