# cv_errors.sh: bad input to `mammofuse cv` is one stderr line naming the
# key or file and what was expected, exit 1 (2 for the command line), and
# nothing started (no fold folder, no summary): more folds than the women of
# a class (the small set has 3 women whose worst class is malignant); a
# config whose store lacks the grid (or the draws) of every ROI; no store;
# a store of another configuration; a bad --slice.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
X=(--set patches.tumor_draws=2 --set patches.normal_draws=1 --set backbone.blocks=1 --set extract.batch=16
   --set patches.grid_for=all --set model.branches=1)
mkdir empty
expect_fail 1 "empty/features.h5: missing \(run .mammofuse run CONFIG --until-extract. with this --out first\)" \
  "$MF_BIN" cv "$cfg" "${X[@]}" --out empty
no_output empty
expect_fail 1 "small.yaml: key 'patches.grid_for': cv needs all .*found test" \
  "$MF_BIN" cv "$cfg" "${X[@]}" --set patches.grid_for=test --out empty
expect_fail 1 "small.yaml: key 'patches.draws_for': cv needs all .*found trainval" \
  "$MF_BIN" cv "$cfg" "${X[@]}" --set patches.draws_for=trainval --out empty
no_output empty
"$MF_BIN" run "$cfg" "${X[@]}" --until-extract --out s > /dev/null
expect_fail 1 "small.yaml: key 'cv.folds': 4 folds, but only 3 women have malignant as their worst class: expected at most 3" \
  "$MF_BIN" cv "$cfg" "${X[@]}" --set cv.folds=4 --out s
expect_fail 1 "small.yaml: key 'cv.folds': 10 folds, but only 3 women" "$MF_BIN" cv "$cfg" "${X[@]}" --out s
expect_fail 1 "key 'cv.folds'.*expected an integer in 3..1000, found '2'" "$MF_BIN" cv "$cfg" "${X[@]}" --set cv.folds=2 --out s
check "[ ! -e s/cv ] && [ ! -e s/cv.csv ]"
expect_fail 1 "s/features.h5: refused: made with another configuration \(key 'patches.tumor_draws': 2 in the file, 3 in the config\)" \
  "$MF_BIN" cv "$cfg" "${X[@]}" --set patches.tumor_draws=3 --set cv.folds=3 --out s
check "[ ! -e s/cv ] && [ ! -e s/cv.csv ]"
expect_fail 2 "mammofuse cv: --slice: expected I/N with 0 <= I < N" "$MF_BIN" cv "$cfg" --slice 3/3 --out s
expect_fail 2 "mammofuse cv: --slice: expected I/N" "$MF_BIN" cv "$cfg" --slice x --out s
expect_fail 2 "exclude each other" "$MF_BIN" cv "$cfg" --slice 0/2 --summary-only --out s
check "[ ! -e s/cv ]"
finish
