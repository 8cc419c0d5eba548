/* test_shard_invariance.c: a training step gives bitwise-identical weights,
 * velocities and BN moving statistics whether all shards of the global batch
 * are computed by one process (mf_step_local_run) or by simulated ranks that
 * each hold a contiguous range of shards in their own workspaces, exchange
 * per-shard partials in shard order ("all-gather") and fold them themselves,
 * and compute the dense top's gradients from the gathered activations, as
 * the MPI trainer does. Rank layouts over 4 shards of 8: 1 rank, 2 ranks
 * (2+2), 3 ranks (1+2+1), 4 ranks, and ranks without shards (0+4: rank 0,
 * the one that writes the model, idle; 2+0+2+0; 0+1+0+3), which run the
 * phases on an empty view as the MPI trainer does; three SGD steps on
 * different batches, the last one 30 samples (a short last shard); Model1
 * [1..5], Model2 [1..5], [4,5]. Params, velocities AND the BN moving
 * statistics must agree bitwise. */
#include <stdlib.h>
#include <string.h>

#include "core/sgd.h"
#include "tests/check.h"
#include "tests/unit/heads_fixture.h"

enum { NS = 96, S = 8, BATCH = 32, NSTEP = 3, MAXSH = 4 };

typedef struct rank {
    int first, count;           /* shards [first, first + count) */
    mf_shard_ws *ws[MAXSH];
    float *params, *vel, *state;
} rank;

static int batch_start(int t) { return t * BATCH; }
static int batch_size(int t) { return t == NSTEP - 1 ? BATCH - 2 : BATCH; }

static void run_ranks(const hfix *f, int nrank, const int *counts, float *out_p, float *out_v,
                      float *out_s) {
    const mf_head *h = &f->h;
    rank r[4];
    int first = 0;
    for (int q = 0; q < nrank; q++) {
        r[q].first = first;
        r[q].count = counts[q];
        first += counts[q];
        for (int i = 0; i < counts[q]; i++) r[q].ws[i] = mf_shard_ws_new(h, S);
        r[q].params = malloc(h->nparams * sizeof(float));
        r[q].vel = calloc(h->nparams, sizeof(float));
        r[q].state = malloc(h->nstate * sizeof(float));
        memcpy(r[q].params, f->params, h->nparams * sizeof(float));
        memcpy(r[q].state, f->state, h->nstate * sizeof(float));
    }
    size_t maxlen = 0;
    for (int k = 0; k < mf_head_nphases(h); k++)
        if (mf_head_phase_len(h, k) > maxlen) maxlen = mf_head_phase_len(h, k);
    double *gath = malloc(MAXSH * maxlen * sizeof(double));     /* the all-gather buffer */
    float *ggath = malloc((size_t)MAXSH * h->nparams * sizeof(float));
    size_t R = mf_head_top_floats(h);
    float *rec = malloc(R * BATCH * sizeof(float));               /* the all-gathered top activations */
    float *scratch = malloc(mf_head_top_scratch_floats(h, BATCH) * sizeof(float));
    double mgath[MAXSH][2];
    double *fold[4];                 /* per rank: the fold of every phase */
    const double *folds[4][MF_HEAD_MAXPHASE];
    double *idle_part = malloc(maxlen * sizeof(double));
    float *grad[4];
    for (int q = 0; q < nrank; q++) {
        fold[q] = malloc(MF_HEAD_MAXPHASE * maxlen * sizeof(double));
        if (counts[q] == 0) r[q].ws[0] = mf_shard_ws_new(h, S); /* as mf_dstep: one workspace */
        grad[q] = malloc(h->nparams * sizeof(float));
    }
    for (int t = 0; t < NSTEP; t++) {
        mf_batch_view bv = mf_batch_rows(&f->v, batch_start(t), batch_size(t));
        int ns = (bv.n + S - 1) / S;
        for (int k = 0; k < mf_head_nphases(h); k++) {
            size_t len = mf_head_phase_len(h, k);
            /* ranks in reverse order: the order of computation must not matter */
            for (int q = nrank - 1; q >= 0; q--) {
                const double *prev = k ? folds[q][k - 1] : NULL;
                for (int i = 0; i < r[q].count; i++) {
                    int s = r[q].first + i, m = bv.n - s * S < S ? bv.n - s * S : S;
                    mf_batch_view sv = mf_batch_rows(&bv, s * S, m);
                    mf_head_phase(h, r[q].params, r[q].ws[i], k, &sv, prev, gath + (size_t)s * maxlen);
                }
                if (r[q].count == 0) { /* an idle rank runs the phase on no samples; nothing is gathered */
                    mf_batch_view none = mf_batch_rows(&bv, 0, 0);
                    mf_head_phase(h, r[q].params, r[q].ws[0], k, &none, prev, idle_part);
                }
            }
            for (int q = 0; q < nrank; q++) { /* every rank folds the gathered partials */
                double *fk = fold[q] + (size_t)k * maxlen;
                for (int s = 0; s < ns; s++) mf_fold_d(fk, gath + (size_t)s * maxlen, len, s == 0);
                folds[q][k] = fk;
            }
        }
        for (int q = nrank - 1; q >= 0; q--)
            for (int i = 0; i < r[q].count; i++) {
                int s = r[q].first + i, m = bv.n - s * S < S ? bv.n - s * S : S;
                mf_batch_view sv = mf_batch_rows(&bv, s * S, m);
                mf_head_shard_grad(h, r[q].params, r[q].ws[i], &sv, folds[q][mf_head_nphases(h) - 1],
                                   ggath + (size_t)s * h->nparams, mgath[s]);
                mf_head_top_pack(h, r[q].ws[i], rec + (size_t)s * S * R);
            }
        for (int q = 0; q < nrank; q++) {
            for (int s = 0; s < ns; s++) mf_fold_f(grad[q], ggath + (size_t)s * h->nparams, h->w1, s == 0);
            mf_head_top_grads(h, rec, bv.n, scratch, grad[q]);
            mf_head_update_moving(h, folds[q], r[q].state);
            mf_sgd_step(r[q].params, r[q].vel, grad[q], h->nparams, MF_SGD_LR * 100, MF_SGD_MOMENTUM);
        }
    }
    for (int q = 1; q < nrank; q++) { /* all ranks agree */
        CHECK(memcmp(r[q].params, r[0].params, h->nparams * sizeof(float)) == 0);
        CHECK(memcmp(r[q].vel, r[0].vel, h->nparams * sizeof(float)) == 0);
        CHECK(memcmp(r[q].state, r[0].state, h->nstate * sizeof(float)) == 0);
    }
    memcpy(out_p, r[0].params, h->nparams * sizeof(float));
    memcpy(out_v, r[0].vel, h->nparams * sizeof(float));
    memcpy(out_s, r[0].state, h->nstate * sizeof(float));
    for (int q = 0; q < nrank; q++) {
        for (int i = 0; i < (r[q].count ? r[q].count : 1); i++) mf_shard_ws_free(r[q].ws[i]);
        free(r[q].params);
        free(r[q].vel);
        free(r[q].state);
        free(fold[q]);
        free(grad[q]);
    }
    free(gath);
    free(idle_part);
    free(ggath);
    free(rec);
    free(scratch);
}

static void check_config(int model, int nb, const int *br, uint64_t seed) {
    hfix f;
    CHECK(hfix_make(&f, model, nb, br, NS, seed, 0) == 0);
    const mf_head *h = &f.h;
    /* one process */
    float *p = malloc(h->nparams * sizeof(float)), *v = calloc(h->nparams, sizeof(float));
    float *st = malloc(h->nstate * sizeof(float)), *g = malloc(h->nparams * sizeof(float));
    memcpy(p, f.params, h->nparams * sizeof(float));
    memcpy(st, f.state, h->nstate * sizeof(float));
    mf_step_local *loc = mf_step_local_new(h, BATCH, S);
    CHECK(loc != NULL);
    double m[2];
    for (int t = 0; t < NSTEP; t++) {
        mf_batch_view bv = mf_batch_rows(&f.v, batch_start(t), batch_size(t));
        mf_step_local_run(loc, p, st, &bv, g, m);
        mf_sgd_step(p, v, g, h->nparams, MF_SGD_LR * 100, MF_SGD_MOMENTUM);
    }
    printf("model %d, %d branches: last step loss %.6f, %g correct\n", model, nb, m[0] / batch_size(NSTEP - 1), m[1]);
    CHECK(memcmp(p, f.params, h->nparams * sizeof(float)) != 0); /* it did move */
    enum { NLAYOUT = 7 };
    const int nranks[NLAYOUT] = {1, 2, 3, 4, 2, 4, 4};
    const int layouts[NLAYOUT][4] = {{4}, {2, 2}, {1, 2, 1}, {1, 1, 1, 1}, {0, 4}, {2, 0, 2, 0}, {0, 1, 0, 3}};
    float *rp = malloc(h->nparams * sizeof(float)), *rv = malloc(h->nparams * sizeof(float));
    float *rs = malloc(h->nstate * sizeof(float));
    for (int L = 0; L < NLAYOUT; L++) {
        run_ranks(&f, nranks[L], layouts[L], rp, rv, rs);
        int same = memcmp(rp, p, h->nparams * sizeof(float)) == 0 &&
                   memcmp(rv, v, h->nparams * sizeof(float)) == 0 &&
                   memcmp(rs, st, h->nstate * sizeof(float)) == 0;
        CHECK_MSG(same, "model %d: layout %d (%d simulated ranks) differs from one process", model, L, nranks[L]);
        printf("  %d rank(s), shards %d+%d+%d+%d: %s\n", nranks[L], layouts[L][0], layouts[L][1], layouts[L][2],
               layouts[L][3], same ? "bitwise identical" : "DIFFERENT");
    }
    mf_step_local_free(loc);
    free(p), free(v), free(st), free(g), free(rp), free(rv), free(rs);
    hfix_free(&f);
}

int main(void) {
    const int ball[] = {1, 2, 3, 4, 5}, b45[] = {4, 5};
    check_config(1, 5, ball, 41);
    check_config(2, 5, ball, 42);
    check_config(2, 2, b45, 43);
    return check_done();
}
