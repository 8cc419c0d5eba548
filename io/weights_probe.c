/* weights_probe.c: see weights_probe.h. */
#define _GNU_SOURCE /* pipe2 */
#include "io/weights_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#if defined(__SANITIZE_ADDRESS__)
#define MF_PROBE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MF_PROBE_ASAN 1
#endif
#endif
#ifndef MF_PROBE_ASAN
#define MF_PROBE_ASAN 0
#endif

int mf_weights_probe_timeout(double dflt, double *seconds, mf_err *e) {
    const char *s = getenv(MF_WEIGHTS_PROBE_TIMEOUT_ENV);
    *seconds = dflt;
    if (!s) return 0;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !isfinite(v) || v < 0 || v > 1e6)
        return mf_fail(e, "environment variable %s='%s': expected seconds, a number from 0 to 1000000",
                       MF_WEIGHTS_PROBE_TIMEOUT_ENV, s);
    *seconds = v;
    return 0;
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* The process's mapped size (VmSize), in bytes; 0 if unknown. */
static unsigned long long vm_size(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmSize: %llu kB", &kb) == 1) break;
    if (f) fclose(f);
    return kb * 1024ull;
}

int mf_weights_probe_child(const char *path, int depth_hint, int limit_memory, int out_fd) {
    if (limit_memory && !MF_PROBE_ASAN) {
        /* What is mapped now (libraries, OpenBLAS's threads) + 512 MiB: the
         * largest tower (VGG19, 80 MB) with HDF5's buffers needs far less;
         * a size read from a damaged file (4 GB) then fails as a NULL malloc
         * that libhdf5 reports, instead of taking the node's memory. */
        unsigned long long vm = vm_size();
        if (vm) {
            struct rlimit r = {(rlim_t)(vm + (512ull << 20)), (rlim_t)(vm + (512ull << 20))};
            setrlimit(RLIMIT_AS, &r);
        }
    }
    mf_vgg_weights w;
    mf_err e = {{0}};
    int rc = mf_weights_read(path, depth_hint, &w, NULL, &e);
    if (rc == 0) {
        mf_vgg_weights_free(&w);
        return 0;
    }
    size_t n = strlen(e.msg);
    for (size_t off = 0; off < n;) { /* short: one write, but be exact */
        ssize_t k = write(out_fd, e.msg + off, n - off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        off += (size_t)k;
    }
    return 1;
}

int mf_weights_probe_main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "mammofuse %s: expected PATH DEPTH_HINT (internal: started by the weights reader)\n",
                MF_WEIGHTS_PROBE_ARG);
        return 2;
    }
    return mf_weights_probe_child(argv[1], atoi(argv[2]), 1, STDOUT_FILENO);
}

int mf_probe_wait(pid_t pid, int rfd, const char *path, double timeout_s, int kill_sig, int *status, int *timed_out,
                  mf_err *e) {
    char msg[sizeof e->msg];
    size_t len = 0;
    int eof = 0, late = 0, st = 0;
    double t0 = now_s(), deadline = t0 + timeout_s;
    /* the child's end closes the pipe: read until then or the deadline */
    while (!eof) {
        double left = (late ? deadline + 10 : deadline) - now_s();
        if (left <= 0) {
            if (late) break; /* 10 s after kill_sig: SIGKILL below */
            kill(pid, kill_sig);
            late = 1;
            continue;
        }
        struct pollfd p = {rfd, POLLIN, 0};
        int r = poll(&p, 1, (int)ceil(left * 1000));
        if (r < 0 && errno != EINTR) break;
        if (r <= 0) continue;
        char buf[512];
        ssize_t k = read(rfd, buf, sizeof buf);
        if (k < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (k <= 0) {
            eof = 1;
            break;
        }
        size_t take = (size_t)k < sizeof msg - 1 - len ? (size_t)k : sizeof msg - 1 - len;
        memcpy(msg + len, buf, take);
        len += take;
    }
    close(rfd);
    if (!eof) kill(pid, SIGKILL);
    pid_t got;
    while ((got = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {
    }
    msg[len] = 0;
    if (got != pid) /* reaped by someone else's SIGCHLD handler: no verdict */
        return mf_fail(e, "%s: cannot tell how the check of the weights file ended (waitpid: %s)", path,
                       strerror(errno));
    /* a child that ended by itself as the time ran out has its verdict */
    int verdict = WIFEXITED(st) && (WEXITSTATUS(st) == 0 || (WEXITSTATUS(st) == 1 && len > 0));
    if (status) *status = st;
    if (timed_out) *timed_out = late && !verdict;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 0;
    if (verdict) return mf_fail(e, "%s", msg);
    if (late)
        return mf_fail(e, "%s: not read within %g s (the HDF5 library stalled on it: a damaged file, or not Keras "
                          "weights; %s sets the limit)",
                       path, timeout_s, MF_WEIGHTS_PROBE_TIMEOUT_ENV);
    if (WIFSIGNALED(st))
        return mf_fail(e, "%s: the HDF5 library crashed reading it (signal %d, %s): a damaged file, or not Keras weights",
                       path, WTERMSIG(st), strsignal(WTERMSIG(st)));
    return mf_fail(e, "%s: the HDF5 library failed reading it (exit status %d, no message): a damaged file, or not "
                      "Keras weights",
                   path, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int mf_weights_probe(const char *path, int depth_hint, mf_err *e) {
    double timeout;
    if (mf_weights_probe_timeout(MF_WEIGHTS_PROBE_TIMEOUT_DEFAULT, &timeout, e)) return -1;
    int fd[2];
    if (pipe2(fd, O_CLOEXEC)) return mf_fail(e, "%s: cannot check the weights file: pipe: %s", path, strerror(errno));
    char depth[16];
    snprintf(depth, sizeof depth, "%d", depth_hint);
    char *argv[] = {"mammofuse", MF_WEIGHTS_PROBE_ARG, (char *)path, depth, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
    /* the child's only words are its verdict: a crash report of libc or a
     * sanitizer must not make the job's one line several */
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc) {
        close(fd[0]);
        return mf_fail(e, "%s: cannot check the weights file: cannot start /proc/self/exe: %s", path, strerror(rc));
    }
    return mf_probe_wait(pid, fd[0], path, timeout, SIGKILL, NULL, NULL, e);
}

int mf_weights_read_probed(const char *path, int depth_hint, mf_vgg_weights *w, mf_weights_info *info, mf_err *e) {
    if (w) memset(w, 0, sizeof *w);
    if (mf_weights_probe(path, depth_hint, e)) return -1;
    return mf_weights_read(path, depth_hint, w, info, e);
}
