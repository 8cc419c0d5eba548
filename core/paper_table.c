/* paper_table.c: see paper_table.h. The numbers are FACTS.md's "The paper's
 * results" table, digit for digit ([2..5] = [2,3,4,5]). */
#include "core/paper_table.h"

#include <string.h>

#include "core/config.h"

#define F1 MF_HEAD_FUSION1
#define F2 MF_HEAD_FUSION2
#define BL MF_PAPER_BASELINE

static const mf_paper_row rows[] = {
    {"vgg16", BL, 0, {0}, "VGG16 baseline", 0.5854, 1, 1, 0.5750, 0.7344},
    {"vgg19", BL, 0, {0}, "VGG19 baseline", 0.4634, 0.9500, 0.9565, 0.5000, 0.6406},
    {"vgg16", F1, 2, {4, 5}, "VGG16_Fusion1 [4,5]", 0.6341, 1, 1, 0.6053, 0.7656},
    {"vgg16", F1, 3, {3, 4, 5}, "VGG16_Fusion1 [3,4,5]", 0.7805, 0.8649, 0.7826, 0.6667, 0.7812},
    {"vgg16", F1, 4, {2, 3, 4, 5}, "VGG16_Fusion1 [2..5]", 0.8537, 0.8974, 0.8261, 0.7600, 0.8438},
    {"vgg16", F1, 5, {1, 2, 3, 4, 5}, "VGG16_Fusion1 [1..5]", 0.8780, 0.9474, 0.9130, 0.8077, 0.8906},
    {"vgg19", F1, 2, {4, 5}, "VGG19_Fusion1 [4,5]", 0.7317, 0.9677, 0.9565, 0.6667, 0.8125},
    {"vgg19", F1, 3, {3, 4, 5}, "VGG19_Fusion1 [3,4,5]", 0.8537, 0.8974, 0.8261, 0.7600, 0.8438},
    {"vgg19", F1, 4, {2, 3, 4, 5}, "VGG19_Fusion1 [2..5]", 0.9268, 0.9048, 0.8261, 0.8636, 0.8906},
    {"vgg19", F1, 5, {1, 2, 3, 4, 5}, "VGG19_Fusion1 [1..5]", 0.8780, 0.9231, 0.8696, 0.8000, 0.8750},
    {"vgg16", F2, 1, {5}, "VGG16_Fusion2 [5]", 0.4878, 1, 1, 0.5227, 0.6719},
    {"vgg16", F2, 2, {4, 5}, "VGG16_Fusion2 [4,5]", 0.7561, 0.9118, 0.8696, 0.6667, 0.7969},
    {"vgg16", F2, 3, {3, 4, 5}, "VGG16_Fusion2 [3,4,5]", 0.8049, 0.9429, 0.9130, 0.7241, 0.8438},
    {"vgg16", F2, 4, {2, 3, 4, 5}, "VGG16_Fusion2 [2..5]", 0.7805, 0.9697, 0.9565, 0.7097, 0.8438},
    {"vgg16", F2, 5, {1, 2, 3, 4, 5}, "VGG16_Fusion2 [1..5]", 0.8293, 0.9714, 0.9565, 0.7586, 0.8750},
    {"vgg19", F2, 1, {5}, "VGG19_Fusion2 [5]", 0.4634, 1, 1, 0.5111, 0.6562},
    {"vgg19", F2, 2, {4, 5}, "VGG19_Fusion2 [4,5]", 0.6585, 0.9000, 0.8696, 0.5882, 0.7344},
    {"vgg19", F2, 3, {3, 4, 5}, "VGG19_Fusion2 [3,4,5]", 0.6829, 0.9655, 0.9565, 0.6286, 0.7812},
    {"vgg19", F2, 4, {2, 3, 4, 5}, "VGG19_Fusion2 [2..5]", 0.7317, 0.9375, 0.9130, 0.6562, 0.7969},
    {"vgg19", F2, 5, {1, 2, 3, 4, 5}, "VGG19_Fusion2 [1..5]", 0.7561, 1, 1, 0.6970, 0.8438},
};

const mf_paper_row *mf_paper_rows(int *n) {
    *n = (int)(sizeof rows / sizeof rows[0]);
    return rows;
}

const mf_paper_row *mf_paper_lookup(const char *arch, int head, int nb, const int *branches) {
    if (!arch || nb < 0 || nb > 5) return NULL;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const mf_paper_row *r = &rows[i];
        if (strcmp(r->arch, arch) || r->head != head || r->nbranches != nb) continue;
        if (nb == 0 || !memcmp(r->branches, branches, (size_t)nb * sizeof(int))) return r;
    }
    return NULL;
}
