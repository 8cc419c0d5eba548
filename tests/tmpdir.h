/* tmpdir.h: scratch folders for the io tests: a fresh mkdtemp folder under
 * /tmp, helpers to put small files in it, and recursive removal at the end,
 * so tests never touch the source tree or the real data. Header-only. */
#ifndef MF_TEST_TMPDIR_H
#define MF_TEST_TMPDIR_H
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates /tmp/mftest-XXXXXX; exits on failure (nothing can be tested). */
static inline char *tmp_make(void) {
    static char buf[64];
    snprintf(buf, sizeof buf, "/tmp/mftest-XXXXXX");
    if (!mkdtemp(buf)) {
        perror("mkdtemp");
        exit(2);
    }
    return buf;
}

/* dir/name into out (a static buffer per call site is the caller's). */
static inline const char *tmp_path(char *out, size_t n, const char *dir, const char *name) {
    snprintf(out, n, "%s/%s", dir, name);
    return out;
}

/* 1 if dir/name is there (a dangling link counts: lstat). */
static inline int tmp_exists(const char *dir, const char *name) {
    char p[1024];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return lstat(p, &st) == 0;
}

/* Writes len bytes to dir/name; returns the path in out. */
static inline const char *tmp_write(char *out, size_t n, const char *dir, const char *name,
                                    const void *bytes, size_t len) {
    tmp_path(out, n, dir, name);
    FILE *f = fopen(out, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len || fclose(f)) {
        perror(out);
        exit(2);
    }
    return out;
}

/* Text convenience: writes the NUL-terminated string s. */
static inline const char *tmp_write_str(char *out, size_t n, const char *dir, const char *name,
                                        const char *s) {
    return tmp_write(out, n, dir, name, s, strlen(s));
}

/* rm -rf dir (opendir/readdir: plain POSIX, unlike nftw). */
static inline void tmp_remove(const char *dir) {
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
            size_t n = strlen(dir) + strlen(de->d_name) + 2;
            char *p = malloc(n);
            struct stat st;
            if (!p) continue;
            snprintf(p, n, "%s/%s", dir, de->d_name);
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) tmp_remove(p);
            else remove(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* Substring test for error messages. */
static inline int has(const char *msg, const char *sub) { return strstr(msg, sub) != NULL; }

#endif
