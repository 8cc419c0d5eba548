/* test_sgd.c: Keras's SGD with momentum on hand values:
 * v <- momentum v - lr g; w <- w + v (no Nesterov, no decay). */
#include <string.h>

#include "core/sgd.h"
#include "tests/check.h"

int main(void) {
    /* w = 1, v = 0.5, g = 2, lr = 0.1, momentum = 0.9:
     * v = 0.45 - 0.2 = 0.25, w = 1.25; again with g = -1: v = 0.225 + 0.1 = 0.325, w = 1.575 */
    float w[3] = {1.0f, -2.0f, 0.0f}, v[3] = {0.5f, 0.0f, 0.0f};
    float g[3] = {2.0f, 4.0f, 0.0f};
    mf_sgd_step(w, v, g, 3, 0.1f, 0.9f);
    CHECK_NEAR(v[0], 0.25, 1e-7);
    CHECK_NEAR(w[0], 1.25, 1e-7);
    CHECK_NEAR(v[1], -0.4, 1e-7);
    CHECK_NEAR(w[1], -2.4, 1e-7);
    CHECK(v[2] == 0.0f && w[2] == 0.0f);
    float g2[3] = {-1.0f, 0.0f, 0.0f};
    mf_sgd_step(w, v, g2, 3, 0.1f, 0.9f);
    CHECK_NEAR(v[0], 0.325, 1e-7);
    CHECK_NEAR(w[0], 1.575, 1e-7);
    CHECK_NEAR(v[1], -0.36, 1e-7);
    CHECK_NEAR(w[1], -2.76, 1e-7);
    /* the paper's constants from zero velocity: first step w - 1e-4 g,
     * second step with the same g: v = -0.9e-4 g - 1e-4 g = -1.9e-4 g */
    float w1 = 0.5f, v1 = 0.0f, g1 = 3.0f;
    mf_sgd_step(&w1, &v1, &g1, 1, MF_SGD_LR, MF_SGD_MOMENTUM);
    CHECK_NEAR(w1, 0.5 - 3e-4, 1e-7); /* float spacing near 0.5: 6e-8 */
    mf_sgd_step(&w1, &v1, &g1, 1, MF_SGD_LR, MF_SGD_MOMENTUM);
    CHECK_NEAR(v1, -5.7e-4, 1e-9);
    CHECK_NEAR(w1, 0.5 - 3e-4 - 5.7e-4, 1e-7);
    /* float32 arithmetic exactly as written: v = m*v - lr*g; w = w + v */
    float wf = 0.3f, vf = 0.7f, gf = 0.11f, m = 0.9f, lr = 1e-4f;
    float ve = m * vf - lr * gf, we = wf + ve;
    mf_sgd_step(&wf, &vf, &gf, 1, lr, m);
    CHECK(vf == ve && wf == we);
    return check_done();
}
