/* fuzz_weights.c: the Keras VGG weights reader (io/weights.c, HDF5) on any
 * bytes: a tower of whole blocks, or one error line naming the file. */
#include "core/vgg.h"
#include "fuzz.h"
#include "io/weights.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    const char *p = fz_file(data, size, ".h5");
    mf_vgg_weights w;
    mf_weights_info info;
    mf_err e = {""};
    memset(&w, 0, sizeof w);
    if (mf_weights_read(p, 0, &w, &info, &e) == 0) mf_vgg_weights_free(&w);
    else fz_check_msg(e.msg, p);
    return 0;
}
