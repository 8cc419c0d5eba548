/* file_set.h: text outputs written whole or not at all. Each file of a set
 * is written under a temporary name beside its final one (mf_tmp_name) and
 * closed; only when every one is complete are they renamed into place, the
 * last file first and the first file last, so the first file's presence
 * says the whole set is there (metrics.json for an evaluation). On any
 * failure the temporaries are removed and no final file is touched (a
 * failed rename leaves the files renamed before it; a rename within one
 * directory fails only on a broken file system). Every caller's outputs go
 * through here, so "cannot create / cannot write / cannot rename into
 * place" read the same everywhere, and the kill -9 campaign's "rename"
 * fault point (io/fault.h) sits before every rename. */
#ifndef MF_IO_FILE_SET_H
#define MF_IO_FILE_SET_H
#include <stdio.h>

#include "core/err.h"

#define MF_FILE_SET_MAX 8

/* Writes file i of the set to f: 0, or -1 with e set (a write error of f
 * itself is found by the caller through ferror). */
typedef int (*mf_file_write_fn)(FILE *f, int i, const void *ctx, mf_err *e);

/* The n (1..MF_FILE_SET_MAX) files dir/names[i] (names[i] alone when dir is
 * NULL), file i written by fn(f, i, ctx, e). 0, or -1 with e naming the file. */
int mf_file_set_write(const char *dir, const char *const *names, int n, mf_file_write_fn fn, const void *ctx,
                      mf_err *e);

#endif
