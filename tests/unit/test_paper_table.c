/* test_paper_table.c: core/paper_table.h: a few rows as FACTS.md prints
 * them, lookups by (arch, head, branches), and rows the paper lacks
 * (Fusion1 [5], [1,2,3], another arch) give none. */
#include "check.h"
#include "core/config.h"
#include "core/paper_table.h"

int main(void) {
    int n = 0;
    const mf_paper_row *all = mf_paper_rows(&n);
    CHECK_EQ_INT(n, 20);
    CHECK(all[0].head == MF_PAPER_BASELINE && all[0].accuracy == 0.7344);

    const int b45[] = {4, 5}, b2345[] = {2, 3, 4, 5}, b12345[] = {1, 2, 3, 4, 5}, b5[] = {5}, b123[] = {1, 2, 3};
    const mf_paper_row *r = mf_paper_lookup("vgg16", MF_HEAD_FUSION1, 5, b12345);
    CHECK(r && r->normal_recall == 0.8780 && r->normal_precision == 0.9474 && r->tumor_recall == 0.9130 &&
          r->tumor_precision == 0.8077 && r->accuracy == 0.8906);
    r = mf_paper_lookup("vgg19", MF_HEAD_FUSION1, 4, b2345);
    CHECK(r && r->normal_recall == 0.9268 && r->tumor_precision == 0.8636 && r->accuracy == 0.8906);
    r = mf_paper_lookup("vgg19", MF_HEAD_FUSION2, 1, b5);
    CHECK(r && r->normal_recall == 0.4634 && r->normal_precision == 1 && r->tumor_precision == 0.5111);
    r = mf_paper_lookup("vgg16", MF_HEAD_FUSION2, 2, b45);
    CHECK(r && r->accuracy == 0.7969 && r->tumor_recall == 0.8696);
    r = mf_paper_lookup("vgg19", MF_PAPER_BASELINE, 0, NULL);
    CHECK(r && r->accuracy == 0.6406);

    /* rows the paper lacks */
    CHECK(mf_paper_lookup("vgg16", MF_HEAD_FUSION1, 1, b5) == NULL);
    CHECK(mf_paper_lookup("vgg19", MF_HEAD_FUSION2, 3, b123) == NULL);
    CHECK(mf_paper_lookup("resnet50", MF_HEAD_FUSION1, 2, b45) == NULL);
    CHECK(mf_paper_lookup(NULL, MF_HEAD_FUSION1, 2, b45) == NULL);
    CHECK(mf_paper_lookup("vgg16", MF_HEAD_FUSION1, 6, b12345) == NULL);

    /* every row is found by its own key */
    for (int i = 0; i < n; i++)
        CHECK(mf_paper_lookup(all[i].arch, all[i].head, all[i].nbranches, all[i].branches) == &all[i]);
    return check_done();
}
