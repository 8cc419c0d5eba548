/* test_readers_real.c: the io readers on the real data in $MAMMOFUSE_DATA
 * (unpacked by the ctest fixture): Info.txt's known counts, all 322 PGMs
 * with pixel values of mdb001 read with od, and the released ROI folders'
 * counts. Missing data is a failure, never a skip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "io/mias_info.h"
#include "io/pgm.h"
#include "io/roi_folder.h"

static void test_info(const char *data) {
    char p[4096];
    snprintf(p, sizeof p, "%s/mias/Info.txt", data);
    mf_info_row *r;
    int n;
    mf_err e = {""};
    int rc = mf_info_read(p, &r, &n, &e);
    CHECK_MSG(rc == 0, "%s", e.msg);
    if (rc) return;
    CHECK_EQ_INT(n, 330);
    int per_image[1000] = {0}, distinct = 0, norm = 0, xy = 0, b = 0, m = 0, noxy = 0;
    int noxy_ok = 1;
    for (int i = 0; i < n; i++) {
        if (per_image[r[i].image_id]++ == 0) distinct++;
        if (r[i].severity == 'N') {
            norm++;
            CHECK(!strcmp(r[i].cls, "NORM") && !r[i].has_xy);
        } else if (r[i].has_xy) {
            xy++;
            b += r[i].severity == 'B';
            m += r[i].severity == 'M';
        } else {
            noxy++;
            noxy_ok &= r[i].image_id == 59 || r[i].image_id == 216 || r[i].image_id == 233 ||
                       r[i].image_id == 245;
        }
        CHECK(r[i].image_id >= 1 && r[i].image_id <= 322);
    }
    CHECK_EQ_INT(distinct, 322);
    CHECK_EQ_INT(norm, 207);
    CHECK_EQ_INT(n - norm, 123);
    CHECK_EQ_INT(xy, 119);
    CHECK_EQ_INT(b, 68);
    CHECK_EQ_INT(m, 51);
    CHECK_EQ_INT(noxy, 4);
    CHECK(noxy_ok);
    int multi = 0;
    for (int id = 1; id <= 322; id++)
        if (per_image[id] > 1) multi++;
    CHECK_EQ_INT(multi, 7);
    const int twice[6] = {5, 132, 144, 223, 239, 249};
    for (int i = 0; i < 6; i++) CHECK_MSG(per_image[twice[i]] == 2, "mdb%03d: %d rows", twice[i], per_image[twice[i]]);
    CHECK_EQ_INT(per_image[226], 3);
    /* The first row, as printed in the paper's FACTS: mdb001 G CIRC B 535 425 197. */
    CHECK(!strcmp(r[0].ref, "mdb001") && r[0].bg == 'G' && !strcmp(r[0].cls, "CIRC"));
    CHECK(r[0].severity == 'B' && r[0].x == 535 && r[0].y == 425 && r[0].radius == 197);
    free(r);
}

static void test_pgms(const char *data) {
    int ok = 0;
    for (int id = 1; id <= 322; id++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/mias/mdb%03d.pgm", data, id);
        mf_img8 img;
        mf_err e = {""};
        if (mf_pgm_read(p, &img, &e)) {
            CHECK_MSG(0, "%s", e.msg);
            continue;
        }
        ok += img.h == 1024 && img.w == 1024;
        if (id == 1) {
            /* Values read with od at byte 56 + 1024 r + c (56-byte header). */
            CHECK_EQ_INT(img.px[0], 0);
            CHECK_EQ_INT(img.px[512 * 1024 + 512], 188);
            CHECK_EQ_INT(img.px[512 * 1024 + 513], 193);
            CHECK_EQ_INT(img.px[424 * 1024 + 534], 160);
            CHECK_EQ_INT(img.px[300 * 1024 + 700], 88);
            long long sum = 0;
            for (int i = 0; i < 1024 * 1024; i++) sum += img.px[i];
            CHECK_EQ_INT(sum, 30484925);
        }
        if (id == 322) {
            long long sum = 0;
            for (int i = 0; i < 1024 * 1024; i++) sum += img.px[i];
            CHECK_EQ_INT(sum, 51462652);
            CHECK_EQ_INT(img.px[512 * 1024 + 512], 196);
        }
        mf_img8_free(&img);
    }
    CHECK_EQ_INT(ok, 322);
}

static void test_rois(const char *data) {
    char p[4096];
    snprintf(p, sizeof p, "%s/mias-rois", data);
    mf_released_roi *r;
    int n;
    mf_err e = {""};
    int rc = mf_released_read(p, &r, &n, &e);
    CHECK_MSG(rc == 0, "%s", e.msg);
    if (rc) return;
    CHECK_EQ_INT(n, 326);
    int cnt[3][2] = {{0}}, order_ok = 1;
    for (int i = 0; i < n; i++) {
        cnt[r[i].split][r[i].label]++;
        CHECK(r[i].img.h == 120 && r[i].img.w == 120);
        /* Normal then Tumor, k = 1..count without gaps, per split. */
        order_ok &= r[i].k == cnt[r[i].split][r[i].label];
        if (i) order_ok &= r[i - 1].split < r[i].split ||
                           (r[i - 1].split == r[i].split && r[i - 1].label <= r[i].label);
    }
    CHECK(order_ok);
    CHECK_EQ_INT(cnt[MF_SPLIT_TRAIN][0], 125);
    CHECK_EQ_INT(cnt[MF_SPLIT_TRAIN][1], 72);
    CHECK_EQ_INT(cnt[MF_SPLIT_VAL][0], 41);
    CHECK_EQ_INT(cnt[MF_SPLIT_VAL][1], 24);
    CHECK_EQ_INT(cnt[MF_SPLIT_TEST][0], 41);
    CHECK_EQ_INT(cnt[MF_SPLIT_TEST][1], 23);
    mf_released_free(r, n);
}

int main(void) {
    const char *data = getenv("MAMMOFUSE_DATA");
    if (!data || !*data) {
        fprintf(stderr, "test_readers_real: MAMMOFUSE_DATA is not set (run through ctest)\n");
        return 1;
    }
    test_info(data);
    test_pgms(data);
    test_rois(data);
    return check_done();
}
