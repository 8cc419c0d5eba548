/* fsutil.c: see fsutil.h. */
#include "io/fsutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int mf_mkdir_p(const char *path, mf_err *e) {
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return mf_fail(e, "%s: path too long", path);
    for (char *p = buf + 1;; p++) {
        char c = *p;
        if (c == '/' || c == 0) {
            *p = 0;
            struct stat st;
            if (stat(buf, &st)) {
                if (mkdir(buf, 0777) && errno != EEXIST)
                    return mf_fail(e, "%s: cannot create folder: %s", buf, strerror(errno));
            } else if (!S_ISDIR(st.st_mode))
                return mf_fail(e, "%s: expected a folder, found a file", buf);
            *p = c;
        }
        if (!c) break;
    }
    return 0;
}

int mf_copy_file(const char *src, const char *dst, mf_err *e) {
    char tmp[4096 + 16];
    if (snprintf(tmp, sizeof tmp, "%s.partial", dst) >= (int)sizeof tmp) return mf_fail(e, "%s: path too long", dst);
    FILE *in = fopen(src, "rb");
    if (!in) return mf_fail(e, "%s: cannot open: %s", src, strerror(errno));
    FILE *out = fopen(tmp, "wb");
    if (!out) {
        int err = errno;
        fclose(in);
        return mf_fail(e, "%s: cannot create: %s", tmp, strerror(err));
    }
    char buf[1 << 16];
    size_t n;
    int bad = 0;
    while (!bad && (n = fread(buf, 1, sizeof buf, in)) > 0) bad = fwrite(buf, 1, n, out) != n;
    int rerr = ferror(in), werr = bad || ferror(out);
    int err = errno;
    fclose(in);
    if (fclose(out)) werr = 1, err = errno;
    if (rerr || werr) {
        remove(tmp);
        return mf_fail(e, "%s: %s: %s", rerr ? src : tmp, rerr ? "cannot read" : "cannot write", strerror(err));
    }
    if (rename(tmp, dst)) {
        err = errno;
        remove(tmp);
        return mf_fail(e, "%s: cannot rename to %s: %s", tmp, dst, strerror(err));
    }
    return 0;
}

int mf_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}
