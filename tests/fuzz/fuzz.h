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
        /* HDF5 recycles its blocks through free lists, but a list holding
         * more than 64 kB frees them: the metadata cache (about 1 MB,
         * allocated by every H5Fopen) was a fresh mmap under ASan each time,
         * its page faults 2/3 of an execution. Kept on the lists, it is
         * reused (libhdf5's own memory; the project's is still checked). */
        if (!getenv("MF_FUZZ_DEFAULT_FREE_LISTS")) /* to replay a finding without it */
            H5set_free_list_limits(64 << 20, 16 << 20, 64 << 20, 16 << 20, 64 << 20, 16 << 20);
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

/* A buffer of exactly bytes (so ASan still sees any overflow), one per
 * slot (0..3), kept across inputs while the size stays the same: the HDF5
 * readers fill buffers of megabytes (a head's 1.25 M parameters), which
 * under ASan were a fresh mmap, page faults and a memset at every
 * execution; the reader writes them whatever they held. NULL if it cannot
 * be had (the harness then skips that read). */
static inline void *fz_buf(int slot, size_t bytes) {
    static void *buf[4];
    static size_t cap[4];
    if (bytes != cap[slot] || !buf[slot]) {
        free(buf[slot]);
        buf[slot] = malloc(bytes ? bytes : 1);
        cap[slot] = buf[slot] ? bytes : 0;
    }
    return buf[slot];
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
