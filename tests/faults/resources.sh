# resources.sh: a full disk, a read-only output folder and a run folder that
# vanishes mid-run each give one line naming the path and the system's
# cause, exit 1, and leave the previous complete outputs untouched (their
# SHA-256 before and after) with no temporary and no lock file left.
#   - full disk: a 24 MB tmpfs holding a complete run, filled up; evaluate,
#     a longer train (checkpoint.h5), extract (the store's creation) and
#     rois (rois.h5) on it;
#   - read-only: the same tmpfs remounted read-only (root ignores mode bits);
#   - vanishing: train held at its second checkpoint write (MF_FAULT_AT,
#     io/fault.h) while its folder is renamed, then deleted, then let go.
# Every job is killed after 3 min: a hang (ranks left in a collective call
# by a write that failed on one of them) is a failure, not a stuck test.
# Needs root with CAP_SYS_ADMIN (mount); says so and fails otherwise.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
X=(--set patches.side=64 --set patches.grid_n=3 --set patches.tumor_draws=6 --set patches.normal_draws=2
  --set extract.batch=8 --set backbone.blocks=1 --set model.branches=[1])
T=(--set train.batch=4 --set train.shard=1 --set train.epochs=3 --set train.val_batch=16 --set evaluate.bootstrap=200)
# ROMIO: Open MPI's OMPIO adds its own lines on an I/O error (README, extract)
export OMPI_MCA_io=romio321 MF_FAULT_AT=
MPI=("${MF_MPIEXEC:-mpirun}" -q --allow-run-as-root --oversubscribe -n 2 -x MF_FAULT_AT -x OMPI_MCA_io)
job() { timeout -k 10 180 "${MPI[@]}" "$MF_BIN" "$1" "$cfg" "${X[@]}" "${T[@]}" "${@:2}" < /dev/null; }
sums() { (cd "$1" && find . -type f | sort | xargs -r sha256sum); }
clean() { # clean DIR: no temporary, no lock file
  local left
  left=$(find "$1" -name '*.tmp.*' -o -name '*.partial' -o -name .mammofuse.lock)
  if [ -n "$left" ]; then bad "left in $1: $left"; else ok; fi
}

job run --out "$work/done" > /dev/null
mkdir base
cp done/rois.h5 done/features.h5 base/

mkdir mnt
if ! mount -t tmpfs -o size=24m tmpfs "$work/mnt" 2> mount.err; then
  bad "cannot mount a tmpfs (needs root with CAP_SYS_ADMIN): $(cat mount.err)"
  finish
fi
trap 'umount "$work/mnt" 2> /dev/null || true; rm -rf "$work"' EXIT
cp -r done mnt/run
mkdir mnt/ex mnt/new
cp done/rois.h5 mnt/ex/
sums mnt > before.txt
dd if=/dev/zero of=mnt/fill bs=64k 2> /dev/null || true # until the disk is full
check "[ \$(df --output=avail -k mnt | tail -1) -lt 64 ]"
sums mnt | grep -v ' ./fill$' > b2.txt

# full disk
expect_fail 1 "^$work/mnt/run/(metrics.json|table.md|predictions.csv|roc.csv|pr.csv|report.html): cannot write: No space left on device$" \
  job evaluate --out "$work/mnt/run"
expect_fail 1 "^$work/mnt/run/checkpoint.h5: .*No space left on device$" job train --set train.epochs=4 --out "$work/mnt/run"
expect_fail 1 "^$work/mnt/ex/features.h5.partial: .*No space left on device$" job extract --out "$work/mnt/ex"
expect_fail 1 "^$work/mnt/new/rois.h5: .*No space left on device$" job rois --out "$work/mnt/new"
sums mnt | grep -v ' ./fill$' > after.txt
check "cmp before.txt after.txt"
clean mnt

# read-only
mount -o remount,ro "$work/mnt"
expect_fail 1 "^$work/mnt/run: cannot create the lock file .mammofuse.lock: Read-only file system$" job evaluate --out "$work/mnt/run"
expect_fail 1 "^$work/mnt/run: cannot create the lock file .mammofuse.lock: Read-only file system$" job train --out "$work/mnt/run"
sums mnt | grep -v ' ./fill$' > after.txt
check "cmp before.txt after.txt"
umount "$work/mnt"

# held DIR: train on DIR stopped (rank 0) at its second checkpoint write
held() {
  MF_FAULT_AT=ckpt.write:2 setsid "${MPI[@]}" "$MF_BIN" train "$cfg" "${X[@]}" "${T[@]}" --out "$1" < /dev/null > held.out 2> held.err &
  HELD=$!
  stopped=
  for _ in $(seq 1 1200); do
    stopped=$(ps -o pid=,stat= -s $HELD 2> /dev/null | awk '$2 ~ /^T/ {print $1}' || true)
    [ -n "$stopped" ] && return 0
    kill -0 $HELD 2> /dev/null || break
    sleep 0.05
  done
  bad "train never reached its second checkpoint: $(cat held.err)"
}
release() { # lets it go; RC: its status
  kill -CONT $stopped 2> /dev/null || true
  RC=0
  wait $HELD || RC=$?
}
one_line() { # one_line STATUS PATTERN: what the released job said
  local n
  n=$(grep -c . held.err || true)
  if [ "$RC" != "$1" ] || [ "$n" != 1 ] || ! grep -Eq "$2" held.err; then
    bad "exit $RC, $n lines, expected $1 and one line matching '$2': $(cat held.err)"
  else ok; fi
}

# the run folder renamed while train writes its checkpoint
cp -r base van
held "$work/van"
sums van | grep -v -e '\.tmp\.' -e mammofuse.lock > before.txt
mv van van.gone
release
one_line 1 "^$work/van/checkpoint.h5: cannot rename $work/van/checkpoint.h5.tmp.[0-9]+ into place: No such file or directory$"
sums van.gone | grep -v -e '\.tmp\.' -e mammofuse.lock > after.txt
check "cmp before.txt after.txt"
check "[ ! -e van ]"

# the run folder deleted while train writes its checkpoint
cp -r base gone
held "$work/gone"
rm -rf gone
release
one_line 1 "^$work/gone/checkpoint.h5: cannot rename $work/gone/checkpoint.h5.tmp.[0-9]+ into place: No such file or directory$"
check "[ ! -e gone ]"
finish
