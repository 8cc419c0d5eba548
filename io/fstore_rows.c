/* fstore_rows.c: see fstore_rows.h. */
#include "io/fstore_rows.h"

#include <errno.h>
#include <stdio.h>

#include "io/h5util.h"

int mf_fstore_read_list(mf_fstore *fs, int b, int s, const int64_t *rows, int n, float *out, mf_err *e) {
    if (n <= 0) return 0;
    if (b < 0 || b >= fs->n_blocks)
        return mf_fail(e, "%s: block %d: the store holds blocks 1..%d", fs->path, b + 1, fs->n_blocks);
    int rank = s == MF_SUM_POOL ? 4 : 2, C = fs->C[b];
    hsize_t start[4] = {0, 0, 0, 0}, cnt[4] = {0, (hsize_t)C, 0, 0}, mdim[4];
    if (s == MF_SUM_POOL) {
        cnt[1] = 2;
        cnt[2] = 2;
        cnt[3] = (hsize_t)C;
    }
    /* One read per run of consecutive rows: a union of hyperslabs
     * (H5S_SELECT_OR) costs HDF5 far more to build and walk than the reads
     * themselves (measured: 32 scattered rows of 256 floats, 1.2 ms as one
     * union read, 0.31 ms as 32 reads, with no chunk cache either way). */
    hid_t fsp = H5Dget_space(fs->ds[b][s]);
    size_t row_floats = (size_t)C * (s == MF_SUM_POOL ? 4 : 1);
    herr_t st = 0;
    errno = 0;
    for (int i = 0; i < n && st >= 0;) {
        int j = i + 1;
        while (j < n && rows[j] == rows[j - 1] + 1) j++;
        start[0] = (hsize_t)rows[i];
        cnt[0] = (hsize_t)(j - i);
        for (int k = 0; k < rank; k++) mdim[k] = cnt[k];
        hid_t msp = H5Screate_simple(rank, mdim, NULL);
        st = H5Sselect_hyperslab(fsp, H5S_SELECT_SET, start, NULL, cnt, NULL);
        if (st >= 0) st = H5Dread(fs->ds[b][s], H5T_NATIVE_FLOAT, msp, fsp, H5P_DEFAULT, out + (size_t)i * row_floats);
        H5Sclose(msp);
        i = j;
    }
    H5Sclose(fsp);
    if (st >= 0) return 0;
    static const char *const sums[3] = {"mean", "meansq", "pool2x2"};
    char name[32], where[64];
    snprintf(name, sizeof name, "%s_%d", sums[s], b + 1);
    snprintf(where, sizeof where, " %d rows from row %lld", n, (long long)rows[0]);
    return mf_h5_read_fail(e, fs->path, name, where);
}
