/* fuzz_weights.c: the Keras VGG weights reader (io/weights.c, HDF5) on any
 * bytes, as the product reads an untrusted file: first in another process
 * (io/weights_probe.h; here the probe server of fuzz_probe.h, which tells
 * libhdf5's contained faults from the project's bugs), then, if it
 * survived, in-process: a tower of whole blocks, or one error line naming
 * the file, the same verdict as the probe's. */
#include "core/vgg.h"
#include "fuzz.h"
#include "fuzz_probe.h"
#include "io/weights.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    const char *p = fz_file(data, size, ".h5");
    mf_err pe = {""};
    static int no_probe = -1; /* MF_FUZZ_NO_PROBE=1: in-process only, as before the probe (to measure it) */
    if (no_probe < 0) no_probe = getenv("MF_FUZZ_NO_PROBE") != NULL;
    int probe = no_probe ? 0 : fz_weights_probe(p, &pe);
    if (probe < 0) { /* a libhdf5 fault, contained: the product's refusal */
        fz_check_msg(pe.msg, p);
        return 0;
    }
    mf_vgg_weights w;
    mf_weights_info info;
    mf_err e = {""};
    memset(&w, 0, sizeof w);
    int rc = mf_weights_read(p, 0, &w, &info, &e);
    if (rc == 0) mf_vgg_weights_free(&w);
    else fz_check_msg(e.msg, p);
    if (!no_probe && (rc != 0) != (probe != 0)) { /* libhdf5 on the same bytes: the same verdict */
        fprintf(stderr, "fuzz: the probe %s, the in-process read %s ('%s' / '%s')\n",
                probe ? "refused" : "read it", rc ? "refused" : "read it", pe.msg, e.msg);
        abort();
    }
    if (!no_probe && probe && strcmp(pe.msg, e.msg))
        fprintf(stderr, "fuzz: note: another refusal in the probe: '%s' / '%s'\n", pe.msg, e.msg);
    return 0;
}
