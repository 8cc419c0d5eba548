/* fuzz.h: what every fuzz harness (tests/fuzz/fuzz_*.c) shares. A harness
 * defines LLVMFuzzerTestOneInput(data, size), which feeds one input to one
 * of the project's readers and frees whatever it returned; built with clang
 * and -fsanitize=fuzzer it is a libFuzzer fuzzer, built with gcc and
 * replay_main.c it replays the files given as arguments (the ctest
 * fuzz.<reader> replays tests/fuzz/corpus/<reader>/ on every CI run).
 * The readers take paths, so the input goes to a scratch file first (in
 * /dev/shm when it exists: no disk I/O per execution). Header-only. */
#ifndef MF_TEST_FUZZ_H
#define MF_TEST_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/h5util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* HDF5 quiet (its error stack recorded, not printed) and without atexit
 * hooks, once per process. */
static inline void fz_init(void) {
    static int done;
    if (!done) {
        mf_h5_begin();
        done = 1;
    }
}

/* Writes data to this process's scratch file <dir>/mf-fuzz-<pid><ext> and
 * returns its path (static); exits if it cannot (nothing can be fuzzed). */
static inline const char *fz_file(const uint8_t *data, size_t size, const char *ext) {
    static char path[256];
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    snprintf(path, sizeof path, "%s/mf-fuzz-%ld%s", dir, (long)getpid(), ext);
    /* a new file (inode) each time: a damaged input may leave HDF5 holding
     * the previous one open, and HDF5 would take the same inode for the
     * same, already open file */
    unlink(path);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
        perror(path);
        exit(2);
    }
    return path;
}

/* Every reader's failure must be one line naming the file: a broken
 * promise is a crash for the fuzzer (abort), like a memory error. */
static inline void fz_check_msg(const char *msg, const char *path) {
    if (getenv("MF_FUZZ_VERBOSE")) fprintf(stderr, "refused: %s\n", msg); /* what a seed reaches */
    if (!msg[0] || strchr(msg, '\n') || !strstr(msg, path)) {
        fprintf(stderr, "fuzz: bad error message (empty, several lines, or without the path %s): '%s'\n", path, msg);
        abort();
    }
}

#endif
