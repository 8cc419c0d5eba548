/* fstore_compare.c: max |A - B| <= tol * max |A| for every block and summary of
 * two complete feature stores with the same plan (e.g. float32 vs float16).
 * usage: fstore_compare A.h5 B.h5 TOL */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "io/features_store.h"

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: fstore_compare A.h5 B.h5 TOL\n");
        return 2;
    }
    mf_err e;
    mf_fstore a, b;
    if (mf_fstore_open_ro(&a, argv[1], &e) || mf_fstore_open_ro(&b, argv[2], &e)) {
        printf("FAIL: %s\n", e.msg);
        return 1;
    }
    double tol = atof(argv[3]);
    if (a.n != b.n || a.n_blocks != b.n_blocks) {
        printf("FAIL: shapes differ\n");
        return 1;
    }
    int bad = 0;
    for (int k = 0; k < a.n_blocks; k++)
        for (int s = 0; s < 3; s++) {
            size_t cnt = (size_t)a.n * (size_t)mf_sum_width(s, a.C[k]);
            float *x = malloc(cnt * sizeof(float)), *y = malloc(cnt * sizeof(float));
            if (mf_fstore_read_rows(&a, k, s, 0, a.n, x, &e) || mf_fstore_read_rows(&b, k, s, 0, b.n, y, &e)) {
                printf("FAIL: %s\n", e.msg);
                return 1;
            }
            double m = 0, d = 0;
            for (size_t i = 0; i < cnt; i++) {
                m = fmax(m, fabs(x[i]));
                d = fmax(d, fabs((double)x[i] - y[i]));
            }
            printf("block %d summary %d: rel %.3g\n", k + 1, s, d / m);
            bad += !(d <= tol * m);
            free(x);
            free(y);
        }
    return bad ? 1 : 0;
}
