/* vgg_formula.c: see vgg_formula.h. */
#include "core/vgg_formula.h"

#include <math.h>

#include "core/rng.h"

float mf_vgg_formula_kernel(int l, uint64_t i, int cin) {
    uint64_t z = mf_mix64(((uint64_t)l << 40) | i); /* the README's finaliser, verbatim in rng.h */
    double u = (double)(z >> 11) * 0x1.0p-53;
    return (float)((u - 0.5) * 2 * sqrt(6.0 / (9.0 * cin)));
}

float mf_vgg_formula_bias(int o) { return (float)(0.01 * ((o % 7) - 3)); }

void mf_vgg_weights_formula(mf_vgg_weights *w) {
    int nl = mf_vgg_n_layers(&w->arch);
    for (int l = 0; l < nl; l++) {
        int cin = 0, cout = 0;
        mf_vgg_layer(&w->arch, l, NULL, NULL, &cin, &cout);
        uint64_t n = (uint64_t)9 * cin * cout;
        for (uint64_t i = 0; i < n; i++) w->kernel[l][i] = mf_vgg_formula_kernel(l + 1, i, cin);
        for (int o = 0; o < cout; o++) w->bias[l][o] = mf_vgg_formula_bias(o);
    }
}

void mf_vgg_weights_random(mf_vgg_weights *w, uint64_t seed) {
    int nl = mf_vgg_n_layers(&w->arch);
    for (int l = 0; l < nl; l++) {
        int cin = 0, cout = 0;
        mf_vgg_layer(&w->arch, l, NULL, NULL, &cin, &cout);
        uint64_t n = (uint64_t)9 * cin * cout;
        double limit = sqrt(6.0 / (9.0 * cin));
        for (uint64_t i = 0; i < n; i++) {
            double u = mf_rng_unit(seed, MF_STREAM_INIT, ((uint64_t)(l + 1) << 40) | i);
            w->kernel[l][i] = (float)((2 * u - 1) * limit);
        }
        for (int o = 0; o < cout; o++) w->bias[l][o] = 0.0f;
    }
}
