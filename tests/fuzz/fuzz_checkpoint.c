/* fuzz_checkpoint.c: checkpoint.h5's reader (io/checkpoint.c) on any bytes,
 * for the head of the seed checkpoints (fusion1 on branches [1, 2], at most
 * 8 epochs): a training state, or one error line naming the file. */
#include "core/heads.h"
#include "fuzz.h"
#include "io/checkpoint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    const char *p = fz_file(data, size, ".h5");
    static mf_head h;
    static int ready;
    mf_err e = {""};
    if (!ready) {
        const int br[2] = {1, 2};
        if (mf_head_init(&h, 1, 2, br, &e)) abort();
        ready = 1;
    }
    mf_train_state t;
    if (mf_train_state_alloc(&t, h.nparams, h.nstate, 8)) return 0;
    if (mf_ckpt_read(p, &t, NULL, &e)) fz_check_msg(e.msg, p);
    mf_train_state_free(&t);
    return 0;
}
