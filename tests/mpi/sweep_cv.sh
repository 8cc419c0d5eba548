# sweep_cv.sh: a sweep of CV runs (`mammofuse sweep --cv`): each of the 2
# configurations (train.seed 1, 2) is a 3-fold cross-validation whose folds
# are tasks of their own on the groups; each configuration's folder holds
# exactly what a stand-alone `mammofuse cv` with the same keys writes (the
# folds' models and predictions, cv.csv, cv_predictions.csv, cv.md,
# cv.html); the sweep's figures are the pooled out-of-fold ones (recomputed
# from cv_predictions.csv); job-array slices and the summary give the same
# bytes; a rerun is up to date; configurations differing only in
# evaluate.* keys share each fold's training.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
{ cat "$cfg"; printf 'sweep:\n  seeds: [1, 2]\n  cv: true\n'; } > sw.yaml
X=(--set patches.tumor_draws=6 --set patches.normal_draws=2 --set backbone.blocks=2 --set extract.batch=16
   --set patches.grid_for=all --set model.branches=1,2 --set patches.augment_for=all)
C=(--set cv.folds=3 --set train.batch=4 --set train.shard=1 --set train.epochs=2 --set train.val_batch=16
   --set evaluate.bootstrap=200)
mpirun_n 2 "$MF_BIN" run "$cfg" "${X[@]}" --out base --until-extract > /dev/null
for d in sw alone sl; do mkdir $d; cp base/rois.h5 base/features.h5 $d/; done
mpirun_n 2 "$MF_BIN" sweep sw.yaml "${X[@]}" "${C[@]}" --out sw > sw.log
check "grep -q 'sweep: 2 of 2 configurations x 3 folds on 2 groups of 1 rank' sw.log"
check "[ \$(grep -c 'fold [123] of 3 on group' sw.log) = 6 ]"
mpirun_n 2 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --set train.seed=2 --out alone > alone.log
for f in cv.csv cv_predictions.csv cv.md cv.html; do check "cmp alone/$f sw/sweep/s2/$f"; done
for k in 0 1 2; do
  check "$MF_TOOLS/h5cmp alone/cv/fold$k/model.h5 sw/sweep/s2/cv/fold$k/model.h5"
  for f in history.csv predictions.csv metrics.json; do check "cmp alone/cv/fold$k/$f sw/sweep/s2/cv/fold$k/$f"; done
done
# the sweep's accuracy and ROI count are the pooled out-of-fold ones
for s in 1 2; do
  check "/usr/bin/python3 - sw/sweep/s$s/cv_predictions.csv sw/sweep.csv s$s <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
acc = sum(int(r['correct']) for r in rows) / len(rows)
sw = [r for r in csv.DictReader(open(sys.argv[2])) if r['name'] == sys.argv[3]][0]
sys.exit(not (abs(float(sw['accuracy']) - acc) < 1e-12 and int(sw['rois']) == len(rows) and len(rows) == 27))
PY"
done
# slices, then the summary
mpirun_n 1 "$MF_BIN" sweep sw.yaml "${X[@]}" "${C[@]}" --slice 1/2 --out sl > sl1.log
mpirun_n 2 "$MF_BIN" sweep sw.yaml "${X[@]}" "${C[@]}" --slice 0/2 --out sl > sl0.log
"$MF_BIN" sweep sw.yaml "${X[@]}" "${C[@]}" --summary-only --out sl > sls.log
for f in sweep.csv sweep.md sweep.html sweep/s1/cv.csv sweep/s2/cv.md sweep/s1/result.csv; do check "cmp sw/$f sl/$f"; done
mpirun_n 2 "$MF_BIN" sweep sw.yaml "${X[@]}" "${C[@]}" --out sw > again.log
check "[ \$(grep -c ': up to date' again.log) = 2 ] && ! grep -q 'fold .* on group' again.log"
# configurations that differ only in evaluate.* keys share each fold's
# training: the second copies the leader's fold models, and its folder holds
# exactly what a stand-alone cv with its keys writes
{ cat "$cfg"; printf 'sweep:\n  seeds: [2]\n  cv: true\n  evaluate.decision: [vote, val_threshold]\n'; } > dec.yaml
for d in dec alone_t; do mkdir $d; cp base/rois.h5 base/features.h5 $d/; done
mpirun_n 2 "$MF_BIN" sweep dec.yaml "${X[@]}" "${C[@]}" --out dec > dec.log
check "[ \$(grep -c 'the training of .*/cv/fold[012] (the same train keys)' dec.log) = 3 ]"
check "[ \$(grep -c '^train: .* training / .* validation patches' dec.log) = 3 ]"
v=$(ls -d dec/sweep/*vote) t=$(ls -d dec/sweep/*threshold)
for k in 0 1 2; do check "cmp $v/cv/fold$k/model.h5 $t/cv/fold$k/model.h5"; done
mpirun_n 2 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --set train.seed=2 --set evaluate.decision=val_threshold --out alone_t > alone_t.log
for f in cv.csv cv_predictions.csv cv.md cv.html; do check "cmp alone_t/$f $t/$f"; done
for f in cv.csv cv_predictions.csv; do check "cmp alone/$f $v/$f"; done
for k in 0 1 2; do
  check "$MF_TOOLS/h5cmp alone_t/cv/fold$k/model.h5 $t/cv/fold$k/model.h5"
  for f in history.csv predictions.csv metrics.json; do check "cmp alone_t/cv/fold$k/$f $t/cv/fold$k/$f"; done
done
mpirun_n 2 "$MF_BIN" sweep dec.yaml "${X[@]}" "${C[@]}" --out dec > dec_again.log
check "[ \$(grep -c ': up to date' dec_again.log) = 2 ] && ! grep -q 'fold .* on group' dec_again.log"
# a store without the grid for every ROI is refused before anything starts
mkdir nogrid && cp base/rois.h5 nogrid/
expect_fail 1 "^sw.yaml: key 'patches.grid_for': cv needs all .*found test$" \
  "$MF_BIN" sweep sw.yaml "${X[@]}" "${C[@]}" --set patches.grid_for=test --out nogrid
check "[ \$(ls nogrid) = rois.h5 ]"
finish
