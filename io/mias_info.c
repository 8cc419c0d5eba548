/* mias_info.c: see mias_info.h. The file is read whole and split into lines
 * (LF, CRLF or lone CR all end a line). Lines before the first row whose first
 * field starts with "mdb" are the prose header; a line of '=' after the data
 * starts the trailer (the real file ends with one). Every field of a data row
 * is checked, so a typo is reported with its line instead of becoming a
 * wrong ROI later. */
#include "io/mias_info.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/readall.h"

enum { INFO_MAX_FIELDS = 16, MIAS_SIDE = 1024 };

typedef struct field {
    const char *s;
    int n;
} field;

/* Splits [s, end) at blanks and tabs into at most INFO_MAX_FIELDS fields. */
static int split_fields(const char *s, const char *end, field *f) {
    int n = 0;
    while (s < end && n < INFO_MAX_FIELDS) {
        while (s < end && (*s == ' ' || *s == '\t')) s++;
        if (s == end) break;
        const char *t = s;
        while (t < end && *t != ' ' && *t != '\t') t++;
        f[n].s = s;
        f[n].n = (int)(t - s);
        n++;
        s = t;
    }
    return n;
}

static int is_eq(const field *f, const char *lit) {
    return f->n == (int)strlen(lit) && memcmp(f->s, lit, (size_t)f->n) == 0;
}

/* "found 'XYZ'" (shortened) or "found end of line" for messages. */
static const char *found(const field *f, int nf, int i, char *out, size_t n) {
    if (i >= nf) snprintf(out, n, "end of line");
    else snprintf(out, n, "'%.*s%s'", f[i].n > 24 ? 24 : f[i].n, f[i].s, f[i].n > 24 ? "..." : "");
    return out;
}

/* A decimal integer lo..hi, digits only. */
static int parse_int(const field *f, int lo, int hi, int *v) {
    if (f->n < 1 || f->n > 9) return -1;
    int x = 0;
    for (int i = 0; i < f->n; i++) {
        if (!isdigit((unsigned char)f->s[i])) return -1;
        x = x * 10 + (f->s[i] - '0');
    }
    if (x < lo || x > hi) return -1;
    *v = x;
    return 0;
}

static const char *const classes[] = {"CALC", "CIRC", "SPIC", "MISC", "ARCH", "ASYM", "NORM"};

/* Parses one data row (nf >= 1, first field starts with "mdb"). */
static int parse_row(const char *path, int line, const field *f, int nf, mf_info_row *r, mf_err *e) {
    char fb[40];
    memset(r, 0, sizeof *r);
    r->line = line;
    int id = 0;
    if (f[0].n != 6 || memcmp(f[0].s, "mdb", 3) || !isdigit((unsigned char)f[0].s[3]) ||
        !isdigit((unsigned char)f[0].s[4]) || !isdigit((unsigned char)f[0].s[5]) ||
        (id = (f[0].s[3] - '0') * 100 + (f[0].s[4] - '0') * 10 + (f[0].s[5] - '0')) < 1)
        return mf_fail(e, "%s: line %d: expected REFNUM mdbNNN with NNN 001..999, found %s", path,
                       line, found(f, nf, 0, fb, sizeof fb));
    memcpy(r->ref, f[0].s, 6);
    r->image_id = id;
    if (nf < 2 || f[1].n != 1 || !strchr("FGD", f[1].s[0]))
        return mf_fail(e, "%s: line %d: expected BG F, G or D, found %s", path, line,
                       found(f, nf, 1, fb, sizeof fb));
    r->bg = f[1].s[0];
    int c = -1;
    for (int i = 0; i < 7 && nf > 2; i++)
        if (is_eq(&f[2], classes[i])) c = i;
    if (c < 0)
        return mf_fail(e, "%s: line %d: expected CLASS CALC, CIRC, SPIC, MISC, ARCH, ASYM or NORM, found %s",
                       path, line, found(f, nf, 2, fb, sizeof fb));
    memcpy(r->cls, classes[c], 5);
    if (c == 6) {
        if (nf > 3)
            return mf_fail(e, "%s: line %d: expected end of line after NORM, found %s", path, line,
                           found(f, nf, 3, fb, sizeof fb));
        r->severity = 'N';
        return 0;
    }
    if (nf < 4 || f[3].n != 1 || (f[3].s[0] != 'B' && f[3].s[0] != 'M'))
        return mf_fail(e, "%s: line %d: expected SEVERITY B or M, found %s", path, line,
                       found(f, nf, 3, fb, sizeof fb));
    r->severity = f[3].s[0];
    /* No coordinates: end of line or a note such as "*NOTE 3*". */
    if (nf == 4 || f[4].s[0] == '*') return 0;
    static const char *const names[3] = {"X", "Y", "RADIUS"};
    const int hi[3] = {MIAS_SIDE, MIAS_SIDE, MIAS_SIDE};
    int v[3];
    for (int i = 0; i < 3; i++)
        if (nf <= 4 + i || parse_int(&f[4 + i], 1, hi[i], &v[i]))
            return mf_fail(e, "%s: line %d: expected %s, an integer 1..%d%s, found %s", path, line,
                           names[i], hi[i], i < 2 ? " (inside the 1024x1024 image)" : "",
                           found(f, nf, 4 + i, fb, sizeof fb));
    if (nf > 7 && f[7].s[0] != '*')
        return mf_fail(e, "%s: line %d: expected end of line after RADIUS, found %s", path, line,
                       found(f, nf, 7, fb, sizeof fb));
    r->has_xy = 1;
    r->x = v[0];
    r->y = v[1];
    r->radius = v[2];
    return 0;
}

/* A separator line such as "=====". */
static int is_rule(const field *f, int nf) {
    if (nf != 1) return 0;
    for (int i = 0; i < f[0].n; i++)
        if (f[0].s[i] != '=') return 0;
    return 1;
}

int mf_info_parse(const char *path, const char *b, size_t len, mf_info_row **rows, int *n, mf_err *e) {
    int cap = 0, cnt = 0, line = 0, in_data = 0;
    mf_info_row *out = NULL;
    size_t pos = 0;
    while (pos < len) {
        const char *s = b + pos;
        size_t l = 0;
        while (pos + l < len && s[l] != '\n' && s[l] != '\r') l++;
        pos += l;
        /* CRLF, LF or a lone CR ends the line. */
        if (pos < len) pos += (b[pos] == '\r' && pos + 1 < len && b[pos + 1] == '\n') ? 2 : 1;
        line++;
        field f[INFO_MAX_FIELDS];
        int nf = split_fields(s, s + l, f);
        if (nf == 0) continue;
        int is_data = f[0].n >= 3 && memcmp(f[0].s, "mdb", 3) == 0;
        if (!in_data && !is_data) continue; /* prose header */
        if (in_data && !is_data) {
            if (is_rule(f, nf)) break; /* trailer */
            char fb[40];
            free(out);
            return mf_fail(e, "%s: line %d: expected a data row starting with REFNUM mdbNNN, found %s",
                           path, line, found(f, nf, 0, fb, sizeof fb));
        }
        in_data = 1;
        if (cnt == cap) {
            cap = cap ? 2 * cap : 512;
            mf_info_row *nr = realloc(out, sizeof *out * (size_t)cap);
            if (!nr) {
                free(out);
                return mf_fail(e, "%s: out of memory", path);
            }
            out = nr;
        }
        if (parse_row(path, line, f, nf, &out[cnt], e)) {
            free(out);
            return -1;
        }
        cnt++;
    }
    if (cnt == 0) {
        free(out);
        return mf_fail(e, "%s: line %d: expected data rows starting with REFNUM mdbNNN, found none",
                       path, line);
    }
    *rows = out;
    *n = cnt;
    return 0;
}

int mf_info_read(const char *path, mf_info_row **rows, int *n, mf_err *e) {
    *rows = NULL;
    *n = 0;
    unsigned char *buf;
    size_t len;
    if (mf_read_all(path, &buf, &len, e)) return -1;
    int rc = mf_info_parse(path, (const char *)buf, len, rows, n, e);
    free(buf);
    return rc;
}
