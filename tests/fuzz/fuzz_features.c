/* fuzz_features.c: the feature store's read side (io/features_store.c,
 * io/fstore_rows.c) on any bytes, as train/evaluate use it: open (schema,
 * shapes, done flags), identity, plan, and the first rows of every summary.
 * Any failure must be one error line naming the file. */
#include "fuzz.h"
#include "io/features_store.h"
#include "io/fstore_rows.h"

/* A hostile file may claim any number of rows; the job would try to
 * allocate its plan and say "out of memory" if it cannot. The harness
 * stops short of that (the allocation itself is not under test). */
enum { MAX_ROWS = 1 << 16, READ_ROWS = 8 };

static void must(int rc, const mf_err *e, const char *p) {
    if (rc) fz_check_msg(e->msg, p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    const char *p = fz_file(data, size, ".h5");
    mf_fstore fs;
    mf_err e = {""};
    int rc = mf_fstore_open_ro(&fs, p, &e);
    must(rc, &e, p);
    if (rc) return 0;
    mf_identity id;
    rc = mf_fstore_identity(&fs, &id, &e);
    must(rc, &e, p);
    free(mf_fstore_attr(&fs, "config"));
    if (!rc && fs.n <= MAX_ROWS) {
        mf_patch *plan = fz_buf(0, sizeof *plan * (size_t)fs.n);
        if (plan) {
            rc = mf_fstore_read_plan(&fs, plan, &e);
            must(rc, &e, p);
        }
    }
    int64_t rows[READ_ROWS];
    int n = fs.n < READ_ROWS ? (int)fs.n : READ_ROWS;
    for (int i = 0; i < n; i++) rows[i] = fs.n - n + i;
    float *buf = fz_buf(1, sizeof(float) * READ_ROWS * 4 * 512);
    for (int b = 0; buf && !rc && b < fs.n_blocks; b++)
        for (int s = 0; !rc && s < 3; s++) {
            rc = mf_fstore_read_rows(&fs, b, s, 0, n, buf, &e);
            if (!rc) rc = mf_fstore_read_list(&fs, b, s, rows, n, buf, &e);
            must(rc, &e, p);
        }
    mf_fstore_close_ro(&fs);
    return 0;
}
