/* store_cache.c: see store_cache.h. */
#include "mpi/store_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/patch_plan.h"
#include "io/fstore_rows.h"
#include "mpi/report.h"

static const char *const sum_names[3] = {"mean", "meansq", "pool2x2"};

/* "mean_1,2,3 meansq_1" for the datasets with pick[b][s] set. */
static void list_sets(const unsigned char pick[MF_STORE_MAX_BLOCKS][3], char *out, size_t len) {
    out[0] = 0;
    for (int s = 0; s < 3; s++) {
        int first = 1;
        for (int b = 0; b < MF_STORE_MAX_BLOCKS; b++) {
            if (!pick[b][s]) continue;
            size_t u = strlen(out);
            if (first) snprintf(out + u, len - u, "%s%s_%d", u ? " " : "", sum_names[s], b + 1);
            else snprintf(out + u, len - u, ",%d", b + 1);
            first = 0;
        }
    }
}

/* Every rank: the rows held (sorted) and the slot of each store row. */
static int plan_rows(mf_scache *c, mf_fstore *fs, int rows, int64_t **list, mf_err *e) {
    c->n = fs->n;
    size_t n = (size_t)(fs->n ? fs->n : 1);
    mf_patch *plan = malloc(n * sizeof *plan);
    c->slot = malloc(n * sizeof *c->slot);
    *list = malloc(n * sizeof **list);
    if (!plan || !c->slot || !*list) {
        free(plan);
        return mf_fail(e, "%s: out of memory for the cache's map of %lld rows", fs->path, (long long)fs->n);
    }
    if (mf_fstore_read_plan(fs, plan, e)) {
        free(plan);
        return -1;
    }
    c->nrows = 0;
    for (int64_t i = 0; i < fs->n; i++) {
        int keep = rows == MF_SCACHE_ALL || plan[i].split == 0 || plan[i].split == 1;
        c->slot[i] = keep ? (int32_t)c->nrows : -1;
        if (keep) (*list)[c->nrows++] = i;
    }
    free(plan);
    return 0;
}

int mf_scache_open(mf_scache *c, const char *path, MPI_Comm comm, const unsigned char want[MF_STORE_MAX_BLOCKS][3],
                   int rows, int budget_mb, const char *who, mf_err *e) {
    memset(c, 0, sizeof *c);
    int any = 0;
    for (int b = 0; b < MF_STORE_MAX_BLOCKS; b++)
        for (int s = 0; s < 3; s++) any |= want[b][s];
    if (budget_mb <= 0 || !any) return 0;
    mf_fstore fs;
    int64_t *list = NULL;
    int failed = mf_fstore_open_ro(&fs, path, e);
    int opened = !failed;
    if (!failed) failed = plan_rows(c, &fs, rows, &list, e);
    /* Greedy within the budget: every mean, then meansq, then pool2x2. */
    unsigned char held[MF_STORE_MAX_BLOCKS][3], left[MF_STORE_MAX_BLOCKS][3];
    memset(held, 0, sizeof held);
    memset(left, 0, sizeof left);
    double budget = (double)budget_mb * 1048576.0, used = 0, over = 0;
    size_t off[MF_STORE_MAX_BLOCKS][3] = {{0}}, total = 0; /* floats */
    for (int s = 0; s < 3 && !failed; s++)
        for (int b = 0; b < fs.n_blocks && b < MF_STORE_MAX_BLOCKS; b++) {
            if (!want[b][s]) continue;
            int w = mf_sum_width(s, fs.C[b]);
            double bytes = (double)c->nrows * w * sizeof(float);
            if (used + bytes > budget) {
                left[b][s] = 1;
                over += bytes;
                continue;
            }
            held[b][s] = 1;
            c->width[b][s] = w;
            off[b][s] = total;
            total += (size_t)c->nrows * (size_t)w;
            used += bytes;
        }
    if (mf_any_failed(comm, failed, e)) {
        if (opened) mf_fstore_close_ro(&fs);
        free(list);
        free(c->slot);
        c->slot = NULL;
        return -1;
    }
    char hs[160], ls[160];
    list_sets(held, hs, sizeof hs);
    list_sets(left, ls, sizeof ls);
    if (over > 0)
        mf_say(comm, "%s: note: train.cache_mb %d: %s (%.0f MB) does not fit, read from the file every batch\n", who,
               budget_mb, ls, over / 1048576.0);
    if (total == 0) {
        mf_fstore_close_ro(&fs);
        free(list);
        return 0;
    }
    /* The window: one per node, one array at one address per rank. */
    double t0 = MPI_Wtime();
    if (!mf_shm_alloc(&c->shm, comm, total * sizeof(float), MF_SHM_NODE)) {
        mf_say(comm, "%s: note: cannot allocate %.0f MB of shared memory (train.cache_mb %d): reading the file every "
                     "batch\n", who, used / 1048576.0, budget_mb);
        mf_fstore_close_ro(&fs);
        free(list);
        free(c->slot);
        memset(c, 0, sizeof *c);
        return 0;
    }
    float *base = (float *)(void *)c->shm.base;
    /* Each node rank reads a contiguous slice of the held rows of each dataset. */
    int nr = c->shm.node_rank, ns = c->shm.node_size;
    int64_t lo = c->nrows * nr / ns, hi = c->nrows * (nr + 1) / ns;
    for (int s = 0; s < 3; s++)
        for (int b = 0; b < MF_STORE_MAX_BLOCKS; b++) {
            if (!held[b][s]) continue;
            float *x = base + off[b][s];
            c->x[b][s] = x;
            if (!failed && hi > lo) {
                failed = mf_fstore_read_list(&fs, b, s, list + lo, (int)(hi - lo), x + (size_t)lo * (size_t)c->width[b][s],
                                             e);
                c->fill_rows += hi - lo;
            }
        }
    mf_fstore_close_ro(&fs);
    free(list);
    mf_shm_sync(&c->shm); /* the slices written are visible to every node rank after this */
    if (mf_any_failed(comm, failed, e)) {
        mf_scache_free(c);
        return -1;
    }
    c->mb = used / 1048576.0;
    c->fill_seconds = MPI_Wtime() - t0;
    mf_say(comm, "%s: cache: %s of %lld rows, %.0f MB per node in shared memory, read in %.1f s\n", who, hs,
           (long long)c->nrows, c->mb, c->fill_seconds);
    return 0;
}

void mf_scache_free(mf_scache *c) {
    mf_shm_free(&c->shm);
    free(c->slot);
    memset(c, 0, sizeof *c);
}

int mf_scache_get(const mf_scache *c, int b, int s, const int64_t *rows, int n, float *out) {
    if (!c || b < 0 || b >= MF_STORE_MAX_BLOCKS || s < 0 || s > 2 || !c->x[b][s]) return 0;
    for (int i = 0; i < n; i++)
        if (rows[i] < 0 || rows[i] >= c->n || c->slot[rows[i]] < 0) return 0;
    size_t w = (size_t)c->width[b][s];
    const float *x = c->x[b][s];
    for (int i = 0; i < n; i++) memcpy(out + (size_t)i * w, x + (size_t)c->slot[rows[i]] * w, w * sizeof(float));
    return 1;
}
