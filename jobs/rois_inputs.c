/* rois_inputs.c: see rois_inputs.h. */
#include "jobs/rois_inputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sha256.h"
#include "io/config.h"
#include "io/mias_info.h"
#include "io/readall.h"
#include "io/roi_folder.h"
#include "io/sha256_file.h"
#include "mpi/gather.h"
#include "mpi/report.h"

static int digest_mias(const mf_config *c, MPI_Comm comm, char hex[65], mf_err *e) {
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    char info[MF_PATH_MAX], dir[MF_PATH_MAX], info_sha[65] = "";
    mf_config_data_path(c, c->data.info, info, sizeof info);
    mf_config_data_path(c, c->data.mias, dir, sizeof dir);
    /* One read: the bytes parsed are the bytes hashed (a second read could
     * see another file, or none). */
    mf_info_row *rows = NULL;
    unsigned char *text = NULL;
    size_t len = 0;
    int nrows = 0, failed = mf_read_all(info, &text, &len, e);
    if (!failed) failed = mf_info_parse(info, (const char *)text, len, &rows, &nrows, e);
    if (!failed) mf_sha256_buf(text, len, info_sha);
    free(text);
    /* the images the rows name, in increasing id */
    int ids[1000], nids = 0;
    for (int id = 1; !failed && id < 1000; id++) {
        if (c->data.limit_images && id > c->data.limit_images) break;
        for (int i = 0; i < nrows; i++)
            if (rows[i].image_id == id) {
                ids[nids++] = id;
                break;
            }
    }
    free(rows);
    char *mine = calloc((size_t)nids / (size_t)size + 1, 65), *all = rank == 0 ? calloc((size_t)nids + 1, 65) : NULL;
    int *slots = malloc(sizeof(int) * ((size_t)nids / (size_t)size + 1)), nmine = 0;
    if (!failed && (!mine || !slots || (rank == 0 && !all))) failed = mf_fail(e, "rois: out of memory");
    for (int s = rank; !failed && s < nids; s += size) {
        char path[MF_PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/mdb%03d.pgm", dir, ids[s]);
        slots[nmine] = s;
        failed = mf_sha256_file(path, mine + 65 * (size_t)nmine++, NULL, e);
    }
    int rc = mf_any_failed(comm, failed, e) ? -1 : 0;
    if (!rc && mf_gather_records(comm, mine, slots, nmine, 65, all, nids)) rc = mf_fail(e, "rois: out of memory");
    if (!rc && rank == 0) {
        mf_sha256 h;
        uint8_t d[32];
        mf_sha256_init(&h);
        mf_sha256_update(&h, info_sha, 64);
        mf_sha256_update(&h, all, (size_t)nids * 65);
        mf_sha256_final(&h, d);
        mf_sha256_hex(d, hex);
    }
    free(mine);
    free(all);
    free(slots);
    return rc;
}

static int digest_released(const mf_config *c, MPI_Comm comm, char hex[65], mf_err *e) {
    int rank, failed = 0;
    MPI_Comm_rank(comm, &rank);
    if (rank == 0) {
        char dir[MF_PATH_MAX];
        mf_config_data_path(c, c->data.released, dir, sizeof dir);
        mf_released_roi *r = NULL;
        int n = 0;
        failed = mf_released_read(dir, &r, &n, e);
        mf_sha256 h;
        uint8_t d[32];
        mf_sha256_init(&h);
        for (int i = 0; !failed && i < n; i++) {
            int32_t head[3] = {r[i].split, r[i].label, r[i].k};
            mf_sha256_update(&h, head, sizeof head);
            mf_sha256_update(&h, r[i].img.px, (size_t)r[i].img.h * (size_t)r[i].img.w);
        }
        mf_sha256_final(&h, d);
        mf_sha256_hex(d, hex);
        if (!failed) mf_released_free(r, n);
    }
    return mf_any_failed(comm, failed, e) ? -1 : 0;
}

int mf_rois_identity(const mf_config *c, MPI_Comm comm, mf_identity *id, mf_err *e) {
    char hex[65] = "";
    int rc = 0;
    if (c->data.source == MF_SOURCE_MIAS) rc = digest_mias(c, comm, hex, e);
    else if (c->data.source == MF_SOURCE_RELEASED) rc = digest_released(c, comm, hex, e);
    else mf_sha256_buf("synthetic: a function of the config", 35, hex);
    if (rc) return -1;
    MPI_Bcast(hex, 65, MPI_CHAR, 0, comm);
    mf_identity_from_config(id, MF_STAGE_ROIS, c);
    mf_identity_add_text(id, "inputs_sha256", hex);
    return 0;
}
