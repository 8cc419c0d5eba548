/* check.h: the unit-test harness. Each test file is one executable; CHECK*
 * record failures with file:line and go on, check_done() prints the tally
 * and returns the exit status: 1 if a CHECK failed, and 1 too if none ran
 * (a test that checked nothing has not passed). Header-only so every test
 * stays one file. */
#ifndef MF_TEST_CHECK_H
#define MF_TEST_CHECK_H
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int check_pass_, check_fail_;

#define CHECK(cond) do { if (cond) check_pass_++; else { check_fail_++; \
    fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_MSG(cond, ...) do { if (cond) check_pass_++; else { check_fail_++; \
    fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); \
    fputc('\n', stderr); } } while (0)
#define CHECK_EQ_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
    if (a_ == b_) check_pass_++; else { check_fail_++; \
    fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, a_, #b, b_); } } while (0)
#define CHECK_NEAR(a, b, tol) do { double a_ = (double)(a), b_ = (double)(b); \
    if (fabs(a_ - b_) <= (tol)) check_pass_++; else { check_fail_++; \
    fprintf(stderr, "%s:%d: %s = %.9g, expected %.9g within %g\n", __FILE__, __LINE__, #a, a_, b_, (double)(tol)); } } while (0)

static inline int check_done(void) {
    printf("%d passed, %d failed\n", check_pass_, check_fail_);
    if (!check_pass_ && !check_fail_) {
        fprintf(stderr, "no CHECK ran: the test tested nothing\n");
        return 1;
    }
    return check_fail_ ? 1 : 0;
}
#endif
