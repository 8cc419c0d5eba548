/* job_weights.c: `mammofuse weights`: VGG weights files without a download.
 *   weights random  --arch vgg16|vgg19 [--blocks K] --seed N -o F [--old-names]
 *   weights formula --arch vgg16|vgg19 [--blocks K] -o F [--old-names]
 *   weights info F
 * random: seeded He-uniform kernels, zero biases (demos, benchmarks);
 * formula: the golden data's formula weights (core/vgg_formula.h); both in
 * the Keras 2 notop layout that `extract` reads, written under a temporary
 * name and renamed when complete. info: the recognised tower and SHA-256.
 * Runs on rank 0; other ranks do nothing. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vgg.h"
#include "core/vgg_formula.h"
#include "io/weights.h"
#include "io/weights_probe.h"
#include "jobs/jobs.h"

static void usage(FILE *f) {
    fprintf(f,
            "usage: mammofuse weights random --arch vgg16|vgg19 [--blocks K] --seed N -o FILE [--old-names]\n"
            "       mammofuse weights formula --arch vgg16|vgg19 [--blocks K] -o FILE [--old-names]\n"
            "       mammofuse weights info FILE\n\n"
            "Writes VGG16/VGG19 conv-tower weights in the Keras 2 \"notop\" HDF5 layout that\n"
            "`mammofuse extract` reads (as the official ImageNet files), or describes one.\n"
            "  random   He-uniform kernels from the counter RNG keyed by --seed, zero biases:\n"
            "           for demos and benchmarks (speed does not depend on the values)\n"
            "  formula  the golden data's formula weights (data/golden/README.md)\n"
            "  info     prints arch, blocks, parameters and the file's SHA-256\n"
            "options:\n"
            "  --arch A      vgg16 or vgg19\n"
            "  --blocks K    a prefix tower of blocks 1..K (default 5)\n"
            "  --seed N      random: the seed (unsigned 64-bit)\n"
            "  -o FILE       output file (written as FILE.tmp.<pid>, renamed when complete)\n"
            "  --old-names   datasets named <layer>_W_1:0 / <layer>_b_1:0 as in the Keras release files\n"
            "A weights file (here and in extract/predict) is read in a child process first, so that a\n"
            "damaged file that crashes or stalls the HDF5 library is one line and exit 1; the child\n"
            "gets MF_WEIGHTS_PROBE_TIMEOUT seconds (default 60) and 512 MiB of memory.\n"
            "exit status: 0 done, 1 failed (one line on stderr), 2 usage\n");
}

static int bad_usage(const char *fmt, const char *arg) {
    fprintf(stderr, "mammofuse weights: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see mammofuse weights --help)\n");
    return MF_EXIT_USAGE;
}

/* Whole-string unsigned parse; 0 on success. */
static int parse_u64(const char *s, unsigned long long *v) {
    char *end = NULL;
    if (!s || !*s || *s == '-') return -1;
    *v = strtoull(s, &end, 10);
    return *end ? -1 : 0;
}

static int info(const char *path) {
    mf_err e = {{0}};
    mf_weights_info in;
    if (mf_weights_read_probed(path, 0, NULL, &in, &e)) { /* a hostile file: io/weights_probe.h */
        fprintf(stderr, "mammofuse weights: %s\n", e.msg);
        return MF_EXIT_FAIL;
    }
    mf_vgg_weights w; /* only for the parameter count */
    size_t params = 0;
    if (mf_vgg_weights_alloc(&w, &in.arch, &e) == 0) params = w.n_params, mf_vgg_weights_free(&w);
    printf("file %s\n", path);
    printf("arch %s%s\n", mf_vgg_arch_name(&in.arch), in.ambiguous ? " (blocks 1-2: the same shapes in vgg16)" : "");
    printf("blocks %d\n", in.arch.n_blocks);
    printf("layers %d\n", mf_vgg_n_layers(&in.arch));
    printf("params %zu\n", params);
    printf("bytes %lld\n", in.bytes);
    if (in.note[0]) printf("made_by %s\n", in.note);
    printf("sha256 %s\n", in.sha256);
    return MF_EXIT_OK;
}

static int make(int argc, char **argv) {
    const char *kind = argv[1], *arch = NULL, *out = NULL;
    unsigned long long seed = 0, blocks = 5;
    int have_seed = 0, style = MF_WEIGHTS_KERAS2;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--arch") && more) arch = argv[++i];
        else if (!strcmp(a, "-o") && more) out = argv[++i];
        else if (!strcmp(a, "--seed") && more) {
            if (parse_u64(argv[++i], &seed)) return bad_usage("--seed '%s': expected an unsigned integer", argv[i]);
            have_seed = 1;
        } else if (!strcmp(a, "--blocks") && more) {
            if (parse_u64(argv[++i], &blocks) || blocks < 1 || blocks > 5)
                return bad_usage("--blocks '%s': expected 1..5", argv[i]);
        } else if (!strcmp(a, "--old-names")) style = MF_WEIGHTS_OLD_NAMES;
        else if (!strcmp(a, "--arch") || !strcmp(a, "-o") || !strcmp(a, "--seed") || !strcmp(a, "--blocks"))
            return bad_usage("%s: missing value", a);
        else return bad_usage("unknown argument '%s'", a);
    }
    if (!arch) return bad_usage("%s: --arch vgg16|vgg19 is required", kind);
    if (!out) return bad_usage("%s: -o FILE is required", kind);
    int random = !strcmp(kind, "random");
    if (random && !have_seed) return bad_usage("%s: --seed N is required", kind);
    if (!random && have_seed) return bad_usage("%s: --seed applies to random weights only", kind);
    mf_err e = {{0}};
    mf_vgg_arch a;
    if (mf_vgg_arch_parse(&a, arch, (int)blocks, &e)) return bad_usage("%s", e.msg);
    mf_vgg_weights w;
    if (mf_vgg_weights_alloc(&w, &a, &e)) {
        fprintf(stderr, "mammofuse weights: %s\n", e.msg);
        return MF_EXIT_FAIL;
    }
    char note[128];
    if (random) {
        mf_vgg_weights_random(&w, seed);
        snprintf(note, sizeof note, "mammofuse weights random --arch %s --blocks %d --seed %llu", arch, a.n_blocks,
                 seed);
    } else {
        mf_vgg_weights_formula(&w);
        snprintf(note, sizeof note, "mammofuse weights formula --arch %s --blocks %d", arch, a.n_blocks);
    }
    int rc = mf_weights_write(out, &w, style, note, &e);
    mf_vgg_weights_free(&w);
    if (rc) {
        fprintf(stderr, "mammofuse weights: %s\n", e.msg);
        return MF_EXIT_FAIL;
    }
    return info(out);
}

int mf_job_weights(int argc, char **argv) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank != 0) return MF_EXIT_OK;
    if (argc < 2) {
        usage(stderr);
        return MF_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return MF_EXIT_OK;
    }
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return MF_EXIT_OK;
        }
    if (!strcmp(cmd, "info")) {
        if (argc != 3) return bad_usage("%s: expected exactly one FILE", "info");
        return info(argv[2]);
    }
    if (!strcmp(cmd, "random") || !strcmp(cmd, "formula")) return make(argc, argv);
    return bad_usage("unknown command '%s': expected random, formula or info", cmd);
}
