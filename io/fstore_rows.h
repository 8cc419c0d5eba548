/* fstore_rows.h: reading scattered rows of the feature store (a shuffled
 * training batch) with one HDF5 read per dataset: the rows, sorted, become
 * one union of hyperslabs (runs of consecutive rows merged), so memory is
 * bounded by the batch and the file is walked forward. */
#ifndef MF_IO_FSTORE_ROWS_H
#define MF_IO_FSTORE_ROWS_H
#include <stdint.h>

#include "io/features_store.h"

/* Rows rows[0..n) (strictly increasing) of block b's summary s into out
 * [n][width] float32, in the order given. */
int mf_fstore_read_list(mf_fstore *fs, int b, int s, const int64_t *rows, int n, float *out, mf_err *e);

#endif
