# evaluate_vote.py RUN_DIR SPLIT...: recomputes the vote from predictions.csv
# and the store's plan: per ROI the patch count equals the plan's rows of the
# evaluated splits for that ROI (only its grid rows when it has any: the
# paper votes over the 5x5 grid; evaluate.patches all: every row), the label is the plan's, prediction ==
# (2 votes >= patches), correct == (prediction == label), vote_fraction ==
# votes/patches, and metrics.json's ROI accuracy is the mean of `correct`.
import csv, json, sys
import h5py, numpy as np

args = sys.argv[1:]
every = "--all" in args
args = [a for a in args if a != "--all"]
run, splits = args[0], [int(s) for s in args[1:]]
with h5py.File(f"{run}/features.h5", "r") as f:
    roi, split, label, kind = f["roi"][:], f["split"][:], f["label"][:], f["kind"][:]
grid = kind == 1
sel = np.isin(split, splits)
if not every:
    gridded = np.zeros(roi.max() + 1, bool)
    gridded[roi[grid]] = True
    sel &= grid | ~gridded[roi]
want = {int(r): int(c) for r, c in zip(*np.unique(roi[sel], return_counts=True))}
rows = list(csv.DictReader(open(f"{run}/predictions.csv")))
errors = []
if sorted(int(r["roi"]) for r in rows) != sorted(want):
    errors.append("ROIs differ from the plan's")
for r in rows:
    k, v, p = int(r["roi"]), int(r["votes"]), int(r["patches"])
    if p != want.get(k): errors.append(f"roi {k}: {p} patches, plan {want.get(k)}")
    if int(r["label"]) != int(label[sel & (roi == k)][0]): errors.append(f"roi {k}: label")
    if int(r["prediction"]) != int(2 * v >= p): errors.append(f"roi {k}: prediction")
    if int(r["correct"]) != int(int(r["prediction"]) == int(r["label"])): errors.append(f"roi {k}: correct")
    if abs(float(r["vote_fraction"]) - v / p) > 1e-15: errors.append(f"roi {k}: vote_fraction")
m = json.load(open(f"{run}/metrics.json"))
acc = np.mean([int(r["correct"]) for r in rows])
if m["roi_level"]["accuracy"]["value"] != acc: errors.append(f"accuracy {m['roi_level']['accuracy']['value']} != {acc}")
if m["patches"] != int(sel.sum()): errors.append("patch count")
print("\n".join(errors) if errors else f"vote ok: {len(rows)} ROIs, {int(sel.sum())} patches")
sys.exit(1 if errors else 0)
