/* identity_h5.c: see identity_h5.h. */
#include "io/identity_h5.h"

#include <stdlib.h>
#include <string.h>

#include "io/h5util.h"

static int write_entry(hid_t g, const mf_ident_entry *en) {
    hid_t sp = H5Screate(H5S_SCALAR), t = -1, mt = -1, a;
    const void *buf;
    int32_t list[MF_INTLIST_MAX];
    switch (en->type) {
    case MF_IDV_INT: t = H5Tcopy(H5T_STD_I64LE), mt = H5Tcopy(H5T_NATIVE_INT64), buf = &en->i; break;
    case MF_IDV_DOUBLE: t = H5Tcopy(H5T_IEEE_F64LE), mt = H5Tcopy(H5T_NATIVE_DOUBLE), buf = &en->d; break;
    case MF_IDV_LIST: {
        hsize_t n = (hsize_t)en->list.n;
        H5Sclose(sp);
        sp = H5Screate_simple(1, &n, NULL);
        for (int j = 0; j < en->list.n; j++) list[j] = en->list.v[j];
        t = H5Tcopy(H5T_STD_I32LE), mt = H5Tcopy(H5T_NATIVE_INT32), buf = list;
        break;
    }
    default:
        t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, strlen(en->text) + 1);
        mt = H5Tcopy(t);
        buf = en->text;
        break;
    }
    a = H5Acreate2(g, en->key, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t st = a < 0 ? -1 : H5Awrite(a, mt, buf);
    if (a >= 0) H5Aclose(a);
    H5Tclose(t);
    H5Tclose(mt);
    H5Sclose(sp);
    return st < 0 ? -1 : 0;
}

int mf_identity_write(hid_t f, const char *path, const mf_identity *id, mf_err *e) {
    return mf_identity_write_group(f, "identity", path, id, e);
}

int mf_identity_write_group(hid_t f, const char *group, const char *path, const mf_identity *id, mf_err *e) {
    hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
    H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Pset_obj_track_times(gcpl, 0); /* same content, same bytes */
    hid_t g = H5Gcreate2(f, group, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    int rc = g < 0 || mf_h5_attr_str(g, "stage", mf_stage_name(id->stage));
    for (int i = 0; !rc && i < id->n; i++) rc = write_entry(g, &id->e[i]);
    if (g >= 0) H5Gclose(g);
    return rc ? mf_fail(e, "%s: cannot write the group '%s'", path, group) : 0;
}

typedef struct read_ctx {
    mf_identity *id;
    int bad;
} read_ctx;

static herr_t read_entry(hid_t g, const char *name, const H5A_info_t *info, void *op) {
    (void)info;
    read_ctx *x = op;
    if (!strcmp(name, "stage")) return 0;
    mf_identity *id = x->id;
    if (id->n >= MF_IDENT_MAX || strlen(name) >= MF_IDENT_KEY) return x->bad = 1, 1;
    mf_ident_entry *en = &id->e[id->n];
    memset(en, 0, sizeof *en);
    strcpy(en->key, name);
    hid_t a = H5Aopen(g, name, H5P_DEFAULT), t = H5Aget_type(a), sp = H5Aget_space(a);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    int nd = H5Sget_simple_extent_ndims(sp);
    herr_t st = -1;
    if (H5Tget_class(t) == H5T_INTEGER && nd == 0) {
        en->type = MF_IDV_INT;
        st = H5Aread(a, H5T_NATIVE_INT64, &en->i);
    } else if (H5Tget_class(t) == H5T_INTEGER && nd == 1 && n <= MF_INTLIST_MAX) {
        int32_t v[MF_INTLIST_MAX];
        en->type = MF_IDV_LIST;
        st = H5Aread(a, H5T_NATIVE_INT32, v);
        en->list.n = (int)n;
        for (int j = 0; j < (int)n; j++) en->list.v[j] = v[j];
    } else if (H5Tget_class(t) == H5T_FLOAT && nd == 0) {
        en->type = MF_IDV_DOUBLE;
        st = H5Aread(a, H5T_NATIVE_DOUBLE, &en->d);
    } else if (H5Tget_class(t) == H5T_STRING && !H5Tis_variable_str(t) && H5Tget_size(t) <= MF_IDENT_TEXT) {
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, MF_IDENT_TEXT);
        en->type = MF_IDV_TEXT;
        char buf[MF_IDENT_TEXT + 1] = {0};
        st = H5Aread(a, mt, buf);
        memcpy(en->text, buf, MF_IDENT_TEXT - 1);
        H5Tclose(mt);
    }
    H5Sclose(sp);
    H5Tclose(t);
    H5Aclose(a);
    if (st < 0) return x->bad = 1, 1;
    id->n++;
    return 0;
}

int mf_identity_read(hid_t f, const char *path, const char *what, mf_identity *id, mf_err *e) {
    return mf_identity_read_group(f, "identity", path, what, id, e);
}

int mf_identity_read_group(hid_t f, const char *group, const char *path, const char *what, mf_identity *id,
                           mf_err *e) {
    memset(id, 0, sizeof *id);
    if (H5Lexists(f, group, H5P_DEFAULT) <= 0) {
        if (!strcmp(group, "identity"))
            return mf_fail(e, "%s: no identity (not a mammofuse %s, or one made by an older version)", path, what);
        return mf_fail(e, "%s: no group '%s' (not a mammofuse %s, or one made by an older version)", path, group,
                       what);
    }
    hid_t g = H5Gopen2(f, group, H5P_DEFAULT);
    char *stage = g < 0 ? NULL : mf_h5_attr_str_get(g, "stage");
    int rc = 0;
    if (!stage) rc = mf_fail(e, "%s: group '%s': attribute 'stage' missing", path, group);
    else {
        static const int stages[] = {MF_STAGE_ROIS, MF_STAGE_EXTRACT, MF_STAGE_TRAIN, MF_STAGE_EVALUATE};
        for (int i = 0; i < 4; i++)
            if (!strcmp(stage, mf_stage_name(stages[i]))) id->stage = stages[i];
        read_ctx x = {id, 0};
        hsize_t idx = 0;
        if (!id->stage) rc = mf_fail(e, "%s: group '%s': unknown stage '%s'", path, group, stage);
        else if (H5Aiterate2(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, &idx, read_entry, &x) < 0 || x.bad)
            rc = mf_fail(e, "%s: group '%s': attribute %d unreadable (expected an integer, number, list or text)",
                         path, group, id->n + 1);
    }
    free(stage);
    if (g >= 0) H5Gclose(g);
    return rc;
}

int mf_identity_read_file(const char *path, const char *what, mf_identity *id, mf_err *e) {
    hid_t f = mf_h5_open_ro(path, e);
    if (f < 0) return -1;
    int rc = mf_identity_read(f, path, what, id, e);
    H5Fclose(f);
    return rc;
}

int mf_identity_refuse(const char *path, const mf_identity *have, const mf_identity *want, int mode,
                       const char *reason, const char *advice, mf_err *e) {
    char why[512];
    if (!mf_identity_compare(have, want, mode, why, sizeof why)) return 0;
    return mf_fail(e, "%s: refused: %s (%s); %s", path, reason, why, advice);
}
