/* identity_h5.h: an identity (core/identity.h) stored in an HDF5 file as the
 * group /identity (or another group name), one attribute per entry in creation order (int64, double,
 * string, or an int32 array for lists), the group's attribute "stage" naming
 * the job. Written with the file's own access (serial or MPI-IO: every rank
 * makes the same calls with the same values), read on one process. */
#ifndef MF_IO_IDENTITY_H5_H
#define MF_IO_IDENTITY_H5_H
#include <hdf5.h>

#include "core/err.h"
#include "core/identity.h"

/* Writes /identity into the open file f; 0 or -1 (message names path). */
int mf_identity_write(hid_t f, const char *path, const mf_identity *id, mf_err *e);
/* Reads /identity of f; a file without one fails with "<path>: no identity
 * (not a mammofuse <what>, or one made by an older version)". */
int mf_identity_read(hid_t f, const char *path, const char *what, mf_identity *id, mf_err *e);
/* The same for any group name (e.g. "store_identity": model.h5's copy of the
 * feature store's identity, io/checkpoint.h); a missing group fails with
 * "<path>: no group '<group>' (...)". */
int mf_identity_write_group(hid_t f, const char *group, const char *path, const mf_identity *id, mf_err *e);
int mf_identity_read_group(hid_t f, const char *group, const char *path, const char *what, mf_identity *id,
                           mf_err *e);
/* Opens path read-only and reads its identity. */
int mf_identity_read_file(const char *path, const char *what, mf_identity *id, mf_err *e);

/* The one refusal: compares the identity stored in path (read by the
 * caller) with want under mode and, if they differ, fails with
 * "<path>: refused: <reason> (<first difference>); <advice>". */
int mf_identity_refuse(const char *path, const mf_identity *have, const mf_identity *want, int mode,
                       const char *reason, const char *advice, mf_err *e);

#endif
