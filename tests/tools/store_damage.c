/* store_damage.c: damages a store, model or checkpoint byte by byte and checks
 * that the project's reader never returns different content: each damaged
 * copy is either refused with one error line naming the file, or read to
 * exactly the same content as the original (a flip in bytes nobody reads).
 * Damage: every byte of the metadata (all bytes outside the raw chunks)
 * flipped in turn (one bit), raw chunk bytes flipped at a stride, and the
 * file truncated at evenly spread lengths. The reader is the one the jobs
 * use, and "content" is everything it returns: arrays, attributes read,
 * identities, all hashed with SHA-256.
 * usage: store_damage rois|features|model|checkpoint FILE [RAW_FLIPS [META_STRIDE]]
 *   (META_STRIDE k > 1: every k-th metadata byte only, for the big files)
 *   -> "<kind>: M metadata flips, R raw flips, T truncations: A refused,
 *      B read the same, 0 read differently"; exit 1 at the first damaged
 *   copy read differently or refused without a proper line. */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/heads.h"
#include "core/sha256.h"
#include "io/checkpoint.h"
#include "io/features_store.h"
#include "io/fstore_rows.h"
#include "io/h5util.h"
#include "io/identity_h5.h"
#include "io/rois_store.h"

static const char *kind;
static mf_head head; /* model, checkpoint: made from the undamaged file's identity */

static void hash_identity(mf_sha256 *h, const mf_identity *id) {
    char *t = mf_identity_text(id);
    if (t) mf_sha256_update(h, t, strlen(t));
    free(t);
}

static void hash_str(mf_sha256 *h, char *s) {
    if (s) mf_sha256_update(h, s, strlen(s) + 1);
    free(s);
}

static int read_rois(const char *p, mf_sha256 *h, mf_err *e) {
    mf_roiset s;
    char *config = NULL;
    if (mf_rois_read(p, &s, &config, e)) return -1;
    mf_sha256_update(h, &s.n, sizeof s.n);
    mf_sha256_update(h, &s.size, sizeof s.size);
    mf_sha256_update(h, s.images, (size_t)s.n * (size_t)s.size * (size_t)s.size);
    mf_sha256_update(h, s.meta, (size_t)s.n * sizeof *s.meta);
    hash_str(h, config);
    mf_roiset_free(&s);
    return 0;
}

static int read_features(const char *p, mf_sha256 *h, mf_err *e) {
    mf_fstore fs;
    if (mf_fstore_open_ro(&fs, p, e)) return -1;
    mf_identity id;
    int rc = mf_fstore_identity(&fs, &id, e);
    if (!rc) hash_identity(h, &id);
    hash_str(h, mf_fstore_attr(&fs, "config"));
    mf_sha256_update(h, &fs.n, sizeof fs.n);
    mf_sha256_update(h, &fs.chunk, sizeof fs.chunk);
    mf_sha256_update(h, &fs.n_blocks, sizeof fs.n_blocks);
    mf_sha256_update(h, &fs.dtype, sizeof fs.dtype);
    mf_patch *plan = rc ? NULL : malloc(sizeof *plan * (size_t)(fs.n ? fs.n : 1));
    float *buf = rc ? NULL : malloc(sizeof(float) * 4 * 512 * (size_t)(fs.n ? fs.n : 1));
    if (!rc && (!plan || !buf)) rc = mf_fail(e, "%s: out of memory", p);
    if (!rc) rc = mf_fstore_read_plan(&fs, plan, e);
    if (!rc) mf_sha256_update(h, plan, sizeof *plan * (size_t)fs.n);
    for (int b = 0; !rc && b < fs.n_blocks; b++)
        for (int s = 0; !rc && s < 3; s++) {
            rc = mf_fstore_read_rows(&fs, b, s, 0, fs.n, buf, e);
            if (!rc) mf_sha256_update(h, buf, sizeof(float) * (size_t)fs.n * (size_t)mf_sum_width(s, fs.C[b]));
        }
    free(plan);
    free(buf);
    mf_fstore_close_ro(&fs);
    return rc;
}

/* The head named by path's identity (the undamaged file's). */
static int head_of(const char *p, mf_err *e) {
    mf_identity id;
    if (mf_identity_read_file(p, "model", &id, e)) return -1;
    const mf_ident_entry *br = mf_identity_find(&id, "model.branches");
    const mf_ident_entry *hd = mf_identity_find(&id, "model.head");
    if (!br || !hd) return mf_fail(e, "%s: no model.head/model.branches in its identity", p);
    return mf_head_init(&head, strcmp(hd->text, "fusion2") ? 1 : 2, br->list.n, br->list.v, e);
}

static int read_model(const char *p, mf_sha256 *h, mf_err *e) {
    int epochs = 0;
    mf_identity tid, sid;
    if (mf_model_check(p, NULL, &epochs, e) || mf_identity_read_file(p, "model", &tid, e)) return -1;
    hid_t f = mf_h5_open_ro(p, e);
    if (f < 0) return -1;
    int rc = mf_identity_read_group(f, MF_STORE_IDENTITY_GROUP, p, "model", &sid, e);
    H5Fclose(f);
    if (rc) return -1;
    float *params = malloc(head.nparams * sizeof(float)), *state = malloc(head.nstate * sizeof(float));
    rc = !params || !state ? mf_fail(e, "%s: out of memory", p) : mf_model_read(p, &head, params, state, e);
    if (!rc) {
        mf_sha256_update(h, &epochs, sizeof epochs);
        hash_identity(h, &tid);
        hash_identity(h, &sid);
        mf_sha256_update(h, params, head.nparams * sizeof(float));
        mf_sha256_update(h, state, head.nstate * sizeof(float));
    }
    free(params);
    free(state);
    return rc;
}

static int read_checkpoint(const char *p, mf_sha256 *h, mf_err *e) {
    mf_train_state t;
    if (mf_train_state_alloc(&t, head.nparams, head.nstate, 1000)) return mf_fail(e, "%s: out of memory", p);
    int rc = mf_ckpt_read(p, &t, NULL, e);
    if (!rc) {
        size_t np = t.nparams * sizeof(float), ns = t.nstate * sizeof(float);
        mf_sha256_update(h, t.params, np);
        mf_sha256_update(h, t.velocity, np);
        mf_sha256_update(h, t.state, ns);
        if (t.best_epoch > 0) {
            mf_sha256_update(h, t.best_params, np);
            mf_sha256_update(h, t.best_state, ns);
        }
        mf_sha256_update(h, t.hist, sizeof(double) * MF_HIST_COLS * (size_t)t.epoch);
        mf_sha256_update(h, &t.epoch, sizeof t.epoch);
        mf_sha256_update(h, &t.step, sizeof t.step);
        mf_sha256_update(h, &t.global_step, sizeof t.global_step);
        mf_sha256_update(h, &t.best_epoch, sizeof t.best_epoch);
        mf_sha256_update(h, &t.best_val_loss, sizeof t.best_val_loss);
        mf_sha256_update(h, &t.run_loss, sizeof t.run_loss);
        mf_sha256_update(h, &t.run_correct, sizeof t.run_correct);
    }
    mf_train_state_free(&t);
    return rc;
}

/* Reads p: 0 and its digest, or -1 and the message in e. */
static int read_any(const char *p, uint8_t digest[32], mf_err *e) {
    mf_sha256 h;
    mf_sha256_init(&h);
    int rc = !strcmp(kind, "rois")       ? read_rois(p, &h, e)
             : !strcmp(kind, "features") ? read_features(p, &h, e)
             : !strcmp(kind, "model")    ? read_model(p, &h, e)
                                         : read_checkpoint(p, &h, e);
    mf_sha256_final(&h, digest);
    return rc;
}

/* ---- the raw chunks' extents ------------------------------------------- */

typedef struct extent {
    haddr_t addr;
    hsize_t size;
} extent;
static extent *raw;
static size_t nraw, capraw;

static herr_t visit(hid_t obj, const char *name, const H5O_info_t *info, void *op) {
    (void)op;
    if (info->type != H5O_TYPE_DATASET) return 0;
    hid_t d = H5Dopen2(obj, name, H5P_DEFAULT), sp = H5Dget_space(d), dcpl = H5Dget_create_plist(d);
    if (H5Pget_layout(dcpl) == H5D_CHUNKED) {
        hsize_t n = 0;
        H5Dget_num_chunks(d, sp, &n);
        for (hsize_t i = 0; i < n; i++) {
            hsize_t off[8], size = 0;
            unsigned mask;
            haddr_t addr;
            if (H5Dget_chunk_info(d, sp, i, off, &mask, &addr, &size) < 0) continue;
            if (nraw == capraw) raw = realloc(raw, (capraw = capraw ? 2 * capraw : 64) * sizeof *raw);
            raw[nraw++] = (extent){addr, size};
        }
    } else if (H5Pget_layout(dcpl) == H5D_CONTIGUOUS) {
        haddr_t a = H5Dget_offset(d);
        if (a != HADDR_UNDEF) {
            if (nraw == capraw) raw = realloc(raw, (capraw = capraw ? 2 * capraw : 64) * sizeof *raw);
            raw[nraw++] = (extent){a, H5Dget_storage_size(d)};
        }
    }
    H5Pclose(dcpl);
    H5Sclose(sp);
    H5Dclose(d);
    return 0;
}

static int in_raw(long off) {
    for (size_t i = 0; i < nraw; i++)
        if ((haddr_t)off >= raw[i].addr && (haddr_t)off < raw[i].addr + raw[i].size) return 1;
    return 0;
}

/* ---- damage ---------------------------------------------------------------- */

static unsigned char *orig;
static long size;
static uint8_t want[32];
static char damaged[512];
static int refused, same;

/* Writes len bytes of buf to the damaged copy, reads it, judges. */
static int judge(const unsigned char *buf, long len, const char *what) {
    remove(damaged); /* a new inode: HDF5 may still hold the last one open (fuzz.h) */
    FILE *f = fopen(damaged, "wb");
    if (!f || (len && fwrite(buf, 1, (size_t)len, f) != (size_t)len) || fclose(f)) {
        perror(damaged);
        exit(2);
    }
    uint8_t got[32];
    mf_err e = {""};
    if (read_any(damaged, got, &e) == 0) {
        if (memcmp(got, want, 32)) {
            fprintf(stderr, "%s: %s: read differently from the original\n", kind, what);
            return -1;
        }
        same++;
        return 0;
    }
    if (!e.msg[0] || strchr(e.msg, '\n') || !strstr(e.msg, damaged)) {
        fprintf(stderr, "%s: %s: refused without one line naming the file: '%s'\n", kind, what, e.msg);
        return -1;
    }
    if (getenv("MF_DAMAGE_VERBOSE")) printf("%s: %s\n", what, e.msg);
    refused++;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[1], "rois") && strcmp(argv[1], "features") && strcmp(argv[1], "model") &&
                     strcmp(argv[1], "checkpoint"))) {
        fprintf(stderr, "usage: store_damage rois|features|model|checkpoint FILE [RAW_FLIPS [META_STRIDE]]\n");
        return 2;
    }
    kind = argv[1];
    const char *path = argv[2];
    long raw_flips = argc > 3 ? atol(argv[3]) : 200, meta_stride = argc > 4 ? atol(argv[4]) : 1;
    if (meta_stride < 1) meta_stride = 1;
    mf_h5_begin();
    mf_err e = {""};
    if ((!strcmp(kind, "model") || !strcmp(kind, "checkpoint")) && head_of(path, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    if (read_any(path, want, &e)) {
        fprintf(stderr, "the undamaged file is refused: %s\n", e.msg);
        return 1;
    }
    FILE *f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) return perror(path), 2;
    orig = malloc((size_t)size);
    unsigned char *buf = malloc((size_t)size);
    if (!orig || !buf || fread(orig, 1, (size_t)size, f) != (size_t)size) return perror(path), 2;
    fclose(f);
    hid_t fid = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    H5Ovisit(fid, H5_INDEX_NAME, H5_ITER_NATIVE, visit, NULL);
    H5Fclose(fid);
    long nraw_bytes = 0;
    for (long o = 0; o < size; o++) nraw_bytes += in_raw(o);
    snprintf(damaged, sizeof damaged, "%s.damaged.h5", path);
    long nmeta = 0, nrawf = 0, ntrunc = 0;
    long stride = nraw_bytes / (raw_flips > 0 ? raw_flips : 1);
    if (stride < 1) stride = 1;
    char what[96];
    long r = 0, m = 0;
    for (long o = 0; o < size; o++) {
        int israw = in_raw(o);
        if (israw && r++ % stride) continue;
        if (!israw && m++ % meta_stride) continue;
        memcpy(buf, orig, (size_t)size);
        buf[o] ^= (unsigned char)(1u << (o % 8));
        snprintf(what, sizeof what, "%s byte %ld flipped", israw ? "raw" : "metadata", o);
        if (judge(buf, size, what)) return 1;
        if (israw) nrawf++;
        else nmeta++;
    }
    for (int k = 0; k <= 64; k++) {
        long len = k < 64 ? size * k / 64 : size - 1;
        snprintf(what, sizeof what, "truncated to %ld bytes", len);
        if (judge(orig, len, what)) return 1;
        ntrunc++;
    }
    remove(damaged);
    printf("%s: %ld metadata flips, %ld raw flips, %ld truncations: %d refused, %d read the same, 0 read differently\n",
           kind, nmeta, nrawf, ntrunc, refused, same);
    return 0;
}
