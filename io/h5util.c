/* h5util.c: see h5util.h. */
#include "io/h5util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void mf_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

hid_t mf_h5_create(const char *path, mf_err *e) {
    mf_h5_quiet();
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_obj_track_times(fcpl, 0);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    if (f < 0) {
        FILE *probe = fopen(path, "wb");
        int err = errno;
        if (probe) {
            fclose(probe);
            remove(path);
            mf_fail(e, "%s: cannot create HDF5 file", path);
        } else
            mf_fail(e, "%s: cannot create: %s", path, strerror(err));
    }
    return f;
}

hid_t mf_h5_open_ro(const char *path, mf_err *e) {
    mf_h5_quiet();
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        mf_fail(e, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    fclose(probe);
    if (H5Fis_hdf5(path) <= 0) {
        mf_fail(e, "%s: byte 0: expected an HDF5 file", path);
        return -1;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) mf_fail(e, "%s: cannot open as HDF5 (truncated or damaged?)", path);
    return f;
}

int mf_h5_write(hid_t loc, const char *file, const char *name, hid_t t, int r, const hsize_t *dims,
                const void *data, mf_err *e) {
    hid_t sp = H5Screate_simple(r, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    hid_t d = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    herr_t st = d < 0 ? -1 : H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    if (d >= 0) H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(sp);
    if (st < 0) return mf_fail(e, "%s: dataset '%s': cannot write", file, name);
    return 0;
}

int mf_h5_dims(hid_t loc, const char *file, const char *name, int r, hsize_t *dims, mf_err *e) {
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) return mf_fail(e, "%s: dataset '%s': missing", file, name);
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) return mf_fail(e, "%s: dataset '%s': cannot open", file, name);
    hid_t sp = H5Dget_space(d);
    int have = H5Sget_simple_extent_ndims(sp);
    int rc = 0;
    if (have != r) rc = mf_fail(e, "%s: dataset '%s': expected rank %d, found %d", file, name, r, have);
    else H5Sget_simple_extent_dims(sp, dims, NULL);
    H5Sclose(sp);
    H5Dclose(d);
    return rc;
}

int mf_h5_read(hid_t loc, const char *file, const char *name, hid_t t, int r, hsize_t *dims, void *data,
               mf_err *e) {
    hsize_t have[8];
    if (r > 8 || mf_h5_dims(loc, file, name, r, have, e)) return -1;
    for (int i = 0; i < r; i++) {
        if (dims[i] && dims[i] != have[i])
            return mf_fail(e, "%s: dataset '%s': dimension %d is %llu, expected %llu", file, name, i,
                           (unsigned long long)have[i], (unsigned long long)dims[i]);
        dims[i] = have[i];
    }
    if (!data) return 0;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    herr_t st = H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(d);
    if (st < 0) return mf_fail(e, "%s: dataset '%s': cannot read (truncated file or wrong type)", file, name);
    return 0;
}

int mf_h5_attr_str(hid_t obj, const char *name, const char *value) {
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, strlen(value) + 1);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t st = a < 0 ? -1 : H5Awrite(a, t, value);
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return st < 0 ? -1 : 0;
}

/* A scalar attribute of file type ft from a value of memory type mt. */
static int attr_scalar(hid_t obj, const char *name, hid_t ft, hid_t mt, const void *value) {
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, ft, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t st = a < 0 ? -1 : H5Awrite(a, mt, value);
    if (a >= 0) H5Aclose(a);
    H5Sclose(sp);
    return st < 0 ? -1 : 0;
}

int mf_h5_attr_int(hid_t obj, const char *name, long long value) {
    return attr_scalar(obj, name, H5T_STD_I64LE, H5T_NATIVE_LLONG, &value);
}

int mf_h5_attr_double(hid_t obj, const char *name, double value) {
    return attr_scalar(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

int mf_h5_attr_double_get(hid_t obj, const char *name, double *value) {
    if (H5Aexists(obj, name) <= 0) return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    herr_t st = H5Aread(a, H5T_NATIVE_DOUBLE, value);
    H5Aclose(a);
    return st < 0 ? -1 : 0;
}

char *mf_h5_attr_str_get(hid_t obj, const char *name) {
    if (H5Aexists(obj, name) <= 0) return NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t ft = H5Aget_type(a);
    char *out = NULL;
    if (H5Tget_class(ft) == H5T_STRING && !H5Tis_variable_str(ft)) {
        size_t n = H5Tget_size(ft);
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, n + 1);
        out = calloc(n + 2, 1);
        if (out && H5Aread(a, mt, out) < 0) {
            free(out);
            out = NULL;
        }
        H5Tclose(mt);
    }
    H5Tclose(ft);
    H5Aclose(a);
    return out;
}

int mf_h5_attr_int_get(hid_t obj, const char *name, long long *value) {
    if (H5Aexists(obj, name) <= 0) return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    herr_t st = H5Aread(a, H5T_NATIVE_LLONG, value);
    H5Aclose(a);
    return st < 0 ? -1 : 0;
}

void mf_tmp_name(const char *path, char *buf, size_t len) {
    snprintf(buf, len, "%s.tmp.%ld", path, (long)getpid());
}
