/* synth_source.c: see synth_source.h. The rows are rendered as Info.txt
 * text and parsed by the same reader as the real file. */
#include "jobs/synth_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/synth.h"

int mf_synth_source_rows(const mf_config *c, mf_info_row **rows, int *n, mf_err *e) {
    int count = c->data.synth_images;
    size_t cap = 64 + (size_t)count * MF_SYNTH_MAX_LESIONS * (MF_SYNTH_ROW_MAX + 2);
    char *text = malloc(cap);
    if (!text) return mf_fail(e, "synth: out of memory");
    size_t len = (size_t)snprintf(text, cap, "mammofuse synthetic demo\r\n\r\n");
    for (int id = 1; id <= count; id++) {
        char r[MF_SYNTH_MAX_LESIONS][MF_SYNTH_ROW_MAX];
        int k = mf_synth_info((uint64_t)c->seed, id, r, e);
        if (k < 0) {
            free(text);
            return -1;
        }
        for (int j = 0; j < k; j++) len += (size_t)snprintf(text + len, cap - len, "%s\r\n", r[j]);
    }
    int rc = mf_info_parse("synthetic Info.txt", text, len, rows, n, e);
    free(text);
    return rc;
}

int mf_synth_source_image(const mf_config *c, int image_id, mf_img8 *img, mf_err *e) {
    return mf_synth_image((uint64_t)c->seed, image_id, img, NULL, NULL, e);
}
