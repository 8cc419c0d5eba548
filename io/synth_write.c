/* synth_write.c: see synth_write.h. Info.txt is written under a temporary
 * name and renamed last, so a folder with an Info.txt is a complete demo. */
#include "io/synth_write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/synth.h"
#include "io/fsutil.h"
#include "io/pgm.h"

/* Removes dir/mdb001.pgm .. dir/mdb<n>.pgm (cleanup after an error). */
static void remove_images(const char *dir, int n) {
    char p[4096];
    for (int id = 1; id <= n; id++) {
        snprintf(p, sizeof p, "%s/mdb%03d.pgm", dir, id);
        remove(p);
    }
}

static int write_info(const char *dir, uint64_t seed, int n_images, mf_err *e) {
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/Info.txt", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) return mf_fail(e, "%s: cannot create: %s", tmp, strerror(errno));
    int ok = fprintf(f, "mammofuse synthetic demo data (MIAS format), seed %llu, %d images\r\n\r\n",
                     (unsigned long long)seed, n_images) > 0;
    for (int id = 1; id <= n_images && ok; id++) {
        char rows[MF_SYNTH_MAX_LESIONS][MF_SYNTH_ROW_MAX];
        int n = mf_synth_info(seed, id, rows, e);
        if (n < 0) {
            fclose(f);
            remove(tmp);
            return -1;
        }
        for (int k = 0; k < n && ok; k++) ok = fprintf(f, "%s\r\n", rows[k]) > 0;
    }
    if (ok) ok = fprintf(f, "\r\n=================================================================\r\n") > 0;
    int err = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (!ok) {
        remove(tmp);
        return mf_fail(e, "%s: write error: %s", tmp, strerror(err ? err : EIO));
    }
    if (rename(tmp, path) != 0) {
        err = errno;
        remove(tmp);
        return mf_fail(e, "%s: cannot rename from %s: %s", path, tmp, strerror(err));
    }
    return 0;
}

int mf_synth_write(const char *dir, uint64_t seed, int n_images, mf_err *e) {
    if (n_images < 1 || n_images > MF_SYNTH_MAX_ID)
        return mf_fail(e, "synth: %d images: expected 1..%d (mdbNNN)", n_images, MF_SYNTH_MAX_ID);
    if (mf_mkdir_p(dir, e)) return -1;
    for (int id = 1; id <= n_images; id++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/mdb%03d.pgm", dir, id);
        mf_img8 img;
        if (mf_synth_image(seed, id, &img, NULL, NULL, e) || mf_pgm_write(p, &img, e)) {
            mf_img8_free(&img);
            remove_images(dir, id - 1);
            return -1;
        }
        mf_img8_free(&img);
    }
    if (write_info(dir, seed, n_images, e)) {
        remove_images(dir, n_images);
        return -1;
    }
    return 0;
}
