/* test_synth_write.c: the synthetic demo written as files reads back through
 * the real readers: Info.txt (CRLF, MIAS's format) gives exactly the layout's
 * rows and the PGMs exactly mf_synth_image's bytes; bad arguments and an
 * unusable folder are errors naming them. */
#include <string.h>

#include "check.h"
#include "core/synth.h"
#include "io/mias_info.h"
#include "io/pgm.h"
#include "io/readall.h"
#include "io/synth_write.h"
#include "tmpdir.h"

static int mf_exists_test(const char *p) {
    struct stat st;
    return stat(p, &st) == 0;
}

int main(void) {
    char *root = tmp_make();
    char dir[512], p[700];
    mf_err e = {""};
    const uint64_t seed = 31337;
    const int n_images = 12;
    snprintf(dir, sizeof dir, "%s/a/demo", root);
    int rc = mf_synth_write(dir, seed, n_images, &e);
    CHECK_MSG(rc == 0, "%s", e.msg);

    /* Info.txt: CRLF only, header first, reads back as the layouts say. */
    unsigned char *buf;
    size_t len;
    snprintf(p, sizeof p, "%s/Info.txt", dir);
    CHECK_EQ_INT(mf_read_all(p, &buf, &len, &e), 0);
    int bare_lf = 0, crlf = 0;
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n') {
            if (i && buf[i - 1] == '\r') crlf++;
            else bare_lf++;
        }
    CHECK(bare_lf == 0 && crlf > n_images);
    CHECK(len > 10 && strncmp((char *)buf, "mdb", 3) != 0); /* a header line first */
    free(buf);
    snprintf(p, sizeof p, "%s/Info.txt.tmp", dir);
    CHECK(!mf_exists_test(p));

    mf_info_row *rows = NULL;
    int n = 0;
    snprintf(p, sizeof p, "%s/Info.txt", dir);
    rc = mf_info_read(p, &rows, &n, &e);
    CHECK_MSG(rc == 0, "%s", e.msg);
    int i = 0, abnormal = 0;
    for (int id = 1; id <= n_images && rc == 0; id++) {
        mf_synth_layout L;
        CHECK_EQ_INT(mf_synth_layout_of(seed, id, &L, &e), 0);
        abnormal += L.nlesions > 0;
        int nr = L.nlesions ? L.nlesions : 1;
        for (int k = 0; k < nr; k++, i++) {
            if (i >= n) break;
            const mf_info_row *r = &rows[i];
            CHECK(r->image_id == id && r->bg == L.bg);
            if (!L.nlesions) {
                CHECK(!strcmp(r->cls, "NORM") && r->severity == 'N' && !r->has_xy);
            } else {
                CHECK(!strcmp(r->cls, "CIRC") && r->has_xy);
                CHECK(r->severity == L.lesions[k].severity);
                CHECK(r->x == L.lesions[k].x && r->y == L.lesions[k].y && r->radius == L.lesions[k].radius);
            }
        }
        /* The PGM is exactly the image. */
        mf_img8 img, want;
        snprintf(p, sizeof p, "%s/mdb%03d.pgm", dir, id);
        CHECK_EQ_INT(mf_pgm_read(p, &img, &e), 0);
        CHECK_EQ_INT(mf_synth_image(seed, id, &want, NULL, NULL, &e), 0);
        CHECK(img.h == 1024 && img.w == 1024 && memcmp(img.px, want.px, 1024 * 1024) == 0);
        mf_img8_free(&img);
        mf_img8_free(&want);
    }
    CHECK_EQ_INT(i, n);
    CHECK(abnormal >= 4 && abnormal <= 6); /* 2 per 5 ids */
    snprintf(p, sizeof p, "%s/mdb%03d.pgm", dir, n_images + 1);
    CHECK(!mf_exists_test(p));
    free(rows);

    /* Errors. */
    CHECK_EQ_INT(mf_synth_write(dir, seed, 0, &e), -1);
    CHECK(strstr(e.msg, "0 images") && strstr(e.msg, "1..999"));
    CHECK_EQ_INT(mf_synth_write(dir, seed, 1000, &e), -1);
    CHECK(strstr(e.msg, "1000"));
    /* A regular file where the folder should be. */
    tmp_write_str(p, sizeof p, root, "plain", "x");
    snprintf(dir, sizeof dir, "%s/plain/demo", root);
    CHECK_EQ_INT(mf_synth_write(dir, seed, 2, &e), -1);
    CHECK_MSG(strstr(e.msg, p) != NULL, "%s", e.msg);

    tmp_remove(root);
    return check_done();
}
