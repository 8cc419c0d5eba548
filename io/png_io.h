/* png_io.h: PNG through libpng: 8-bit gray in (the released ROIs), gray or
 * RGB out (contact sheets, figures), gray to memory (the report's
 * embedded thumbnails). */
#ifndef MF_IO_PNG_IO_H
#define MF_IO_PNG_IO_H
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/image.h"

/* Reads any PNG as 8-bit gray: gray kept, 16-bit reduced, palette expanded,
 * RGB converted to gray with libpng's default weights, alpha dropped. */
int mf_png_read_gray(const char *path, mf_img8 *img, mf_err *e);

/* Writes an 8-bit gray PNG. */
int mf_png_write_gray(const char *path, const mf_img8 *img, mf_err *e);

/* Writes an 8-bit RGB PNG from rgb[h][w][3]. */
int mf_png_write_rgb(const char *path, int h, int w, const uint8_t *rgb, mf_err *e);

/* Encodes px[h][w] (8-bit gray) as a PNG in memory: *out (malloc'ed, the
 * caller frees) of *len bytes; the bytes are a function of the pixels (no
 * time chunk), for the report's data: URIs. */
int mf_png_encode_gray(int h, int w, const uint8_t *px, uint8_t **out, size_t *len, mf_err *e);

#endif
