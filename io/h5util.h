/* h5util.h: the few HDF5 calls every store repeats, with errors turned into
 * one-line mf_err messages ("<file>: dataset 'x': ...") instead of HDF5's
 * error-stack dumps. Objects are created without time stamps so that the
 * same content gives the same bytes. */
#ifndef MF_IO_H5UTIL_H
#define MF_IO_H5UTIL_H
#include <hdf5.h>

#include "core/err.h"

/* Replaces HDF5's automatic error printing by a quiet recorder of the
 * cause of the last failed HDF5 call (see mf_h5_fail). Idempotent; every
 * function here that opens or creates a file calls it. */
void mf_h5_quiet(void);

/* mf_fail, then ": <cause>" appended: why the last failed HDF5 call failed.
 * The cause is the system's text where a system call failed inside HDF5
 * (the sec2 driver's "error message = '...'"), else the MPI error string
 * unless it is a generic one (MPI_ERR_IO), else errno as it was when the
 * call failed (so reset errno to 0 before a call whose failure you report),
 * else the innermost message of HDF5's error stack ("file write failed").
 * Consumed: a later message does not repeat it. */
int mf_h5_fail(mf_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records cause as if an HDF5 call had just failed with it (for test-only
 * fault injection: the failure then takes the real error path); -1. */
int mf_h5_fail_as(const char *cause);

/* Process start and end (jobs/main.c). HDF5 1.10 may be unable to
 * terminate after a failure: a file whose H5Fclose failed stays as a
 * dangling ID that crashes the library's termination (H5F__close_cb on freed
 * memory), and an object of a damaged file that failed to open (its header's
 * checksum) stays half-open, so that H5close prints "HDF5: infinite loop
 * closing library". By default termination runs inside MPI_Finalize or at
 * exit. mf_h5_begin, called before MPI_Init, starts HDF5 without that hook
 * (and without its atexit hook); mf_h5_end, before MPI_Finalize, terminates
 * HDF5 only if no HDF5 call failed in the process (every file is closed by
 * then, so nothing is lost by skipping it), so a job still ends with its one
 * error line and exit status. */
void mf_h5_begin(void);
void mf_h5_end(void);

/* Creates (truncating) a file with the default (serial) driver. */
hid_t mf_h5_create(const char *path, mf_err *e);
/* Opens read-only; errors say whether it is missing or not HDF5. */
hid_t mf_h5_open_ro(const char *path, mf_err *e);
/* The same, saying what was expected of a non-HDF5 file ("Keras VGG weights"). */
hid_t mf_h5_open_ro_as(const char *path, const char *what, mf_err *e);

/* Write-then-rename. mf_h5_create_tmp creates "<path>.tmp.<pid>" (its name
 * into tmp) with errors naming path; mf_h5_commit closes f and, if rc == 0
 * and the close succeeded, renames tmp onto path; on any failure it removes
 * tmp and returns -1 (e says why unless rc had already failed). */
hid_t mf_h5_create_tmp(const char *path, char *tmp, size_t len, mf_err *e);
int mf_h5_commit(hid_t f, const char *tmp, const char *path, int rc, mf_err *e);

/* Writes a whole dataset of rank r (dims[r]) and memory type t. */
int mf_h5_write(hid_t loc, const char *file, const char *name, hid_t t, int r, const hsize_t *dims,
                const void *data, mf_err *e);
/* Reads a whole dataset, checking its rank and, where dims[i] > 0, its
 * extents (dims[i] == 0 means "any", and is filled in). */
int mf_h5_read(hid_t loc, const char *file, const char *name, hid_t t, int r, hsize_t *dims, void *data,
               mf_err *e);
/* Metadata checksums: files are created in HDF5's latest format (1.10),
 * whose superblock, object headers (attributes included) and chunk indexes
 * all carry a checksum that HDF5 checks when it reads them, so a flipped
 * byte there makes the open or the read fail instead of changing a shape,
 * an attribute or a chunk's address. Sets fapl so; 0 or -1. */
int mf_h5_checksum_format(hid_t fapl);

/* Raw-data checksums: datasets the project writes are chunked with HDF5's
 * Fletcher32 filter, which HDF5 checks on every read of a chunk (a flipped
 * byte makes H5Dread fail; mf_h5_read_fail says so). Files written before
 * the filter was added have none and are read as before. This sets dcpl to
 * chunks of whole rows (dimension 0 cut to at most MF_H5_CHUNK_BYTES) with
 * the filter: 1, or 0 for an empty dataset (kept contiguous, nothing to
 * check), -1 on an HDF5 failure. */
#define MF_H5_CHUNK_BYTES (1u << 20)
int mf_h5_checksum_dcpl(hid_t dcpl, int r, const hsize_t *dims, size_t elem);

/* The one line for a failed H5Dread of dataset name in file ("<file>:
 * dataset '<name>'<where>: ..."; where may be NULL or e.g. " rows 0..8"):
 * "checksum mismatch (the file is damaged)" when the Fletcher32 filter
 * failed, else the cause recorded by the error handler. -1. */
int mf_h5_read_fail(mf_err *e, const char *file, const char *name, const char *where);

/* Refuses (one line) a dataset d whose type class differs from memory
 * type mt's (e.g. strings where numbers are expected) or whose elements
 * are wider than 8 bytes. 0 or -1. */
int mf_h5_check_type(hid_t d, const char *file, const char *name, hid_t mt, mf_err *e);

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
