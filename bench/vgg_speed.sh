#!/usr/bin/env bash
# vgg_speed.sh: the VGG tower's speed beside the machine's sgemm rate and the
# PyTorch peer, measured in the same run, twice (timings on a shared machine
# are noisy). Not a test. Usage: bench/vgg_speed.sh [BUILD_DIR] [SECONDS]
# Modes: one process with OpenBLAS's default threads; two processes with one
# OpenBLAS thread each (one rank per core, as `extract` runs); the peer with 2
# threads. OPENBLAS_NUM_THREADS is set only for the second mode's processes.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
secs=${2:-10}
exe=$(mktemp -d)/vgg_speed
trap 'rm -rf "$(dirname "$exe")"' EXIT
gcc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -I"$src" "$src/bench/vgg_speed.c" "$build/libmfcore.a" -fopenmp \
  $(pkg-config --libs openblas) -lm -o "$exe"
peer=$src/../shared/tools/peer_torch_bench.py
for rep in 1 2; do
  echo "== run $rep"
  "$exe" --seconds "$secs" | grep -v '^ours'
  OPENBLAS_NUM_THREADS=1 "$exe" --seconds "$secs" --no-sgemm >"$exe.a" &
  OPENBLAS_NUM_THREADS=1 "$exe" --seconds "$secs" --no-sgemm >"$exe.b" &
  wait
  awk '/^ours/ { s += $3 } END { printf "mammofuse 2 processes x 1 thread: %.1f patches/s\n", s }' "$exe.a" "$exe.b"
  if [ -f "$peer" ]; then /usr/bin/python3 "$peer" --arch vgg19 --threads 2 --seconds "$secs" | tail -2 | head -1 | sed 's/^/peer torch 2 threads: /'; fi
done
