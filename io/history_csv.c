/* history_csv.c: see history_csv.h. */
#include "io/history_csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char header[] = "epoch,loss,accuracy,val_loss,val_accuracy";

void mf_history_free(mf_history *h) {
    free(h->rows);
    h->rows = NULL;
    h->n = 0;
}

static int bad(mf_history *h, char *why, size_t len, const char *path, int line, const char *what) {
    snprintf(why, len, "%s: line %d: %s", path, line, what);
    mf_history_free(h);
    return MF_HISTORY_BAD;
}

int mf_history_read(const char *path, mf_history *h, char *why, size_t whylen) {
    h->n = 0;
    h->rows = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT) return MF_HISTORY_MISSING;
        snprintf(why, whylen, "%s: cannot open: %s", path, strerror(errno));
        return MF_HISTORY_BAD;
    }
    char buf[512];
    int line = 1, rc = MF_HISTORY_OK, cap = 0;
    if (!fgets(buf, sizeof buf, f) || strncmp(buf, header, sizeof header - 1))
        rc = bad(h, why, whylen, path, 1, "expected the header epoch,loss,accuracy,val_loss,val_accuracy");
    while (rc == MF_HISTORY_OK && fgets(buf, sizeof buf, f)) {
        line++;
        mf_history_row r;
        char end;
        if (sscanf(buf, "%d,%lf,%lf,%lf,%lf%c", &r.epoch, &r.loss, &r.accuracy, &r.val_loss, &r.val_accuracy, &end) != 6 ||
            end != '\n') {
            rc = bad(h, why, whylen, path, line, "expected epoch and four numbers");
            break;
        }
        if (r.epoch != h->n + 1) {
            rc = bad(h, why, whylen, path, line, "epochs not 1, 2, ... in order");
            break;
        }
        if (h->n == cap) {
            cap = cap ? 2 * cap : 16;
            mf_history_row *nr = realloc(h->rows, (size_t)cap * sizeof *nr);
            if (!nr) {
                rc = bad(h, why, whylen, path, line, "out of memory");
                break;
            }
            h->rows = nr;
        }
        h->rows[h->n++] = r;
    }
    fclose(f);
    if (rc == MF_HISTORY_OK && h->n == 0) rc = bad(h, why, whylen, path, 2, "no epoch");
    return rc;
}
