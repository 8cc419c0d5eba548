"""metrics_sklearn.py: scikit-learn as the oracle of core/metrics.c.

Run by metrics_sklearn.sh with Debian's /usr/bin/python3 (python3-sklearn,
python3-numpy): usage metrics_sklearn.py METRICS_DUMP. Makes ~50 cases with a
fixed numpy seed (n from 2 to 2000, many ties, imbalanced classes, all scores
equal, a class absent, one predicted class), runs the tool on each and
compares every figure with confusion_matrix, accuracy_score,
precision_recall_fscore_support, roc_curve(drop_intermediate=False),
roc_auc_score, precision_recall_curve and average_precision_score, to 1e-12.
Where scikit-learn leaves a figure undefined (it warns and substitutes, or
raises) the C side must give NaN instead. Prints one line per case,
"PASS <case> (<figures compared>)" or "FAIL <case>: <what>".
"""
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
from sklearn.metrics import (accuracy_score, average_precision_score, confusion_matrix,
                             precision_recall_curve, precision_recall_fscore_support, roc_auc_score,
                             roc_curve)

TOL = 1e-12


def make_cases():
    rng = np.random.default_rng(20240611)
    cases = []
    # fixed shapes first: the edges
    cases.append(("n2-one-each", np.array([0, 1]), np.array([0, 1]), np.array([0.3, 0.7])))
    cases.append(("n2-tied", np.array([1, 0]), np.array([1, 1]), np.array([0.5, 0.5])))
    cases.append(("n2-no-tumor", np.array([0, 0]), np.array([0, 1]), np.array([0.1, 0.9])))
    cases.append(("n3-no-normal", np.array([1, 1, 1]), np.array([1, 0, 1]), np.array([0.2, 0.2, 0.9])))
    for n in (5, 64, 2000):
        y = (rng.random(n) < 0.3).astype(int)
        y[0], y[1] = 0, 1
        cases.append((f"equal-scores-n{n}", y, (rng.random(n) < 0.5).astype(int), np.full(n, 0.42)))
    y = (rng.random(300) < 0.4).astype(int)
    cases.append(("all-pred-normal", y, np.zeros(300, int), np.round(rng.random(300) + 0.3 * y, 2)))
    cases.append(("all-pred-tumor", y, np.ones(300, int), np.round(rng.random(300) + 0.3 * y, 1)))
    cases.append(("perfect", y, y.copy(), y + rng.random(300) * 0.5))
    cases.append(("reversed", y, 1 - y, -(y + rng.random(300) * 0.5)))
    cases.append(("no-tumor-n50", np.zeros(50, int), (rng.random(50) < 0.2).astype(int),
                  np.round(rng.random(50), 1)))
    cases.append(("no-normal-n50", np.ones(50, int), (rng.random(50) < 0.8).astype(int),
                  np.round(rng.random(50), 1)))
    # random cases
    sizes = [2, 3, 4, 7, 12, 30, 81, 150, 300, 700, 1200, 2000]
    prevalences = [0.02, 0.1, 0.3, 0.5, 0.7, 0.95]
    kinds = ["round1", "round2", "round2", "int", "continuous", "equal"]
    for k in range(38):
        n = sizes[k % len(sizes)]
        prev = prevalences[rng.integers(len(prevalences))]
        kind = kinds[rng.integers(len(kinds))]
        y = (rng.random(n) < prev).astype(int)
        if k % 7 != 6:  # mostly both classes, sometimes whatever the draw gives
            i, j = rng.choice(n, 2, replace=False)
            y[i], y[j] = 0, 1
        raw = rng.random(n) * 0.8 + 0.4 * y * rng.random()
        if kind == "round1":
            s = np.round(raw, 1)
        elif kind == "round2":
            s = np.round(raw, 2)
        elif kind == "int":
            s = np.floor(raw * 4)
        elif kind == "continuous":
            s = raw - 0.5
        else:
            s = np.full(n, 0.25)
        pk = k % 4
        if pk == 0:
            p = (raw > 0.5).astype(int)
        elif pk == 1:
            p = (rng.random(n) < 0.5).astype(int)
        elif pk == 2:
            p = np.where(rng.random(n) < 0.85, y, 1 - y)
        else:
            p = np.full(n, int(rng.integers(2)))
        cases.append((f"r{k}-n{n}-prev{prev}-{kind}", y, p, s))
    return cases


def run_tool(tool, path):
    out = subprocess.run([tool, path], capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{tool} exited {out.returncode}: {out.stderr.strip()}")
    lines = out.stdout.splitlines()
    d = {}
    i = 0
    while i < len(lines):
        f = lines[i].split()
        if f[0] in ("roc", "pr"):
            m = int(f[1])
            d[f[0]] = np.array([[float(v) for v in lines[i + 1 + j].split()] for j in range(m)]).reshape(m, 3)
            i += 1 + m
        else:
            d[f[0]] = [float(v) for v in f[1:]]
            i += 1
    return d


class Case:
    def __init__(self, name):
        self.name, self.errors, self.compared = name, [], 0

    def near(self, what, c, s):
        self.compared += 1
        if not abs(c - s) <= TOL:
            self.errors.append(f"{what}: C {c!r}, sklearn {s!r}")

    def nan(self, what, c):
        self.compared += 1
        if not np.isnan(c):
            self.errors.append(f"{what}: C {c!r}, expected NaN (undefined)")

    def arrays(self, what, c, s, exact=False):
        c, s = np.asarray(c, float), np.asarray(s, float)
        self.compared += 1
        if c.shape != s.shape:
            self.errors.append(f"{what}: C has {c.shape[0]} points, sklearn {s.shape[0]}")
            return
        same_nan = np.isnan(c) == np.isnan(s)
        diff = np.abs(np.where(np.isnan(c), 0, c) - np.where(np.isnan(s), 0, s))
        bad = ~same_nan | (diff > (0 if exact else TOL))
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            self.errors.append(f"{what}[{k}]: C {c[k]!r}, sklearn {s[k]!r} ({int(bad.sum())} differ)")


def check_case(tool, name, y, p, s, path):
    with open(path, "w") as f:
        for a, b, x in zip(y, p, s):
            f.write(f"{int(a)} {int(b)} {float(x)!r}\n")
    c = run_tool(tool, path)
    t = Case(name)
    npos, nneg = int(y.sum()), int(len(y) - y.sum())
    t.near("n", c["n"][0], len(y))
    t.near("npos", c["npos"][0], npos)
    t.near("nneg", c["nneg"][0], nneg)
    cm = confusion_matrix(y, p, labels=[0, 1])
    t.arrays("cm", c["cm"], cm.ravel(), exact=True)
    t.near("accuracy", c["accuracy"][0], accuracy_score(y, p))
    prec, rec, f1, _ = precision_recall_fscore_support(y, p, labels=[0, 1], zero_division=0)
    for k, cls in enumerate(("Normal", "Tumor")):
        tp, fn, fp = cm[k, k], cm[k, 1 - k], cm[1 - k, k]
        if tp + fp == 0:
            t.nan(f"{cls} precision", c["precision"][k])
        else:
            t.near(f"{cls} precision", c["precision"][k], prec[k])
        if tp + fn == 0:
            t.nan(f"{cls} recall", c["recall"][k])
        else:
            t.near(f"{cls} recall", c["recall"][k], rec[k])
        if 2 * tp + fp + fn == 0:
            t.nan(f"{cls} f1", c["f1"][k])
        else:  # sklearn's 2PR/(P+R) with an undefined P or R taken as 0: 0, as the C side
            t.near(f"{cls} f1", c["f1"][k], f1[k])
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    roc = c["roc"]
    t.arrays("roc fpr", roc[:, 1], fpr)
    t.arrays("roc tpr", roc[:, 2], tpr)
    # sklearn 1.2 puts max + 1 first, >= 1.3 +inf (as the C side)
    t.arrays("roc thresholds", roc[1:, 0], thr[1:], exact=True)
    if not np.isposinf(roc[0, 0]):
        t.errors.append(f"roc threshold[0]: {roc[0, 0]!r}, expected inf")
    both = npos > 0 and nneg > 0
    if both:
        t.near("roc_auc", c["roc_auc"][0], roc_auc_score(y, s))
        t.near("ap", c["ap"][0], average_precision_score(y, s))
    else:
        try:
            roc_auc_score(y, s)
            t.errors.append("roc_auc_score did not raise with a class absent")
        except ValueError:
            pass
        t.nan("roc_auc", c["roc_auc"][0])
        t.nan("ap", c["ap"][0])  # sklearn returns 0 (no Tumor) or 1 (no Normal)
    pp, pr, pt = precision_recall_curve(y, s)
    cpr = c["pr"]
    t.arrays("pr precision", cpr[:, 0], pp)
    t.arrays("pr thresholds", cpr[:-1, 2], pt, exact=True)
    if npos > 0:
        t.arrays("pr recall", cpr[:, 1], pr)
    else:  # sklearn sets the recall to 1; 0/0 is NaN on the C side, the closing point (1, 0) stays
        t.arrays("pr recall", cpr[:, 1], np.r_[np.full(len(pr) - 1, np.nan), 0.0])
    return t


def main():
    tool = sys.argv[1]
    warnings.simplefilter("ignore")  # sklearn's UndefinedMetricWarning is expected in the edge cases
    failed = 0
    tmp = tempfile.TemporaryDirectory()
    for k, (name, y, p, s) in enumerate(make_cases()):
        try:
            t = check_case(tool, name, y, p, s, os.path.join(tmp.name, f"case{k}.txt"))
        except Exception as ex:  # a crash or unreadable output is one failed case
            print(f"FAIL {name}: {ex}")
            failed += 1
            continue
        if t.errors:
            print(f"FAIL {name}: " + "; ".join(t.errors[:5]))
            failed += 1
        else:
            print(f"PASS {name} ({t.compared} figures)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
