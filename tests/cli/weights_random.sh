# weights_random.sh: `backbone.weights: random:SEED` (the control without
# ImageNet pretraining) makes in memory the weights `mammofuse weights random
# --seed SEED` writes: the features of a store extracted with either are
# equal to the bit; the store records the digest of the weights in memory;
# a malformed name is one line naming the key.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
X=(--set patches.tumor_draws=2 --set patches.normal_draws=1 --set backbone.blocks=2 --set extract.batch=16
   --set data.synth_images=8)
"$MF_BIN" weights random --arch vgg16 --blocks 2 --seed 7 -o "$work/r7.h5" > /dev/null
for d in mem file; do mkdir $d; done
"$MF_BIN" rois "$cfg" "${X[@]}" --out mem > /dev/null
cp mem/rois.h5 file/
"$MF_BIN" extract "$cfg" "${X[@]}" --set backbone.weights=random:7 --out mem > mem.log
"$MF_BIN" extract "$cfg" "${X[@]}" --set backbone.weights="$work/r7.h5" --out file > file.log
check "[ -s mem/features.h5 ] && [ -s file/features.h5 ]"
check "$MF_TOOLS/fstore_compare mem/features.h5 file/features.h5 0 > cmp.txt"
"$MF_BIN" extract "$cfg" "${X[@]}" --set backbone.weights=random --out mem1 > /dev/null 2>&1 || true
check "! $MF_TOOLS/fstore_compare mem/features.h5 mem1/features.h5 0 > /dev/null 2>&1"
check "/usr/bin/python3 -c 'import h5py,sys; v=h5py.File(\"mem/features.h5\",\"r\")[\"identity\"].attrs[\"weights_sha256\"]; v=v.decode() if isinstance(v,bytes) else v; sys.exit(len(v)!=64)'"
expect_fail 1 "key 'backbone.weights': expected random or random:SEED \(SEED a non-negative integer\), found 'random:x'" \
  "$MF_BIN" run "$cfg" "${X[@]}" --set backbone.weights=random:x --until-extract --out bad
no_output bad
finish
