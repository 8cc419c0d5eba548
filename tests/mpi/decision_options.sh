# decision_options.sh: the two options beside the paper's method (issue 15
# item 6). train.class_weight balanced: the weights printed are n/(2 n_c) of
# the training rows' labels (counted here by h5py from the store's plan), the
# model is bitwise the same on 1, 2 and 4 ranks and differs from the
# unweighted one; the default's model and outputs are the bytes they were.
# evaluate.decision val_threshold: the same bytes on 1 and 2 ranks; its
# threshold is a brute-force oracle's over the validation ROIs' mean
# P(Tumor) (taken from a vote evaluation of the val split), and every test
# ROI's prediction is mean P(Tumor) >= t; a config evaluating the val split
# with it is refused in one line. A sweep over evaluate.decision trains once
# per training (the other configuration gets its files) and each folder holds
# the bytes of a stand-alone train + evaluate; a sweep configuration
# breaking the rule between keys is refused before anything runs.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
X=(--set patches.tumor_draws=6 --set patches.normal_draws=2 --set backbone.blocks=5 --set extract.batch=16
   --set train.batch=16 --set train.shard=4 --set train.epochs=2 --set train.val_batch=10)
"$MF_BIN" rois "$cfg" --out base > /dev/null
mpirun_n 2 "$MF_BIN" extract "$cfg" "${X[@]}" --out base > /dev/null
prep() { mkdir -p "$1" && cp base/features.h5 base/rois.h5 "$1"/; }

# --- train.class_weight balanced
want=$(/usr/bin/python3 - <<'PY'
import h5py, numpy as np
with h5py.File("base/features.h5", "r") as f:
    lab = f["label"][()][f["split"][()] == 0]
n, n1 = len(lab), int((lab == 1).sum())
n0 = n - n1
print("train: class weights Normal %.4f, Tumor %.4f (%d and %d training rows)" % (
    np.float32(n / (2.0 * n0)), np.float32(n / (2.0 * n1)), n0, n1))
PY
)
for h in fusion1 fusion2; do
  for r in 1 2 4; do
    prep $h-bal-$r
    mpirun_n $r "$MF_BIN" train "$cfg" "${X[@]}" --set model.head=$h --set train.class_weight=balanced \
      --out $h-bal-$r > $h-bal-$r.log
    check "grep -qxF '$want' $h-bal-$r.log"
  done
  check "$MF_TOOLS/h5cmp $h-bal-1/model.h5 $h-bal-2/model.h5"
  check "$MF_TOOLS/h5cmp $h-bal-1/model.h5 $h-bal-4/model.h5"
  check "cmp $h-bal-1/history.csv $h-bal-4/history.csv"
  prep $h-none
  mpirun_n 2 "$MF_BIN" train "$cfg" "${X[@]}" --set model.head=$h --out $h-none > $h-none.log
  check "! grep -q 'class weights' $h-none.log"
  check "! $MF_TOOLS/h5cmp $h-none/model.h5 $h-bal-1/model.h5 > /dev/null 2>&1"
  # the key at its default is not in the identity: an explicit 'none' finds the model up to date
  mpirun_n 2 "$MF_BIN" train "$cfg" "${X[@]}" --set model.head=$h --set train.class_weight=none --out $h-none > again.log
  check "grep -q 'is up to date' again.log"
done

# --- evaluate.decision val_threshold (on the fusion1 unweighted model)
for r in 1 2; do
  cp -r fusion1-none thr-$r
  mpirun_n $r "$MF_BIN" evaluate "$cfg" "${X[@]}" --set evaluate.decision=val_threshold --out thr-$r > thr-$r.log
done
for f in metrics.json table.md predictions.csv roc.csv pr.csv report.html; do check "cmp thr-1/$f thr-2/$f"; done
cp -r fusion1-none valvote
mpirun_n 2 "$MF_BIN" evaluate "$cfg" "${X[@]}" --set 'evaluate.splits=[1]' --out valvote > /dev/null
cp -r fusion1-none testvote
mpirun_n 2 "$MF_BIN" evaluate "$cfg" "${X[@]}" --out testvote > /dev/null
check "/usr/bin/python3 - <<'PY'
import csv, json
def rows(p): return list(csv.DictReader(open(p)))
val = rows('valvote/predictions.csv')
y = [int(r['label']) for r in val]; s = [float(r['mean_p_tumor']) for r in val]
# every cut that can change a prediction: each distinct score, and above the top
best = max(sum((si >= t) == bool(yi) for si, yi in zip(s, y)) for t in set(s) | {2.0})
t = json.load(open('thr-1/metrics.json'))['decision']['threshold']
assert sum((si >= t) == bool(yi) for si, yi in zip(s, y)) == best, (t, best)
# nearest 0.5 among the best: no better-or-equal cut lies strictly nearer 0.5
ds = sorted(set(s))
cands = [(a + b) / 2 for a, b in zip(ds, ds[1:])] + [0.0]
for c in cands:
    if sum((si >= c) == bool(yi) for si, yi in zip(s, y)) == best:
        assert abs(c - 0.5) >= abs(t - 0.5), (c, t)
thr = {r['roi']: r for r in rows('thr-1/predictions.csv')}
vote = rows('testvote/predictions.csv')
assert len(thr) == len(vote) > 0
for r in vote:
    q = thr[r['roi']]
    assert q['mean_p_tumor'] == r['mean_p_tumor'] and q['votes'] == r['votes']
    assert int(q['prediction']) == (float(r['mean_p_tumor']) >= t), r['roi']
m = json.load(open('thr-1/metrics.json'))
acc = sum(int(q['correct']) for q in thr.values()) / len(thr)
assert abs(m['roi_level']['accuracy']['value'] - acc) < 1e-12
print('threshold', t, 'val best', best, 'of', len(y))
PY"
check "grep -q 'mean P(Tumor) >= ' thr-1/table.md"
check "! grep -q 'decision' testvote/metrics.json"
expect_fail 1 "key 'evaluate.decision': val_threshold .*evaluate.splits" \
  "$MF_BIN" evaluate "$cfg" "${X[@]}" --set evaluate.decision=val_threshold --set 'evaluate.splits=[1, 2]' --out thr-1
expect_fail 1 "key 'train.class_weight': expected one of" \
  "$MF_BIN" train "$cfg" "${X[@]}" --set train.class_weight=equal --out thr-1

# --- a sweep over class_weight x decision: 4 configurations, 2 trainings
{ cat "$cfg"; cat <<'YAML'
sweep:
  train.class_weight: [none, balanced]
  evaluate.decision: [vote, val_threshold]
YAML
} > sw.yaml
mpirun_n 2 "$MF_BIN" sweep sw.yaml "${X[@]}" --out sw > sw.log
check "[ \$(ls sw/sweep | wc -l) = 4 ]"
check "[ \$(grep -c 'training on group' sw.log) = 2 ] && [ \$(grep -c ': the training of ' sw.log) = 2 ]"
for d in $(ls sw/sweep); do check "[ -s sw/sweep/$d/result.csv ]"; done
# each folder = a stand-alone train + evaluate with its keys
i=0
for cw in none balanced; do
  for dec in vote val_threshold; do
    n=class-weight${cw}_decision${dec/_/-}
    i=$((i + 1))
    mkdir -p alone-$i && cp sw/features.h5 sw/rois.h5 alone-$i/
    mpirun_n 2 "$MF_BIN" train "$cfg" "${X[@]}" --set train.class_weight=$cw --out alone-$i > /dev/null
    mpirun_n 2 "$MF_BIN" evaluate "$cfg" "${X[@]}" --set train.class_weight=$cw --set evaluate.decision=$dec \
      --out alone-$i > /dev/null
    for f in model.h5 checkpoint.h5; do check "$MF_TOOLS/h5cmp sw/sweep/$n/$f alone-$i/$f > /dev/null"; done
    for f in history.csv metrics.json table.md predictions.csv roc.csv pr.csv report.html; do
      check "cmp sw/sweep/$n/$f alone-$i/$f"
    done
  done
done
mpirun_n 2 "$MF_BIN" sweep sw.yaml "${X[@]}" --out sw > again.log
check "[ \$(grep -c '^sweep: .*: up to date' again.log) = 4 ]"
{ cat "$cfg"; cat <<'YAML'
evaluate:
  splits: [1, 2]
sweep:
  evaluate.decision: [vote, val_threshold]
YAML
} > bad.yaml
expect_fail 1 "bad.yaml: line [0-9]+: configuration decisionval-threshold: key 'evaluate.decision': val_threshold" \
  "$MF_BIN" sweep bad.yaml "${X[@]}" --out sw
finish
