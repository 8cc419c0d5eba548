# extract_ranks.sh: the feature store's contents are identical whether 1, 2 or
# 4 ranks wrote it (float32 and float16), and a second run finds it up to date.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
S=(--set patches.tumor_draws=6 --set patches.normal_draws=2 --set extract.batch=16 --set backbone.blocks=3)
"$MF_BIN" rois "$cfg" --out base > /dev/null
for n in 1 2 4; do
  cp -r base r$n
  mpirun_n $n "$MF_BIN" extract "$cfg" "${S[@]}" --out r$n > log$n.txt
  check "grep -q 'extract: 202 patches of vgg16 blocks 1-3' log$n.txt"
done
check "$MF_TOOLS/h5cmp r1/features.h5 r2/features.h5"
check "$MF_TOOLS/h5cmp r1/features.h5 r4/features.h5"
mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out r2 > again.txt
check "grep -q 'is up to date' again.txt"
# float16: the same rank invariance, and values within half precision of float32
for n in 1 2; do
  cp -r base h$n
  mpirun_n $n "$MF_BIN" extract "$cfg" "${S[@]}" --set extract.dtype=float16 --out h$n > /dev/null
done
check "$MF_TOOLS/h5cmp h1/features.h5 h2/features.h5"
check "$MF_TOOLS/fstore_verify r1 > v32.txt"
check "$MF_TOOLS/fstore_verify h1 > v16.txt"
check "$MF_TOOLS/fstore_compare r1/features.h5 h1/features.h5 0.001"
finish
