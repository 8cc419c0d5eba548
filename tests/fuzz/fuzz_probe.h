/* fuzz_probe.h: the weights harness's side of io/weights_probe.h. The
 * product reads an untrusted weights file in a child process first; the
 * harness does the same, in a probe server forked from it (no MPI here; one
 * fork, not one per input: see fz_server_start), so that the fuzzer
 * measures the product's behaviour, and tells libhdf5's faults, which the
 * probe contains, from the project's bugs, which must still be found:
 *
 *  - In the server, a sanitizer report (ASan's, UBSan's) ends it with
 *    FZ_CHILD_DIED (the death callback), not libFuzzer's handlers (no
 *    crash- or oom- artifact of its input); its report goes to a scratch
 *    file. A server over the timeout (CPU time) gets SIGABRT, which ASan
 *    (handle_abort=1, run.sh) turns into a report with the stack where it was.
 *  - The report is the project's bug (a finding: the harness prints it and
 *    aborts, a crash for libFuzzer) unless it is ASan's and every stack in
 *    it (access, allocation, free) reaches libhdf5 before any frame of the
 *    project's code: a buffer of ours overrun inside libhdf5 is ours.
 *    UBSan only instruments our code: always a finding. Contained faults
 *    print one line "fuzz: libhdf5 fault contained (...)", which run.sh
 *    counts per run; the next input gets a new server.
 *  - An input the server survived (read or refused) is then read
 *    in-process, under ASan/UBSan and LeakSanitizer as before (and with
 *    libFuzzer's coverage: the server's is lost with it); the two verdicts
 *    must agree. */
#ifndef MF_TEST_FUZZ_PROBE_H
#define MF_TEST_FUZZ_PROBE_H
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/h5util.h"
#include "io/weights_probe.h"

#ifndef MF_SRC_DIR
#define MF_SRC_DIR "/nonexistent-source-dir"
#endif

#define FZ_CHILD_DIED 86 /* a sanitizer report ended the child */

/* Not instrumented for coverage: the harness's own work here (a report's
 * lines parsed, a server restarted) is no coverage of the reader's, and
 * counted as such it made libFuzzer keep and mutate every input that
 * crashed libhdf5 (6% of the executions, each a new server) */
#if defined(__clang__)
#define FZ_NOCOV __attribute__((no_sanitize("coverage")))
#else
#define FZ_NOCOV
#endif

/* Weak: present with a sanitizer runtime, NULL in a plain gcc replay. */
void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

FZ_NOCOV static void fz_child_died(void) { _exit(FZ_CHILD_DIED); }

/* The project's code in this binary: from the lowest of a few of its
 * functions (the harness, io/, core/) to the end of the text (etext). The
 * clang driver links the sanitizer runtimes and libFuzzer first, below it
 * (checked: else no range, and only symbolized source paths decide). With
 * it a report need not be symbolized (run.sh: symbolize=0): a shared, warm
 * llvm-symbolizer hung when a server and the harness used it at once, and a
 * server's own took 0.5 s per report. */
extern char etext;
FZ_NOCOV static inline int fz_is_ours(uintptr_t pc) {
    static uintptr_t lo = 1, hi = 0;
    static int init;
    if (!init) {
        init = 1;
        uintptr_t f[] = {(uintptr_t)&LLVMFuzzerTestOneInput, (uintptr_t)&mf_weights_read, (uintptr_t)&mf_fail,
                         (uintptr_t)&mf_weights_probe_child, (uintptr_t)&mf_h5_begin, (uintptr_t)&fz_child_died};
        uintptr_t m = f[0];
        for (size_t i = 1; i < sizeof f / sizeof *f; i++) m = f[i] < m ? f[i] : m;
        uintptr_t rt = (uintptr_t)__sanitizer_set_death_callback; /* a runtime function, if any */
        if (rt && rt < m) lo = m, hi = (uintptr_t)&etext;
    }
    return pc >= lo && pc < hi;
}

/* 1 if report is ASan's and each of its stacks reaches libhdf5 (or zlib)
 * before the project's code (a pc of fz_is_ours, or a frame
 * "in f /src/io/x.c:29"). */
FZ_NOCOV static inline int fz_libhdf5_first(const char *report) {
    if (!strstr(report, "ERROR: AddressSanitizer") || strstr(report, "runtime error")) return 0;
    int stacks = 0, decided = 0; /* per stack: 0 not yet, 1 libhdf5, -1 ours or none */
    for (const char *l = report; *l;) {
        const char *end = strchr(l, '\n');
        size_t n = end ? (size_t)(end - l) : strlen(l);
        char line[2048];
        snprintf(line, sizeof line, "%.*s", (int)(n < sizeof line - 1 ? n : sizeof line - 1), l);
        const char *s = line + strspn(line, " ");
        if (s[0] == '#') {
            if (!strncmp(s, "#0 ", 3)) { /* a new stack: the last one must have been libhdf5's */
                if (stacks && decided != 1) return 0;
                stacks++, decided = 0;
            }
            unsigned long long pc = 0;
            sscanf(s, "#%*d 0x%llx", &pc);
            /* zlib: libhdf5's deflate filter is its only caller here (a free
             * in zlib's inflateEnd ends its stack: no frame pointers) */
            if (!decided && (strstr(s, "libhdf5") || strstr(s, "/libz.so"))) decided = 1;
            else if (!decided && fz_is_ours((uintptr_t)pc)) decided = -1;
            /* a source file of ours, " /src/io/x.c:29" (a module, build
             * folders included, is in parentheses: "(/src/build/fuzz_x+0x1)") */
            else if (!decided && strstr(s, " " MF_SRC_DIR "/")) decided = -1;
        }
        l += n + (end != NULL);
    }
    return stacks > 0 && decided == 1;
}

/* The first line of report starting with "SUMMARY:" (or its first line). */
FZ_NOCOV static inline void fz_summary(const char *report, char *out, size_t len) {
    const char *s = strstr(report, "SUMMARY:");
    if (!s) s = strstr(report, "ERROR:");
    if (!s) s = report;
    size_t n = strcspn(s, "\n");
    snprintf(out, len, "%.*s", (int)(n < len - 1 ? n : len - 1), s);
}

/* CPU seconds (user + system) that process pid has used; -1 if unknown. */
FZ_NOCOV static inline double fz_cpu_seconds(pid_t pid) {
    char p[64], buf[1024];
    snprintf(p, sizeof p, "/proc/%ld/stat", (long)pid);
    FILE *f = fopen(p, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f) fclose(f);
    buf[n] = 0;
    const char *s = strrchr(buf, ')'); /* after the command name */
    unsigned long long ut = 0, st = 0;
    if (!s || sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2) return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* The probe server: a child forked once (a fork per input cost 12 ms on this
 * virtual machine, 50x the read: 16 executions/s) that probes the inputs
 * one by one, each exactly as the product's child does
 * (mf_weights_probe_child), until it dies (a libhdf5 fault: then the next
 * input forks a new one) or has served FZ_SERVER_INPUTS. Requests are
 * paths, one a line; each answer is the refusal line (may be empty), then
 * "\x1e" and the exit status and "\n" (mf_fail escapes control characters,
 * so "\x1e" cannot be in a message). */
#define FZ_SERVER_INPUTS 20000
static pid_t fz_srv = -1;
static int fz_req = -1, fz_ans = -1, fz_served;
static char fz_errpath[300];

FZ_NOCOV static inline void fz_server_stop(void) {
    if (fz_srv < 0) return;
    close(fz_req), close(fz_ans); /* EOF: it exits */
    while (waitpid(fz_srv, NULL, 0) < 0 && errno == EINTR) {
    }
    fz_srv = -1;
}

/* MF_FUZZ_SELFTEST=overflow|hang: a bug of the project's own in the
 * server (a heap over-read, an endless loop), which must be a finding
 * (tests/fuzz/README.md shows both). */
FZ_NOCOV static inline void fz_selftest(void) {
    static const char *t;
    static int read_env;
    if (!read_env) t = getenv("MF_FUZZ_SELFTEST"), read_env = 1;
    if (!t) return;
    if (!strcmp(t, "overflow")) {
        volatile char *b = malloc(8);
        volatile size_t i = 8; /* opaque to the compiler's bounds warning */
        volatile char c = b[i];
        (void)c;
        free((void *)b);
    } else if (!strcmp(t, "hang")) {
        for (volatile unsigned long i = 0;; i++) {
        }
    }
}

FZ_NOCOV static inline void fz_server_start(void) {
    int req[2], ans[2];
    if (pipe(req) || pipe(ans)) {
        perror("fuzz: pipe");
        exit(2);
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fuzz: fork");
        exit(2);
    }
    if (pid == 0) {
        close(req[1]), close(ans[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* not left behind by a harness that ends */
        if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(fz_child_died);
        /* libFuzzer's handlers would write artifacts of the child's input */
        int sigs[] = {SIGALRM, SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGXFSZ, SIGILL};
        for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) signal(sigs[i], SIG_DFL);
        int err = open(fz_errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (err >= 0) dup2(err, 2);
        FILE *in = fdopen(req[0], "r");
        char line[1024];
        if (write(ans[1], "R", 1) != 1) _exit(2); /* ready: the parent's clock starts after this */
        while (in && fgets(line, sizeof line, in)) {
            line[strcspn(line, "\n")] = 0;
            fz_selftest();
            int rc = mf_weights_probe_child(line, 0, 0, ans[1]);
            char tail[8];
            int k = snprintf(tail, sizeof tail, "\x1e%d\n", rc);
            if (write(ans[1], tail, (size_t)k) != k) _exit(2);
        }
        _exit(0);
    }
    close(req[0]), close(ans[1]);
    char r = 0;
    while (read(ans[0], &r, 1) < 0 && errno == EINTR) {
    }
    if (r != 'R') {
        fprintf(stderr, "fuzz: the probe server did not start\n");
        exit(2);
    }
    fz_srv = pid, fz_req = req[1], fz_ans = ans[0], fz_served = 0;
}

/* Reaps the server, which died or hung (late: it was sent SIGABRT), and
 * judges its report: 1 (and one line "fuzz: libhdf5 fault contained") if
 * libhdf5's, else prints it and aborts (a finding). */
FZ_NOCOV static inline int fz_server_died(int late, const char *what) {
    int st = 0;
    close(fz_req), close(fz_ans);
    while (waitpid(fz_srv, &st, 0) < 0 && errno == EINTR) {
    }
    fz_srv = -1;
    static char report[1 << 16];
    size_t n = 0;
    FILE *f = fopen(fz_errpath, "r");
    if (f) n = fread(report, 1, sizeof report - 1, f), fclose(f);
    report[n] = 0;
    char sum[512];
    fz_summary(report, sum, sizeof sum);
    if (WIFEXITED(st) && WEXITSTATUS(st) == FZ_CHILD_DIED && fz_libhdf5_first(report)) {
        fprintf(stderr, "fuzz: libhdf5 fault contained (%s): %s\n", what, sum);
        return 1;
    }
    if (!__sanitizer_set_death_callback && WIFSIGNALED(st)) { /* a plain build: nothing can tell whose */
        fprintf(stderr, "fuzz: libhdf5 fault contained (%s): killed by signal %d (no sanitizer in this build to "
                        "tell whose fault)\n", what, WTERMSIG(st));
        return 1;
    }
    fprintf(stderr, "fuzz: the probe server %s (status 0x%x), not inside libhdf5 first: a finding; its stderr:\n%s\n",
            late ? "hung" : "died", st, report);
    abort();
}

/* Reads path (the input's scratch file) as the product does, in the probe
 * server; returns its exit status (0 read, 1 refused: e has the line), or
 * -1 after a contained libhdf5 fault (e has the product's line). Aborts on
 * a finding. A hang is over `timeout` s of the server's CPU time (wall time
 * would call a server descheduled on a loaded machine hung; a stall in a
 * system call is left to libFuzzer's -timeout). */
FZ_NOCOV static inline int fz_weights_probe(const char *path, mf_err *e) {
    static double timeout = -1;
    if (timeout < 0) {
        if (mf_weights_probe_timeout(MF_WEIGHTS_PROBE_TIMEOUT_DEFAULT, &timeout, e)) {
            fprintf(stderr, "fuzz: %s\n", e->msg);
            exit(2);
        }
        signal(SIGPIPE, SIG_IGN); /* a server gone: EPIPE, below */
    }
    if (fz_srv >= 0 && fz_served >= FZ_SERVER_INPUTS) fz_server_stop();
    char req[1100];
    int k = snprintf(req, sizeof req, "%s\n", path);
    for (int tries = 0;; tries++) {
        if (fz_srv < 0) {
            snprintf(fz_errpath, sizeof fz_errpath, "%s.server-stderr", path);
            fz_server_start();
        }
        if (write(fz_req, req, (size_t)k) == k) break;
        /* it died after its last answer (cannot be this input's doing) */
        if (tries || fz_server_died(0, "between inputs") == 0) {
            perror("fuzz: probe server request");
            exit(2);
        }
    }
    fz_served++;
    char ans[sizeof e->msg + 16];
    size_t len = 0;
    int done = 0, late = 0;
    double cpu0 = fz_cpu_seconds(fz_srv);
    while (!done) {
        struct pollfd p = {fz_ans, POLLIN, 0};
        int r = poll(&p, 1, 50);
        if (r < 0 && errno != EINTR) break;
        if (r <= 0) {
            double cpu = fz_cpu_seconds(fz_srv);
            if (!late && cpu >= 0 && cpu0 >= 0 && cpu - cpu0 > timeout) {
                kill(fz_srv, SIGABRT); /* ASan's report says where it was (handle_abort=1) */
                late = 1;
            }
            continue;
        }
        ssize_t n = read(fz_ans, ans + len, sizeof ans - 1 - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; /* the server died */
        len += (size_t)n;
        ans[len] = 0;
        done = len >= 2 && ans[len - 1] == '\n' && strchr(ans, '\x1e');
        if (!done && len >= sizeof ans - 1) break;
    }
    if (done) {
        /* answered as the SIGABRT went out: the answer stands, that server goes */
        if (late) kill(fz_srv, SIGKILL), fz_server_stop();
        char *sep = strchr(ans, '\x1e');
        int rc = atoi(sep + 1);
        *sep = 0;
        if (rc == 0) return 0;
        mf_fail(e, "%s", ans);
        return 1;
    }
    fz_server_died(late, late ? "hang" : "crash");
    /* the product's line for it */
    if (late)
        mf_fail(e, "%s: not read within %g s (the HDF5 library stalled on it: a damaged file, or not Keras weights)", path,
                timeout);
    else
        mf_fail(e, "%s: the HDF5 library crashed reading it (a sanitizer report): a damaged file, or not Keras weights",
                path);
    return -1;
}

#endif
