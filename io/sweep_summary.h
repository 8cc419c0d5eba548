/* sweep_summary.h: a sweep's results, one row per configuration.
 *
 * Each configuration's folder RUN_DIR/sweep/<name>/ gets result.csv when
 * its training and evaluation are complete (written last: it is the mark
 * of a finished configuration, with the digest of what made it); the
 * summary gathers them into
 *   sweep.csv   every configuration in grid order;
 *   sweep.md    sorted by ROI accuracy, each figure "0.xxx [lo, hi]", the
 *               paper's accuracy for the same backbone, head and branches
 *               beside ours (rows the paper has are marked);
 *   sweep.html  one self-contained page (no script, no network): ROI
 *               accuracy per branch set with its interval, both heads, the
 *               paper's figures as ticks, and the table.
 * The figures are those of the configuration's metrics.json: ROI level,
 * the hard majority vote (accuracy, Tumor recall and precision) and the
 * mean P(Tumor) score's ROC AUC, each with its bootstrap interval. */
#ifndef MF_IO_SWEEP_SUMMARY_H
#define MF_IO_SWEEP_SUMMARY_H
#include "core/config.h"
#include "core/err.h"
#include "core/evaluation.h"
#include "core/sweep_grid.h"

enum { MF_SWEEP_ACC, MF_SWEEP_TREC, MF_SWEEP_TPREC, MF_SWEEP_AUC, MF_SWEEP_NFIG };

typedef struct mf_sweep_row {
    char name[MF_SWEEP_NAME];
    int arch, head;              /* MF_ARCH_*, MF_HEAD_* */
    mf_intlist branches;
    double lr;
    long long seed;
    int epochs;
    int rois, tumor_rois;
    double v[MF_SWEEP_NFIG], lo[MF_SWEEP_NFIG], hi[MF_SWEEP_NFIG];
    char digest[65];             /* of the training and evaluation that made it */
} mf_sweep_row;

/* The row of configuration c (named name) from its ROI-level figures. */
void mf_sweep_row_fill(mf_sweep_row *r, const mf_config *c, const char *name, const mf_eval_level *L,
                       const char *digest);

/* result.csv of one configuration (temporary name + rename). */
int mf_sweep_row_write(const char *path, const mf_sweep_row *r, mf_err *e);
int mf_sweep_row_read(const char *path, mf_sweep_row *r, mf_err *e);

/* sweep.csv, sweep.md, sweep.html in dir (each under a temporary name,
 * renamed when all three are complete). rows in grid order; title names the
 * config. */
int mf_sweep_summary_write(const char *dir, const char *title, const mf_sweep_row *rows, int n, mf_err *e);

#endif
