/* fuzz_info.c: the MIAS Info.txt parser (io/mias_info.c) on any text: rows
 * within the documented ranges, or one error line naming the file. */
#include "fuzz.h"
#include "io/mias_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* the parser's contract: len bytes, then a NUL (io/readall.h) */
    char *text = malloc(size + 1);
    if (!text) return 0;
    if (size) memcpy(text, data, size);
    text[size] = 0;
    mf_info_row *rows = NULL;
    int n = -1;
    mf_err e = {""};
    if (mf_info_parse("Info.txt", text, size, &rows, &n, &e) == 0) {
        if (n < 0) abort();
        for (int i = 0; i < n; i++) {
            const mf_info_row *r = &rows[i];
            if (r->has_xy && (r->x < 1 || r->x > 1024 || r->y < 1 || r->y > 1024)) abort();
            if (strnlen(r->ref, sizeof r->ref) == sizeof r->ref || strnlen(r->cls, sizeof r->cls) == sizeof r->cls)
                abort();
        }
        free(rows);
    } else
        fz_check_msg(e.msg, "Info.txt");
    free(text);
    return 0;
}
