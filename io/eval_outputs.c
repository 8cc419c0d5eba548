/* eval_outputs.c: see eval_outputs.h. */
#include "io/eval_outputs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/roiset.h"
#include "io/file_set.h"
#include "io/report_html.h"

enum { F_METRICS, F_TABLE, F_PRED, F_ROC, F_PR, F_REPORT, F_COUNT };
static const char *const file_names[F_COUNT] = {"metrics.json", "table.md", "predictions.csv", "roc.csv", "pr.csv",
                                                "report.html"};
static const char *const class_names[] = {"normal", "benign", "malignant", "tumor"};
static const char *const fig_names[MF_FIG_NFIXED] = {"accuracy", "normal_recall", "normal_precision", "tumor_recall",
                                                     "tumor_precision"};

static void jnum(FILE *f, double v) {
    if (isnan(v)) fputs("null", f);
    else if (isinf(v)) fputs(v > 0 ? "\"inf\"" : "\"-inf\"", f);
    else fprintf(f, "%.17g", v);
}

static void cnum(FILE *f, double v) {
    if (isnan(v)) fputs("nan", f);
    else if (isinf(v)) fputs(v > 0 ? "inf" : "-inf", f);
    else fprintf(f, "%.17g", v);
}

static void jstr(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') fprintf(f, "\\%c", ch);
        else if (ch == '\n') fputs("\\n", f);
        else if (ch < 0x20) fprintf(f, "\\u%04x", ch);
        else fputc(ch, f);
    }
    fputc('"', f);
}

/* {"value": v, "lo": .., "hi": .., "valid": ..} or {"value": v} */
static void jfig(FILE *f, const mf_eval_level *L, int fig) {
    fputs("{\"value\": ", f);
    jnum(f, mf_eval_figure(L, fig));
    if (L->has_ci) {
        fputs(", \"lo\": ", f);
        jnum(f, L->ci[fig].lo);
        fputs(", \"hi\": ", f);
        jnum(f, L->ci[fig].hi);
        fprintf(f, ", \"valid\": %d", L->ci[fig].valid);
    }
    fputc('}', f);
}

static void jlevel(FILE *f, const mf_eval_level *L, const char *ind) {
    const mf_confusion *c = &L->conf;
    fprintf(f, "{\n%s  \"n\": %d,\n", ind, L->n);
    fprintf(f, "%s  \"confusion\": {\"normal_as_normal\": %lld, \"normal_as_tumor\": %lld, \"tumor_as_normal\": %lld, "
               "\"tumor_as_tumor\": %lld},\n",
            ind, (long long)c->cm[0][0], (long long)c->cm[0][1], (long long)c->cm[1][0], (long long)c->cm[1][1]);
    for (int fig = 0; fig < MF_FIG_NFIXED; fig++) {
        fprintf(f, "%s  \"%s\": ", ind, fig_names[fig]);
        jfig(f, L, fig);
        fputs(",\n", f);
    }
    fprintf(f, "%s  \"normal_f1\": ", ind);
    jnum(f, c->f1[0]);
    fprintf(f, ",\n%s  \"tumor_f1\": ", ind);
    jnum(f, c->f1[1]);
    fprintf(f, ",\n%s  \"scores\": {\n", ind);
    for (int k = 0; k < L->nscores; k++) {
        fprintf(f, "%s    \"%s\": {\"roc_auc\": ", ind, L->score_name[k]);
        jfig(f, L, MF_FIG_AUC(k));
        fputs(", \"average_precision\": ", f);
        jfig(f, L, MF_FIG_AP(k));
        fprintf(f, "}%s\n", k + 1 < L->nscores ? "," : "");
    }
    fprintf(f, "%s  }", ind);
    if (L->has_ci)
        fprintf(f, ",\n%s  \"bootstrap\": {\"resamples\": %d, \"confidence\": %.17g, \"seed\": %llu, "
                   "\"stratified\": true}",
                ind, L->B, L->confidence, (unsigned long long)L->seed);
    fprintf(f, "\n%s}", ind);
}

static void write_metrics(FILE *f, const mf_eval_result *r) {
    char dig[65];
    mf_identity_digest(r->identity, dig);
    fputs("{\n  \"job\": \"evaluate\",\n  \"program\": \"mammofuse\",\n", f);
    fputs("  \"model\": {\"path\": ", f);
    jstr(f, r->model_path);
    fprintf(f, ", \"which\": \"%s\", \"epoch\": %d, \"head\": ", r->model_kind, r->model_epoch);
    jstr(f, r->head);
    fprintf(f, "},\n  \"splits\": ");
    jstr(f, r->splits);
    fprintf(f, ",\n  \"rois\": %d,\n  \"patches\": %lld,\n", r->nroi, (long long)r->npatches);
    fputs("  \"vote_rule\": \"a patch votes Tumor if P(Tumor) >= P(Normal); a ROI is Tumor if 2 votes >= patches\",\n", f);
    if (r->decision) {
        fprintf(f, "  \"decision\": {\"rule\": \"val_threshold\", \"threshold\": %.17g, \"text\": ", r->threshold);
        jstr(f, r->decision);
        fputs("},\n", f);
    }
    fputs("  \"roi_level\": ", f);
    jlevel(f, r->roi_level, "  ");
    fputs(",\n  \"patch_level\": ", f);
    jlevel(f, r->patch_level, "  ");
    fprintf(f, ",\n  \"identity\": {\n    \"stage\": \"evaluate\",\n    \"digest\": \"%s\",\n    \"entries\": {\n", dig);
    for (int i = 0; i < r->identity->n; i++) {
        char v[512];
        mf_ident_value_text(&r->identity->e[i], v, sizeof v);
        fputs("      ", f);
        jstr(f, r->identity->e[i].key);
        fputs(": ", f);
        jstr(f, v);
        fprintf(f, "%s\n", i + 1 < r->identity->n ? "," : "");
    }
    fprintf(f, "    }\n  },\n  \"input_store\": \"%s\",\n  \"input_model\": \"%s\",\n  \"config\": ", r->store_digest,
            r->model_digest);
    jstr(f, r->config);
    fputs("\n}\n", f);
}

static void tcell(FILE *f, const mf_eval_level *L, int fig) {
    double v = mf_eval_figure(L, fig);
    if (isnan(v)) fputs(" n/a", f);
    else fprintf(f, " %.3f", v);
    if (L->has_ci) {
        if (isnan(L->ci[fig].lo)) fputs(" [n/a]", f);
        else fprintf(f, " [%.3f, %.3f]", L->ci[fig].lo, L->ci[fig].hi);
    }
    fputs(" |", f);
}

static void write_table(FILE *f, const mf_eval_result *r) {
    static const int cols[] = {MF_FIG_NORMAL_RECALL, MF_FIG_NORMAL_PRECISION, MF_FIG_TUMOR_RECALL,
                               MF_FIG_TUMOR_PRECISION, MF_FIG_ACCURACY};
    const mf_eval_level *R = r->roi_level;
    fprintf(f, "# Evaluation: %s, %s split(s)\n\n", r->head, r->splits);
    fprintf(f, "%d ROIs (%lld patches); model %s (%s, epoch %d). ", r->nroi, (long long)r->npatches, r->model_path,
            r->model_kind, r->model_epoch);
    if (r->decision) fprintf(f, "ROI level: %s ", r->decision);
    if (R->has_ci)
        fprintf(f, "%s[lo, hi] = %g percentile bootstrap interval (%d stratified resamples).\n\n",
                r->decision ? "" : "ROI level: majority vote over the patches; ", R->confidence, R->B);
    else if (r->decision)
        fputs("\n\n", f);
    fputs("| level | N recall | N precision | T recall | T precision | accuracy |\n", f);
    fputs("| --- | --- | --- | --- | --- | --- |\n", f);
    if (r->decision) fprintf(f, "| ROI (mean P(Tumor) >= %.4f) |", r->threshold);
    else fputs("| ROI (majority vote) |", f);
    for (int i = 0; i < 5; i++) tcell(f, R, cols[i]);
    fputs("\n| patch |", f);
    for (int i = 0; i < 5; i++) tcell(f, r->patch_level, cols[i]);
    fputs("\n\n| ROI score | ROC AUC | AP |\n| --- | --- | --- |\n", f);
    for (int k = 0; k < R->nscores; k++) {
        fprintf(f, "| %s |", R->score_name[k]);
        tcell(f, R, MF_FIG_AUC(k));
        tcell(f, R, MF_FIG_AP(k));
        fputc('\n', f);
    }
}

/* label < 0 (truth unknown, `predict` on a bare image): label and correct empty. */
static void write_pred_rows(FILE *f, int nroi, const mf_eval_roi *rois) {
    fputs("roi,image_id,class,label,votes,patches,vote_fraction,mean_p_tumor,prediction,correct\n", f);
    for (int i = 0; i < nroi; i++) {
        const mf_eval_roi *q = &rois[i];
        fprintf(f, "%d,", q->roi);
        if (q->image_id > 0) fprintf(f, "mdb%03d", q->image_id);
        fprintf(f, ",%s,", q->cls >= 0 && q->cls < 4 ? class_names[q->cls] : "");
        if (q->label >= 0) fprintf(f, "%d", q->label);
        fprintf(f, ",%d,%d,", q->votes, q->patches);
        cnum(f, q->vote_fraction);
        fputc(',', f);
        cnum(f, q->mean_p_tumor);
        fprintf(f, ",%d,", q->pred);
        if (q->label >= 0) fprintf(f, "%d", q->pred == q->label);
        fputc('\n', f);
    }
}

static void write_pred(FILE *f, const mf_eval_result *r) { write_pred_rows(f, r->nroi, r->rois); }

typedef struct {
    int nroi;
    const mf_eval_roi *rois;
} pred_rows;

static int write_pred_file(FILE *f, int i, const void *ctx, mf_err *e) {
    (void)i, (void)e;
    const pred_rows *p = ctx;
    write_pred_rows(f, p->nroi, p->rois);
    return 0;
}

int mf_eval_write_predictions(const char *path, int nroi, const mf_eval_roi *rois, mf_err *e) {
    pred_rows p = {nroi, rois};
    return mf_file_set_write(NULL, &path, 1, write_pred_file, &p, e);
}

static void write_roc(FILE *f, const mf_eval_result *r) {
    const mf_eval_level *R = r->roi_level;
    fputs("score,threshold,fpr,tpr\n", f);
    for (int k = 0; k < R->nscores; k++)
        for (int i = 0; i < R->curves[k].roc_n; i++) {
            fprintf(f, "%s,", R->score_name[k]);
            cnum(f, R->curves[k].roc_thr[i]);
            fputc(',', f);
            cnum(f, R->curves[k].roc_fpr[i]);
            fputc(',', f);
            cnum(f, R->curves[k].roc_tpr[i]);
            fputc('\n', f);
        }
}

static void write_pr(FILE *f, const mf_eval_result *r) {
    const mf_eval_level *R = r->roi_level;
    fputs("score,threshold,precision,recall\n", f);
    for (int k = 0; k < R->nscores; k++)
        for (int i = 0; i < R->curves[k].pr_n; i++) {
            fprintf(f, "%s,", R->score_name[k]);
            if (i < R->curves[k].pr_n - 1) cnum(f, R->curves[k].pr_thr[i]); /* the last point has none */
            fputc(',', f);
            cnum(f, R->curves[k].pr_precision[i]);
            fputc(',', f);
            cnum(f, R->curves[k].pr_recall[i]);
            fputc('\n', f);
        }
}

typedef struct {
    const mf_eval_result *r;
    const mf_report_input *report;
} eval_files;

static int write_file(FILE *f, int i, const void *ctx, mf_err *e) {
    const eval_files *x = ctx;
    switch (i) {
    case F_METRICS: write_metrics(f, x->r); return 0;
    case F_TABLE: write_table(f, x->r); return 0;
    case F_PRED: write_pred(f, x->r); return 0;
    case F_ROC: write_roc(f, x->r); return 0;
    case F_PR: write_pr(f, x->r); return 0;
    default: return mf_report_html_write(f, x->r, x->report, e);
    }
}

int mf_eval_write(const char *dir, const mf_eval_result *r, const mf_report_input *report, mf_err *e) {
    /* metrics.json is file 0, renamed last: its presence says the evaluation is complete */
    eval_files x = {r, report};
    return mf_file_set_write(dir, file_names, report ? F_COUNT : F_REPORT, write_file, &x, e);
}
