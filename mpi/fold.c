/* fold.c: see fold.h. */
#include "mpi/fold.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/heads.h"

int mf_fold_plan_init(mf_fold_plan *p, MPI_Comm comm, int nshard) {
    memset(p, 0, sizeof *p);
    p->comm = comm;
    MPI_Comm_rank(comm, &p->rank);
    MPI_Comm_size(comm, &p->size);
    p->nshard = nshard;
    p->first = malloc(sizeof(int) * (size_t)p->size);
    p->count = malloc(sizeof(int) * (size_t)p->size);
    p->seg_off = malloc(sizeof(int) * (size_t)p->size);
    p->seg_len = malloc(sizeof(int) * (size_t)p->size);
    if (!p->first || !p->count || !p->seg_off || !p->seg_len) {
        mf_fold_plan_free(p);
        return -1;
    }
    for (int q = 0; q < p->size; q++) {
        int64_t lo = (int64_t)nshard * q / p->size, hi = (int64_t)nshard * (q + 1) / p->size;
        p->first[q] = (int)lo;
        p->count[q] = (int)(hi - lo);
    }
    return 0;
}

void mf_fold_plan_free(mf_fold_plan *p) {
    free(p->first);
    free(p->count);
    free(p->seg_off);
    free(p->seg_len);
    free(p->seg_buf);
    free(p->pack);
    free(p->dbuf);
    memset(p, 0, sizeof *p);
}

int mf_fold_allgather_d(mf_fold_plan *p, const double *mine, size_t len, double *acc) {
    if (p->nshard == 0) return 0;
    if (p->size == 1) { /* no copy needed: fold in place */
        for (int s = 0; s < p->nshard; s++) mf_fold_d(acc, mine + (size_t)s * len, len, s == 0);
        return 0;
    }
    if (len > p->dlen) {
        free(p->dbuf);
        p->dbuf = malloc(sizeof(double) * len * (size_t)p->nshard);
        p->dlen = p->dbuf ? len : 0;
        if (!p->dbuf) return -1;
    }
    int *cnt = malloc(sizeof(int) * 2 * (size_t)p->size), *dsp = cnt + p->size;
    if (!cnt) return -1;
    for (int q = 0; q < p->size; q++) {
        cnt[q] = (int)((size_t)p->count[q] * len);
        dsp[q] = (int)((size_t)p->first[q] * len);
    }
    MPI_Allgatherv(mine, cnt[p->rank], MPI_DOUBLE, p->dbuf, cnt, dsp, MPI_DOUBLE, p->comm);
    free(cnt);
    for (int s = 0; s < p->nshard; s++) mf_fold_d(acc, p->dbuf + (size_t)s * len, len, s == 0);
    return 0;
}

int mf_fold_segments_f(mf_fold_plan *p, const float *mine, size_t n, float *acc) {
    if (p->nshard == 0) return 0;
    if (p->size == 1) {
        for (int s = 0; s < p->nshard; s++) mf_fold_f(acc, mine + (size_t)s * n, n, s == 0);
        return 0;
    }
    /* int counts and displacements bound the vector to 2^31 floats */
    if (n * (size_t)p->nshard > (size_t)INT_MAX) return -1;
    const int P = p->size, me = p->rank;
    const int mine_n = p->count[me];
    if (n != p->seg_n) {
        for (int q = 0; q < P; q++) {
            size_t lo = n * (size_t)q / (size_t)P, hi = n * (size_t)(q + 1) / (size_t)P;
            p->seg_off[q] = (int)lo;
            p->seg_len[q] = (int)(hi - lo);
        }
        free(p->seg_buf);
        free(p->pack);
        p->seg_buf = malloc(sizeof(float) * (size_t)p->seg_len[me] * (size_t)p->nshard + 1);
        p->pack = malloc(sizeof(float) * n * (size_t)mine_n + 1);
        p->seg_n = p->seg_buf && p->pack ? n : 0;
        if (!p->seg_n) return -1;
    }
    int *sc = malloc(sizeof(int) * 4 * (size_t)P), *sd = sc + P, *rc = sc + 2 * P, *rd = sc + 3 * P;
    if (!sc) return -1;
    /* pack: for rank q, segment q of each of my shards, in shard order (a
     * contiguous buffer: Open MPI's Alltoallw with strided types is ~5x slower) */
    const int L = p->seg_len[me];
    size_t at = 0;
    for (int q = 0; q < P; q++) {
        sd[q] = (int)at;
        sc[q] = mine_n * p->seg_len[q];
        for (int i = 0; i < mine_n; i++) {
            memcpy(p->pack + at, mine + (size_t)i * n + (size_t)p->seg_off[q], sizeof(float) * (size_t)p->seg_len[q]);
            at += (size_t)p->seg_len[q];
        }
        /* from rank q: its shards' copies of my segment, in shard order */
        rc[q] = p->count[q] * L;
        rd[q] = p->first[q] * L;
    }
    MPI_Alltoallv(p->pack, sc, sd, MPI_FLOAT, p->seg_buf, rc, rd, MPI_FLOAT, p->comm);
    float *out = acc + p->seg_off[me];
    for (int s = 0; s < p->nshard; s++) mf_fold_f(out, p->seg_buf + (size_t)s * (size_t)L, (size_t)L, s == 0);
    for (int q = 0; q < P; q++) {
        rc[q] = p->seg_len[q];
        rd[q] = p->seg_off[q];
    }
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, acc, rc, rd, MPI_FLOAT, p->comm);
    free(sc);
    return 0;
}
