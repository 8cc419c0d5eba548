/* fsutil.h: folders and small file facts. */
#ifndef MF_IO_FSUTIL_H
#define MF_IO_FSUTIL_H
#include "core/err.h"

/* mkdir -p; errors name the part that could not be made. */
int mf_mkdir_p(const char *path, mf_err *e);

/* 1 if path exists (any type). */
int mf_exists(const char *path);

#endif
