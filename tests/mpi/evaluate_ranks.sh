# evaluate_ranks.sh: `mammofuse evaluate` writes the same bytes (metrics.json, report.html,
# table.md, predictions.csv, roc.csv, pr.csv) on 1, 2 and 4 ranks, for the
# test split (the 5x5 grid) and for evaluate.splits [1] (val, random draws),
# with chunks small enough that ROIs straddle the ranks' ranges; the vote is
# checked against the store's plan (evaluate_vote.py): a test ROI votes with
# its 25 grid patches (the paper's), not its random draws, unless
# evaluate.patches all; evaluate.model last.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
PY=/usr/bin/python3
X=(--set patches.tumor_draws=6 --set patches.normal_draws=2 --set backbone.blocks=5 --set extract.batch=16
   --set train.batch=16 --set train.epochs=2)
"$MF_BIN" rois "$cfg" --out base > /dev/null
mpirun_n 2 "$MF_BIN" extract "$cfg" "${X[@]}" --out base > /dev/null
"$MF_BIN" train "$cfg" "${X[@]}" --out base > /dev/null
files="metrics.json table.md predictions.csv roc.csv pr.csv report.html"
for s in test val last; do
  case $s in
    test) E=(--set evaluate.batch=10 --set evaluate.bootstrap=300) ;;
    val) E=(--set evaluate.batch=7 --set evaluate.splits=[1] --set evaluate.bootstrap=300) ;;
    last) E=(--set evaluate.batch=9 --set evaluate.splits=1,2 --set evaluate.model=last --set evaluate.bootstrap=200) ;;
  esac
  for n in 1 2 4; do
    d=$s-r$n
    mkdir $d
    cp base/rois.h5 base/features.h5 base/model.h5 base/checkpoint.h5 $d/
    mpirun_n $n "$MF_BIN" evaluate "$cfg" "${X[@]}" "${E[@]}" --out $d > $d.log
    check "grep -q 'evaluate: wrote $d/metrics.json' $d.log"
    check "[ -z \"\$(ls $d | grep tmp)\" ]"
  done
  for f in $files; do
    check "cmp $s-r1/$f $s-r2/$f"
    check "cmp $s-r1/$f $s-r4/$f"
  done
done
check "$PY $MF_SRC/tests/mpi/evaluate_vote.py test-r2 2 > /dev/null"
check "$PY $MF_SRC/tests/mpi/evaluate_vote.py val-r4 1 > /dev/null"
check "$PY $MF_SRC/tests/mpi/evaluate_vote.py last-r1 1 2 > /dev/null"
check "[ \$(awk -F, 'NR > 1 && \$6 != 25' test-r1/predictions.csv | wc -l) = 0 ]"
mkdir every && cp base/rois.h5 base/features.h5 base/model.h5 base/checkpoint.h5 every/
mpirun_n 2 "$MF_BIN" evaluate "$cfg" "${X[@]}" --set evaluate.patches=all --set evaluate.bootstrap=200 --out every > /dev/null
check "$PY $MF_SRC/tests/mpi/evaluate_vote.py --all every 2 > /dev/null"
check "[ \$(awk -F, 'NR > 1 && \$6 > 25' every/predictions.csv | wc -l) -gt 0 ]"
check "grep -q '\"splits\": \"val\"' val-r1/metrics.json"
check "grep -q '\"which\": \"last\"' last-r1/metrics.json"
check "! cmp -s test-r1/predictions.csv val-r1/predictions.csv"
check "grep -q '<tr class=\"paper\"><td class=\"k\">paper: VGG16_Fusion1 \[1..5\]' test-r1/report.html"
check "grep -q '^| ROI (majority vote) | [0-9.]* \[[0-9.]*, [0-9.]*\] |' test-r1/table.md"
check "[ \$(head -1 test-r1/roc.csv) = score,threshold,fpr,tpr ] && [ \$(head -1 test-r1/pr.csv) = score,threshold,precision,recall ]"
finish
