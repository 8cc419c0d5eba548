# help.sh: --help lists every job of the design, all built; job help lists keys (sweep: its grid and the
# training keys; cv: the cv keys); usage errors.
. "$MF_SRC/tests/lib.sh"
"$MF_BIN" --help > help.txt
for j in rois extract train evaluate predict sweep cv run synth weights bench; do
  check "grep -Eq '^  $j ' help.txt"
done
check "! grep -q 'not built yet' help.txt"
"$MF_BIN" sweep --help > sweep.txt
check "grep -q 'usage: mammofuse sweep CONFIG.yaml' sweep.txt && grep -q 'branches: all' sweep.txt"
for k in model.head train.seed train.lr evaluate.bootstrap cv.folds; do check "grep -q ' $k ' sweep.txt"; done
"$MF_BIN" cv --help > cv.txt
for k in cv.folds evaluate.bootstrap; do check "grep -q ' $k ' cv.txt"; done
"$MF_BIN" rois --help > rois.txt
for k in seed data.source rois.black_threshold split.mode split.train; do check "grep -q ' $k ' rois.txt"; done
"$MF_BIN" predict --help > predict.txt
check "grep -q 'usage: mammofuse predict CONFIG.yaml --model MODEL.h5' predict.txt"
for k in seed data.root rois.size backbone.weights evaluate.batch; do check "grep -q ' $k ' predict.txt"; done
expect_fail 2 "expected --model MODEL.h5" "$MF_BIN" predict x.yaml in.png
expect_fail 2 "unknown job 'frobnicate'" "$MF_BIN" frobnicate
expect_fail 2 "expected CONFIG.yaml" "$MF_BIN" rois
expect_fail 2 "unknown option '--bogus'" "$MF_BIN" rois x.yaml --bogus
expect_fail 2 "--out: expected a value" "$MF_BIN" rois x.yaml --out
finish
