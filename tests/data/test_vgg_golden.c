/* test_vgg_golden.c: the forward pass against the golden float64 reference
 * ($MAMMOFUSE_DATA/golden/golden.h5, see its README) for the three cases
 * vgg16_formula, vgg19_formula (weights from core/vgg_formula.c, first
 * checked value by value against formula_check) and vgg19_imagenet_blocks1-3
 * (weights read through io/weights.c): every block, every summary (and the
 * pooled map of patch 0) within max|ours - ref| <= rel_tol * max|ref|.
 * Prints the worst relative error per case/block/summary. Fails without data. */
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

#include "core/vgg.h"
#include "core/vgg_formula.h"
#include "io/weights.h"
#include "tests/check.h"

static int read_all(hid_t f, const char *name, hid_t t, void *buf, size_t elems) {
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0) {
        fprintf(stderr, "golden: dataset %s missing\n", name);
        return -1;
    }
    hid_t sp = H5Dget_space(d);
    hssize_t n = H5Sget_simple_extent_npoints(sp);
    herr_t st = n == (hssize_t)elems ? H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) : -1;
    H5Sclose(sp);
    H5Dclose(d);
    if (st < 0) fprintf(stderr, "golden: dataset %s: expected %zu values, found %lld\n", name, elems, (long long)n);
    return st < 0 ? -1 : 0;
}

static double rel_err(const float *ours, const double *ref, size_t n) {
    double md = 0, mr = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(ours[i] - ref[i]);
        md = d > md ? d : md;
        mr = fabs(ref[i]) > mr ? fabs(ref[i]) : mr;
    }
    return mr > 0 ? md / mr : (md > 0 ? INFINITY : 0);
}

/* formula_check: exact weight values at given flat indices, first biases. */
static void check_formula(hid_t f, const char *cas, const mf_vgg_weights *w) {
    int L = mf_vgg_n_layers(&w->arch);
    long long *idx = malloc(sizeof(long long) * L * 4);
    float *val = malloc(sizeof(float) * L * 4), *b8 = malloc(sizeof(float) * L * 8);
    char p[128];
    int ok = 1;
    snprintf(p, sizeof p, "%s/formula_check/kernel_flat_index", cas);
    ok &= read_all(f, p, H5T_NATIVE_LLONG, idx, (size_t)L * 4) == 0;
    snprintf(p, sizeof p, "%s/formula_check/kernel_value", cas);
    ok &= read_all(f, p, H5T_NATIVE_FLOAT, val, (size_t)L * 4) == 0;
    snprintf(p, sizeof p, "%s/formula_check/bias_first8", cas);
    ok &= read_all(f, p, H5T_NATIVE_FLOAT, b8, (size_t)L * 8) == 0;
    CHECK(ok);
    int bad = 0;
    for (int l = 0; ok && l < L; l++) {
        for (int j = 0; j < 4; j++) bad += memcmp(&w->kernel[l][idx[l * 4 + j]], &val[l * 4 + j], 4) != 0;
        for (int j = 0; j < 8; j++) bad += memcmp(&w->bias[l][j], &b8[l * 8 + j], 4) != 0;
    }
    CHECK_MSG(ok && bad == 0, "%s: %d formula weights differ from formula_check", cas, bad);
    printf("%s: formula_check %s (%d layers x 4 kernel values + 8 biases, bit-exact)\n", cas, bad ? "FAILED" : "ok", L);
    free(idx), free(val), free(b8);
}

static void run_case_algo(hid_t f, const char *cas, const mf_vgg_weights *w, const uint8_t *patches, double tol,
                          int algo) {
    const int n = 4, S = 72;
    mf_err e = {{0}};
    mf_vgg_workspace ws;
    CHECK(mf_vgg_workspace_init(&ws, &w->arch, S, n, &e) == 0);
    ws.algo = algo;
    printf("%s, %s:\n", cas, algo == MF_VGG_WINOGRAD ? "winograd" : "im2col");
    mf_vgg_out out;
    memset(&out, 0, sizeof out);
    int nb = w->arch.n_blocks;
    for (int b = 0; b < nb; b++) {
        int C = w->arch.widths[b], h = mf_vgg_pooled_side(S, b);
        out.mean[b] = malloc(sizeof(float) * n * C);
        out.meansq[b] = malloc(sizeof(float) * n * C);
        out.pool2x2[b] = malloc(sizeof(float) * n * 4 * C);
        out.pooled[b] = malloc(sizeof(float) * n * h * h * C);
    }
    CHECK_MSG(mf_vgg_forward_u8(&ws, w, patches, n, &out, &e) == 0, "%s", e.msg);
    double worst = 0;
    for (int b = 0; b < nb; b++) {
        int C = w->arch.widths[b], h = mf_vgg_pooled_side(S, b);
        const char *what[4] = {"mean", "meansq", "pool2x2", "pool_map"};
        size_t cnt[4] = {(size_t)n * C, (size_t)n * C, (size_t)n * 4 * C, (size_t)h * h * C};
        const float *ours[4] = {out.mean[b], out.meansq[b], out.pool2x2[b], out.pooled[b]};
        double err[4];
        for (int s = 0; s < 4; s++) {
            char p[128];
            snprintf(p, sizeof p, "%s/block%d/%s", cas, b + 1, what[s]);
            double *ref = malloc(sizeof(double) * cnt[s]);
            int ok = read_all(f, p, H5T_NATIVE_DOUBLE, ref, cnt[s]) == 0;
            CHECK(ok);
            err[s] = ok ? rel_err(ours[s], ref, cnt[s]) : INFINITY;
            CHECK_MSG(err[s] <= tol, "%s block %d %s: rel err %.3g > %.3g", cas, b + 1, what[s], err[s], tol);
            worst = err[s] > worst ? err[s] : worst;
            free(ref);
        }
        printf("%s block %d: worst rel err mean %.2e meansq %.2e pool2x2 %.2e (pool_map of patch 0 %.2e)\n", cas,
               b + 1, err[0], err[1], err[2], err[3]);
    }
    printf("%s: worst %.2e (tolerance %.0e)\n", cas, worst, tol);
    for (int b = 0; b < nb; b++) free(out.mean[b]), free(out.meansq[b]), free(out.pool2x2[b]), free(out.pooled[b]);
    mf_vgg_workspace_free(&ws);
}

/* Both convolution algorithms against the reference. */
static void run_case(hid_t f, const char *cas, const mf_vgg_weights *w, const uint8_t *patches, double tol) {
    run_case_algo(f, cas, w, patches, tol, MF_VGG_WINOGRAD);
    run_case_algo(f, cas, w, patches, tol, MF_VGG_IM2COL);
}

int main(void) {
    const char *data = getenv("MAMMOFUSE_DATA");
    CHECK_MSG(data != NULL, "MAMMOFUSE_DATA is not set: real-data tests need it");
    if (!data) return check_done();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    char gpath[4096], wpath[4096];
    snprintf(gpath, sizeof gpath, "%s/golden/golden.h5", data);
    snprintf(wpath, sizeof wpath, "%s/weights/vgg19_imagenet_blocks1-3.h5", data);
    hid_t f = H5Fopen(gpath, H5F_ACC_RDONLY, H5P_DEFAULT);
    CHECK_MSG(f >= 0, "%s: cannot open", gpath);
    if (f < 0) return check_done();
    double tol = 0;
    hid_t a = H5Aopen(f, "rel_tol", H5P_DEFAULT);
    CHECK(a >= 0 && H5Aread(a, H5T_NATIVE_DOUBLE, &tol) >= 0);
    if (a >= 0) H5Aclose(a);
    CHECK(tol > 0 && tol <= 1e-4);
    uint8_t *patches = malloc(4 * 72 * 72);
    CHECK(read_all(f, "patches", H5T_NATIVE_UINT8, patches, 4 * 72 * 72) == 0);

    mf_err e = {{0}};
    const int depths[2] = {16, 19};
    const char *names[2] = {"vgg16_formula", "vgg19_formula"};
    for (int i = 0; i < 2; i++) {
        mf_vgg_arch arch;
        mf_vgg_weights w;
        CHECK(mf_vgg_arch_init(&arch, depths[i], 5, &e) == 0);
        CHECK(mf_vgg_weights_alloc(&w, &arch, &e) == 0);
        mf_vgg_weights_formula(&w);
        check_formula(f, names[i], &w);
        run_case(f, names[i], &w, patches, tol);
        mf_vgg_weights_free(&w);
    }
    mf_vgg_weights w;
    mf_weights_info info;
    int rc = mf_weights_read(wpath, 19, &w, &info, &e);
    CHECK_MSG(rc == 0, "%s", e.msg);
    if (rc == 0) {
        CHECK_EQ_INT(info.arch.n_blocks, 3);
        CHECK(!strcmp(info.sha256, "1e6aab37504d12b4eca06a6bec665b69a4fe9b068dba82948a8696c9149b666c"));
        run_case(f, "vgg19_imagenet_blocks1-3", &w, patches, tol);
        mf_vgg_weights_free(&w);
    }
    free(patches);
    H5Fclose(f);
    return check_done();
}
