/* fuzz_rois.c: the rois.h5 reader (io/rois_store.c) on any bytes: a ROI set
 * whose fields are in range, or one error line naming the file. */
#include "fuzz.h"
#include "io/rois_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    const char *p = fz_file(data, size, ".h5");
    mf_roiset s;
    char *config = NULL;
    mf_err e = {""};
    if (mf_rois_read(p, &s, &config, &e) == 0) {
        unsigned sum = 0;
        for (size_t i = 0; i < (size_t)s.n * (size_t)s.size * (size_t)s.size; i++) sum += s.images[i];
        (void)sum;
        mf_roiset_free(&s);
        free(config);
    } else
        fz_check_msg(e.msg, p);
    return 0;
}
