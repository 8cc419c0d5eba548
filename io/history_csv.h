/* history_csv.h: reads RUN_DIR/history.csv (the train job's per-epoch
 * figures: epoch,loss,accuracy,val_loss,val_accuracy) for the report's
 * training curves. A missing or malformed file is not an error of the
 * evaluation: the caller gets a status and a reason to print as a note. */
#ifndef MF_IO_HISTORY_CSV_H
#define MF_IO_HISTORY_CSV_H
#include <stddef.h>

typedef struct mf_history_row {
    int epoch;
    double loss, accuracy, val_loss, val_accuracy;
} mf_history_row;

typedef struct mf_history {
    int n;
    mf_history_row *rows; /* [n], epochs 1..n in order */
} mf_history;

enum { MF_HISTORY_OK = 0, MF_HISTORY_MISSING = 1, MF_HISTORY_BAD = 2 };

/* Returns MF_HISTORY_*; on BAD, why holds one line (file, line, what). h is
 * empty unless OK. */
int mf_history_read(const char *path, mf_history *h, char *why, size_t whylen);
void mf_history_free(mf_history *h);

#endif
