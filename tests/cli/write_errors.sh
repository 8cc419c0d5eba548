# write_errors.sh: a write that fails says why, with the system's own words
# ("No such file or directory", "File too large", "No space left on device"),
# never a guess like "disk full?"; exit 1, one line, no output left behind,
# and no crash after a failed close (HDF5 1.10 segfaults in MPI_Finalize
# unless mammofuse keeps it from terminating: see io/h5util.h).
# The failures are real: a folder that takes no files (/proc/self), the file
# size limit (ulimit -f; SIGXFSZ ignored so that write(2) returns EFBIG) and
# /dev/full behind the temporary name (a shell that execs keeps its pid, the
# <pid> of "<file>.tmp.<pid>").
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
# MPI start-up keeps shared-memory files, which ulimit -f would break.
export PMIX_MCA_gds=hash
"$MF_BIN" rois "$cfg" --out "$work/ref" > /dev/null

# rois.h5 in a folder that takes no files
# (the lock file is the first file a job makes in its folder: io/dir_lock.h)
expect_fail 1 "^/proc/self: cannot create the lock file .mammofuse.lock: No such file or directory$" "$MF_BIN" rois "$cfg" --out /proc/self

# rois.h5 beyond the file size limit (the demo's is ~400 kB)
limited() { (trap '' XFSZ; ulimit -f "$1"; shift; exec "$@"); }
mkdir big
expect_fail 1 "^big/rois.h5: .*: File too large$" limited 100 "$MF_BIN" rois "$cfg" --out big
no_output big

# weights: beyond the limit, and onto a full device
expect_fail 1 "^mammofuse weights: w.h5: .*: File too large$" limited 100 "$MF_BIN" weights formula --arch vgg16 --blocks 2 -o w.h5
check "[ ! -e w.h5 ] && ! ls w.h5.tmp.* 2> /dev/null"
expect_fail 1 "^mammofuse weights: full.h5: .*: No space left on device$" \
  sh -c 'ln -s /dev/full full.h5.tmp.$$ && exec "$0" weights formula --arch vgg16 --blocks 2 -o full.h5' "$MF_BIN"
check "[ ! -e full.h5 ] && ! ls full.h5.tmp.* 2> /dev/null"

# rois.h5 onto a full device
mkdir full
expect_fail 1 "^full/rois.h5: .*: No space left on device$" \
  sh -c 'ln -s /dev/full full/rois.h5.tmp.$$ && exec "$0" rois "$1" --out full' "$MF_BIN" "$cfg"
no_output full

# (A folder where no file can be made is refused by its lock file first, and
# the store is made under a temporary name: the dangling features.h5.partial
# symlink that stood for one here is now simply replaced. A full disk:
# tests/faults/resources.sh.)

# the feature store beyond the file size limit: its creation fails, nothing
# is left. One process: mpirun would give the ranks SIGXFSZ's default back.
# ROMIO: Open MPI's OMPIO prints its own lines on an I/O error.
mkdir lim
cp ref/rois.h5 lim/
expect_fail 1 "^lim/features.h5.partial: .*: File too large$" limited 500 env OMPI_MCA_io=romio321 \
  "$MF_BIN" extract "$cfg" --set patches.tumor_draws=4 --set patches.normal_draws=2 --set backbone.blocks=2 --out lim
check "[ ! -e lim/features.h5.partial ] && [ ! -e lim/features.h5 ]"
finish
