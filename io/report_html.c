/* report_html.c: see report_html.h. The page is written top to bottom, one
 * function per section; the figures are io/report_plots.c's. */
#include "io/report_html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64.h"
#include "core/paper_table.h"
#include "core/roiset.h"
#include "io/history_csv.h"
#include "io/png_io.h"
#include "io/report_plots.h"

static const char *const label_names[2] = {"Normal", "Tumor"};
static const char *const class_names[MF_ROI_NCLASS] = {"normal", "benign", "malignant", "tumor"};

static const char css[] =
    "body{font-family:sans-serif;margin:24px;color:#222;max-width:1160px}\n"
    "h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ccc}\n"
    "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}\n"
    "th{background:#f2f2f2}td.k,th.k{text-align:left}table.facts td{text-align:left;border:none;padding:2px 10px 2px 0}\n"
    "td small{color:#555}tr.paper td{background:#fbf7e8}.note{color:#555;font-size:13px}\n"
    ".row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}\n"
    "svg.chart{font-size:12px;background:#fff}rect.plot{fill:none;stroke:#444}line.grid{stroke:#e4e4e4}\n"
    "text.tick{fill:#444;font-size:11px}text.axis{fill:#222;font-size:12px}text.legend{fill:#222;font-size:12px}\n"
    "text.ptitle{font-size:13px;font-weight:bold}\n"
    "path.curve,line.curve{fill:none;stroke-width:2}path.val{stroke-dasharray:6 3}path.band{stroke:none;fill-opacity:0.14}\n"
    "path.chance{fill:none;stroke:#888;stroke-dasharray:4 3}line.mark{stroke:#555;stroke-dasharray:2 3}\n"
    ".rois{display:flex;flex-wrap:wrap;gap:10px}figure.roi{margin:0;width:156px;font-size:11px;line-height:1.3}\n"
    "figure.roi svg{display:block;border:3px solid #9c9;width:150px;height:150px}\n"
    "figure.wrong svg{border-color:#d33}figure.wrong figcaption b{color:#c00}\n"
    "rect.tv,rect.nv{stroke:#fff;stroke-width:0.6;fill-opacity:0.85}rect.tv{fill:#e0301e}rect.nv{fill:#2ca02c}\n"
    "rect.noimg{fill:#555}text.noimg{fill:#ddd;font-size:9px}\n"
    ".key{display:inline-block;width:10px;height:10px;vertical-align:middle;margin:0 3px 0 10px}\n"
    "pre{font-size:11px;background:#f7f7f7;padding:8px;overflow-x:auto}\n";

const char *mf_report_css(void) { return css; }

void mf_html_esc(FILE *f, const char *s) {
    for (; *s; s++) {
        if (*s == '<') fputs("&lt;", f);
        else if (*s == '>') fputs("&gt;", f);
        else if (*s == '&') fputs("&amp;", f);
        else if (*s == '"') fputs("&quot;", f);
        else fputc(*s, f);
    }
}

static void esc(FILE *f, const char *s) { mf_html_esc(f, s); }

/* "vgg16" -> "VGG16". */
static void arch_upper(const char *arch, char *buf, size_t len) {
    size_t i = 0;
    for (; arch && arch[i] && i + 1 < len; i++) buf[i] = (char)(arch[i] >= 'a' && arch[i] <= 'z' ? arch[i] - 32 : arch[i]);
    buf[i] = '\0';
}

static void fact(FILE *f, const char *key, const char *value) {
    fprintf(f, "<tr><td><b>%s</b></td><td>", key);
    esc(f, value);
    fputs("</td></tr>\n", f);
}

static void write_header(FILE *f, const mf_eval_result *r, const mf_report_input *in) {
    char arch[16], t[512], dig[65];
    arch_upper(in->arch ? in->arch : "?", arch, sizeof arch);
    const mf_confusion *c = &r->roi_level->conf;
    fputs("<header><h1>mammofuse evaluation: ", f);
    esc(f, arch);
    fputs(" ", f);
    esc(f, r->head);
    fputs(" on the ", f);
    esc(f, r->splits);
    fputs(" split</h1>\n<table class=\"facts\">\n", f);
    snprintf(t, sizeof t, "%s (%s, epoch %d)", r->model_path, r->model_kind, r->model_epoch);
    fact(f, "Model", t);
    snprintf(t, sizeof t, "%s, frozen (the store's backbone.arch)", arch);
    fact(f, "Backbone", t);
    fact(f, "Head and branches", r->head);
    fact(f, "Splits", r->splits);
    snprintf(t, sizeof t, "%d (%lld Normal, %lld Tumor)", r->nroi, (long long)(c->cm[0][0] + c->cm[0][1]),
             (long long)(c->cm[1][0] + c->cm[1][1]));
    fact(f, "ROIs", t);
    int64_t ngrid = in->grid_first ? in->grid_first[in->nroi_index] : 0;
    snprintf(t, sizeof t, "%lld (%lld of the 5x5 grid)", (long long)r->npatches, (long long)ngrid);
    fact(f, "Patches", t);
    fact(f, "Vote", "a patch votes Tumor if P(Tumor) >= P(Normal); a ROI is Tumor if 2 votes >= patches");
    if (r->decision) fact(f, "Decision", r->decision);
    mf_identity_digest(r->identity, dig);
    snprintf(t, sizeof t, "store %.12s, model %.12s, evaluation %.12s (SHA-256 of the identities)", r->store_digest,
             r->model_digest, dig);
    fact(f, "Digests", t);
    if (r->roi_level->has_ci) {
        snprintf(t, sizeof t, "%d stratified resamples, seed %llu, %g%% percentile intervals", r->roi_level->B,
                 (unsigned long long)r->roi_level->seed, 100 * r->roi_level->confidence);
        fact(f, "Bootstrap", t);
    }
    fputs("</table></header>\n", f);
}

static const int table_cols[5] = {MF_FIG_NORMAL_RECALL, MF_FIG_NORMAL_PRECISION, MF_FIG_TUMOR_RECALL,
                                  MF_FIG_TUMOR_PRECISION, MF_FIG_ACCURACY};

static void cell(FILE *f, const mf_eval_level *L, int fig) {
    double v = mf_eval_figure(L, fig);
    if (isnan(v)) fputs("<td>n/a", f);
    else fprintf(f, "<td>%.3f", v);
    if (L->has_ci) {
        if (isnan(L->ci[fig].lo)) fputs(" <small>[n/a]</small>", f);
        else fprintf(f, " <small>[%.3f, %.3f]</small>", L->ci[fig].lo, L->ci[fig].hi);
    }
    fputs("</td>", f);
}

static void paper_row(FILE *f, const mf_eval_result *r, const mf_report_input *in, const mf_paper_row *p) {
    char arch[16];
    arch_upper(in->arch ? in->arch : "?", arch, sizeof arch);
    if (!p) {
        fputs("<tr class=\"paper\"><td class=\"k\">paper</td><td colspan=\"5\" class=\"k\">the paper has no row for ", f);
        esc(f, arch);
        fputc(' ', f);
        esc(f, r->head);
        fputs("</td></tr>\n", f);
        return;
    }
    fputs("<tr class=\"paper\"><td class=\"k\">paper: ", f);
    esc(f, p->name);
    fputs(" <small>(test, 64 ROIs)</small></td>", f);
    const double v[5] = {p->normal_recall, p->normal_precision, p->tumor_recall, p->tumor_precision, p->accuracy};
    for (int i = 0; i < 5; i++) fprintf(f, "<td>%.4f</td>", v[i]);
    fputs("</tr>\n", f);
}

static void write_table(FILE *f, const mf_eval_result *r, const mf_report_input *in) {
    const mf_eval_level *L = r->roi_level;
    const mf_paper_row *p =
        mf_paper_lookup(in->arch, in->head, in->branches ? in->branches->n : 0, in->branches ? in->branches->v : NULL);
    fputs("<section id=\"results\"><h2>Results (the paper's Tables 2/3 columns)</h2>\n<div class=\"row\">\n", f);
    fputs("<table id=\"metrics\"><tr><th class=\"k\">level</th><th>N recall</th><th>N precision</th><th>T recall</th>"
          "<th>T precision</th><th>accuracy</th></tr>\n",
          f);
    if (r->decision) fprintf(f, "<tr><td class=\"k\">this run: ROI (mean P(Tumor) &gt;= %.4f)</td>", r->threshold);
    else fputs("<tr><td class=\"k\">this run: ROI (majority vote)</td>", f);
    for (int i = 0; i < 5; i++) cell(f, L, table_cols[i]);
    fputs("</tr>\n", f);
    paper_row(f, r, in, p);
    fputs("<tr><td class=\"k\">this run: patch</td>", f);
    for (int i = 0; i < 5; i++) cell(f, r->patch_level, table_cols[i]);
    fputs("</tr></table>\n", f);
    fputs("<table id=\"auc\"><tr><th class=\"k\">ROI score</th><th>ROC AUC</th><th>AP</th></tr>\n", f);
    for (int k = 0; k < L->nscores; k++) {
        fputs("<tr><td class=\"k\">", f);
        esc(f, mf_plot_score_label(L->score_name[k]));
        fputs("</td>", f);
        cell(f, L, MF_FIG_AUC(k));
        cell(f, L, MF_FIG_AP(k));
        fputs("</tr>\n", f);
    }
    fputs("</table>\n</div>\n<p class=\"note\">", f);
    if (L->has_ci)
        fprintf(f, "[lo, hi]: %g%% percentile interval over %d stratified bootstrap resamples of the ROIs. ",
                100 * L->confidence, L->B);
    fputs("The paper reports one run on its 64 test ROIs (41 Normal, 23 Tumor) without intervals; one ROI is 1.6 "
          "points of accuracy.</p>\n</section>\n",
          f);
}

static void write_confusion(FILE *f, const mf_eval_result *r) {
    const mf_confusion *c = &r->roi_level->conf;
    fputs("<section><h2>Confusion matrix (ROI level)</h2>\n<table id=\"confusion\">"
          "<tr><th class=\"k\">true \\ predicted</th><th>Normal</th><th>Tumor</th><th>total</th></tr>\n",
          f);
    for (int t = 0; t < 2; t++)
        fprintf(f, "<tr><th class=\"k\">%s</th><td>%lld</td><td>%lld</td><td>%lld</td></tr>\n", label_names[t],
                (long long)c->cm[t][0], (long long)c->cm[t][1], (long long)(c->cm[t][0] + c->cm[t][1]));
    fprintf(f, "<tr><th class=\"k\">total</th><td>%lld</td><td>%lld</td><td>%d</td></tr>\n</table>\n</section>\n",
            (long long)(c->cm[0][0] + c->cm[1][0]), (long long)(c->cm[0][1] + c->cm[1][1]), r->roi_level->n);
}

static void write_curves(FILE *f, const mf_eval_result *r, const mf_report_input *in) {
    fputs("<section id=\"curves\"><h2>ROC and precision-recall curves (ROI level)</h2>\n<div class=\"row\">\n", f);
    mf_plot_roc(f, r->roi_level, in->bands);
    mf_plot_pr(f, r->roi_level, in->bands);
    fputs("</div>\n<p class=\"note\">Scores: the hard vote (one threshold, as the paper's ROC), the fraction of "
          "Tumor votes, the mean P(Tumor) over the ROI's patches. Bands: per grid point of the FPR (ROC) or recall "
          "(PR) axis, the percentile interval of the resampled curves.</p>\n</section>\n",
          f);
}

static void write_training(FILE *f, const mf_eval_result *r, const mf_report_input *in) {
    fputs("<section id=\"training-curves\"><h2>Training (history.csv)</h2>\n", f);
    mf_history h;
    char why[600] = "";
    int st = in->history_path ? mf_history_read(in->history_path, &h, why, sizeof why) : MF_HISTORY_MISSING;
    if (st == MF_HISTORY_OK) {
        mf_plot_training(f, &h, r->model_epoch);
        mf_history_free(&h);
        fputs("<p class=\"note\">Loss and accuracy over the training draws (per epoch, as Keras prints them) and over "
              "the validation patches.</p>\n",
              f);
    } else if (st == MF_HISTORY_MISSING) {
        fputs("<p class=\"note\" id=\"no-history\">history.csv is missing from the run folder: no training curves.</p>\n",
              f);
    } else {
        fputs("<p class=\"note\" id=\"no-history\">history.csv unreadable, no training curves: ", f);
        esc(f, why);
        fputs("</p>\n", f);
    }
    fputs("</section>\n", f);
}

/* <image> of ROI roi as a PNG data: URI. */
static int thumb_image(FILE *f, const mf_report_input *in, int roi, mf_err *e) {
    int S = in->roi_side;
    uint8_t *png = NULL;
    size_t len = 0;
    if (mf_png_encode_gray(S, S, in->images + (size_t)roi * (size_t)S * (size_t)S, &png, &len, e)) return -1;
    char *b64 = malloc(mf_base64_len(len) + 1);
    if (!b64) {
        free(png);
        return mf_fail(e, "report: out of memory for a thumbnail");
    }
    mf_base64_encode(png, len, b64);
    fprintf(f, "<image x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" href=\"data:image/png;base64,%s\"/>\n", S, S, b64);
    free(b64);
    free(png);
    return 0;
}

static int write_thumb(FILE *f, const mf_eval_roi *q, const mf_report_input *in, mf_err *e) {
    int S = in->roi_side, wrong = q->pred != q->label;
    fprintf(f, "<figure class=\"roi%s\"><svg class=\"thumb\" id=\"roi-%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n",
            wrong ? " wrong" : "", q->roi, S, S);
    if (in->images && q->roi < in->nimages) {
        if (thumb_image(f, in, q->roi, e)) return -1;
    } else {
        fprintf(f, "<rect class=\"noimg\" width=\"%d\" height=\"%d\"/><text class=\"noimg\" x=\"4\" y=\"12\">no image"
                   "</text>\n",
                S, S);
    }
    int64_t g0 = 0, g1 = 0;
    if (in->grid_first && q->roi < in->nroi_index) {
        g0 = in->grid_first[q->roi];
        g1 = in->grid_first[q->roi + 1];
    }
    double half = in->patch_side / 2.0, m = 3.5;
    for (int64_t i = g0; i < g1; i++)
        fprintf(f, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\"/>", in->grid[i].vote ? "tv" : "nv",
                in->grid[i].col + half - m, in->grid[i].row + half - m);
    fputs("\n</svg><figcaption>", f);
    fprintf(f, "ROI %d", q->roi);
    if (q->image_id > 0) fprintf(f, " &middot; mdb%03d", q->image_id);
    fprintf(f, "<br>true %s", label_names[q->label & 1]);
    if (q->cls >= 0 && q->cls < MF_ROI_NCLASS && q->cls != MF_CLASS_TUMOR && q->cls != MF_CLASS_NORMAL)
        fprintf(f, " (%s)", class_names[q->cls]);
    fprintf(f, "<br><b>pred %s</b> &middot; votes %d/%d", label_names[q->pred & 1], q->votes, q->patches);
    if (g1 == g0) fputs("<br>(random draws: not drawn)", f);
    fputs("</figcaption></figure>\n", f);
    return 0;
}

static int write_rois(FILE *f, const mf_eval_result *r, const mf_report_input *in, mf_err *e) {
    int nwrong = 0;
    for (int i = 0; i < r->nroi; i++) nwrong += r->rois[i].pred != r->rois[i].label;
    fprintf(f, "<section id=\"rois-section\"><h2>The %d evaluated ROIs (%d misclassified, shown first)</h2>\n"
               "<p class=\"note\">Each ROI with its grid patches' votes at the patch centres "
               "(votes: Tumor votes / patches of the ROI):"
               "<span class=\"key\" style=\"background:#e0301e\"></span>Tumor vote"
               "<span class=\"key\" style=\"background:#2ca02c\"></span>Normal vote; a red frame marks a "
               "misclassified ROI.%s</p>\n<div class=\"rois\">\n",
            r->nroi, nwrong, in->images ? "" : " rois.h5 is missing or not the store's ROI set: no images.");
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < r->nroi; i++) {
            const mf_eval_roi *q = &r->rois[i];
            if ((q->pred != q->label) != (pass == 0)) continue;
            if (write_thumb(f, q, in, e)) return -1;
        }
    fputs("</div>\n</section>\n", f);
    return 0;
}

static void write_config(FILE *f, const mf_eval_result *r) {
    fputs("<section><h2>Configuration</h2>\n<details><summary>the whole configuration (as metrics.json records it)"
          "</summary>\n<pre>",
          f);
    esc(f, r->config ? r->config : "");
    fputs("</pre></details>\n</section>\n", f);
}

int mf_report_html_write(FILE *f, const mf_eval_result *r, const mf_report_input *in, mf_err *e) {
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>mammofuse evaluation: ", f);
    esc(f, r->head);
    fputs(", ", f);
    esc(f, r->splits);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
    write_header(f, r, in);
    write_table(f, r, in);
    write_curves(f, r, in);
    write_confusion(f, r);
    write_training(f, r, in);
    if (write_rois(f, r, in, e)) return -1;
    write_config(f, r);
    fputs("</body>\n</html>\n", f);
    return 0;
}
