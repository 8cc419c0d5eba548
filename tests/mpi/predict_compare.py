"""predict_compare.py: compares predict's predictions.csv with evaluate's.
usage: predict_compare.py PREDICT.csv EVALUATE.csv MODE [TOL]
MODE files: predict row k is evaluate row k (the test ROIs written to files in
            ROI order); truth unknown: label, correct, image_id, class empty.
MODE mias:  rows matched by roi index (the ROIs cut from the same folder);
            image_id, class, label, correct must match too. The folder may
            have been cut with data.limit_images (fewer images): the
            evaluated ROIs among the predicted ones are compared, at least 2.
votes, patches, vote_fraction, prediction must be equal as text; mean_p_tumor
as text (TOL absent: bit for bit, printed with %.17g) or within TOL."""
import csv
import sys


def rows(path):
    with open(path, newline="") as f:
        r = list(csv.DictReader(f))
    return r


def main():
    p, e, mode = rows(sys.argv[1]), rows(sys.argv[2]), sys.argv[3]
    tol = float(sys.argv[4]) if len(sys.argv) > 4 else None
    with open(sys.argv[1]) as f1, open(sys.argv[2]) as f2:
        if f1.readline() != f2.readline():
            print("headers differ")
            return 1
    if mode == "files":
        if len(p) != len(e):
            print(f"{len(p)} predicted ROIs, {len(e)} evaluated")
            return 1
        pairs = list(zip(p, e))
        for q in p:
            if any(q[k] for k in ("image_id", "class", "label", "correct")):
                print("truth columns not empty:", q)
                return 1
    else:
        byroi = {q["roi"]: q for q in p}
        pairs = [(byroi[q["roi"]], q) for q in e if q["roi"] in byroi]
        if len(pairs) < 2:
            print(f"only {len(pairs)} evaluated ROIs among the predicted ones")
            return 1
    worst = 0.0
    for a, b in pairs:
        keys = ["votes", "patches", "vote_fraction", "prediction"]
        if mode == "mias":
            keys += ["image_id", "class", "label", "correct"]
        for k in keys:
            if a[k] != b[k]:
                print(f"roi {b['roi']}: {k}: predict {a[k]}, evaluate {b[k]}")
                return 1
        d = abs(float(a["mean_p_tumor"]) - float(b["mean_p_tumor"]))
        worst = max(worst, d)
        if (tol is None and a["mean_p_tumor"] != b["mean_p_tumor"]) or (tol is not None and d > tol):
            print(f"roi {b['roi']}: mean_p_tumor: predict {a['mean_p_tumor']}, evaluate {b['mean_p_tumor']}")
            return 1
    print(f"{len(pairs)} ROIs equal; largest mean_p_tumor difference {worst:.3g}")
    return 0


sys.exit(main())
