/* test_sweep_grid.c: core/sweep_grid.h and its YAML section
 * (io/sweep_config.h): configurations in grid order (axes in schema order,
 * the last fastest, whatever the YAML order), names made of the values,
 * `branches: all` as the 7 subsets of 3 blocks by size, values made
 * canonical (1e-3 = 0.001) and duplicates refused, a branch list past the
 * store's blocks refused naming the key as written, the cost order
 * (Model2 and wider branch sets first), and the result row's CSV round trip
 * with the figures of a hand-made evaluation. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "core/sweep_grid.h"
#include "io/config.h"
#include "io/predictions_csv.h"
#include "io/sweep_config.h"
#include "io/sweep_summary.h"
#include "tmpdir.h"

static int load(const char *dir, const char *yaml, mf_sweep_grid *g, mf_err *e) {
    char p[512];
    tmp_write_str(p, sizeof p, dir, "sw.yaml", yaml);
    return mf_sweep_grid_load(g, p, e);
}

int main(void) {
    const char *dir = tmp_make();
    mf_sweep_grid g;
    mf_err e;
    mf_config base, c;
    mf_config_defaults(&base);
    char name[MF_SWEEP_NAME];

    /* YAML order seeds, heads, branches: the axes are still head, branches, seed (schema order) */
    CHECK(!load(dir, "seed: 3\nsweep:\n  seeds: [1, 2]\n  heads: [fusion1, fusion2]\n  branches: [[3], [2, 3]]\n"
                     "  group_ranks: 2\n",
                &g, &e));
    CHECK_EQ_INT(g.naxes, 3);
    CHECK_EQ_INT(g.group_ranks, 2);
    CHECK(!strcmp(g.axis[0].key->path, "model.head") && !strcmp(g.axis[1].key->path, "model.branches") &&
          !strcmp(g.axis[2].key->path, "train.seed"));
    CHECK(!mf_sweep_resolve(&g, 3, &e));
    CHECK_EQ_INT(mf_sweep_count(&g), 8);
    static const char *const want[8] = {"fusion1_b3_s1",  "fusion1_b3_s2",  "fusion1_b23_s1", "fusion1_b23_s2",
                                        "fusion2_b3_s1",  "fusion2_b3_s2",  "fusion2_b23_s1", "fusion2_b23_s2"};
    for (int k = 0; k < 8; k++) {
        CHECK(!mf_sweep_config(&g, &base, k, &c, name, sizeof name, &e));
        CHECK_MSG(!strcmp(name, want[k]), "config %d: %s, expected %s", k, name, want[k]);
        CHECK_EQ_INT(c.model.head, k / 4);
        CHECK_EQ_INT(c.model.branches.n, (k / 2) % 2 + 1);
        CHECK_EQ_INT(c.model.branches.v[c.model.branches.n - 1], 3);
        CHECK_EQ_INT(c.train.seed, k % 2 + 1);
        CHECK_EQ_INT(c.seed, base.seed); /* the data's seed is the base's */
    }
    /* costs: Model2 [2, 3] > Model2 [3] > Model1 [2, 3] > Model1 [3] */
    mf_config c1, c2;
    mf_sweep_config(&g, &base, 0, &c1, name, sizeof name, &e);
    mf_sweep_config(&g, &base, 2, &c2, name, sizeof name, &e);
    CHECK(mf_sweep_cost(&c2) > mf_sweep_cost(&c1));
    mf_sweep_config(&g, &base, 4, &c1, name, sizeof name, &e);
    CHECK(mf_sweep_cost(&c1) > mf_sweep_cost(&c2));

    /* all = the 7 non-empty subsets of blocks 1-3, by size then in order */
    CHECK(!load(dir, "sweep:\n  branches: all\n  lr: [1e-3, 0.01]\n", &g, &e));
    CHECK_EQ_INT(mf_sweep_max_block(&g), 5);
    CHECK(!mf_sweep_resolve(&g, 3, &e));
    CHECK_EQ_INT(mf_sweep_count(&g), 14);
    static const char *const subsets[7] = {"[1]", "[2]", "[3]", "[1, 2]", "[1, 3]", "[2, 3]", "[1, 2, 3]"};
    for (int i = 0; i < 7; i++) CHECK_MSG(!strcmp(g.axis[0].value[i], subsets[i]), "subset %d: %s", i, g.axis[0].value[i]);
    CHECK(!mf_sweep_config(&g, &base, 13, &c, name, sizeof name, &e));
    CHECK(!strcmp(name, "b123_lr0.01") && c.train.lr == 0.01 && c.model.branches.n == 3);
    CHECK(!mf_sweep_config(&g, &base, 0, &c, name, sizeof name, &e));
    CHECK(!strcmp(name, "b1_lr0.001") && c.train.lr == 0.001);
    CHECK(!load(dir, "sweep:\n  branches: all\n", &g, &e) && !mf_sweep_resolve(&g, 5, &e));
    CHECK_EQ_INT(mf_sweep_count(&g), 31);

    /* nested and dotted keys; a single value; other keys named by their last part */
    CHECK(!load(dir, "sweep:\n  train:\n    momentum: [0.9, 0.99]\n  evaluate.bootstrap: 500\n", &g, &e));
    CHECK(!mf_sweep_resolve(&g, 5, &e));
    CHECK_EQ_INT(mf_sweep_count(&g), 2);
    CHECK(!mf_sweep_config(&g, &base, 1, &c, name, sizeof name, &e));
    CHECK(!strcmp(name, "momentum0.99_bootstrap500") && c.train.momentum == 0.99 && c.evaluate.bootstrap == 500);

    /* refusals, each naming the key as written */
    CHECK(!load(dir, "sweep:\n  branches: [[1], [2, 4]]\n", &g, &e));
    CHECK(mf_sweep_resolve(&g, 3, &e) && has(e.msg, "line 2: key 'sweep.branches': [2, 4] names block 4; the store holds blocks 1-3"));
    CHECK(load(dir, "sweep:\n  lr: [0.001, 1e-3]\n", &g, &e) && has(e.msg, "key 'sweep.lr': item 2: the value 0.001 is already item 1"));
    CHECK(load(dir, "sweep:\n  seeds: [1]\n  train.seed: [2]\n", &g, &e) &&
          has(e.msg, "line 3: key 'sweep.train.seed': train.seed given twice (also at line 2 as 'seeds')"));
    CHECK(load(dir, "sweep:\n  rois.size: [100]\n", &g, &e) && has(e.msg, "key 'sweep.rois.size': not a training or evaluation key"));
    CHECK(load(dir, "sweep:\n  heads: []\n", &g, &e) && has(e.msg, "key 'sweep.heads': expected a list of at least one value"));
    CHECK(load(dir, "sweep: {}\n", &g, &e) == 0 && mf_sweep_resolve(&g, 5, &e) &&
          has(e.msg, "key 'sweep': expected a grid"));
    CHECK(load(dir, "seed: 1\n", &g, &e) && has(e.msg, "no 'sweep:' section"));
    CHECK(load(dir, "sweep:\n  branches: [[2, 1]]\n", &g, &e) && has(e.msg, "key 'sweep.branches': item 1: expected distinct increasing"));
    /* the base config ignores the section */
    char p[512];
    tmp_write_str(p, sizeof p, dir, "base.yaml", "seed: 4\nsweep:\n  lr: [0.1]\n");
    CHECK(!mf_config_load(&c, p, NULL, 0, &e) && c.seed == 4);

    /* a result row: figures of a hand-made evaluation (4 ROIs: TN, FP, TP, TP), CSV round trip */
    mf_eval_roi rois[4] = {{0, 1, 0, 0, 3, 25, 0, 0.12, 0.2}, {1, 2, 0, 0, 20, 25, 1, 0.8, 0.7},
                           {2, 3, 2, 1, 25, 25, 1, 1.0, 0.9}, {3, 4, 1, 1, 13, 25, 1, 0.52, 0.55}};
    mf_eval_level L;
    CHECK(!mf_predictions_level(rois, 4, 200, 1, 0.95, &L, NULL, &e));
    mf_sweep_row r, back;
    mf_config_defaults(&c);
    mf_sweep_row_fill(&r, &c, "fusion1_b3_s1", &L, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    mf_eval_level_free(&L);
    CHECK_NEAR(r.v[MF_SWEEP_ACC], 0.75, 0);
    CHECK_NEAR(r.v[MF_SWEEP_TREC], 1.0, 0);
    CHECK_NEAR(r.v[MF_SWEEP_TPREC], 2.0 / 3.0, 1e-15);
    CHECK_NEAR(r.v[MF_SWEEP_AUC], 0.75, 0); /* mean P(Tumor): Tumor 0.9 and 0.55 above Normal 0.2; 0.55 below 0.7 */
    CHECK_EQ_INT(r.rois, 4);
    CHECK_EQ_INT(r.tumor_rois, 2);
    CHECK(!mf_sweep_row_write(tmp_path(p, sizeof p, dir, "result.csv"), &r, &e));
    CHECK(!mf_sweep_row_read(p, &back, &e));
    CHECK(!strcmp(back.name, r.name) && back.head == r.head && back.arch == r.arch && back.seed == r.seed &&
          back.lr == r.lr && back.epochs == r.epochs && !memcmp(&back.branches, &r.branches, sizeof r.branches) &&
          !strcmp(back.digest, r.digest));
    for (int k = 0; k < MF_SWEEP_NFIG; k++)
        CHECK(back.v[k] == r.v[k] && (back.lo[k] == r.lo[k] || (isnan(back.lo[k]) && isnan(r.lo[k]))));
    tmp_write_str(p, sizeof p, dir, "bad.csv", "name\nx\n");
    CHECK(mf_sweep_row_read(p, &back, &e) && has(e.msg, "bad.csv: expected a sweep result"));
    tmp_remove(dir);
    return check_done();
}
