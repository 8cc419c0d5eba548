# kill9.sh: the kill -9 campaign (issue #16). For each of extract, train,
# evaluate and sweep: one uninterrupted run (the reference), then seeded
# moments at which the WHOLE job (mpirun and every rank: its session) is
# killed with SIGKILL, each followed by the same command run again until it
# completes. Checked at every moment:
#   - right after the kill, every file under a final name is the reference's
#     byte for byte (cmp), except the resumable state that is rewritten by
#     design (checkpoint.h5: a complete HDF5 file; history.csv: a prefix of
#     the reference's lines); temporaries (*.tmp.<pid>, features.h5.partial)
#     and the lock file may be there;
#   - after the rerun(s): exactly the reference's files, each equal to it
#     byte for byte (cmp), no temporary, no lock file left.
# Moments: by time (a seeded delay within the reference's duration) and by
# the test hook MF_FAULT_AT=<point>:<n> (io/fault.h: the rank stops itself at
# the n-th pass of the point, then the test kills the job), so that store
# creation, a collective chunk write, a checkpoint write and the rename into
# place are hit for sure. Every moment and its result is printed.
# usage: kill9.sh [--full] [--seed N]   (ctest: the small plan; --full: 10 moments per job)
. "$MF_SRC/tests/lib.sh"
full=0
seed=16
while [ $# -gt 0 ]; do
  case $1 in
  --full) full=1 ;;
  --seed) seed=$2; shift ;;
  *) echo "usage: kill9.sh [--full] [--seed N]" >&2; exit 2 ;;
  esac
  shift
done
RANDOM=$seed
. "$MF_SRC/tests/faults/small_plan.inc"
job_cmd() { # job_cmd JOB DIR: CMD, the job's command line on 2 ranks
  case $1 in
  sweep) CMD=("${MPI[@]}" "$MF_BIN" sweep cfg/sw.yaml "${X[@]}" "${T[@]}" --out "$2") ;;
  *) CMD=("${MPI[@]}" "$MF_BIN" "$1" "$cfg" "${X[@]}" "${T[@]}" --out "$2") ;;
  esac
}
run_job() { job_cmd "$1" "$2"; "${CMD[@]}" < /dev/null; } # stdin closed: mpirun forwards it
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# The inputs of each job: extract rois.h5; train features.h5; evaluate the
# trained folder; sweep nothing (it makes rois.h5 and features.h5 itself).
"$MF_BIN" rois "$cfg" "${X[@]}" --out "$work/in.extract" > /dev/null
cp -r in.extract in.train
MF_FAULT_AT= run_job extract "$work/in.train" > /dev/null
cp -r in.train in.evaluate
MF_FAULT_AT= run_job train "$work/in.evaluate" > /dev/null
# the sweep: from scratch with --full (its store creation too), else on the made store
if [ $full = 1 ]; then mkdir in.sweep; else cp -r in.train in.sweep; fi

# is_state PATH: rewritten by design while a job runs (resumable state)
is_state() { case ${1##*/} in checkpoint.h5 | history.csv) return 0 ;; *) return 1 ;; esac; }
is_tmp() { case ${1##*/} in *.tmp.[0-9]* | *.partial | .mammofuse.lock) return 0 ;; *) return 1 ;; esac; }

# after_kill REF DIR: checks what a killed job left; LEFT: the temporaries seen.
after_kill() {
  local ref=$1 dir=$2 f rel tmps=""
  while IFS= read -r f; do
    rel=${f#"$dir"/}
    if is_tmp "$rel"; then tmps="$tmps ${rel##*/}"
    elif is_state "$rel"; then
      case $rel in
      *.h5) "$MF_TOOLS/h5cmp" "$f" "$f" > /dev/null 2>&1 || bad "$dir: after the kill $rel is not a complete HDF5 file" ;;
      *) head -n "$(wc -l < "$f")" "$ref/$rel" | cmp -s - "$f" || bad "$dir: after the kill $rel is not a prefix of the reference's" ;;
      esac
    elif [ ! -e "$ref/$rel" ]; then bad "$dir: after the kill, $rel under a final name, not in the reference"
    else cmp -s "$ref/$rel" "$f" || bad "$dir: after the kill, $rel is under its final name but differs from the reference"
    fi
  done < <(find "$dir" -type f | sort)
  LEFT=${tmps:- none}
}

# same_tree REF DIR: the same files, byte for byte, nothing else.
same_tree() {
  local ref=$1 dir=$2 f
  if ! diff <(cd "$ref" && find . -type f | sort) <(cd "$dir" && find . -type f | sort) > tree.diff; then
    bad "$dir: files differ from the reference: $(tr '\n' ' ' < tree.diff)"
    return 1
  fi
  while IFS= read -r f; do
    cmp -s "$ref/$f" "$dir/$f" || { bad "$dir/$f differs from the reference"; return 1; }
  done < <(cd "$ref" && find . -type f | sort)
}

# kill_session SID: SIGKILL to every process of the job's session, until none is left.
kill_session() {
  local pids
  for _ in $(seq 1 50); do
    pids=$(ps -o pid= -s "$1" 2> /dev/null | tr '\n' ' ' || true)
    [ -z "${pids// /}" ] && return 0
    kill -KILL $pids 2> /dev/null || true
    sleep 0.05
  done
}

# moment JOB N KIND ARG: trial N of JOB. KIND time: kill after ARG ms;
# KIND hook: MF_FAULT_AT=ARG, kill once a rank has stopped there.
moment() {
  local job=$1 n=$2 kind=$3 arg=$4 dir="$work/$1.$2" ref="$work/$1.ref" t0 what rc reruns=0
  rm -rf "$dir"
  cp -r "in.$job" "$dir"
  t0=$(now_ms)
  if [ "$kind" = hook ]; then export MF_FAULT_AT=$arg; else export MF_FAULT_AT=; fi
  job_cmd "$job" "$dir"
  setsid "${CMD[@]}" < /dev/null > "$dir.log" 2>&1 & # its own session: mpirun and the ranks
  local sid=$!
  export MF_FAULT_AT=
  what="not killed: the job ended first"
  if [ "$kind" = time ]; then
    sleep "$(printf '%d.%03d' $((arg / 1000)) $((arg % 1000)))"
    if kill -0 $sid 2> /dev/null; then
      what="killed at $(($(now_ms) - t0)) ms"
      kill_session $sid
    fi
  else
    while kill -0 $sid 2> /dev/null; do
      if ps -o stat= -s $sid 2> /dev/null | grep -q '^T'; then
        what="killed at $arg ($(($(now_ms) - t0)) ms)"
        kill_session $sid
        break
      fi
      sleep 0.01
    done
    [ "${what#killed}" = "$what" ] && bad "$job.$n: the hook $arg was never reached"
  fi
  rc=0
  wait $sid 2> /dev/null || rc=$?
  if [ "${what#killed}" = "$what" ]; then
    what="$what (exit $rc)"
    [ $rc = 0 ] || bad "$job.$n: the job failed on its own (exit $rc): $(tail -2 "$dir.log")"
  fi
  after_kill "$ref" "$dir"
  # the same command again, until it completes
  rc=1
  while [ $rc != 0 ] && [ $reruns -lt 3 ]; do
    reruns=$((reruns + 1))
    rc=0
    MF_FAULT_AT= run_job "$job" "$dir" >> "$dir.rerun.log" 2>&1 || rc=$?
  done
  local result=equal
  if [ $rc != 0 ]; then
    bad "$job.$n: the rerun failed (exit $rc): $(tail -2 "$dir.rerun.log")"
    result="rerun failed"
  elif same_tree "$ref" "$dir"; then ok; else result=DIFFERENT; fi
  printf '| %s | %d | %s %s | %s | %s | %d | %s |\n' "$job" "$n" "$kind" "$arg" "$what" "$LEFT" $reruns "$result" | tee -a moments.md
}

# The plan: hooks at the named points (the pass drawn from the seed within
# the passes the job is sure to make on some rank), then seeded times within
# the reference's duration.
rnd() { R=$((1 + RANDOM % $1)); } # R: 1..N (no subshell: RANDOM would be reseeded in one)
hooks() { # hooks JOB: "hook POINT:N" lines
  case $1 in
  extract) # 18 chunks, 9 per rank; renames: the created .partial, then features.h5
    echo "hook store.create:1"
    rnd 9; echo "hook chunk.write:$R"
    echo "hook rename:2"
    if [ $full = 1 ]; then echo "hook rename:1"; echo "hook chunk.write:1"; fi ;;
  train) # 3 epochs: checkpoint writes 1..3, then model.h5; renames: 2 per epoch, then 2
    rnd 4; echo "hook ckpt.write:$R"
    rnd 8; echo "hook rename:$R"
    if [ $full = 1 ]; then echo "hook ckpt.write:4"; echo "hook rename:7"; echo "hook rename:1"; fi ;;
  evaluate) # 6 files renamed
    rnd 6; echo "hook rename:$R"
    if [ $full = 1 ]; then echo "hook rename:1"; echo "hook rename:6"; fi ;;
  sweep) # 4 trainings on 2 groups of 1 rank (one rank trains 2 or more): 4 checkpoint
    # or model writes and 15 renames each; --full: rois.h5 and the store first
    rnd 8; echo "hook ckpt.write:$R"
    rnd 30; echo "hook rename:$R"
    if [ $full = 1 ]; then echo "hook store.create:1"; rnd 9; echo "hook chunk.write:$R"; rnd 30; echo "hook rename:$R"; fi ;;
  esac
}
plan() { # plan JOB MS: the hooks, then times up to 3 moments (--full: 10)
  # within 70% of the reference's duration: a loaded machine's runs vary
  local k n=$((full ? 10 : 3)) span=$(($2 * 7 / 10 > 400 ? $2 * 7 / 10 - 200 : 200))
  hooks "$1" > hooks.txt
  cat hooks.txt
  k=$(wc -l < hooks.txt)
  [ $k -lt $n ] || return 0
  for _ in $(seq $((k + 1)) $n); do echo "time $((200 + RANDOM % span))"; done
}

echo "| job | # | moment | what happened | temporaries after the kill | reruns | final outputs |" | tee moments.md
echo "| --- | --- | --- | --- | --- | --- | --- |" | tee -a moments.md
for job in extract train evaluate sweep; do
  rm -rf "$job.ref"
  cp -r "in.$job" "$job.ref"
  t0=$(now_ms)
  MF_FAULT_AT= run_job $job "$work/$job.ref" > "$job.ref.log" 2>&1 || bad "$job: the reference run failed: $(tail -2 "$job.ref.log")"
  ms=$(($(now_ms) - t0))
  echo "$job: reference run $ms ms, $(cd "$job.ref" && find . -type f | wc -l) files"
  check "[ -z \"\$(find $job.ref -name '*.tmp.*' -o -name '*.partial' -o -name .mammofuse.lock)\" ]"
  plan $job $ms > plan.$job.txt
  i=0
  while read -r kind arg; do
    i=$((i + 1))
    moment $job $i $kind $arg
  done < plan.$job.txt
done
finish
