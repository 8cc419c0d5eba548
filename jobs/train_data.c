/* train_data.c: see train_data.h. */
#include "jobs/train_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/fsutil.h"
#include "io/fstore_rows.h"

static int nsum(const mf_head *h) { return h->model == 1 ? 1 : 3; }

/* Dataset rows read by mf_tdata_read (one process, one thread). */
static int64_t rows_file, rows_cache;

void mf_tdata_want(const mf_head *h, unsigned char want[MF_STORE_MAX_BLOCKS][3]) {
    for (int k = 0; k < h->nb; k++)
        for (int s = 0; s < nsum(h); s++)
            if (h->branch[k] >= 1 && h->branch[k] <= MF_STORE_MAX_BLOCKS) want[h->branch[k] - 1][s] = 1;
}

void mf_tdata_counts(int64_t *from_file, int64_t *from_cache) {
    *from_file = rows_file;
    *from_cache = rows_cache;
}

int mf_tdata_open(mf_tdata *d, const char *path, const mf_head *h, const mf_roles *roles, mf_err *e) {
    memset(d, 0, sizeof *d);
    d->h = h;
    if (!mf_exists(path)) return mf_fail(e, "%s: missing (run `mammofuse extract` with this --out first)", path);
    if (mf_fstore_open_ro(&d->fs, path, e)) return -1;
    d->open = 1;
    int need = 0;
    for (int k = h->nb - 1; k >= 0; k--)
        if (h->branch[k] > d->fs.n_blocks) need = h->branch[k]; /* the first missing one */
    if (need) {
        char list[32] = "";
        for (int k = 0; k < h->nb; k++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%d", k ? ", " : "", h->branch[k]);
        return mf_fail(e,
                       "%s: holds the summaries of VGG blocks 1-%d only; model.branches [%s] needs block %d "
                       "(extract with backbone.blocks 0 or %d)",
                       path, d->fs.n_blocks, list, need, h->branch[h->nb - 1]);
    }
    if (mf_fstore_identity(&d->fs, &d->identity, e)) return -1;
    size_t n = (size_t)(d->fs.n ? d->fs.n : 1);
    mf_patch *plan = malloc(n * sizeof *plan);
    d->label = malloc(n);
    d->train_rows = malloc(n * sizeof(int64_t));
    d->val_rows = malloc(n * sizeof(int64_t));
    if (!plan || !d->label || !d->train_rows || !d->val_rows) {
        free(plan);
        return mf_fail(e, "%s: out of memory for the plan of %lld rows", path, (long long)d->fs.n);
    }
    if (mf_fstore_read_plan(&d->fs, plan, e)) {
        free(plan);
        return -1;
    }
    for (int64_t i = 0; i < d->fs.n; i++) {
        d->label[i] = plan[i].label;
        if (roles) {
            if (plan[i].roi < 0 || plan[i].roi >= roles->n) {
                int roi = (int)plan[i].roi;
                free(plan);
                return mf_fail(e, "%s: plan row %lld names ROI %d, the ROI set has %d", path, (long long)i, roi,
                               roles->n);
            }
            int r = roles->role[plan[i].roi];
            if (r == MF_ROLE_TRAIN && plan[i].kind == MF_PATCH_DRAW) d->train_rows[d->ntrain++] = i;
            else if (r == MF_ROLE_VAL && plan[i].kind == MF_PATCH_GRID) d->val_rows[d->nval++] = i;
        } else if (plan[i].split == 0)
            d->train_rows[d->ntrain++] = i;
        else if (plan[i].split == 1)
            d->val_rows[d->nval++] = i;
    }
    free(plan);
    return 0;
}

void mf_tdata_close(mf_tdata *d) {
    if (d->open) mf_fstore_close_ro(&d->fs);
    free(d->train_rows);
    free(d->val_rows);
    free(d->label);
    memset(d, 0, sizeof *d);
}

int mf_tbuf_alloc(mf_tbuf *b, const mf_head *h, int cap) {
    memset(b, 0, sizeof *b);
    b->cap = cap;
    size_t c = (size_t)(cap > 0 ? cap : 1);
    int ok = (b->label = malloc(c * sizeof(int32_t))) != NULL;
    for (int k = 0; k < h->nb; k++)
        for (int s = 0; s < nsum(h); s++)
            ok &= (b->x[k][s] = malloc(c * (size_t)mf_sum_width(s, h->C[k]) * sizeof(float))) != NULL;
    if (!ok) mf_tbuf_free(b);
    return ok ? 0 : -1;
}

void mf_tbuf_free(mf_tbuf *b) {
    for (int k = 0; k < MF_NBLOCK; k++)
        for (int s = 0; s < 3; s++) free(b->x[k][s]);
    free(b->label);
    memset(b, 0, sizeof *b);
}

mf_batch_view mf_tbuf_view(const mf_tbuf *b, const mf_head *h, int n) {
    mf_batch_view v;
    memset(&v, 0, sizeof v);
    v.n = n;
    for (int k = 0; k < h->nb; k++) {
        int blk = h->branch[k] - 1, C = h->C[k];
        v.mean[blk] = b->x[k][MF_SUM_MEAN];
        v.ld_mean[blk] = C;
        if (h->model == 2) {
            v.meansq[blk] = b->x[k][MF_SUM_MEANSQ];
            v.ld_meansq[blk] = C;
            v.pool[blk] = b->x[k][MF_SUM_POOL];
            v.ld_pool[blk] = 4 * C;
        }
    }
    v.label = b->label;
    return v;
}

int mf_tdata_read(mf_tdata *d, mf_tbuf *b, const int64_t *rows, int n, mf_batch_view *v, mf_err *e) {
    const mf_head *h = d->h;
    if (n > b->cap) return mf_fail(e, "train: internal: %d rows for a buffer of %d", n, b->cap);
    for (int k = 0; k < h->nb; k++)
        for (int s = 0; s < nsum(h); s++) {
            if (mf_scache_get(d->cache, h->branch[k] - 1, s, rows, n, b->x[k][s])) {
                rows_cache += n;
                continue;
            }
            if (mf_fstore_read_list(&d->fs, h->branch[k] - 1, s, rows, n, b->x[k][s], e)) return -1;
            rows_file += n;
        }
    for (int i = 0; i < n; i++) b->label[i] = d->label[rows[i]];
    *v = mf_tbuf_view(b, h, n);
    return 0;
}
