/* fuzz_png.c: the PNG reader (io/png_io.c, libpng underneath) on any bytes:
 * an 8-bit gray image or one error line naming the file. */
#include "fuzz.h"
#include "io/png_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *p = fz_file(data, size, ".png");
    mf_img8 img;
    mf_err e = {""};
    if (mf_png_read_gray(p, &img, &e) == 0) {
        if (img.h < 1 || img.w < 1 || !img.px) abort();
        unsigned sum = 0;
        for (size_t i = 0; i < (size_t)img.h * (size_t)img.w; i++) sum += img.px[i];
        (void)sum;
        mf_img8_free(&img);
    } else
        fz_check_msg(e.msg, p);
    return 0;
}
