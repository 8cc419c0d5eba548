/* sha256_file.h: the SHA-256 of a file's bytes, the identity every store
 * records of what it was made from (ROI sets, images, Info.txt, weights). */
#ifndef MF_IO_SHA256_FILE_H
#define MF_IO_SHA256_FILE_H

#include "core/err.h"

/* SHA-256 of a file's bytes as 64 hex digits; bytes (may be NULL) = size.
 * Errors name the file and the reason (strerror). */
int mf_sha256_file(const char *path, char hex[65], long long *bytes, mf_err *e);

#endif
