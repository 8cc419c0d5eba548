/* test_vgg_small.c: the batched forward pass (Winograd and im2col + sgemm, channel-summed
 * layer 1, max pool, summaries) against a direct convolution written here in
 * double, on small towers: 3 blocks of widths 5,7,4 at 20x20 (odd pooled
 * side 5 -> 2, remainder rows dropped) and 2 blocks at 12x12; random
 * kernels and biases (some ReLUs clip), n < batch, u8 and float inputs. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"
#include "core/vgg.h"
#include "core/vgg_formula.h"
#include "tests/check.h"

/* Reference: patch p [S,S] -> per block the summaries, double throughout. */
typedef struct ref_out {
    double *mean[5], *meansq[5], *pool[5], *pooled[5];
} ref_out;

static void reference(const mf_vgg_arch *a, const mf_vgg_weights *w, const uint8_t *p, int S, ref_out *r) {
    double m = 0;
    for (int i = 0; i < S * S; i++) m += p[i];
    m /= S * S;
    int H = S, C = 3;
    double *x = malloc(sizeof(double) * S * S * 3);
    for (int i = 0; i < S * S; i++)
        for (int c = 0; c < 3; c++) x[i * 3 + c] = p[i] - m;
    int l = 0;
    for (int b = 0; b < a->n_blocks; b++) {
        for (int j = 0; j < a->convs[b]; j++, l++) {
            int Co = a->widths[b];
            double *y = malloc(sizeof(double) * H * H * Co);
            for (int r = 0; r < H; r++)
                for (int c = 0; c < H; c++)
                    for (int o = 0; o < Co; o++) {
                        double s = w->bias[l][o];
                        for (int ky = 0; ky < 3; ky++)
                            for (int kx = 0; kx < 3; kx++) {
                                int rr = r + ky - 1, cc = c + kx - 1;
                                if (rr < 0 || rr >= H || cc < 0 || cc >= H) continue;
                                for (int ci = 0; ci < C; ci++)
                                    s += (double)w->kernel[l][((ky * 3 + kx) * C + ci) * Co + o] *
                                         x[(rr * H + cc) * C + ci];
                            }
                        y[(r * H + c) * Co + o] = s > 0 ? s : 0;
                    }
            free(x);
            x = y;
            C = Co;
        }
        int Hp = H / 2;
        double *P = malloc(sizeof(double) * Hp * Hp * C);
        for (int r = 0; r < Hp; r++)
            for (int c = 0; c < Hp; c++)
                for (int ch = 0; ch < C; ch++) {
                    double v = x[((2 * r) * H + 2 * c) * C + ch];
                    for (int d = 1; d < 4; d++) {
                        double u = x[((2 * r + d / 2) * H + 2 * c + d % 2) * C + ch];
                        if (u > v) v = u;
                    }
                    P[(r * Hp + c) * C + ch] = v;
                }
        free(x);
        x = P;
        H = Hp;
        int s = a->pool_window[b];
        r->mean[b] = calloc(C, sizeof(double));
        r->meansq[b] = calloc(C, sizeof(double));
        r->pool[b] = calloc(4 * C, sizeof(double));
        r->pooled[b] = malloc(sizeof(double) * H * H * C);
        memcpy(r->pooled[b], P, sizeof(double) * H * H * C);
        for (int y = 0; y < H; y++)
            for (int xx = 0; xx < H; xx++)
                for (int ch = 0; ch < C; ch++) {
                    double v = P[(y * H + xx) * C + ch];
                    r->mean[b][ch] += v / (H * H);
                    r->meansq[b][ch] += v * v / (H * H);
                    if (y < 2 * s && xx < 2 * s) r->pool[b][((y / s) * 2 + xx / s) * C + ch] += v / (s * s);
                }
    }
    free(x);
}

static void ref_free(ref_out *r, int nb) {
    for (int b = 0; b < nb; b++) free(r->mean[b]), free(r->meansq[b]), free(r->pool[b]), free(r->pooled[b]);
}

/* max |ours - ref| / max |ref| over n values. */
static double rel_err(const float *ours, const double *ref, size_t n) {
    double md = 0, mr = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(ours[i] - ref[i]);
        if (d > md) md = d;
        if (fabs(ref[i]) > mr) mr = fabs(ref[i]);
    }
    return mr > 0 ? md / mr : md;
}

static void run_case(const char *name, mf_vgg_arch a, int S, int batch, int n, uint64_t seed, int algo) {
    mf_err e = {{0}};
    mf_vgg_weights w;
    CHECK(mf_vgg_weights_alloc(&w, &a, &e) == 0);
    mf_vgg_weights_random(&w, seed);
    for (int l = 0; l < mf_vgg_n_layers(&a); l++) {
        int cout = 0;
        mf_vgg_layer(&a, l, NULL, NULL, NULL, &cout);
        for (int o = 0; o < cout; o++) w.bias[l][o] = (float)(mf_rng_unit(seed, 99, l * 100 + o) - 0.5);
    }
    mf_vgg_workspace ws;
    CHECK(mf_vgg_workspace_init(&ws, &a, S, batch, &e) == 0);
    ws.algo = algo;
    uint8_t *patches = malloc((size_t)n * S * S);
    float *pf = malloc(sizeof(float) * n * S * S);
    for (int i = 0; i < n * S * S; i++) pf[i] = patches[i] = (uint8_t)mf_rng_below(seed, 98, i, 256);
    mf_vgg_out out, out2;
    memset(&out, 0, sizeof out);
    memset(&out2, 0, sizeof out2);
    for (int b = 0; b < a.n_blocks; b++) {
        int C = a.widths[b], h = mf_vgg_pooled_side(S, b);
        out.mean[b] = malloc(sizeof(float) * n * C);
        out.meansq[b] = malloc(sizeof(float) * n * C);
        out.pool2x2[b] = malloc(sizeof(float) * n * 4 * C);
        out.pooled[b] = malloc(sizeof(float) * n * h * h * C);
        out2.mean[b] = malloc(sizeof(float) * n * C);
    }
    CHECK(mf_vgg_forward_u8(&ws, &w, patches, n, &out, &e) == 0);
    CHECK(mf_vgg_forward_f32(&ws, &w, pf, n, &out2, &e) == 0);
    for (int p = 0; p < n; p++) {
        ref_out r;
        reference(&a, &w, patches + p * S * S, S, &r);
        for (int b = 0; b < a.n_blocks; b++) {
            int C = a.widths[b], h = mf_vgg_pooled_side(S, b);
            double em = rel_err(out.mean[b] + p * C, r.mean[b], C);
            double eq = rel_err(out.meansq[b] + p * C, r.meansq[b], C);
            double ep = rel_err(out.pool2x2[b] + p * 4 * C, r.pool[b], 4 * C);
            double eP = rel_err(out.pooled[b] + (size_t)p * h * h * C, r.pooled[b], (size_t)h * h * C);
            CHECK_MSG(em < 1e-5 && eq < 1e-5 && ep < 1e-5 && eP < 1e-5,
                      "%s patch %d block %d: rel err mean %.2g meansq %.2g pool2x2 %.2g pooled %.2g", name, p, b + 1,
                      em, eq, ep, eP);
            double mx = 0;
            for (int c = 0; c < C; c++) mx = fmax(mx, r.mean[b][c]);
            CHECK_MSG(mx > 0, "%s block %d: all-zero features test nothing", name, b + 1);
        }
        ref_free(&r, a.n_blocks);
    }
    for (int b = 0; b < a.n_blocks; b++)
        CHECK(memcmp(out.mean[b], out2.mean[b], sizeof(float) * n * a.widths[b]) == 0);
    printf("%s: %d patches of %dx%d, %d blocks: ok\n", name, n, S, S, a.n_blocks);
    for (int b = 0; b < a.n_blocks; b++)
        free(out.mean[b]), free(out.meansq[b]), free(out.pool2x2[b]), free(out.pooled[b]), free(out2.mean[b]);
    free(patches);
    free(pf);
    mf_vgg_workspace_free(&ws);
    mf_vgg_weights_free(&w);
}

int main(void) {
    mf_err e = {{0}};
    mf_vgg_arch a = {0, 3, {2, 1, 2}, {5, 7, 4}, {4, 2, 1}};
    CHECK(mf_vgg_arch_check(&a, 20, &e) == 0);
    run_case("3 blocks at 20", a, 20, 4, 3, 11, MF_VGG_WINOGRAD);
    run_case("3 blocks at 20", a, 20, 4, 3, 11, MF_VGG_IM2COL);
    mf_vgg_arch b = {0, 2, {1, 2}, {6, 3}, {2, 1}};
    run_case("2 blocks at 12", b, 12, 2, 2, 12, MF_VGG_WINOGRAD);
    run_case("2 blocks at 12", b, 12, 2, 2, 12, MF_VGG_IM2COL);
    /* Windows that do not fit are refused. */
    CHECK(mf_vgg_arch_check(&a, 12, &e) == -1);
    CHECK(strstr(e.msg, "block 1") != NULL);
    /* The standard towers: layer counts, names, flops (VGG19 at 72: 3.95 GFLOP). */
    mf_vgg_arch v16, v19;
    CHECK(mf_vgg_arch_init(&v16, 16, 5, &e) == 0);
    CHECK(mf_vgg_arch_parse(&v19, "vgg19", 5, &e) == 0);
    CHECK(mf_vgg_arch_parse(&v19, "vgg18", 5, &e) == -1);
    CHECK(mf_vgg_arch_parse(&v19, "vgg19", 5, &e) == 0);
    CHECK_EQ_INT(mf_vgg_n_layers(&v16), 13);
    CHECK_EQ_INT(mf_vgg_n_layers(&v19), 16);
    CHECK(mf_vgg_arch_check(&v19, 72, &e) == 0);
    char name[32];
    mf_vgg_layer_name(&v19, 10, name, sizeof name);
    CHECK(!strcmp(name, "block4_conv3"));
    int cin = 0, cout = 0;
    mf_vgg_layer(&v19, 8, NULL, NULL, &cin, &cout);
    CHECK_EQ_INT(cin, 256);
    CHECK_EQ_INT(cout, 512);
    CHECK_EQ_INT((long long)mf_vgg_flops(&v19, 72), 3950862336LL); /* the peer's tower_flops */
    return check_done();
}
