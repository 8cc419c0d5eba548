# help.sh: --help lists every job of the design, unbuilt ones saying so; job help lists keys; usage errors.
. "$MF_SRC/tests/lib.sh"
"$MF_BIN" --help > help.txt
for j in rois extract train evaluate sweep cv run synth weights bench; do
  check "grep -Eq '^  $j ' help.txt"
done
check "grep -q 'not built yet' help.txt"
"$MF_BIN" rois --help > rois.txt
for k in seed data.source rois.black_threshold split.mode split.train; do check "grep -q ' $k ' rois.txt"; done
expect_fail 2 "unknown job 'frobnicate'" "$MF_BIN" frobnicate
expect_fail 2 "expected CONFIG.yaml" "$MF_BIN" rois
expect_fail 2 "unknown option '--bogus'" "$MF_BIN" rois x.yaml --bogus
expect_fail 2 "--out: expected a value" "$MF_BIN" rois x.yaml --out
finish
