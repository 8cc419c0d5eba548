/* test_roi_folder.c: the released-ROI folder reader on a tiny fake release:
 * numeric order (Normal then Tumor, k = 2 before k = 10) per split, stray
 * names ignored, and the errors (missing split folder, no ROI files, wrong
 * size, corrupt PNG) naming the folder or file. */
#include <string.h>

#include "check.h"
#include "io/png_io.h"
#include "io/roi_folder.h"
#include "tmpdir.h"

/* Writes dir/split/name as an h x w gray PNG filled with v. */
static void put(const char *dir, const char *split, const char *name, int h, int w, int v) {
    char sub[512], p[600];
    snprintf(sub, sizeof sub, "%s/%s", dir, split);
    mkdir(sub, 0777);
    snprintf(p, sizeof p, "%s/%s", sub, name);
    mf_img8 img;
    mf_err e;
    if (mf_img8_alloc(&img, h, w) || (memset(img.px, v, (size_t)h * w), mf_png_write_gray(p, &img, &e))) {
        fprintf(stderr, "cannot write %s\n", p);
        exit(2);
    }
    mf_img8_free(&img);
}

/* The fake release: pixel value = 100 * split + 50 * label + k. */
static void make_release(const char *d) {
    const char *splits[3] = {"train", "val", "test"};
    for (int s = 0; s < 3; s++) {
        int ks[3] = {10, 2, 1};
        for (int i = 0; i < 3; i++) {
            char name[64];
            snprintf(name, sizeof name, "Tumor (%d).png", ks[i]);
            if (s != 2 || ks[i] != 10) put(d, splits[s], name, 120, 120, 100 * s + 50 + ks[i]);
            snprintf(name, sizeof name, "Normal (%d).png", ks[i]);
            put(d, splits[s], name, 120, 120, 100 * s + ks[i]);
        }
    }
    /* Strays, ignored even though some are not even 120x120 PNGs. */
    put(d, "train", "Normal (01).png", 5, 5, 0);
    put(d, "train", "Normal (0).png", 5, 5, 0);
    put(d, "train", "Normal (1) - Copy.png", 5, 5, 0);
    put(d, "train", "Tumor (3).PNG", 5, 5, 0);
    put(d, "train", "Tumor(4).png", 5, 5, 0);
    put(d, "val", "Benign (1).png", 5, 5, 0);
    char p[600];
    tmp_write_str(p, sizeof p, d, "test/Thumbs.db", "junk");
    snprintf(p, sizeof p, "%s/trainval", d); /* the duplicate folder is not read */
    mkdir(p, 0777);
}

static void test_good(const char *d) {
    mf_released_roi *r = NULL;
    int n = 0;
    mf_err e = {""};
    int rc = mf_released_read(d, &r, &n, &e);
    CHECK_MSG(rc == 0, "%s", e.msg);
    if (rc) return;
    CHECK_EQ_INT(n, 17);
    static const int want[17][3] = {
        {0, 0, 1}, {0, 0, 2}, {0, 0, 10}, {0, 1, 1}, {0, 1, 2}, {0, 1, 10},
        {1, 0, 1}, {1, 0, 2}, {1, 0, 10}, {1, 1, 1}, {1, 1, 2}, {1, 1, 10},
        {2, 0, 1}, {2, 0, 2}, {2, 0, 10}, {2, 1, 1}, {2, 1, 2}};
    for (int i = 0; i < n && i < 17; i++) {
        CHECK_MSG(r[i].split == want[i][0] && r[i].label == want[i][1] && r[i].k == want[i][2],
                  "roi %d: split %d label %d k %d", i, r[i].split, r[i].label, r[i].k);
        int v = 100 * r[i].split + 50 * r[i].label + r[i].k;
        CHECK(r[i].img.h == 120 && r[i].img.w == 120);
        CHECK_MSG(r[i].img.px[0] == v && r[i].img.px[120 * 120 - 1] == v, "roi %d: pixel %d, expected %d",
                  i, r[i].img.px[0], v);
    }
    CHECK_EQ_INT(MF_SPLIT_TRAIN, 0);
    CHECK_EQ_INT(MF_SPLIT_TEST, 2);
    mf_released_free(r, n);
    mf_released_free(NULL, 0);
}

static void expect_fail(const char *d, const char *s1, const char *s2) {
    mf_released_roi *r = (mf_released_roi *)&r;
    int n = 3;
    mf_err e = {""};
    CHECK_EQ_INT(mf_released_read(d, &r, &n, &e), -1);
    CHECK(r == NULL && n == 0);
    CHECK_MSG(has(e.msg, s1), "lacks '%s': %s", s1, e.msg);
    CHECK_MSG(!s2 || has(e.msg, s2), "lacks '%s': %s", s2, e.msg);
}

int main(void) {
    char *root = tmp_make();
    char d[512], p[700];

    snprintf(d, sizeof d, "%s/good", root);
    mkdir(d, 0777);
    make_release(d);
    test_good(d);

    /* No such release folder: names the split folder it looked for. */
    snprintf(d, sizeof d, "%s/none", root);
    snprintf(p, sizeof p, "%s/train", d);
    expect_fail(d, p, "No such file");

    /* val missing. */
    snprintf(d, sizeof d, "%s/noval", root);
    mkdir(d, 0777);
    put(d, "train", "Normal (1).png", 120, 120, 1);
    put(d, "test", "Normal (1).png", 120, 120, 1);
    snprintf(p, sizeof p, "%s/val", d);
    expect_fail(d, p, "val folder");

    /* test holds no ROI names. */
    snprintf(d, sizeof d, "%s/emptytest", root);
    mkdir(d, 0777);
    put(d, "train", "Normal (1).png", 120, 120, 1);
    put(d, "val", "Tumor (1).png", 120, 120, 1);
    put(d, "test", "normal (1).png", 120, 120, 1);
    snprintf(p, sizeof p, "%s/test", d);
    expect_fail(d, p, "found none");

    /* A 120x119 ROI after good ones: named, nothing leaks. */
    snprintf(d, sizeof d, "%s/size", root);
    mkdir(d, 0777);
    put(d, "train", "Normal (1).png", 120, 120, 1);
    put(d, "train", "Normal (2).png", 120, 120, 1);
    put(d, "val", "Tumor (1).png", 120, 120, 1);
    put(d, "test", "Tumor (7).png", 119, 120, 1);
    snprintf(p, sizeof p, "%s/test/Tumor (7).png", d);
    expect_fail(d, p, "expected 120x120 pixels, found 120x119");

    /* A corrupt PNG. */
    snprintf(d, sizeof d, "%s/corrupt", root);
    mkdir(d, 0777);
    put(d, "train", "Normal (1).png", 120, 120, 1);
    put(d, "val", "Tumor (1).png", 120, 120, 1);
    put(d, "test", "Tumor (1).png", 120, 120, 1);
    tmp_write_str(p, sizeof p, d, "val/Normal (3).png", "not a png at all");
    expect_fail(d, p, "PNG signature");

    tmp_remove(root);
    return check_done();
}
