/* sweep_summary.c: see sweep_summary.h. */
#include "io/sweep_summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/paper_table.h"
#include "io/file_set.h"
#include "io/readall.h"
#include "io/report_html.h"

static const char *const csv_header =
    "name,arch,head,branches,lr,seed,epochs,rois,tumor_rois,accuracy,accuracy_lo,accuracy_hi,tumor_recall,"
    "tumor_recall_lo,tumor_recall_hi,tumor_precision,tumor_precision_lo,tumor_precision_hi,auc,auc_lo,auc_hi,"
    "paper_accuracy,digest";
static const char *const head_colour[2] = {"#1f77b4", "#ff7f0e"};

static const char *arch_name(int a) { return mf_config_value_name("backbone.arch", a); }
static const char *head_name(int h) { return mf_config_value_name("model.head", h); }

static const mf_paper_row *paper_of(const mf_sweep_row *r) {
    return mf_paper_lookup(arch_name(r->arch), r->head, r->branches.n, r->branches.v);
}

void mf_sweep_row_fill(mf_sweep_row *r, const mf_config *c, const char *name, const mf_eval_level *L,
                       const char *digest) {
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->arch = c->backbone.arch;
    r->head = c->model.head;
    r->branches = c->model.branches;
    r->lr = c->train.lr;
    r->seed = (long long)c->train.seed;
    r->epochs = c->train.epochs;
    r->rois = L->n;
    r->tumor_rois = (int)(L->conf.cm[1][0] + L->conf.cm[1][1]);
    static const int figs[MF_SWEEP_NFIG] = {MF_FIG_ACCURACY, MF_FIG_TUMOR_RECALL, MF_FIG_TUMOR_PRECISION,
                                            MF_FIG_AUC(2)};
    for (int k = 0; k < MF_SWEEP_NFIG; k++) {
        r->v[k] = mf_eval_figure(L, figs[k]);
        r->lo[k] = L->has_ci ? L->ci[figs[k]].lo : NAN;
        r->hi[k] = L->has_ci ? L->ci[figs[k]].hi : NAN;
    }
    snprintf(r->digest, sizeof r->digest, "%s", digest);
}

static void csv_row(FILE *f, const mf_sweep_row *r) {
    fprintf(f, "%s,%s,%s,", r->name, arch_name(r->arch), head_name(r->head));
    for (int i = 0; i < r->branches.n; i++) fprintf(f, "%s%d", i ? " " : "", r->branches.v[i]);
    fprintf(f, ",%.17g,%lld,%d,%d,%d", r->lr, r->seed, r->epochs, r->rois, r->tumor_rois);
    for (int k = 0; k < MF_SWEEP_NFIG; k++) fprintf(f, ",%.17g,%.17g,%.17g", r->v[k], r->lo[k], r->hi[k]);
    const mf_paper_row *p = paper_of(r);
    if (p) fprintf(f, ",%.17g", p->accuracy);
    else fputc(',', f);
    fprintf(f, ",%s\n", r->digest);
}

static int write_one_row(FILE *f, int i, const void *ctx, mf_err *e) {
    (void)i, (void)e;
    fprintf(f, "%s\n", csv_header);
    csv_row(f, ctx);
    return 0;
}

int mf_sweep_row_write(const char *path, const mf_sweep_row *r, mf_err *e) {
    return mf_file_set_write(NULL, &path, 1, write_one_row, r, e);
}

/* The next comma-separated field of *p. */
static void field(char **p, char *out, size_t len) {
    size_t u = 0;
    while (**p && **p != ',' && **p != '\n') {
        if (u + 1 < len) out[u++] = **p;
        (*p)++;
    }
    out[u] = 0;
    if (**p == ',') (*p)++;
}

int mf_sweep_row_read(const char *path, mf_sweep_row *r, mf_err *e) {
    unsigned char *buf;
    size_t len;
    if (mf_read_all(path, &buf, &len, e)) return -1;
    memset(r, 0, sizeof *r);
    char *p = (char *)buf;
    size_t hl = strlen(csv_header);
    int ok = !strncmp(p, csv_header, hl) && p[hl] == '\n';
    if (ok) {
        p += hl + 1;
        char f[23][MF_SWEEP_NAME];
        for (int i = 0; i < 23; i++) field(&p, f[i], sizeof f[i]);
        snprintf(r->name, sizeof r->name, "%s", f[0]);
        r->arch = mf_config_value_of("backbone.arch", f[1]);
        r->head = mf_config_value_of("model.head", f[2]);
        char *s = f[3];
        while (*s && r->branches.n < MF_INTLIST_MAX) {
            char *end;
            long b = strtol(s, &end, 10);
            if (end == s) break;
            r->branches.v[r->branches.n++] = (int)b;
            s = end;
        }
        r->lr = strtod(f[4], NULL);
        r->seed = strtoll(f[5], NULL, 10);
        r->epochs = atoi(f[6]);
        r->rois = atoi(f[7]);
        r->tumor_rois = atoi(f[8]);
        for (int k = 0; k < MF_SWEEP_NFIG; k++) {
            r->v[k] = strtod(f[9 + 3 * k], NULL);
            r->lo[k] = strtod(f[10 + 3 * k], NULL);
            r->hi[k] = strtod(f[11 + 3 * k], NULL);
        }
        snprintf(r->digest, sizeof r->digest, "%.64s", f[22]);
        ok = r->name[0] && r->arch >= 0 && r->head >= 0 && r->branches.n > 0 && strlen(r->digest) == 64;
    }
    free(buf);
    if (!ok) return mf_fail(e, "%s: expected a sweep result (header '%.20s...' and one row)", path, csv_header);
    return 0;
}

/* ---- the summary ---- */

typedef struct summary {
    const char *title;
    const mf_sweep_row *rows;
    int n;
    int *order; /* by accuracy, best first */
} summary;

static void write_csv(FILE *f, const void *ctx) {
    const summary *s = ctx;
    fprintf(f, "%s\n", csv_header);
    for (int i = 0; i < s->n; i++) csv_row(f, &s->rows[i]);
}

static void fig_text(char *buf, size_t len, const mf_sweep_row *r, int k) {
    if (isnan(r->v[k])) snprintf(buf, len, "n/a");
    else if (isnan(r->lo[k])) snprintf(buf, len, "%.3f [n/a]", r->v[k]);
    else snprintf(buf, len, "%.3f [%.3f, %.3f]", r->v[k], r->lo[k], r->hi[k]);
}

static void branches_text(char *buf, size_t len, const mf_intlist *b) {
    size_t u = (size_t)snprintf(buf, len, "[");
    for (int i = 0; i < b->n && u < len; i++) u += (size_t)snprintf(buf + u, len - u, "%s%d", i ? "," : "", b->v[i]);
    if (u < len) snprintf(buf + u, len - u, "]");
}

/* The text of one row's cells, shared by sweep.md and sweep.html. */
typedef struct row_text {
    const mf_sweep_row *r;
    const mf_paper_row *paper; /* NULL: the paper has no such row */
    char branches[40], fig[MF_SWEEP_NFIG][64];
} row_text;

static void row_text_of(row_text *t, const mf_sweep_row *r) {
    t->r = r;
    t->paper = paper_of(r);
    branches_text(t->branches, sizeof t->branches, &r->branches);
    for (int k = 0; k < MF_SWEEP_NFIG; k++) fig_text(t->fig[k], sizeof t->fig[k], r, k);
}

static void write_seed_groups(FILE *f, const summary *s);

static void write_md(FILE *f, const void *ctx) {
    const summary *s = ctx;
    fprintf(f, "# Sweep: %s\n\n%d configurations; ROI level on the evaluated split (majority vote, or the "
               "configuration's evaluate.decision; AUC of the mean P(Tumor)), each figure with its bootstrap interval; sorted by accuracy. Rows marked * have a row in "
               "the paper (Tables 2/3): its accuracy is in the last column.\n\n",
            s->title, s->n);
    fputs("| # | configuration | backbone | head | branches | lr | seed | ROIs (Tumor) | accuracy | Tumor recall | "
          "Tumor precision | AUC | paper accuracy |\n",
          f);
    fputs("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n", f);
    for (int i = 0; i < s->n; i++) {
        row_text t;
        row_text_of(&t, &s->rows[s->order[i]]);
        const mf_sweep_row *r = t.r;
        const mf_paper_row *p = t.paper;
        fprintf(f, "| %d | %s%s | %s | %s | %s | %g | %lld | %d (%d) | %s | %s | %s | %s |", i + 1, r->name,
                p ? " *" : "", arch_name(r->arch), head_name(r->head), t.branches, r->lr, r->seed, r->rois,
                r->tumor_rois, t.fig[0], t.fig[1], t.fig[2], t.fig[3]);
        if (p) fprintf(f, " %.3f |\n", p->accuracy);
        else fputs(" |\n", f);
    }
    write_seed_groups(f, s);
}

/* The name of row r without its seed part ("_s<digits>"): the key of the
 * configurations that differ only in train.seed. */
static void seedless_name(const mf_sweep_row *r, char *out, size_t len) {
    size_t u = 0;
    out[0] = 0;
    const char *p = r->name;
    while (*p) {
        const char *q = strchr(p, '_');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        int seed = n > 1 && p[0] == 's' && strspn(p + 1, "0123456789") >= n - 1;
        if (!seed && u + n + 2 < len) {
            if (u) out[u++] = '_';
            memcpy(out + u, p, n);
            out[u += n] = 0;
        }
        p += n + (q != NULL);
    }
}

/* "mean ± sd [min, max]" of figure k over rows idx[0..m) (sd with m - 1;
 * rows whose figure is n/a left out). */
static void spread_text(char *buf, size_t len, const summary *s, const int *idx, int m, int k) {
    double sum = 0, lo = INFINITY, hi = -INFINITY;
    int c = 0;
    for (int i = 0; i < m; i++) {
        double v = s->rows[idx[i]].v[k];
        if (isnan(v)) continue;
        sum += v, c++;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    if (!c) {
        snprintf(buf, len, "n/a");
        return;
    }
    double mean = sum / c, ss = 0;
    for (int i = 0; i < m; i++) {
        double v = s->rows[idx[i]].v[k];
        if (!isnan(v)) ss += (v - mean) * (v - mean);
    }
    if (c > 1) snprintf(buf, len, "%.3f ± %.3f [%.3f, %.3f]", mean, sqrt(ss / (c - 1)), lo, hi);
    else snprintf(buf, len, "%.3f", mean);
}

/* sweep.md's second table: configurations that differ only in train.seed,
 * in grid order of their first row; none when every group has one row. */
static void write_seed_groups(FILE *f, const summary *s) {
    int n = s->n, many = 0;
    char(*key)[MF_SWEEP_NAME] = malloc((size_t)(n ? n : 1) * sizeof *key);
    int *idx = malloc((size_t)(n ? n : 1) * sizeof(int)), *done = calloc((size_t)(n ? n : 1), sizeof(int));
    if (!key || !idx || !done) goto out;
    for (int i = 0; i < n; i++) seedless_name(&s->rows[i], key[i], sizeof key[i]);
    for (int i = 0; i < n && !many; i++)
        for (int j = i + 1; j < n && !many; j++) many = !strcmp(key[i], key[j]);
    if (!many) goto out;
    fputs("\n## Across training seeds\n\nConfigurations that differ only in train.seed: the mean ± standard "
          "deviation (n - 1) and [min, max] of each figure over the seeds.\n\n"
          "| configuration | seeds | accuracy | Tumor recall | Tumor precision | AUC | paper accuracy |\n"
          "| --- | --- | --- | --- | --- | --- | --- |\n",
          f);
    for (int i = 0; i < n; i++) {
        if (done[i]) continue;
        int m = 0;
        for (int j = i; j < n; j++)
            if (!done[j] && !strcmp(key[i], key[j])) done[j] = 1, idx[m++] = j;
        char fig[MF_SWEEP_NFIG][96];
        for (int k = 0; k < MF_SWEEP_NFIG; k++) spread_text(fig[k], sizeof fig[k], s, idx, m, k);
        const mf_paper_row *p = paper_of(&s->rows[i]);
        fprintf(f, "| %s | %d | %s | %s | %s | %s |", key[i][0] ? key[i] : "(base)", m, fig[0], fig[1], fig[2], fig[3]);
        if (p) fprintf(f, " %.3f |\n", p->accuracy);
        else fputs(" |\n", f);
    }
out:
    free(key);
    free(idx);
    free(done);
}

/* The chart: one column per branch set (in grid order of first appearance),
 * in it one marker per configuration (head by colour) with its interval,
 * and the paper's accuracy as a black tick where the paper has the row. */
static void write_chart(FILE *f, const summary *s) {
    int n = s->n;
    int *cat = malloc((size_t)(n ? n : 1) * sizeof(int)), *slot = malloc((size_t)(n ? n : 1) * sizeof(int));
    int *count = calloc((size_t)(n ? n : 1), sizeof(int));
    if (!cat || !slot || !count) {
        fputs("<p class=\"note\">(no chart: out of memory)</p>\n", f);
        goto done;
    }
    int ncat = 0, maxpts = 1;
    int *first = malloc((size_t)(n ? n : 1) * sizeof(int)); /* a row of each category */
    if (!first) goto done;
    for (int i = 0; i < n; i++) {
        int c = -1;
        for (int j = 0; j < ncat && c < 0; j++)
            if (!memcmp(&s->rows[first[j]].branches, &s->rows[i].branches, sizeof(mf_intlist))) c = j;
        if (c < 0) first[c = ncat++] = i;
        cat[i] = c;
    }
    /* Within a column: fusion1 first, then fusion2, each in grid order. */
    for (int h = 0; h < 2; h++)
        for (int i = 0; i < n; i++)
            if (s->rows[i].head == h) slot[i] = count[cat[i]]++;
    for (int c = 0; c < ncat; c++)
        if (count[c] > maxpts) maxpts = count[c];
    const int left = 56, top = 24, ph = 300, step = 14;
    int cw = step * maxpts + 18;
    int W = left + ncat * cw + 20, H = top + ph + 70;
    if (W < 380) W = 380; /* room for the legend */
    fprintf(f, "<svg id=\"sweep-accuracy\" class=\"chart\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", W, H, W,
            H);
    fprintf(f, "<rect class=\"plot\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n", left, top, ncat * cw, ph);
    for (int t = 0; t <= 10; t += 2) {
        double y = top + ph * (1 - t / 10.0);
        fprintf(f, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", left, left + ncat * cw, y, y);
        fprintf(f, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>\n", left - 4, y + 4,
                t / 10.0);
    }
    fprintf(f, "<text class=\"axis\" transform=\"translate(14,%d) rotate(-90)\" text-anchor=\"middle\">ROI accuracy</text>\n",
            top + ph / 2);
    for (int c = 0; c < ncat; c++) {
        char b[40];
        branches_text(b, sizeof b, &s->rows[first[c]].branches);
        double x = left + c * cw + cw / 2.0;
        fprintf(f, "<text class=\"tick\" transform=\"translate(%.1f,%d) rotate(-40)\" text-anchor=\"end\">%s</text>\n",
                x + 4, top + ph + 14, b);
    }
    for (int i = 0; i < n; i++) {
        const mf_sweep_row *r = &s->rows[i];
        double x = left + cat[i] * cw + 9 + step * slot[i] + (cw - 18 - step * count[cat[i]]) / 2.0 + step / 2.0;
#define YOF(v) (top + ph * (1 - (v)))
        const char *col = head_colour[r->head == MF_HEAD_FUSION2];
        fprintf(f, "<g class=\"config\"><title>");
        mf_html_esc(f, r->name);
        char acc[64];
        fig_text(acc, sizeof acc, r, MF_SWEEP_ACC);
        fprintf(f, ": accuracy %s</title>", acc);
        if (!isnan(r->lo[0]))
            fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>", x, x,
                    YOF(r->lo[0]), YOF(r->hi[0]), col);
        if (!isnan(r->v[0]))
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>", x, YOF(r->v[0]), col);
        const mf_paper_row *p = paper_of(r);
        if (p)
            fprintf(f, "<line class=\"paper\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" "
                       "stroke-width=\"2\"/>",
                    x - 6, x + 6, YOF(p->accuracy), YOF(p->accuracy));
        fputs("</g>\n", f);
#undef YOF
    }
    fprintf(f, "<text class=\"legend\" x=\"%d\" y=\"14\"><tspan fill=\"%s\">&#9679; fusion1</tspan>  <tspan "
               "fill=\"%s\">&#9679; fusion2</tspan>  &#8212; the paper</text>\n",
            left, head_colour[0], head_colour[1]);
    fputs("</svg>\n", f);
    free(first);
done:
    free(cat);
    free(slot);
    free(count);
}

static void write_html(FILE *f, const void *ctx) {
    const summary *s = ctx;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>mammofuse sweep: ", f);
    mf_html_esc(f, s->title);
    fprintf(f, "</title>\n<style>\n%s.scroll{overflow-x:auto}\n</style>\n</head>\n<body>\n<h1>mammofuse sweep: ",
            mf_report_css());
    mf_html_esc(f, s->title);
    fprintf(f, "</h1>\n<p class=\"note\">%d configurations over one feature store. ROI level on the evaluated split: "
               "majority vote over each ROI's patches (or the configuration's evaluate.decision); intervals are the stratified bootstrap's (evaluate.bootstrap, "
               "evaluate.confidence). AUC is of the mean P(Tumor). The paper's rows (Tables 2/3, 64 test ROIs) are "
               "shown where the paper has the same backbone, head and branches.</p>\n",
            s->n);
    fputs("<h2>ROI accuracy per branch set</h2>\n<div class=\"scroll\">\n", f);
    write_chart(f, s);
    fputs("</div>\n<h2>Every configuration, best first</h2>\n<table id=\"sweep-table\">\n<tr><th>#</th><th "
          "class=\"k\">configuration</th><th>head</th><th>branches</th><th>lr</th><th>seed</th><th>ROIs "
          "(Tumor)</th><th>accuracy</th><th>Tumor recall</th><th>Tumor precision</th><th>AUC</th><th>paper "
          "accuracy</th></tr>\n",
          f);
    for (int i = 0; i < s->n; i++) {
        row_text t;
        row_text_of(&t, &s->rows[s->order[i]]);
        const mf_sweep_row *r = t.r;
        const mf_paper_row *p = t.paper;
        fprintf(f, "<tr%s><td>%d</td><td class=\"k\">", p ? " class=\"paper\"" : "", i + 1);
        mf_html_esc(f, r->name);
        fprintf(f, "</td><td>%s</td><td>%s</td><td>%g</td><td>%lld</td><td>%d (%d)</td><td>%s</td><td>%s</td><td>%s</td>"
                   "<td>%s</td><td>",
                head_name(r->head), t.branches, r->lr, r->seed, r->rois, r->tumor_rois, t.fig[0], t.fig[1], t.fig[2],
                t.fig[3]);
        if (p) fprintf(f, "%.3f", p->accuracy);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n</body>\n</html>\n", f);
}

static const mf_sweep_row *sort_rows; /* qsort's context (the summary is written by one thread) */

static int by_accuracy(const void *pa, const void *pb) {
    int i = *(const int *)pa, j = *(const int *)pb;
    double a = isnan(sort_rows[i].v[0]) ? -1 : sort_rows[i].v[0];
    double b = isnan(sort_rows[j].v[0]) ? -1 : sort_rows[j].v[0];
    if (a != b) return a > b ? -1 : 1;
    return (i > j) - (i < j);
}

static int write_summary_file(FILE *f, int i, const void *ctx, mf_err *e) {
    (void)e;
    void (*const fns[3])(FILE *, const void *) = {write_csv, write_md, write_html};
    fns[i](f, ctx);
    return 0;
}

int mf_sweep_summary_write(const char *dir, const char *title, const mf_sweep_row *rows, int n, mf_err *e) {
    summary s = {title, rows, n, malloc((size_t)(n ? n : 1) * sizeof(int))};
    if (!s.order) return mf_fail(e, "sweep: out of memory for the summary of %d configurations", n);
    /* Best accuracy first (NaN last), ties in grid order. */
    for (int i = 0; i < n; i++) s.order[i] = i;
    sort_rows = rows;
    qsort(s.order, (size_t)n, sizeof(int), by_accuracy);
    static const char *const names[3] = {"sweep.csv", "sweep.md", "sweep.html"};
    int rc = mf_file_set_write(dir, names, 3, write_summary_file, &s, e);
    free(s.order);
    return rc;
}
