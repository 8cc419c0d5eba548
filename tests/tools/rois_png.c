/* rois_png.c: writes the ROIs of one split of a rois.h5 as 8-bit gray PNG
 * files, for the predict tests:
 *   rois_png ROIS.h5 SPLIT OUTDIR [PGM]
 * writes OUTDIR/roi_<index, 4 digits>.png (or .pgm with a 4th argument) for
 * every ROI of split SPLIT (0 train, 1 val, 2 test; -1 all), in ROI order,
 * and prints one line per ROI: "<index> <path>". */
#include <stdio.h>
#include <stdlib.h>

#include "io/pgm.h"
#include "io/png_io.h"
#include "io/rois_store.h"

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: rois_png ROIS.h5 SPLIT OUTDIR [PGM]\n");
        return 2;
    }
    int split = atoi(argv[2]), pgm = argc > 4;
    mf_roiset s;
    mf_err e;
    if (mf_rois_read(argv[1], &s, NULL, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    int rc = 0;
    for (int i = 0; i < s.n && !rc; i++) {
        if (split >= 0 && s.meta[i].split != split) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/roi_%04d.%s", argv[3], i, pgm ? "pgm" : "png");
        mf_img8 img = {s.size, s.size, s.images + (size_t)i * s.size * s.size};
        rc = pgm ? mf_pgm_write(path, &img, &e) : mf_png_write_gray(path, &img, &e);
        if (rc) fprintf(stderr, "%s\n", e.msg);
        else printf("%d %s\n", i, path);
    }
    mf_roiset_free(&s);
    return rc ? 1 : 0;
}
