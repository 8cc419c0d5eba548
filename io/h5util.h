/* h5util.h: the few HDF5 calls every store repeats, with errors turned into
 * one-line mf_err messages ("<file>: dataset 'x': ...") instead of HDF5's
 * error-stack dumps. Objects are created without time stamps so that the
 * same content gives the same bytes. */
#ifndef MF_IO_H5UTIL_H
#define MF_IO_H5UTIL_H
#include <hdf5.h>

#include "core/err.h"

/* Silences HDF5's automatic error printing (call once per process). */
void mf_h5_quiet(void);

/* Creates (truncating) a file with the default (serial) driver. */
hid_t mf_h5_create(const char *path, mf_err *e);
/* Opens read-only; errors say whether it is missing or not HDF5. */
hid_t mf_h5_open_ro(const char *path, mf_err *e);

/* Writes a whole dataset of rank r (dims[r]) and memory type t. */
int mf_h5_write(hid_t loc, const char *file, const char *name, hid_t t, int r, const hsize_t *dims,
                const void *data, mf_err *e);
/* Reads a whole dataset, checking its rank and, where dims[i] > 0, its
 * extents (dims[i] == 0 means "any", and is filled in). */
int mf_h5_read(hid_t loc, const char *file, const char *name, hid_t t, int r, hsize_t *dims, void *data,
               mf_err *e);
/* Extents of a dataset (rank r expected); 0 or -1. */
int mf_h5_dims(hid_t loc, const char *file, const char *name, int r, hsize_t *dims, mf_err *e);

int mf_h5_attr_str(hid_t obj, const char *name, const char *value);
int mf_h5_attr_int(hid_t obj, const char *name, long long value);
int mf_h5_attr_double(hid_t obj, const char *name, double value);
int mf_h5_attr_double_get(hid_t obj, const char *name, double *value);
/* Reads a string attribute into a malloc'ed buffer, or NULL. */
char *mf_h5_attr_str_get(hid_t obj, const char *name);
int mf_h5_attr_int_get(hid_t obj, const char *name, long long *value);

/* Path helpers for write-then-rename: "<path>.tmp.<pid>" */
void mf_tmp_name(const char *path, char *buf, size_t len);

#endif
