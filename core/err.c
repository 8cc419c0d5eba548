/* err.c: see err.h. */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>

int mf_fail(mf_err *e, const char *fmt, ...) {
    if (e) {
        char raw[sizeof e->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        /* One line, whatever the input quoted in it holds (a YAML value
         * with a newline, a file name with a control character): control
         * characters are written as C escapes. Found by fuzzing. */
        size_t o = 0;
        for (const unsigned char *p = (const unsigned char *)raw; *p && o + 5 < sizeof e->msg; p++) {
            if (*p >= 0x20 && *p != 0x7f) e->msg[o++] = (char)*p;
            else if (*p == '\n') e->msg[o++] = '\\', e->msg[o++] = 'n';
            else if (*p == '\r') e->msg[o++] = '\\', e->msg[o++] = 'r';
            else if (*p == '\t') e->msg[o++] = '\\', e->msg[o++] = 't';
            else o += (size_t)snprintf(e->msg + o, sizeof e->msg - o, "\\x%02x", *p);
        }
        e->msg[o] = 0;
    }
    return -1;
}
