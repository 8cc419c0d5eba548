/* checkpoint.c: see checkpoint.h. */
#include "io/checkpoint.h"


#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "io/fault.h"
#include "io/h5util.h"
#include "io/identity_h5.h"

int mf_train_state_alloc(mf_train_state *t, size_t nparams, size_t nstate, int epochs) {
    memset(t, 0, sizeof *t);
    t->nparams = nparams;
    t->nstate = nstate;
    t->hist_cap = epochs;
    t->params = calloc(nparams, sizeof(float));
    t->velocity = calloc(nparams, sizeof(float));
    t->best_params = calloc(nparams, sizeof(float));
    t->state = calloc(nstate, sizeof(float));
    t->best_state = calloc(nstate, sizeof(float));
    t->hist = calloc((size_t)(epochs > 0 ? epochs : 1) * MF_HIST_COLS, sizeof(double));
    if (!t->params || !t->velocity || !t->best_params || !t->state || !t->best_state || !t->hist) {
        mf_train_state_free(t);
        return -1;
    }
    return 0;
}

void mf_train_state_free(mf_train_state *t) {
    free(t->params);
    free(t->velocity);
    free(t->best_params);
    free(t->state);
    free(t->best_state);
    free(t->hist);
    memset(t, 0, sizeof *t);
}

/* "name offset count shape" per tensor, params then state. */
static char *tensor_text(const mf_head *h) {
    size_t cap = 64 * (size_t)(h->ntensor + h->nstensor + 2), len = 0;
    char *s = malloc(cap);
    if (!s) return NULL;
    s[0] = 0;
    for (int w = 0; w < 2; w++) {
        const mf_tensor *T = w ? h->stensor : h->tensor;
        int n = w ? h->nstensor : h->ntensor;
        for (int i = 0; i < n; i++)
            len += (size_t)snprintf(s + len, cap - len, "%s %s %zu %zu %d%s%d\n", w ? "state" : "params", T[i].name,
                                    T[i].off, T[i].count, T[i].shape[0], T[i].ndim > 1 ? "x" : "",
                                    T[i].ndim > 1 ? T[i].shape[1] : 0);
    }
    return s;
}

static int write_vec(hid_t f, const char *path, const char *name, const float *v, size_t n, mf_err *e) {
    hsize_t d[1] = {(hsize_t)n};
    return mf_h5_write(f, path, name, H5T_NATIVE_FLOAT, 1, d, v, e);
}

/* Creates tmp, runs body, closes, renames onto path; removes tmp on failure. */
typedef int (*body_fn)(hid_t f, const char *path, const void *arg, mf_err *e);
static int write_file(const char *path, body_fn body, const void *arg, mf_err *e) {
    char tmp[2048];
    hid_t f = mf_h5_create_tmp(path, tmp, sizeof tmp, e);
    if (f < 0) return -1;
    int rc = body(f, path, arg, e);
    mf_fault_point("ckpt.write");
    return mf_h5_commit(f, tmp, path, rc, e);
}

typedef struct ckpt_arg {
    const mf_train_state *t;
    const mf_head *h;
    const mf_identity *id, *store;
    const char *config;
} ckpt_arg;

static int ckpt_body(hid_t f, const char *path, const void *arg, mf_err *e) {
    const ckpt_arg *a = arg;
    const mf_train_state *t = a->t;
    char *tens = tensor_text(a->h);
    int rc = write_vec(f, path, "params", t->params, t->nparams, e) ||
             write_vec(f, path, "velocity", t->velocity, t->nparams, e) ||
             write_vec(f, path, "state", t->state, t->nstate, e);
    if (!rc && t->best_epoch > 0)
        rc = write_vec(f, path, "best_params", t->best_params, t->nparams, e) ||
             write_vec(f, path, "best_state", t->best_state, t->nstate, e);
    if (!rc && t->epoch > 0) {
        hsize_t d[2] = {(hsize_t)t->epoch, MF_HIST_COLS};
        rc = mf_h5_write(f, path, "history", H5T_NATIVE_DOUBLE, 2, d, t->hist, e);
    }
    if (!rc && (mf_h5_attr_str(f, "config", a->config) ||
                mf_h5_attr_str(f, "tensors", tens ? tens : "") || mf_h5_attr_int(f, "epoch", t->epoch) ||
                mf_h5_attr_int(f, "step", t->step) || mf_h5_attr_int(f, "global_step", t->global_step) ||
                mf_h5_attr_int(f, "best_epoch", t->best_epoch) ||
                mf_h5_attr_double(f, "best_val_loss", t->best_val_loss) || mf_h5_attr_double(f, "run_loss", t->run_loss) ||
                mf_h5_attr_double(f, "run_correct", t->run_correct)))
        rc = mf_fail(e, "%s: cannot write attributes", path);
    if (!rc) rc = mf_identity_write(f, path, a->id, e);
    if (!rc && a->store) rc = mf_identity_write_group(f, MF_STORE_IDENTITY_GROUP, path, a->store, e);
    free(tens);
    return rc ? -1 : 0;
}

int mf_ckpt_write(const char *path, const mf_train_state *t, const mf_head *h, const mf_identity *id,
                  const mf_identity *store, const char *config, mf_err *e) {
    ckpt_arg a = {t, h, id, store, config};
    return write_file(path, ckpt_body, &a, e);
}

/* Refuses f unless it was made by the wanted training (train.epochs may differ). */
static int check_identity(hid_t f, const char *path, const char *what, const mf_identity *want, mf_err *e) {
    mf_identity have;
    if (mf_identity_read(f, path, what, &have, e)) return -1;
    return want ? mf_identity_refuse(path, &have, want, MF_IDCMP_ALL,
                                     "made by another training",
                                     "remove it or use another --out", e)
                : 0;
}

static int read_vec(hid_t f, const char *path, const char *name, float *v, size_t n, mf_err *e) {
    hsize_t d[1] = {(hsize_t)n};
    return mf_h5_read(f, path, name, H5T_NATIVE_FLOAT, 1, d, v, e);
}

int mf_ckpt_read(const char *path, mf_train_state *t, const mf_identity *want, mf_err *e) {
    hid_t f = mf_h5_open_ro(path, e);
    if (f < 0) return -1;
    int rc = check_identity(f, path, "checkpoint", want, e);
    long long epoch = 0, step = 0, gstep = 0, best = 0;
    if (!rc && (mf_h5_attr_int_get(f, "epoch", &epoch) || mf_h5_attr_int_get(f, "step", &step) ||
                mf_h5_attr_int_get(f, "global_step", &gstep) || mf_h5_attr_int_get(f, "best_epoch", &best) ||
                mf_h5_attr_double_get(f, "best_val_loss", &t->best_val_loss) ||
                mf_h5_attr_double_get(f, "run_loss", &t->run_loss) || mf_h5_attr_double_get(f, "run_correct", &t->run_correct)))
        rc = mf_fail(e, "%s: attributes epoch, step, best_epoch, ...: missing (not a mammofuse checkpoint)", path);
    if (!rc && (epoch < 0 || step < 0 || best < 0 || best > epoch))
        rc = mf_fail(e, "%s: attribute 'epoch': inconsistent values (damaged checkpoint)", path);
    if (!rc && epoch > t->hist_cap)
        rc = mf_fail(e, "%s: refused: it has run %lld epochs, train.epochs is %d; remove it or raise train.epochs",
                     path, epoch, t->hist_cap);
    if (!rc)
        rc = read_vec(f, path, "params", t->params, t->nparams, e) ||
             read_vec(f, path, "velocity", t->velocity, t->nparams, e) ||
             read_vec(f, path, "state", t->state, t->nstate, e);
    if (!rc && best > 0)
        rc = read_vec(f, path, "best_params", t->best_params, t->nparams, e) ||
             read_vec(f, path, "best_state", t->best_state, t->nstate, e);
    if (!rc && epoch > 0) {
        hsize_t d[2] = {(hsize_t)epoch, MF_HIST_COLS};
        rc = mf_h5_read(f, path, "history", H5T_NATIVE_DOUBLE, 2, d, t->hist, e);
    }
    H5Fclose(f);
    if (rc) return -1;
    t->epoch = (int)epoch;
    t->step = step;
    t->global_step = gstep;
    t->best_epoch = (int)best;
    return 0;
}

typedef struct model_arg {
    const mf_head *h;
    const float *params, *state;
    const mf_identity *id, *store;
    const char *config;
    int best_epoch, epochs;
    double val_loss;
} model_arg;

static int model_body(hid_t f, const char *path, const void *arg, mf_err *e) {
    const model_arg *a = arg;
    const mf_head *h = a->h;
    char branches[32] = "[";
    for (int k = 0; k < h->nb; k++)
        snprintf(branches + strlen(branches), sizeof branches - strlen(branches), "%s%d", k ? ", " : "",
                 h->branch[k]);
    strcat(branches, "]");
    char *tens = tensor_text(h);
    int rc = write_vec(f, path, "params", a->params, h->nparams, e) ||
             write_vec(f, path, "state", a->state, h->nstate, e);
    if (!rc && (mf_h5_attr_str(f, "config", a->config) ||
                mf_h5_attr_str(f, "model", mf_config_value_name("model.head", h->model - 1)) ||
                mf_h5_attr_str(f, "branches", branches) || mf_h5_attr_str(f, "tensors", tens ? tens : "") ||
                mf_h5_attr_int(f, "epoch", a->best_epoch) || mf_h5_attr_int(f, "epochs", a->epochs) ||
                mf_h5_attr_double(f, "val_loss", a->val_loss)))
        rc = mf_fail(e, "%s: cannot write attributes", path);
    if (!rc) rc = mf_identity_write(f, path, a->id, e);
    if (!rc && a->store) rc = mf_identity_write_group(f, MF_STORE_IDENTITY_GROUP, path, a->store, e);
    free(tens);
    return rc ? -1 : 0;
}

int mf_model_write(const char *path, const mf_head *h, const float *params, const float *state,
                   const mf_identity *id, const mf_identity *store, const char *config, int best_epoch, int epochs,
                   double val_loss, mf_err *e) {
    model_arg a = {h, params, state, id, store, config, best_epoch, epochs, val_loss};
    return write_file(path, model_body, &a, e);
}

int mf_model_check(const char *path, const mf_identity *want, int *epochs, mf_err *e) {
    hid_t f = mf_h5_open_ro(path, e);
    if (f < 0) return -1;
    int rc = check_identity(f, path, "model", want, e);
    long long n = 0;
    if (!rc && mf_h5_attr_int_get(f, "epochs", &n))
        rc = mf_fail(e, "%s: attribute 'epochs': missing (not a mammofuse model)", path);
    H5Fclose(f);
    if (!rc) *epochs = (int)n;
    return rc;
}

int mf_model_read(const char *path, const mf_head *h, float *params, float *state, mf_err *e) {
    hid_t f = mf_h5_open_ro(path, e);
    if (f < 0) return -1;
    int rc = read_vec(f, path, "params", params, h->nparams, e) || read_vec(f, path, "state", state, h->nstate, e);
    H5Fclose(f);
    return rc ? -1 : 0;
}
