#!/usr/bin/env bash
# run.sh FUZZ_BUILD SECONDS [READER...]: the fuzzing campaign, one reader at
# a time (the machine's cores are shared): each libFuzzer fuzzer starts from
# tests/fuzz/corpus/<reader>/ (plus $MF_FUZZ_SEEDS/<reader>/ if set, e.g.
# the output of make_seeds.sh), runs SECONDS in fork mode (crashes, leaks,
# timeouts over 1 s and memory over 2 GB are saved and counted, the run goes
# on), and the corpus is then minimised (-merge=1) back into
# tests/fuzz/corpus/<reader>/. Logs and artifacts: $MF_FUZZ_OUT (default
# /tmp/mf-fuzz)/<reader>/. Build FUZZ_BUILD first (tests/fuzz/README.md).
set -euo pipefail
build=$(cd "$1" && pwd)
secs=$2
shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${MF_FUZZ_OUT:-/tmp/mf-fuzz}
readers=("$@")
export LSAN_OPTIONS=suppressions=$src/tests/fuzz/lsan.supp
[ ${#readers[@]} -gt 0 ] || readers=(pgm png info config weights rois features model checkpoint)
for r in "${readers[@]}"; do
  exe=$build/tests/fuzz_$r
  corpus=$src/tests/fuzz/corpus/$r
  w=$out/$r
  rm -rf "$w" && mkdir -p "$w/work" "$w/artifacts" "$corpus"
  seeds=()
  [ -n "${MF_FUZZ_SEEDS:-}" ] && [ -d "$MF_FUZZ_SEEDS/$r" ] && seeds=("$MF_FUZZ_SEEDS/$r")
  # HDF5 inputs: seeds are up to ~45 kB; text and images stay small
  case $r in pgm|png|info|config) maxlen=16384 ;; *) maxlen=65536 ;; esac
  echo "== $r: $secs s"
  "$exe" "$w/work" "$corpus" "${seeds[@]}" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$secs" -timeout=1 -rss_limit_mb=2048 -max_len=$maxlen \
    -artifact_prefix="$w/artifacts/" > "$w/fuzz.log" 2>&1 || true
  grep -E "^#[0-9]+:" "$w/fuzz.log" | tail -1 || true
  # minimise: every input that adds coverage, from the old corpus, the seeds and this run's
  mkdir -p "$w/min"
  "$exe" -merge=1 -timeout=1 -rss_limit_mb=2048 "$w/min" "$corpus" "${seeds[@]}" "$w/work" > "$w/merge.log" 2>&1 || true
  if [ -n "$(ls -A "$w/min")" ]; then
    rm -f "$corpus"/*
    cp "$w/min"/* "$corpus"/
  fi
  echo "$r: corpus $(ls "$corpus" | wc -l) files, $(du -sk "$corpus" | cut -f1) kB; artifacts: $(ls "$w/artifacts" | wc -l)"
done
