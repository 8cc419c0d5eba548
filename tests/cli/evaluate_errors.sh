# evaluate_errors.sh: bad input to `mammofuse evaluate` is one stderr line,
# exit 1, and no metrics.json (nor any other output or temporary): no model;
# a model of another training (train.lr); a model trained on another store;
# a truncated model.h5; a store made with another configuration; evaluated
# splits without patches; evaluate.bootstrap below 100; --help lists the keys.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
X=(--set patches.tumor_draws=4 --set patches.normal_draws=1 --set backbone.blocks=3 --set extract.batch=16
   --set model.branches=1,2,3 --set train.batch=8 --set train.epochs=1)
outputs() { ls "$1" | grep -E 'metrics|table|predictions|roc|pr\.csv|tmp' || true; }
"$MF_BIN" evaluate --help > help.txt
check "grep -q 'evaluate.bootstrap' help.txt && grep -q 'evaluate.splits' help.txt && grep -q 'evaluate.model' help.txt"
"$MF_BIN" rois "$cfg" --out s > /dev/null
"$MF_BIN" extract "$cfg" "${X[@]}" --out s > /dev/null
expect_fail 1 "s/model.h5: missing \(run .mammofuse train. with this --out first\)" "$MF_BIN" evaluate "$cfg" "${X[@]}" --out s
expect_fail 1 "s/checkpoint.h5: missing" "$MF_BIN" evaluate "$cfg" "${X[@]}" --set evaluate.model=last --out s
check "[ -z \"\$(outputs s)\" ]"
"$MF_BIN" train "$cfg" "${X[@]}" --out s > /dev/null
expect_fail 1 "s/model.h5: refused: made by another training \(key 'train.lr': 0.0001 in the file, 0.001 in the config\)" \
  "$MF_BIN" evaluate "$cfg" "${X[@]}" --set train.lr=0.001 --out s
expect_fail 1 "s/checkpoint.h5: refused: made by another training \(key 'train.seed'" \
  "$MF_BIN" evaluate "$cfg" "${X[@]}" --set train.seed=5 --set evaluate.model=last --out s
expect_fail 1 "s/features.h5: refused: made with another configuration \(key 'patches.tumor_draws': 4 in the file, 40 in the config\)" \
  "$MF_BIN" evaluate "$cfg" --set backbone.blocks=3 --set model.branches=1,2,3 --out s
expect_fail 1 "evaluate.bootstrap.*expected an integer in 100" "$MF_BIN" evaluate "$cfg" "${X[@]}" --set evaluate.bootstrap=10 --out s
check "[ -z \"\$(outputs s)\" ]"
# the same training on another store (other draws): refused by input_store
mkdir o && cp s/rois.h5 s/model.h5 o/
"$MF_BIN" extract "$cfg" "${X[@]}" --set patches.normal_draws=2 --out o > /dev/null
expect_fail 1 "o/model.h5: refused: made by another training \(key 'input_store': [0-9a-f]{64} in the file, [0-9a-f]{64} now\)" \
  "$MF_BIN" evaluate "$cfg" "${X[@]}" --set patches.normal_draws=2 --out o
check "[ -z \"\$(outputs o)\" ]"
# a truncated model.h5
mkdir t && cp s/rois.h5 s/features.h5 t/ && head -c 3000 s/model.h5 > t/model.h5
expect_fail 1 "t/model.h5" "$MF_BIN" evaluate "$cfg" "${X[@]}" --out t
check "[ -z \"\$(outputs t)\" ]"
# a store whose plan gives the test split nothing: no grid, no draws for test
G=("${X[@]}" --set patches.grid_for=none --set patches.draws_for=trainval)
mkdir g && cp s/rois.h5 g/
"$MF_BIN" extract "$cfg" "${G[@]}" --out g > /dev/null
"$MF_BIN" train "$cfg" "${G[@]}" --out g > /dev/null
expect_fail 1 "g/features.h5: no patches of evaluate.splits \[test\] in the plan" "$MF_BIN" evaluate "$cfg" "${G[@]}" --out g
check "[ -z \"\$(outputs g)\" ]"
# and the same store evaluates its validation split
"$MF_BIN" evaluate "$cfg" "${G[@]}" --set evaluate.splits=1 --set evaluate.bootstrap=100 --out g > /dev/null
check "[ -e g/metrics.json ] && [ -e g/predictions.csv ]"
finish
