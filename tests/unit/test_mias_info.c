/* test_mias_info.c: the Info.txt reader on a miniature of the real file
 * (prose header, CRLF, trailing blanks, rows without coordinates, several
 * rows per image, "=====" trailer), in CRLF and LF, and every validation
 * error, whose message must name the file, the line and the field. */
#include <string.h>

#include "check.h"
#include "io/mias_info.h"
#include "tmpdir.h"

static const char *dir;

/* The real file's shape in 14 data rows. Line numbers: header lines 1..7. */
static const char *const mini[] = {
    "              MAMMOGRAPHIC IMAGE ANALYSIS SOCIETY",
    "1st column: MIAS database reference number, e.g. mdb001.",
    "\t    the abnormality.",
    "                F - Fatty ",
    "=================================================================",
    "",
    " ",
    "mdb001 G CIRC B 535 425 197",          /* 8 */
    "mdb003 D NORM ",                       /* 9 */
    "mdb005 F CIRC B 477 133 30",           /* 10 */
    "mdb005 F CIRC B 500 168 26",           /* 11 */
    "mdb059 F CIRC B",                      /* 12 */
    "",                                     /* 13: blank inside the data */
    "mdb216 D CALC M *NOTE 3* ",            /* 14 */
    "mdb233 G CALC M *NOTE 3*",             /* 15 */
    "mdb226 D CALC B 287 610 7",            /* 16 */
    "mdb226 D CALC B 329 550 25",           /* 17 */
    "mdb226 D CALC B 531 721 8  ",          /* 18 */
    "mdb322\tD\tNORM",                      /* 19: tabs */
    "mdb999 G SPIC M 1 1 1",                /* 20: extremes */
    "mdb100 D ASYM M 1024 1024 1024",       /* 21 */
    "mdb101 F ARCH B 12 13 14 *a note*",    /* 22 */
    "",
    "=================================================================",
    "trailer text is ignored: mdb000 X",
    NULL};

static const char *write_lines(char *out, size_t n, const char *name, const char *const *lines,
                               const char *eol) {
    char buf[8192] = "";
    for (int i = 0; lines[i]; i++) {
        strcat(buf, lines[i]);
        strcat(buf, eol);
    }
    return tmp_write_str(out, n, dir, name, buf);
}

static void check_mini(const char *name, const char *eol) {
    char p[512];
    write_lines(p, sizeof p, name, mini, eol);
    mf_info_row *r = NULL;
    int n = -1;
    mf_err e = {""};
    int rc = mf_info_read(p, &r, &n, &e);
    CHECK_MSG(rc == 0, "%s: %s", name, e.msg);
    if (rc) return;
    CHECK_EQ_INT(n, 14);
    if (n != 14) {
        free(r);
        return;
    }
    /* mdb001 G CIRC B 535 425 197 */
    CHECK(!strcmp(r[0].ref, "mdb001") && r[0].image_id == 1 && r[0].bg == 'G');
    CHECK(!strcmp(r[0].cls, "CIRC") && r[0].severity == 'B' && r[0].has_xy == 1);
    CHECK(r[0].x == 535 && r[0].y == 425 && r[0].radius == 197 && r[0].line == 8);
    /* NORM with a trailing blank */
    CHECK(!strcmp(r[1].ref, "mdb003") && r[1].bg == 'D' && !strcmp(r[1].cls, "NORM"));
    CHECK(r[1].severity == 'N' && r[1].has_xy == 0 && r[1].x == 0 && r[1].radius == 0 && r[1].line == 9);
    /* two rows for mdb005 */
    CHECK(r[2].image_id == 5 && r[3].image_id == 5 && r[3].x == 500 && r[3].y == 168 && r[3].radius == 26);
    /* no coordinates */
    CHECK(!strcmp(r[4].ref, "mdb059") && r[4].severity == 'B' && !r[4].has_xy && r[4].line == 12);
    CHECK(!strcmp(r[5].ref, "mdb216") && !strcmp(r[5].cls, "CALC") && r[5].severity == 'M' &&
          !r[5].has_xy && r[5].line == 14);
    CHECK(!strcmp(r[6].ref, "mdb233") && r[6].bg == 'G' && !r[6].has_xy && r[6].line == 15);
    /* three rows for mdb226 */
    CHECK(r[7].image_id == 226 && r[8].image_id == 226 && r[9].image_id == 226);
    CHECK(r[9].x == 531 && r[9].y == 721 && r[9].radius == 8 && r[9].line == 18);
    CHECK(!strcmp(r[10].ref, "mdb322") && r[10].image_id == 322 && r[10].severity == 'N');
    CHECK(r[11].image_id == 999 && r[11].x == 1 && r[11].y == 1 && r[11].radius == 1);
    CHECK(!strcmp(r[11].cls, "SPIC") && r[11].severity == 'M');
    CHECK(!strcmp(r[12].cls, "ASYM") && r[12].x == 1024 && r[12].y == 1024 && r[12].radius == 1024);
    CHECK(!strcmp(r[13].cls, "ARCH") && r[13].has_xy && r[13].x == 12 && r[13].line == 22);
    free(r);
}

/* One data row (after a header line and before a good row) must fail with
 * the file, "line 3" and the substrings in the message. */
static void expect_row_fail(const char *row, const char *s1, const char *s2) {
    static int k;
    char name[32], p[512], buf[512];
    snprintf(name, sizeof name, "bad%d.txt", k++);
    snprintf(buf, sizeof buf, "Header prose\r\nmdb002 G CIRC B 522 280 69\r\n%s\r\nmdb003 D NORM \r\n", row);
    tmp_write_str(p, sizeof p, dir, name, buf);
    mf_info_row *r = (mf_info_row *)&k; /* must be reset */
    int n = 5;
    mf_err e = {""};
    CHECK_EQ_INT(mf_info_read(p, &r, &n, &e), -1);
    CHECK(r == NULL && n == 0);
    CHECK_MSG(has(e.msg, p) && has(e.msg, ": line 3: "), "'%s': %s", row, e.msg);
    CHECK_MSG(has(e.msg, s1), "'%s': lacks '%s': %s", row, s1, e.msg);
    CHECK_MSG(!s2 || has(e.msg, s2), "'%s': lacks '%s': %s", row, s2, e.msg);
}

static void test_errors(void) {
    expect_row_fail("mdb1 G CIRC B 1 2 3", "REFNUM mdbNNN", "'mdb1'");
    expect_row_fail("mdb000 G NORM", "REFNUM mdbNNN", "'mdb000'");
    expect_row_fail("mdbABC G NORM", "REFNUM", "'mdbABC'");
    expect_row_fail("mdb0012 G NORM", "REFNUM", "'mdb0012'");
    expect_row_fail("mdb004", "BG F, G or D", "end of line");
    expect_row_fail("mdb004 X NORM", "BG F, G or D", "'X'");
    expect_row_fail("mdb004 FG NORM", "BG", "'FG'");
    expect_row_fail("mdb004 F", "CLASS", "end of line");
    expect_row_fail("mdb004 F CIRK B 1 2 3", "CLASS CALC, CIRC", "'CIRK'");
    expect_row_fail("mdb004 F norm", "CLASS", "'norm'");
    expect_row_fail("mdb004 F NORM B", "end of line after NORM", "'B'");
    expect_row_fail("mdb004 F CIRC", "SEVERITY B or M", "end of line");
    expect_row_fail("mdb004 F CIRC X 1 2 3", "SEVERITY B or M", "'X'");
    expect_row_fail("mdb004 F CIRC N", "SEVERITY B or M", "'N'");
    expect_row_fail("mdb004 F CIRC 535 425 197", "SEVERITY", "'535'");
    expect_row_fail("mdb004 F CIRC B abc 1 2", "expected X", "'abc'");
    expect_row_fail("mdb004 F CIRC B 0 1 2", "expected X, an integer 1..1024", "'0'");
    expect_row_fail("mdb004 F CIRC B 1025 1 2", "expected X", "'1025'");
    expect_row_fail("mdb004 F CIRC B -5 1 2", "expected X", "'-5'");
    expect_row_fail("mdb004 F CIRC B 5.5 1 2", "expected X", "'5.5'");
    expect_row_fail("mdb004 F CIRC B 10 2000 2", "expected Y, an integer 1..1024", "'2000'");
    expect_row_fail("mdb004 F CIRC B 10 0 2", "expected Y", "'0'");
    expect_row_fail("mdb004 F CIRC B 10", "expected Y", "end of line");
    expect_row_fail("mdb004 F CIRC B 10 20", "expected RADIUS", "end of line");
    expect_row_fail("mdb004 F CIRC B 10 20 0", "expected RADIUS", "'0'");
    expect_row_fail("mdb004 F CIRC B 10 20 99999999999", "expected RADIUS", "'99999999999'");
    expect_row_fail("mdb004 F CIRC B 10 20 30 40", "end of line after RADIUS", "'40'");
    expect_row_fail("some prose inside the data", "expected a data row", "'some'");
    expect_row_fail("MDB004 F NORM", "expected a data row", "'MDB004'");
}

static void test_files(void) {
    char p[512];
    mf_info_row *r;
    int n;
    mf_err e = {""};
    CHECK_EQ_INT(mf_info_read(tmp_path(p, sizeof p, dir, "missing.txt"), &r, &n, &e), -1);
    CHECK(has(e.msg, p) && has(e.msg, "No such file") && r == NULL && n == 0);
    CHECK_EQ_INT(mf_info_read(tmp_write_str(p, sizeof p, dir, "empty.txt", ""), &r, &n, &e), -1);
    CHECK_MSG(has(e.msg, p) && has(e.msg, "found none"), "%s", e.msg);
    CHECK_EQ_INT(mf_info_read(tmp_write_str(p, sizeof p, dir, "prose.txt", "only\r\nprose\r\n"), &r,
                              &n, &e), -1);
    CHECK_MSG(has(e.msg, p) && has(e.msg, "line 2") && has(e.msg, "found none"), "%s", e.msg);
    CHECK_EQ_INT(mf_info_read(dir, &r, &n, &e), -1);
    CHECK(has(e.msg, dir));
    /* Lone CR line ends and no final newline. */
    CHECK_EQ_INT(mf_info_read(tmp_write_str(p, sizeof p, dir, "cr.txt", "head\rmdb007 G NORM\rmdb008 F CIRC M 3 4 5"),
                              &r, &n, &e), 0);
    CHECK_EQ_INT(n, 2);
    if (n == 2) CHECK(r[0].line == 2 && r[1].line == 3 && r[1].radius == 5 && r[1].severity == 'M');
    free(r);
    /* An error line number counts CRLF as one line end. */
    CHECK_EQ_INT(mf_info_read(tmp_write_str(p, sizeof p, dir, "crlf.txt", "a\r\n\r\nb\r\nmdb007 G NORM\r\nmdb008 Q NORM\r\n"),
                              &r, &n, &e), -1);
    CHECK_MSG(has(e.msg, ": line 5: expected BG"), "%s", e.msg);
}

int main(void) {
    dir = tmp_make();
    check_mini("crlf.txt", "\r\n");
    check_mini("lf.txt", "\n");
    test_errors();
    test_files();
    tmp_remove(dir);
    return check_done();
}
