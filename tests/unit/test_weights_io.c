/* test_weights_io.c: the Keras weights reader and writer (io/weights.c):
 * round trips in both dataset naming styles (bit-identical), recognition of
 * VGG16, VGG19 and block prefixes, and refusal of damaged files with one line
 * naming the file, the layer and the expected shape: wrong kernel shape,
 * missing dataset, truncated file, not HDF5, layer list out of order or with
 * a foreign layer, incomplete last block, arch mismatch; no output left by a
 * failed write. */
#include <hdf5.h>
#include <string.h>

#include "core/vgg.h"
#include "core/vgg_formula.h"
#include "io/sha256_file.h"
#include "io/weights.h"
#include "tests/check.h"
#include "tests/tmpdir.h"

static char dir[64];

static const char *path_of(const char *name) {
    static char buf[8][256];
    static int k;
    k = (k + 1) % 8;
    return tmp_path(buf[k], sizeof buf[k], dir, name);
}

/* Writes formula or seeded weights for (depth, blocks) to name; returns path. */
static const char *make(const char *name, int depth, int blocks, int style, int seed) {
    mf_err e = {{0}};
    mf_vgg_arch a;
    mf_vgg_weights w;
    mf_vgg_arch_init(&a, depth, blocks, &e);
    mf_vgg_weights_alloc(&w, &a, &e);
    if (seed) mf_vgg_weights_random(&w, (uint64_t)seed);
    else mf_vgg_weights_formula(&w);
    const char *p = path_of(name);
    int rc = mf_weights_write(p, &w, style, NULL, &e);
    CHECK_MSG(rc == 0, "write %s: %s", p, e.msg);
    mf_vgg_weights_free(&w);
    return p;
}

/* Expects mf_weights_read to fail with a message holding path and subs. */
static void expect_fail(const char *p, int hint, const char *sub1, const char *sub2) {
    mf_err e = {{0}};
    mf_vgg_weights w;
    int rc = mf_weights_read(p, hint, &w, NULL, &e);
    CHECK_MSG(rc == -1, "%s: read should fail", p);
    CHECK_MSG(has(e.msg, p), "message does not name the file: %s", e.msg);
    CHECK_MSG(!sub1 || has(e.msg, sub1), "message lacks '%s': %s", sub1, e.msg);
    CHECK_MSG(!sub2 || has(e.msg, sub2), "message lacks '%s': %s", sub2, e.msg);
    CHECK_MSG(!strchr(e.msg, '\n'), "message is not one line: %s", e.msg);
    printf("refused as expected: %s\n", e.msg);
}

/* Replaces the root attribute layer_names. */
static void set_layer_names(const char *p, const char *const *names, int n) {
    hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
    H5Adelete(f, "layer_names");
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, 16);
    char buf[64][16];
    memset(buf, 0, sizeof buf);
    for (int i = 0; i < n; i++) strncpy(buf[i], names[i], 15);
    hsize_t dim = (hsize_t)n;
    hid_t sp = H5Screate_simple(1, &dim, NULL);
    hid_t a = H5Acreate2(f, "layer_names", t, sp, H5P_DEFAULT, H5P_DEFAULT);
    H5Awrite(a, t, buf);
    H5Aclose(a), H5Sclose(sp), H5Tclose(t), H5Fclose(f);
}

static void round_trip(int depth, int blocks, int style) {
    mf_err e = {{0}};
    mf_vgg_arch a;
    mf_vgg_weights w, r;
    mf_weights_info info;
    CHECK(mf_vgg_arch_init(&a, depth, blocks, &e) == 0);
    CHECK(mf_vgg_weights_alloc(&w, &a, &e) == 0);
    mf_vgg_weights_random(&w, 1234 + depth + blocks);
    const char *p = path_of(style ? "rt_old.h5" : "rt_keras2.h5");
    CHECK_MSG(mf_weights_write(p, &w, style, "test", &e) == 0, "%s", e.msg);
    int rc = mf_weights_read(p, 0, &r, &info, &e);
    CHECK_MSG(rc == 0, "%s", e.msg);
    if (rc == 0) {
        CHECK_EQ_INT(info.arch.depth, depth);
        CHECK_EQ_INT(info.arch.n_blocks, blocks);
        CHECK_EQ_INT(info.ambiguous, 0);
        CHECK(!strcmp(info.note, "test"));
        CHECK(r.n_params == w.n_params);
        CHECK_MSG(memcmp(r.base, w.base, w.n_params * sizeof(float)) == 0, "vgg%d/%d style %d: values differ", depth,
                  blocks, style);
        char hex[65];
        long long bytes = 0;
        CHECK(mf_sha256_file(p, hex, &bytes, &e) == 0);
        CHECK(!strcmp(hex, info.sha256));
        CHECK(bytes == info.bytes && bytes > (long long)(w.n_params * 4));
        mf_vgg_weights_free(&r);
    }
    mf_vgg_weights_free(&w);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s", tmp_make());
    mf_err e = {{0}};
    mf_weights_info info;

    /* Round trips: both styles, VGG16 and VGG19, whole and prefix towers. */
    round_trip(19, 5, MF_WEIGHTS_KERAS2);
    round_trip(19, 5, MF_WEIGHTS_OLD_NAMES);
    round_trip(16, 5, MF_WEIGHTS_KERAS2);
    round_trip(16, 4, MF_WEIGHTS_OLD_NAMES);
    round_trip(19, 3, MF_WEIGHTS_KERAS2);

    /* Recognition without values (w = NULL). */
    const char *p16_3 = make("v16_3.h5", 16, 3, MF_WEIGHTS_KERAS2, 0);
    CHECK(mf_weights_read(p16_3, 0, NULL, &info, &e) == 0);
    CHECK_EQ_INT(info.arch.depth, 16);
    CHECK_EQ_INT(info.arch.n_blocks, 3);
    expect_fail(p16_3, 19, "holds VGG16 weights", "expected VGG19");
    const char *p2 = make("v_2.h5", 19, 2, MF_WEIGHTS_OLD_NAMES, 3);
    CHECK(mf_weights_read(p2, 0, NULL, &info, &e) == 0);
    CHECK_EQ_INT(info.arch.n_blocks, 2);
    CHECK_EQ_INT(info.ambiguous, 1);
    CHECK(mf_weights_read(p2, 16, NULL, &info, &e) == 0);
    CHECK_EQ_INT(info.arch.depth, 16);
    CHECK_EQ_INT(info.ambiguous, 0);
    /* Same weights, same bytes (no time stamps). */
    const char *pa = make("same_a.h5", 16, 2, MF_WEIGHTS_KERAS2, 0), *pb = make("same_b.h5", 16, 2, MF_WEIGHTS_KERAS2, 0);
    char ha[65], hb[65];
    CHECK(mf_sha256_file(pa, ha, NULL, &e) == 0 && mf_sha256_file(pb, hb, NULL, &e) == 0);
    CHECK(!strcmp(ha, hb));

    /* Wrong kernel shape: block2_conv1's kernel [3,3,64,64] instead of [3,3,64,128]. */
    const char *p = make("bad_shape.h5", 19, 3, MF_WEIGHTS_KERAS2, 0);
    {
        hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
        H5Ldelete(f, "block2_conv1/block2_conv1/kernel:0", H5P_DEFAULT);
        hsize_t d[4] = {3, 3, 64, 64};
        hid_t sp = H5Screate_simple(4, d, NULL);
        hid_t ds = H5Dcreate2(f, "block2_conv1/block2_conv1/kernel:0", H5T_IEEE_F32LE, sp, H5P_DEFAULT, H5P_DEFAULT,
                              H5P_DEFAULT);
        H5Dclose(ds), H5Sclose(sp), H5Fclose(f);
    }
    expect_fail(p, 0, "layer 'block2_conv1'", "is [3,3,64,64], expected kernel [3,3,64,128]");

    /* Missing dataset: block1_conv2's bias (old naming style). */
    p = make("missing.h5", 16, 5, MF_WEIGHTS_OLD_NAMES, 0);
    {
        hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
        H5Ldelete(f, "block1_conv2/block1_conv2_b_1:0", H5P_DEFAULT);
        H5Fclose(f);
    }
    expect_fail(p, 0, "layer 'block1_conv2'", "'block1_conv2_b_1:0' missing (expected bias [64])");

    /* Truncated: the first half of a good file, and all but its last 100 bytes. */
    p = make("whole.h5", 19, 2, MF_WEIGHTS_KERAS2, 0);
    {
        FILE *f = fopen(p, "rb");
        static char bytes[1 << 22];
        size_t n = fread(bytes, 1, sizeof bytes, f);
        fclose(f);
        char tp[256];
        CHECK(n > 200 && n < sizeof bytes);
        tmp_write(tp, sizeof tp, dir, "half.h5", bytes, n / 2);
        expect_fail(tp, 0, "truncated", NULL);
        tmp_write(tp, sizeof tp, dir, "cut100.h5", bytes, n - 100);
        expect_fail(tp, 0, "truncated", NULL);
    }

    /* Not an HDF5 file; no file at all. */
    char tp[256];
    tmp_write_str(tp, sizeof tp, dir, "text.h5", "these are not weights\n");
    expect_fail(tp, 0, "not an HDF5 file", NULL);
    expect_fail(path_of("absent.h5"), 0, "cannot open", NULL);

    /* Layer lists: a conv layer skipped, a foreign layer, an incomplete last
     * block, no layer_names at all. */
    p = make("order.h5", 16, 5, MF_WEIGHTS_KERAS2, 0);
    const char *skip[] = {"input_1", "block1_conv1", "block1_conv2", "block1_pool", "block2_conv1", "block2_conv2",
                          "block2_pool", "block3_conv1", "block3_conv2", "block4_conv1"};
    set_layer_names(p, skip, 10);
    expect_fail(p, 0, "layer 'block4_conv1'", "expected block3_conv3 (kernel [3,3,256,256])");
    const char *short2[] = {"input_1", "block1_conv1", "block1_conv2", "block1_pool", "block2_conv1"};
    set_layer_names(p, short2, 5);
    expect_fail(p, 0, "after layer 'block2_conv1'", "expected block2_conv2 (kernel [3,3,128,128])");
    p = make("foreign.h5", 19, 3, MF_WEIGHTS_KERAS2, 0);
    {
        hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
        H5Lcopy(f, "block1_conv1", f, "fc1", H5P_DEFAULT, H5P_DEFAULT);
        H5Fclose(f);
    }
    const char *foreign[] = {"input_1", "block1_conv1", "block1_conv2", "block1_pool", "block2_conv1",
                             "block2_conv2", "block2_pool", "block3_conv1", "block3_conv2", "block3_conv3",
                             "block3_conv4", "block3_pool", "fc1"};
    set_layer_names(p, foreign, 13);
    expect_fail(p, 0, "layer 'fc1'", "expected block4_conv1 (kernel [3,3,256,512])");
    const char *ghost[] = {"input_1", "block1_conv1", "block9_conv1"};
    set_layer_names(p, ghost, 3);
    expect_fail(p, 0, "layer 'block9_conv1'", "group missing");
    {
        hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
        H5Adelete(f, "layer_names");
        H5Fclose(f);
    }
    expect_fail(p, 0, "'layer_names' missing", "block1_conv1 [3,3,3,64]");

    /* A failed write leaves nothing behind. */
    mf_vgg_arch a;
    mf_vgg_weights w;
    mf_vgg_arch_init(&a, 16, 1, &e);
    mf_vgg_weights_alloc(&w, &a, &e);
    mf_vgg_weights_formula(&w);
    const char *nodir = path_of("no/such/dir.h5");
    CHECK(mf_weights_write(nodir, &w, MF_WEIGHTS_KERAS2, NULL, &e) == -1);
    CHECK(has(e.msg, nodir));
    mf_vgg_weights_free(&w);

    tmp_remove(dir);
    return check_done();
}
