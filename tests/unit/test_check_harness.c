/* test_check_harness.c: the harness itself. A test that ran no CHECK has
 * tested nothing (a main that returns early, a loop over an empty list): its
 * check_done() must fail with a message, not pass. Run in a child process
 * with the tallies reset, so this file's own checks are not involved. */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/check.h"

/* Runs check_done() in a child with the given tallies; its exit status and
 * what it printed (stdout and stderr) into out. */
static int child_done(int pass, int failed, char *out, size_t len) {
    int fd[2];
    if (pipe(fd)) return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 1);
        dup2(fd[1], 2);
        check_pass_ = pass;
        check_fail_ = failed;
        int rc = check_done();
        fflush(stdout);
        fflush(stderr);
        _exit(rc);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t got;
    while (n + 1 < len && (got = read(fd[0], out + n, len - 1 - n)) > 0) n += (size_t)got;
    out[n] = 0;
    close(fd[0]);
    int st = 0;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) return -1;
    return WEXITSTATUS(st);
}

int main(void) {
    char out[512];
    int rc = child_done(0, 0, out, sizeof out);
    CHECK_MSG(rc == 1, "no CHECK ran: check_done() gave %d, expected 1 (output: %s)", rc, out);
    CHECK_MSG(strstr(out, "no CHECK ran") != NULL, "no CHECK ran: the message says '%s'", out);
    CHECK_EQ_INT(child_done(3, 0, out, sizeof out), 0);
    CHECK_EQ_INT(child_done(3, 1, out, sizeof out), 1);
    CHECK_EQ_INT(child_done(0, 2, out, sizeof out), 1);
    return check_done();
}
