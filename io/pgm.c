/* pgm.c: see pgm.h. The whole file is read first so every error can name an
 * exact byte offset, and the image is only handed out once fully decoded. */
#include "io/pgm.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/readall.h"

enum { PGM_MAX_SIDE = 65535 };
#define PGM_MAX_PIXELS ((size_t)1 << 28) /* guards against absurd headers */

typedef struct pgm_parser {
    const char *path;
    const unsigned char *b;
    size_t len, pos;
    mf_err *e;
} pgm_parser;

/* Describes the byte at pos for a message: 'x', byte 0x01, or end of file. */
static const char *found_at(const pgm_parser *p, size_t pos, char *out, size_t n) {
    if (pos >= p->len) snprintf(out, n, "end of file");
    else if (isprint(p->b[pos])) snprintf(out, n, "'%c'", p->b[pos]);
    else snprintf(out, n, "byte 0x%02x", p->b[pos]);
    return out;
}

/* Whitespace and '#' comments (to end of line), allowed between header
 * fields and, leniently, between P2 samples. */
static void skip_ws(pgm_parser *p) {
    while (p->pos < p->len) {
        unsigned char c = p->b[p->pos];
        if (isspace(c)) {
            p->pos++;
        } else if (c == '#') {
            while (p->pos < p->len && p->b[p->pos] != '\n' && p->b[p->pos] != '\r') p->pos++;
        } else {
            break;
        }
    }
}

/* A decimal integer lo..hi ending at whitespace, '#' or end of file.
 * what names the field ("width", "sample 3 (row 0, column 3)"). */
static int read_uint(pgm_parser *p, const char *what, long lo, long hi, long *out) {
    char f[32];
    skip_ws(p);
    size_t start = p->pos;
    if (p->pos >= p->len || !isdigit(p->b[p->pos]))
        return mf_fail(p->e, "%s: byte %zu: %s: expected an integer %ld..%ld, found %s", p->path,
                       start, what, lo, hi, found_at(p, p->pos, f, sizeof f));
    long v = 0;
    int big = 0;
    while (p->pos < p->len && isdigit(p->b[p->pos])) {
        if (v <= hi) v = v * 10 + (p->b[p->pos] - '0');
        else big = 1;
        p->pos++;
    }
    if (p->pos < p->len && !isspace(p->b[p->pos]) && p->b[p->pos] != '#')
        return mf_fail(p->e, "%s: byte %zu: %s: expected an integer %ld..%ld, found %s after the digits",
                       p->path, p->pos, what, lo, hi, found_at(p, p->pos, f, sizeof f));
    if (big || v < lo || v > hi) {
        int nd = (int)(p->pos - start);
        return mf_fail(p->e, "%s: byte %zu: %s: expected an integer %ld..%ld, found %.*s%s", p->path,
                       start, what, lo, hi, nd > 20 ? 20 : nd, (const char *)p->b + start,
                       nd > 20 ? "..." : "");
    }
    *out = v;
    return 0;
}

static int decode(pgm_parser *p, mf_img8 *img) {
    char f[32];
    if (p->len < 2 || p->b[0] != 'P' || (p->b[1] != '5' && p->b[1] != '2')) {
        const char *what = p->len == 0 ? "an empty file" : NULL;
        char got[16];
        if (!what) {
            snprintf(got, sizeof got, "'%c%c'", isprint(p->b[0]) ? p->b[0] : '?',
                     p->len > 1 && isprint(p->b[1]) ? p->b[1] : '?');
            what = got;
        }
        return mf_fail(p->e, "%s: byte 0: expected magic number P5 or P2, found %s", p->path, what);
    }
    int ascii = p->b[1] == '2';
    p->pos = 2;
    if (p->pos < p->len && !isspace(p->b[p->pos]) && p->b[p->pos] != '#')
        return mf_fail(p->e, "%s: byte 2: expected whitespace after the magic number, found %s",
                       p->path, found_at(p, p->pos, f, sizeof f));
    long w, h, maxval;
    if (read_uint(p, "width", 1, PGM_MAX_SIDE, &w) || read_uint(p, "height", 1, PGM_MAX_SIDE, &h) ||
        read_uint(p, "maxval", 1, 65535, &maxval))
        return -1;
    size_t npx = (size_t)w * (size_t)h;
    if (npx > PGM_MAX_PIXELS)
        return mf_fail(p->e, "%s: header: width %ld x height %ld exceeds %zu pixels", p->path, w, h,
                       PGM_MAX_PIXELS);
    /* round(v * 255 / maxval), as im2uint8 does for maxval 65535. */
    uint8_t *lut = malloc((size_t)maxval + 1);
    if (!lut) return mf_fail(p->e, "%s: out of memory", p->path);
    for (long v = 0; v <= maxval; v++) lut[v] = (uint8_t)((2 * v * 255 + maxval) / (2 * maxval));
    if (mf_img8_alloc(img, (int)h, (int)w)) {
        free(lut);
        return mf_fail(p->e, "%s: out of memory for %ld x %ld pixels", p->path, w, h);
    }
    int rc = 0;
    if (!ascii) {
        /* Exactly one whitespace byte separates maxval from the raster. */
        if (p->pos < p->len && !isspace(p->b[p->pos])) {
            rc = mf_fail(p->e, "%s: byte %zu: expected one whitespace byte after maxval, found %s",
                         p->path, p->pos, found_at(p, p->pos, f, sizeof f));
            goto done;
        }
        size_t start = p->pos + (p->pos < p->len), bps = maxval > 255 ? 2 : 1;
        size_t need = npx * bps, have = p->len - start;
        if (have < need) {
            rc = mf_fail(p->e, "%s: byte %zu: expected %zu bytes of pixel data, found %zu", p->path,
                         start, need, have);
            goto done;
        }
        const unsigned char *s = p->b + start;
        for (size_t i = 0; i < npx; i++) {
            long v = bps == 2 ? (long)s[2 * i] << 8 | s[2 * i + 1] : s[i];
            if (v > maxval) {
                rc = mf_fail(p->e, "%s: byte %zu: sample %zu (row %zu, column %zu): expected 0..%ld (maxval), found %ld",
                             p->path, start + i * bps, i, i / (size_t)w, i % (size_t)w, maxval, v);
                goto done;
            }
            img->px[i] = lut[v];
        }
    } else {
        for (size_t i = 0; i < npx; i++) {
            char what[96];
            snprintf(what, sizeof what, "sample %zu (row %zu, column %zu)", i, i / (size_t)w,
                     i % (size_t)w);
            long v;
            if (read_uint(p, what, 0, maxval, &v)) {
                rc = -1;
                goto done;
            }
            img->px[i] = lut[v];
        }
    }
done:
    free(lut);
    if (rc) mf_img8_free(img);
    return rc;
}

int mf_pgm_read(const char *path, mf_img8 *img, mf_err *e) {
    img->h = img->w = 0;
    img->px = NULL;
    unsigned char *buf;
    size_t len;
    if (mf_read_all(path, &buf, &len, e)) return -1;
    pgm_parser p = {path, buf, len, 0, e};
    int rc = decode(&p, img);
    free(buf);
    return rc;
}

int mf_pgm_write(const char *path, const mf_img8 *img, mf_err *e) {
    if (!img || !img->px || img->h < 1 || img->w < 1)
        return mf_fail(e, "%s: cannot write an empty image", path);
    FILE *f = fopen(path, "wb");
    if (!f) return mf_fail(e, "%s: cannot create: %s", path, strerror(errno));
    size_t n = (size_t)img->h * (size_t)img->w;
    int ok = fprintf(f, "P5\n%d %d\n255\n", img->w, img->h) > 0 && fwrite(img->px, 1, n, f) == n;
    int err = errno;
    struct stat st;
    int regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    if (fclose(f) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (!ok) {
        if (regular) remove(path); /* no partial output; never unlink a device */
        return mf_fail(e, "%s: write error: %s", path, strerror(err ? err : EIO));
    }
    return 0;
}
