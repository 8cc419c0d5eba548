"""cv_ranks.py: the oracle of tests/mpi/cv_ranks.sh: recomputes the CV
summary from cv_predictions.csv with sklearn and checks cv.csv and cv.md.
usage: cv_ranks.py RUN_DIR FOLDS"""
import csv
import sys

import numpy as np
from sklearn.metrics import accuracy_score, precision_score, recall_score, roc_auc_score

run, K = sys.argv[1], int(sys.argv[2])
log = sys.argv[3] if len(sys.argv) > 3 else None  # the 1-rank run's log: folds in order
rows = list(csv.DictReader(open(f"{run}/cv_predictions.csv")))
folds = list(csv.DictReader(open(f"{run}/cv.csv")))
fail = 0


def near(a, b, what, tol=1e-12):
    global fail
    if np.isnan(a) and np.isnan(b):
        return
    if not abs(a - b) <= tol:
        print(f"FAIL {what}: {a} vs {b}")
        fail += 1


assert [int(r["roi"]) for r in rows] == sorted(int(r["roi"]) for r in rows), "pooled rows by ROI index"
assert len(folds) == K
# no woman (images 2k-1, 2k) in two folds
woman_fold = {}
for r in rows:
    w = (int(r["image_id"][3:]) + 1) // 2
    if woman_fold.setdefault(w, r["fold"]) != r["fold"]:
        print(f"FAIL woman {w} in folds {woman_fold[w]} and {r['fold']}")
        fail += 1
for k, f in enumerate(folds):
    sel = [r for r in rows if int(r["fold"]) == k]
    y = np.array([int(r["label"]) for r in sel])
    p = np.array([int(r["prediction"]) for r in sel])
    assert int(f["rois"]) == len(sel) and int(f["tumor"]) == int(y.sum()) and int(f["normal"]) == int((1 - y).sum())
    near(float(f["accuracy"]), accuracy_score(y, p), f"fold {k} accuracy")
    near(float(f["tumor_recall"]), recall_score(y, p) if y.sum() else np.nan, f"fold {k} tumor recall")
    near(float(f["tumor_precision"]), precision_score(y, p) if p.sum() else np.nan, f"fold {k} tumor precision")
    near(float(f["normal_recall"]), recall_score(1 - y, 1 - p) if (1 - y).sum() else np.nan, f"fold {k} normal recall")
    for s in ("vote_fraction", "mean_p_tumor"):
        x = np.array([float(r[s]) for r in sel])
        near(float(f["auc_" + s]), roc_auc_score(y, x), f"fold {k} AUC {s}")
# the rows a fold read: evaluated on the grid (25 patches per ROI); trained on
# the draws of the other folds but the next (6 per Tumor ROI, 2 per Normal),
# validated on the next fold's grid
for r in rows:
    if int(r["patches"]) != 25:
        print(f"FAIL ROI {r['roi']}: {r['patches']} patches evaluated, expected its 25 grid patches")
        fail += 1
if log:
    import re
    seen = [tuple(map(int, m)) for m in re.findall(r"on (\d+) training / (\d+) validation patches", open(log).read())]
    want = []
    for k in range(K):
        tr = [r for r in rows if int(r["fold"]) not in (k, (k + 1) % K)]
        va = [r for r in rows if int(r["fold"]) == (k + 1) % K]
        want.append((sum(6 if r["label"] == "1" else 2 for r in tr), 25 * len(va)))
    if seen != want:
        print(f"FAIL training/validation patches per fold {seen}, expected {want}")
        fail += 1
# pooled: cv.md's pooled table (3 decimals)
y = np.array([int(r["label"]) for r in rows])
p = np.array([int(r["prediction"]) for r in rows])
md = open(f"{run}/cv.md").read()
acc = f"{accuracy_score(y, p):.3f} ["
auc = f"| mean_p_tumor | {roc_auc_score(y, np.array([float(r['mean_p_tumor']) for r in rows])):.3f} ["
for want in (acc, auc):
    if want not in md:
        print(f"FAIL cv.md lacks '{want}'")
        fail += 1
mean = np.mean([float(f["accuracy"]) for f in folds])
sd = np.std([float(f["accuracy"]) for f in folds], ddof=1)
if f"| {mean:.3f} \u00b1 {sd:.3f} |" not in md:
    print(f"FAIL cv.md lacks the accuracy mean +- sd {mean:.3f} +- {sd:.3f}")
    fail += 1
print(f"oracle: {len(rows)} ROIs, {K} folds, {fail} failures")
sys.exit(1 if fail else 0)
