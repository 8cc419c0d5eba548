/* readall.c: see readall.h. Reads in growing chunks rather than trusting
 * fseek/ftell, so pipes and /proc files work too and errors are exact. */
#include "io/readall.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mf_read_all(const char *path, unsigned char **buf, size_t *len, mf_err *e) {
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return mf_fail(e, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    unsigned char *b = malloc(cap + 1);
    if (!b) {
        fclose(f);
        return mf_fail(e, "%s: out of memory", path);
    }
    for (;;) {
        if (n == cap) {
            unsigned char *nb = realloc(b, 2 * cap + 1);
            if (!nb) {
                free(b);
                fclose(f);
                return mf_fail(e, "%s: out of memory reading %zu bytes", path, n);
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        int err = errno;
        free(b);
        fclose(f);
        return mf_fail(e, "%s: read error: %s", path, strerror(err ? err : EIO));
    }
    fclose(f);
    b[n] = 0;
    *buf = b;
    *len = n;
    return 0;
}
