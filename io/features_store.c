/* features_store.c: see features_store.h. */
#define _GNU_SOURCE /* fallocate */
#include "io/features_store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/half.h"
#include "io/fault.h"
#include "io/h5util.h"
#include "io/identity_h5.h"

static const char *const sum_names[3] = {"mean", "meansq", "pool2x2"};
static const char *const plan_names[7] = {"roi", "draw", "row", "col", "split", "label", "kind"};

/* IEEE binary16 as an HDF5 float type (HDF5 1.10 has none built in). */
static hid_t half_type(void) {
    hid_t t = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(t, 15, 10, 5, 0, 10);
    H5Tset_offset(t, 0);
    H5Tset_precision(t, 16);
    H5Tset_size(t, 2);
    H5Tset_ebias(t, 15);
    return t;
}

/* In a float16 store, meansq stays float32: its values pass half's 65504
 * (block 3-5 maps reach 1e5) and Model2 takes a variance from it by
 * subtraction, where half's 5e-4 relative rounding would not do. */
int mf_fstore_sum_is_half(int dtype, int s) { return dtype == MF_DTYPE_F16 && s != MF_SUM_MEANSQ; }
static int stored_half(const mf_fstore *fs, int s) { return mf_fstore_sum_is_half(fs->dtype, s); }

/* TEST ONLY. MF_TEST_FAIL_WRITE=<rank>:<what> makes that rank's write fail
 * as a real HDF5 error would: the rank still takes part in the collective
 * call, then sees it fail with the cause "injected failure
 * (MF_TEST_FAIL_WRITE)". <what> is a chunk number (the chunk's first
 * summary dataset), "plan" (the plan written at creation) or "close" (the
 * final close of the store). The tests use it to check that all ranks leave
 * together with one error line (tests/mpi/extract_failure.sh); it is read
 * here and nowhere else, and has no use outside the tests. */
static int test_fail_write(MPI_Comm comm, const char *what) {
    const char *v = getenv("MF_TEST_FAIL_WRITE");
    if (!v) return 0;
    int rank;
    MPI_Comm_rank(comm, &rank);
    char want[64];
    snprintf(want, sizeof want, "%d:%s", rank, what);
    return !strcmp(v, want);
}

static int test_fail_chunk(MPI_Comm comm, int64_t chunk) {
    char what[32];
    snprintf(what, sizeof what, "%lld", (long long)chunk);
    return test_fail_write(comm, what);
}

static int sum_rank(int s) { return s == MF_SUM_POOL ? 4 : 2; }

static void sum_dims(const mf_fstore *fs, int b, int s, hsize_t rows, hsize_t *dims) {
    dims[0] = rows;
    if (s == MF_SUM_POOL) {
        dims[1] = dims[2] = 2;
        dims[3] = (hsize_t)fs->C[b];
    } else
        dims[1] = (hsize_t)fs->C[b];
}

static void ds_name(int b, int s, char *buf, size_t len) { snprintf(buf, len, "%s_%d", sum_names[s], b + 1); }

/* create: new files in the checksummed format (io/h5util.h); a store
 * opened to resume keeps the format it was made with (older stores). */
static hid_t mpio_fapl(MPI_Comm comm, int create) {
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL);
    if (create) mf_h5_checksum_format(fapl);
    H5Pset_all_coll_metadata_ops(fapl, 1);
    H5Pset_coll_metadata_write(fapl, 1);
    return fapl;
}

static hid_t coll_dxpl(void) {
    hid_t x = H5Pcreate(H5P_DATASET_XFER);
    H5Pset_dxpl_mpio(x, H5FD_MPIO_COLLECTIVE);
    return x;
}

/* Collective: 0 if no rank of comm failed (rc == 0 everywhere); else -1 on
 * every rank, with e (on every rank) holding the message of the lowest
 * failing rank, so that the one line printed names the real failure. Called
 * before every collective step, so that ranks leave a sequence of
 * collective calls together instead of one rank leaving while the others
 * wait for it in the next call. */
static int agree(MPI_Comm comm, int rc, mf_err *e) {
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    int mine = rc ? rank : size, first = size;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm);
    if (first == size) return 0;
    MPI_Bcast(e->msg, (int)sizeof e->msg, MPI_CHAR, first, comm);
    return -1;
}

/* Every attribute but the identity, which is written last (see create). */
static int store_attrs(mf_fstore *fs, const mf_fstore_desc *d) {
    int rc = 0;
    errno = 0;
    rc |= mf_h5_attr_int(fs->file, "schema_version", MF_FEATURES_SCHEMA);
    rc |= mf_h5_attr_str(fs->file, "config", d->config);
    rc |= mf_h5_attr_str(fs->file, "weights_sha256", d->weights_sha256);
    rc |= mf_h5_attr_str(fs->file, "backbone", d->backbone);
    rc |= mf_h5_attr_int(fs->file, "n_blocks", d->n_blocks);
    rc |= mf_h5_attr_int(fs->file, "chunk_rows", d->chunk);
    rc |= mf_h5_attr_str(fs->file, "dtype", d->dtype == MF_DTYPE_F16 ? "float16" : "float32");
    return rc;
}

static void desc_into(mf_fstore *fs, const char *path, MPI_Comm comm, const mf_fstore_desc *d) {
    memset(fs, 0, sizeof *fs);
    fs->file = fs->done = -1;
    fs->comm = comm;
    fs->n = d->n;
    fs->chunk = d->chunk;
    fs->n_chunks = (d->n + d->chunk - 1) / d->chunk;
    fs->n_blocks = d->n_blocks;
    fs->dtype = d->dtype;
    memcpy(fs->C, d->C, sizeof fs->C);
    snprintf(fs->path, sizeof fs->path, "%s", path);
}

/* Bytes the whole store takes on disk: its datasets and room for HDF5's
 * metadata (chunk indexes, headers, attributes). */
static int64_t store_bytes(const mf_fstore *fs) {
    int64_t raw = fs->n * 13 + fs->n_chunks; /* plan (2 int32 + 5 uint8) and done */
    for (int b = 0; b < fs->n_blocks; b++)
        for (int s = 0; s < 3; s++) raw += fs->n * mf_sum_width(s, fs->C[b]) * (stored_half(fs, s) ? 2 : 4);
    return raw + raw / 64 + fs->n_chunks * 3 * fs->n_blocks * 64 + (256 << 10);
}

/* Rank 0: reserves the store's space on the disk before any collective
 * write, so that a full disk is one clean failure of every rank here, never
 * a write failing on one rank inside HDF5's collective calls (HDF5 1.10 then
 * leaves the other ranks waiting in a barrier for ever: seen with a full
 * tmpfs). The blocks are allocated without changing the file's size
 * (FALLOC_FL_KEEP_SIZE), so HDF5 sees nothing; where the file system cannot
 * (EOPNOTSUPP), its free space is checked instead. Done twice: before
 * H5Fcreate, on a file of our own (a failure there involves no HDF5 call:
 * closing an HDF5 file on a full disk hangs too, the ranks' collective
 * metadata writes failing on one rank only), and on the new HDF5 file, in
 * case its creation (a truncation) gave the blocks back. */
static int reserve_space(const char *tmp, const char *path, int64_t bytes, int create, mf_err *e) {
    int fd = open(tmp, O_WRONLY | (create ? O_CREAT | O_TRUNC : 0), 0644);
    if (fd < 0) return mf_fail(e, "%s: cannot reserve its space: %s", path, strerror(errno));
    int rc = fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)bytes) ? errno : 0;
    close(fd);
    if (rc == EOPNOTSUPP || rc == ENOSYS) {
        struct statvfs v;
        rc = 0;
        if (!statvfs(tmp, &v) && (int64_t)v.f_bavail * (int64_t)v.f_frsize < bytes) rc = ENOSPC;
    }
    if (rc)
        return mf_fail(e, "%s: cannot reserve %.1f MB for the store: %s", path, (double)bytes / 1e6, strerror(rc));
    return 0;
}

/* Collective: rank 0 writes rows [first, first + n) of a 1-d dataset, the
 * others nothing. */
static int write_rank0(hid_t ds, hid_t mt, const void *buf, hsize_t first, hsize_t n, int rank) {
    hid_t fsp = H5Dget_space(ds), msp = H5Screate_simple(1, &n, NULL);
    if (rank || !n) {
        H5Sselect_none(fsp);
        H5Sselect_none(msp);
    } else
        H5Sselect_hyperslab(fsp, H5S_SELECT_SET, &first, NULL, &n, NULL);
    hid_t x = coll_dxpl();
    errno = 0;
    herr_t st = H5Dwrite(ds, mt, msp, fsp, x, buf);
    H5Pclose(x);
    H5Sclose(msp);
    H5Sclose(fsp);
    return st < 0 ? -1 : 0;
}

enum { PLAN_SLICE = 1 << 18 }; /* rows of the plan in memory at once while writing it; its chunk */

/* Chunks of the given extents with HDF5's Fletcher32 checksum (io/h5util.h),
 * written at allocation (the fill value, zeros, through the filter): every
 * chunk then has its final size and address from the creation on, so a
 * write rewrites it in place as without the filter (the file's bytes do not
 * depend on which rank wrote which chunk, and no metadata changes after
 * the creation, as the kill -9 resume requires). HDF5 refuses filters
 * without fill values written at allocation anyway. */
static void checksum_chunks(hid_t dcpl, int r, const hsize_t *chunk) {
    H5Pset_chunk(dcpl, r, chunk);
    H5Pset_fletcher32(dcpl);
    H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC);
}

/* Collective: the plan datasets, created and written by slices (rank 0
 * writes, the others take part in the collective calls). */
static int write_plan(mf_fstore *fs, mf_plan_source source, void *ctx, mf_err *e) {
    int rank;
    MPI_Comm_rank(fs->comm, &rank);
    hsize_t n = (hsize_t)fs->n, dims[1] = {n};
    hid_t ds[7];
    int rc = 0;
    for (int f = 0; f < 7; f++) ds[f] = -1;
    for (int f = 0; f < 7 && !rc; f++) {
        hid_t sp = H5Screate_simple(1, dims, NULL);
        hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_obj_track_times(dcpl, 0);
        H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY);
        if (n) checksum_chunks(dcpl, 1, (hsize_t[1]){n < PLAN_SLICE ? n : PLAN_SLICE});
        errno = 0;
        ds[f] = H5Dcreate2(fs->file, plan_names[f], f < 2 ? H5T_STD_I32LE : H5T_STD_U8LE, sp, H5P_DEFAULT, dcpl,
                           H5P_DEFAULT);
        if (ds[f] < 0) rc = mf_h5_fail(e, "%s: cannot create dataset '%s'", fs->path, plan_names[f]);
        H5Pclose(dcpl);
        H5Sclose(sp);
        rc = agree(fs->comm, rc, e);
    }
    /* Only rank 0 fills buffers; the others pass none. */
    mf_patch *rows = NULL;
    int32_t *i32 = NULL;
    uint8_t *u8 = NULL;
    if (!rc && rank == 0) {
        rows = malloc(sizeof(mf_patch) * PLAN_SLICE);
        i32 = malloc(sizeof(int32_t) * PLAN_SLICE);
        u8 = malloc(PLAN_SLICE);
        if (!rows || !i32 || !u8) rc = mf_fail(e, "%s: out of memory for the plan (%d rows)", fs->path, PLAN_SLICE);
    }
    if (!rc) rc = agree(fs->comm, rc, e);
    for (hsize_t first = 0; first < n && !rc; first += PLAN_SLICE) {
        hsize_t cnt = n - first < PLAN_SLICE ? n - first : PLAN_SLICE;
        if (rank == 0) source(ctx, (int64_t)first, (int64_t)cnt, rows);
        for (int f = 0; f < 7 && !rc; f++) {
            for (hsize_t i = 0; rank == 0 && i < cnt; i++) {
                const mf_patch *p = &rows[i];
                switch (f) {
                case 0: i32[i] = p->roi; break;
                case 1: i32[i] = p->draw; break;
                case 2: u8[i] = p->row; break;
                case 3: u8[i] = p->col; break;
                case 4: u8[i] = p->split; break;
                case 5: u8[i] = p->label; break;
                default: u8[i] = p->kind;
                }
            }
            int st = write_rank0(ds[f], f < 2 ? H5T_NATIVE_INT32 : H5T_NATIVE_UINT8, f < 2 ? (void *)i32 : (void *)u8,
                                 first, cnt, rank);
            if (!st && f == 0 && first == 0 && test_fail_write(fs->comm, "plan"))
                st = mf_h5_fail_as("injected failure (MF_TEST_FAIL_WRITE)");
            if (st)
                rc = mf_h5_fail(e, "%s: cannot write dataset '%s' (rows %llu..%llu)", fs->path, plan_names[f],
                                (unsigned long long)first, (unsigned long long)(first + cnt));
            rc = agree(fs->comm, rc, e);
        }
    }
    for (int f = 0; f < 7; f++)
        if (ds[f] >= 0) H5Dclose(ds[f]);
    free(rows);
    free(i32);
    free(u8);
    return rc;
}

/* Collective: one summary dataset, or the done flags (b < 0). */
static int create_dataset(mf_fstore *fs, int b, int s, hid_t half, mf_err *e) {
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_obj_track_times(dcpl, 0);
    H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY);
    hid_t sp, *out;
    char name[32];
    errno = 0;
    if (b >= 0) {
        hsize_t dims[4], chunk[4];
        sum_dims(fs, b, s, (hsize_t)fs->n, dims);
        sum_dims(fs, b, s, (hsize_t)(fs->n < fs->chunk ? (fs->n ? fs->n : 1) : fs->chunk), chunk);
        sp = H5Screate_simple(sum_rank(s), dims, NULL);
        checksum_chunks(dcpl, sum_rank(s), chunk);
        ds_name(b, s, name, sizeof name);
        out = &fs->ds[b][s];
        *out = H5Dcreate2(fs->file, name, stored_half(fs, s) ? half : H5T_IEEE_F32LE, sp, H5P_DEFAULT, dcpl,
                          H5P_DEFAULT);
    } else {
        hsize_t nc = (hsize_t)fs->n_chunks;
        sp = H5Screate_simple(1, &nc, NULL);
        uint8_t zero = 0;
        H5Pset_fill_value(dcpl, H5T_NATIVE_UINT8, &zero);
        if (nc) checksum_chunks(dcpl, 1, &nc); /* one chunk: a flipped flag is caught too */
        H5Pset_fill_time(dcpl, H5D_FILL_TIME_ALLOC);
        snprintf(name, sizeof name, "done");
        out = &fs->done;
        *out = H5Dcreate2(fs->file, name, H5T_STD_U8LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    }
    int rc = *out < 0 ? mf_h5_fail(e, "%s: cannot create dataset '%s'", fs->path, name) : 0;
    H5Pclose(dcpl);
    H5Sclose(sp);
    return rc;
}

int mf_fstore_create(mf_fstore *fs, const char *path, MPI_Comm comm, const mf_fstore_desc *d, mf_plan_source plan,
                     void *plan_ctx, mf_err *e) {
    mf_h5_quiet();
    desc_into(fs, path, comm, d);
    int rank;
    MPI_Comm_rank(comm, &rank);
    /* Made under rank 0's temporary name, renamed to path once complete and
     * flushed: a creation killed with -9 leaves "<path>.tmp.<pid>" (removed
     * by the next job, io/dir_lock.h), never a half-made file at path;
     * HDF5 may not even have written its superblock yet. Errors name path. */
    char tmp[MF_PATH_MAX + 64];
    if (rank == 0) mf_tmp_name(path, tmp, sizeof tmp);
    MPI_Bcast(tmp, (int)sizeof tmp, MPI_CHAR, 0, comm);
    int rc = rank == 0 ? reserve_space(tmp, path, store_bytes(fs), 1, e) : 0;
    if (agree(comm, rc, e)) {
        if (rank == 0) remove(tmp);
        return -1;
    }
    hid_t fapl = mpio_fapl(comm, 1);
    errno = 0;
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_obj_track_times(fcpl, 0); /* the root group's: the same bytes whenever it is made */
    fs->file = H5Fcreate(tmp, H5F_ACC_TRUNC, fcpl, fapl);
    H5Pclose(fcpl);
    H5Pclose(fapl);
    /* HDF5's collective create succeeds or fails on every rank together. */
    rc = fs->file < 0 ? mf_h5_fail(e, "%s: cannot create", path) : 0;
    if (agree(comm, rc, e)) {
        /* H5Fcreate may have made the file before failing (a full disk) */
        if (rank == 0) remove(tmp);
        return -1;
    }
    rc = rank == 0 ? reserve_space(tmp, path, store_bytes(fs), 0, e) : 0;
    rc = agree(comm, rc, e);
    if (!rc) rc = store_attrs(fs, d) ? mf_h5_fail(e, "%s: cannot write attributes", path) : 0;
    rc = agree(comm, rc, e);
    hid_t half = half_type();
    for (int b = 0; b < fs->n_blocks && !rc; b++)
        for (int s = 0; s < 3 && !rc; s++) rc = agree(comm, create_dataset(fs, b, s, half, e), e);
    H5Tclose(half);
    if (!rc) rc = agree(comm, create_dataset(fs, -1, 0, -1, e), e);
    if (!rc) mf_fault_point("store.create");
    if (!rc) rc = write_plan(fs, plan, plan_ctx, e);
    /* The identity comes last: a store that has it was created whole, so a
     * creation that never finished (kill -9) is never taken for a store. */
    if (!rc) {
        errno = 0;
        rc = agree(comm, mf_identity_write(fs->file, path, d->identity, e), e);
    }
    /* From here on only raw data changes: flush the metadata once. */
    if (!rc) {
        errno = 0;
        rc = H5Fflush(fs->file, H5F_SCOPE_GLOBAL) < 0 ? mf_h5_fail(e, "%s: cannot flush", path) : 0;
        rc = agree(comm, rc, e);
    }
    if (!rc) {
        if (rank == 0) mf_fault_point("rename");
        errno = 0;
        if (rank == 0 && rename(tmp, path)) rc = mf_fail(e, "%s: cannot rename %s into place: %s", path, tmp, strerror(errno));
        rc = agree(comm, rc, e);
    }
    if (rc) {
        /* Nothing of a failed creation is left behind, so the next run
         * starts over instead of resuming a half-made store. */
        mf_fstore_close(fs);
        if (rank == 0) remove(tmp);
    }
    return rc;
}

/* dapl: H5P_DEFAULT, or for read-only opens one without a chunk cache. */
static int open_datasets(mf_fstore *fs, hid_t dapl, mf_err *e) {
    for (int b = 0; b < fs->n_blocks; b++)
        for (int s = 0; s < 3; s++) {
            char name[32];
            ds_name(b, s, name, sizeof name);
            hsize_t dims[4], want[4];
            if (mf_h5_dims(fs->file, fs->path, name, sum_rank(s), dims, e)) return -1;
            sum_dims(fs, b, s, (hsize_t)fs->n, want);
            for (int i = 0; i < sum_rank(s); i++)
                if (dims[i] != want[i])
                    return mf_fail(e, "%s: dataset '%s': dimension %d is %llu, expected %llu", fs->path, name, i,
                                   (unsigned long long)dims[i], (unsigned long long)want[i]);
            fs->ds[b][s] = H5Dopen2(fs->file, name, dapl);
            if (fs->ds[b][s] < 0) return mf_h5_fail(e, "%s: dataset '%s': cannot open", fs->path, name);
            if (mf_h5_check_type(fs->ds[b][s], fs->path, name, H5T_NATIVE_FLOAT, e)) return -1;
        }
    hsize_t nd[1];
    if (mf_h5_dims(fs->file, fs->path, "done", 1, nd, e)) return -1;
    if ((int64_t)nd[0] != fs->n_chunks)
        return mf_fail(e, "%s: dataset 'done': %llu chunks, expected %lld", fs->path, (unsigned long long)nd[0],
                       (long long)fs->n_chunks);
    fs->done = H5Dopen2(fs->file, "done", H5P_DEFAULT);
    if (fs->done < 0) return mf_h5_fail(e, "%s: dataset 'done': cannot open", fs->path);
    return mf_h5_check_type(fs->done, fs->path, "done", H5T_NATIVE_UINT8, e);
}

int mf_fstore_open_resume(mf_fstore *fs, const char *path, MPI_Comm comm, const mf_fstore_desc *d, mf_err *e) {
    mf_h5_quiet();
    desc_into(fs, path, comm, d);
    if (H5Fis_hdf5(path) <= 0) return mf_fail(e, "%s: byte 0: expected an HDF5 feature store (remove it to start over)", path);
    hid_t fapl = mpio_fapl(comm, 0);
    errno = 0;
    fs->file = H5Fopen(path, H5F_ACC_RDWR, fapl);
    H5Pclose(fapl);
    int rc = fs->file < 0 ? mf_h5_fail(e, "%s: cannot open for resuming (damaged? remove it to start over)", path) : 0;
    if (agree(comm, rc, e)) return -1; /* as H5Fcreate: together */
    /* Collective metadata reads: rank 0 reads, every rank gets the same.
     * The identity is written last: without it, the creation never
     * finished and no chunk was ever written. */
    int unfinished = H5Lexists(fs->file, "identity", H5P_DEFAULT) <= 0;
    if (!unfinished) {
        mf_identity have;
        rc = mf_identity_read(fs->file, path, "feature store", &have, e);
        if (!rc)
            rc = mf_identity_refuse(path, &have, d->identity, MF_IDCMP_ALL, "made from other inputs",
                                    "remove it or use another --out", e);
    }
    if (!rc && !unfinished) rc = open_datasets(fs, H5P_DEFAULT, e);
    MPI_Allreduce(MPI_IN_PLACE, &unfinished, 1, MPI_INT, MPI_MAX, comm);
    rc = agree(comm, rc, e);
    if (rc || unfinished) mf_fstore_close(fs);
    return rc ? -1 : unfinished ? MF_FSTORE_UNFINISHED : 0;
}

int mf_fstore_read_done(mf_fstore *fs, uint8_t *done, mf_err *e) {
    hid_t x = coll_dxpl();
    herr_t st = H5Dread(fs->done, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, x, done);
    int rc = st < 0 ? mf_h5_fail(e, "%s: dataset 'done': cannot read", fs->path) : 0;
    H5Pclose(x);
    return agree(fs->comm, rc, e);
}

int mf_fstore_write_chunks(mf_fstore *fs, int64_t chunk, float *const data[][3], mf_err *e) {
    int rows = chunk >= 0 ? mf_fstore_chunk_rows(fs, chunk) : 0;
    int64_t row0 = chunk >= 0 ? chunk * fs->chunk : 0;
    /* Buffers first: no rank may leave the collective calls below alone. */
    uint16_t *h16 = NULL;
    int rc = 0;
    if (rows && fs->dtype == MF_DTYPE_F16) {
        int wmax = 0;
        for (int b = 0; b < fs->n_blocks; b++)
            if (mf_sum_width(MF_SUM_POOL, fs->C[b]) > wmax) wmax = mf_sum_width(MF_SUM_POOL, fs->C[b]);
        h16 = malloc((size_t)rows * (size_t)wmax * sizeof *h16);
        if (!h16) rc = mf_fail(e, "%s: out of memory for chunk %lld in float16", fs->path, (long long)chunk);
    }
    if (agree(fs->comm, rc, e)) {
        free(h16);
        return -1;
    }
    hid_t x = coll_dxpl();
    hid_t half = half_type();
    for (int b = 0; b < fs->n_blocks && !rc; b++)
        for (int s = 0; s < 3 && !rc; s++) {
            hsize_t start[4] = {0, 0, 0, 0}, count[4];
            sum_dims(fs, b, s, (hsize_t)(rows ? rows : 1), count);
            hid_t msp = H5Screate_simple(sum_rank(s), count, NULL);
            hid_t fsp = H5Dget_space(fs->ds[b][s]);
            const void *buf = NULL;
            if (rows) {
                start[0] = (hsize_t)row0;
                H5Sselect_hyperslab(fsp, H5S_SELECT_SET, start, NULL, count, NULL);
                buf = data[b][s];
                if (stored_half(fs, s)) {
                    mf_f32_to_f16_array(data[b][s], h16, (size_t)rows * (size_t)mf_sum_width(s, fs->C[b]));
                    buf = h16;
                }
            } else {
                H5Sselect_none(fsp);
                H5Sselect_none(msp);
            }
            errno = 0;
            int st = H5Dwrite(fs->ds[b][s], stored_half(fs, s) ? half : H5T_NATIVE_FLOAT, msp, fsp, x, buf) < 0;
            if (!st && rows && b == 0 && s == 0 && test_fail_chunk(fs->comm, chunk))
                st = mf_h5_fail_as("injected failure (MF_TEST_FAIL_WRITE)");
            /* mid-chunk: its first summary written, the others and the done flag not */
            if (!st && rows && b == 0 && s == 0) mf_fault_point("chunk.write");
            if (st) {
                char name[32];
                ds_name(b, s, name, sizeof name);
                rc = mf_h5_fail(e, "%s: dataset '%s': chunk %lld (rows %lld..%lld): cannot write", fs->path, name,
                                (long long)chunk, (long long)row0, (long long)(row0 + rows));
            }
            H5Sclose(msp);
            H5Sclose(fsp);
            rc = agree(fs->comm, rc, e);
        }
    free(h16);
    H5Tclose(half);
    /* The data of every rank is written before any done flag is. */
    if (!rc) {
        hsize_t one = 1, start = (hsize_t)(chunk >= 0 ? chunk : 0);
        hid_t msp = H5Screate_simple(1, &one, NULL), fsp = H5Dget_space(fs->done);
        uint8_t flag = 1;
        if (chunk >= 0) H5Sselect_hyperslab(fsp, H5S_SELECT_SET, &start, NULL, &one, NULL);
        else {
            H5Sselect_none(fsp);
            H5Sselect_none(msp);
        }
        errno = 0;
        if (H5Dwrite(fs->done, H5T_NATIVE_UINT8, msp, fsp, x, &flag) < 0)
            rc = mf_h5_fail(e, "%s: dataset 'done': chunk %lld: cannot write", fs->path, (long long)chunk);
        H5Sclose(msp);
        H5Sclose(fsp);
        rc = agree(fs->comm, rc, e);
    }
    H5Pclose(x);
    if (!rc) {
        errno = 0;
        rc = H5Fflush(fs->file, H5F_SCOPE_GLOBAL) < 0 ? mf_h5_fail(e, "%s: cannot flush", fs->path) : 0;
        rc = agree(fs->comm, rc, e);
    }
    return rc;
}

/* Closes whatever is open; -1 if the file's close failed. */
static int close_all(mf_fstore *fs) {
    for (int b = 0; b < MF_STORE_MAX_BLOCKS; b++)
        for (int s = 0; s < 3; s++)
            if (fs->ds[b][s] > 0) H5Dclose(fs->ds[b][s]);
    if (fs->done > 0) H5Dclose(fs->done);
    errno = 0;
    herr_t st = fs->file >= 0 ? H5Fclose(fs->file) : 0;
    memset(fs->ds, 0, sizeof fs->ds);
    fs->done = fs->file = -1;
    return st < 0 ? -1 : 0;
}

int mf_fstore_finish(mf_fstore *fs, mf_err *e) {
    int open = fs->file >= 0;
    int st = close_all(fs);
    if (!st && open && test_fail_write(fs->comm, "close")) st = mf_h5_fail_as("injected failure (MF_TEST_FAIL_WRITE)");
    int rc = st ? mf_h5_fail(e, "%s: cannot close", fs->path) : 0;
    /* Gives back what reserve_space allocated beyond the end of the file
     * (ext4, xfs; a no-op where a truncation to the same size is one). */
    int rank;
    MPI_Comm_rank(fs->comm, &rank);
    struct stat sb;
    if (!rc && open && rank == 0 && !stat(fs->path, &sb)) {
        int best_effort = truncate(fs->path, sb.st_size);
        (void)best_effort;
    }
    return agree(fs->comm, rc, e);
}

int mf_fstore_close(mf_fstore *fs) { return close_all(fs); }

int mf_fstore_open_ro(mf_fstore *fs, const char *path, mf_err *e) {
    memset(fs, 0, sizeof *fs);
    fs->done = -1;
    fs->comm = MPI_COMM_SELF;
    snprintf(fs->path, sizeof fs->path, "%s", path);
    fs->file = mf_h5_open_ro(path, e);
    if (fs->file < 0) return -1;
    long long schema = 0, nb = 0, chunk = 0;
    int rc = 0;
    if (mf_h5_attr_int_get(fs->file, "schema_version", &schema) || schema != MF_FEATURES_SCHEMA)
        rc = mf_fail(e, "%s: attribute 'schema_version': expected %d (not a feature store of this version)", path,
                     MF_FEATURES_SCHEMA);
    if (!rc && (mf_h5_attr_int_get(fs->file, "n_blocks", &nb) || nb < 1 || nb > 5))
        rc = mf_fail(e, "%s: attribute 'n_blocks': expected 1..5", path);
    if (!rc && (mf_h5_attr_int_get(fs->file, "chunk_rows", &chunk) || chunk < 1))
        rc = mf_fail(e, "%s: attribute 'chunk_rows': expected a positive number", path);
    hsize_t dims[2];
    if (!rc) rc = mf_h5_dims(fs->file, path, "roi", 1, dims, e);
    if (!rc) {
        static const int widths[5] = {64, 128, 256, 512, 512};
        fs->n = (int64_t)dims[0];
        fs->chunk = (int)chunk;
        fs->n_chunks = (fs->n + fs->chunk - 1) / fs->chunk;
        fs->n_blocks = (int)nb;
        char *dt = mf_h5_attr_str_get(fs->file, "dtype");
        fs->dtype = dt && !strcmp(dt, "float16") ? MF_DTYPE_F16 : MF_DTYPE_F32;
        free(dt);
        memcpy(fs->C, widths, sizeof widths);
        /* Training reads 32 scattered rows per batch: with HDF5's default
         * chunk cache (1 MB) every row costs its whole chunk (64 rows) read
         * and copied; without a cache HDF5 reads just the selected rows. */
        hid_t dapl = H5Pcreate(H5P_DATASET_ACCESS);
        H5Pset_chunk_cache(dapl, 0, 0, 1.0);
        rc = open_datasets(fs, dapl, e);
        H5Pclose(dapl);
    }
    if (!rc) {
        uint8_t *done = malloc((size_t)(fs->n_chunks ? fs->n_chunks : 1));
        if (!done) rc = mf_fail(e, "%s: out of memory for %lld done flags", path, (long long)fs->n_chunks);
        else if (errno = 0, H5Dread(fs->done, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, done) < 0)
            rc = mf_h5_read_fail(e, path, "done", NULL);
        for (int64_t k = 0; !rc && k < fs->n_chunks; k++)
            if (done[k] > 1) rc = mf_fail(e, "%s: dataset 'done': flag %lld is %d, expected 0 or 1 (damaged store)", path, (long long)k, done[k]);
        for (int64_t k = 0; !rc && k < fs->n_chunks; k++)
            if (!done[k]) rc = mf_fail(e, "%s: chunk %lld of %lld not written: the extraction did not finish", path, (long long)k, (long long)fs->n_chunks);
        free(done);
    }
    if (rc) mf_fstore_close_ro(fs);
    return rc;
}

int mf_fstore_read_rows(mf_fstore *fs, int b, int s, int64_t first, int64_t count, float *out, mf_err *e) {
    if (b < 0 || b >= fs->n_blocks) return mf_fail(e, "%s: block %d: the store holds blocks 1..%d", fs->path, b + 1, fs->n_blocks);
    hsize_t start[4] = {(hsize_t)first, 0, 0, 0}, cnt[4];
    sum_dims(fs, b, s, (hsize_t)count, cnt);
    hid_t msp = H5Screate_simple(sum_rank(s), cnt, NULL), fsp = H5Dget_space(fs->ds[b][s]);
    errno = 0;
    herr_t st = H5Sselect_hyperslab(fsp, H5S_SELECT_SET, start, NULL, cnt, NULL);
    if (st >= 0) st = H5Dread(fs->ds[b][s], H5T_NATIVE_FLOAT, msp, fsp, H5P_DEFAULT, out);
    H5Sclose(msp);
    H5Sclose(fsp);
    if (st >= 0) return 0;
    char name[32], where[64];
    ds_name(b, s, name, sizeof name);
    snprintf(where, sizeof where, " rows %lld..%lld", (long long)first, (long long)(first + count));
    return mf_h5_read_fail(e, fs->path, name, where);
}

int mf_fstore_read_plan(mf_fstore *fs, mf_patch *plan, mf_err *e) {
    size_t n = (size_t)(fs->n ? fs->n : 1);
    int32_t *i32 = malloc(n * sizeof(int32_t));
    uint8_t *u8 = malloc(n);
    int rc = (!i32 || !u8) ? mf_fail(e, "%s: out of memory", fs->path) : 0;
    for (int f = 0; f < 7 && !rc; f++) {
        hsize_t dims[1] = {(hsize_t)fs->n};
        int wide = f < 2;
        rc = mf_h5_read(fs->file, fs->path, plan_names[f], wide ? H5T_NATIVE_INT32 : H5T_NATIVE_UINT8, 1, dims,
                        wide ? (void *)i32 : (void *)u8, e);
        for (int64_t i = 0; !rc && i < fs->n; i++) {
            mf_patch *p = &plan[i];
            if (f == 0) memset(p, 0, sizeof *p);
            switch (f) {
            case 0: p->roi = i32[i]; break;
            case 1: p->draw = i32[i]; break;
            case 2: p->row = u8[i]; break;
            case 3: p->col = u8[i]; break;
            case 4: p->split = u8[i]; break;
            case 5: p->label = u8[i]; break;
            default: p->kind = u8[i];
            }
        }
    }
    free(i32);
    free(u8);
    return rc;
}

char *mf_fstore_attr(mf_fstore *fs, const char *name) { return mf_h5_attr_str_get(fs->file, name); }

int mf_fstore_identity(mf_fstore *fs, mf_identity *id, mf_err *e) {
    return mf_identity_read(fs->file, fs->path, "feature store", id, e);
}

void mf_fstore_close_ro(mf_fstore *fs) { mf_fstore_close(fs); }
