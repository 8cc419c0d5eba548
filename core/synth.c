/* synth.c: see synth.h. Every random quantity is mf_rng_*(seed,
 * MF_STREAM_SYNTH, index) with index = image_id * 2^16 + slot, so images are
 * independent of each other and of the order they are drawn in. Rendering is
 * cheap by construction: the tissue texture is a sum of Gaussian blobs
 * evaluated on a coarse 129x129 grid and interpolated bilinearly, the breast
 * is found row by row, and per-pixel grain is one SplitMix64 mix. */
#include "core/synth.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"

static const double PI = 3.14159265358979323846;

enum {
    GRID = 129, /* texture grid points per axis */
    STEP = 8,   /* pixels between grid points: 128 * 8 = 1024 */
    /* RNG slots of an image */
    SLOT_BG = 0, SLOT_PAD, SLOT_CY, SLOT_A, SLOT_B, SLOT_PEC, SLOT_PEC_W, SLOT_PEC_H,
    SLOT_NLES, SLOT_SEV, SLOT_GRAIN,
    SLOT_LES_AMP = 20,  /* + lesion */
    SLOT_LES_PHASE = 24,/* + lesion */
    SLOT_BLOB = 100,    /* + 4 * blob + {row, col, sigma, amplitude} */
    SLOT_PLACE = 1000   /* + 2000 * lesion + 8 * try + {radius, row, col} */
};

#define U(seed, id, slot) mf_rng_unit((seed), MF_STREAM_SYNTH, ((uint64_t)(id) << 16) + (uint64_t)(slot))

int mf_synth_is_abnormal(uint64_t seed, int image_id) {
    if (image_id < 1) return 0;
    /* Two distinct positions out of each block of 5 ids; the block's draws
     * live above every image's index range (ids < 2^24). */
    uint64_t block = (uint64_t)(image_id - 1) / 5, base = ((uint64_t)1 << 40) + (block << 4);
    int pos = (image_id - 1) % 5;
    int p1 = (int)mf_rng_below(seed, MF_STREAM_SYNTH, base, 5);
    int p2 = (int)mf_rng_below(seed, MF_STREAM_SYNTH, base + 1, 4);
    if (p2 >= p1) p2++;
    return pos == p1 || pos == p2;
}

void mf_synth_plan(uint64_t seed, int n_images, int *abnormal) {
    for (int i = 0; i < n_images; i++) abnormal[i] = mf_synth_is_abnormal(seed, i + 1);
}

/* Distance from the chest wall of column c (negative outside). */
static double wall_dist(const mf_synth_layout *L, double c) {
    return L->right ? L->wall - c : c - L->wall;
}

static int inside(const mf_synth_layout *L, double r, double c) {
    double dc = wall_dist(L, c), dr = (r - L->cy) / L->a;
    return dc >= 0 && dr * dr + (dc / L->b) * (dc / L->b) <= 1.0 && r >= 0 && r < MF_SYNTH_SIDE &&
           c >= 0 && c < MF_SYNTH_SIDE;
}

/* Pectoral wedge coordinate: < 1 inside the wedge. */
static double pec_q(const mf_synth_layout *L, double r, double dc) {
    return L->pec_w > 0 ? dc / L->pec_w + r / L->pec_h : 2.0;
}

int mf_synth_in_breast(const mf_synth_layout *L, int r, int c) { return inside(L, r, c); }

/* A lesion of radius R at (r, dc) fits: a ring at R + 12 lies in the breast,
 * clear of the pectoral wedge and of the lesions already placed. */
static int fits(const mf_synth_layout *L, double r, double dc, int R) {
    double c = L->right ? L->wall - dc : L->wall + dc;
    if (r < 0 || r > MF_SYNTH_SIDE - 2) return 0;
    for (int k = 0; k < 16; k++) {
        double th = k * (2 * PI / 16), rr = r + (R + 12) * sin(th), cc = c + (R + 12) * cos(th);
        if (!inside(L, rr, cc) || pec_q(L, rr, wall_dist(L, cc)) < 1.1) return 0;
    }
    for (int j = 0; j < L->nlesions; j++) {
        double dr = r - (MF_SYNTH_SIDE - 1 - L->lesions[j].y), dx = c - (L->lesions[j].x - 1);
        if (sqrt(dr * dr + dx * dx) < R + L->lesions[j].radius + 20) return 0;
    }
    return 1;
}

int mf_synth_layout_of(uint64_t seed, int id, mf_synth_layout *L, mf_err *e) {
    if (id < 1 || id > MF_SYNTH_MAX_ID)
        return mf_fail(e, "synth: image id %d: expected 1..%d (mdbNNN)", id, MF_SYNTH_MAX_ID);
    memset(L, 0, sizeof *L);
    L->image_id = id;
    L->right = id % 2; /* MIAS: odd ids right breasts, even ids left */
    double u = U(seed, id, SLOT_BG);
    L->bg = u < 1.0 / 3 ? 'F' : u < 2.0 / 3 ? 'G' : 'D';
    /* MIAS images are centred in the matrix: the chest wall is inset. */
    int pad = (int)mf_rng_below(seed, MF_STREAM_SYNTH, ((uint64_t)id << 16) + SLOT_PAD, 161);
    L->wall = L->right ? MF_SYNTH_SIDE - 1 - pad : pad;
    L->cy = 440 + 150 * U(seed, id, SLOT_CY);
    L->a = 400 + 140 * U(seed, id, SLOT_A);
    L->b = 380 + 220 * U(seed, id, SLOT_B);
    if (U(seed, id, SLOT_PEC) < 0.6) {
        L->pec_w = 120 + 160 * U(seed, id, SLOT_PEC_W);
        L->pec_h = 250 + 250 * U(seed, id, SLOT_PEC_H);
    }
    if (!mf_synth_is_abnormal(seed, id)) return 0;
    int want = U(seed, id, SLOT_NLES) < 0.2 ? 2 : 1;
    char sev = U(seed, id, SLOT_SEV) < 68.0 / 119 ? 'B' : 'M'; /* MIAS's benign share */
    for (int k = 0; k < want; k++) {
        int placed = 0;
        for (int t = 0; t < 200 && !placed; t++) {
            uint64_t s = SLOT_PLACE + 2000 * (uint64_t)k + 8 * (uint64_t)t;
            int R = 15 + (int)(46 * U(seed, id, s));
            double r = L->cy + L->a * 0.85 * (2 * U(seed, id, s + 1) - 1);
            double dc = L->b * 0.85 * U(seed, id, s + 2);
            if (fits(L, r, dc, R)) {
                double c = L->right ? L->wall - dc : L->wall + dc;
                mf_synth_lesion *les = &L->lesions[L->nlesions++];
                les->x = (int)lround(c) + 1;
                les->y = MF_SYNTH_SIDE - 1 - (int)lround(r);
                les->radius = R;
                les->severity = sev;
                placed = 1;
            }
        }
        if (!placed && k == 0) {
            /* Never reached in practice; a spot that always fits. */
            double c = L->right ? L->wall - L->b / 2 : L->wall + L->b / 2;
            L->lesions[0] = (mf_synth_lesion){(int)lround(c) + 1,
                                              MF_SYNTH_SIDE - 1 - (int)lround(L->cy), 15, sev};
            L->nlesions = 1;
        }
    }
    return 0;
}

static double smoothstep(double x) {
    x = x < 0 ? 0 : x > 1 ? 1 : x;
    return x * x * (3 - 2 * x);
}

/* Tissue texture in [-1, 1] on the coarse grid: Gaussian blobs placed over
 * the breast; denser tissue (D) has more of them. */
static void texture_grid(uint64_t seed, const mf_synth_layout *L, float *g) {
    int K = L->bg == 'F' ? 8 : L->bg == 'G' ? 12 : 16;
    double br[16], bc[16], inv2s2[16], amp[16];
    for (int k = 0; k < K; k++) {
        uint64_t s = SLOT_BLOB + 4 * (uint64_t)k;
        br[k] = L->cy + L->a * (2 * U(seed, L->image_id, s) - 1);
        double dc = L->b * U(seed, L->image_id, s + 1);
        bc[k] = L->right ? L->wall - dc : L->wall + dc;
        double sg = 40 + 110 * U(seed, L->image_id, s + 2);
        inv2s2[k] = 1.0 / (2 * sg * sg);
        amp[k] = 2 * U(seed, L->image_id, s + 3) - 1;
    }
    double mx = 1e-9;
    for (int i = 0; i < GRID; i++)
        for (int j = 0; j < GRID; j++) {
            double v = 0;
            for (int k = 0; k < K; k++) {
                double dr = i * STEP - br[k], dc = j * STEP - bc[k];
                v += amp[k] * exp(-(dr * dr + dc * dc) * inv2s2[k]);
            }
            g[i * GRID + j] = (float)v;
            if (fabs(v) > mx) mx = fabs(v);
        }
    for (int i = 0; i < GRID * GRID; i++) g[i] = (float)(g[i] / mx);
}

int mf_synth_image(uint64_t seed, int image_id, mf_img8 *img, mf_synth_lesion *lesions,
                   int *nlesions, mf_err *e) {
    img->h = img->w = 0;
    img->px = NULL;
    mf_synth_layout L;
    if (mf_synth_layout_of(seed, image_id, &L, e)) return -1;
    float *g = malloc(sizeof *g * GRID * GRID);
    if (!g || mf_img8_alloc(img, MF_SYNTH_SIDE, MF_SYNTH_SIDE)) {
        free(g);
        mf_img8_free(img);
        return mf_fail(e, "synth: out of memory for image %d", image_id);
    }
    texture_grid(seed, &L, g);
    double tex_amp = L.bg == 'F' ? 18 : L.bg == 'G' ? 26 : 32;
    double shift = L.bg == 'F' ? -10 : L.bg == 'G' ? 0 : 15;
    uint64_t grain = mf_rng_u64(seed, MF_STREAM_SYNTH, ((uint64_t)image_id << 16) + SLOT_GRAIN);
    for (int r = 0; r < MF_SYNTH_SIDE; r++) {
        double dr = (r - L.cy) / L.a, er = 1 - dr * dr;
        if (er <= 0) continue;
        double hw = L.b * sqrt(er); /* half-width of the breast on this row */
        int c0 = L.right ? (int)ceil(L.wall - hw) : (int)ceil(L.wall);
        int c1 = L.right ? (int)floor(L.wall) : (int)floor(L.wall + hw);
        if (c0 < 0) c0 = 0;
        if (c1 > MF_SYNTH_SIDE - 1) c1 = MF_SYNTH_SIDE - 1;
        int gi = r / STEP;
        double fr = (double)(r % STEP) / STEP;
        uint8_t *row = img->px + (size_t)r * MF_SYNTH_SIDE;
        for (int c = c0; c <= c1; c++) {
            if (!inside(&L, r, c)) continue; /* rounding at the ends of the span */
            double dc = wall_dist(&L, c), t = er - (dc / L.b) * (dc / L.b);
            double v = 70 + 90 * sqrt(t > 0 ? t : 0) + shift; /* thicker near the wall */
            int gj = c / STEP;
            double fc = (double)(c % STEP) / STEP;
            const float *q = g + gi * GRID + gj;
            double tx = (1 - fr) * ((1 - fc) * q[0] + fc * q[1]) + fr * ((1 - fc) * q[GRID] + fc * q[GRID + 1]);
            v += tex_amp * tx;
            double pq = pec_q(&L, r, dc);
            if (pq < 1) v += 30 * smoothstep((1 - pq) / 0.15);
            v += (double)((mf_mix64(grain ^ (uint64_t)(r * MF_SYNTH_SIDE + c)) >> 32) % 7) - 3;
            /* Breast pixels stay above 20, MIAS's foreground threshold. */
            row[c] = (uint8_t)(v < 25 ? 25 : v > 255 ? 255 : lround(v));
        }
    }
    free(g);
    /* Masses: a bright plateau with a soft edge; malignant ones lobulated. */
    for (int k = 0; k < L.nlesions; k++) {
        const mf_synth_lesion *les = &L.lesions[k];
        int rc = MF_SYNTH_SIDE - 1 - les->y, cc = les->x - 1, R = les->radius;
        double A = 45 + 25 * U(seed, image_id, SLOT_LES_AMP + k);
        double ph = 2 * PI * U(seed, image_id, SLOT_LES_PHASE + k);
        int lob = les->severity == 'M';
        int ext = R + R / 4 + 1;
        for (int r = rc - ext; r <= rc + ext; r++) {
            if (r < 0 || r >= MF_SYNTH_SIDE) continue;
            for (int c = cc - ext; c <= cc + ext; c++) {
                if (c < 0 || c >= MF_SYNTH_SIDE || !inside(&L, r, c)) continue;
                double dy = r - rc, dx = c - cc, d = sqrt(dx * dx + dy * dy);
                double Re = lob ? R * (1 + 0.12 * sin(7 * atan2(dy, dx) + ph)) : R;
                double p = 1 - smoothstep((d / Re - 0.55) / 0.45);
                if (p <= 0) continue;
                int v = img->px[(size_t)r * MF_SYNTH_SIDE + c] + (int)lround(A * p);
                img->px[(size_t)r * MF_SYNTH_SIDE + c] = (uint8_t)(v > 255 ? 255 : v);
            }
        }
    }
    if (lesions) memcpy(lesions, L.lesions, sizeof L.lesions);
    if (nlesions) *nlesions = L.nlesions;
    return 0;
}

int mf_synth_info(uint64_t seed, int image_id, char rows[][MF_SYNTH_ROW_MAX], mf_err *e) {
    mf_synth_layout L;
    if (mf_synth_layout_of(seed, image_id, &L, e)) return -1;
    if (L.nlesions == 0) {
        snprintf(rows[0], MF_SYNTH_ROW_MAX, "mdb%03d %c NORM ", image_id, L.bg);
        return 1;
    }
    for (int k = 0; k < L.nlesions; k++)
        snprintf(rows[k], MF_SYNTH_ROW_MAX, "mdb%03d %c CIRC %c %d %d %d", image_id, L.bg,
                 L.lesions[k].severity, L.lesions[k].x, L.lesions[k].y, L.lesions[k].radius);
    return L.nlesions;
}
