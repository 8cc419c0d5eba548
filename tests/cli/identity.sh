# identity.sh: one staleness rule (core/identity.h) for every job.
#  - rois, run a second time, skips an up-to-date rois.h5 and leaves its bytes;
#    a changed input file (one pixel of one image) is refused by the inputs'
#    digest, a changed ROI key by its name; nothing is overwritten.
#  - extract refuses a rois.h5 made with other ROI keys, naming the key.
#  - the identities are structured attributes: numbers as numbers (read with
#    h5py): the plan's seed and draws as int64, train.lr as a double, the
#    blocks as an int list; input_rois / input_store are the SHA-256 of the
#    input's identity text.
. "$MF_SRC/tests/lib.sh"
real="$MAMMOFUSE_DATA/mias"
mkdir -p d/mias
for i in 001 002 003 004; do cp "$real/mdb$i.pgm" d/mias/; done
printf 'MIAS header line\r\n\r\nmdb001 G CIRC B 535 425 197\r\nmdb002 G CIRC B 522 280 69\r\nmdb003 D NORM \r\nmdb004 D NORM \r\n' > d/mias/Info.txt
printf 'data:\n  root: %s\n  source: mias\nsplit:\n  train: 0.5\n  val: 0.25\n' "$PWD/d" > c.yaml
"$MF_BIN" rois c.yaml --out r > first.txt
sum=$(md5sum < r/rois.h5)
"$MF_BIN" rois c.yaml --out r > again.txt
check "grep -q 'rois: r/rois.h5 is up to date' again.txt"
check "[ \"\$(md5sum < r/rois.h5)\" = \"$sum\" ]"
mpirun_n 2 "$MF_BIN" run c.yaml --out r --until-rois > run.txt
check "grep -q 'rois: r/rois.h5 is up to date' run.txt"
expect_fail 1 "r/rois.h5: refused: made from other inputs or another configuration \(key 'split.mode': paper in the file, woman in the config\)" \
  "$MF_BIN" rois c.yaml --set split.mode=woman --out r
# one pixel of one image changed: the inputs' digest differs
printf '\x07' | dd of=d/mias/mdb003.pgm bs=1 seek=600000 conv=notrunc status=none
expect_fail 1 "r/rois.h5: refused: made from other inputs or another configuration \(key 'inputs_sha256': [0-9a-f]{64} in the file, [0-9a-f]{64} now\)" \
  "$MF_BIN" rois c.yaml --out r
check "[ \"\$(md5sum < r/rois.h5)\" = \"$sum\" ]"
cp "$real/mdb003.pgm" d/mias/

X=(--set data.source=synth --set data.synth_images=10 --set patches.tumor_draws=3 --set patches.normal_draws=2
   --set backbone.weights=formula --set backbone.blocks=2 --set extract.batch=8 --set model.branches=1,2
   --set train.batch=4 --set train.epochs=1 --set train.val_batch=4 --set split.train=0.5 --set split.val=0.25)
"$MF_BIN" rois c.yaml "${X[@]}" --set seed=3 --out s > /dev/null
expect_fail 1 "s/rois.h5: refused: made with another configuration \(key 'seed': 3 in the file, 1 in the config\); run .mammofuse rois. with this config and --out first" \
  "$MF_BIN" extract c.yaml "${X[@]}" --out s
check "[ ! -e s/features.h5 ] && [ ! -e s/features.h5.partial ]"
rm s/rois.h5
mpirun_n 2 "$MF_BIN" run c.yaml "${X[@]}" --set train.lr=0.001 --out s > /dev/null
/usr/bin/python3 - <<'PY' > py.txt 2>&1 || bad "h5py check: $(cat py.txt)"
import hashlib, h5py, numpy as np
def ident(path):
    with h5py.File(path, "r") as f:
        g = f["identity"]
        return g.attrs["stage"].decode(), [(k, g.attrs[k]) for k in g.attrs.keys() if k != "stage"]
def text(stage, entries):
    def v(x):
        if isinstance(x, bytes): return x.decode()
        if isinstance(x, np.ndarray): return "[" + ", ".join(str(int(i)) for i in x) + "]"
        if isinstance(x, (np.floating, float)): return repr(float(x))
        return str(int(x))
    return "stage: %s\n" % stage + "".join("%s: %s\n" % (k, v(x)) for k, x in entries)
rs, r = ident("s/rois.h5"); fs, f = ident("s/features.h5"); ms, m = ident("s/model.h5")
R, F, M = dict(r), dict(f), dict(m)
assert (rs, fs, ms) == ("rois", "extract", "train"), (rs, fs, ms)
for k in ("seed", "patches.tumor_draws", "patches.normal_draws", "rows", "blocks"):
    assert F[k].dtype == np.int64, (k, F[k].dtype)
assert int(F["patches.tumor_draws"]) == 3 and int(F["blocks"]) == 2 and int(F["seed"]) == 1
assert M["train.lr"].dtype == np.float64 and float(M["train.lr"]) == 0.001
assert list(M["model.branches"]) == [1, 2] and M["model.head"] == b"fusion1"
assert F["input_rois"].decode() == hashlib.sha256(text(rs, r).encode()).hexdigest()
assert M["input_store"].decode() == hashlib.sha256(text(fs, f).encode()).hexdigest()
assert "train.lr" not in F and "patches.tumor_draws" not in R and "model.head" not in F
print("ok")
PY
check "grep -qx ok py.txt"
finish
