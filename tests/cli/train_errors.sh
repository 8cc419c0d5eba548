# train_errors.sh: bad input to `mammofuse train` is one stderr line naming
# the file and what is wrong, exit 1, and no output: no store; a store
# without the blocks the model needs; a branch list outside 1..5; a
# store made with another configuration (the identity's first differing
# key); a checkpoint or model made by another training.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
X=(--set patches.tumor_draws=4 --set patches.normal_draws=1 --set backbone.blocks=3 --set extract.batch=16)
mkdir empty
expect_fail 1 "empty/features.h5: missing \(run .mammofuse extract. with this --out first\)" \
  "$MF_BIN" train "$cfg" --out empty
no_output empty
expect_fail 1 "model.branches.*expected distinct increasing integers in 1..5, found '6'" \
  "$MF_BIN" train "$cfg" --set model.branches=4,6 --out empty
expect_fail 1 "model.branches.*expected distinct increasing integers in 1..5, found '0'" \
  "$MF_BIN" train "$cfg" --set model.branches=[0,1] --out empty

"$MF_BIN" rois "$cfg" --out s3 > /dev/null
"$MF_BIN" extract "$cfg" "${X[@]}" --out s3 > /dev/null
expect_fail 1 "s3/features.h5: holds the summaries of VGG blocks 1-3 only; model.branches \[4, 5\] needs block 4" \
  "$MF_BIN" train "$cfg" "${X[@]}" --set model.head=fusion2 --set model.branches=4,5 --out s3
check "[ ! -e s3/model.h5 ] && [ ! -e s3/checkpoint.h5 ] && [ ! -e s3/history.csv ]"
expect_fail 1 "s3/features.h5: refused: made with another configuration \(key 'patches.tumor_draws': 4 in the file, 40 in the config\)" \
  "$MF_BIN" train "$cfg" --set model.branches=1,2,3 --out s3
check "[ ! -e s3/model.h5 ] && [ ! -e s3/checkpoint.h5 ] && [ ! -e s3/history.csv ]"

T=("${X[@]}" --set model.branches=1,2,3 --set train.batch=8 --set train.epochs=1)
"$MF_BIN" train "$cfg" "${T[@]}" --out s3 > /dev/null
sum=$(md5sum s3/model.h5 s3/checkpoint.h5 s3/history.csv)
expect_fail 1 "s3/checkpoint.h5: refused: made by another training \(key 'train.lr': 0.0001 in the file, 0.001 in the config\)" \
  "$MF_BIN" train "$cfg" "${T[@]}" --set train.lr=0.001 --out s3
expect_fail 1 "s3/checkpoint.h5: refused: made by another training \(key 'model.branches': \[1, 2, 3\] in the file, \[2, 3\] in the config\)" \
  "$MF_BIN" train "$cfg" "${T[@]}" --set model.branches=2,3 --out s3
rm s3/checkpoint.h5
expect_fail 1 "s3/model.h5: refused: made by another training \(key 'model.head': fusion1 in the file, fusion2 in the config\)" \
  "$MF_BIN" train "$cfg" "${T[@]}" --set model.head=fusion2 --out s3
expect_fail 1 "s3/model.h5: refused: made by another training \(key 'train.seed': 1 in the file, 2 in the config\)" \
  "$MF_BIN" train "$cfg" "${T[@]}" --set train.seed=2 --out s3
# a model of the same training on another store (remade with other draws) is refused by its input_store
mkdir s4 && cp s3/rois.h5 s3/model.h5 s4/
"$MF_BIN" extract "$cfg" "${X[@]}" --set patches.normal_draws=2 --out s4 > /dev/null
expect_fail 1 "s4/model.h5: refused: made by another training \(key 'input_store': [0-9a-f]{64} in the file, [0-9a-f]{64} now\)" \
  "$MF_BIN" train "$cfg" "${T[@]}" --set patches.normal_draws=2 --out s4
check "[ \"\$(md5sum s3/model.h5 s3/history.csv)\" = \"\$(echo \"\$sum\" | grep -v checkpoint)\" ]"
check "[ -z \"\$(ls s3 | grep tmp)\" ]"
finish
