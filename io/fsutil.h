/* fsutil.h: folders and small file facts. */
#ifndef MF_IO_FSUTIL_H
#define MF_IO_FSUTIL_H
#include "core/err.h"

/* mkdir -p; errors name the part that could not be made. */
int mf_mkdir_p(const char *path, mf_err *e);

/* 1 if path exists (any type). */
int mf_exists(const char *path);

/* Copies the file src to dst through dst.partial and a rename, so dst is
 * either its old self or a whole copy; errors name the file. */
int mf_copy_file(const char *src, const char *dst, mf_err *e);

#endif
