/* test_file_set.c: io/file_set.h: a set of files appears whole or not at
 * all. A complete set has every file with its writer's bytes and no
 * temporary beside it; a writer's failure leaves the old files untouched,
 * no new file and no temporary; a missing folder is one line naming the
 * file; a rename that fails (the place is a folder) shows the order: the
 * last file is renamed first and the first file last, so the first file's
 * presence says the set is complete. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "io/file_set.h"
#include "tmpdir.h"

static const char *const names[3] = {"a.txt", "b.txt", "c.txt"};

/* file i holds "file i of <tag>"; with fail_at == i the writer fails */
typedef struct {
    const char *tag;
    int fail_at;
} job;

static int writer(FILE *f, int i, const void *ctx, mf_err *e) {
    const job *j = ctx;
    fprintf(f, "file %d of %s\n", i, j->tag);
    return i == j->fail_at ? mf_fail(e, "writer %d failed", i) : 0;
}

static int entries(const char *dir) {
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *x; d && (x = readdir(d));) n += x->d_name[0] != '.';
    if (d) closedir(d);
    return n;
}

static int holds(const char *dir, const char *name, const char *want) {
    char p[1024], got[128] = "";
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "r");
    if (!f) return 0;
    size_t n = fread(got, 1, sizeof got - 1, f);
    fclose(f);
    got[n] = 0;
    return !strcmp(got, want);
}

int main(void) {
    char *dir = tmp_make(), p[1024], want[1024];
    mf_err e = {{0}};

    /* a complete set: every file, no temporaries */
    job ok = {"one", -1};
    CHECK_EQ_INT(mf_file_set_write(dir, names, 3, writer, &ok, &e), 0);
    for (int i = 0; i < 3; i++) {
        snprintf(want, sizeof want, "file %d of one\n", i);
        CHECK_MSG(holds(dir, names[i], want), "%s", names[i]);
    }
    CHECK_EQ_INT(entries(dir), 3);

    /* the writer of file 1 fails: the old set stays as it was, nothing else */
    job bad = {"two", 1};
    CHECK_EQ_INT(mf_file_set_write(dir, names, 3, writer, &bad, &e), -1);
    CHECK_MSG(!strcmp(e.msg, "writer 1 failed"), "'%s'", e.msg);
    for (int i = 0; i < 3; i++) {
        snprintf(want, sizeof want, "file %d of one\n", i);
        CHECK_MSG(holds(dir, names[i], want), "%s", names[i]);
    }
    CHECK_EQ_INT(entries(dir), 3);

    /* one file by its path (dir NULL) */
    const char *one = tmp_path(p, sizeof p, dir, "one.csv");
    CHECK_EQ_INT(mf_file_set_write(NULL, &one, 1, writer, &ok, &e), 0);
    CHECK(holds(dir, "one.csv", "file 0 of one\n"));
    CHECK_EQ_INT(entries(dir), 4);

    /* a folder that is not there: one line naming the file */
    char missing[256];
    snprintf(missing, sizeof missing, "%s/nope", dir);
    CHECK_EQ_INT(mf_file_set_write(missing, names, 3, writer, &ok, &e), -1);
    snprintf(want, sizeof want, "%s/a.txt: cannot create %s/a.txt.tmp.", missing, missing);
    CHECK_MSG(!strncmp(e.msg, want, strlen(want)) && strstr(e.msg, ": No such file or directory"), "'%s'", e.msg);

    /* b.txt's place is a folder: c.txt was renamed before it, a.txt never */
    char sub[256];
    snprintf(sub, sizeof sub, "%s/set", dir);
    CHECK_EQ_INT(mkdir(sub, 0700), 0);
    snprintf(p, sizeof p, "%s/b.txt", sub);
    CHECK_EQ_INT(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/b.txt/keep", sub);
    FILE *k = fopen(p, "w");
    CHECK(k != NULL);
    if (k) fclose(k);
    job three = {"three", -1};
    CHECK_EQ_INT(mf_file_set_write(sub, names, 3, writer, &three, &e), -1);
    snprintf(want, sizeof want, "%s/b.txt: cannot rename into place: ", sub);
    CHECK_MSG(!strncmp(e.msg, want, strlen(want)), "'%s'", e.msg);
    CHECK(holds(sub, "c.txt", "file 2 of three\n"));
    CHECK(!tmp_exists(sub, "a.txt"));
    CHECK_EQ_INT(entries(sub), 2); /* c.txt and the folder b.txt: no temporaries */

    /* a set of none, or of too many, is the caller's error, said so */
    CHECK_EQ_INT(mf_file_set_write(dir, names, 0, writer, &ok, &e), -1);
    CHECK(strstr(e.msg, "0 files in one set") != NULL);

    tmp_remove(dir);
    return check_done();
}
