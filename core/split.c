/* split.c: see split.h. */
#include "core/split.h"

#include <math.h>
#include <stdlib.h>

#include "core/config.h"
#include "core/rng.h"

/* ceil with a guard against 0.8 * 5 = 4.000000000000001 */
static int ceil_guarded(double x) { return (int)ceil(x - 1e-9); }

int mf_split_of_position(int k, int n, double ftrain, double fval) {
    if (k <= ceil_guarded(ftrain * n)) return 0;
    if (k <= ceil_guarded((ftrain + fval) * n)) return 1;
    return 2;
}

/* Items idx[0..n) of one stratum, permuted with key: position k of the
 * permutation holds item idx[perm[k-1]]. */
static void split_stratum(const int *idx, int n, uint64_t seed, uint64_t key, double ft, double fv, int *split_of_item) {
    int *perm = malloc(sizeof(int) * (size_t)(n ? n : 1));
    mf_rng_permutation(seed, MF_STREAM_SPLIT, key, n, perm);
    for (int k = 1; k <= n; k++) split_of_item[idx[perm[k - 1]]] = mf_split_of_position(k, n, ft, fv);
    free(perm);
}

static const int class_order[3] = {MF_CLASS_BENIGN, MF_CLASS_MALIGNANT, MF_CLASS_NORMAL};

int mf_split_assign(mf_roiset *s, int mode, double ft, double fv, uint64_t seed, mf_err *e) {
    if (ft + fv >= 1.0) return mf_fail(e, "split: train + val = %g, expected below 1 so that test is not empty", ft + fv);
    int n = s->n;
    int *idx = malloc(sizeof(int) * (size_t)(n ? n : 1));
    int *split = malloc(sizeof(int) * (size_t)(n ? n : 1));
    if (!idx || !split) {
        free(idx);
        free(split);
        return mf_fail(e, "split: out of memory");
    }
    int rc = 0;
    if (mode == MF_SPLITMODE_PAPER) {
        for (int c = 0; c < 3; c++) {
            int m = 0;
            for (int i = 0; i < n; i++)
                if (s->meta[i].cls == class_order[c]) idx[m++] = i;
            split_stratum(idx, m, seed, (uint64_t)class_order[c], ft, fv, split);
        }
        for (int i = 0; i < n; i++) s->meta[i].split = (uint8_t)split[i];
    } else if (mode == MF_SPLITMODE_WOMAN) {
        int max_woman = 0;
        for (int i = 0; i < n; i++) {
            if (s->meta[i].woman_id <= 0) {
                rc = mf_fail(e, "split: ROI %d has no woman id (released ROIs lost it); use split.mode paper or released", i);
                goto done;
            }
            if (s->meta[i].woman_id > max_woman) max_woman = s->meta[i].woman_id;
        }
        /* worst class per woman: malignant 2 > benign 1 > normal 0, -1 absent */
        int *worst = malloc(sizeof(int) * (size_t)(max_woman + 1));
        int *wsplit = malloc(sizeof(int) * (size_t)(max_woman + 1));
        int *widx = malloc(sizeof(int) * (size_t)(max_woman + 1));
        for (int w = 0; w <= max_woman; w++) worst[w] = -1;
        for (int i = 0; i < n; i++)
            if (s->meta[i].cls > worst[s->meta[i].woman_id] || worst[s->meta[i].woman_id] < 0)
                worst[s->meta[i].woman_id] = s->meta[i].cls;
        for (int c = 0; c < 3; c++) {
            int m = 0;
            for (int w = 1; w <= max_woman; w++)
                if (worst[w] == class_order[c]) widx[m++] = w;
            split_stratum(widx, m, seed, 16 + (uint64_t)class_order[c], ft, fv, wsplit);
        }
        for (int i = 0; i < n; i++) s->meta[i].split = (uint8_t)wsplit[s->meta[i].woman_id];
        free(worst);
        free(wsplit);
        free(widx);
    } else {
        rc = mf_fail(e, "split: mode %d cannot be computed (released splits are read, not drawn)", mode);
    }
done:
    free(idx);
    free(split);
    return rc;
}
