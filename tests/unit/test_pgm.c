/* test_pgm.c: the PGM reader and writer on small hand-made files: exact
 * pixels for P5/P2, comments, maxval scaling (8 and 16 bits), and every
 * error path, whose message must name the file and the place. */
#include <string.h>

#include "check.h"
#include "io/pgm.h"
#include "tmpdir.h"

static const char *dir;

/* Reads bytes written as name; expects failure, an empty image and a message
 * holding the path and each of up to three substrings. */
static void expect_fail(const char *name, const void *bytes, size_t len, const char *s1,
                        const char *s2, const char *s3) {
    char p[512];
    tmp_write(p, sizeof p, dir, name, bytes, len);
    mf_img8 img = {7, 7, NULL};
    mf_err e = {""};
    CHECK_EQ_INT(mf_pgm_read(p, &img, &e), -1);
    CHECK(img.px == NULL && img.h == 0 && img.w == 0);
    CHECK_MSG(has(e.msg, p), "%s: message lacks the path: %s", name, e.msg);
    CHECK_MSG(!s1 || has(e.msg, s1), "%s: message lacks '%s': %s", name, s1, e.msg);
    CHECK_MSG(!s2 || has(e.msg, s2), "%s: message lacks '%s': %s", name, s2, e.msg);
    CHECK_MSG(!s3 || has(e.msg, s3), "%s: message lacks '%s': %s", name, s3, e.msg);
    CHECK(strchr(e.msg, '\n') == NULL); /* one line */
}

static void expect_fail_str(const char *name, const char *s, const char *s1, const char *s2,
                            const char *s3) {
    expect_fail(name, s, strlen(s), s1, s2, s3);
}

/* Reads and compares with the expected h x w pixels. */
static void expect_px(const char *name, const void *bytes, size_t len, int h, int w,
                      const uint8_t *want) {
    char p[512];
    tmp_write(p, sizeof p, dir, name, bytes, len);
    mf_img8 img;
    mf_err e = {""};
    int rc = mf_pgm_read(p, &img, &e);
    CHECK_MSG(rc == 0, "%s: %s", name, e.msg);
    if (rc) return;
    CHECK_EQ_INT(img.h, h);
    CHECK_EQ_INT(img.w, w);
    if (img.h == h && img.w == w)
        for (int i = 0; i < h * w; i++)
            CHECK_MSG(img.px[i] == want[i], "%s: pixel %d = %d, expected %d", name, i, img.px[i], want[i]);
    mf_img8_free(&img);
}

static void test_good(void) {
    /* P5, 8 bits, with a GIMP-style comment line as in MIAS. */
    const char p5[] = "P5\n# CREATOR: GIMP PNM Filter Version 1.1\n3 2\n255\n\x00\x01\x7f\x80\xfe\xff";
    const uint8_t w5[] = {0, 1, 127, 128, 254, 255};
    expect_px("p5.pgm", p5, sizeof p5 - 1, 2, 3, w5);

    /* Whitespace byte after maxval may be a blank; pixel bytes may look like
     * whitespace or '#'. */
    const char p5b[] = "P5 2 2 255 \n# \t";
    const uint8_t w5b[] = {'\n', '#', ' ', '\t'};
    expect_px("p5_ws.pgm", p5b, sizeof p5b - 1, 2, 2, w5b);

    /* Comments everywhere whitespace may be, CRLF, tabs. */
    const char p2[] = "P2#after magic\r\n3#w\t\n# line\n2 # h\n255#max\n0 1 2\n# mid raster\n 253\t254 255\n";
    const uint8_t w2[] = {0, 1, 2, 253, 254, 255};
    expect_px("p2.pgm", p2, sizeof p2 - 1, 2, 3, w2);

    /* P2 last sample at end of file without a newline. */
    const char p2e[] = "P2 1 1 255 42";
    const uint8_t w2e[] = {42};
    expect_px("p2_eof.pgm", p2e, sizeof p2e - 1, 1, 1, w2e);

    /* maxval 1 and 100: round(v * 255 / maxval), halves up (50 -> 127.5 -> 128). */
    const char m1[] = "P2 2 1 1 0 1";
    const uint8_t wm1[] = {0, 255};
    expect_px("max1.pgm", m1, sizeof m1 - 1, 1, 2, wm1);
    const char m100[] = "P2 5 1 100 0 1 49 50 100";
    const uint8_t wm100[] = {0, 3, 125, 128, 255};
    expect_px("max100.pgm", m100, sizeof m100 - 1, 1, 5, wm100);
    const char m100b[] = "P5 3 1 100\n\x00\x32\x64";
    const uint8_t wm100b[] = {0, 128, 255};
    expect_px("max100_p5.pgm", m100b, sizeof m100b - 1, 1, 3, wm100b);

    /* 16 bits big-endian: 257 -> 1, 32767 -> 127 (127.498), 32896 -> 128, 65535 -> 255. */
    const char s16[] = "P5 5 1 65535\n\x00\x00\x01\x01\x7f\xff\x80\x80\xff\xff";
    const uint8_t w16[] = {0, 1, 127, 128, 255};
    expect_px("p5_16.pgm", s16, sizeof s16 - 1, 1, 5, w16);
    /* maxval 1000 (two bytes per sample): 2 -> 0.51 -> 1, 998 -> 254.49 -> 254, 1000 -> 255. */
    const char s1k[] = "P5 3 1 1000\n\x00\x02\x03\xe6\x03\xe8";
    const uint8_t w1k[] = {1, 254, 255};
    expect_px("p5_1000.pgm", s1k, sizeof s1k - 1, 1, 3, w1k);
    const char a16[] = "P2 3 1 65535 257 32767 65535";
    const uint8_t wa16[] = {1, 127, 255};
    expect_px("p2_16.pgm", a16, sizeof a16 - 1, 1, 3, wa16);

    /* Trailing bytes after the raster are ignored (a second image, padding). */
    const char tr[] = "P5 1 1 255\n\x05garbage";
    const uint8_t wtr[] = {5};
    expect_px("trailing.pgm", tr, sizeof tr - 1, 1, 1, wtr);
}

static void test_bad(void) {
    char p[512];
    /* Missing file: strerror. */
    mf_img8 img = {1, 1, NULL};
    mf_err e = {""};
    CHECK_EQ_INT(mf_pgm_read(tmp_path(p, sizeof p, dir, "nope.pgm"), &img, &e), -1);
    CHECK(has(e.msg, p) && has(e.msg, "No such file"));
    CHECK(img.px == NULL && img.h == 0);
    /* A folder is not readable as a file. */
    CHECK_EQ_INT(mf_pgm_read(dir, &img, &e), -1);
    CHECK_MSG(has(e.msg, dir) && has(e.msg, "Is a directory"), "%s", e.msg);

    expect_fail_str("empty.pgm", "", "byte 0", "magic number P5 or P2", "empty file");
    expect_fail_str("p6.pgm", "P6 1 1 255\n\x01\x02\x03", "byte 0", "P5 or P2", "'P6'");
    expect_fail_str("png.pgm", "\x89PNG\r\n", "byte 0", "magic", NULL);
    expect_fail_str("p5x.pgm", "P5x 1 1 255\n\x01", "byte 2", "whitespace after the magic", "'x'");
    expect_fail_str("nowidth.pgm", "P5\n# only a comment\n", "byte 20", "width", "end of file");
    expect_fail_str("alphaw.pgm", "P5 abc 2 255\n", "byte 3", "width", "'a'");
    expect_fail_str("negw.pgm", "P2 -3 2 255\n", "byte 3", "width", "'-'");
    expect_fail_str("zerow.pgm", "P5 0 2 255\n", "byte 3", "width", "1..65535");
    expect_fail_str("hugew.pgm", "P5 99999999999999999999 2 255\n", "byte 3", "width", "found 9999");
    expect_fail_str("wdigits.pgm", "P5 12x 2 255\n", "byte 5", "width", "'x' after the digits");
    expect_fail_str("noheight.pgm", "P5 3 ", "byte 5", "height", "end of file");
    expect_fail_str("zeroh.pgm", "P2 3 0 255\n", "byte 5", "height", "found 0");
    expect_fail_str("nomax.pgm", "P5 3 2\n#c\n", "byte 10", "maxval", "end of file");
    expect_fail_str("max0.pgm", "P5 3 2 0\n", "byte 7", "maxval", "1..65535");
    expect_fail_str("max70k.pgm", "P5 3 2 70000\n", "byte 7", "maxval", "found 70000");
    expect_fail_str("maxf.pgm", "P5 3 2 25.5\n", "byte 9", "maxval", "'.'");
    expect_fail_str("toolarge.pgm", "P5 65535 65535 255\n", "header", "width 65535 x height 65535", NULL);

    /* Truncated raster: the offset where pixels start, bytes expected and found. */
    expect_fail("trunc.pgm", "P5 3 2 255\n\x01\x02\x03\x04", 15, "byte 11",
                "expected 6 bytes of pixel data, found 4", NULL);
    expect_fail_str("trunc0.pgm", "P5 3 2 255", "byte 10", "expected 6 bytes of pixel data, found 0", NULL);
    expect_fail("trunc16.pgm", "P5 2 2 65535\n\x00\x01\x00\x02\x00\x03\x00", 20, "byte 13",
                "expected 8 bytes of pixel data, found 7", NULL);
    expect_fail("nows.pgm", "P5 1 1 255#\x01", 12, "byte 10", "one whitespace byte after maxval",
                "'#'");
    /* P5 sample above maxval. */
    expect_fail("p5over.pgm", "P5 2 1 100\n\x10\x65", 13, "byte 12", "sample 1 (row 0, column 1)",
                "found 101");
    expect_fail("p5over16.pgm", "P5 1 1 1000\n\x03\xe9", 14, "byte 12", "sample 0", "found 1001");

    /* P2 samples: out of range, non-numeric, missing, negative. */
    expect_fail_str("p2over.pgm", "P2 2 2 255\n1 2\n3 256\n", "byte 17", "sample 3 (row 1, column 1)",
                    "found 256");
    expect_fail_str("p2over1.pgm", "P2 2 1 1\n1 2\n", "sample 1 (row 0, column 1)", "0..1", "found 2");
    expect_fail_str("p2alpha.pgm", "P2 2 1 255\n7 x\n", "byte 13", "sample 1", "'x'");
    expect_fail_str("p2mixed.pgm", "P2 2 1 255\n7a 8\n", "byte 12", "sample 0", "'a' after the digits");
    expect_fail_str("p2neg.pgm", "P2 2 1 255\n-1 8\n", "byte 11", "sample 0 (row 0, column 0)", "'-'");
    expect_fail_str("p2short.pgm", "P2 3 2 255\n1 2 3\n4 5\n", "sample 5 (row 1, column 2)",
                    "end of file", "byte 21");
    expect_fail("p2nul.pgm", "P2 1 1 255\n\x00", 12, "byte 11", "sample 0", "byte 0x00");
}

static void test_write(void) {
    char p[512];
    mf_img8 img, back;
    mf_err e = {""};
    CHECK_EQ_INT(mf_img8_alloc(&img, 3, 4), 0);
    for (int i = 0; i < 12; i++) img.px[i] = (uint8_t)(i * 23);
    CHECK_EQ_INT(mf_pgm_write(tmp_path(p, sizeof p, dir, "out.pgm"), &img, &e), 0);
    CHECK_EQ_INT(mf_pgm_read(p, &back, &e), 0);
    CHECK(back.h == 3 && back.w == 4 && memcmp(back.px, img.px, 12) == 0);
    mf_img8_free(&back);
    /* The exact bytes: P5 header then the raster. */
    FILE *f = fopen(p, "rb");
    char buf[64] = {0};
    size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
    if (f) fclose(f);
    CHECK_EQ_INT(n, 11 + 12);
    CHECK(memcmp(buf, "P5\n4 3\n255\n", 11) == 0);
    /* Unwritable place: the message names the file. */
    CHECK_EQ_INT(mf_pgm_write(tmp_path(p, sizeof p, dir, "no/such/dir/x.pgm"), &img, &e), -1);
    CHECK_MSG(has(e.msg, p) && has(e.msg, "No such file"), "%s", e.msg);
    /* A write error (ENOSPC) via a link to /dev/full; the link is kept. */
    char full[512];
    tmp_path(full, sizeof full, dir, "full.pgm");
    if (symlink("/dev/full", full) == 0) {
        mf_img8 big;
        CHECK_EQ_INT(mf_img8_alloc(&big, 256, 256), 0);
        CHECK_EQ_INT(mf_pgm_write(full, &big, &e), -1);
        CHECK_MSG(has(e.msg, full) && has(e.msg, "No space"), "%s", e.msg);
        struct stat st;
        CHECK(lstat(full, &st) == 0 && S_ISLNK(st.st_mode));
        CHECK(stat("/dev/full", &st) == 0);
        mf_img8_free(&big);
    }
    mf_img8_free(&img);
    CHECK_EQ_INT(mf_pgm_write(tmp_path(p, sizeof p, dir, "empty.pgm"), &img, &e), -1);
    CHECK(has(e.msg, "empty.pgm"));
}

int main(void) {
    dir = tmp_make();
    test_good();
    test_bad();
    test_write();
    tmp_remove(dir);
    return check_done();
}
