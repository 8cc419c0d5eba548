# tower_blocks.sh: a config that needs VGG blocks the weights file lacks is
# refused before any work, with one line naming the file, the key, the
# missing blocks and the official file to get (the paper's rows [4,5]... on a
# machine that has blocks 1-3 only).
. "$MF_SRC/tests/lib.sh"
w="$MAMMOFUSE_DATA/weights/vgg19_imagenet_blocks1-3.h5"
get="get vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5 \(Keras applications release v0.1"
expect_fail 1 "^$w: holds VGG19 blocks 1-3 only; model.branches needs blocks 4-5: $get" \
  "$MF_BIN" run "$MF_SRC/configs/released.yaml" --set model.branches=[1,2,3,4,5] --out a
no_output a
expect_fail 1 "^$w: holds VGG19 blocks 1-3 only; model.branches needs block 4: $get" \
  "$MF_BIN" run "$MF_SRC/configs/released.yaml" --set model.branches=[3,4] --out a
expect_fail 1 "^$w: holds VGG19 blocks 1-3 only; backbone.blocks needs blocks 4-5: $get" \
  "$MF_BIN" run "$MF_SRC/configs/released.yaml" --set backbone.blocks=5 --set model.branches=[1] --out a
no_output a
# VGG16 asks for the VGG16 file
expect_fail 1 "^$w: holds VGG19 weights, expected VGG16 \(backbone.arch\)$" \
  "$MF_BIN" run "$MF_SRC/configs/released.yaml" --set backbone.arch=vgg16 --set model.branches=[5] --out a
no_output a
finish
