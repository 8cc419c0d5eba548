/* weights.c: see weights.h. Reading is two passes over layer_names: the
 * first recognises the tower and checks every name and shape (so a bad file
 * is refused before anything is allocated), the second reads the values. */
#include "io/weights.h"

#include <errno.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/h5util.h"
#include "io/sha256_file.h"

/* ---- small HDF5 helpers ------------------------------------------------ */

static void free_strings(char **s, int n) {
    for (int i = 0; i < n; i++) free(s[i]);
    free(s);
}

/* A string array attribute (fixed or variable length, any rank) as n
 * malloc'ed strings. An attribute with no elements gives n = 0 whatever its
 * type (Keras writes [] as an empty float64 array). Returns 0, -1 missing,
 * -2 not strings or unreadable, -3 out of memory. */
static int attr_strings(hid_t obj, const char *name, char ***out, int *n) {
    *out = NULL;
    *n = 0;
    if (H5Aexists(obj, name) <= 0) return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0) return -2;
    hid_t sp = H5Aget_space(a), ft = H5Aget_type(a);
    hssize_t np = H5Sget_simple_extent_npoints(sp);
    int rc = 0;
    if (np <= 0) goto done;
    if (H5Tget_class(ft) != H5T_STRING) {
        rc = -2;
        goto done;
    }
    char **s = calloc((size_t)np, sizeof *s);
    if (!s) {
        rc = -3;
        goto done;
    }
    hid_t mt = H5Tcopy(H5T_C_S1);
    if (H5Tis_variable_str(ft) > 0) {
        H5Tset_size(mt, H5T_VARIABLE);
        char **v = calloc((size_t)np, sizeof *v);
        if (!v) rc = -3;
        else if (H5Aread(a, mt, v) < 0) rc = -2;
        for (hssize_t i = 0; i < np && !rc; i++)
            if (!(s[i] = strdup(v[i] ? v[i] : ""))) rc = -3;
        if (v && rc != -2) H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, v); /* read: the strings are HDF5's */
        free(v);
    } else {
        size_t sz = H5Tget_size(ft);
        H5Tset_size(mt, sz);
        H5Tset_strpad(mt, H5T_STR_NULLPAD);
        char *buf = calloc((size_t)np * sz + 1, 1);
        if (!buf) rc = -3;
        else if (H5Aread(a, mt, buf) < 0) rc = -2;
        for (hssize_t i = 0; i < np && !rc; i++)
            if (!(s[i] = strndup(buf + i * sz, sz))) rc = -3;
        free(buf);
    }
    H5Tclose(mt);
    if (rc) {
        free_strings(s, (int)np);
    } else {
        *out = s;
        *n = (int)np;
    }
done:
    H5Tclose(ft);
    H5Sclose(sp);
    H5Aclose(a);
    return rc;
}

/* ---- recognising the tower --------------------------------------------- */


/* Convs in block b (1-based) for depth 16/19; 0 = not yet known (block >= 3
 * before block 3 has ended). */
static int block_convs(int b, int depth) {
    if (b <= 2) return 2;
    return depth == 16 ? 3 : depth == 19 ? 4 : 0;
}

static void shape_str(char *buf, size_t len, int cin, int cout) {
    snprintf(buf, len, "kernel [3,3,%d,%d]", cin, cout);
}

/* "blockB_convK (kernel [3,3,Cin,Cout])" for what may come after (pb, pk)
 * (pb = 0: nothing yet); two choices after block3_conv3 of unknown depth. */
static void expect_next(int pb, int pk, int depth, char *buf, size_t len) {
    char sh[64];
    if (pb == 0) {
        shape_str(sh, sizeof sh, 3, 64);
        snprintf(buf, len, "block1_conv1 (%s)", sh);
        return;
    }
    int w = mf_vgg_block_width[pb - 1], full = block_convs(pb, depth);
    char same[128] = "", next[128] = "";
    if (pk < (full ? full : 4)) {
        shape_str(sh, sizeof sh, w, w);
        snprintf(same, sizeof same, "block%d_conv%d (%s)", pb, pk + 1, sh);
    }
    int can_end = full ? pk == full : (pb == 3 && pk >= 3);
    if (can_end && pb < 5) {
        shape_str(sh, sizeof sh, w, mf_vgg_block_width[pb]);
        snprintf(next, sizeof next, "block%d_conv1 (%s)", pb + 1, sh);
    }
    if (same[0] && next[0]) snprintf(buf, len, "%s or %s", same, next);
    else if (same[0]) snprintf(buf, len, "%s", same);
    else if (next[0]) snprintf(buf, len, "%s", next);
    else snprintf(buf, len, "the end of the tower");
}

/* Parses "block<b>_conv<k>" exactly. */
static int parse_conv_name(const char *s, int *b, int *k) {
    int used = 0;
    if (sscanf(s, "block%d_conv%d%n", b, k, &used) != 2 || s[used] != 0) return -1;
    return 0;
}

typedef struct layer_rec {
    char name[64];
    char kname[256], bname[256]; /* dataset paths relative to the layer group */
    int cin, cout;
} layer_rec;

/* Checks one dataset's type and extents: [3,3,cin,cout] or [cout]. */
static int check_ds(hid_t g, const char *file, const layer_rec *L, const char *ds, int is_kernel, mf_err *e) {
    char want[64];
    hsize_t wd[4] = {3, 3, (hsize_t)L->cin, (hsize_t)L->cout};
    int wr = is_kernel ? 4 : 1;
    if (is_kernel) shape_str(want, sizeof want, L->cin, L->cout);
    else {
        snprintf(want, sizeof want, "bias [%d]", L->cout);
        wd[0] = (hsize_t)L->cout;
    }
    if (H5Lexists(g, ds, H5P_DEFAULT) <= 0)
        return mf_fail(e, "%s: layer '%s': dataset '%s' missing (expected %s)", file, L->name, ds, want);
    hid_t d = H5Dopen2(g, ds, H5P_DEFAULT);
    if (d < 0) return mf_fail(e, "%s: layer '%s': '%s' is not a dataset (expected %s)", file, L->name, ds, want);
    hid_t sp = H5Dget_space(d), t = H5Dget_type(d);
    hsize_t have[8] = {0};
    int r = H5Sget_simple_extent_ndims(sp);
    if (r >= 0 && r <= 8) H5Sget_simple_extent_dims(sp, have, NULL);
    int cls = H5Tget_class(t);
    H5Tclose(t);
    H5Sclose(sp);
    H5Dclose(d);
    int ok = r == wr;
    for (int i = 0; ok && i < wr; i++) ok = have[i] == wd[i];
    if (!ok) {
        char got[96] = "[";
        for (int i = 0; i < r && i < 8; i++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%s%llu", i ? "," : "",
                     (unsigned long long)have[i]);
        strcat(got, "]");
        return mf_fail(e, "%s: layer '%s': dataset '%s' is %s, expected %s", file, L->name, ds, got, want);
    }
    if (cls != H5T_FLOAT)
        return mf_fail(e, "%s: layer '%s': dataset '%s' is not floating point (expected float32 %s)", file, L->name,
                       ds, want);
    return 0;
}

static int read_ds(hid_t g, const char *file, const layer_rec *L, int is_kernel, float *dst, mf_err *e) {
    const char *ds = is_kernel ? L->kname : L->bname;
    hid_t d = H5Dopen2(g, ds, H5P_DEFAULT);
    herr_t st = d < 0 ? -1 : H5Dread(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, dst);
    if (d >= 0) H5Dclose(d);
    if (st < 0) {
        char want[64];
        if (is_kernel) shape_str(want, sizeof want, L->cin, L->cout);
        else snprintf(want, sizeof want, "bias [%d]", L->cout);
        return mf_fail(e, "%s: layer '%s': dataset '%s': cannot read %s (truncated or damaged file?)", file, L->name,
                       ds, want);
    }
    return 0;
}

int mf_weights_read(const char *path, int depth_hint, mf_vgg_weights *w, mf_weights_info *info, mf_err *e) {
    if (w) memset(w, 0, sizeof *w);
    mf_weights_info inf;
    memset(&inf, 0, sizeof inf);
    if (mf_sha256_file(path, inf.sha256, &inf.bytes, e)) return -1;
    hid_t f = mf_h5_open_ro_as(path, "Keras VGG weights", e);
    if (f < 0) return -1;
    int rc = -1, nn = 0, nl = 0, depth = 0, pb = 0, pk = 0;
    char **names = NULL, exp[256];
    layer_rec L[MF_VGG_MAX_LAYERS];
    hid_t root = f;
    /* A whole-model file keeps the same layout under model_weights. */
    if (H5Aexists(f, "layer_names") <= 0 && H5Lexists(f, "model_weights", H5P_DEFAULT) > 0)
        root = H5Gopen2(f, "model_weights", H5P_DEFAULT);
    int st = attr_strings(root, "layer_names", &names, &nn);
    if (st == -1) {
        mf_fail(e, "%s: root attribute 'layer_names' missing (expected Keras weights, first block1_conv1 [3,3,3,64])",
                path);
        goto out;
    }
    if (st) {
        mf_fail(e, "%s: root attribute 'layer_names': %s", path,
                st == -3 ? "out of memory" : "expected an array of strings");
        goto out;
    }
    char *note = NULL;
    { /* provenance written by mf_weights_write */
        char **nt = NULL;
        int nnt = 0;
        st = attr_strings(f, "mammofuse_weights", &nt, &nnt);
        if (st == -3) {
            mf_fail(e, "%s: root attribute 'mammofuse_weights': out of memory", path);
            goto out;
        }
        if (st == 0 && nnt == 1) note = nt[0], nt[0] = NULL;
        free_strings(nt, nnt);
        if (note) snprintf(inf.note, sizeof inf.note, "%s", note);
        free(note);
    }
    /* Pass 1: names, order, shapes. */
    for (int i = 0; i < nn; i++) {
        const char *ln = names[i];
        if (H5Lexists(root, ln, H5P_DEFAULT) <= 0) {
            mf_fail(e, "%s: layer '%s' (listed in layer_names): group missing", path, ln);
            goto out;
        }
        hid_t g = H5Gopen2(root, ln, H5P_DEFAULT);
        if (g < 0) {
            mf_fail(e, "%s: layer '%s': not a group", path, ln);
            goto out;
        }
        char **wn = NULL;
        int nw = 0;
        st = attr_strings(g, "weight_names", &wn, &nw);
        if (st || nw == 0) {
            H5Gclose(g);
            if (st == -2 || st == -3) {
                mf_fail(e, "%s: layer '%s': attribute 'weight_names': %s", path, ln,
                        st == -3 ? "out of memory" : "expected an array of strings");
                goto out;
            }
            if (st == -1) {
                mf_fail(e, "%s: layer '%s': attribute 'weight_names' missing", path, ln);
                goto out;
            }
            continue; /* input, pool: no weights */
        }
        expect_next(pb, pk, depth, exp, sizeof exp);
        int b = 0, k = 0;
        int named = parse_conv_name(ln, &b, &k) == 0;
        int in_order = named && ((pb == 0 && b == 1 && k == 1) || (pb > 0 && b == pb && k == pk + 1) ||
                                 (pb > 0 && b == pb + 1 && k == 1));
        if (in_order && b == pb) { /* one more conv in the same block: is there room? */
            int full = block_convs(b, depth);
            in_order = k <= (full ? full : 4);
        }
        if (in_order && b == pb + 1 && pb > 0) { /* block pb ends here: is it whole? */
            int full = block_convs(pb, depth);
            if (pb == 3 && !full) {
                if (pk == 3 || pk == 4) depth = pk == 3 ? 16 : 19;
                else in_order = 0;
            } else if (pk != full) in_order = 0;
            in_order = in_order && b <= 5;
        }
        if (!in_order || nl >= MF_VGG_MAX_LAYERS) {
            mf_fail(e, "%s: layer '%s': not a VGG16/VGG19 conv layer in order (expected %s)", path, ln, exp);
            free_strings(wn, nw);
            H5Gclose(g);
            goto out;
        }
        layer_rec *r = &L[nl];
        snprintf(r->name, sizeof r->name, "%s", ln);
        r->cout = mf_vgg_block_width[b - 1];
        r->cin = nl == 0 ? 3 : L[nl - 1].cout;
        if (nw != 2) {
            char sh[64];
            shape_str(sh, sizeof sh, r->cin, r->cout);
            mf_fail(e, "%s: layer '%s': %d weight_names, expected 2 (%s, bias [%d])", path, ln, nw, sh, r->cout);
            free_strings(wn, nw);
            H5Gclose(g);
            goto out;
        }
        snprintf(r->kname, sizeof r->kname, "%s", wn[0]);
        snprintf(r->bname, sizeof r->bname, "%s", wn[1]);
        free_strings(wn, nw);
        st = check_ds(g, path, r, r->kname, 1, e) || check_ds(g, path, r, r->bname, 0, e);
        H5Gclose(g);
        if (st) goto out;
        nl++, pb = b, pk = k;
    }
    if (nl == 0) {
        mf_fail(e, "%s: no conv layers with weights (expected block1_conv1 (kernel [3,3,3,64]) first)", path);
        goto out;
    }
    { /* the last block must be whole too */
        int full = block_convs(pb, depth);
        if (pb == 3 && !full && (pk == 3 || pk == 4)) depth = pk == 3 ? 16 : 19, full = pk;
        if (pk != full) {
            expect_next(pb, pk, depth, exp, sizeof exp);
            mf_fail(e, "%s: layer list ends after layer '%s' (block %d incomplete: expected %s)", path, L[nl - 1].name,
                    pb, exp);
            goto out;
        }
    }
    if (!depth) {
        inf.ambiguous = depth_hint == 0;
        depth = depth_hint == 16 ? 16 : 19;
    } else if (depth_hint && depth_hint != depth) {
        mf_fail(e, "%s: holds VGG%d weights, expected VGG%d (backbone.arch)", path, depth, depth_hint);
        goto out;
    }
    if (mf_vgg_arch_init(&inf.arch, depth, pb, e)) goto out;
    /* Pass 2: the values. */
    if (w) {
        if (mf_vgg_weights_alloc(w, &inf.arch, e)) goto out;
        for (int l = 0; l < nl; l++) {
            hid_t g = H5Gopen2(root, L[l].name, H5P_DEFAULT);
            st = read_ds(g, path, &L[l], 1, w->kernel[l], e) || read_ds(g, path, &L[l], 0, w->bias[l], e);
            H5Gclose(g);
            if (st) {
                mf_vgg_weights_free(w);
                goto out;
            }
        }
    }
    if (info) *info = inf;
    rc = 0;
out:
    free_strings(names, nn);
    if (root != f) H5Gclose(root);
    H5Fclose(f);
    return rc;
}

/* ---- writing -------------------------------------------------------------- */

/* The writers return 0, -1 (an HDF5 call failed: mf_h5_fail has its cause)
 * or -2 (out of memory). errno is reset before each HDF5 call so that the
 * cause is the call's own. */

/* Fixed-length, null-padded strings of the longest one's size (numpy 'S'). */
static int attr_put_strings(hid_t obj, const char *name, const char *const *s, int n, int scalar) {
    size_t sz = 1;
    for (int i = 0; i < n; i++)
        if (strlen(s[i]) > sz) sz = strlen(s[i]);
    size_t count = n > 0 ? (size_t)n : 0;
    char *buf = calloc(count * sz + 1, 1);
    if (!buf) return -2;
    for (int i = 0; i < n; i++) memcpy(buf + i * sz, s[i], strlen(s[i]));
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, sz);
    H5Tset_strpad(t, H5T_STR_NULLPAD);
    hsize_t dim = (hsize_t)n;
    hid_t sp = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dim, NULL);
    errno = 0;
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t st = a < 0 ? -1 : H5Awrite(a, t, buf);
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    free(buf);
    return st < 0 ? -1 : 0;
}

/* An empty float64 array: what Keras writes for a layer without weights. */
static int attr_put_empty(hid_t obj, const char *name) {
    hsize_t dim = 0;
    double dummy = 0;
    hid_t sp = H5Screate_simple(1, &dim, NULL);
    errno = 0;
    hid_t a = H5Acreate2(obj, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t st = a < 0 ? -1 : H5Awrite(a, H5T_NATIVE_DOUBLE, &dummy);
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return st < 0 ? -1 : 0;
}

static hid_t group_new(hid_t loc, const char *name) {
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_obj_track_times(gcpl, 0);
    errno = 0;
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    return g;
}

static int ds_put(hid_t loc, const char *name, int rank, const hsize_t *dims, const float *data) {
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    errno = 0;
    hid_t d = H5Dcreate2(loc, name, H5T_IEEE_F32LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    herr_t st = d < 0 ? -1 : H5Dwrite(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    if (d >= 0) H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(sp);
    return st < 0 ? -1 : 0;
}

/* The first failure of a chain of writer calls (0, -1 or -2). */
#define FIRST(st, call) do { if (!(st)) (st) = (call); } while (0)

/* Layer l's group: weight_names and the two datasets, in the chosen style. */
static int write_conv(hid_t f, const mf_vgg_weights *w, int l, int style) {
    char name[32], kn[96], bn[96];
    int cin = 0, cout = 0;
    mf_vgg_layer_name(&w->arch, l, name, sizeof name);
    mf_vgg_layer(&w->arch, l, NULL, NULL, &cin, &cout);
    hid_t g = group_new(f, name);
    if (g < 0) return -1;
    int st = 0;
    hsize_t kd[4] = {3, 3, (hsize_t)cin, (hsize_t)cout}, bd[1] = {(hsize_t)cout};
    if (style == MF_WEIGHTS_OLD_NAMES) {
        snprintf(kn, sizeof kn, "%s_W_1:0", name);
        snprintf(bn, sizeof bn, "%s_b_1:0", name);
        const char *wn[2] = {kn, bn};
        FIRST(st, attr_put_strings(g, "weight_names", wn, 2, 0));
        FIRST(st, ds_put(g, kn, 4, kd, w->kernel[l]));
        FIRST(st, ds_put(g, bn, 1, bd, w->bias[l]));
    } else {
        snprintf(kn, sizeof kn, "%s/kernel:0", name);
        snprintf(bn, sizeof bn, "%s/bias:0", name);
        const char *wn[2] = {kn, bn};
        hid_t sub = group_new(g, name);
        if (sub < 0) st = -1;
        FIRST(st, attr_put_strings(g, "weight_names", wn, 2, 0));
        FIRST(st, ds_put(sub, "kernel:0", 4, kd, w->kernel[l]));
        FIRST(st, ds_put(sub, "bias:0", 1, bd, w->bias[l]));
        if (sub >= 0) H5Gclose(sub);
    }
    H5Gclose(g);
    return st;
}

static int write_body(hid_t f, const mf_vgg_weights *w, int style, const char *note) {
    const mf_vgg_arch *a = &w->arch;
    int n = 1 + mf_vgg_n_layers(a) + a->n_blocks, i = 0, l = 0, st = 0;
    char(*names)[32] = calloc((size_t)n, sizeof *names);
    const char **ptr = calloc((size_t)n, sizeof *ptr);
    if (!names || !ptr) {
        free(names);
        free(ptr);
        return -2;
    }
    snprintf(names[i++], 32, "input_1");
    for (int b = 0; b < a->n_blocks; b++) {
        for (int k = 0; k < a->convs[b]; k++) mf_vgg_layer_name(a, l++, names[i++], 32);
        snprintf(names[i++], 32, "block%d_pool", b + 1);
    }
    for (i = 0; i < n; i++) ptr[i] = names[i];
    const char *backend = "tensorflow", *version = "2.1.4";
    FIRST(st, attr_put_strings(f, "layer_names", ptr, n, 0));
    FIRST(st, attr_put_strings(f, "backend", &backend, 1, 1));
    FIRST(st, attr_put_strings(f, "keras_version", &version, 1, 1));
    if (note) FIRST(st, attr_put_strings(f, "mammofuse_weights", &note, 1, 1));
    for (i = 0, l = 0; i < n && !st; i++) {
        int b, k;
        if (parse_conv_name(names[i], &b, &k) == 0) {
            st = write_conv(f, w, l++, style);
        } else {
            hid_t g = group_new(f, names[i]);
            st = g < 0 ? -1 : attr_put_empty(g, "weight_names");
            if (g >= 0) H5Gclose(g);
        }
    }
    free(names);
    free(ptr);
    return st;
}

int mf_weights_write(const char *path, const mf_vgg_weights *w, int style, const char *note, mf_err *e) {
    char tmp[4096];
    hid_t f = mf_h5_create_tmp(path, tmp, sizeof tmp, e);
    if (f < 0) return -1;
    int st = write_body(f, w, style, note), rc = 0;
    if (st == -2) rc = mf_fail(e, "%s: out of memory writing the weights", path);
    else if (st) rc = mf_h5_fail(e, "%s: cannot write the weights", path);
    return mf_h5_commit(f, tmp, path, rc, e);
}
