/* fault.c: see fault.h. */
#include "io/fault.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static int state;      /* 0 unread, 1 unset, 2 armed */
static char want[64];  /* the point's name */
static long at, seen;  /* the pass that stops, passes so far */

void mf_fault_point(const char *point) {
    if (state == 1) return;
    if (state == 0) {
        const char *v = getenv("MF_FAULT_AT");
        const char *colon = v ? strrchr(v, ':') : NULL;
        state = 1;
        if (!colon || colon == v || (size_t)(colon - v) >= sizeof want) return;
        memcpy(want, v, (size_t)(colon - v));
        want[colon - v] = 0;
        at = atol(colon + 1);
        if (at < 1) return;
        state = 2;
    }
    if (strcmp(point, want) || ++seen != at) return;
    raise(SIGSTOP);
}
