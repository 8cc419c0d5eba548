/* sha256_file.c: see sha256_file.h. */
#include "io/sha256_file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"

int mf_sha256_file(const char *path, char hex[65], long long *bytes, mf_err *e) {
    FILE *f = fopen(path, "rb");
    if (!f) return mf_fail(e, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, got; /* 64 kB reads hash as fast as 1 MB (and stay off mmap) */
    unsigned char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return mf_fail(e, "%s: out of memory for the SHA-256 read buffer", path);
    }
    mf_sha256 s;
    mf_sha256_init(&s);
    long long total = 0;
    errno = 0;
    while ((got = fread(buf, 1, cap, f)) > 0) {
        mf_sha256_update(&s, buf, got);
        total += (long long)got;
    }
    int bad = ferror(f), err = errno;
    free(buf);
    fclose(f);
    if (bad) return mf_fail(e, "%s: byte %lld: read error: %s", path, total, strerror(err ? err : EIO));
    uint8_t dg[32];
    mf_sha256_final(&s, dg);
    mf_sha256_hex(dg, hex);
    if (bytes) *bytes = total;
    return 0;
}
