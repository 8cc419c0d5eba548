/* contact_sheet.c: see contact_sheet.h. */
#include "core/contact_sheet.h"

#include <string.h>

enum { PAD = 4 }; /* frame (2 px) + gap (2 px) around each ROI */

void mf_contact_sheet_size(const mf_roiset *s, int cols, int *h, int *w) {
    int rows = (s->n + cols - 1) / cols;
    int cell = s->size + 2 * PAD;
    *w = cols * cell;
    *h = (rows ? rows : 1) * cell;
}

static void put(uint8_t *rgb, int w, int r, int c, const uint8_t col[3]) { memcpy(rgb + 3 * ((size_t)r * w + c), col, 3); }

void mf_contact_sheet_draw(const mf_roiset *s, int cols, uint8_t *rgb) {
    int h, w;
    mf_contact_sheet_size(s, cols, &h, &w);
    memset(rgb, 32, (size_t)h * (size_t)w * 3);
    static const uint8_t frame[MF_ROI_NCLASS][3] = {{32, 32, 32}, {255, 220, 0}, {255, 0, 0}, {255, 0, 255}};
    static const uint8_t dot[3][3] = {{0, 200, 0}, {60, 120, 255}, {255, 255, 255}};
    int cell = s->size + 2 * PAD;
    for (int i = 0; i < s->n; i++) {
        int r0 = (i / cols) * cell + PAD, c0 = (i % cols) * cell + PAD;
        const uint8_t *px = s->images + (size_t)i * (size_t)s->size * (size_t)s->size;
        for (int r = 0; r < s->size; r++)
            for (int c = 0; c < s->size; c++) {
                uint8_t g = px[r * s->size + c];
                uint8_t v[3] = {g, g, g};
                put(rgb, w, r0 + r, c0 + c, v);
            }
        const uint8_t *fc = frame[s->meta[i].cls < MF_ROI_NCLASS ? s->meta[i].cls : 0];
        for (int k = 1; k <= 2; k++)
            for (int t = -k; t < s->size + k; t++) {
                put(rgb, w, r0 - k, c0 + t, fc);
                put(rgb, w, r0 + s->size - 1 + k, c0 + t, fc);
                put(rgb, w, r0 + t, c0 - k, fc);
                put(rgb, w, r0 + t, c0 + s->size - 1 + k, fc);
            }
        const uint8_t *dc = dot[s->meta[i].split < 3 ? s->meta[i].split : 2];
        for (int r = 2; r < 8; r++)
            for (int c = 2; c < 8; c++) put(rgb, w, r0 + r, c0 + c, dc);
    }
}
