# predict_equals_evaluate.sh: `mammofuse predict` on ROIs that are in no
# store gives evaluate's predictions.csv rows for the same ROIs.
#   A: the synthetic demo written to a MIAS folder, a run made from it
#      (float32 store, Fusion1 on blocks 1-3, extract.batch 1); its test ROIs
#      written to PNG and to PGM files, and the folder itself (its first 14
#      images, data.limit_images, to keep the test short): votes, patches,
#      vote_fraction, mean_p_tumor and prediction bit for bit.
#   B: the same with a float16 store and Fusion2 on blocks 1-2 (the summaries
#      rounded through half as the store does): bit for bit.
#   C: extract.batch 32: the tower's GEMMs see other batches than in
#      extract, so the float32 features differ in the last bits: the votes
#      equal, mean_p_tumor within 1e-5.
# Why extract.batch 1 for the exact runs: a patch's features depend on the
# batch it was computed in (the GEMM's M), and a new image is never in the
# store's batches. Error cases: a model whose store had other weights (wrong
# SHA-256), a non-image input, a folder without Info.txt, a missing model:
# one line each, exit 1, no output.
. "$MF_SRC/tests/lib.sh"
PY=/usr/bin/python3
cfg="$MF_SRC/tests/fixtures/small.yaml"
cmp_py="$MF_SRC/tests/mpi/predict_compare.py"
"$MF_BIN" synth "$cfg" --out files > /dev/null
D=(--set data.source=mias --set data.root="$PWD/files" --set patches.tumor_draws=6 --set patches.normal_draws=2
   --set patches.draws_for=trainval --set train.batch=16 --set train.epochs=2)
make_run() { # DIR SETTINGS...: rois, extract (2 ranks), train, evaluate
  local d=$1
  shift
  [ -f "$d/rois.h5" ] || "$MF_BIN" rois "$cfg" "${D[@]}" "$@" --out "$d" > /dev/null
  mpirun_n 2 "$MF_BIN" extract "$cfg" "${D[@]}" "$@" --out "$d" > /dev/null
  "$MF_BIN" train "$cfg" "${D[@]}" "$@" --out "$d" > /dev/null
  "$MF_BIN" evaluate "$cfg" "${D[@]}" "$@" --out "$d" > /dev/null
}
A=(--set extract.batch=1 --set evaluate.batch=10 --set backbone.blocks=3 --set model.branches=[1,2,3])
make_run a "${A[@]}"
mkdir png pgm
"$MF_TOOLS/rois_png" a/rois.h5 2 png > png.txt
"$MF_TOOLS/rois_png" a/rois.h5 2 pgm pgm > pgm.txt
check "[ \$(wc -l < png.txt) -ge 3 ]"
mpirun_n 2 "$MF_BIN" predict "$cfg" "${D[@]}" "${A[@]}" --model a/model.h5 --out pa png/*.png > pa.log
check "grep -q 'predict: wrote pa/predictions.csv' pa.log"
check "$PY $cmp_py pa/predictions.csv a/predictions.csv files"
"$MF_BIN" predict "$cfg" "${D[@]}" "${A[@]}" --model a/model.h5 --out pg pgm/*.pgm > /dev/null
check "cmp pa/predictions.csv pg/predictions.csv"
check "[ -z \"\$(ls pa | grep -v '^predictions.csv$')\" ]"
# the folder: every ROI of the run, cut again; compared on the evaluated ones,
# with chunks of one ROI's grid (evaluate.batch 25) in both
M=(--set extract.batch=1 --set evaluate.batch=25 --set backbone.blocks=3 --set model.branches=[1,2,3])
mkdir a25 && cp a/rois.h5 a/features.h5 a/model.h5 a/checkpoint.h5 a25/
"$MF_BIN" evaluate "$cfg" "${D[@]}" "${M[@]}" --out a25 > /dev/null
mpirun_n 2 "$MF_BIN" predict "$cfg" "${D[@]}" "${M[@]}" --set data.limit_images=14 --model a/model.h5 --out pm files/mias > pm.log
check "[ \$(tail -n +2 pm/predictions.csv | wc -l) -ge 14 ]"
check "grep -q '^[0-9]*,mdb0[0-9][0-9],\(normal\|benign\|malignant\),[01],' pm/predictions.csv"
check "$PY $cmp_py pm/predictions.csv a25/predictions.csv mias"

# B: float16 store, Fusion2 on blocks 1-2
Bs=(--set extract.batch=1 --set evaluate.batch=10 --set extract.dtype=float16 --set backbone.blocks=2
    --set model.head=fusion2 --set model.branches=[1,2])
mkdir b && cp a/rois.h5 b/
make_run b "${Bs[@]}"
"$MF_BIN" predict "$cfg" "${D[@]}" "${Bs[@]}" --model b/model.h5 --out pb png/*.png > /dev/null
check "$PY $cmp_py pb/predictions.csv b/predictions.csv files"

# C: the default batch: toleranced
Cs=(--set extract.batch=32 --set evaluate.batch=10 --set backbone.blocks=2 --set model.branches=[1,2])
mkdir c && cp a/rois.h5 c/
make_run c "${Cs[@]}"
"$MF_BIN" predict "$cfg" "${D[@]}" "${Cs[@]}" --model c/model.h5 --out pc png/*.png > /dev/null
check "$PY $cmp_py pc/predictions.csv c/predictions.csv files 1e-5"

# errors: one line, exit 1, nothing written
"$MF_BIN" weights formula --arch vgg16 --blocks 2 -o w2.h5 > /dev/null
expect_fail 1 "a/model.h5: refused: its features were made with weights of SHA-256 [0-9a-f]{64}, backbone.weights '.*w2.h5' has SHA-256 [0-9a-f]{64}" \
  "$MF_BIN" predict "$cfg" "${D[@]}" --set backbone.weights="$PWD/w2.h5" --model a/model.h5 --out e1 png/*.png
no_output e1
echo "not an image" > notes.png
expect_fail 1 "notes.png: not an image: expected a PNG \(8-bit gray\) or PGM" \
  "$MF_BIN" predict "$cfg" "${D[@]}" --model a/model.h5 --out e2 png/roi_*.png notes.png
no_output e2
mkdir empty
expect_fail 1 "empty: a folder without Info.txt: expected a MIAS folder" \
  mpirun_n 2 "$MF_BIN" predict "$cfg" "${D[@]}" --model a/model.h5 --out e3 empty
no_output e3
expect_fail 1 "nope/model.h5: missing \(expected a model.h5 made by .mammofuse train.\)" \
  "$MF_BIN" predict "$cfg" "${D[@]}" --model nope/model.h5 --out e4 png/*.png
no_output e4
expect_fail 1 "a/rois.h5: .*model" "$MF_BIN" predict "$cfg" "${D[@]}" --model a/rois.h5 --out e5 png/*.png
no_output e5
expect_fail 2 "expected at least one INPUT" "$MF_BIN" predict "$cfg" --model a/model.h5
finish
