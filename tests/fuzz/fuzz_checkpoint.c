/* fuzz_checkpoint.c: checkpoint.h5's reader (io/checkpoint.c) on any bytes:
 * a training state, or one error line naming the file. mf_ckpt_read sizes
 * every read from the state it is given (nparams, nstate, at most 8
 * epochs) and never from a head, so the harness gives it a small one:
 * a whole checkpoint of fusion1's 1.25 M parameters (x3: params, velocity,
 * best) took 0.1-1 s to inflate under ASan, a small one (the seeds
 * corpus/checkpoint/small-*) takes a millisecond, through the same code.
 * Full-size inputs are still read: refused at their shape. */
#include "fuzz.h"
#include "io/checkpoint.h"

enum { NPARAMS = 1000, NSTATE = 32, EPOCHS = 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    const char *p = fz_file(data, size, ".h5");
    static mf_train_state t0; /* allocated once, its buffers reused */
    static int ready;
    mf_err e = {""};
    if (!ready) {
        if (mf_train_state_alloc(&t0, NPARAMS, NSTATE, EPOCHS)) abort();
        ready = 1;
    }
    mf_train_state t = t0; /* the same buffers, the counters as allocated */
    if (mf_ckpt_read(p, &t, NULL, &e)) fz_check_msg(e.msg, p);
    return 0;
}
