# cv_resume.sh: SIGTERM in the middle of a fold's training ends `mammofuse
# cv` with status 75 (the fold checkpointed, the others unfinished); the same
# command resumes the fold from its checkpoint, runs the others, and ends
# with every fold's model and the summary equal to an uninterrupted run's; a
# third run finds every fold up to date. SLURM-array style: --slice 0/2 and
# 1/2, then --summary-only, equal the whole run; --summary-only before every
# slice is done is refused naming the unfinished folds, with no summary.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
X=(--set patches.tumor_draws=6 --set patches.normal_draws=2 --set backbone.blocks=2 --set extract.batch=16
   --set patches.grid_for=all --set model.branches=1,2)
C=(--set cv.folds=3 --set train.batch=4 --set train.shard=1 --set train.epochs=2 --set train.val_batch=16
   --set evaluate.bootstrap=200 --set cv.group_ranks=2)
mpirun_n 2 "$MF_BIN" run "$cfg" "${X[@]}" --out base --until-extract > /dev/null
for d in ref sig sl; do mkdir $d; cp base/rois.h5 base/features.h5 $d/; done
mpirun_n 2 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --out ref > ref.log

rc=0
MF_TEST_SIGTERM_AT_STEP=5 mpirun_n 2 -x MF_TEST_SIGTERM_AT_STEP "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" \
  --out "$work/sig" > sig.log 2>&1 || rc=$?
check "[ $rc = 75 ]"
check "grep -q 'train: interrupted in epoch 1 at step 5 of' sig.log"
check "grep -q 'cv: interrupted: folds 0, 1, 2 unfinished' sig.log"
check "[ -f sig/cv/fold0/checkpoint.h5 ] && [ ! -e sig/cv/fold0/model.h5 ] && [ ! -e sig/cv.csv ]"
mpirun_n 2 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --out "$work/sig" > sig2.log
check "grep -q 'resuming sig/cv/fold0/checkpoint.h5\|resuming .*fold0/checkpoint.h5' sig2.log"
for k in 0 1 2; do
  check "$MF_TOOLS/h5cmp ref/cv/fold$k/model.h5 sig/cv/fold$k/model.h5"
  check "cmp ref/cv/fold$k/history.csv sig/cv/fold$k/history.csv"
  check "cmp ref/cv/fold$k/predictions.csv sig/cv/fold$k/predictions.csv"
done
for f in cv.csv cv_predictions.csv cv.md cv.html; do check "cmp ref/$f sig/$f"; done
mpirun_n 2 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --out "$work/sig" > sig3.log
check "[ \$(grep -c 'is up to date' sig3.log) = 3 ]"
check "cmp ref/cv.md sig/cv.md"

# SLURM array style: two slices, then the summary alone
mpirun_n 1 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --slice 0/2 --out sl > sl0.log
check "[ -d sl/cv/fold0 ] && [ -d sl/cv/fold2 ] && [ ! -e sl/cv/fold1 ] && [ ! -e sl/cv.csv ]"
expect_fail 1 "sl/cv: folds 1 of 3 unfinished" mpirun_n 1 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --summary-only --out sl
check "[ ! -e sl/cv.csv ] && [ ! -e sl/cv.md ] && [ -z \"\$(ls sl | grep tmp)\" ]"
mpirun_n 1 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --slice 1/2 --out sl > sl1.log
mpirun_n 2 "$MF_BIN" cv "$cfg" "${X[@]}" "${C[@]}" --summary-only --out sl > sls.log
for f in cv.csv cv_predictions.csv cv.md cv.html; do check "cmp ref/$f sl/$f"; done
finish
