/* test_augment.c: the Keras augmentation: identity and flip exact, the
 * parameter ranges, and rotations/zooms against matrices built here by
 * composing Keras's own steps (offset . R . Z . reset) in a different way. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "core/augment.h"

#define MF_PI 3.14159265358979323846

static uint8_t img[72 * 72];

/* reference: compose 3x3 matrices exactly as Keras does, then sample */
static double ref_pixel(const mf_aug *a, int r, int q) {
    double t = a->theta_deg * MF_PI / 180.0;
    double R[3][3] = {{cos(t), -sin(t), 0}, {sin(t), cos(t), 0}, {0, 0, 1}};
    double Z[3][3] = {{a->zx, 0, 0}, {0, a->zy, 0}, {0, 0, 1}};
    double o = 72 / 2.0 + 0.5;
    double O[3][3] = {{1, 0, o}, {0, 1, o}, {0, 0, 1}}, B[3][3] = {{1, 0, -o}, {0, 1, -o}, {0, 0, 1}};
    double T[3][3] = {{0}}, U[3][3] = {{0}}, M[3][3] = {{0}};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++) T[i][j] += R[i][k] * Z[k][j];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++) U[i][j] += O[i][k] * T[k][j];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++) M[i][j] += U[i][k] * B[k][j];
    double y = M[0][0] * r + M[0][1] * q + M[0][2], x = M[1][0] * r + M[1][1] * q + M[1][2];
    y = fmin(fmax(y, 0), 71);
    x = fmin(fmax(x, 0), 71);
    int y0 = (int)y, x0 = (int)x, y1 = y0 < 71 ? y0 + 1 : 71, x1 = x0 < 71 ? x0 + 1 : 71;
    double fy = y - y0, fx = x - x0;
    return (1 - fy) * (1 - fx) * img[y0 * 72 + x0] + (1 - fy) * fx * img[y0 * 72 + x1] +
           fy * (1 - fx) * img[y1 * 72 + x0] + fy * fx * img[y1 * 72 + x1];
}

int main(void) {
    for (int i = 0; i < 72 * 72; i++) img[i] = (uint8_t)((i * 37 + (i / 72) * 11) % 251);
    float out[72 * 72];
    mf_aug id = {0, 1, 1, 0};
    mf_aug_apply(&id, img, 72, 72, out);
    int bad = 0;
    for (int i = 0; i < 72 * 72; i++) bad += out[i] != img[i];
    CHECK_EQ_INT(bad, 0);
    mf_aug fl = {0, 1, 1, 1};
    mf_aug_apply(&fl, img, 72, 72, out);
    bad = 0;
    for (int r = 0; r < 72; r++)
        for (int q = 0; q < 72; q++) bad += out[r * 72 + q] != img[r * 72 + 71 - q];
    CHECK_EQ_INT(bad, 0);
    /* 180 degrees about (36.5, 36.5): (r, q) -> (73 - r, 73 - q), clamped */
    mf_aug half = {180, 1, 1, 0};
    mf_aug_apply(&half, img, 72, 72, out);
    CHECK_NEAR(out[10 * 72 + 20], img[63 * 72 + 53], 1e-3);
    CHECK_NEAR(out[0], img[71 * 72 + 71], 1e-3); /* (73, 73) clamps to (71, 71) */
    double worst = 0, lo[3] = {1e9, 1e9, 1e9}, hi[3] = {-1e9, -1e9, -1e9};
    int flips = 0;
    for (int d = 0; d < 2000; d++) {
        mf_aug a;
        mf_aug_draw(7, 3, d, &a);
        double v[3] = {a.theta_deg, a.zx, a.zy};
        for (int k = 0; k < 3; k++) {
            lo[k] = fmin(lo[k], v[k]);
            hi[k] = fmax(hi[k], v[k]);
        }
        flips += a.flip;
        if (d < 40) {
            mf_aug_apply(&a, img, 72, 72, out);
            for (int r = 0; r < 72; r++)
                for (int q = 0; q < 72; q++) {
                    int qq = a.flip ? 71 - q : q;
                    worst = fmax(worst, fabs(out[r * 72 + qq] - ref_pixel(&a, r, q)));
                }
        }
    }
    CHECK_MSG(worst < 1e-3, "worst %g", worst);
    CHECK(lo[0] >= -180 && lo[0] < -170 && hi[0] <= 180 && hi[0] > 170);
    CHECK(lo[1] >= 0.8 && lo[1] < 0.81 && hi[1] < 1.2 && hi[1] > 1.19);
    CHECK(lo[2] >= 0.8 && hi[2] < 1.2);
    CHECK(flips > 900 && flips < 1100);
    mf_aug a1, a2;
    mf_aug_draw(7, 3, 5, &a1);
    mf_aug_draw(7, 3, 5, &a2);
    CHECK(!memcmp(&a1, &a2, sizeof a1));
    return check_done();
}
