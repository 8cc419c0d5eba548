/* mias_info.h: the MIAS annotation file Info.txt.
 * CRLF or LF line ends, a prose header before the first data row, rows
 * "REFNUM BG CLASS [SEVERITY X Y RADIUS]" with trailing blanks, NORM rows
 * without severity, abnormal rows without coordinates (e.g. "mdb059 F CIRC B",
 * "mdb216 D CALC M *NOTE 3*"), several rows per image. */
#ifndef MF_IO_MIAS_INFO_H
#define MF_IO_MIAS_INFO_H
#include <stddef.h>

#include "core/err.h"

typedef struct mf_info_row {
    char ref[8];     /* "mdb001" */
    int image_id;    /* 1 for mdb001 */
    char bg;         /* F, G or D */
    char cls[5];     /* CALC CIRC SPIC MISC ARCH ASYM NORM */
    char severity;   /* 'B', 'M', or 'N' for NORM rows */
    int has_xy;      /* 1 when X Y RADIUS are given */
    int x, y, radius;/* MIAS coordinates: y from the bottom; 0 when !has_xy */
    int line;        /* 1-based line in the file, for messages */
} mf_info_row;

/* Reads every data row (lines before the first "mdbNNN" row are the header
 * and skipped; blank lines skipped). A malformed data row is an error naming
 * the file, line and field: "Info.txt: line 120: expected SEVERITY B or M,
 * found 'X'". Coordinates must lie in 1..1024 (x) and 1..1024 (y).
 * *rows is malloc'ed; free() it. */
int mf_info_read(const char *path, mf_info_row **rows, int *n, mf_err *e);

/* The same from text in memory (path only names it in messages): how the
 * synthetic demo's rows go through exactly the reader real data does. */
int mf_info_parse(const char *path, const char *text, size_t len, mf_info_row **rows, int *n, mf_err *e);

#endif
