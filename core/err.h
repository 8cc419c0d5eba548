/* err.h: one-line error messages carried up the call chain.
 * Every fallible function takes an mf_err* and returns 0 on success or -1
 * after mf_fail() has written one line: "<file>: <place>: <what was expected>"
 * for inputs, or "<what>: <why>" for computations. The job prints it once. */
#ifndef MF_ERR_H
#define MF_ERR_H

typedef struct mf_err {
    char msg[1024];
} mf_err;

/* Formats the message (printf-style) into e (if not NULL), control
 * characters written as C escapes ("\n", "\x01") so that it stays one line
 * whatever it quotes; returns -1. */
int mf_fail(mf_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
