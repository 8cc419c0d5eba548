/* test_heads_grad.c: finite-difference check of the full training-mode loss
 * (mean cross-entropy of a global batch, BatchNorms on batch statistics) of
 * Model1 and Model2 w.r.t. every parameter block: each BN gamma/beta, each
 * 1x1-conv kernel/bias, each dense kernel/bias. 6 samples in shards of 4
 * (two shards, the second short); branch subsets [5], [4,5], [1..5] (and
 * [1,3] for Model2's remainder-dropping windows).
 *
 * The loss is differentiated in DOUBLE: a reference forward written here
 * from the summaries (same inputs, same formulas as the heads, no shards)
 * is first checked to equal the heads' own float forward (mean loss and
 * probabilities within 1e-6 + 1e-5 |ref|), then its central differences
 * with h = 1e-7 (truncation ~1e-14, rounding ~1e-8) are the oracle for the
 * heads' analytic gradient: |analytic - fd| <= 1e-6 + 1e-3 |fd|.
 * Why not float differences through the heads: with 1024-wide ReLU layers
 * and batch-6 BatchNorms, any float-resolvable step (h >= 1e-3) crosses
 * several ReLU kinks, and the central difference then misses the point
 * derivative by up to ~10% (measured); h = 1e-7 in double crosses none.
 * Per tensor: the 3 entries of largest |gradient| and 2 random ones. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tests/check.h"
#include "tests/unit/heads_fixture.h"

enum { B = 6, S = 4, H = MF_HIDDEN };

/* The reference: mean loss of the batch, probs[B][2]; p in double. */
static double ref_loss(const hfix *f, const double *p, double probs[B][2]) {
    const mf_head *h = &f->h;
    const int D = h->D;
    static double x[B][1472], xn[B][1472];
    memset(x, 0, sizeof x);
    for (int k = 0; k < h->nb; k++) {
        int b = h->branch[k] - 1, C = h->C[k], F = h->F[k];
        for (int i = 0; i < B; i++)
            for (int c = 0; c < C; c++) {
                if (h->model == 1) x[i][h->col[k] + c] = f->mean[b][i * C + c];
            }
        if (h->model == 1) continue;
        for (int c = 0; c < C; c++) {
            double m = 0, m2 = 0;
            for (int i = 0; i < B; i++) m += f->mean[b][i * C + c], m2 += f->meansq[b][i * C + c];
            m /= B;
            double var = m2 / B - m * m;
            double a = p[h->bgamma[k] + c] / sqrt(var + 1e-3);
            for (int i = 0; i < B; i++)
                for (int q = 0; q < 4; q++) {
                    double u = a * (f->pool[b][(i * 4 + q) * C + c] - m) + p[h->bbeta[k] + c];
                    for (int fo = 0; fo < F; fo++) /* accumulate pre-activations in xn */
                        xn[i][(q * 64) + fo] = (c == 0 ? p[h->cbias[k] + fo] : xn[i][q * 64 + fo]) +
                                               u * p[h->ckernel[k] + (size_t)c * F + fo];
                }
        }
        for (int i = 0; i < B; i++)
            for (int fo = 0; fo < F; fo++)
                for (int q = 0; q < 4; q++) {
                    double z = xn[i][q * 64 + fo];
                    x[i][h->col[k] + fo] += (z > 0 ? z : 0) / 4;
                }
    }
    for (int c = 0; c < D; c++) {
        double m = 0, v = 0;
        for (int i = 0; i < B; i++) m += x[i][c];
        m /= B;
        for (int i = 0; i < B; i++) v += (x[i][c] - m) * (x[i][c] - m);
        v /= B;
        for (int i = 0; i < B; i++)
            xn[i][c] = p[h->gamma + c] * (x[i][c] - m) / sqrt(v + 1e-3) + p[h->beta + c];
    }
    double loss = 0;
    for (int i = 0; i < B; i++) loss += hfix_ref_top(h, p, xn[i], D, f->label[i], probs[i]) / B;
    return loss;
}

static void check_config(int model, int nb, const int *br, uint64_t seed) {
    hfix f;
    CHECK(hfix_make(&f, model, nb, br, B, seed, 0) == 0);
    const mf_head *h = &f.h;
    hfix_perturb(&f, seed); /* gamma/beta/biases off their initial values */
    mf_shard_ws *ws[2] = {mf_shard_ws_new(h, S), mf_shard_ws_new(h, S)};
    float *ga = malloc(h->nparams * sizeof(float));
    double *pd = malloc(h->nparams * sizeof(double));
    for (size_t i = 0; i < h->nparams; i++) pd[i] = f.params[i];
    double m[2];
    static double pr[B][2], pr2[B][2];
    hfix_step(h, f.params, NULL, &f.v, S, ws, ga, m);
    double lref = ref_loss(&f, pd, pr);
    printf("model %d branches", model);
    for (int k = 0; k < nb; k++) printf(" %d", br[k]);
    printf(": loss %.7f (reference %.7f), %zu params\n", m[0] / B, lref, h->nparams);
    CHECK_NEAR(m[0] / B, lref, 1e-6 + 1e-5 * lref);
    for (int i = 0; i < B; i++)
        for (int j = 0; j < 2; j++)
            CHECK_NEAR(mf_shard_ws_probs(ws[i / S])[(i % S) * 2 + j], pr[i][j], 1e-6 + 1e-5 * pr[i][j]);
    for (int t = 0; t < h->ntensor; t++) {
        const mf_tensor *T = &h->tensor[t];
        size_t idx[5];
        for (int j = 0; j < 3; j++) { /* the 3 largest |g| */
            size_t best = 0;
            double bv = -1;
            for (size_t i = 0; i < T->count; i++) {
                int used = 0;
                for (int q = 0; q < j; q++) used |= idx[q] == i;
                if (!used && fabs(ga[T->off + i]) > bv) bv = fabs(ga[T->off + i]), best = i;
            }
            idx[j] = best;
        }
        idx[3] = (size_t)(mf_rng_unit(seed, 9, 2 * t) * T->count);
        idx[4] = (size_t)(mf_rng_unit(seed, 9, 2 * t + 1) * T->count);
        double worst = 0, gmax = 0;
        for (int j = 0; j < 5; j++) {
            size_t at = T->off + idx[j];
            double p0 = pd[at], step = 1e-7;
            pd[at] = p0 + step;
            double lp = ref_loss(&f, pd, pr2);
            pd[at] = p0 - step;
            double lm = ref_loss(&f, pd, pr2);
            pd[at] = p0;
            double fdv = (lp - lm) / (2 * step), a = ga[at];
            worst = fmax(worst, fabs(a - fdv) / (1e-6 + fabs(fdv)));
            gmax = fmax(gmax, fabs(a));
            CHECK_MSG(fabs(a - fdv) <= 1e-6 + 1e-3 * fabs(fdv), "model %d %s[%zu]: analytic %.8g, fd %.8g",
                      model, T->name, idx[j], a, fdv);
        }
        printf("  %-22s max|g| %.3g  worst |g - fd|/(1e-6 + |fd|) %.2g\n", T->name, gmax, worst);
    }
    free(ga);
    free(pd);
    for (int i = 0; i < 2; i++) mf_shard_ws_free(ws[i]);
    hfix_free(&f);
}

int main(void) {
    const int b5[] = {5}, b45[] = {4, 5}, ball[] = {1, 2, 3, 4, 5}, b13[] = {1, 3};
    check_config(1, 1, b5, 11);
    check_config(1, 2, b45, 12);
    check_config(1, 5, ball, 13);
    check_config(2, 1, b5, 21);
    check_config(2, 2, b45, 22);
    check_config(2, 2, b13, 24);
    check_config(2, 5, ball, 23);
    return check_done();
}
