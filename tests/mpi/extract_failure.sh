# extract_failure.sh: a write that fails on one rank of the feature store's
# collective I/O ends every rank together (no hang: `timeout`), with exit 1
# and one line naming the store and the cause; what is left is consistent:
# - a chunk write fails: the .partial stays (its done flags name the chunks on
#   disk) and the same command resumes it to the store of an unbroken run;
# - the plan write at creation fails: no .partial is left behind;
# - the final close fails: no features.h5, the .partial stays and resumes;
# - a .partial without the identity attribute (a creation that never
#   finished) is not a store: it is removed and made again.
# The failures are injected with the test-only MF_TEST_FAIL_WRITE=<rank>:<what>
# (io/features_store.c), which fails the call as HDF5 would after the rank
# took part in it.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
# a small, cheap plan of 13 chunks (102 patches, blocks 1-2)
S=(--set patches.tumor_draws=6 --set patches.normal_draws=2 --set patches.grid_for=none --set backbone.blocks=2
  --set extract.batch=8)
# 2 ranks with MF_TEST_FAIL_WRITE=$1, killed if they hang
failing() {
  local what=$1
  shift
  env MF_TEST_FAIL_WRITE="$what" timeout -k 10 120 \
    "${MF_MPIEXEC:-mpirun}" -q --allow-run-as-root --oversubscribe -n 2 "$MF_BIN" extract "$cfg" "${S[@]}" "$@"
}
"$MF_BIN" rois "$cfg" --out "$work/ref" > /dev/null
for d in w1 w0 plan close noid; do mkdir "$d" && cp ref/rois.h5 "$d/"; done
mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out "$work/ref" > ref.log
n=$(grep -Eo 'extract: [0-9]+ patches' ref.log | head -1 | grep -Eo '[0-9]+')
chunks=$(((n + 7) / 8))
k1=$((chunks / 2 + 1)) # rank 1's second chunk (its slice starts at chunks / 2)
k0=1                   # rank 0's second chunk

# a chunk write fails on rank 1, then on rank 0
for r in 1 0; do
  k=$([ $r = 1 ] && echo $k1 || echo $k0)
  expect_fail 1 "w$r/features.h5.partial: dataset .mean_1.: chunk $k \(rows [0-9]+..[0-9]+\): cannot write: injected failure \(MF_TEST_FAIL_WRITE\)$" \
    failing $r:$k --out "$work/w$r"
  check "[ -f w$r/features.h5.partial ] && [ ! -e w$r/features.h5 ]"
  mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out "$work/w$r" > w$r.log
  check "grep -q 'resuming' w$r.log"
  check "$MF_TOOLS/h5cmp ref/features.h5 w$r/features.h5 > /dev/null"
done

# the plan write at creation fails (rank 0 writes the plan; rank 1 waits in the collective)
expect_fail 1 "plan/features.h5.partial: cannot write dataset .roi. \(rows 0..[0-9]+\): injected failure \(MF_TEST_FAIL_WRITE\)$" \
  failing 0:plan --out "$work/plan"
check "[ ! -e plan/features.h5.partial ] && [ ! -e plan/features.h5 ]"
mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out "$work/plan" > plan.log
check "! grep -q 'resuming' plan.log"
check "$MF_TOOLS/h5cmp ref/features.h5 plan/features.h5 > /dev/null"

# the final close fails on rank 1: nothing is renamed
expect_fail 1 "close/features.h5.partial: cannot close: injected failure \(MF_TEST_FAIL_WRITE\)$" \
  failing 1:close --out "$work/close"
check "[ -f close/features.h5.partial ] && [ ! -e close/features.h5 ]"
mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out "$work/close" > close.log
check "$MF_TOOLS/h5cmp ref/features.h5 close/features.h5 > /dev/null"

# an HDF5 file without an identity group where the .partial should be (a
# creation killed before its last step)
"$MF_BIN" weights formula --arch vgg16 --blocks 1 -o noid/features.h5.partial > /dev/null
mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out "$work/noid" > noid.log 2> noid.err || true
check "grep -q 'has no identity .*starting over' noid.log"
check "[ ! -s noid.err ]"
check "$MF_TOOLS/h5cmp ref/features.h5 noid/features.h5 > /dev/null"
finish
