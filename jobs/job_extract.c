/* job_extract.c: `mammofuse extract`: RUN_DIR/rois.h5 + VGG weights ->
 * RUN_DIR/features.h5, the frozen tower's block summaries of every patch of
 * the plan. Ranks take contiguous slices of the chunks still to do, compute
 * them a batch (= one chunk) at a time, and write collectively; SIGTERM or
 * SIGUSR1 ends the job after the chunk in hand with status 75, and running
 * the same command again completes the store. The unfinished store is
 * RUN_DIR/features.h5.partial; it is renamed when every chunk is done. */
#include <cblas.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/patch_plan.h"
#include "core/vgg.h"
#include "io/features_store.h"
#include "io/fault.h"
#include "io/fsutil.h"
#include "io/identity_h5.h"
#include "io/rois_store.h"
#include "io/config.h"
#include "jobs/args.h"
#include "jobs/extract_compute.h"
#include "jobs/extract_job.h"
#include "jobs/jobs.h"
#include "jobs/tower_blocks.h"
#include "mpi/progress.h"
#include "mpi/report.h"
#include "mpi/run_lock.h"
#include "mpi/signals.h"


void mf_extract_plan_params(const mf_config *c, mf_plan_params *p) {
    p->seed = (uint64_t)c->seed;
    p->side = c->patches.side;
    p->tumor_draws = c->patches.tumor_draws;
    p->normal_draws = c->patches.normal_draws;
    p->grid_n = c->patches.grid_n;
    p->grid_stride = c->patches.grid_stride;
    p->draw_splits = mf_plan_split_mask(c->patches.draws_for);
    p->grid_splits = mf_plan_split_mask(c->patches.grid_for);
}

/* Everything the features depend on: the extract keys, the ROI set's
 * identity, the weights' digest, the blocks run, the rows. */
static int store_identity(const mf_config *c, const mf_identity *rois, const char *weights_sha, int n_blocks,
                          int64_t n, mf_identity *id) {
    mf_identity_from_config(id, MF_STAGE_EXTRACT, c);
    return mf_identity_add_input(id, "input_rois", rois) || mf_identity_add_text(id, "weights_sha256", weights_sha) ||
           mf_identity_add_int(id, "blocks", n_blocks) || mf_identity_add_int(id, "rows", n);
}

/* The ROI set in path must come from this config's ROI keys. */
static int check_rois(const mf_config *c, const char *path, mf_identity *have, mf_err *e) {
    mf_identity want;
    mf_identity_from_config(&want, MF_STAGE_ROIS, c);
    if (mf_identity_read_file(path, "ROI set", have, e)) return -1;
    return mf_identity_refuse(path, have, &want, MF_IDCMP_CONFIG, "made with another configuration",
                              "run `mammofuse rois` with this config and --out first", e);
}

/* Inputs shared by all ranks: ROI set, weights, plan. */
typedef struct extract_inputs {
    mf_roiset rois;
    mf_vgg_weights w;
    mf_vgg_arch arch; /* the blocks run */
    mf_plan_params pp;
    mf_plan_segment *segs; /* the plan by ROI: rows are made when needed */
    int nseg;
    int64_t n;
    mf_identity identity;
    char weights_sha[65];
} extract_inputs;

static void inputs_free(extract_inputs *in) {
    mf_roiset_free(&in->rois);
    mf_vgg_weights_free(&in->w);
    free(in->segs);
}

static int inputs_load(const mf_config *c, const char *out, extract_inputs *in, mf_err *e) {
    memset(in, 0, sizeof *in);
    char path[MF_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/rois.h5", out);
    if (!mf_exists(path)) return mf_fail(e, "%s: missing (run `mammofuse rois` with this --out first)", path);
    mf_identity rois_id;
    if (check_rois(c, path, &rois_id, e) || mf_rois_read(path, &in->rois, NULL, e)) return -1;
    if (mf_extract_load_weights(c, &in->w, in->weights_sha, e)) return -1;
    int have = in->w.arch.n_blocks, want = c->backbone.blocks ? c->backbone.blocks : have;
    if (mf_tower_blocks_refuse(c, have, 0, e)) return -1;
    if (mf_vgg_arch_init(&in->arch, in->w.arch.depth, want, e) || mf_vgg_arch_check(&in->arch, c->patches.side, e))
        return -1;
    mf_extract_plan_params(c, &in->pp);
    if (mf_plan_check(&in->pp, in->rois.size, e)) return -1;
    in->n = mf_plan_count(&in->pp, &in->rois);
    if (in->n == 0) return mf_fail(e, "patches: the plan is empty (no draws and no grid for any ROI)");
    in->segs = malloc(sizeof(mf_plan_segment) * (size_t)(in->rois.n ? in->rois.n : 1));
    if (!in->segs) return mf_fail(e, "patches: out of memory");
    in->nseg = mf_plan_segments(&in->pp, &in->rois, in->segs);
    if (store_identity(c, &rois_id, in->weights_sha, want, in->n, &in->identity))
        return mf_fail(e, "extract: internal: the store's identity does not fit");
    return 0;
}

static void plan_rows(void *ctx, int64_t first, int64_t count, mf_patch *out) {
    const extract_inputs *in = ctx;
    mf_plan_rows(&in->pp, &in->rois, in->segs, in->nseg, first, count, out);
}

/* One chunk: its rows of the plan, through the shared path (jobs/extract_compute.h). */
static int compute_chunk(const mf_config *c, const extract_inputs *in, mf_extract_bufs *b, int64_t first, int rows,
                         mf_err *e) {
    plan_rows((void *)in, first, rows, b->rows);
    return mf_extract_compute(c, &in->rois, &in->w, b, rows, e);
}

/* Leaves a setup that failed on some rank (every rank, together). */
static int setup_failed(mf_fstore *fs, uint8_t *done, int64_t *pending, extract_inputs *in) {
    mf_fstore_close(fs);
    free(done);
    free(pending);
    inputs_free(in);
    return MF_EXIT_FAIL;
}

int mf_extract_make(const mf_config *c, const char *out, MPI_Comm comm) {
    int rank, size;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    mf_signals_install();
    mf_err e = {{0}};
    extract_inputs in;
    int failed = inputs_load(c, out, &in, &e);
    if (mf_any_failed(comm, failed, &e)) {
        inputs_free(&in);
        return MF_EXIT_FAIL;
    }
    char final[MF_PATH_MAX + 32], partial[MF_PATH_MAX + 48];
    snprintf(final, sizeof final, "%s/features.h5", out);
    snprintf(partial, sizeof partial, "%s.partial", final);
    mf_fstore_desc d = {in.n, c->extract.batch, in.arch.n_blocks, c->extract.dtype, {0},
                        &in.identity, NULL, in.weights_sha, NULL};
    for (int k = 0; k < in.arch.n_blocks; k++) d.C[k] = in.arch.widths[k];
    char backbone[64];
    snprintf(backbone, sizeof backbone, "%s blocks 1-%d", mf_vgg_arch_name(&in.arch), in.arch.n_blocks);
    d.backbone = backbone;
    char *cfg = mf_config_dump_upto(c, MF_STAGE_EXTRACT);
    d.config = cfg;
    if (!cfg) failed = mf_fail(&e, "extract: out of memory");
    /* A finished store: up to date if made from the same inputs, else refused. */
    int state = 0; /* 0 new, 1 resume, 2 up to date */
    if (!failed && rank == 0 && mf_exists(final)) {
        mf_fstore ro;
        if (mf_fstore_open_ro(&ro, final, &e)) failed = 1;
        else {
            mf_identity have;
            failed = mf_fstore_identity(&ro, &have, &e) ||
                     mf_identity_refuse(final, &have, &in.identity, MF_IDCMP_ALL, "made from other inputs",
                                        "remove it or use another --out", &e);
            if (!failed) state = 2;
            mf_fstore_close_ro(&ro);
        }
    } else if (!failed && rank == 0 && mf_exists(partial))
        state = 1;
    MPI_Bcast(&state, 1, MPI_INT, 0, comm);
    if (mf_any_failed(comm, failed, &e) || state == 2) {
        if (state == 2) mf_say(comm, "extract: %s is up to date (%lld patches)\n", final, (long long)in.n);
        free(cfg);
        inputs_free(&in);
        return failed ? MF_EXIT_FAIL : MF_EXIT_OK;
    }
    mf_fstore fs;
    failed = 0;
    if (state == 1) {
        failed = mf_fstore_open_resume(&fs, partial, comm, &d, &e);
        if (failed == MF_FSTORE_UNFINISHED) {
            /* The identity is written last: this creation never finished. */
            mf_say(comm, "extract: %s has no identity (its creation never finished): starting over\n",
                   partial);
            state = 0;
        }
    }
    if (state == 0) failed = mf_fstore_create(&fs, partial, comm, &d, plan_rows, &in, &e);
    free(cfg);
    if (mf_any_failed(comm, failed, &e)) {
        inputs_free(&in);
        return MF_EXIT_FAIL;
    }
    uint8_t *done = malloc((size_t)fs.n_chunks);
    int64_t *pending = malloc(sizeof(int64_t) * (size_t)fs.n_chunks);
    failed = !done || !pending ? mf_fail(&e, "extract: out of memory for %lld chunks", (long long)fs.n_chunks) : 0;
    if (mf_any_failed(comm, failed, &e)) return setup_failed(&fs, done, pending, &in);
    failed = mf_fstore_read_done(&fs, done, &e);
    int64_t npending = 0, rows_done = 0;
    for (int64_t k = 0; k < fs.n_chunks; k++) {
        if (!done[k]) pending[npending++] = k;
        else rows_done += mf_fstore_chunk_rows(&fs, k);
    }
    /* Contiguous slices of the pending chunks, one per rank. */
    int64_t lo = npending * rank / size, hi = npending * (rank + 1) / size;
    int64_t rounds = (npending + size - 1) / size;
    mf_extract_bufs bufs;
    if (!failed) failed = mf_extract_bufs_init(&bufs, &in.arch, c->patches.side, c->extract.batch, c->extract.conv, &e);
    if (mf_any_failed(comm, failed, &e)) return setup_failed(&fs, done, pending, &in);
    if (state == 1)
        mf_say(comm, "extract: resuming %s: %lld of %lld chunks done\n", partial, (long long)(fs.n_chunks - npending),
               (long long)fs.n_chunks);
    mf_say(comm, "extract: %lld patches of %s, %d ranks, batch %d, %.2f GFLOP per patch\n", (long long)in.n, backbone,
           size, c->extract.batch, mf_vgg_flops(&in.arch, c->patches.side) / 1e9);
    mf_say(comm, "extract: %d thread%s per rank (OPENBLAS_NUM_THREADS, else OMP_NUM_THREADS, else the CPUs)\n",
           bufs.ws.threads, bufs.ws.threads == 1 ? "" : "s");
    mf_progress prog;
    mf_progress_start(&prog, "extract", "patches", in.n, rows_done, rank == 0);
    int stopped = 0;
    for (int64_t r = 0; r < rounds && !failed; r++) {
        int64_t k = lo + r < hi ? pending[lo + r] : -1;
        int rows = k >= 0 ? mf_fstore_chunk_rows(&fs, k) : 0;
        if (k >= 0) failed = compute_chunk(c, &in, &bufs, k * fs.chunk, rows, &e);
        if (mf_any_failed(comm, failed, &e)) {
            failed = 1;
            break;
        }
        failed = mf_fstore_write_chunks(&fs, k, bufs.data, &e);
        if (mf_any_failed(comm, failed, &e)) {
            failed = 1;
            break;
        }
        long long mine = rows, all = 0;
        MPI_Allreduce(&mine, &all, 1, MPI_LONG_LONG, MPI_SUM, comm);
        rows_done += all;
        mf_progress_update(&prog, rows_done);
        if (r + 1 < rounds && mf_stop_agreed(comm)) {
            stopped = 1;
            break;
        }
    }
    int64_t total = in.n;
    mf_extract_bufs_free(&bufs);
    free(done);
    free(pending);
    inputs_free(&in);
    if (failed) {
        /* The .partial stays: its done flags name the chunks on disk. */
        mf_fstore_close(&fs);
        return MF_EXIT_FAIL;
    }
    /* The last metadata reaches the disk in the close: only a store closed
     * without error is renamed (else the .partial stays, as after any
     * failure once it was created, and the next run resumes or refuses it). */
    failed = mf_fstore_finish(&fs, &e);
    if (mf_any_failed(comm, failed, &e)) return MF_EXIT_FAIL;
    mf_progress_end(&prog, rows_done);
    if (stopped) {
        mf_say(comm, "extract: interrupted: %lld of %lld patches stored in %s; run the same command again to resume\n",
               (long long)rows_done, (long long)total, partial);
        return MF_EXIT_INTERRUPTED;
    }
    if (rank == 0) mf_fault_point("rename");
    if (rank == 0 && rename(partial, final))
        failed = mf_fail(&e, "%s: cannot rename to %s: %s", partial, final, strerror(errno));
    if (mf_any_failed(comm, failed, &e)) return MF_EXIT_FAIL;
    mf_say(comm, "extract: wrote %s\n", final);
    return MF_EXIT_OK;
}

int mf_job_extract(int argc, char **argv) {
    mf_args a;
    if (mf_args_parse(argc, argv, NULL, &a)) return MF_EXIT_USAGE;
    if (a.help) {
        static const char *const keys[] = {"seed", "backbone.", "patches.", "extract.", NULL};
        mf_args_help("extract", "CONFIG.yaml [--set key=value]... [--out RUN_DIR]",
                     "Runs the frozen VGG tower over every patch of the plan (random draws and the fixed grid\n"
                     "of each ROI of RUN_DIR/rois.h5) and stores per block the summaries mean, meansq and\n"
                     "pool2x2 in RUN_DIR/features.h5, written collectively by all ranks. SIGTERM/SIGUSR1:\n"
                     "finishes the chunk in hand and exits 75; the same command resumes. A store made from\n"
                     "other weights, backbone or plan is refused, never mixed.\n"
                     "Threads: each rank runs the convolutions on OPENBLAS_NUM_THREADS threads (else\n"
                     "OMP_NUM_THREADS, else the CPUs it may use); the stored bits do not depend on ranks,\n"
                     "threads or batch. Fastest: one rank per core (OPENBLAS_NUM_THREADS=1 mpirun -n <cores>).",
                     keys);
        return MF_EXIT_OK;
    }
    mf_config c;
    if (mf_args_config(&a, &c)) return MF_EXIT_FAIL;
    if (mf_run_lock(MPI_COMM_WORLD, 1, (const char *const[]){a.out}, 0)) return MF_EXIT_FAIL;
    return mf_extract_make(&c, a.out, MPI_COMM_WORLD);
}
