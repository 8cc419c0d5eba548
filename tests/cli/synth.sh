# synth.sh: the demo made in memory equals the demo written to files and read
# back as MIAS (same ROIs, pixel for pixel), and `run` skips an up-to-date step.
. "$MF_SRC/tests/lib.sh"
"$MF_BIN" synth "$MF_SRC/tests/fixtures/small.yaml" --out files > log.txt
check "[ \$(ls files/mias/*.pgm | wc -l) = 24 ]"
check "[ -f files/mias/Info.txt ]"
"$MF_BIN" rois "$MF_SRC/tests/fixtures/small.yaml" --out mem > /dev/null
"$MF_BIN" rois "$MF_SRC/tests/fixtures/small.yaml" --set data.source=mias --set data.root="$PWD/files" --out disk > /dev/null
"$MF_TOOLS/rois_dump" -v mem/rois.h5 > mem.txt
"$MF_TOOLS/rois_dump" -v disk/rois.h5 > disk.txt
check "cmp mem.txt disk.txt"
check "grep -q '^n 27 size 120' mem.txt"
"$MF_BIN" run "$MF_SRC/tests/fixtures/small.yaml" --out mem --until-rois > run.txt
check "grep -q 'rois: mem/rois.h5 is up to date' run.txt"
# a later stage's key leaves the ROI set as it is; a seed does not
"$MF_BIN" run "$MF_SRC/tests/fixtures/small.yaml" --set train.lr=0.01 --out mem --until-rois > run1.txt
check "grep -q 'rois: mem/rois.h5 is up to date' run1.txt"
"$MF_BIN" run "$MF_SRC/tests/fixtures/small.yaml" --set seed=2 --out seed2 --until-rois > run2.txt
check "grep -q 'rois -> seed2/rois.h5' run2.txt"
check "! cmp -s mem/rois.h5 seed2/rois.h5"
finish
