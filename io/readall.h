/* readall.h: a whole file into memory, for the small text and image inputs
 * (PGM, Info.txt). Reading everything first lets the parsers report exact
 * byte offsets and never leave a half-filled result behind. */
#ifndef MF_IO_READALL_H
#define MF_IO_READALL_H
#include <stddef.h>

#include "core/err.h"

/* Reads path into *buf (malloc'ed, one extra NUL byte after *len bytes so
 * text parsers may treat it as a string; free() it). Errors name the file
 * and the reason (strerror). */
int mf_read_all(const char *path, unsigned char **buf, size_t *len, mf_err *e);

#endif
