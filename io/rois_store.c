/* rois_store.c: see rois_store.h. The per-ROI struct is written column by
 * column so that the file reads naturally from any HDF5 tool. */
#include "io/rois_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/h5util.h"
#include "io/identity_h5.h"

/* Gathers one int32 field of every ROI into col. */
#define GATHER(col, field, width)                                                                         \
    for (int i = 0; i < n; i++)                                                                           \
        for (int j = 0; j < (width); j++) (col)[i * (width) + j] = ((const int32_t *)&s->meta[i].field)[j]

static int write_all(hid_t f, const char *path, const mf_roiset *s, mf_err *e) {
    int n = s->n;
    hsize_t nn = (hsize_t)n;
    hsize_t d3[3] = {nn, (hsize_t)s->size, (hsize_t)s->size};
    if (mf_h5_write(f, path, "images", H5T_NATIVE_UINT8, 3, d3, s->images, e)) return -1;
    size_t cap = (size_t)(n ? n : 1) * 4;
    int32_t *i32 = malloc(cap * sizeof(int32_t));
    uint8_t *u8 = malloc(cap);
    if (!i32 || !u8) {
        free(i32);
        free(u8);
        return mf_fail(e, "%s: out of memory", path);
    }
    int rc = 0;
    hsize_t d1[1] = {nn}, d2[2] = {nn, 2}, d4[2] = {nn, 4};
#define U8COL(name, expr)                                                                          \
    for (int i = 0; i < n; i++) u8[i] = (uint8_t)(expr);                                           \
    if (!rc) rc = mf_h5_write(f, path, name, H5T_NATIVE_UINT8, 1, d1, u8, e)
    U8COL("label", s->meta[i].label);
    U8COL("class", s->meta[i].cls);
    U8COL("split", s->meta[i].split);
    U8COL("severity", s->meta[i].severity);
    for (int i = 0; i < n; i++) memcpy(u8 + 4 * i, s->meta[i].abnormality, 4);
    if (!rc) rc = mf_h5_write(f, path, "abnormality", H5T_NATIVE_UINT8, 2, d4, u8, e);
#define I32COL(name, field, width, dims)                                                          \
    GATHER(i32, field, width);                                                                    \
    if (!rc) rc = mf_h5_write(f, path, name, H5T_NATIVE_INT32, (width) == 1 ? 1 : 2, dims, i32, e)
    I32COL("image_id", image_id, 1, d1);
    I32COL("woman_id", woman_id, 1, d1);
    I32COL("radius", radius, 1, d1);
    I32COL("info_line", info_line, 1, d1);
    I32COL("centre", x, 2, d2);
    I32COL("crop", crop, 4, d4);
    I32COL("box", box, 4, d4);
    free(i32);
    free(u8);
    return rc;
}

int mf_rois_write(const char *path, const mf_roiset *s, const mf_rois_attrs *a, mf_err *e) {
    char tmp[4200];
    hid_t f = mf_h5_create_tmp(path, tmp, sizeof tmp, e);
    if (f < 0) return -1;
    int rc = write_all(f, path, s, e);
    if (!rc) {
        errno = 0;
        rc |= mf_h5_attr_int(f, "schema_version", MF_ROIS_SCHEMA);
        rc |= mf_h5_attr_str(f, "config", a->config ? a->config : "");
        if (rc) rc = mf_h5_fail(e, "%s: cannot write attributes", path);
        else rc = mf_identity_write(f, path, a->identity, e);
    }
    return mf_h5_commit(f, tmp, path, rc, e);
}

int mf_rois_read(const char *path, mf_roiset *s, char **config, mf_err *e) {
    memset(s, 0, sizeof *s);
    if (config) *config = NULL;
    hid_t f = mf_h5_open_ro(path, e);
    if (f < 0) return -1;
    long long schema = 0;
    hsize_t d3[3] = {0, 0, 0};
    int rc = 0;
    if (mf_h5_attr_int_get(f, "schema_version", &schema) || schema != MF_ROIS_SCHEMA)
        rc = mf_fail(e, "%s: attribute 'schema_version': expected %d, found %lld (not a rois.h5 of this version)",
                     path, MF_ROIS_SCHEMA, schema);
    if (!rc) rc = mf_h5_dims(f, path, "images", 3, d3, e);
    if (!rc && (d3[1] != d3[2] || d3[1] == 0))
        rc = mf_fail(e, "%s: dataset 'images': expected [N,S,S], found [%llu,%llu,%llu]", path,
                     (unsigned long long)d3[0], (unsigned long long)d3[1], (unsigned long long)d3[2]);
    if (!rc && mf_roiset_alloc(s, (int)d3[0], (int)d3[1])) rc = mf_fail(e, "%s: out of memory", path);
    int n = s->n;
    int32_t *i32 = rc ? NULL : malloc(sizeof(int32_t) * 4 * (size_t)(n ? n : 1));
    uint8_t *u8 = rc ? NULL : malloc(4 * (size_t)(n ? n : 1));
    if (!rc && (!i32 || !u8)) rc = mf_fail(e, "%s: out of memory", path);
    if (!rc) rc = mf_h5_read(f, path, "images", H5T_NATIVE_UINT8, 3, d3, s->images, e);
    hsize_t d1[1], d2[2], d4[2];
#define RD_U8(name, field)                                                                          \
    d1[0] = (hsize_t)n;                                                                             \
    if (!rc) rc = mf_h5_read(f, path, name, H5T_NATIVE_UINT8, 1, d1, u8, e);                        \
    if (!rc)                                                                                        \
        for (int i = 0; i < n; i++) s->meta[i].field = u8[i]
    RD_U8("label", label);
    RD_U8("class", cls);
    RD_U8("split", split);
    RD_U8("severity", severity);
    d4[0] = (hsize_t)n;
    d4[1] = 4;
    if (!rc) rc = mf_h5_read(f, path, "abnormality", H5T_NATIVE_UINT8, 2, d4, u8, e);
    if (!rc)
        for (int i = 0; i < n; i++) memcpy(s->meta[i].abnormality, u8 + 4 * i, 4);
#define RD_I32(name, field, width, dims)                                                              \
    dims[0] = (hsize_t)n;                                                                             \
    if ((width) > 1) dims[1] = (width);                                                               \
    if (!rc) rc = mf_h5_read(f, path, name, H5T_NATIVE_INT32, (width) == 1 ? 1 : 2, dims, i32, e);    \
    if (!rc)                                                                                          \
        for (int i = 0; i < n; i++)                                                                   \
            for (int j = 0; j < (width); j++) ((int32_t *)&s->meta[i].field)[j] = i32[i * (width) + j]
    RD_I32("image_id", image_id, 1, d1);
    RD_I32("woman_id", woman_id, 1, d1);
    RD_I32("radius", radius, 1, d1);
    RD_I32("info_line", info_line, 1, d1);
    RD_I32("centre", x, 2, d2);
    RD_I32("crop", crop, 4, d4);
    RD_I32("box", box, 4, d4);
    for (int i = 0; !rc && i < n; i++)
        if (s->meta[i].label > 1 || s->meta[i].cls >= MF_ROI_NCLASS || s->meta[i].split > 2)
            rc = mf_fail(e, "%s: ROI %d: label/class/split out of range", path, i);
    if (!rc && config) *config = mf_h5_attr_str_get(f, "config");
    free(i32);
    free(u8);
    H5Fclose(f);
    if (rc) mf_roiset_free(s);
    return rc;
}
