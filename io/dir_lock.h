/* dir_lock.h: one mammofuse job per output folder. An advisory lock
 * (flock) on DIR/.mammofuse.lock, taken before the job writes anything in
 * DIR and held until it ends, so that a second job started on the same
 * folder refuses at once with one line instead of interleaving its writes.
 * The kernel drops the lock when the holding process dies (kill -9, a node
 * failure on a local disk), so a killed job never blocks the next one; the
 * file itself is removed by the holder when it ends normally.
 *
 * Once the lock is held, no other mammofuse job writes in DIR, so every
 * "<file>.tmp.<pid>" there (io/h5util.h's temporary names) was left by a job
 * that died before its rename: it is removed, never taken for an output.
 *
 * Not thread-safe; one process (rank 0 of a job) holds the locks. */
#ifndef MF_IO_DIR_LOCK_H
#define MF_IO_DIR_LOCK_H
#include "core/err.h"

#define MF_LOCK_NAME ".mammofuse.lock"

enum {
    MF_LOCK_CREATE = 1, /* make DIR (mkdir -p) if it is missing; else a missing DIR is not locked */
    MF_LOCK_TREE = 2    /* remove stale temporaries in DIR's subfolders too (DIR is the job's alone) */
};

/* Takes the lock of dir (flags MF_LOCK_*), or fails with one line:
 * "DIR: in use by another mammofuse job (pid N on host H); wait for it or
 * use another --out", or why DIR cannot hold a lock file (read-only, ...).
 * The lock is added to the process's held set. */
int mf_dir_lock(const char *dir, int flags, mf_err *e);

/* Releases every lock held (removes the lock files): at the job's end. */
void mf_dir_unlock_all(void);

/* Removes the stale temporaries "*.tmp.<pid>" of dir (pid not this
 * process's; recursively with MF_LOCK_TREE); the number removed. */
int mf_dir_clean_tmp(const char *dir, int tree);

#endif
