/* dir_lock.c: see dir_lock.h. */
#define _GNU_SOURCE
#include "io/dir_lock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "io/fsutil.h"

typedef struct held {
    int fd;
    char path[MF_PATH_MAX + 32];
} held;

static held *locks;
static int nlocks, caplocks;

/* "<anything>.tmp.<digits>" with digits other than our pid. */
static int stale_tmp(const char *name) {
    const char *p = strstr(name, ".tmp.");
    if (!p || p == name) return 0;
    const char *d = p + 5, *q = d;
    while (*q >= '0' && *q <= '9') q++;
    if (q == d || *q) return 0;
    return atol(d) != (long)getpid();
}

int mf_dir_clean_tmp(const char *dir, int tree) {
    DIR *D = opendir(dir);
    if (!D) return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(D))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char path[MF_PATH_MAX + 300];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(path, &st)) continue;
        if (S_ISDIR(st.st_mode)) {
            if (tree) n += mf_dir_clean_tmp(path, 1);
        } else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) && stale_tmp(de->d_name) && !unlink(path))
            n++;
    }
    closedir(D);
    return n;
}

/* Who holds the lock, from the file's text "pid host". */
static void holder(int fd, char *out, size_t len) {
    char buf[300] = "";
    ssize_t r = pread(fd, buf, sizeof buf - 1, 0);
    long pid = 0;
    char host[256] = "";
    if (r > 0 && sscanf(buf, "%ld %255s", &pid, host) == 2) snprintf(out, len, "pid %ld on host %s", pid, host);
    else snprintf(out, len, "starting up");
}

/* Room for one more descriptor: a sweep holds one per configuration. */
static void more_files(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY) return;
    if ((rlim_t)nlocks + 64 > rl.rlim_cur && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

int mf_dir_lock(const char *dir, int flags, mf_err *e) {
    struct stat st;
    if (stat(dir, &st)) {
        if (!(flags & MF_LOCK_CREATE)) return 0; /* nothing of ours there: the job reports the missing input */
        if (mf_mkdir_p(dir, e)) return -1;
    }
    if (nlocks == caplocks) {
        int cap = caplocks ? 2 * caplocks : 8;
        held *h = realloc(locks, sizeof *h * (size_t)cap);
        if (!h) return mf_fail(e, "%s: out of memory for its lock", dir);
        locks = h;
        caplocks = cap;
    }
    more_files();
    held *h = &locks[nlocks];
    snprintf(h->path, sizeof h->path, "%s/%s", dir, MF_LOCK_NAME);
    /* The holder removes the file at its end: a lock taken on a file that
     * was removed meanwhile protects nothing, so take it again on the new one. */
    for (;;) {
        h->fd = open(h->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (h->fd < 0) return mf_fail(e, "%s: cannot create the lock file %s: %s", dir, MF_LOCK_NAME, strerror(errno));
        if (flock(h->fd, LOCK_EX | LOCK_NB)) {
            int err = errno;
            char who[300];
            holder(h->fd, who, sizeof who);
            close(h->fd);
            if (err == EWOULDBLOCK)
                return mf_fail(e, "%s: in use by another mammofuse job (%s); wait for it or use another --out", dir, who);
            return mf_fail(e, "%s: cannot lock %s: %s", dir, MF_LOCK_NAME, strerror(err));
        }
        struct stat a, b;
        if (!fstat(h->fd, &a) && !stat(h->path, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino) break;
        close(h->fd);
    }
    char text[300], host[256] = "?";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = 0;
    int n = snprintf(text, sizeof text, "%ld %s\n", (long)getpid(), host);
    /* Only for the message of a job that finds the folder in use: a full
     * disk here is not this job's failure (its own writes will say so). */
    if (ftruncate(h->fd, 0) == 0) {
        ssize_t w = pwrite(h->fd, text, (size_t)n, 0);
        (void)w;
    }
    nlocks++;
    mf_dir_clean_tmp(dir, (flags & MF_LOCK_TREE) != 0);
    return 0;
}

void mf_dir_unlock_all(void) {
    /* removed while still held, so no other job can have it meanwhile */
    for (int i = nlocks - 1; i >= 0; i--) {
        unlink(locks[i].path);
        close(locks[i].fd);
    }
    free(locks);
    locks = NULL;
    nlocks = caplocks = 0;
}
