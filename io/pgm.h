/* pgm.h: Netpbm gray images, as MIAS ships them.
 * Reads binary P5 and ASCII P2, '#' comments anywhere in the header,
 * maxval 1..65535 (two bytes big-endian per sample in P5 when > 255).
 * Writes binary P5, maxval 255 (for the synthetic demo data). */
#ifndef MF_IO_PGM_H
#define MF_IO_PGM_H
#include "core/err.h"
#include "core/image.h"

/* Reads path into img (allocated here) as 8 bits: samples with maxval 255 are
 * kept; otherwise scaled as MATLAB's im2uint8 would, round(v * 255 / maxval).
 * Errors name the file and the byte offset or header field, e.g.
 * "x.pgm: byte 15: expected 1048576 bytes of pixel data, found 1000". */
int mf_pgm_read(const char *path, mf_img8 *img, mf_err *e);

/* Writes img as P5 maxval 255; errors name the file. */
int mf_pgm_write(const char *path, const mf_img8 *img, mf_err *e);

#endif
