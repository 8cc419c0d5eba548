/* augment.c: see augment.h. */
#include "core/augment.h"

#include <math.h>

#include "core/rng.h"

#define MF_PI 3.14159265358979323846

void mf_aug_draw(uint64_t seed, int32_t roi, int32_t draw, mf_aug *a) {
    uint64_t key = ((uint64_t)(uint32_t)roi << 32 | (uint32_t)draw) << 2;
    a->theta_deg = (2 * mf_rng_unit(seed, MF_STREAM_AUGMENT, key) - 1) * 180.0;
    a->zx = 0.8 + 0.4 * mf_rng_unit(seed, MF_STREAM_AUGMENT, key | 1u);
    a->zy = 0.8 + 0.4 * mf_rng_unit(seed, MF_STREAM_AUGMENT, key | 2u);
    a->flip = mf_rng_unit(seed, MF_STREAM_AUGMENT, key | 3u) < 0.5;
}

static double clampd(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

void mf_aug_apply(const mf_aug *a, const uint8_t *in, int in_stride, int side, float *out) {
    double t = a->theta_deg * MF_PI / 180.0, c = cos(t), s = sin(t);
    /* R . Z (row-major 2x2), then the offset so the centre o stays put */
    double m00 = c * a->zx, m01 = -s * a->zy, m10 = s * a->zx, m11 = c * a->zy;
    double o = side / 2.0 + 0.5;
    double off0 = o - (m00 * o + m01 * o), off1 = o - (m10 * o + m11 * o);
    for (int r = 0; r < side; r++)
        for (int q = 0; q < side; q++) {
            double y = clampd(m00 * r + m01 * q + off0, 0, side - 1);
            double x = clampd(m10 * r + m11 * q + off1, 0, side - 1);
            int y0 = (int)floor(y), x0 = (int)floor(x);
            int y1 = y0 + 1 < side ? y0 + 1 : y0, x1 = x0 + 1 < side ? x0 + 1 : x0;
            double fy = y - y0, fx = x - x0;
            double v = (1 - fy) * ((1 - fx) * in[y0 * in_stride + x0] + fx * in[y0 * in_stride + x1]) +
                       fy * ((1 - fx) * in[y1 * in_stride + x0] + fx * in[y1 * in_stride + x1]);
            out[r * side + (a->flip ? side - 1 - q : q)] = (float)v;
        }
}
