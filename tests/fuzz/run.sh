#!/usr/bin/env bash
# run.sh FUZZ_BUILD SECONDS [READER...]: the fuzzing campaign, one reader at
# a time (the machine's cores are shared), resumable. Each reader fuzzes for
# SECONDS of wall time, niced, in plain libFuzzer runs of at most
# $MF_FUZZ_CHUNK s (default 300) from tests/fuzz/corpus/<reader>/ plus its
# work folder (and $MF_FUZZ_SEEDS/<reader>/ if set). After each run one line
# goes to tests/fuzz/campaign.tsv (committed; tally.sh sums it per reader):
# its executions and how it ended. A run that stops on a crash, leak,
# timeout (> 1 s) or out-of-memory keeps its input under artifacts/ and the
# next run goes on; a timeout is then replayed up to 3 times, and recorded
# as "slow-once" if a replay takes less than a second (a stall of the
# shared machine, not a hang). At the end the corpus is minimised (-merge=1) back
# into tests/fuzz/corpus/<reader>/. Logs, work and artifacts: $MF_FUZZ_OUT
# (default /tmp/mf-fuzz)/<reader>/, kept across runs so that a later
# session continues where this one stopped. With MF_FUZZ_GOAL=N a reader
# stops early once campaign.tsv counts N executions of it (the issue's
# 1000000). Build FUZZ_BUILD first (tests/fuzz/README.md).
set -euo pipefail
build=$(cd "$1" && pwd)
secs=$2
shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
out=${MF_FUZZ_OUT:-/tmp/mf-fuzz}
chunk=${MF_FUZZ_CHUNK:-300}
log=${MF_FUZZ_LOG:-$src/tests/fuzz/campaign.tsv}
goal=${MF_FUZZ_GOAL:-0}
readers=("$@")
[ ${#readers[@]} -gt 0 ] || readers=(pgm png info config weights rois features model checkpoint)
[ -f "$log" ] || printf 'date\treader\texecutions\tseconds\tend\tartifact\tcontained\n' > "$log"
# LeakSanitizer: libhdf5's own leaks suppressed (lsan.supp). ASan: a 16 MB
# quarantine (the 256 MB default made every leak check scan it: 2x slower),
# and a malloc of an absurd size read from a damaged file returns NULL as
# it does without ASan (libhdf5 and the readers check it) instead of
# aborting the run.
export LSAN_OPTIONS=suppressions=$src/tests/fuzz/lsan.supp
# weights: the probe server (fuzz_probe.h) gets MF_WEIGHTS_PROBE_TIMEOUT (0.25 s
# of its CPU time here, 60 s in the product) before SIGABRT, which ASan
# reports with its stack (handle_abort=1); a malloc over 256 MB fails (the
# product's child has 512 MiB of address space more than it starts with;
# below libFuzzer's malloc limit, whose hook would write an oom- artifact of
# the server's input, and short of the zeroing of hundreds of megabytes
# under ASan that libhdf5 does on some damaged files: over a second).
# Reports are not symbolized there (symbolize=0: fuzz_probe.h tells the
# project's code by address); replay an artifact to see its stack's names.
asan=quarantine_size_mb=16:allocator_may_return_null=1:handle_abort=1:max_allocation_size_mb=256
export MF_WEIGHTS_PROBE_TIMEOUT=${MF_WEIGHTS_PROBE_TIMEOUT:-0.25}
for r in "${readers[@]}"; do
  export ASAN_OPTIONS=$asan
  [ "$r" != weights ] || export ASAN_OPTIONS=$asan:symbolize=0
  exe=$build/tests/fuzz_$r
  corpus=$src/tests/fuzz/corpus/$r
  w=$out/$r
  mkdir -p "$w/work" "$w/artifacts" "$corpus"
  seeds=()
  [ -n "${MF_FUZZ_SEEDS:-}" ] && [ -d "$MF_FUZZ_SEEDS/$r" ] && seeds=("$MF_FUZZ_SEEDS/$r")
  # HDF5 inputs: seeds are up to ~45 kB; text and images stay small
  case $r in pgm|png|info|config) maxlen=16384 ;; *) maxlen=65536 ;; esac
  echo "== $r: $secs s"
  end=$((SECONDS + secs))
  while [ $SECONDS -lt $((end - 5)) ]; do
    t=$((end - SECONDS)); [ $t -le $chunk ] || t=$chunk
    runs=()
    if [ "$goal" -gt 0 ]; then
      done_n=$(awk -F'\t' -v r="$r" 'NR > 1 && $2 == r { n += $3 } END { print n + 0 }' "$log")
      [ "$done_n" -lt "$goal" ] || break
      runs=(-runs=$((goal - done_n)))
    fi
    before=$(ls "$w/artifacts" | sort)
    t0=$SECONDS
    nice -n 10 "$exe" "$w/work" "$corpus" "${seeds[@]}" -max_total_time="$t" "${runs[@]}" -timeout=1 -rss_limit_mb=2048 \
      -max_len=$maxlen -print_final_stats=1 -artifact_prefix="$w/artifacts/" > "$w/fuzz.log" 2>&1 || true
    cat "$w/fuzz.log" >> "$w/all.log"
    n=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$w/fuzz.log" | tail -1 | grep -o '[0-9]*$' || true)
    [ -n "$n" ] || n=$(grep -oE '^#[0-9]+' "$w/fuzz.log" | tail -1 | tr -d '#' || true)
    art=$(comm -13 <(echo "$before") <(ls "$w/artifacts" | sort) | head -1)
    how=ok
    case $art in
      crash-*) grep -q 'LeakSanitizer' "$w/fuzz.log" && how=leak || how=crash ;;
      leak-*) how=leak ;;
      oom-*) how=oom ;;
      slow-unit-*) how=ok ;;
      timeout-*)
        # a hang takes over a second every time; an input that once runs
        # in less was stalled by the machine
        how=timeout
        for _ in 1 2 3; do
          if nice -n 10 "$exe" -timeout=1 -rss_limit_mb=2048 "$w/artifacts/$art" > /dev/null 2>&1; then
            how=slow-once
            break
          fi
        done ;;
      '') grep -q 'Done [0-9]* runs' "$w/fuzz.log" || how=stopped ;;
    esac
    # libFuzzer checks leaks after an input only for the first 1000 inputs
    # that allocate more than they free; LeakSanitizer then checks the whole
    # process when the run ends: a leak there is the run's leak
    [ -n "$art" ] || ! grep -q 'ERROR: LeakSanitizer' "$w/fuzz.log" || how=leak
    # weights: libhdf5 faults the probe contained (a crash or hang of the child inside libhdf5)
    held=$(grep -c '^fuzz: libhdf5 fault contained' "$w/fuzz.log" || true)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$r" "${n:-0}" $((SECONDS - t0)) "$how" "${art:--}" "${held:-0}" >> "$log"
    tail -1 "$log"
  done
  # minimise: every input that adds coverage, from the old corpus, the seeds and the work folder
  rm -rf "$w/min" && mkdir -p "$w/min"
  nice -n 10 "$exe" -merge=1 -timeout=1 -rss_limit_mb=2048 "$w/min" "$corpus" "${seeds[@]}" "$w/work" > "$w/merge.log" 2>&1 || true
  if [ -n "$(ls -A "$w/min")" ]; then
    find "$corpus" -type f ! -name 'found-*' ! -name 'small-*' -delete # named inputs stay (see README.md)
    cp -n "$w/min"/* "$corpus"/
  fi
  echo "$r: corpus $(ls "$corpus" | wc -l) files, $(du -sk "$corpus" | cut -f1) kB; artifacts: $(ls "$w/artifacts" | wc -l)"
done
