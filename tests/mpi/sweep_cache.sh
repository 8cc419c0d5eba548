# sweep_cache.sh: the node's in-memory cache of the store's rows
# (train.cache_mb, mpi/store_cache.h) changes no byte and reads each row once:
#   - a sweep of 4 configurations (branches [1] and [2, 3] x fusion1/fusion2)
#     with the cache off (train.cache_mb 0) is the reference; with the cache
#     (the default) on 1 rank, 2 ranks in groups of 1 and of 2, 4 ranks in
#     groups of 1 and of 2, every output is the same bytes;
#   - --profile's counters: with the cache the only rows read from the file
#     are the evaluations' (the test rows, not held), the trainings' all come
#     from the cache, and the fill read each held row of each dataset exactly
#     once (rows x datasets, whatever the rank count: once per node), the
#     rows being split 0 and 1 (counted in the store with h5py); without it
#     no fill and every batch from the file;
#   - a budget too small for all of it (train.cache_mb 1): a one-line note
#     naming what is read from the file, the rest from the cache, same bytes;
#   - a stand-alone train holds its own rows (once, not per epoch) and writes
#     the bytes of a training without the cache, on 1 and 2 ranks;
#   - a CV (every row held) gives the same folds with and without it.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
{ cat "$cfg"; cat <<'EOF'
train:
  epochs: 2
  batch: 16
evaluate:
  bootstrap: 200
sweep:
  branches: [[1], [2, 3]]
  heads: [fusion1, fusion2]
EOF
} > sw.yaml
X=(--set patches.tumor_draws=12 --set patches.normal_draws=4 --set backbone.blocks=3)
names="fusion1_b1 fusion1_b23 fusion2_b1 fusion2_b23"
files="model.h5 checkpoint.h5 history.csv metrics.json table.md predictions.csv roc.csv pr.csv result.csv"

# same_run A B (tests/lib.sh): every output of sweep run B equals run A's
# counter LOG K: the K-th number of the profile line (1 file, 2 cache, 3 fill)
counter() { grep -E '^sweep: profile: store rows' "$1" | grep -Eo '[0-9]+' | sed -n "$2p"; }

mpirun_n 2 "$MF_BIN" run sw.yaml "${X[@]}" --out base --until-extract > /dev/null
# the rows a training reads: split 0 and 1 of the plan; the test rows (split 2) the evaluations read
held=$(/usr/bin/python3 -c "import h5py, sys; s = h5py.File(sys.argv[1], 'r')['split'][:]; print(int((s <= 1).sum()))" \
  base/features.h5)
# (evaluate.patches grid: of a test ROI with grid patches those alone)
test=$(/usr/bin/python3 -c "
import h5py, sys, numpy as np
f = h5py.File(sys.argv[1], 'r')
s, k, r = f['split'][:], f['kind'][:], f['roi'][:]
g = np.zeros(r.max() + 1, bool); g[r[k == 1]] = True
print(int(((s == 2) & ((k == 1) | ~g[r])).sum()))" base/features.h5)
check "[ $held -gt 100 ] && [ $test -gt 50 ]"
# datasets: every summary of blocks 1-3 (fusion2 [1] and [2, 3]), 9 in all; one
# evaluation of each configuration reads 1 + 2 + 3 + 6 datasets of the test rows
sets=9
eval_rows=$((test * 12))

mkdir off && cp base/rois.h5 base/features.h5 off/
mpirun_n 1 "$MF_BIN" sweep sw.yaml "${X[@]}" --set train.cache_mb=0 --profile --out off > off.log
check "! grep -q '^sweep: cache' off.log"
check "[ \$(counter off.log 1) -gt 0 ] && [ \$(counter off.log 2) = 0 ] && [ \$(counter off.log 3) = 0 ]"

for spec in "1 1" "2 1" "2 2" "4 1" "4 2"; do
  set -- $spec
  d=on_$1_$2
  mkdir $d && cp base/rois.h5 base/features.h5 $d/
  mpirun_n $1 "$MF_BIN" sweep sw.yaml "${X[@]}" --group-ranks $2 --profile --out $d > $d.log
  check "grep -q '^sweep: cache: mean_1,2,3 meansq_1,2,3 pool2x2_1,2,3 of $held rows, [0-9]* MB per node in shared memory' $d.log"
  check "same_run off $d"
  # no training read the file (the evaluations did); each held row of each dataset was read once (one node)
  check "[ \$(counter $d.log 1) = $eval_rows ] && [ \$((\$(counter $d.log 1) + \$(counter $d.log 2))) = \$(counter off.log 1) ]"
  check "[ \$(counter $d.log 3) = $((held * sets)) ]"
done

# a budget too small: a note, the rest from the file, the same bytes
mkdir small && cp base/rois.h5 base/features.h5 small/
mpirun_n 2 "$MF_BIN" sweep sw.yaml "${X[@]}" --set train.cache_mb=1 --profile --out small > small.log
check "[ \$(grep -c 'note: train.cache_mb 1: .* does not fit, read from the file every batch' small.log) = 1 ]"
check "grep -q '^sweep: cache: mean_1,2,3 ' small.log"
check "[ \$(counter small.log 1) -gt $eval_rows ] && [ \$(counter small.log 2) -gt 0 ] && [ \$(counter small.log 3) -gt 0 ]"
check "[ \$((\$(counter small.log 1) + \$(counter small.log 2))) = \$(counter off.log 1) ]"
check "same_run off small"

# a stand-alone train: its own cache, once for both epochs; same bytes as without
T=(--set model.head=fusion2 --set model.branches=[2,3])
for n in 1 2; do
  for mb in 0 1024; do
    d=t${n}_$mb
    mkdir $d && cp base/rois.h5 base/features.h5 $d/
    mpirun_n $n "$MF_BIN" train sw.yaml "${X[@]}" "${T[@]}" --set train.cache_mb=$mb --profile --out $d > $d.log
  done
  check "grep -Eq '^  profile train store rows: 0 read from the file, [1-9][0-9]* from the cache \(filled with $((held * 6))\)' t${n}_1024.log"
  check "grep -Eq '^  profile train store rows: [1-9][0-9]* read from the file, 0 from the cache \(filled with 0\)' t${n}_0.log"
  check "$MF_TOOLS/h5cmp t${n}_0/model.h5 t${n}_1024/model.h5 > /dev/null && cmp t${n}_0/history.csv t${n}_1024/history.csv"
done
check "$MF_TOOLS/h5cmp t1_1024/model.h5 t2_1024/model.h5 > /dev/null"

# a CV: every row held for all folds; the same folds as without
Y=(--set patches.tumor_draws=6 --set patches.normal_draws=2 --set backbone.blocks=2 --set extract.batch=16
   --set patches.grid_for=all --set model.branches=1,2 --set patches.augment_for=all)
C=(--set cv.folds=3 --set train.batch=4 --set train.shard=1 --set train.epochs=2 --set train.val_batch=16
   --set evaluate.bootstrap=200)
mpirun_n 2 "$MF_BIN" run "$cfg" "${Y[@]}" --out cvbase --until-extract > /dev/null
for mb in 0 1024; do
  mkdir cv$mb && cp cvbase/rois.h5 cvbase/features.h5 cv$mb/
  mpirun_n 2 "$MF_BIN" cv "$cfg" "${Y[@]}" "${C[@]}" --set train.cache_mb=$mb --out cv$mb > cv$mb.log
done
rows=$(/usr/bin/python3 -c "import h5py, sys; print(len(h5py.File(sys.argv[1], 'r')['split']))" cvbase/features.h5)
check "grep -q '^cv: cache: mean_1,2 of $rows rows' cv1024.log && ! grep -q 'cache' cv0.log"
for f in cv.csv cv_predictions.csv cv.md cv.html; do check "cmp cv0/$f cv1024/$f"; done
for k in 0 1 2; do check "$MF_TOOLS/h5cmp cv0/cv/fold$k/model.h5 cv1024/cv/fold$k/model.h5 > /dev/null"; done
finish
