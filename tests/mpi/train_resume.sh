# train_resume.sh: SIGTERM mid-training ends the job after the step in hand
# with status 75 and a checkpoint; running the same command again resumes
# and ends with model.h5 and history.csv equal to an uninterrupted run's; a
# rerun with more epochs continues from the checkpoint and equals a run made
# with that many epochs from the start. The signal is sent at an exact step
# (MF_TEST_SIGTERM_AT_STEP: the ranks send it to themselves, through the real
# handler), never raced against the end of training; a SIGTERM from outside
# to the ranks, as SLURM sends it, is tested the same way by extract_resume.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
X=(--set patches.tumor_draws=6 --set patches.normal_draws=2 --set backbone.blocks=5 --set extract.batch=16)
T=(--set train.batch=4 --set train.shard=1 --set train.epochs=4 --set train.val_batch=16)
"$MF_BIN" rois "$cfg" --out base > /dev/null
mpirun_n 2 "$MF_BIN" extract "$cfg" "${X[@]}" --out base > /dev/null
for d in ref sig ext; do mkdir $d; cp base/features.h5 $d/; done
mpirun_n 2 "$MF_BIN" train "$cfg" "${X[@]}" "${T[@]}" --out "$work/ref" > ref.log

rc=0
MF_TEST_SIGTERM_AT_STEP=10 mpirun_n 2 -x MF_TEST_SIGTERM_AT_STEP "$MF_BIN" train "$cfg" "${X[@]}" "${T[@]}" \
  --out "$work/sig" > sig.log 2>&1 || rc=$?
check "[ $rc = 75 ]"
check "grep -q 'train: interrupted in epoch 1 at step 10 of' sig.log"
check "grep -q 'train: interrupted' sig.log"
check "[ -f sig/checkpoint.h5 ] && [ ! -e sig/model.h5 ]"
mpirun_n 2 "$MF_BIN" train "$cfg" "${X[@]}" "${T[@]}" --out "$work/sig" > sig2.log
check "grep -q 'resuming' sig2.log"
check "$MF_TOOLS/h5cmp ref/model.h5 sig/model.h5"
check "cmp ref/history.csv sig/history.csv"
check "$MF_TOOLS/h5cmp ref/checkpoint.h5 sig/checkpoint.h5"
check "[ -z \"\$(ls sig | grep tmp)\" ]"

# 2 epochs, then 4 with the same command (on 1 rank): equals the 4-epoch run
mpirun_n 1 "$MF_BIN" train "$cfg" "${X[@]}" "${T[@]}" --set train.epochs=2 --out "$work/ext" > /dev/null
mpirun_n 1 "$MF_BIN" train "$cfg" "${X[@]}" "${T[@]}" --out "$work/ext" > ext.log
check "grep -q 'resuming .*epoch 3, step 0' ext.log"
check "$MF_TOOLS/h5cmp ref/model.h5 ext/model.h5"
check "cmp ref/history.csv ext/history.csv"
finish
