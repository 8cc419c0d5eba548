# augment_for.sh: patches.augment_for: all augments the random draws of
# every ROI (cross-validation trains on every ROI in some fold), train (the
# default) only those of split 0; grid patches never. Two stores of one ROI
# set: split-0 draws and every grid patch equal, every split-1/2 draw
# different; the default store's identity has no augment_for entry (stores
# made before the key existed stay up to date), the other's has.
. "$MF_SRC/tests/lib.sh"
cfg="$MF_SRC/tests/fixtures/small.yaml"
X=(--set patches.tumor_draws=2 --set patches.normal_draws=1 --set backbone.blocks=1 --set extract.batch=16
   --set patches.grid_for=all)
"$MF_BIN" rois "$cfg" --out a > /dev/null
mkdir b && cp a/rois.h5 b/
"$MF_BIN" extract "$cfg" "${X[@]}" --out a > /dev/null
"$MF_BIN" extract "$cfg" "${X[@]}" --set patches.augment_for=all --out b > /dev/null
cat > cmp.py <<'PY'
import h5py, numpy as np
a, b = h5py.File("a/features.h5"), h5py.File("b/features.h5")
kind, split = a["kind"][:], a["split"][:]
assert (kind == b["kind"][:]).all() and (split == b["split"][:]).all()
x, y = a["mean_1"][:], b["mean_1"][:]
same = (x == y).all(axis=1)
draw, grid = kind == 0, kind == 1
print("draws split0", draw[split == 0].sum(), "split12", (draw & (split > 0)).sum(), "grid", grid.sum())
assert same[draw & (split == 0)].all(), "split-0 draws differ"
assert same[grid].all(), "grid patches differ"
assert (~same[draw & (split > 0)]).all(), "a split-1/2 draw is not augmented"
assert (draw & (split > 0)).sum() > 0
assert "patches.augment_for" not in a["identity"].attrs and b["identity"].attrs["patches.augment_for"] in (b"all", "all")
print("ok")
PY
check "/usr/bin/python3 cmp.py"
expect_fail 1 "a/features.h5: refused: made from other inputs \(key 'patches.augment_for': train \(the default\) in the file, all in the config\)" \
  "$MF_BIN" extract "$cfg" "${X[@]}" --set patches.augment_for=all --out a
finish
