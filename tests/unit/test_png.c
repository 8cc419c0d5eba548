/* test_png.c: the PNG reader and writers: round trips, conversion of every
 * colour type and depth to 8-bit gray, the in-memory encoder (the file
 * writer's bytes), and the error paths (missing file,
 * not a PNG, truncated or corrupt data, unwritable path), which must give one
 * mf_err line naming the file and print nothing on stderr. */
#include <png.h>
#include <setjmp.h>
#include <string.h>

#include "check.h"
#include "io/png_io.h"
#include "tmpdir.h"

static const char *dir;

/* Writes a PNG with libpng directly (types our writers never produce). */
static void raw_png(const char *path, int w, int h, int depth, int ctype, int interlace,
                    png_bytep *rows, const png_color *pal, int npal, const png_byte *trns, int ntrns,
                    const png_color_16 *trns_gray) {
    FILE *f = fopen(path, "wb");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    if (!f || !png || !info || setjmp(png_jmpbuf(png))) {
        fprintf(stderr, "raw_png failed for %s\n", path);
        exit(2);
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, ctype, interlace,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (pal) png_set_PLTE(png, info, pal, npal);
    if (trns || trns_gray) png_set_tRNS(png, info, trns, ntrns, trns_gray);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    fclose(f);
}

/* Reads path, expects h x w and the pixels within tol. */
static void expect_gray(const char *path, int h, int w, const uint8_t *want, int tol) {
    mf_img8 img;
    mf_err e = {""};
    int rc = mf_png_read_gray(path, &img, &e);
    CHECK_MSG(rc == 0, "%s: %s", path, e.msg);
    if (rc) return;
    CHECK_EQ_INT(img.h, h);
    CHECK_EQ_INT(img.w, w);
    if (img.h == h && img.w == w)
        for (int i = 0; i < h * w; i++)
            CHECK_MSG(abs(img.px[i] - want[i]) <= tol, "%s: pixel %d = %d, expected %d", path, i,
                      img.px[i], want[i]);
    mf_img8_free(&img);
}

static void test_roundtrip(void) {
    char p[512];
    mf_err e = {""};
    mf_img8 img;
    CHECK_EQ_INT(mf_img8_alloc(&img, 5, 7), 0);
    for (int i = 0; i < 35; i++) img.px[i] = (uint8_t)(i * 7 + 3);
    CHECK_EQ_INT(mf_png_write_gray(tmp_path(p, sizeof p, dir, "g.png"), &img, &e), 0);
    expect_gray(p, 5, 7, img.px, 0);
    /* RGB with equal channels reads back as that gray exactly (weights sum to 1);
     * pure primaries give libpng's weights 0.2126, 0.7152, 0.0722. */
    uint8_t rgb[2 * 3 * 3] = {0, 0, 0, 90, 90, 90, 255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255};
    CHECK_EQ_INT(mf_png_write_rgb(tmp_path(p, sizeof p, dir, "c.png"), 2, 3, rgb, &e), 0);
    const uint8_t want[6] = {0, 90, 255, 54, 182, 18};
    expect_gray(p, 2, 3, want, 1);
    /* in memory: the same bytes as the file writer's, and they read back */
    uint8_t *mem = NULL;
    size_t len = 0;
    CHECK_EQ_INT(mf_png_encode_gray(5, 7, img.px, &mem, &len, &e), 0);
    FILE *f = fopen(tmp_path(p, sizeof p, dir, "g.png"), "rb");
    uint8_t file[4096];
    size_t flen = f ? fread(file, 1, sizeof file, f) : 0;
    if (f) fclose(f);
    CHECK(mem && len > 8 && len == flen && !memcmp(mem, file, len));
    free(mem);
    CHECK_EQ_INT(mf_png_encode_gray(0, 7, img.px, &mem, &len, &e), -1);
    CHECK(mem == NULL && strstr(e.msg, "empty"));
    mf_img8_free(&img);
}

static void test_types(void) {
    char p[512];
    /* 16-bit gray: round(v * 255 / 65535). */
    png_byte r16[8] = {0x00, 0x00, 0x01, 0x01, 0x80, 0x80, 0xff, 0xff};
    png_bytep rows16[1] = {r16};
    raw_png(tmp_path(p, sizeof p, dir, "g16.png"), 4, 1, 16, PNG_COLOR_TYPE_GRAY, 0, rows16, NULL, 0,
            NULL, 0, NULL);
    expect_gray(p, 1, 4, (const uint8_t[]){0, 1, 128, 255}, 0);

    /* 1-bit gray: 0 -> 0, 1 -> 255; 8 pixels in one byte, MSB first. */
    png_byte r1[1] = {0xA5};
    png_bytep rows1[1] = {r1};
    raw_png(tmp_path(p, sizeof p, dir, "g1.png"), 8, 1, 1, PNG_COLOR_TYPE_GRAY, 0, rows1, NULL, 0,
            NULL, 0, NULL);
    expect_gray(p, 1, 8, (const uint8_t[]){255, 0, 255, 0, 0, 255, 0, 255}, 0);

    /* 4-bit gray: v -> v * 17. */
    png_byte r4[2] = {0x0F, 0x37};
    png_bytep rows4[1] = {r4};
    raw_png(tmp_path(p, sizeof p, dir, "g4.png"), 4, 1, 4, PNG_COLOR_TYPE_GRAY, 0, rows4, NULL, 0,
            NULL, 0, NULL);
    expect_gray(p, 1, 4, (const uint8_t[]){0, 255, 51, 119}, 0);

    /* Gray + alpha: alpha dropped. */
    png_byte ga[6] = {10, 255, 20, 0, 30, 128};
    png_bytep rowsga[1] = {ga};
    raw_png(tmp_path(p, sizeof p, dir, "ga.png"), 3, 1, 8, PNG_COLOR_TYPE_GRAY_ALPHA, 0, rowsga,
            NULL, 0, NULL, 0, NULL);
    expect_gray(p, 1, 3, (const uint8_t[]){10, 20, 30}, 0);

    /* Gray with a tRNS colour: transparency dropped, gray kept. */
    png_byte gt[3] = {5, 6, 7};
    png_bytep rowsgt[1] = {gt};
    png_color_16 tg = {0, 0, 0, 0, 6};
    raw_png(tmp_path(p, sizeof p, dir, "gt.png"), 3, 1, 8, PNG_COLOR_TYPE_GRAY, 0, rowsgt, NULL, 0,
            NULL, 0, &tg);
    expect_gray(p, 1, 3, (const uint8_t[]){5, 6, 7}, 0);

    /* Palette (with tRNS): expanded, then weighted to gray. */
    png_color pal[3] = {{10, 10, 10}, {200, 200, 200}, {0, 255, 0}};
    png_byte alpha[3] = {255, 0, 128};
    png_byte pi[4] = {0, 1, 2, 1};
    png_bytep rowspi[1] = {pi};
    raw_png(tmp_path(p, sizeof p, dir, "pal.png"), 4, 1, 8, PNG_COLOR_TYPE_PALETTE, 0, rowspi, pal, 3,
            alpha, 3, NULL);
    expect_gray(p, 1, 4, (const uint8_t[]){10, 200, 182, 200}, 1);

    /* RGBA 16-bit: scaled, weighted, alpha dropped. */
    png_byte rgba[8] = {0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x00, 0x00};
    png_bytep rowsrgba[1] = {rgba};
    raw_png(tmp_path(p, sizeof p, dir, "rgba16.png"), 1, 1, 16, PNG_COLOR_TYPE_RGB_ALPHA, 0, rowsrgba,
            NULL, 0, NULL, 0, NULL);
    expect_gray(p, 1, 1, (const uint8_t[]){64}, 0);

    /* Adam7 interlaced 9x9 gray. */
    png_byte px[81];
    png_bytep rowsi[9];
    for (int i = 0; i < 81; i++) px[i] = (png_byte)(i * 3);
    for (int r = 0; r < 9; r++) rowsi[r] = px + 9 * r;
    raw_png(tmp_path(p, sizeof p, dir, "adam7.png"), 9, 9, 8, PNG_COLOR_TYPE_GRAY,
            PNG_INTERLACE_ADAM7, rowsi, NULL, 0, NULL, 0, NULL);
    expect_gray(p, 9, 9, px, 0);
}

/* Reads an existing file, expects failure naming it with the substring. */
static void expect_read_fail(const char *path, const char *sub) {
    mf_img8 img = {3, 3, NULL};
    mf_err e = {""};
    CHECK_EQ_INT(mf_png_read_gray(path, &img, &e), -1);
    CHECK(img.px == NULL && img.h == 0 && img.w == 0);
    CHECK_MSG(has(e.msg, path) && has(e.msg, sub), "expected '%s' and '%s' in: %s", path, sub, e.msg);
}

static long file_size(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static void test_errors(void) {
    char p[512], good[512], errlog[512];
    mf_err e = {""};
    /* Capture stderr: libpng must not print anything. */
    tmp_path(errlog, sizeof errlog, dir, "stderr.txt");
    fflush(stderr);
    int saved = dup(2);
    FILE *cap = freopen(errlog, "w", stderr);
    CHECK(cap != NULL);

    expect_read_fail(tmp_path(p, sizeof p, dir, "missing.png"), "No such file");
    expect_read_fail(tmp_write_str(p, sizeof p, dir, "text.png", "P5 1 1 255\nxxxxxxxxxx"),
                     "byte 0: expected the PNG signature");
    expect_read_fail(tmp_write(p, sizeof p, dir, "short.png", "\x89PNG", 4), "shorter than 8 bytes");
    expect_read_fail(tmp_write(p, sizeof p, dir, "sigonly.png", "\x89PNG\r\n\x1a\n", 8), "libpng");

    /* A valid file, then truncated copies and a corrupted IHDR. */
    mf_img8 img;
    CHECK_EQ_INT(mf_img8_alloc(&img, 40, 40), 0);
    for (int i = 0; i < 1600; i++) img.px[i] = (uint8_t)((i * 37) ^ (i >> 3));
    CHECK_EQ_INT(mf_png_write_gray(tmp_path(good, sizeof good, dir, "good.png"), &img, &e), 0);
    mf_img8_free(&img);
    long n = file_size(good);
    unsigned char buf[8192];
    FILE *f = fopen(good, "rb");
    CHECK(f && n > 60 && n < (long)sizeof buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
    if (f) fclose(f);
    expect_read_fail(tmp_write(p, sizeof p, dir, "cut_ihdr.png", buf, 20), "libpng");
    expect_read_fail(tmp_write(p, sizeof p, dir, "cut_idat.png", buf, (size_t)n / 2), "libpng");
    expect_read_fail(tmp_write(p, sizeof p, dir, "cut_end.png", buf, (size_t)n - 12), "libpng");
    unsigned char bad[8192];
    memcpy(bad, buf, (size_t)n);
    bad[17] ^= 0x40; /* width byte inside IHDR: CRC mismatch */
    expect_read_fail(tmp_write(p, sizeof p, dir, "crc.png", bad, (size_t)n), "libpng");
    memcpy(bad, buf, (size_t)n);
    for (long i = 45; i < n - 20; i++) bad[i] = 0xAB; /* IDAT payload garbage */
    expect_read_fail(tmp_write(p, sizeof p, dir, "idat.png", bad, (size_t)n), "libpng");
    /* A folder. */
    expect_read_fail(dir, dir);

    /* Writers: unwritable path names the file; nothing is left behind. */
    CHECK_EQ_INT(mf_img8_alloc(&img, 2, 2), 0);
    CHECK_EQ_INT(mf_png_write_gray(tmp_path(p, sizeof p, dir, "no/dir/g.png"), &img, &e), -1);
    CHECK_MSG(has(e.msg, p) && has(e.msg, "No such file"), "%s", e.msg);
    uint8_t rgb[12] = {0};
    CHECK_EQ_INT(mf_png_write_rgb(tmp_path(p, sizeof p, dir, "no/dir/c.png"), 2, 2, rgb, &e), -1);
    CHECK_MSG(has(e.msg, p), "%s", e.msg);
    CHECK_EQ_INT(mf_png_write_rgb(tmp_path(p, sizeof p, dir, "zero.png"), 0, 2, rgb, &e), -1);
    CHECK_MSG(has(e.msg, p) && file_size(p) < 0, "%s", e.msg);
    CHECK_EQ_INT(mf_png_write_rgb(tmp_path(p, sizeof p, dir, "null.png"), 2, 2, NULL, &e), -1);
    CHECK(has(e.msg, p));
    mf_img8_free(&img);
    /* A write error (ENOSPC) through a link to /dev/full: an error naming the
     * path, and the link (not a regular file) is left alone. */
    char full[512];
    tmp_path(full, sizeof full, dir, "full.png");
    if (symlink("/dev/full", full) == 0) {
        mf_img8 big;
        CHECK_EQ_INT(mf_img8_alloc(&big, 300, 300), 0);
        for (int i = 0; i < 90000; i++) big.px[i] = (uint8_t)(i * 2654435761u >> 24);
        CHECK_EQ_INT(mf_png_write_gray(full, &big, &e), -1);
        CHECK_MSG(has(e.msg, full), "%s", e.msg);
        struct stat st;
        CHECK(lstat(full, &st) == 0 && S_ISLNK(st.st_mode));
        CHECK(stat("/dev/full", &st) == 0);
        mf_img8_free(&big);
    }

    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    CHECK_MSG(file_size(errlog) == 0, "libpng wrote %ld bytes to stderr", file_size(errlog));
}

int main(void) {
    dir = tmp_make();
    test_roundtrip();
    test_types();
    test_errors();
    tmp_remove(dir);
    return check_done();
}
