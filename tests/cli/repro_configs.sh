# repro_configs.sh: the reproduction's configs (configs/repro_*.yaml,
# configs/paper_rows_vgg*.yaml) are valid sweeps: each parses, grid and all,
# to the point where it needs its store. The paper's own rows need the
# official ImageNet files these machines lack: the sweep is refused before
# any work with one line naming the file to get and its md5; with the blocks
# 1-3 file given instead, the grid is refused naming sweep.branches.
. "$MF_SRC/tests/lib.sh"
for c in repro_released repro_released_balanced repro_paper_split repro_woman_split repro_control_random repro_cv; do
  expect_fail 1 "^out_$c/features.h5: missing" "$MF_BIN" sweep "$MF_SRC/configs/$c.yaml" --summary-only --out "out_$c"
done
for a in 16 19; do
  md5=$([ $a = 16 ] && echo 6d6bbae143d832006294945121d1f1fc || echo 253f8cb515780f3b799900260a226db6)
  expect_fail 1 "weights/vgg${a}_weights_tf_dim_ordering_tf_kernels_notop.h5: missing \(key 'backbone.weights'\); the config needs VGG$a blocks 1-5: get vgg${a}_weights_tf_dim_ordering_tf_kernels_notop.h5 \(Keras applications release v0.1, fchollet/deep-learning-models; md5 $md5\) and put it there$" \
    "$MF_BIN" sweep "$MF_SRC/configs/paper_rows_vgg$a.yaml" --out "rows$a"
  check "[ ! -e rows$a ]"
done
expect_fail 1 "paper_rows_vgg19.yaml: line [0-9]+: key 'sweep.branches': \[5\] names block 5; the store holds blocks 1-3$" \
  "$MF_BIN" sweep "$MF_SRC/configs/paper_rows_vgg19.yaml" --set backbone.weights=weights/vgg19_imagenet_blocks1-3.h5 --out rows19b
check "[ ! -e rows19b ]"
finish
