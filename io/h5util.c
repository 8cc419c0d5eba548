/* h5util.c: see h5util.h. */
#include "io/h5util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/fault.h"

/* ---- causes ------------------------------------------------------------ */

static struct {
    char cause[256]; /* of the last failed HDF5 call */
    int set;
    int broken; /* an HDF5 call failed: do not terminate the library */
} h5st;

typedef struct walk_ctx {
    char inner[512]; /* the innermost message */
    int checksum;    /* a Fletcher32 check failed on the way */
} walk_ctx;

static herr_t walk_cb(unsigned n, const H5E_error2_t *err, void *data) {
    walk_ctx *w = data;
    if (n == 0) snprintf(w->inner, sizeof w->inner, "%s", err->desc ? err->desc : "");
    if (err->desc && strstr(err->desc, "Fletcher32")) w->checksum = 1;
    return 0;
}

/* The text after key up to the next quote, if key is in s. */
static int quoted(const char *s, const char *key, char *out, size_t len) {
    const char *p = strstr(s, key);
    if (!p) return 0;
    p += strlen(key);
    const char *q = strchr(p, '\'');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    if (n == 0) return 0;
    snprintf(out, len, "%.*s", (int)n, p);
    return 1;
}

static void set_cause(const char *c) {
    size_t n = strcspn(c, "\n"); /* the first line */
    if (n >= sizeof h5st.cause) n = sizeof h5st.cause - 1;
    memcpy(h5st.cause, c, n);
    h5st.cause[n] = 0;
    h5st.set = 1;
}

/* The automatic error handler: records the cause instead of printing. */
static herr_t record(hid_t estack, void *data) {
    (void)data;
    int err = errno;
    walk_ctx w;
    memset(&w, 0, sizeof w);
    H5Ewalk2(estack, H5E_WALK_UPWARD, walk_cb, &w);
    /* The MPI error string where it says something (MPI_ERR_NO_SUCH_FILE:
     * ...); behind a generic one (MPI_ERR_IO, MPI_ERR_OTHER) errno is the
     * better witness, but not otherwise: MPI-IO may leave an unrelated
     * errno after its own failure. */
    char q[256], mpi[256];
    int has_mpi = quoted(w.inner, "MPI error string is '", mpi, sizeof mpi);
    int generic = has_mpi && (!strncmp(mpi, "MPI_ERR_IO", 10) || !strncmp(mpi, "MPI_ERR_OTHER", 13) ||
                              !strncmp(mpi, "MPI_ERR_UNKNOWN", 15));
    if (w.checksum) set_cause("Fletcher32 checksum mismatch"); /* whatever errno says */
    else if (quoted(w.inner, "error message = '", q, sizeof q)) set_cause(q);
    else if (has_mpi && !generic) set_cause(mpi);
    else if (err) set_cause(strerror(err));
    else if (has_mpi) set_cause(mpi);
    else set_cause(w.inner[0] ? w.inner : "HDF5 error");
    /* A failed H5Fclose, or an H5Fcreate/H5Fopen that failed while
     * undoing itself, leaves HDF5 1.10 unable to terminate. */
    /* So may any failed call on a damaged file (an object header that
     * fails its checksum leaves its half-opened object behind: H5close
     * then ends in "HDF5: infinite loop closing library"). */
    h5st.broken = 1;
    errno = err;
    return 0;
}

void mf_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, record, NULL); }

int mf_h5_fail(mf_err *e, const char *fmt, ...) {
    char msg[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int rc = h5st.set ? mf_fail(e, "%s: %s", msg, h5st.cause) : mf_fail(e, "%s", msg);
    h5st.set = 0;
    return rc;
}

int mf_h5_fail_as(const char *cause) {
    set_cause(cause);
    return -1;
}

void mf_h5_begin(void) {
    H5dont_atexit();
    H5open();
    mf_h5_quiet();
}

void mf_h5_end(void) {
    if (!h5st.broken) H5close();
}

/* ---- files --------------------------------------------------------------- */

/* Creates path; errors name `name`. */
static hid_t create_as(const char *path, const char *name, mf_err *e) {
    mf_h5_quiet();
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_obj_track_times(fcpl, 0);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    mf_h5_checksum_format(fapl);
    errno = 0;
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fapl);
    H5Pclose(fcpl);
    if (f < 0) mf_h5_fail(e, "%s: cannot create", name);
    return f;
}

hid_t mf_h5_create(const char *path, mf_err *e) { return create_as(path, path, e); }

hid_t mf_h5_open_ro_as(const char *path, const char *what, mf_err *e) {
    mf_h5_quiet();
    FILE *probe = fopen(path, "rb");
    if (!probe) {
        mf_fail(e, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    fclose(probe);
    if (H5Fis_hdf5(path) <= 0) {
        if (what) mf_fail(e, "%s: byte 0: not an HDF5 file (expected %s)", path, what);
        else mf_fail(e, "%s: byte 0: expected an HDF5 file", path);
        return -1;
    }
    errno = 0;
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) mf_h5_fail(e, "%s: cannot open as HDF5 (truncated or damaged?)", path);
    return f;
}

hid_t mf_h5_open_ro(const char *path, mf_err *e) { return mf_h5_open_ro_as(path, NULL, e); }

hid_t mf_h5_create_tmp(const char *path, char *tmp, size_t len, mf_err *e) {
    mf_tmp_name(path, tmp, len);
    /* errors name the file the user asked for, not the temporary one */
    hid_t f = create_as(tmp, path, e);
    if (f < 0) remove(tmp); /* H5Fcreate may fail after making the file (disk full) */
    return f;
}

int mf_h5_commit(hid_t f, const char *tmp, const char *path, int rc, mf_err *e) {
    errno = 0;
    if (H5Fclose(f) < 0 && !rc) rc = mf_h5_fail(e, "%s: cannot close", path);
    if (!rc) mf_fault_point("rename");
    if (!rc && rename(tmp, path)) rc = mf_fail(e, "%s: cannot rename %s into place: %s", path, tmp, strerror(errno));
    if (rc) remove(tmp);
    return rc;
}

int mf_h5_checksum_format(hid_t fapl) { return H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST) < 0 ? -1 : 0; }

int mf_h5_checksum_dcpl(hid_t dcpl, int r, const hsize_t *dims, size_t elem) {
    hsize_t chunk[8];
    size_t bytes = elem;
    if (r < 1 || r > 8) return 0;
    for (int i = 0; i < r; i++) {
        if (!dims[i]) return 0; /* an empty dataset has no chunk to check */
        chunk[i] = dims[i];
        if (i) bytes *= dims[i];
    }
    /* rows per chunk: as many as fit in MF_H5_CHUNK_BYTES, at least one */
    hsize_t rows = bytes ? MF_H5_CHUNK_BYTES / bytes : dims[0];
    if (rows < 1) rows = 1;
    if (rows < chunk[0]) chunk[0] = rows;
    if (bytes * chunk[0] > ((hsize_t)1 << 31)) return 0; /* HDF5's chunk limit is 4 GB */
    if (H5Pset_chunk(dcpl, r, chunk) < 0 || H5Pset_fletcher32(dcpl) < 0) return -1;
    return 1;
}

int mf_h5_write(hid_t loc, const char *file, const char *name, hid_t t, int r, const hsize_t *dims,
                const void *data, mf_err *e) {
    hid_t sp = H5Screate_simple(r, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    mf_h5_checksum_dcpl(dcpl, r, dims, H5Tget_size(t));
    errno = 0;
    hid_t d = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    herr_t st = d < 0 ? -1 : H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    if (st < 0) mf_h5_fail(e, "%s: dataset '%s': cannot write", file, name);
    if (d >= 0) H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(sp);
    if (st < 0) return -1;
    return 0;
}

int mf_h5_dims(hid_t loc, const char *file, const char *name, int r, hsize_t *dims, mf_err *e) {
    htri_t there = H5Lexists(loc, name, H5P_DEFAULT);
    if (there < 0) return mf_h5_fail(e, "%s: dataset '%s': cannot look it up (damaged file)", file, name);
    if (!there) return mf_fail(e, "%s: dataset '%s': missing", file, name);
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) return mf_h5_fail(e, "%s: dataset '%s': cannot open (damaged file)", file, name);
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
    if (d < 0) return mf_h5_fail(e, "%s: dataset '%s': cannot open", file, name);
    if (mf_h5_check_type(d, file, name, t, e)) {
        H5Dclose(d);
        return -1;
    }
    errno = 0;
    herr_t st = H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(d);
    if (st < 0) return mf_h5_read_fail(e, file, name, NULL);
    return 0;
}

int mf_h5_check_type(hid_t d, const char *file, const char *name, hid_t mt, mf_err *e) {
    hid_t ft = H5Dget_type(d);
    if (ft < 0) return mf_h5_fail(e, "%s: dataset '%s': cannot read its type", file, name);
    H5T_class_t have = H5Tget_class(ft), want = H5Tget_class(mt);
    size_t size = H5Tget_size(ft);
    H5Tclose(ft);
    /* integers as integers, floats as floats; HDF5 converts between
     * widths, but a string or compound read as numbers is not this file */
    static const char *const names[] = {"integers", "floating-point numbers", "times", "strings", "bit fields",
                                        "opaque data", "compounds", "references", "enumerations",
                                        "variable-length sequences", "arrays"};
    if (have != want)
        return mf_fail(e, "%s: dataset '%s': expected %s, found %s", file, name, names[want == H5T_FLOAT],
                       have >= 0 && have < 11 ? names[have] : "an unknown type");
    if (size < 1 || size > 8)
        return mf_fail(e, "%s: dataset '%s': element size %zu, expected 1..8 bytes", file, name, size);
    return 0;
}

int mf_h5_read_fail(mf_err *e, const char *file, const char *name, const char *where) {
    if (!where) where = "";
    if (h5st.set && strstr(h5st.cause, "Fletcher32")) {
        h5st.set = 0;
        return mf_fail(e, "%s: dataset '%s'%s: checksum mismatch (the file is damaged)", file, name, where);
    }
    return mf_h5_fail(e, "%s: dataset '%s'%s: cannot read (damaged or truncated file)", file, name, where);
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
