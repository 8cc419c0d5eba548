# lock.sh: one job per output folder (io/dir_lock.h, mpi/run_lock.h).
#   - a second job started on a folder in use refuses with one line naming
#     the folder and the holder (pid, host), exit 1, on every rank, and
#     writes nothing; the first finishes with the bytes of a run alone;
#   - `run` and `train` on the same --out exclude each other;
#   - the slices of a sweep (job-array tasks) share RUN_DIR and run side by
#     side; a whole sweep started over a running slice is refused, naming
#     the configuration folder in use;
#   - a lock left by a job killed with -9 does not block the next run, which
#     also removes the killed job's temporaries;
#   - no lock file is left after a job ends.
# The first job is held at a fixed point (MF_FAULT_AT: the rank stops itself,
# io/fault.h) while the second starts, then let go (SIGCONT): no race.
. "$MF_SRC/tests/lib.sh"
. "$MF_SRC/tests/faults/small_plan.inc"
MF_FAULT_AT= "${MPI[@]}" "$MF_BIN" run "$cfg" "${X[@]}" "${T[@]}" --until-extract --out "$work/base" < /dev/null > /dev/null
for d in ref two; do cp -r base $d; done
MF_FAULT_AT= "${MPI[@]}" "$MF_BIN" train "$cfg" "${X[@]}" "${T[@]}" --out "$work/ref" < /dev/null > /dev/null

# held JOB ARGS...: starts the job in the background (its own session),
# stopped at its first checkpoint write; sets HELD (mpirun's pid)
held() {
  MF_FAULT_AT=ckpt.write:1 setsid "${MPI[@]}" "$MF_BIN" "$@" < /dev/null > held.log 2>&1 &
  HELD=$!
  for _ in $(seq 1 1200); do
    stopped=$(ps -o pid=,stat= -s $HELD 2> /dev/null | awk '$2 ~ /^T/ {print $1}' || true)
    [ -n "$stopped" ] && return 0
    kill -0 $HELD 2> /dev/null || break
    sleep 0.05
  done
  bad "the held job never reached its first checkpoint: $(cat held.log)"
}
# release: lets the held job go on (every rank that stopped, or stops later) and waits for it
release() {
  local rc=0 pids
  while kill -0 $HELD 2> /dev/null; do
    pids=$(ps -o pid=,stat= -s $HELD 2> /dev/null | awk '$2 ~ /^T/ {print $1}' || true)
    [ -n "$pids" ] && kill -CONT $pids 2> /dev/null
    sleep 0.05
  done
  wait $HELD || rc=$?
  return $rc
}

# two trainings on one folder
held train "$cfg" "${X[@]}" "${T[@]}" --out "$work/two"
check "grep -Eq '^[0-9]+ ' two/.mammofuse.lock"
expect_fail 1 "^$work/two: in use by another mammofuse job \(pid [0-9]+ on host [^ ]+\); wait for it or use another --out$" \
  env MF_FAULT_AT= "${MPI[@]}" "$MF_BIN" train "$cfg" "${X[@]}" "${T[@]}" --out "$work/two"
# `run` on the same folder: the same lock
expect_fail 1 "^$work/two: in use by another mammofuse job" \
  env MF_FAULT_AT= "${MPI[@]}" "$MF_BIN" run "$cfg" "${X[@]}" "${T[@]}" --out "$work/two"
check "release"
for f in model.h5 checkpoint.h5 history.csv; do check "cmp ref/$f two/$f"; done
check "[ -z \"\$(ls -A two | grep -Ev '^(rois.h5|features.h5|model.h5|checkpoint.h5|history.csv)$')\" ]"

# a lock left by a job killed with -9 does not block; its temporaries go
cp -r base k9
held train "$cfg" "${X[@]}" "${T[@]}" --out "$work/k9"
kill -KILL $(ps -o pid= -s $HELD) 2> /dev/null || true
wait $HELD 2> /dev/null || true
check "[ -e k9/.mammofuse.lock ] && ls k9/checkpoint.h5.tmp.* > /dev/null"
MF_FAULT_AT= "${MPI[@]}" "$MF_BIN" train "$cfg" "${X[@]}" "${T[@]}" --out "$work/k9" < /dev/null > k9.log
for f in model.h5 checkpoint.h5 history.csv; do check "cmp ref/$f k9/$f"; done
check "[ ! -e k9/.mammofuse.lock ] && ! ls k9/*.tmp.* 2> /dev/null"

# sweep slices side by side on one RUN_DIR; a whole sweep over them is refused
cp -r base sw
held sweep cfg/sw.yaml "${X[@]}" "${T[@]}" --out "$work/sw" --slice 0/2
MF_FAULT_AT= "${MPI[@]}" "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" "${T[@]}" --out "$work/sw" --slice 1/2 < /dev/null > s1.log 2>&1
check "grep -q 'slice 1/2 done' s1.log"
expect_fail 1 "^$work/sw/sweep/fusion[12]_s[12]: in use by another mammofuse job \(pid [0-9]+ on host [^ ]+\); wait for it or use another --out$" \
  env MF_FAULT_AT= "${MPI[@]}" "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" "${T[@]}" --out "$work/sw"
check "release"
check "grep -q 'slice 0/2 done' held.log"
MF_FAULT_AT= "${MPI[@]}" "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" "${T[@]}" --out "$work/sw" --summary-only < /dev/null > sum.log
check "[ -s sw/sweep.csv ] && [ \$(grep -c . sw/sweep.csv) = 5 ]"
check "[ -z \"\$(find sw -name .mammofuse.lock -o -name '*.tmp.*')\" ]"
finish
