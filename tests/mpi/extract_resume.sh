# extract_resume.sh: a real SIGTERM ends extract after the chunk in hand with
# status 75; a real kill -9 of the whole job loses at most the chunks in
# flight; running the same command again completes the store, equal to an
# uninterrupted run. A store made from other inputs is refused, not mixed.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
S=(--set patches.tumor_draws=20 --set patches.normal_draws=5 --set extract.batch=16)
"$MF_BIN" rois "$cfg" --out "$work/ref" > /dev/null
cp -r ref sig
cp -r ref k9
mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out "$work/ref" > ref.log

# SIGTERM, as SLURM sends before a time limit
MF_PROGRESS_SECONDS=0 mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out "$work/sig" > sig.log 2>&1 &
job=$!
check "wait_progress sig.log extract 64"
kill -TERM $(ranks_of sig)
rc=0
wait $job || rc=$?
check "[ $rc = 75 ]"
check "grep -q 'interrupted' sig.log"
check "[ -f sig/features.h5.partial ] && [ ! -e sig/features.h5 ]"
mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out "$work/sig" > sig2.log
check "grep -q 'resuming' sig2.log"
check "$MF_TOOLS/h5cmp ref/features.h5 sig/features.h5"

# kill -9 of the whole job (mpirun and the ranks)
MF_PROGRESS_SECONDS=0 mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out "$work/k9" > k9.log 2>&1 &
job=$!
check "wait_progress k9.log extract 96"
kill -KILL $job $(ranks_of k9)
wait $job 2> /dev/null || true
sleep 0.5
check "[ -f k9/features.h5.partial ] && [ ! -e k9/features.h5 ]"
mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out "$work/k9" > k92.log
check "grep -Eq 'resuming .*: ([1-9][0-9]*) of [0-9]+ chunks done' k92.log"
check "$MF_TOOLS/h5cmp ref/features.h5 k9/features.h5"

# refused: another plan or backbone against a partial and a finished store
mkdir mix
cp ref/rois.h5 mix/
MF_PROGRESS_SECONDS=0 mpirun_n 2 "$MF_BIN" extract "$cfg" "${S[@]}" --out "$work/mix" > mix.log 2>&1 &
job=$!
wait_progress mix.log extract 32 || true
kill -TERM $(ranks_of mix) 2> /dev/null || true
wait $job || true
expect_fail 1 "features.h5.partial: refused: made from other inputs \(key 'patches.tumor_draws': 20 in the file, 21 in the config\)" \
  "$MF_BIN" extract "$cfg" --set patches.tumor_draws=21 --set patches.normal_draws=5 --set extract.batch=16 --out "$work/mix"
expect_fail 1 "features.h5.partial: refused: made from other inputs \(key 'backbone.arch': vgg16 in the file, vgg19 in the config\)" \
  "$MF_BIN" extract "$cfg" "${S[@]}" --set backbone.arch=vgg19 --out "$work/mix"
"$MF_BIN" weights random --arch vgg16 --seed 5 -o "$work/w16.h5" > /dev/null
expect_fail 1 "features.h5.partial: refused: made from other inputs \(key 'weights_sha256': [0-9a-f]{64} in the file, [0-9a-f]{64} now\)" \
  "$MF_BIN" extract "$cfg" "${S[@]}" --set backbone.weights="$work/w16.h5" --out "$work/mix"
expect_fail 1 "ref/features.h5: refused: made from other inputs \(key 'extract.dtype': float32 in the file, float16 in the config\)" \
  "$MF_BIN" extract "$cfg" "${S[@]}" --set extract.dtype=float16 --out "$work/ref"
check "$MF_TOOLS/fstore_verify ref > /dev/null"
finish
