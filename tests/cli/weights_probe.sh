#!/usr/bin/env bash
# weights_probe.sh: untrusted Keras weights are read in a probe child first
# (io/weights_probe.h), so that what libhdf5 1.10.8 does on a hostile file
# (a heap over-read, an allocation of gigabytes, a stall: the fuzzers'
# tests/fuzz/hdf5-found/weights/) is one line naming the file and exit 1:
# `weights info` and `extract` on 1 and 2 ranks refuse each of those inputs
# (no features.h5, no partial store); a FIFO that never delivers data is
# refused after MF_WEIGHTS_PROBE_TIMEOUT, in time; a bad
# MF_WEIGHTS_PROBE_TIMEOUT is one line naming it; good weights still extract.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
S=(--set patches.tumor_draws=2 --set patches.normal_draws=1 --set patches.grid_for=none --set backbone.blocks=1)
"$MF_BIN" rois "$cfg" --out "$work/r" > /dev/null
for f in "$MF_SRC"/tests/fuzz/hdf5-found/weights/*; do
  q=$(printf '%s' "$f" | sed 's/[][\.*^$+?(){}|]/\\&/g')
  expect_fail 1 "^mammofuse weights: $q: " "$MF_BIN" weights info "$f"
  for n in 1 2; do
    rm -rf x && mkdir x && cp r/rois.h5 x/
    expect_fail 1 "^$q: " timeout -k 10 120 "${MF_MPIEXEC:-mpirun}" -q --allow-run-as-root --oversubscribe -n $n \
      "$MF_BIN" extract "$cfg" "${S[@]}" --set backbone.weights="$f" --out "$work/x"
    check "[ ! -e x/features.h5 ] && [ ! -e x/features.h5.partial ]"
  done
done
# a FIFO nobody writes to: the child waits in open() until it is killed
mkfifo fifo.h5
t0=$(date +%s%N)
expect_fail 1 "^mammofuse weights: fifo.h5: not read within 0.5 s \(the HDF5 library stalled on it: a damaged file, or not Keras weights; MF_WEIGHTS_PROBE_TIMEOUT sets the limit\)$" \
  env MF_WEIGHTS_PROBE_TIMEOUT=0.5 "$MF_BIN" weights info fifo.h5
ms=$((($(date +%s%N) - t0) / 1000000))
check "[ $ms -ge 500 ] && [ $ms -lt 20000 ]"
rm -rf x && mkdir x && cp r/rois.h5 x/
expect_fail 1 "^$work/fifo.h5: not read within 0.5 s" env MF_WEIGHTS_PROBE_TIMEOUT=0.5 \
  timeout -k 10 120 "${MF_MPIEXEC:-mpirun}" -q --allow-run-as-root --oversubscribe -n 2 \
  "$MF_BIN" extract "$cfg" "${S[@]}" --set backbone.weights="$work/fifo.h5" --out "$work/x"
check "[ ! -e x/features.h5 ] && [ ! -e x/features.h5.partial ]"
# the variable itself
"$MF_BIN" weights formula --arch vgg16 --blocks 1 -o good.h5 > /dev/null
expect_fail 1 "^mammofuse weights: environment variable MF_WEIGHTS_PROBE_TIMEOUT='soon': expected seconds, a number from 0 to 1000000$" \
  env MF_WEIGHTS_PROBE_TIMEOUT=soon "$MF_BIN" weights info good.h5
expect_fail 1 "^mammofuse weights: good.h5: not read within 0 s" env MF_WEIGHTS_PROBE_TIMEOUT=0 "$MF_BIN" weights info good.h5
# good weights: read through the probe, extracted on 2 ranks
check "'$MF_BIN' weights info good.h5 | grep -q '^blocks 1$'"
rm -rf x && mkdir x && cp r/rois.h5 x/
mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --set backbone.arch=vgg16 --set backbone.weights="$work/good.h5" \
  --out "$work/x" > x.log
check "[ -f x/features.h5 ]"
finish
