/* fstore_rows.c: see fstore_rows.h. */
#include "io/fstore_rows.h"

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
    hid_t fsp = H5Dget_space(fs->ds[b][s]);
    H5Sselect_none(fsp);
    for (int i = 0; i < n;) {
        int j = i + 1;
        while (j < n && rows[j] == rows[j - 1] + 1) j++;
        start[0] = (hsize_t)rows[i];
        cnt[0] = (hsize_t)(j - i);
        H5Sselect_hyperslab(fsp, H5S_SELECT_OR, start, NULL, cnt, NULL);
        i = j;
    }
    for (int k = 0; k < rank; k++) mdim[k] = cnt[k];
    mdim[0] = (hsize_t)n;
    hid_t msp = H5Screate_simple(rank, mdim, NULL);
    herr_t st = H5Dread(fs->ds[b][s], H5T_NATIVE_FLOAT, msp, fsp, H5P_DEFAULT, out);
    H5Sclose(msp);
    H5Sclose(fsp);
    return st < 0 ? mf_fail(e, "%s: block %d: cannot read %d rows from row %lld", fs->path, b + 1, n,
                            (long long)rows[0])
                  : 0;
}
