/* fuzz_model.c: model.h5's readers (io/checkpoint.c, io/identity_h5.c) on
 * any bytes, in the order predict/evaluate call them: the check, both
 * identity groups, the head named by the identity, its weights. Any
 * failure must be one error line naming the file. */
#include "core/heads.h"
#include "fuzz.h"
#include "io/checkpoint.h"
#include "io/identity_h5.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    const char *p = fz_file(data, size, ".h5");
    mf_err e = {""};
    int epochs = 0;
    mf_identity tid, sid;
    int rc = mf_model_check(p, NULL, &epochs, &e);
    if (!rc) rc = mf_identity_read_file(p, "model", &tid, &e);
    if (!rc) {
        hid_t f = mf_h5_open_ro(p, &e);
        rc = f < 0 ? -1 : mf_identity_read_group(f, MF_STORE_IDENTITY_GROUP, p, "model", &sid, &e);
        if (f >= 0) H5Fclose(f);
    }
    if (rc) {
        fz_check_msg(e.msg, p);
        return 0;
    }
    /* the head as predict makes it; a malformed identity is predict's to
     * refuse (not this reader's), so it just ends the run here */
    const mf_ident_entry *br = mf_identity_find(&tid, "model.branches");
    const mf_ident_entry *hd = mf_identity_find(&tid, "model.head");
    if (!br || br->type != MF_IDV_LIST || !hd || hd->type != MF_IDV_TEXT) return 0;
    mf_head h;
    if (mf_head_init(&h, strcmp(hd->text, "fusion2") ? 1 : 2, br->list.n, br->list.v, &e)) return 0;
    float *params = fz_buf(0, h.nparams * sizeof(float)), *state = fz_buf(1, h.nstate * sizeof(float));
    if (params && state && mf_model_read(p, &h, params, state, &e)) fz_check_msg(e.msg, p);
    return 0;
}
