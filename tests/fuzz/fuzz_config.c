/* fuzz_config.c: the YAML config reader with --set overrides (io/config.c)
 * on any input: the bytes before the first NUL are the YAML file; after it,
 * each line is one --set key=value. A config, or one error line naming the
 * file or the --set. */
#include "fuzz.h"
#include "io/config.h"

enum { MAX_SETS = 16 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const uint8_t *nul = memchr(data, 0, size);
    size_t ylen = nul ? (size_t)(nul - data) : size;
    const char *p = fz_file(data, ylen, ".yaml");
    char *sets[MAX_SETS];
    int nsets = 0;
    char *rest = NULL;
    if (nul) {
        size_t rlen = size - ylen - 1;
        rest = malloc(rlen + 1);
        if (!rest) return 0;
        memcpy(rest, nul + 1, rlen);
        rest[rlen] = 0;
        for (char *s = rest; s && *s && nsets < MAX_SETS;) {
            char *nl = strchr(s, '\n');
            if (nl) *nl = 0;
            sets[nsets++] = s;
            s = nl ? nl + 1 : NULL;
        }
    }
    mf_config c;
    mf_err e = {""};
    if (mf_config_load(&c, p, sets, nsets, &e) != 0) {
        /* errors name the file, or the --set (which starts "--set ") */
        if (!e.msg[0] || strchr(e.msg, '\n') || (!strstr(e.msg, p) && !strstr(e.msg, "--set"))) {
            fprintf(stderr, "fuzz: bad error message: '%s'\n", e.msg);
            abort();
        }
    }
    free(rest);
    return 0;
}
