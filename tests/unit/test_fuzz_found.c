/* test_fuzz_found.c: every failure the fuzzers found (tests/fuzz/README.md),
 * reproduced on the smallest input that shows it, so it stays fixed.
 *  1. fuzz_config: a YAML value holding a newline (a double-quoted "\n",
 *     or a plain scalar folded over lines) was echoed into the error
 *     message as is, making it two lines on stderr. Now every message
 *     escapes control characters (core/err.c).
 *  2. fuzz_weights: a damaged object header makes libhdf5 itself
 *     (H5C_protect) malloc 0xfe9ff57c7f000120 bytes; ASan aborts on such a
 *     size by default, while malloc returns NULL without it and HDF5 fails
 *     the open. Not a bug of the reader, which must then say so in one
 *     line; the fuzzers and this test run ASan with allocator_may_return_null
 *     (the input: tests/fuzz/corpus/weights/found-huge-alloc).
 *  3. fuzz_weights: libhdf5 1.10.8 itself over-reads the heap, allocates
 *     gigabytes or stalls on damaged Keras files (not the reader's bugs, and
 *     undefined behaviour that no in-process test can hold): the product now
 *     reads weights in a probe child first; those inputs
 *     (tests/fuzz/hdf5-found/weights/) are tests of the probe, in
 *     test_weights_probe.c and tests/cli/weights_probe.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/err.h"
#include "core/vgg.h"
#include "io/config.h"
#include "io/h5util.h"
#include "io/weights.h"
#include "tmpdir.h"

/* Read by ASan (CI's sanitizer build) before ASAN_OPTIONS: an allocation
 * of an absurd size returns NULL, as it does without ASan; and, as in
 * tests/fuzz/lsan.supp, the memory libhdf5 itself leaks on a failed open
 * is not this test's. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libhdf5_openmpi.so\nleak:libhdf5_serial.so\n"; }

static const char *dir;

/* Loads yaml (and sets) and expects one refusal line holding path and want. */
static void config_one_line(const char *name, const char *yaml, char *const *sets, int nsets, const char *want) {
    char p[512];
    tmp_write_str(p, sizeof p, dir, name, yaml);
    mf_config c;
    mf_err e = {""};
    CHECK_EQ_INT(mf_config_load(&c, p, sets, nsets, &e), -1);
    CHECK_MSG(strchr(e.msg, '\n') == NULL && strchr(e.msg, '\r') == NULL, "%s: several lines: %s", name, e.msg);
    CHECK_MSG(nsets || has(e.msg, p), "%s: message lacks the path: %s", name, e.msg);
    CHECK_MSG(has(e.msg, want), "%s: message lacks '%s': %s", name, want, e.msg);
}

static void test_err_escapes(void) {
    mf_err e;
    mf_fail(&e, "x.yaml: line %d: found '%s'", 3, "a\nb\rc\td\x01" "e\x7f");
    CHECK_MSG(!strcmp(e.msg, "x.yaml: line 3: found 'a\\nb\\rc\\td\\x01e\\x7f'"), "escaped: %s", e.msg);
    /* a long message is cut, still one line and terminated */
    char big[2000];
    memset(big, '\n', sizeof big - 1);
    big[sizeof big - 1] = 0;
    mf_fail(&e, "%s", big);
    CHECK(strlen(e.msg) < sizeof e.msg && strchr(e.msg, '\n') == NULL);
    mf_fail(NULL, "no message"); /* e may be NULL */
}

/* 2: the fuzzer's input as found (7.5 kB; a minimal HDF5 file with that
 * header would be no shorter to write here). */
static void test_weights_huge_alloc(void) {
    const char *src = getenv("MF_SRC");
    if (!src) src = ".";
    char p[1024];
    snprintf(p, sizeof p, "%s/tests/fuzz/corpus/weights/found-huge-alloc", src);
    mf_vgg_weights w;
    mf_weights_info info;
    mf_err e = {""};
    memset(&w, 0, sizeof w);
    CHECK_EQ_INT(mf_weights_read(p, 0, &w, &info, &e), -1);
    CHECK_MSG(strchr(e.msg, '\n') == NULL && has(e.msg, p), "one line naming the file: %s", e.msg);
    CHECK_MSG(has(e.msg, "cannot open as HDF5"), "the open refused: %s", e.msg);
}

int main(void) {
    mf_h5_begin();
    dir = tmp_make();
    test_weights_huge_alloc();
    test_err_escapes();
    /* the fuzzer's input, minimised: seed's value spans two lines */
    config_one_line("quoted.yaml", "seed: \"1\\nsource\"\n", NULL, 0, "found '1\\nsource'");
    config_one_line("folded.yaml", "seed: 1\n\n  source\n", NULL, 0, "found '1\\nsource'");
    char set[] = "split.mode=pa\nper";
    char *sets[] = {set};
    config_one_line("set.yaml", "seed: 1\n", sets, 1, "split.mode");
    tmp_remove(dir);
    mf_h5_end();
    return check_done();
}
