/* test_dir_lock.c: io/dir_lock.h: a folder locked once refuses a second
 * lock with the one-line message naming it and the holder (flock locks of
 * two open files conflict even within one process, so one process shows
 * it); the lock file goes with the unlock and a new lock is taken; a missing
 * folder is made with MF_LOCK_CREATE and left alone without it; taking a
 * lock removes the stale temporaries "<name>.tmp.<digits>" (not this
 * process's, not other names; subfolders only with MF_LOCK_TREE). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "io/dir_lock.h"
#include "tmpdir.h"

int main(void) {
    char *dir = tmp_make(), p[512], mine[64], want[600], host[256] = "";
    mf_err e = {{0}};
    gethostname(host, sizeof host - 1);

    CHECK_EQ_INT(mf_dir_lock(dir, 0, &e), 0);
    CHECK(tmp_exists(dir, MF_LOCK_NAME));
    CHECK_EQ_INT(mf_dir_lock(dir, 0, &e), -1);
    snprintf(want, sizeof want, "%s: in use by another mammofuse job (pid %ld on host %s); wait for it or use another --out",
             dir, (long)getpid(), host);
    CHECK_MSG(!strcmp(e.msg, want), "'%s', expected '%s'", e.msg, want);
    mf_dir_unlock_all();
    CHECK(!tmp_exists(dir, MF_LOCK_NAME));
    CHECK_EQ_INT(mf_dir_lock(dir, 0, &e), 0); /* free again */
    mf_dir_unlock_all();

    /* a missing folder: left alone, or made */
    char sub[600];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    CHECK_EQ_INT(mf_dir_lock(sub, 0, &e), 0);
    CHECK(!tmp_exists(dir, "a"));
    CHECK_EQ_INT(mf_dir_lock(sub, MF_LOCK_CREATE, &e), 0);
    CHECK(tmp_exists(sub, MF_LOCK_NAME));
    mf_dir_unlock_all();

    /* stale temporaries */
    snprintf(mine, sizeof mine, "b.csv.tmp.%ld", (long)getpid());
    tmp_write_str(p, sizeof p, dir, "a.h5.tmp.1", "x");
    tmp_write_str(p, sizeof p, dir, mine, "x");
    tmp_write_str(p, sizeof p, dir, "c.tmp", "x");
    tmp_write_str(p, sizeof p, dir, "d.tmp.12x", "x");
    tmp_write_str(p, sizeof p, dir, "features.h5.partial", "x");
    tmp_write_str(p, sizeof p, dir, "a/e.tmp.7", "x");
    CHECK_EQ_INT(mf_dir_lock(dir, 0, &e), 0);
    CHECK(!tmp_exists(dir, "a.h5.tmp.1"));
    CHECK(tmp_exists(dir, mine) && tmp_exists(dir, "c.tmp") && tmp_exists(dir, "d.tmp.12x") && tmp_exists(dir, "features.h5.partial"));
    CHECK(tmp_exists(dir, "a/e.tmp.7"));
    mf_dir_unlock_all();
    CHECK_EQ_INT(mf_dir_lock(dir, MF_LOCK_TREE, &e), 0);
    CHECK(!tmp_exists(dir, "a/e.tmp.7") && tmp_exists(dir, mine));
    mf_dir_unlock_all();

    /* a folder that takes no files */
    CHECK_EQ_INT(mf_dir_lock("/proc/self", 0, &e), -1);
    CHECK_MSG(!strcmp(e.msg, "/proc/self: cannot create the lock file .mammofuse.lock: No such file or directory"), "'%s'",
              e.msg);
    tmp_remove(dir);
    return check_done();
}
