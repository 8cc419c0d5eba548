# lib.sh: helpers sourced by the shell tests in cli/, mpi/ and data/: a
# scratch folder, expectations on exit status and the one error line, and the
# closing "N passed, N failed" line.
set -euo pipefail
[ "${MF_LIB_SOURCED:-}" = 1 ] && return 0
MF_LIB_SOURCED=1
: "${MF_BIN:?set by ctest}"
pass=0
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# expect_fail STATUS PATTERN CMD...: CMD exits STATUS, prints exactly one
# stderr line matching PATTERN (grep -E).
expect_fail() {
  local want=$1 pat=$2
  shift 2
  local rc=0
  "$@" > out.txt 2> err.txt || rc=$?
  local lines
  lines=$(grep -c . err.txt || true)
  if [ "$rc" != "$want" ]; then bad "$* -> exit $rc, expected $want; stderr: $(cat err.txt)"; return; fi
  if [ "$lines" != 1 ]; then bad "$* -> $lines stderr lines, expected 1: $(cat err.txt)"; return; fi
  if ! grep -Eq -- "$pat" err.txt; then bad "$* -> '$(cat err.txt)' does not match '$pat'"; return; fi
  ok
}

# no_output DIR: nothing but folders under DIR (no file, no temporary).
no_output() {
  local found
  found=$(find "$1" -type f 2>/dev/null | head -5 || true) # a folder never made holds nothing
  if [ -n "$found" ]; then bad "output left behind: $found"; else ok; fi
}

check() { if eval "$1"; then ok; else bad "$1"; fi; }

finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" = 0 ]
}

mpirun_n() {
  local n=$1
  shift
  "${MF_MPIEXEC:-mpirun}" -q --allow-run-as-root --oversubscribe -n "$n" "$@"
}

# ranks_of DIR: pids of the mammofuse ranks (not mpirun) working on $work/DIR,
# so a test can signal the ranks as SLURM does.
ranks_of() { for p in $(pgrep -x mammofuse); do grep -qa -- "$work/$1" /proc/$p/cmdline 2>/dev/null && echo $p; done; }

# wait_progress LOG JOB N: waits (up to 60 s) until LOG shows "JOB: d/..." with d >= N
# (progress lines, MF_PROGRESS_SECONDS=0).
wait_progress() {
  for _ in $(seq 1 1200); do
    local d
    d=$(grep -Eo "^$2: [0-9]+/" "$1" 2>/dev/null | tail -1 | grep -Eo '[0-9]+' || true)
    [ -n "$d" ] && [ "$d" -ge "$3" ] && return 0
    sleep 0.05
  done
  return 1
}

# chrome OUT.log ARGS...: headless Chromium, no network, no profile of the
# user's (the report checks: --dump-dom, --screenshot).
chrome() {
  local log=$1
  shift
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$(mktemp -d -p "$work")" \
    --enable-logging=stderr --v=0 "$@" 2> "$log"
}

# same_run A B: every output of sweep run B equals run A's: the files $files
# of each configuration in $names (the caller's), and the summary.
same_run() {
  local a=$1 b=$2 n f
  for n in $names; do
    for f in $files; do
      if [ "${f##*.}" = h5 ]; then
        "$MF_TOOLS/h5cmp" "$a/sweep/$n/$f" "$b/sweep/$n/$f" > /dev/null || { echo "$b/sweep/$n/$f differs" >&2; return 1; }
      else
        cmp -s "$a/sweep/$n/$f" "$b/sweep/$n/$f" || { echo "$b/sweep/$n/$f differs" >&2; return 1; }
      fi
    done
  done
  for f in sweep.csv sweep.md sweep.html; do cmp "$a/$f" "$b/$f" || return 1; done
}
