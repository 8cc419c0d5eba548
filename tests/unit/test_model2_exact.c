/* test_model2_exact.c: the proof of DESIGN.md's claim that Model2 is computed
 * exactly from the store's summaries (mean_b, meansq_b, pool2x2_b).
 * An independent reference, in double, inside this test, runs Model2 the
 * straightforward way on random raw pooled maps P_b [B, H, W, C]
 * (H = W = 36, 18, 9, 4, 2): BN over batch x H x W of the full map (two-pass
 * mean and biased variance), average pooling with window 16, 8, 4, 2, 1
 * (stride = window, remainder dropped), 1x1 conv + bias + ReLU, GAP,
 * concatenation, BN, dense top, softmax, clipped cross-entropy. It is
 * compared with the heads fed only with the summaries of the same maps:
 *   - training mode (batch statistics): the concatenated branch features,
 *     the probabilities and the mean loss: |diff| <= 1e-4 + 1e-4 |ref|
 *     (float32 pipeline against double);
 *   - the gradients of the loss w.r.t. branch BN gamma/beta, conv kernel/bias,
 *     top BN gamma/beta and dense parameters, against central differences of
 *     the DOUBLE reference (h = 1e-7: truncation ~1e-14, rounding ~1e-8, and
 *     no ReLU kink crossed, which h = 1e-5 already does in this model):
 *     |diff| <= 1e-6 + 5e-4 |ref| (the float rounding of the analytic pass;
 *     observed worst 3e-5 relative);
 *   - the moving statistics after the step: m = 0.01 mean, v = 0.99 +
 *     0.01 var n/(n - 1.001), n = B H W, from the full maps: rel 1e-5;
 *   - inference mode (moving statistics) probabilities: 1e-5 + 1e-4 |ref|.
 * B = 6 in shards of 4. Branches [1..5] and [2,3] (windows with remainder). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/layers.h"
#include "tests/check.h"
#include "tests/unit/heads_fixture.h"

enum { B = 6, S = 4, H = MF_HIDDEN };

typedef struct refout {
    double feat[B][5 * 64];
    double probs[B][2];
    double loss;                               /* mean */
    double bmean[MF_NBLOCK][512], bvar[MF_NBLOCK][512];
} refout;

/* The reference forward. p: parameters in double; training: batch stats,
 * else the moving stats in state. */
static void ref_forward(const hfix *f, const double *p, const float *state, int training,
                        refout *o) {
    const mf_head *h = &f->h;
    const int D = h->D;
    memset(o->feat, 0, sizeof o->feat);
    for (int k = 0; k < h->nb; k++) {
        int C = h->C[k], F = h->F[k], Sd = h->side[k], w = h->win[k];
        const double *P = f->P[h->branch[k] - 1];
        double *mean = o->bmean[k], *var = o->bvar[k];
        size_t npos = (size_t)B * Sd * Sd;
        for (int c = 0; c < C; c++) {
            if (training) {
                double m = 0, v = 0;
                for (size_t q = 0; q < npos; q++) m += P[q * C + c];
                m /= npos;
                for (size_t q = 0; q < npos; q++) v += (P[q * C + c] - m) * (P[q * C + c] - m);
                mean[c] = m;
                var[c] = v / npos;
            } else {
                mean[c] = state[h->bmmean[k] + c];
                var[c] = state[h->bmvar[k] + c];
            }
        }
        /* BN on the full map, then avgpool, conv, relu, GAP */
        double *y = malloc(npos * C * sizeof *y);
        for (size_t q = 0; q < npos; q++)
            for (int c = 0; c < C; c++)
                y[q * C + c] = p[h->bgamma[k] + c] * (P[q * C + c] - mean[c]) / sqrt(var[c] + 1e-3) +
                               p[h->bbeta[k] + c];
        for (int i = 0; i < B; i++)
            for (int pi = 0; pi < 2; pi++)
                for (int pj = 0; pj < 2; pj++) {
                    double pooled[512];
                    for (int c = 0; c < C; c++) {
                        double a = 0;
                        for (int r = pi * w; r < pi * w + w; r++)
                            for (int s = pj * w; s < pj * w + w; s++)
                                a += y[(((size_t)i * Sd + r) * Sd + s) * C + c];
                        pooled[c] = a / (w * w);
                    }
                    for (int fo = 0; fo < F; fo++) {
                        double z = p[h->cbias[k] + fo];
                        for (int c = 0; c < C; c++) z += pooled[c] * p[h->ckernel[k] + (size_t)c * F + fo];
                        o->feat[i][h->col[k] + fo] += (z > 0 ? z : 0) / 4;
                    }
                }
        free(y);
    }
    /* top BN */
    double xn[B][5 * 64];
    for (int c = 0; c < D; c++) {
        double m, v;
        if (training) {
            m = 0, v = 0;
            for (int i = 0; i < B; i++) m += o->feat[i][c];
            m /= B;
            for (int i = 0; i < B; i++) v += (o->feat[i][c] - m) * (o->feat[i][c] - m);
            v /= B;
        } else {
            m = state[h->mmean + c];
            v = state[h->mvar + c];
        }
        for (int i = 0; i < B; i++)
            xn[i][c] = p[h->gamma + c] * (o->feat[i][c] - m) / sqrt(v + 1e-3) + p[h->beta + c];
    }
    /* dense top */
    o->loss = 0;
    for (int i = 0; i < B; i++) o->loss += hfix_ref_top(h, p, xn[i], D, f->label[i], o->probs[i]) / B;
}

static void check_config(int nb, const int *br, uint64_t seed) {
    hfix f;
    CHECK(hfix_make(&f, 2, nb, br, B, seed, 1) == 0);
    const mf_head *h = &f.h;
    hfix_perturb(&f, seed); /* gamma/beta/biases off their initial values */
    double *pd = malloc(h->nparams * sizeof *pd);
    for (size_t i = 0; i < h->nparams; i++) pd[i] = f.params[i];
    static refout ro, rp, rm;
    ref_forward(&f, pd, NULL, 1, &ro);

    /* the heads, training step through the shard protocol */
    mf_shard_ws *ws[2] = {mf_shard_ws_new(h, S), mf_shard_ws_new(h, S)};
    float *grad = malloc(h->nparams * sizeof *grad);
    double m[2];
    hfix_step(h, f.params, f.state, &f.v, S, ws, grad, m);
    double wf = 0, wp = 0;
    for (int i = 0; i < B; i++) {
        const float *feat = mf_shard_ws_features(ws[i / S]) + (size_t)(i % S) * h->D;
        const float *pr = mf_shard_ws_probs(ws[i / S]) + (size_t)(i % S) * 2;
        for (int c = 0; c < h->D; c++) {
            double d = fabs(feat[c] - ro.feat[i][c]);
            wf = fmax(wf, d / (1 + fabs(ro.feat[i][c])));
            CHECK_MSG(d <= 1e-4 + 1e-4 * fabs(ro.feat[i][c]), "feat[%d][%d] %.8g ref %.8g", i, c,
                      feat[c], ro.feat[i][c]);
        }
        for (int j = 0; j < 2; j++) {
            wp = fmax(wp, fabs(pr[j] - ro.probs[i][j]));
            CHECK_NEAR(pr[j], ro.probs[i][j], 1e-4 + 1e-4 * ro.probs[i][j]);
        }
    }
    CHECK_NEAR(m[0] / B, ro.loss, 1e-4 + 1e-4 * ro.loss);
    printf("branches");
    for (int k = 0; k < nb; k++) printf(" %d", br[k]);
    printf(": loss %.7f (ref %.7f); worst feat rel %.2g, probs abs %.2g\n", m[0] / B, ro.loss, wf, wp);

    /* gradients against central differences of the double reference */
    for (int t = 0; t < h->ntensor; t++) {
        const mf_tensor *T = &h->tensor[t];
        double worst = 0;
        for (int j = 0; j < 4; j++) {
            size_t i;
            if (j == 0) { /* the largest |g| */
                i = 0;
                for (size_t q = 1; q < T->count; q++)
                    if (fabs(grad[T->off + q]) > fabs(grad[T->off + i])) i = q;
            } else {
                i = (size_t)(mf_rng_unit(seed, 8, (uint64_t)t * 8 + j) * T->count);
            }
            size_t at = T->off + i;
            double p0 = pd[at], step = 1e-7;
            pd[at] = p0 + step;
            ref_forward(&f, pd, NULL, 1, &rp);
            pd[at] = p0 - step;
            ref_forward(&f, pd, NULL, 1, &rm);
            pd[at] = p0;
            double fdv = (rp.loss - rm.loss) / (2 * step);
            worst = fmax(worst, fabs(grad[at] - fdv) / (2e-5 + fabs(fdv)));
            CHECK_MSG(fabs(grad[at] - fdv) <= 1e-6 + 5e-4 * fabs(fdv), "%s[%zu]: analytic %.8g ref fd %.8g",
                      T->name, i, grad[at], fdv);
        }
        printf("  %-20s worst |g - fd|/(2e-5 + |fd|) = %.2g\n", T->name, worst);
    }

    /* moving statistics after one update from mean 0, variance 1 */
    double wm = 0;
    for (int k = 0; k < h->nb; k++) {
        double n = (double)B * h->side[k] * h->side[k];
        for (int c = 0; c < h->C[k]; c++) {
            double em = 0.01 * ro.bmean[k][c];
            double ev = 0.99 + 0.01 * ro.bvar[k][c] * n / (n - 1.001);
            double dm = fabs(f.state[h->bmmean[k] + c] - em), dv = fabs(f.state[h->bmvar[k] + c] - ev);
            wm = fmax(wm, fmax(dm, dv));
            CHECK_NEAR(f.state[h->bmmean[k] + c], em, 1e-5 * (1 + fabs(em)));
            CHECK_NEAR(f.state[h->bmvar[k] + c], ev, 1e-5 * (1 + ev));
        }
    }
    for (int c = 0; c < h->D; c++) {
        double mu = 0, v = 0;
        for (int i = 0; i < B; i++) mu += ro.feat[i][c];
        mu /= B;
        for (int i = 0; i < B; i++) v += (ro.feat[i][c] - mu) * (ro.feat[i][c] - mu);
        v /= B;
        CHECK_NEAR(f.state[h->mmean + c], 0.01 * mu, 1e-5 * (1 + fabs(mu)));
        CHECK_NEAR(f.state[h->mvar + c], 0.99 + 0.01 * v * B / (B - 1.001), 1e-5);
    }
    printf("  moving stats worst abs diff %.2g\n", wm);

    /* inference with those moving statistics (chunks of 4: 4 + 2) */
    float probs[B * 2];
    double pm[2];
    mf_head_predict(h, f.params, f.state, ws[0], &f.v, probs, pm);
    ref_forward(&f, pd, f.state, 0, &rp);
    double wi = 0;
    for (int i = 0; i < B; i++)
        for (int j = 0; j < 2; j++) {
            wi = fmax(wi, fabs(probs[i * 2 + j] - rp.probs[i][j]));
            CHECK_NEAR(probs[i * 2 + j], rp.probs[i][j], 1e-5 + 1e-4 * rp.probs[i][j]);
        }
    CHECK_NEAR(pm[0] / B, rp.loss, 1e-4 + 1e-4 * rp.loss);
    printf("  inference probs worst abs diff %.2g\n", wi);

    mf_shard_ws_free(ws[0]);
    mf_shard_ws_free(ws[1]);
    free(grad);
    free(pd);
    hfix_free(&f);
}

int main(void) {
    const int ball[] = {1, 2, 3, 4, 5}, b23[] = {2, 3};
    check_config(5, ball, 31);
    check_config(2, b23, 32);
    return check_done();
}
