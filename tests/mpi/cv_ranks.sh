# cv_ranks.sh: `mammofuse cv` gives the same bytes whatever the ranks and
# groups: every fold's model.h5, history.csv and predictions.csv and the
# summary (cv.csv, cv_predictions.csv, cv.md, cv.html) equal on 1 rank, 2
# ranks in 2 groups (cv.group_ranks 1), 2 ranks in 1 group (group_ranks 2)
# and 4 ranks in 2 groups of 2; a fold made alone (--slice) equals the same
# fold made among the others; the figures agree with sklearn on
# cv_predictions.csv (tests/mpi/cv_ranks.py), and no woman is in two folds.
# With evaluate.decision val_threshold (each fold's threshold chosen on its
# validation ROIs' grid): the same models as the vote's, the same bytes on 1
# and 2 ranks, and every fold's ROI prediction is mean P(Tumor) >= its t.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
X=(--set patches.tumor_draws=6 --set patches.normal_draws=2 --set backbone.blocks=2 --set extract.batch=16
   --set patches.grid_for=all --set model.branches=1,2 --set patches.augment_for=all)
C=(--set cv.folds=3 --set train.batch=4 --set train.shard=1 --set train.epochs=2 --set train.val_batch=16
   --set evaluate.bootstrap=200)
mpirun_n 2 "$MF_BIN" run "$cfg" "${X[@]}" --out base --until-extract > /dev/null
for d in r1 r2 g2 r4 sl; do mkdir $d; cp base/rois.h5 base/features.h5 $d/; done
mpirun_n 1 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --out r1 > r1.log
mpirun_n 2 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --out r2 > r2.log
mpirun_n 2 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --set cv.group_ranks=2 --out g2 > g2.log
mpirun_n 4 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --set cv.group_ranks=2 --out r4 > r4.log
check "grep -q 'cv: 3 folds on 2 groups of 1 rank' r2.log"
check "grep -q 'cv: 3 folds on 1 group of 2 ranks' g2.log"
check "grep -q 'cv: 3 folds on 2 groups of 2 ranks' r4.log"
for k in 0 1 2; do
  for f in model.h5 history.csv predictions.csv metrics.json; do check "[ -s r1/cv/fold$k/$f ]"; done
  for d in r2 g2 r4; do
    check "$MF_TOOLS/h5cmp r1/cv/fold$k/model.h5 $d/cv/fold$k/model.h5"
    for f in history.csv predictions.csv metrics.json report.html; do check "cmp r1/cv/fold$k/$f $d/cv/fold$k/$f"; done
  done
done
for d in r2 g2 r4; do
  for f in cv.csv cv_predictions.csv cv.md cv.html; do check "cmp r1/$f $d/$f"; done
done
# the folds differ (a fold's identity holds its roles): fold 0's model is not fold 1's
check "! $MF_TOOLS/h5cmp r1/cv/fold0/model.h5 r1/cv/fold1/model.h5 2> /dev/null"
# fold 1 alone (a slice of one fold) on 2 ranks in one group equals fold 1 made beside the others
mpirun_n 2 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --set cv.group_ranks=2 --slice 1/3 --out sl > sl.log
check "grep -q 'no summary' sl.log"
check "[ ! -e sl/cv/fold0 ] && [ ! -e sl/cv/fold2 ] && [ ! -e sl/cv.csv ]"
check "$MF_TOOLS/h5cmp r1/cv/fold1/model.h5 sl/cv/fold1/model.h5"
check "cmp r1/cv/fold1/predictions.csv sl/cv/fold1/predictions.csv"
# every ROI evaluated once; figures equal sklearn's
check "[ \$(tail -n +2 r1/cv_predictions.csv | wc -l) = 27 ]"
check "/usr/bin/python3 $MF_SRC/tests/mpi/cv_ranks.py r1 3 r1.log"
check "grep -q '<svg id=\"roc\"' r1/cv.html && grep -q '<svg id=\"folds\"' r1/cv.html && ! grep -qi '<script' r1/cv.html"
check "! grep -Eq '(src|href)=\"?http' r1/cv.html"
check "[ -z \"\$(ls r1 r1/cv/fold0 | grep tmp)\" ]"
for d in t1 t2; do mkdir $d; cp base/rois.h5 base/features.h5 $d/; done
mpirun_n 1 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --set evaluate.decision=val_threshold --out t1 > t1.log
mpirun_n 2 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --set evaluate.decision=val_threshold --out t2 > t2.log
for k in 0 1 2; do
  check "$MF_TOOLS/h5cmp r1/cv/fold$k/model.h5 t1/cv/fold$k/model.h5"
  for f in predictions.csv metrics.json report.html; do check "cmp t1/cv/fold$k/$f t2/cv/fold$k/$f"; done
  check "/usr/bin/python3 - <<'PY'
import csv, json
t = json.load(open('t1/cv/fold$k/metrics.json'))['decision']['threshold']
rows = list(csv.DictReader(open('t1/cv/fold$k/predictions.csv')))
assert rows and all(int(r['prediction']) == (float(r['mean_p_tumor']) >= t) for r in rows)
PY"
done
for f in cv.csv cv_predictions.csv cv.md cv.html; do check "cmp t1/$f t2/$f"; done
finish
