/* fuzz_pgm.c: the PGM reader (io/pgm.c) on any bytes: an image of the size
 * it says, or one error line naming the file and nothing allocated. */
#include "fuzz.h"
#include "io/pgm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *p = fz_file(data, size, ".pgm");
    mf_img8 img;
    mf_err e = {""};
    if (mf_pgm_read(p, &img, &e) == 0) {
        if (img.h < 1 || img.w < 1 || !img.px) abort();
        /* touch every pixel: a short buffer is an ASan report here */
        unsigned sum = 0;
        for (size_t i = 0; i < (size_t)img.h * (size_t)img.w; i++) sum += img.px[i];
        (void)sum;
        mf_img8_free(&img);
    } else {
        fz_check_msg(e.msg, p);
        if (img.px) abort();
    }
    return 0;
}
