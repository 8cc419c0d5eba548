/* textdiff.h: the first differing line of two "key: value" texts (configs,
 * store identities), for refusal messages that say what differs. */
#ifndef MF_TEXTDIFF_H
#define MF_TEXTDIFF_H
#include <stddef.h>

/* "<what> has '<line>', this run needs '<line>'" (lines cut at 120 chars). */
void mf_text_diff(const char *what, const char *have, const char *want, char *buf, size_t len);

#endif
