/* file_set.c: see file_set.h. */
#include "io/file_set.h"

#include <errno.h>
#include <string.h>

#include "core/config.h"
#include "io/fault.h"
#include "io/h5util.h"

int mf_file_set_write(const char *dir, const char *const *names, int n, mf_file_write_fn fn, const void *ctx,
                      mf_err *e) {
    if (n < 1 || n > MF_FILE_SET_MAX) return mf_fail(e, "%s: %d files in one set (1..%d)", names[0], n, MF_FILE_SET_MAX);
    char path[MF_FILE_SET_MAX][MF_PATH_MAX + 64], tmp[MF_FILE_SET_MAX][MF_PATH_MAX + 128];
    int made = 0, rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        if (dir) snprintf(path[i], sizeof path[i], "%s/%s", dir, names[i]);
        else snprintf(path[i], sizeof path[i], "%s", names[i]);
        mf_tmp_name(path[i], tmp[i], sizeof tmp[i]);
        FILE *f = fopen(tmp[i], "w");
        if (!f) {
            rc = mf_fail(e, "%s: cannot create %s: %s", path[i], tmp[i], strerror(errno));
            break;
        }
        made = i + 1;
        rc = fn(f, i, ctx, e);
        errno = 0;
        int bad = ferror(f) | (fclose(f) != 0), err = errno;
        if (bad && !rc) rc = mf_fail(e, "%s: cannot write: %s", path[i], err ? strerror(err) : "write error");
    }
    for (int i = made - 1; i >= 0 && !rc; i--) {
        mf_fault_point("rename");
        if (rename(tmp[i], path[i])) rc = mf_fail(e, "%s: cannot rename into place: %s", path[i], strerror(errno));
    }
    if (rc)
        for (int i = 0; i < made; i++) remove(tmp[i]);
    return rc;
}
