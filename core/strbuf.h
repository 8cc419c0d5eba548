/* strbuf.h: a growing NUL-terminated string, for text built in pieces in
 * core/ (the report's SVG path data) without files. Out of memory is sticky:
 * further appends are dropped and oom stays set, so a caller checks once at
 * the end. */
#ifndef MF_CORE_STRBUF_H
#define MF_CORE_STRBUF_H
#include <stddef.h>

typedef struct mf_strbuf {
    char *s;       /* NULL until the first append */
    size_t len, cap;
    int oom;
} mf_strbuf;

/* printf-style append. */
void mf_sb_printf(mf_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text ("" when nothing was appended). */
const char *mf_sb_str(const mf_strbuf *b);
void mf_sb_free(mf_strbuf *b);

#endif
