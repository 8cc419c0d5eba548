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

int mf_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}
