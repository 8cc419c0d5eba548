/* err.c: see err.h. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>

int mf_fail(mf_err *e, const char *fmt, ...) {
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}
