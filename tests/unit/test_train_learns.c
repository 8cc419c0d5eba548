/* test_train_learns.c: training learns, and learns the right numbers. On a
 * small fixed store (heads_fixture.h: 32 samples, Model1 on blocks [4,5],
 * D = 1024) the float trainer (mf_step_local_run in shards of 8, then
 * mf_sgd_step) takes 10 SGD steps with momentum over batches of 16; an
 * independent reference written here in DOUBLE (its own forward, its own
 * backward by hand: BN on batch statistics -> dense 1024 ReLU -> dense 1024
 * ReLU -> dense 2 -> softmax cross-entropy, Keras's SGD and BN moving
 * update from FACTS.md) takes the same steps from the same initial
 * parameters. As llm.c's test does: the loss of every step must agree
 * (|float - double| <= 2e-5 (1 + loss)), the loss must fall (the last two
 * steps' mean below 0.7 x the first two's), and after the 10 steps the BN
 * moving statistics and a sample of parameters of every tensor must agree
 * (moving statistics relative 1e-5, parameters 1e-4 of the tensor's largest; measured 2.1e-7 and 2.1e-5). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/sgd.h"
#include "tests/check.h"
#include "tests/unit/heads_fixture.h"

enum { NS = 32, BATCH = 16, S = 8, NSTEP = 10, H = MF_HIDDEN };
static const double LR = 0.01, MOM = 0.9;

/* The double reference of Model1: parameters p and velocity v in double,
 * the moving statistics mm, mv; one SGD step on the batch x [B][D]
 * (labels y); returns the batch's mean loss before the step. */
typedef struct ref {
    const mf_head *h;
    double *p, *v, *g, *mm, *mv;
} ref;

static double ref_step(ref *r, const double *x, const int32_t *y, int B) {
    const mf_head *h = r->h;
    const int D = h->D;
    double *xh = malloc(sizeof(double) * B * D), *xn = malloc(sizeof(double) * B * D);
    double *a1 = malloc(sizeof(double) * B * H), *a2 = malloc(sizeof(double) * B * H);
    double *d1 = malloc(sizeof(double) * B * H), *d2 = malloc(sizeof(double) * B * H);
    double *dxn = malloc(sizeof(double) * B * D), *mean = malloc(sizeof(double) * D),
           *var = malloc(sizeof(double) * D);
    double *p = r->p, *g = r->g;
    memset(g, 0, sizeof(double) * h->nparams);
    for (int c = 0; c < D; c++) { /* BN, training mode: biased batch variance */
        double m = 0, s = 0;
        for (int i = 0; i < B; i++) m += x[i * D + c];
        m /= B;
        for (int i = 0; i < B; i++) s += (x[i * D + c] - m) * (x[i * D + c] - m);
        mean[c] = m;
        var[c] = s / B;
        for (int i = 0; i < B; i++) {
            xh[i * D + c] = (x[i * D + c] - m) / sqrt(var[c] + 1e-3);
            xn[i * D + c] = p[h->gamma + c] * xh[i * D + c] + p[h->beta + c];
        }
    }
    double loss = 0;
    for (int i = 0; i < B; i++) {
        double *z1 = a1 + (size_t)i * H, *z2 = a2 + (size_t)i * H, lg[2], pr[2];
        for (int j = 0; j < H; j++) z1[j] = p[h->b1 + j];
        for (int c = 0; c < D; c++)
            for (int j = 0; j < H; j++) z1[j] += xn[i * D + c] * p[h->w1 + (size_t)c * H + j];
        for (int j = 0; j < H; j++) z1[j] = z1[j] > 0 ? z1[j] : 0;
        for (int j = 0; j < H; j++) z2[j] = p[h->b2 + j];
        for (int c = 0; c < H; c++)
            for (int j = 0; j < H; j++) z2[j] += z1[c] * p[h->w2 + (size_t)c * H + j];
        for (int j = 0; j < H; j++) z2[j] = z2[j] > 0 ? z2[j] : 0;
        for (int j = 0; j < 2; j++) {
            lg[j] = p[h->b3 + j];
            for (int c = 0; c < H; c++) lg[j] += z2[c] * p[h->w3 + (size_t)c * 2 + j];
        }
        double mx = fmax(lg[0], lg[1]), e0 = exp(lg[0] - mx), e1 = exp(lg[1] - mx);
        pr[0] = e0 / (e0 + e1);
        pr[1] = e1 / (e0 + e1);
        CHECK(pr[y[i]] > 1e-7 && pr[y[i]] < 1 - 1e-7); /* Keras's clipping never active here */
        loss += -log(pr[y[i]]) / B;
        /* backward of the mean loss: dlogits = (p - onehot) / B */
        double dl[2] = {(pr[0] - (y[i] == 0)) / B, (pr[1] - (y[i] == 1)) / B};
        double *e2 = d2 + (size_t)i * H, *e1v = d1 + (size_t)i * H;
        for (int j = 0; j < 2; j++) {
            g[h->b3 + j] += dl[j];
            for (int c = 0; c < H; c++) g[h->w3 + (size_t)c * 2 + j] += z2[c] * dl[j];
        }
        for (int c = 0; c < H; c++)
            e2[c] = z2[c] > 0 ? dl[0] * p[h->w3 + (size_t)c * 2] + dl[1] * p[h->w3 + (size_t)c * 2 + 1] : 0;
        for (int c = 0; c < H; c++) {
            double s = 0;
            for (int j = 0; j < H; j++) s += e2[j] * p[h->w2 + (size_t)c * H + j];
            e1v[c] = z1[c] > 0 ? s : 0;
        }
        for (int j = 0; j < H; j++) g[h->b2 + j] += e2[j], g[h->b1 + j] += e1v[j];
        for (int c = 0; c < H; c++)
            for (int j = 0; j < H; j++) g[h->w2 + (size_t)c * H + j] += z1[c] * e2[j];
        for (int c = 0; c < D; c++) {
            double s = 0;
            for (int j = 0; j < H; j++) {
                g[h->w1 + (size_t)c * H + j] += xn[i * D + c] * e1v[j];
                s += e1v[j] * p[h->w1 + (size_t)c * H + j];
            }
            dxn[i * D + c] = s;
        }
    }
    for (int c = 0; c < D; c++) /* BN gamma/beta; the frozen input needs no dx */
        for (int i = 0; i < B; i++) {
            g[h->gamma + c] += dxn[i * D + c] * xh[i * D + c];
            g[h->beta + c] += dxn[i * D + c];
        }
    for (size_t k = 0; k < h->nparams; k++) { /* Keras SGD */
        r->v[k] = MOM * r->v[k] - LR * g[k];
        p[k] += r->v[k];
    }
    for (int c = 0; c < D; c++) { /* moving statistics, n / (n - 1 - eps) on the variance */
        r->mm[c] = 0.99 * r->mm[c] + 0.01 * mean[c];
        r->mv[c] = 0.99 * r->mv[c] + 0.01 * var[c] * B / (B - 1 - 1e-3);
    }
    free(xh), free(xn), free(a1), free(a2), free(d1), free(d2), free(dxn), free(mean), free(var);
    return loss;
}

int main(void) {
    const int br[] = {4, 5};
    hfix f;
    CHECK(hfix_make(&f, 1, 2, br, NS, 7, 0) == 0);
    const mf_head *h = &f.h;
    const int D = h->D;
    /* the float trainer */
    float *p = malloc(h->nparams * sizeof(float)), *v = calloc(h->nparams, sizeof(float));
    float *st = malloc(h->nstate * sizeof(float)), *g = malloc(h->nparams * sizeof(float));
    memcpy(p, f.params, h->nparams * sizeof(float));
    memcpy(st, f.state, h->nstate * sizeof(float));
    mf_step_local *loc = mf_step_local_new(h, BATCH, S);
    CHECK(loc != NULL);
    /* the reference, from the same start; x = the concatenated block means */
    ref r = {h, malloc(sizeof(double) * h->nparams), calloc(h->nparams, sizeof(double)),
             malloc(sizeof(double) * h->nparams), malloc(sizeof(double) * D), malloc(sizeof(double) * D)};
    for (size_t k = 0; k < h->nparams; k++) r.p[k] = f.params[k];
    for (int c = 0; c < D; c++) r.mm[c] = f.state[h->mmean + c], r.mv[c] = f.state[h->mvar + c];
    double *x = malloc(sizeof(double) * NS * D);
    for (int i = 0; i < NS; i++)
        for (int k = 0; k < h->nb; k++)
            for (int c = 0; c < h->C[k]; c++)
                x[i * D + h->col[k] + c] = f.mean[h->branch[k] - 1][i * h->C[k] + c];
    double lf[NSTEP], lr[NSTEP];
    for (int t = 0; t < NSTEP; t++) {
        int start = (t % 2) * BATCH; /* the two batches in turn */
        mf_batch_view bv = mf_batch_rows(&f.v, start, BATCH);
        double m[2];
        mf_step_local_run(loc, p, st, &bv, g, m);
        mf_sgd_step(p, v, g, h->nparams, (float)LR, (float)MOM);
        lf[t] = m[0] / BATCH;
        lr[t] = ref_step(&r, x + (size_t)start * D, f.label + start, BATCH);
        printf("step %2d: loss %.7f (reference %.7f)\n", t, lf[t], lr[t]);
        CHECK_NEAR(lf[t], lr[t], 2e-5 * (1 + lr[t]));
    }
    CHECK_MSG((lf[NSTEP - 1] + lf[NSTEP - 2]) < 0.7 * (lf[0] + lf[1]), "the loss did not fall: %.4f -> %.4f",
              (lf[0] + lf[1]) / 2, (lf[NSTEP - 1] + lf[NSTEP - 2]) / 2);
    double worst_state = 0, worst_param = 0;
    for (int c = 0; c < D; c++) {
        double em = fabs(st[h->mmean + c] - r.mm[c]) / (1e-6 + fabs(r.mm[c]));
        double ev = fabs(st[h->mvar + c] - r.mv[c]) / (1e-6 + fabs(r.mv[c]));
        worst_state = fmax(worst_state, fmax(em, ev));
    }
    CHECK_MSG(worst_state <= 1e-5, "moving statistics differ from the reference: worst relative %.3g", worst_state);
    for (int t = 0; t < h->ntensor; t++) { /* every tensor: 64 entries spread over it */
        const mf_tensor *T = &h->tensor[t];
        double scale = 0;
        for (size_t i = 0; i < T->count; i++) scale = fmax(scale, fabs(r.p[T->off + i]));
        for (int j = 0; j < 64; j++) {
            size_t at = T->off + (size_t)j * T->count / 64;
            worst_param = fmax(worst_param, fabs(p[at] - r.p[at]) / (1e-6 + scale));
        }
    }
    CHECK_MSG(worst_param <= 1e-4, "parameters differ from the reference: worst %.3g of the tensor's scale", worst_param);
    printf("loss %.4f -> %.4f; after %d steps: moving statistics within %.2g, parameters within %.2g\n",
           lf[0], lf[NSTEP - 1], NSTEP, worst_state, worst_param);
    mf_step_local_free(loc);
    free(p), free(v), free(st), free(g), free(x);
    free(r.p), free(r.v), free(r.g), free(r.mm), free(r.mv);
    hfix_free(&f);
    return check_done();
}
