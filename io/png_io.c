/* png_io.c: see png_io.h. libpng reports errors by calling an error function
 * that must not return; ours formats one mf_err line naming the file and
 * longjmps back, so a corrupt PNG is an ordinary error, never an abort or
 * text on stderr. Warnings are dropped for the same reason. */
#include "io/png_io.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PNG_MAX_PIXELS ((size_t)1 << 28)

/* Everything the longjmp path must release lives here, not in locals, so no
 * local needs to be volatile. */
typedef struct png_ctx {
    const char *path;
    mf_err *e;
    FILE *f;
    png_structp png;
    png_infop info;
    png_bytep *rows;
} png_ctx;

static void on_error(png_structp png, png_const_charp msg) {
    png_ctx *c = png_get_error_ptr(png);
    mf_fail(c->e, "%s: libpng: %s", c->path, msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg) {
    (void)png;
    (void)msg;
}

/* The libpng calls; a libpng error longjmps here and returns -1. State that
 * the caller releases lives behind c, so no local needs to be volatile. */
static int read_body(png_ctx *c, mf_img8 *img) {
    if (setjmp(png_jmpbuf(c->png))) return -1;
    png_init_io(c->png, c->f);
    png_set_sig_bytes(c->png, 8);
    png_read_info(c->png, c->info);
    png_uint_32 w = png_get_image_width(c->png, c->info), h = png_get_image_height(c->png, c->info);
    if ((size_t)w * h > PNG_MAX_PIXELS) png_error(c->png, "image too large");
    int ct = png_get_color_type(c->png, c->info);
    /* To 8-bit gray: palette/low-depth/tRNS expanded, 16 bits scaled
     * (round(v * 255 / 65535)), colour weighted, alpha dropped. */
    png_set_expand(c->png);
    png_set_scale_16(c->png);
    png_set_strip_alpha(c->png);
    if (ct & PNG_COLOR_MASK_COLOR) png_set_rgb_to_gray_fixed(c->png, 1, -1, -1);
    png_set_interlace_handling(c->png);
    png_read_update_info(c->png, c->info);
    if (png_get_channels(c->png, c->info) != 1 || png_get_bit_depth(c->png, c->info) != 8)
        png_error(c->png, "could not convert to 8-bit gray");
    if (mf_img8_alloc(img, (int)h, (int)w)) png_error(c->png, "out of memory for the pixels");
    c->rows = malloc(sizeof *c->rows * h);
    if (!c->rows) png_error(c->png, "out of memory for the row pointers");
    for (png_uint_32 r = 0; r < h; r++) c->rows[r] = img->px + (size_t)r * w;
    png_read_image(c->png, c->rows);
    png_read_end(c->png, NULL);
    return 0;
}

int mf_png_read_gray(const char *path, mf_img8 *img, mf_err *e) {
    img->h = img->w = 0;
    img->px = NULL;
    png_ctx c = {path, e, NULL, NULL, NULL, NULL};
    c.f = fopen(path, "rb");
    if (!c.f) return mf_fail(e, "%s: cannot open: %s", path, strerror(errno));
    unsigned char sig[8];
    size_t nsig = fread(sig, 1, 8, c.f);
    if (nsig < 8 || png_sig_cmp(sig, 0, 8)) {
        fclose(c.f);
        return mf_fail(e, "%s: byte 0: expected the PNG signature, found %s", path,
                       nsig < 8 ? "a file shorter than 8 bytes" : "other bytes");
    }
    c.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &c, on_error, on_warning);
    if (c.png) c.info = png_create_info_struct(c.png);
    if (!c.png || !c.info) {
        png_destroy_read_struct(c.png ? &c.png : NULL, NULL, NULL);
        fclose(c.f);
        return mf_fail(e, "%s: out of memory creating the PNG reader", path);
    }
    int rc = read_body(&c, img);
    png_destroy_read_struct(&c.png, &c.info, NULL);
    free(c.rows);
    fclose(c.f);
    if (rc) mf_img8_free(img);
    return rc;
}

/* Whether f is a regular file (which a failed write may delete). */
static int is_regular(FILE *f) {
    struct stat st;
    return fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
}

/* The libpng calls of a write; a libpng error longjmps here, returns -1. */
static int write_body(png_ctx *c, int h, int w, int color_type, int channels, const uint8_t *px) {
    if (setjmp(png_jmpbuf(c->png))) return -1;
    png_init_io(c->png, c->f);
    png_set_IHDR(c->png, c->info, (png_uint_32)w, (png_uint_32)h, 8, color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(c->png, c->info);
    c->rows = malloc(sizeof *c->rows * (size_t)h);
    if (!c->rows) png_error(c->png, "out of memory for the row pointers");
    for (int r = 0; r < h; r++) c->rows[r] = (png_bytep)px + (size_t)r * w * channels;
    png_write_image(c->png, c->rows);
    png_write_end(c->png, NULL);
    return 0;
}

/* Writes h rows of w pixels with the given colour type (gray or RGB). */
static int write_png(const char *path, int h, int w, int color_type, int channels,
                     const uint8_t *px, mf_err *e) {
    if (!px || h < 1 || w < 1) return mf_fail(e, "%s: cannot write an empty image", path);
    png_ctx c = {path, e, NULL, NULL, NULL, NULL};
    c.f = fopen(path, "wb");
    if (!c.f) return mf_fail(e, "%s: cannot create: %s", path, strerror(errno));
    c.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &c, on_error, on_warning);
    if (c.png) c.info = png_create_info_struct(c.png);
    if (!c.png || !c.info) {
        png_destroy_write_struct(c.png ? &c.png : NULL, NULL);
        if (is_regular(c.f)) remove(path);
        fclose(c.f);
        return mf_fail(e, "%s: out of memory creating the PNG writer", path);
    }
    int rc = write_body(&c, h, w, color_type, channels, px);
    png_destroy_write_struct(&c.png, &c.info);
    free(c.rows);
    /* No partial output; but never unlink a device or fifo we were pointed at. */
    int regular = is_regular(c.f);
    if (fclose(c.f) != 0 && rc == 0) rc = mf_fail(e, "%s: write error: %s", path, strerror(errno));
    if (rc && regular) remove(path);
    return rc;
}

int mf_png_write_gray(const char *path, const mf_img8 *img, mf_err *e) {
    if (!img) return mf_fail(e, "%s: cannot write an empty image", path);
    return write_png(path, img->h, img->w, PNG_COLOR_TYPE_GRAY, 1, img->px, e);
}

int mf_png_write_rgb(const char *path, int h, int w, const uint8_t *rgb, mf_err *e) {
    return write_png(path, h, w, PNG_COLOR_TYPE_RGB, 3, rgb, e);
}

/* The growing buffer behind png_set_write_fn. */
typedef struct png_mem {
    png_ctx *c;
    uint8_t *buf;
    size_t len, cap;
} png_mem;

static void mem_write(png_structp png, png_bytep data, size_t n) {
    png_mem *m = png_get_io_ptr(png);
    if (m->len + n > m->cap) {
        size_t cap = m->cap ? m->cap : 4096;
        while (cap < m->len + n) cap *= 2;
        uint8_t *nb = realloc(m->buf, cap);
        if (!nb) png_error(png, "out of memory for the encoded image");
        m->buf = nb;
        m->cap = cap;
    }
    memcpy(m->buf + m->len, data, n);
    m->len += n;
}

static void mem_flush(png_structp png) { (void)png; }

static int encode_body(png_ctx *c, png_mem *m, int h, int w, const uint8_t *px) {
    if (setjmp(png_jmpbuf(c->png))) return -1;
    png_set_write_fn(c->png, m, mem_write, mem_flush);
    png_set_IHDR(c->png, c->info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(c->png, c->info);
    c->rows = malloc(sizeof *c->rows * (size_t)h);
    if (!c->rows) png_error(c->png, "out of memory for the row pointers");
    for (int r = 0; r < h; r++) c->rows[r] = (png_bytep)px + (size_t)r * w;
    png_write_image(c->png, c->rows);
    png_write_end(c->png, NULL);
    return 0;
}

int mf_png_encode_gray(int h, int w, const uint8_t *px, uint8_t **out, size_t *len, mf_err *e) {
    *out = NULL;
    *len = 0;
    if (!px || h < 1 || w < 1) return mf_fail(e, "PNG in memory: cannot encode an empty image");
    png_ctx c = {"PNG in memory", e, NULL, NULL, NULL, NULL};
    png_mem m = {&c, NULL, 0, 0};
    c.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &c, on_error, on_warning);
    if (c.png) c.info = png_create_info_struct(c.png);
    if (!c.png || !c.info) {
        png_destroy_write_struct(c.png ? &c.png : NULL, NULL);
        return mf_fail(e, "PNG in memory: out of memory creating the PNG writer");
    }
    int rc = encode_body(&c, &m, h, w, px);
    png_destroy_write_struct(&c.png, &c.info);
    free(c.rows);
    if (rc) {
        free(m.buf);
        return -1;
    }
    *out = m.buf;
    *len = m.len;
    return 0;
}
