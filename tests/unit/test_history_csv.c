/* test_history_csv.c: io/history_csv.h: the train job's history.csv reads
 * back; a missing file is MISSING (no reason needed), and a wrong header, a
 * short row, epochs out of order or no epoch are BAD with the line named. */
#include <string.h>

#include "check.h"
#include "io/history_csv.h"
#include "tmpdir.h"

static int read_str(const char *dir, const char *text, mf_history *h, char *why) {
    char p[512];
    tmp_write_str(p, sizeof p, dir, "history.csv", text);
    return mf_history_read(p, h, why, 256);
}

int main(void) {
    const char *dir = tmp_make();
    char p[512], why[256] = "";
    mf_history h;
    CHECK_EQ_INT(mf_history_read(tmp_path(p, sizeof p, dir, "none.csv"), &h, why, sizeof why), MF_HISTORY_MISSING);
    CHECK(h.n == 0 && h.rows == NULL);
    CHECK_EQ_INT(read_str(dir, "epoch,loss,accuracy,val_loss,val_accuracy\n1,0.5,0.75,0.625,0.5\n2,0.25,0.875,0.5,0.625\n",
                          &h, why),
                 MF_HISTORY_OK);
    CHECK(h.n == 2 && h.rows[1].epoch == 2 && h.rows[1].loss == 0.25 && h.rows[0].val_accuracy == 0.5 &&
          h.rows[1].accuracy == 0.875 && h.rows[1].val_loss == 0.5);
    mf_history_free(&h);
    CHECK(h.rows == NULL && h.n == 0);
    CHECK_EQ_INT(read_str(dir, "epoch,loss\n1,0.5\n", &h, why), MF_HISTORY_BAD);
    CHECK(strstr(why, "line 1: expected the header") != NULL);
    CHECK_EQ_INT(read_str(dir, "epoch,loss,accuracy,val_loss,val_accuracy\n1,0.5,0.75\n", &h, why), MF_HISTORY_BAD);
    CHECK(strstr(why, "line 2: expected epoch and four numbers") != NULL && h.rows == NULL);
    CHECK_EQ_INT(read_str(dir, "epoch,loss,accuracy,val_loss,val_accuracy\n1,1,1,1,1\n3,1,1,1,1\n", &h, why),
                 MF_HISTORY_BAD);
    CHECK(strstr(why, "line 3: epochs not 1, 2, ... in order") != NULL);
    CHECK_EQ_INT(read_str(dir, "epoch,loss,accuracy,val_loss,val_accuracy\n", &h, why), MF_HISTORY_BAD);
    CHECK(strstr(why, "no epoch") != NULL);
    tmp_remove(dir);
    return check_done();
}
