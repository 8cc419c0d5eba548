/* paper_table.h: the paper's published results (Yu et al., Sci Rep 2020,
 * Tables 2 and 3: test split, 64 ROIs, ROI level), transcribed from
 * ../shared/paper/FACTS.md as data, so the report can put the paper's row
 * beside ours for the same backbone, head and branches. Pure. */
#ifndef MF_CORE_PAPER_TABLE_H
#define MF_CORE_PAPER_TABLE_H

enum { MF_PAPER_BASELINE = -1 }; /* head of the plain VGG baselines (no branches) */

typedef struct mf_paper_row {
    const char *arch;      /* "vgg16" or "vgg19" */
    int head;              /* MF_HEAD_FUSION1, MF_HEAD_FUSION2 or MF_PAPER_BASELINE */
    int nbranches;
    int branches[5];       /* increasing */
    const char *name;      /* the paper's name, e.g. "VGG16_Fusion1 [4,5]" */
    double normal_recall, normal_precision, tumor_recall, tumor_precision, accuracy;
} mf_paper_row;

/* All rows, in the paper's order; *n receives the count. */
const mf_paper_row *mf_paper_rows(int *n);

/* The row of (arch, head, branches[0..nb)) or NULL if the paper has none.
 * Branches must be given increasing (the config's rule). */
const mf_paper_row *mf_paper_lookup(const char *arch, int head, int nb, const int *branches);

#endif
