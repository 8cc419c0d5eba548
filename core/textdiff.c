/* textdiff.c: see textdiff.h. */
#include "core/textdiff.h"

#include <stdio.h>
#include <string.h>

void mf_text_diff(const char *what, const char *have, const char *want, char *buf, size_t len) {
    while (*have || *want) {
        size_t lh = strcspn(have, "\n"), lw = strcspn(want, "\n");
        if (lh != lw || strncmp(have, want, lh)) {
            snprintf(buf, len, "%s has '%.*s', this run needs '%.*s'", what, (int)(lh > 120 ? 120 : lh), have,
                     (int)(lw > 120 ? 120 : lw), want);
            return;
        }
        have += lh + (have[lh] == '\n');
        want += lw + (want[lw] == '\n');
    }
    snprintf(buf, len, "%s differs", what);
}
