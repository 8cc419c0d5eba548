/* test_weights_probe.c: the probe that reads an untrusted weights file in a
 * child process first (io/weights_probe.h).
 *  - The whole mechanism, with this binary as the child (main hands it the
 *    hidden argument, as jobs/main.c does): a good file reads and gives the
 *    same weights as mf_weights_read; a bad one is refused with exactly the
 *    in-process line; each input libhdf5 1.10.8 crashes, stalls or
 *    allocates gigabytes on (tests/fuzz/hdf5-found/weights/; one,
 *    use-after-free-inflate, kills a plain in-process read with SIGSEGV) is
 *    refused in one line naming the file, also under ASan (the child's
 *    report goes to /dev/null); a FIFO that never delivers data is refused after the
 *    timeout (MF_WEIGHTS_PROBE_TIMEOUT), and 0 s refuses any file; a bad
 *    MF_WEIGHTS_PROBE_TIMEOUT is one line naming it.
 *  - mf_probe_wait on children of sh: exit 0, a refusal line, a refusal
 *    without a line, another exit status, killed by SIGSEGV, and a child
 *    that never ends (killed at the timeout, in time). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/vgg.h"
#include "io/h5util.h"
#include "io/weights.h"
#include "io/weights_probe.h"
#include "tests/check.h"
#include "tests/tmpdir.h"

extern char **environ;

/* Under ASan (CI's sanitizer build; the child is this binary too): a malloc
 * of a size read from a damaged file fails as under the product's
 * address-space limit; libhdf5's own leaks are not this test's. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1:max_allocation_size_mb=512"; }
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libhdf5_openmpi.so\nleak:libhdf5_serial.so\n"; }

static char *dir;

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* mf_probe_wait on `sh -c script` (stdout to the pipe). */
static int sh_probe(const char *script, double timeout, mf_err *e, double *secs) {
    int fd[2];
    if (pipe(fd)) return -2;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    char *argv[] = {"sh", "-c", (char *)script, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc) return -2;
    double t0 = now_s();
    rc = mf_probe_wait(pid, fd[0], "F.h5", timeout, SIGKILL, NULL, NULL, e);
    if (secs) *secs = now_s() - t0;
    return rc;
}

static void test_wait(void) {
    mf_err e = {""};
    CHECK_EQ_INT(sh_probe("exit 0", 5, &e, NULL), 0);
    CHECK_EQ_INT(sh_probe("printf 'F.h5: layer x: expected y'; exit 1", 5, &e, NULL), -1);
    CHECK_MSG(!strcmp(e.msg, "F.h5: layer x: expected y"), "the child's line: %s", e.msg);
    CHECK_EQ_INT(sh_probe("exit 1", 5, &e, NULL), -1);
    CHECK_MSG(!strcmp(e.msg, "F.h5: the HDF5 library failed reading it (exit status 1, no message): a damaged file, "
                             "or not Keras weights"),
              "exit 1 without a line: %s", e.msg);
    CHECK_EQ_INT(sh_probe("exit 3", 5, &e, NULL), -1);
    CHECK_MSG(has(e.msg, "F.h5: the HDF5 library failed reading it (exit status 3, no message)"), "exit 3: %s", e.msg);
    CHECK_EQ_INT(sh_probe("kill -SEGV $$", 5, &e, NULL), -1);
    CHECK_MSG(has(e.msg, "F.h5: the HDF5 library crashed reading it (signal 11, Segmentation fault): a damaged file"),
              "killed by SIGSEGV: %s", e.msg);
    double secs = 0;
    CHECK_EQ_INT(sh_probe("exec sleep 30", 0.3, &e, &secs), -1);
    CHECK_MSG(!strcmp(e.msg, "F.h5: not read within 0.3 s (the HDF5 library stalled on it: a damaged file, or not "
                             "Keras weights; MF_WEIGHTS_PROBE_TIMEOUT sets the limit)"),
              "timeout: %s", e.msg);
    CHECK_MSG(secs >= 0.3 && secs < 10, "killed at the timeout: after %.2f s", secs);
    /* a line, then a crash: the crash is what is said */
    CHECK_EQ_INT(sh_probe("printf 'F.h5: partial'; kill -KILL $$", 5, &e, NULL), -1);
    CHECK_MSG(has(e.msg, "crashed reading it (signal 9"), "line then SIGKILL: %s", e.msg);
}

/* Blocks 1-2 of VGG16, formula weights. */
static const char *make_good(char *buf, size_t n) {
    mf_err e = {""};
    mf_vgg_arch a;
    mf_vgg_weights w;
    mf_vgg_arch_init(&a, 16, 2, &e);
    mf_vgg_weights_alloc(&w, &a, &e);
    for (size_t i = 0; i < w.n_params; i++) w.base[i] = (float)(i % 97) * 0.01f - 0.3f;
    tmp_path(buf, n, dir, "good.h5");
    CHECK_MSG(mf_weights_write(buf, &w, MF_WEIGHTS_KERAS2, NULL, &e) == 0, "write: %s", e.msg);
    mf_vgg_weights_free(&w);
    return buf;
}

static void test_product(void) {
    char good[512], p[512];
    make_good(good, sizeof good);
    mf_err e = {""}, e2 = {""};
    mf_vgg_weights w, r;
    mf_weights_info wi, ri;
    CHECK_MSG(mf_weights_read_probed(good, 0, &w, &wi, &e) == 0, "probed read: %s", e.msg);
    CHECK_MSG(mf_weights_read(good, 0, &r, &ri, &e) == 0, "read: %s", e.msg);
    CHECK(w.n_params == r.n_params && !memcmp(w.base, r.base, w.n_params * sizeof(float)));
    CHECK(!strcmp(wi.sha256, ri.sha256) && wi.arch.n_blocks == 2);
    mf_vgg_weights_free(&w);
    mf_vgg_weights_free(&r);
    /* refusals: exactly the in-process line */
    const char *bad[] = {"not-hdf5.h5", "missing.h5"};
    tmp_write_str(p, sizeof p, dir, bad[0], "not an HDF5 file\n");
    for (int i = 0; i < 2; i++) {
        tmp_path(p, sizeof p, dir, bad[i]);
        CHECK_EQ_INT(mf_weights_probe(p, 0, &e), -1);
        CHECK_EQ_INT(mf_weights_read(p, 0, NULL, NULL, &e2), -1);
        CHECK_MSG(!strcmp(e.msg, e2.msg), "probe '%s', in-process '%s'", e.msg, e2.msg);
    }
    /* the inputs libhdf5 itself fails on */
    const char *src = getenv("MF_SRC") ? getenv("MF_SRC") : ".";
    const char *found[] = {"overflow-attr-name", "huge-alloc-h5c-protect", "huge-alloc-h5dread", "stall-memset",
                           "use-after-free-inflate"};
    for (int i = 0; i < 5; i++) {
        snprintf(p, sizeof p, "%s/tests/fuzz/hdf5-found/weights/%s", src, found[i]);
        memset(&w, 0, sizeof w);
        CHECK_EQ_INT(mf_weights_read_probed(p, 0, &w, NULL, &e), -1);
        CHECK_MSG(!strchr(e.msg, '\n') && has(e.msg, p), "one line naming the file: %s", e.msg);
        CHECK(w.base == NULL);
        printf("refused: %s\n", e.msg);
    }
    /* a FIFO nobody writes: the child waits in open() for ever */
    tmp_path(p, sizeof p, dir, "fifo.h5");
    CHECK(mkfifo(p, 0600) == 0);
    setenv(MF_WEIGHTS_PROBE_TIMEOUT_ENV, "0.5", 1);
    double t0 = now_s();
    CHECK_EQ_INT(mf_weights_probe(p, 0, &e), -1);
    double secs = now_s() - t0;
    CHECK_MSG(has(e.msg, p) && has(e.msg, ": not read within 0.5 s (the HDF5 library stalled"), "FIFO: %s", e.msg);
    CHECK_MSG(secs >= 0.5 && secs < 10, "FIFO: refused after %.2f s", secs);
    unlink(p);
    setenv(MF_WEIGHTS_PROBE_TIMEOUT_ENV, "0", 1); /* no time: even a good file */
    CHECK_EQ_INT(mf_weights_probe(good, 0, &e), -1);
    CHECK_MSG(has(e.msg, good) && has(e.msg, "not read within 0 s"), "timeout 0: %s", e.msg);
    const char *bad_env[] = {"abc", "-1", "", "1e9", "nan"};
    for (int i = 0; i < 5; i++) {
        setenv(MF_WEIGHTS_PROBE_TIMEOUT_ENV, bad_env[i], 1);
        CHECK_EQ_INT(mf_weights_probe(good, 0, &e), -1);
        char want[128];
        snprintf(want, sizeof want, "environment variable MF_WEIGHTS_PROBE_TIMEOUT='%s': expected seconds", bad_env[i]);
        CHECK_MSG(has(e.msg, want), "bad timeout '%s': %s", bad_env[i], e.msg);
    }
    unsetenv(MF_WEIGHTS_PROBE_TIMEOUT_ENV);
    CHECK_EQ_INT(mf_weights_probe(good, 0, &e), 0);
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], MF_WEIGHTS_PROBE_ARG)) { /* the child, as in jobs/main.c */
        mf_h5_begin();
        _exit(mf_weights_probe_main(argc - 1, argv + 1));
    }
    mf_h5_begin();
    dir = tmp_make();
    unsetenv(MF_WEIGHTS_PROBE_TIMEOUT_ENV);
    test_wait();
    test_product();
    tmp_remove(dir);
    mf_h5_end();
    return check_done();
}
