/* h5cmp.c: compares two HDF5 files object by object, byte for byte: every
 * dataset's values and every attribute of every object (the root, groups,
 * datasets), for the rank-invariance and resume tests.
 * usage: h5cmp A.h5 B.h5 [DATASET]
 *   -> prints "same: N datasets, M attributes" or the first difference, exit 1;
 *      with DATASET only that dataset is compared (and it must exist). */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ctx {
    hid_t b;
    int n, nattr, bad;
} ctx;

/* Values of a dataset or attribute in their stored type (variable-length
 * strings are compared by their text). */
static int same_bytes(const char *what, const unsigned char *ba, size_t na, const unsigned char *bb, size_t nb) {
    if (na != nb) {
        printf("%s: sizes differ (%zu vs %zu bytes)\n", what, na, nb);
        return 0;
    }
    if (memcmp(ba, bb, na)) {
        size_t i = 0;
        while (ba[i] == bb[i]) i++;
        printf("%s: differs from byte %zu\n", what, i);
        return 0;
    }
    return 1;
}

static unsigned char *read_dataset(hid_t ds, size_t *bytes) {
    hid_t t = H5Dget_type(ds), sp = H5Dget_space(ds);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    *bytes = (size_t)n * H5Tget_size(t);
    unsigned char *buf = malloc(*bytes ? *bytes : 1);
    if (H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        free(buf);
        buf = NULL;
    }
    H5Tclose(t);
    H5Sclose(sp);
    return buf;
}

/* An attribute as text-or-bytes: variable-length strings are read as text. */
static unsigned char *read_attr(hid_t obj, const char *name, size_t *bytes) {
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0) return NULL;
    hid_t t = H5Aget_type(a), sp = H5Aget_space(a);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    unsigned char *buf = NULL;
    if (H5Tget_class(t) == H5T_STRING && H5Tis_variable_str(t) > 0) {
        char *s = NULL;
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        if (n == 1 && H5Aread(a, mt, &s) >= 0 && s) {
            *bytes = strlen(s);
            buf = malloc(*bytes + 1);
            memcpy(buf, s, *bytes + 1);
            H5free_memory(s);
        }
        H5Tclose(mt);
    } else {
        *bytes = (size_t)n * H5Tget_size(t);
        buf = malloc(*bytes ? *bytes : 1);
        if (H5Aread(a, t, buf) < 0) {
            free(buf);
            buf = NULL;
        }
    }
    H5Tclose(t);
    H5Sclose(sp);
    H5Aclose(a);
    return buf;
}

typedef struct actx {
    hid_t other;
    const char *objname;
    ctx *c;
} actx;

static herr_t visit_attr(hid_t obj, const char *name, const H5A_info_t *info, void *op) {
    (void)info;
    actx *x = op;
    char what[512];
    snprintf(what, sizeof what, "%s@%s", x->objname, name);
    if (x->c->bad) return 0;
    if (H5Aexists(x->other, name) <= 0) {
        printf("%s: attribute only in one file\n", what);
        x->c->bad = 1;
        return 0;
    }
    size_t na = 0, nb = 0;
    unsigned char *ba = read_attr(obj, name, &na), *bb = read_attr(x->other, name, &nb);
    if (!ba || !bb || !same_bytes(what, ba, na, bb, nb)) {
        if (!ba || !bb) printf("%s: cannot read\n", what);
        x->c->bad = 1;
    }
    x->c->nattr++;
    free(ba);
    free(bb);
    return 0;
}

/* Attributes of obj in both directions (an attribute only in B is caught by
 * the backward pass of main). */
static void compare_attrs(hid_t oa, hid_t ob, const char *objname, ctx *c) {
    actx x = {ob, objname, c};
    H5Aiterate2(oa, H5_INDEX_NAME, H5_ITER_NATIVE, NULL, visit_attr, &x);
}

static herr_t visit(hid_t a, const char *name, const H5O_info_t *info, void *op) {
    ctx *c = op;
    if (c->bad || (info->type != H5O_TYPE_DATASET && info->type != H5O_TYPE_GROUP)) return 0;
    if (strcmp(name, ".") && H5Lexists(c->b, name, H5P_DEFAULT) <= 0) {
        printf("%s: only in one file\n", name);
        c->bad = 1;
        return 0;
    }
    hid_t oa = H5Oopen(a, name, H5P_DEFAULT), ob = H5Oopen(c->b, name, H5P_DEFAULT);
    compare_attrs(oa, ob, name, c);
    if (!c->bad && info->type == H5O_TYPE_DATASET) {
        size_t na, nb;
        unsigned char *ba = read_dataset(oa, &na), *bb = read_dataset(ob, &nb);
        if (!ba || !bb || !same_bytes(name, ba, na, bb, nb)) c->bad = 1;
        c->n++;
        free(ba);
        free(bb);
    }
    H5Oclose(oa);
    H5Oclose(ob);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: h5cmp A.h5 B.h5 [DATASET]\n");
        return 2;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t a = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT), b = H5Fopen(argv[2], H5F_ACC_RDONLY, H5P_DEFAULT);
    if (a < 0 || b < 0) {
        printf("cannot open %s\n", a < 0 ? argv[1] : argv[2]);
        return 1;
    }
    ctx c = {b, 0, 0, 0};
    if (argc == 4) {
        if (H5Lexists(a, argv[3], H5P_DEFAULT) <= 0 || H5Lexists(b, argv[3], H5P_DEFAULT) <= 0) {
            printf("%s: missing\n", argv[3]);
            return 1;
        }
        H5O_info_t info;
        H5Oget_info_by_name(a, argv[3], &info, H5P_DEFAULT);
        visit(a, argv[3], &info, &c);
    } else {
        H5Ovisit(a, H5_INDEX_NAME, H5_ITER_NATIVE, visit, &c);
        ctx back = {a, 0, 0, 0};
        if (!c.bad) H5Ovisit(b, H5_INDEX_NAME, H5_ITER_NATIVE, visit, &back); /* only in B */
        c.bad |= back.bad;
    }
    if (c.bad) return 1;
    printf("same: %d datasets, %d attributes\n", c.n, c.nattr);
    return 0;
}
